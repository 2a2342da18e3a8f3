"""Where the project's shipped files live (data, params, templates, notebooks).

The package is installed in editable mode from the repository, so the shipped folders sit beside
``src/``. ``REPORTGEN_HOME`` overrides the project root (used by tests that copy the project).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("REPORTGEN_HOME") or Path(__file__).resolve().parents[3])
DATA_DIR = PROJECT_ROOT / "data" / "published"
PARAMS_DIR = PROJECT_ROOT / "params"
AUTHORITY_PARAMS_DIR = PARAMS_DIR / "authorities"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks" / "reports"
DEFAULT_OUT_DIR = Path("out")

KERNEL_NAME = "reportgen"
"""The Jupyter kernel registered at set-up (``make venv``) and always passed to papermill."""
