"""Shared fixtures: paths to the project and to ``shared/`` (tests may read it; the product may not)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data" / "dfe").exists():
        pytest.skip(f"shared folder not found at {SHARED}")
    return SHARED
