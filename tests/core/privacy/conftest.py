"""One real detector for every privacy test (building one loads spaCy, Presidio, py3langid and
detect-secrets: a few seconds). A detector keeps no state between calls, so sharing it across
test files changes nothing but the time; tests that need other settings build their own."""

from __future__ import annotations

import pytest

from hybrid_desktop.core.privacy.detector import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()
