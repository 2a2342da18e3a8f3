"""The DfE validator's own virtual environment: made on first use, reused after.

``csc-validator-be-903`` pins pandas < 2 and numpy < 1.25, so it cannot live beside reportgen.
It gets its own virtual environment under the cache folder (:func:`cache_root`), installed
from :data:`VALIDATOR_VERSION` and the pinned ``constraints.txt`` beside this module, and built
under a lock so that parallel batch workers make it once. A half-made environment is never
used: the marker file is written last.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock

from reportgen.core.errors import ReportgenError

VALIDATOR_PACKAGE = "csc-validator-be-903"
VALIDATOR_VERSION = "0.1.17"
"""The pinned validator release (its rules for 2022-23 to 2025-26)."""

CONSTRAINTS = Path(__file__).with_name("constraints.txt")
RUNNER = Path(__file__).with_name("runner.py")
INSTALL_TIMEOUT = 900
"""Seconds allowed for ``pip install`` (a cold install downloads pandas 1.5 and numpy 1.24)."""
RETRY_AFTER = 3600
"""Seconds a failed attempt to make the environment is remembered before trying again."""


class ValidatorUnavailable(ReportgenError):
    """The validator's environment cannot be made here (offline, no Python 3.9-3.11, ...)."""


def cache_root() -> Path:
    """``$REPORTGEN_DFE_CACHE``, else ``$XDG_CACHE_HOME/reportgen/dfe-validator``, else
    ``~/.cache/reportgen/dfe-validator``."""
    explicit = os.environ.get("REPORTGEN_DFE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportgen" / "dfe-validator"


def env_dir() -> Path:
    """The validator's virtual environment (one per pinned version)."""
    return cache_root() / f"env-{VALIDATOR_VERSION}"


def _marker() -> Path:
    return env_dir() / ".reportgen-installed"


def _python(env: Path) -> Path:
    return env / "bin" / "python"


def _base_python() -> str:
    """A Python 3.11 to make the environment with (the validator supports 3.9 to 3.11)."""
    if sys.version_info[:2] <= (3, 11):
        return getattr(sys, "_base_executable", None) or sys.executable
    found = shutil.which("python3.11")
    if found is None:
        raise ValidatorUnavailable(
            "the DfE validator needs Python 3.9 to 3.11 and python3.11 is not installed"
        )
    return found


def is_ready() -> bool:
    """True when the environment exists and is complete (nothing is made)."""
    return _marker().exists() and _python(env_dir()).exists()


def _failure_note() -> Path:
    return cache_root() / "last-failure.txt"


def _recent_failure() -> str | None:
    """Why the last attempt to make the environment failed, if it was under an hour ago."""
    note = _failure_note()
    try:
        if time.time() - note.stat().st_mtime < RETRY_AFTER:
            return note.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return None


def validator_python(create: bool = True, retry: bool = False) -> Path:
    """The validator environment's ``python``, making the environment first if need be.

    A failed attempt is remembered for :data:`RETRY_AFTER` seconds, so that a batch of reports
    offline does not try (and wait for pip) once per report.

    Parameters
    ----------
    create
        Make the environment when it is missing (else raise).
    retry
        Try again even if an attempt failed within the last hour (``reportgen dfe-validator``).

    Returns
    -------
    Path

    Raises
    ------
    ValidatorUnavailable
        One line: why the environment cannot be made (or is missing when ``create`` is false).
    """
    if is_ready():
        return _python(env_dir())
    if not create:
        raise ValidatorUnavailable(
            f"the DfE validator is not set up: run 'make dfe-validator' (makes {env_dir()})"
        )
    failed = None if retry else _recent_failure()
    if failed:
        raise ValidatorUnavailable(
            f"{failed} (tried less than an hour ago; 'reportgen dfe-validator' tries again now)"
        )
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(root / ".lock"):  # another process may be making it: wait, then reuse
        if not is_ready():
            try:
                _make(env_dir())
            except ValidatorUnavailable as error:
                _failure_note().write_text(f"{error}\n", encoding="utf-8")
                raise
            _failure_note().unlink(missing_ok=True)
    return _python(env_dir())


def _make(env: Path) -> None:
    shutil.rmtree(env, ignore_errors=True)
    python = _python(env)
    steps = (
        ([_base_python(), "-m", "venv", str(env)], 120),
        (
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            + ["--timeout", "30", "--retries", "2"]
            + ["-c", str(CONSTRAINTS), f"{VALIDATOR_PACKAGE}=={VALIDATOR_VERSION}"],
            INSTALL_TIMEOUT,
        ),
        ([str(python), "-c", "import lac_validator.lac_validator"], 120),
    )
    for command, timeout in steps:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as error:
            shutil.rmtree(env, ignore_errors=True)
            raise ValidatorUnavailable(
                f"cannot make the DfE validator's environment in {env}: {error}"
            ) from None
        if done.returncode != 0:
            shutil.rmtree(env, ignore_errors=True)
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise ValidatorUnavailable(
                f"cannot make the DfE validator's environment in {env} "
                f"({VALIDATOR_PACKAGE}=={VALIDATOR_VERSION}): {last}"
            )
    _marker().write_text(f"{VALIDATOR_PACKAGE}=={VALIDATOR_VERSION}\n")
