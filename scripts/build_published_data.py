"""Rebuild ``data/published/*.parquet`` from the DfE CSV bundle (default ``../shared/data/dfe``).

Run from the project root: ``python scripts/build_published_data.py [SOURCE_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportgen.core.paths import DATA_DIR
from reportgen.core.tables import build_from_csv

if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/dfe")
    for path in build_from_csv(source, DATA_DIR):
        print(f"{path}  {path.stat().st_size / 1024:.0f} KiB")
