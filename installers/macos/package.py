"""macOS packages: a ``.dmg`` of ``Hybrid Desktop.app`` (``hdiutil``), optionally signed and
notarised.

PyInstaller's BUNDLE step (in the spec) makes the ``.app``; with ``HYBRID_DESKTOP_CODESIGN_IDENTITY``
set, PyInstaller signs every binary and the bundle with it, hardened runtime on, using
``entitlements.plist``. Here the ``.dmg`` is made, signed with the same identity, and, with
``HYBRID_DESKTOP_NOTARY_PROFILE`` (a ``xcrun notarytool store-credentials`` profile) set,
notarised and stapled. Without them the app is ad-hoc signed: it runs where it was built, and
elsewhere after the user allows it (see README.md next to this file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

APP_NAME = "Hybrid Desktop"
IDENTITY_ENV = "HYBRID_DESKTOP_CODESIGN_IDENTITY"
NOTARY_ENV = "HYBRID_DESKTOP_NOTARY_PROFILE"


def app_executable(app: Path) -> Path:
    return app / "Contents" / "MacOS" / "hybrid-desktop"


def build_dmg(app: Path, dist: Path, version: str, arch: str) -> Path:
    if not shutil.which("hdiutil"):
        raise RuntimeError("hdiutil was not found: a .dmg can only be built on macOS.")
    out = dist / f"Hybrid-Desktop-{version}-macos-{arch}.dmg"
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="hd-dmg-") as tmp:
        staging = Path(tmp) / APP_NAME
        staging.mkdir()
        # ditto keeps symlinks, extended attributes and signatures intact.
        subprocess.run(["ditto", str(app), str(staging / app.name)], check=True)
        os.symlink("/Applications", staging / "Applications")
        subprocess.run(
            [
                "hdiutil",
                "create",
                "-volname",
                APP_NAME,
                "-srcfolder",
                str(staging),
                "-fs",
                "HFS+",
                "-format",
                "UDZO",
                "-ov",
                str(out),
            ],
            check=True,
        )
    identity = os.environ.get(IDENTITY_ENV)
    if identity:
        subprocess.run(
            ["codesign", "--force", "--timestamp", "--sign", identity, str(out)], check=True
        )
        profile = os.environ.get(NOTARY_ENV)
        if profile:
            notarise(out, profile)
    return out


def notarise(dmg: Path, profile: str) -> None:
    subprocess.run(
        ["xcrun", "notarytool", "submit", str(dmg), "--keychain-profile", profile, "--wait"],
        check=True,
    )
    subprocess.run(["xcrun", "stapler", "staple", str(dmg)], check=True)


def verify_signature(app: Path) -> str:
    """``codesign --verify`` on the app; returns what it said (raises when it fails)."""
    proc = subprocess.run(
        ["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"codesign --verify failed: {proc.stderr.strip()}")
    return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "valid"


class MountedDmg:
    """``with MountedDmg(dmg) as volume:`` attaches read-only and detaches afterwards."""

    def __init__(self, dmg: Path) -> None:
        self.dmg = dmg
        self._tmp = tempfile.TemporaryDirectory(prefix="hd-dmg-mount-")
        self.mountpoint = Path(self._tmp.name) / "volume"

    def __enter__(self) -> Path:
        self.mountpoint.mkdir()
        subprocess.run(
            [
                "hdiutil",
                "attach",
                "-nobrowse",
                "-readonly",
                "-noautoopen",
                "-mountpoint",
                str(self.mountpoint),
                str(self.dmg),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return self.mountpoint

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["hdiutil", "detach", str(self.mountpoint), "-force"], check=False)
        self._tmp.cleanup()
