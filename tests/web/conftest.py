"""Fixtures of the web tests (helpers in harness.py). Screenshots go to $LINKAGE_SCREENSHOTS, else a
folder under pytest's temporary directory; the folder is printed at the end of the run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.web.harness import ensure_web_build, install_chromium

_screenshots: list[Path] = []


def pytest_terminal_summary(terminalreporter):
    for folder in _screenshots:
        terminalreporter.write_line(f"web screenshots: {folder}")


@pytest.fixture(scope="session")
def web_tools() -> dict:
    ensure_web_build()
    return {"chromium": install_chromium(), "node": shutil.which("node")}


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory) -> Path:
    env = os.environ.get("LINKAGE_SCREENSHOTS")
    folder = Path(env) if env else tmp_path_factory.mktemp("web-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _screenshots.append(folder)
    return folder
