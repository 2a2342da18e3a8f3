"""``reportgen forecast``: the "Looking ahead" projection, costs and scenarios as data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.common import AuthorityOpt, InputOpt, PeriodOpt, SourceOpt


def forecast(
    authority: AuthorityOpt = None,
    period: PeriodOpt = None,
    source: SourceOpt = None,
    input: InputOpt = None,
    horizon: Annotated[
        int | None, typer.Option("--horizon", help="Years ahead, 1 to 4 (default 3).")
    ] = None,
    window: Annotated[
        int | None,
        typer.Option("--window", help="Latest published years the trends use (at least 3)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Forecast from this earlier collection year instead (back-tests)."
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", help="Only this named scenario from params (and the baseline)."),
    ] = None,
    params_file: Annotated[
        str | None, typer.Option("--params", help="A YAML file of further params.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the projection here (default: print).")
    ] = None,
) -> None:
    """Project children looked after for 1-4 years with 80% and 95% ranges, the placement
    costs and the params' scenarios, as JSON (the figures behind the paper's "Looking ahead")."""
    from reportgen.cli.common import _fail, console, err
    from reportgen.core.atomic import write_with
    from reportgen.core.config import load_params
    from reportgen.core.errors import ParamsError, ReportgenError
    from reportgen.indicators import registry
    from reportgen.report import outlook

    try:
        params = load_params(
            authority,
            as_of or period,
            source=source,
            input=input,
            params_file=params_file,
            check_indicator=registry.get,
        )
        params = outlook.with_options(params, horizon=horizon, window=window)
        if scenario is not None:
            names = [s.name for s in params.scenarios]
            if scenario not in names:
                raise ParamsError(
                    f"--scenario {scenario!r} is not in the params' scenarios: "
                    + (", ".join(repr(n) for n in names) if names else "there are none")
                )
            params = params.model_copy(
                update={"scenarios": [s for s in params.scenarios if s.name == scenario]}
            )
        outlook.check_params(params)
        data = outlook.compute(params)
        if not data["forecast"].get("available"):
            raise ReportgenError(f"no forecast: {data['forecast'].get('reason', '')}")
        text = json.dumps(outlook._round(data), indent=1, sort_keys=True) + "\n"
        if json_out is None:
            console.print(text, highlight=False, markup=False, end="")
        else:
            write_with(json_out, lambda out: out.write(text), encoding="utf-8")
            err.print(f"written {json_out}", highlight=False)
    except ReportgenError as error:
        _fail(error)


def register(app: typer.Typer) -> None:
    """Add ``forecast`` to the ``reportgen`` app."""
    app.command("forecast")(forecast)
