"""Results kept per process while what they were computed from stays the same.

A batch worker's kernel and process write one paper after another, and several results (indexes
of the published tables, England's type x provider tables, the narrative's published cells and
driver rows) are the same for every paper or every paper of one authority. A
:class:`SourceMemo` keeps them, each with the sources it was computed from, and uses an entry
only while the caller's sources are still the same: the same objects (a table as
:func:`~reportgen.core.tables.load_table` returns it, so a table read again is never served a
result of the old one), or equal tuples (a file's path, size and modification time).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

_T = TypeVar("_T")


def same_source(a: object, b: object) -> bool:
    """The same object (a loaded table), or equal tuples (a file's path, size and mtime)."""
    return a is b or (isinstance(a, tuple) and isinstance(b, tuple) and a == b)


class SourceMemo:
    """Results kept per process, each used only while its sources are unchanged.

    The least recently used entries are dropped beyond ``maxsize``. Safe to share between a
    thread that preloads and the one that reads (an entry dropped by one is recomputed).

    Parameters
    ----------
    maxsize
        Entries kept.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, tuple[tuple[object, ...], Any]] = OrderedDict()

    def get(self, key: Hashable, sources: tuple[object, ...], compute: Callable[[], _T]) -> _T:
        """The remembered result for ``key`` computed from ``sources``, or ``compute()``.

        Parameters
        ----------
        key
            Everything the result depends on besides its sources.
        sources
            What ``compute`` reads, as it is now (:func:`same_source`; empty when it reads
            nothing that can change, e.g. a result keyed on a file's text).
        compute
            Computes the result (remembered when it returns; its exceptions are raised, not
            remembered).
        """
        found = self._entries.get(key)
        if found is not None and all(
            same_source(a, b) for a, b in zip(found[0], sources, strict=True)
        ):
            with contextlib.suppress(KeyError):  # another thread may just have dropped it
                self._entries.move_to_end(key)
            return found[1]
        value = compute()
        self._entries[key] = (sources, value)
        with contextlib.suppress(KeyError):
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
