"""Linux packages from the PyInstaller bundle: a ``.tar.gz`` and a ``.deb`` (``dpkg-deb --build``).

The ``.deb`` installs the bundle under ``/opt/hybrid-desktop/``, links ``/usr/bin/hybrid-desktop``
to it, and adds the desktop entry, the hicolor icons and the AppStream metainfo. ``Depends`` lists
the host libraries the bundle leaves out on purpose (see ``LINUX_HOST_LIBS`` in the spec) plus
Qt's X11 needs; the ``libc6`` and ``libstdc++6`` minimums are read from the bundle's own ELF
files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESOURCES = REPO / "resources"
PACKAGE = "hybrid-desktop"
METAINFO = "io.github.hybriddesktop.HybridDesktop.metainfo.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MAINTAINER = "Hybrid Desktop developers <hybrid-desktop@example.invalid>"
HOMEPAGE = "https://github.com/hybriddesktop/hybrid-desktop"

#: Debian package names, Ubuntu 24.04's renamed ("t64") ones first where they exist.
DEPENDS = [
    "libgl1",
    "libegl1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0t64 | libglib2.0-0",
    "libssl3t64 | libssl3",
    "zlib1g",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-xkb1",
]
RECOMMENDS = ["fonts-dejavu-core | fonts-noto-core", "gnome-keyring | kwalletmanager"]

DESCRIPTION = """\
Private AI assistant that answers on this device first
 Hybrid Desktop answers with a small language model that ships inside the
 package, so it works offline from the first launch. It asks a large cloud
 model only when it is online, the task needs it and you allow it, and only
 after personal data has been found and replaced on the device.
 .
 The package bundles its own Python, Qt and llama.cpp under /opt/hybrid-desktop."""

POSTINST = """\
#!/bin/sh
# Refresh the menu and icon caches (dpkg triggers do it too where the tools install them).
set -e
if [ "$1" = "configure" ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f /usr/share/icons/hicolor/index.theme ]; then
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    fi
fi
exit 0
"""

POSTRM = """\
#!/bin/sh
set -e
if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f /usr/share/icons/hicolor/index.theme ]; then
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    fi
fi
exit 0
"""

COPYRIGHT = f"""\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Hybrid Desktop
Source: {HOMEPAGE}

Files: *
Copyright: Hybrid Desktop developers
License: Apache-2.0
 On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.

