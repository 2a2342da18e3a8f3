"""A report's INPUT: a folder of 903 returns, one subfolder per collection year."""

from __future__ import annotations

from pathlib import Path

from reportgen.core.errors import DataError
from reportgen.core.periods import year_label
from reportgen.sources.ssda903.read import collection_year_from_name


def year_folders(folder: Path | str) -> list[tuple[int, Path]]:
    """The (collection year, folder) pairs of an input folder: its year subfolders, or the
    folder itself when its own name is a collection year.

    Raises
    ------
    DataError
        When the folder is missing, has no year folders, or has two folders for one collection
        year (``2025`` and ``2024-25``): the same refusal as
        :func:`reportgen.sources.ssda903.read.read_history`, so ``validate`` and ``report`` agree.
    """
    path = Path(folder)
    if not path.is_dir():
        raise DataError(f"903 folder {folder} not found: give a folder with one subfolder per year")
    found: list[tuple[int, Path]] = []
    seen: dict[int, Path] = {}
    for sub in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        year = collection_year_from_name(sub.name)
        if year is not None:
            if year in seen:
                raise DataError(
                    f"{seen[year]} and {sub} are both for {year_label(year)}: keep one folder"
                )
            seen[year] = sub
            found.append((year, sub))
    if not found:
        year = collection_year_from_name(path.name)
        if year is not None:
            return [(year, path)]
        raise DataError(
            f"{folder} has no year folders: put each return in a subfolder named by its "
            "collection year, e.g. 2025 or 2024-25 for 2024-25"
        )
    return sorted(found)
