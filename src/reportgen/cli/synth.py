"""Synthetic data command: ``reportgen synth``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer


def synth(
    authority: Annotated[
        str,
        typer.Option(
            "--authority",
            help='Name, GSS code or old DfE code; several separated by commas or spaces, or "all".',
        ),
    ] = "E10000018",
    years: Annotated[
        str,
        typer.Option("--years", help="Collection years, e.g. 2020-21:2024-25 or 2024-25."),
    ] = "2020-21:2024-25",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output folder (default out/synthetic/<code>; with several authorities, "
            "one subfolder per authority).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", help="Worker processes for several authorities (default: cores)."
        ),
    ] = None,
) -> None:
    """Write SYNTHETIC SSDA903 returns (one folder of DfE-format CSVs per collection year),
    calibrated to the authority's published DfE figures. No row describes a real child."""
    from reportgen.cli.common import _fail, console
    from reportgen.core.errors import ReportgenError

    try:
        from reportgen.core.authorities import all_authorities, lookup
        from reportgen.indicators.published import published_values
        from reportgen.sources import synthetic

        started = time.perf_counter()
        wanted = authority.replace(",", " ").split()
        if len(wanted) == 1 and wanted[0].lower() == "all":
            codes = [a.gss for a in all_authorities()]
        else:
            codes = [lookup(a).gss for a in wanted]
        if not codes:
            raise ReportgenError('--authority is empty: give a code, a name or "all"')
        if len(codes) == 1:
            done = [synthetic.generate(codes[0], years, seed, out, published=published_values)]
        else:
            done = synthetic.generate_many(
                codes,
                years,
                seed,
                out or Path("out") / "synthetic",
                published=published_values,
                workers=workers,
            )
    except (ReportgenError, Exception) as error:  # noqa: BLE001
        _fail(error)
        return
    elapsed = time.perf_counter() - started
    for result in done[:10]:
        rows = sum(r.get("Episodes", 0) for r in result.rows.values())
        console.print(
            f"[green]written[/] {result.folder}  {result.name}: "
            f"{len(result.years)} years, {rows:,} episode rows (synthetic)"
        )
    if len(done) > 10:
        console.print(f"... and {len(done) - 10} more authorities under {done[0].folder.parent}")
    console.print(f"{len(done)} authorit{'y' if len(done) == 1 else 'ies'} in {elapsed:.1f} s")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``reportgen`` app."""
    app.command("synth")(synth)
