"""``reportgen layout init TEMPLATE.docx``: draft the style mapping of a council's own template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.common import _fail, console
from reportgen.core.errors import ReportgenError

layout_app = typer.Typer(
    no_args_is_help=True, help="Use a council's own Word template (LAYOUT=path/to/template.docx)."
)


@layout_app.command("init")
def init(
    template: Annotated[Path, typer.Argument(help="The council's Word template (.docx).")],
    base: Annotated[
        str,
        typer.Option("--base", help="Layout whose sections and numbering the paper follows."),
    ] = "county-scrutiny",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing mapping.")] = False,
) -> None:
    """Draft TEMPLATE.yaml beside TEMPLATE.docx: which of its styles plays each role."""
    from reportgen.docx.council import init_layout

    try:
        written = init_layout(template, base, force=force)
    except ReportgenError as error:
        _fail(error)
        return
    console.print(
        f"[green]written[/] {written}: check each style, then "
        f"`reportgen report --layout {template}`"
    )


def register(app: typer.Typer) -> None:
    """Add the ``layout`` command group to the ``reportgen`` app."""
    app.add_typer(layout_app, name="layout")
