"""Temporary alias of :mod:`reportgen.core.tables` (removed once every caller uses it)."""

from reportgen.core.tables import load_table, split_markers

__all__ = ["load_table", "split_markers"]
