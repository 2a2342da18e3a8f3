"""What every command module shares: the consoles, the --debug switch, the one-line failure."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from reportgen.core.errors import ReportgenError

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DEBUG = {"on": False}
"""Set by ``--debug``: failures raise with a traceback instead of one line."""

AuthorityOpt = Annotated[
    str | None,
    typer.Option("--authority", help="Name, GSS code or old DfE code (default Leicestershire)."),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="2024-25, 2024-25Q3, 2025-01 or 2024-04-01:2024-06-30 (default latest year).",
    ),
]
SourceOpt = Annotated[
    str | None, typer.Option("--source", help="published (default), ssda903 or synthetic.")
]
InputOpt = Annotated[
    str | None, typer.Option("--input", help="Folder of SSDA903 returns (SOURCE=ssda903).")
]
LayoutOpt = Annotated[
    str | None,
    typer.Option(
        "--layout",
        help="county-scrutiny, open-report, corporate-parenting, or a council template .docx.",
    ),
]
OutOpt = Annotated[str | None, typer.Option("--out", help="Output folder (default out/).")]


def _fail(error: BaseException) -> None:
    """One readable line and a non-zero exit; a traceback only with --debug."""
    if DEBUG["on"]:
        raise error
    if isinstance(error, ReportgenError):
        err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
        raise typer.Exit(error.exit_code)
    err.print(
        f"[bold red]error:[/] unexpected {type(error).__name__}: {escape(str(error))} (rerun with --debug for details)",
        highlight=False,
    )
    raise typer.Exit(1)
