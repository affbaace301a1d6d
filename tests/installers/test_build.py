"""The release build, end to end: ``python installers/build.py`` on Linux makes the PyInstaller
bundle, the tarball and the .deb, and smoke-tests the bundle and the .deb's payload (offline
answer, privacy gate, self-test offscreen and under Xvfb, keyring with no D-Bus)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "installers" / "build.py"
#: The unpacked bundle's budget. It holds the 98 MB model, Qt, spaCy with the English and French
#: models, and llama.cpp; growing past this means something unused got in (see the excludes in
#: installers/hybrid-desktop.spec). Raised from 350 for the privacy gate's second round: the
#: French NER model (26 MB), py3langid (4.5 MB) and detect-secrets (1 MB) took it to 379.7 MiB.
#: Raised to 400 for encryption at rest: sqlcipher3 with its own SQLCipher library (8.1 MiB)
#: and the privacy gate's round-5 lists took it to 392.2 MiB.
BUDGET_MIB = 400


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_a_failed_check_fails_the_build(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BUILD), "--smoke-only", "--dist", str(tmp_path / "empty")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "BUILD FAILED" in proc.stderr and "does not exist" in proc.stdout


@pytest.mark.slow
@pytest.mark.timeout(1500)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the CI build runs on Linux")
def test_linux_build_and_smoke_tests() -> None:
    proc = subprocess.run(
        [sys.executable, str(BUILD)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1450,
    )
    output = proc.stdout[-6000:] + "\n--- stderr ---\n" + proc.stderr[-4000:]
    assert proc.returncode == 0, output
    assert "all smoke tests passed" in proc.stdout, output

    from hybrid_desktop import __version__

    dist = REPO / "dist"
    bundle = dist / "hybrid-desktop"
    assert (bundle / "hybrid-desktop").is_file()
    assert (dist / f"hybrid-desktop-{__version__}-linux-x86_64.tar.gz").is_file() or list(
        dist.glob(f"hybrid-desktop-{__version__}-linux-*.tar.gz")
    )
    assert list(dist.glob(f"hybrid-desktop_{__version__}_*.deb"))
    assert (dist / "SHA256SUMS-linux").is_file()
    size_mib = tree_size(bundle) / 2**20
    assert size_mib <= BUDGET_MIB, f"the bundle is {size_mib:.1f} MiB, over {BUDGET_MIB} MiB"
