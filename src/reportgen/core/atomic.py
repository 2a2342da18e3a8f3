"""Write files under a temporary name beside the target and rename them into place.

A reader (or a crash) never sees a half-written file: the rename is atomic on one file system.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def write_with(
    path: Path | str, write: Callable[[IO[Any]], None], mode: str = "w", **open_args
) -> Path:
    """Call ``write(handle)`` on a temporary file beside ``path``, then rename it to ``path``.

    Parameters
    ----------
    path
        The target; its folder is created when missing.
    write
        Writes the content to the open handle.
    mode
        ``"w"`` (text; pass ``encoding``/``newline`` in ``open_args``) or ``"wb"``.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, mode, **open_args) as out:
            write(out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_csv(frame, path: Path | str) -> Path:
    """Write a DataFrame as CSV (UTF-8 with a byte-order mark, so Excel opens it correctly)."""
    return write_with(
        path, lambda out: frame.to_csv(out, index=False), encoding="utf-8-sig", newline=""
    )


def write_json(data: Any, path: Path | str, indent: int = 1) -> Path:
    """Write ``data`` as JSON (UTF-8, a final newline)."""

    def dump(out: IO[str]) -> None:
        json.dump(data, out, indent=indent)
        out.write("\n")

    return write_with(path, dump, encoding="utf-8")