Files: opt/hybrid-desktop/_internal/*
Copyright: the respective authors
License: various
 The bundle contains Python and the Python packages Hybrid Desktop depends on,
 each under its own licence (their metadata is in the *.dist-info folders where
 shipped): among them Qt for Python (LGPL-3.0), llama.cpp (MIT), spaCy (MIT),
 en_core_web_sm (MIT), Presidio (MIT), and the SmolLM2-135M-Instruct model
 (Apache-2.0).
"""


def debian_arch() -> str:
    try:
        out = subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)


def glibc_minimum(bundle: Path) -> str:
    """The highest ``GLIBC_2.x`` symbol version any ELF file in the bundle asks for."""
    best = (2, 17)
    pattern = re.compile(rb"GLIBC_2\.(\d+)(?:\.(\d+))?\x00")
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
            data = f.read()
        for match in pattern.finditer(data):
            version = (2, int(match.group(1)))
            best = max(best, version)
    return f"{best[0]}.{best[1]}"


#: GLIBCXX_3.4.<n> -> the GCC release whose libstdc++ first has it (Debian versions libstdc++6 so).
_GLIBCXX_GCC = {28: "10", 29: "11", 30: "12", 31: "13", 32: "13.2", 33: "14", 34: "15"}


def libstdcxx_dependency(bundle: Path) -> str:
    """``libstdc++6 (>= <gcc>)`` for the newest ``GLIBCXX_3.4.n`` the bundle asks for."""
    newest = 0
    pattern = re.compile(rb"GLIBCXX_3\.4\.(\d+)\x00")
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
            data = f.read()
        for match in pattern.finditer(data):
            newest = max(newest, int(match.group(1)))
    gcc = _GLIBCXX_GCC.get(newest) or (max(_GLIBCXX_GCC.values(), key=float) if newest > 34 else "")
    return f"libstdc++6 (>= {gcc})" if gcc else "libstdc++6"


def tree_size_kib(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return (total + 1023) // 1024


def build_tarball(bundle: Path, dist: Path, version: str) -> Path:
    """``hybrid-desktop-<version>-linux-<arch>.tar.gz`` with one folder, ``hybrid-desktop/``."""
    out = dist / f"{PACKAGE}-{version}-linux-{os.uname().machine}.tar.gz"
    out.unlink(missing_ok=True)
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=PACKAGE, filter=_tar_normalise)
    return out


def _tar_normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def stage_deb(bundle: Path, staging: Path, version: str) -> Path:
    """Lay out the package tree in ``staging`` (emptied first) and return it."""
    if staging.exists():
        shutil.rmtree(staging)
    root = staging / f"{PACKAGE}_{version}"
    opt = root / "opt" / PACKAGE
    shutil.copytree(bundle, opt, symlinks=True, copy_function=_link_or_copy)

    usr = root / "usr"
    (usr / "bin").mkdir(parents=True)
    os.symlink(f"/opt/{PACKAGE}/{PACKAGE}", usr / "bin" / PACKAGE)
    share = usr / "share"
    _install(RESOURCES / f"{PACKAGE}.desktop", share / "applications" / f"{PACKAGE}.desktop")
    _install(RESOURCES / METAINFO, share / "metainfo" / METAINFO)
    for size in ICON_SIZES:
        _install(
            RESOURCES / "icons" / f"{PACKAGE}-{size}.png",
            share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{PACKAGE}.png",
        )
    _install(
        RESOURCES / f"{PACKAGE}.svg",
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{PACKAGE}.svg",
    )
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT)

    debian = root / "DEBIAN"
    debian.mkdir()
    control = {
        "Package": PACKAGE,
        "Version": version,
        "Section": "utils",
        "Priority": "optional",
        "Architecture": debian_arch(),
        "Maintainer": MAINTAINER,
        "Installed-Size": str(tree_size_kib(root)),
        "Depends": ", ".join(
            [
                f"libc6 (>= {glibc_minimum(bundle)})",
                libstdcxx_dependency(bundle),
                "libgcc-s1",
                *DEPENDS,
            ]
        ),
        "Recommends": ", ".join(RECOMMENDS),
        "Homepage": HOMEPAGE,
        "Description": DESCRIPTION,
    }
    (debian / "control").write_text("".join(f"{k}: {v}\n" for k, v in control.items()))
    for name, text in (("postinst", POSTINST), ("postrm", POSTRM)):
        script = debian / name
        script.write_text(text)
        script.chmod(0o755)
    (debian / "md5sums").write_text(_md5sums(root))
    _normalise_modes(root)
    return root


def _install(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == "DEBIAN" or path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        lines.append(f"{digest}  {rel.as_posix()}\n")
    return "".join(lines)


def _normalise_modes(root: Path) -> None:
    """0755 for folders and executables, 0644 for the rest (dpkg-deb checks DEBIAN's scripts)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        wanted = 0o755 if path.is_dir() or mode & stat.S_IXUSR else 0o644
        if stat.S_IMODE(mode) != wanted:
            if path.stat().st_nlink > 1:  # a hard link into dist/: copy before changing modes
                data = path.read_bytes()
                path.unlink()
                path.write_bytes(data)
            path.chmod(wanted)


def build_deb(bundle: Path, dist: Path, work: Path, version: str) -> Path:
    dpkg_deb = shutil.which("dpkg-deb")
    if not dpkg_deb:
        raise RuntimeError(
            "dpkg-deb is not installed, so the .deb cannot be built. On Debian/Ubuntu: "
            "sudo apt install dpkg-dev (or pass --no-deb)."
        )
    root = stage_deb(bundle, work / "deb", version)
    out = dist / f"{PACKAGE}_{version}_{debian_arch()}.deb"
    out.unlink(missing_ok=True)
    # xz at level 6 with dpkg's default threading: the model file barely compresses, the rest does.
    subprocess.run(
        [dpkg_deb, "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(work / "deb", ignore_errors=True)
    return out


def deb_contents(deb: Path) -> list[str]:
    out = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split(None, 5)[-1] for line in out.splitlines() if line.strip()]


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), field], capture_output=True, text=True, check=True
    ).stdout.strip()


def extract_deb(deb: Path, target: Path) -> Path:
    subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)
    return target
