"""Shared fixtures: paths to the project and to ``shared/`` (tests may read it; the product may not)."""

from __future__ import annotations

import struct
import zlib
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


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    """A valid RGB PNG built from raw bytes (no pHYs chunk: python-docx assumes 72 dpi)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = bytes(c for x in range(width) for c in (x * 6 % 256, 80, 160))
    rows = b"".join(b"\x00" + pixels for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture()
def png(tmp_path: Path) -> Path:
    """A small chart image for documents built in tests."""
    path = tmp_path / "chart.png"
    path.write_bytes(tiny_png())
    return path


@pytest.fixture()
def probe_notebook(tmp_path: Path):
    """Write a notebook of code cells for the ``reportgen`` kernel (the first cell tagged
    ``parameters``) to ``tmp_path/probe.ipynb``; returns a function of the cells' sources."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    def write(*sources: str) -> Path:
        notebook = new_notebook(cells=[new_code_cell(s) for s in sources])
        notebook.cells[0].metadata["tags"] = ["parameters"]
        notebook.metadata["kernelspec"] = {
            "name": "reportgen",
            "display_name": "reportgen",
            "language": "python",
        }
        path = tmp_path / "probe.ipynb"
        nbformat.write(notebook, path)
        return path

    return write
