"""Layout-specific standard content parts (consultation, implications, audit trail ...).

Each part is a function ``(Context) -> list[Block]`` registered in :data:`STANDARD_PARTS`;
``reportgen.assemble`` merges them into its parts, and a layout's plan (``reportgen.plans``)
places them.
"""

from __future__ import annotations

from collections.abc import Callable

from reportgen.model import Block
from reportgen.report_context import Context

STANDARD_PARTS: dict[str, Callable[[Context], list[Block]]] = {}
