"""SSDA903 commands: ``reportgen validate`` and ``reportgen indicators``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``reportgen`` app."""
