"""Windows packages from the PyInstaller bundle: a portable ``.zip`` and the Inno Setup installer.

``iscc`` (Inno Setup 6.3+) is looked up on PATH and in its default install folders; GitHub's
Windows runners have it, elsewhere ``choco install innosetup`` or https://jrsoftware.org.
The installer is then tried for real: a silent per-user install into a temporary folder, the
smoke test on the installed copy, and a silent uninstall.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ISS = HERE / "hybrid-desktop.iss"


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    # Windows environment variable names are case-insensitive.
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if not base:
            continue
        for folder in ("Inno Setup 6", "Inno Setup 7"):
            candidate = Path(base) / folder / "ISCC.exe"
            if candidate.is_file():
                return str(candidate)
    local = os.environ.get("LOCALAPPDATA")  # a per-user Inno Setup install
    if local:
        candidate = Path(local) / "Programs" / "Inno Setup 6" / "ISCC.exe"
        if candidate.is_file():
            return str(candidate)
    return None


def build_zip(bundle: Path, dist: Path, version: str) -> Path:
    out = dist / f"hybrid-desktop-{version}-windows-x64-portable.zip"
    out.unlink(missing_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                z.write(path, Path("hybrid-desktop") / path.relative_to(bundle))
    return out


def build_installer(bundle: Path, dist: Path, version: str, log: Path) -> Path:
    iscc = find_iscc()
    if not iscc:
        raise RuntimeError(
            "Inno Setup's compiler (ISCC.exe) was not found, so no setup .exe was built. Install "
            "Inno Setup 6 (choco install innosetup, or https://jrsoftware.org/isdl.php), or pass "
            "--no-installer."
        )
    command = [
        iscc,
        "/Q",
        f"/DAppVersion={version}",
        f"/DBundleDir={bundle}",
        f"/DRepoDir={REPO}",
        f"/O{dist}",
        str(ISS),
    ]
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ISCC failed (exit {proc.returncode}); see {log}")
    return dist / f"hybrid-desktop-{version}-windows-x64-setup.exe"


def silent_install(setup: Path, target: Path) -> Path:
    """Install per user into ``target`` with no UI and no optional tasks; returns the folder."""
    subprocess.run(
        [
            str(setup),
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            "/NORESTART",
            "/CURRENTUSER",
            f"/DIR={target}",
            "/TASKS=",
            f"/LOG={target.parent / 'setup.log'}",
        ],
        check=True,
        timeout=600,
    )
    return target


def silent_uninstall(target: Path) -> None:
    uninstallers = sorted(target.glob("unins*.exe"))
    if not uninstallers:
        raise RuntimeError(f"no uninstaller found in {target}")
    subprocess.run(
        [str(uninstallers[-1]), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"],
        check=True,
        timeout=600,
    )
    # The uninstaller copies itself to %TEMP% and finishes there: wait for the folder to go.
    for _ in range(60):
        if not (target / "hybrid-desktop.exe").exists():
            return
        time.sleep(1)
    raise RuntimeError(f"the uninstaller left {target / 'hybrid-desktop.exe'} behind")
