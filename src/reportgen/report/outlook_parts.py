"""The paper's parts for "Looking ahead", the placement market and costs, and the money.

Each part is ``(Context) -> list[Block]`` and reads only ``work/outlook.json``
(:func:`reportgen.report.outlook.read_outlook`), which the ``forecast`` notebook wrote. A paper
whose outlook could not be computed says why in one sentence, never a guess.
"""

from __future__ import annotations

import math
from typing import Any

from reportgen.analysis.costs import WEEKS_PER_YEAR, money
from reportgen.analysis.forecast import rounding_unit
from reportgen.core.formatting import MARKER_TEXT
from reportgen.model import Block, Figure, Paragraph, Section, Table
from reportgen.report import narrative as nv
from reportgen.report.context import Context
from reportgen.report.outlook import TYPE_LABELS, read_outlook

FORECAST_SOURCE = (
    "Source: reportgen projection from the DfE's published children looked after, starts, "
    "leavers and ONS population figures (method in Appendix A)."
)
FORECAST_SOURCE_903 = (
    "Source: reportgen multi-state projection from the authority's SSDA903 returns, with ONS "
    "population figures (method in Appendix A)."
)
COST_SOURCE = (
    "Source: reportgen estimate from the DfE's published placement types and providers and the "
    "unit costs in Appendix A (national estimates unless marked as the authority's own)."
)


def _approx(amount: float, sig: int = 2) -> str:
    """An estimate in GOV.UK money style, to ``sig`` significant figures (never false precision)."""
    if amount == 0 or not math.isfinite(amount):
        return money(0)
    digits = sig - 1 - int(math.floor(math.log10(abs(amount))))
    return money(round(amount, min(digits, 0)))


def _p(text: str) -> Paragraph:
    return Paragraph(nv.sentence(text))


def outlook(c: Context) -> dict[str, Any] | None:
    """The outlook data of this paper (cached on the context)."""
    if "outlook" not in c.extra:
        c.extra["outlook"] = read_outlook(c.work_dir)
    return c.extra["outlook"]


def _figure(c: Context, data: dict[str, Any], key: str) -> list[Block]:
    chart = data.get("charts", {}).get(key)
    if not chart:
        return []
    return [
        Figure(
            caption=chart["caption"], image=c.work_dir / chart["file"], alt_text=chart["alt_text"]
        )
    ]


def _round_to(value: float, unit: int) -> int:
    return int(round(value / unit) * unit) if unit > 1 else int(round(value))


def _count(value: float, unit: int = 1) -> str:
    return f"{_round_to(value, unit):,}"


def _floor(value: float, unit: int) -> str:
    return f"{max(0, math.floor(value / unit) * unit):,}"


def _ceil(value: float, unit: int) -> str:
    return f"{math.ceil(value / unit) * unit:,}"


def _pct(value: float | str | None) -> str:
    if value == "c":
        return "withheld"
    if not isinstance(value, int | float) or math.isnan(value):
        return "n/a"
    if 0 < value < 0.5:
        return "<0.5%"
    return f"{round(value):.0f}%"


# -- Looking ahead -----------------------------------------------------------------------------


def part_looking_ahead(c: Context) -> list[Block]:
    """The forecast: headline, range, flows, mix, assumptions, back-test, table and fan chart."""
    data = outlook(c)
    if data is None:
        return []
    forecast = data["forecast"]
    if not forecast.get("available"):
        return [
            _p(
                "There is no forecast in this report: "
                + forecast.get("reason", "the published history is too short")
            )
        ]
    blocks: list[Block] = [_p(s) for s in forecast["sentences"]]
    small = c.params.disclosure.min_count

    def shown(text: str) -> str:  # a projected count below the disclosure threshold: "<5"
        return text if int(text.replace(",", "")) >= small or text == "0" else f"<{small}"

    rows = []
    for y in forecast["years"]:
        band = y["looked_after"]
        unit = rounding_unit(band["high80"] - band["low80"])
        rate = y["rate_per_10k"]
        starts, leavers = y["starts"], y["leavers"]
        rows.append(
            (
                y["at"],
                shown(_count(band["central"], unit)),
                f"{shown(_floor(band['low80'], unit))} to {shown(_ceil(band['high80'], unit))}",
                f"{shown(_floor(band['low95'], unit))} to {shown(_ceil(band['high95'], unit))}",
                f"{rate['central']:.0f}",
                shown(_count(starts["central"], rounding_unit(starts["high80"] - starts["low80"]))),
                shown(
                    _count(leavers["central"], rounding_unit(leavers["high80"] - leavers["low80"]))
                ),
            )
        )
    blocks.append(
        Table(
            caption=f"Projected children looked after by {c.name}, {forecast['years'][0]['year']} to {forecast['years'][-1]['year']}",
            columns=(
                "At",
                "Most likely",
                "80% range",
                "95% range",
                "Rate per 10,000",
                "Starts in the year",
                "Leavers in the year",
            ),
            rows=tuple(rows),
            numeric_columns=(1, 2, 3, 4, 5, 6),
            source=FORECAST_SOURCE_903 if forecast.get("own_returns") else FORECAST_SOURCE,
        )
    )
    blocks.extend(_figure(c, data, "forecast_fan"))
    return blocks


# -- the placement market and costs -------------------------------------------------------------


def _provider_sentences(c: Context, market: dict[str, Any]) -> list[str]:
    own = market.get("authority")
    if not own:
        return [
            f"The DfE has not published {c.name}'s children looked after by placement provider "
            f"for {market['year']}"
        ]
    eng, sn = market.get("england") or {}, market.get("neighbours") or {}
    count = market.get("neighbour_count", 0)
    neighbours = (
        "the statistical neighbour average"
        if count >= 10
        else f"the average of the {count} statistical neighbours with a published figure"
    )
    at = (
        f"At {market['at']}"
        if market.get("at")
        else f"At 31 March {market['year'][:2]}{market['year'][-2:]}"
    )

    def share(key: str) -> str:  # "39%", or the DfE withheld it
        value = own.get(key)
        if isinstance(value, int | float):
            return _pct(value)
        return (
            "a share withheld to protect a small number"
            if market.get("counted")
            else "a share the DfE withheld"
        )

    out = [
        f"{at}, of the children looked after by {c.name}, {share('own_la')} were placed "
        f"with the council's own provision (England {_pct(eng.get('own_la'))}, {neighbours} "
        f"{_pct(sn.get('own_la'))}) and {share('private')} with private providers "
        f"(England {_pct(eng.get('private'))}, neighbours {_pct(sn.get('private'))})"
    ]
    trend = {y: v for y, v in market.get("trend", {}).items() if v}
    years = list(trend)
    if len(years) >= 3:
        first, last = years[0], years[-1]
        a, b = trend[first].get("private"), trend[last].get("private")
        if isinstance(a, int | float) and isinstance(b, int | float):  # not withheld ("c")
            if round(a) == round(b):
                out.append(
                    f"The share placed with private providers was {_pct(b)} in {last}, the same as in {first}"
                )
            else:
                out.append(
                    f"The share placed with private providers {'rose' if b > a else 'fell'} from "
                    f"{_pct(a)} in {first} to {_pct(b)} in {last}"
                )
    return out


PROVIDER_ROWS = {
    "own_la": "Placed with the council's own provision",
    "other_la": "Placed with other councils' provision",
    "other_public": "Placed with other public bodies",
    "private": "Placed with private providers",
    "voluntary": "Placed with voluntary providers",
    "parents": "Placed with parents",
    "not_reported": "Placement provider not recorded",
}
"""Row titles of the provider table (also Appendix A's titles for the withheld ones)."""


def unavailable_rows(c: Context) -> tuple[tuple[str, str], ...]:
    """Appendix A rows for the provider shares of the period the DfE withheld."""
    data = outlook(c)
    own = ((data or {}).get("market") or {}).get("authority") or {}
    return tuple(
        (PROVIDER_ROWS[key], MARKER_TEXT["c"]) for key in PROVIDER_ROWS if own.get(key) == "c"
    )


def _provider_table(c: Context, market: dict[str, Any]) -> Table:
    years = [y for y, v in market.get("trend", {}).items() if v]
    first = years[0] if len(years) > 1 else None
    columns = ["Provider", c.period if market.get("counted") else market["year"]]
    if first:
        columns.append(first)
    columns += ["England", "Neighbours"]
    rows = []
    for key, label in PROVIDER_ROWS.items():
        row = [label, _pct((market.get("authority") or {}).get(key))]
        if first:
            row.append(_pct(market["trend"][first].get(key)))
        row += [
            _pct((market.get("england") or {}).get(key)),
            _pct((market.get("neighbours") or {}).get(key)),
        ]
        rows.append(tuple(row))
    return Table(
        caption=f"Children looked after by placement provider (%), {c.name}",
        columns=tuple(columns),
        rows=tuple(rows),
        numeric_columns=tuple(range(1, len(columns))),
        source=(
            f"Source: {c.name}'s SSDA903 returns, counted on the period's last day; England and "
            f"neighbours: DfE, children looked after at 31 March {market['year']} by placement "
            "provider."
            if market.get("counted")
            else "Source: DfE, children looked after at 31 March by placement provider."
        ),
    )


def _cost_sentences(c: Context, costs: dict[str, Any]) -> list[str]:
    year = costs["year"]
    children = costs["children"]
    annual, weekly = costs["annual_cost"], costs["weekly_cost"]
    per_child = weekly / max(costs["costed_children"], 1e-9)
    at = costs.get("at") or f"31 March {year[:2]}{year[-2:]}"
    out = [
        f"We estimate that the placements of the {children:,.0f} children looked after at {at} "
        f"cost about {_approx(annual)} a year ({_approx(weekly)} a week) at "
        f"{year} prices: on average {_approx(_round_to(per_child, 10))} a week for each child"
    ]
    if costs["uncosted_children"] >= 0.5:
        few = costs.get("counted") and costs["uncosted_children"] < c.params.disclosure.min_count
        out[-1] += (
            ". Children in placements with no unit cost (such as other placements) are not included"
            if few  # a count from the returns below the threshold is never shown
            else f". About {costs['uncosted_children']:,.0f} children in placements with no unit "
            "cost (such as other placements) are not included"
        )
    england = costs["annual_cost_england_mix"]
    difference = annual - england
    if abs(difference) >= 0.05 * annual:
        out.append(
            f"With England's mix of placements, the same number of children would cost about "
            f"{_approx(england)} a year, {_approx(abs(difference))} "
            f"{'less' if difference > 0 else 'more'}: the difference is down to where children "
            "are placed, not how many there are"
        )
    else:
        out.append(
            f"With England's mix of placements the cost would be much the same ({_approx(england)} a year)"
        )
    homes = costs["by_type"].get("childrens_home")
    withheld = set(costs.get("withheld_types", ()))
    if homes and annual > 0 and children > 0 and "childrens_home" not in withheld:
        out.append(
            f"Children's homes account for about {homes['annual_cost'] / annual * 100:.0f}% of the "
            f"cost and {homes['children'] / children * 100:.0f}% of the children"
        )
    shift = costs["shift"]
    each = (shift["weekly_from"] - shift["weekly_to"]) * WEEKS_PER_YEAR
    if shift["annual_saving"] > 0 and shift["children"] >= 1.5:
        out.append(
            f"Each 1% of children looked after (about {shift['children']:.0f} children) placed with "
            f"the council's own foster carers instead of in private children's homes would save "
            f"about {_approx(shift['annual_saving'])} a year ({_approx(each)} a year for each child)"
        )
    elif each > 0:
        out.append(
            "Each child placed with the council's own foster carers instead of in a private "
            f"children's home would save about {_approx(each)} a year"
        )
    trend = {y: v for y, v in costs.get("trend_at_this_years_prices", {}).items() if v}
    if len(trend) >= 3:
        first, last = list(trend)[0], list(trend)[-1]
        a, b = trend[first], trend[last]
        if abs(b - a) >= 0.02 * a:
            out.append(
                f"At {year} prices, the estimated cost {'rose' if b > a else 'fell'} from "
                f"{_approx(a)} in {first} to {_approx(b)} in {last}, with the number of children and "
                "the mix of their placements"
            )
    out.append(costs["estimate_note"])
    own = costs.get("own_figures") or []
    out.append(
        f"{len(own)} of the unit costs are {c.name}'s own; the others are national estimates "
        "(Appendix A)"
        if own
        else "The unit costs are national estimates (Appendix A): an authority's own figures "
        "give a more accurate estimate"
    )
    return out


def _cost_table(costs: dict[str, Any]) -> Table:
    rows = []
    withheld = set(costs.get("withheld_types", ()))
    for key, label in TYPE_LABELS.items():
        item = costs["by_type"].get(key)
        if key in withheld:  # the DfE withheld this count: its estimate and cost are withheld too
            rows.append((label, "withheld", "withheld", "withheld"))
            continue
        if not item or item["children"] < 0.5:
            continue
        rows.append(
            (
                label,
                f"{item['children']:,.0f}",
                _approx(item["weekly_cost"]) if item["costed"] else "not costed",
                _approx(item["annual_cost"]) if item["costed"] else "not costed",
            )
        )
    rows.append(
        (
            "All placements",
            f"{costs['children']:,.0f}",
            _approx(costs["weekly_cost"]),
            _approx(costs["annual_cost"]),
        )
    )
    return Table(
        caption=f"Estimated cost of placements at 31 March, {costs['year']} prices",
        columns=("Placement type", "Children", "Weekly cost", "Annual cost"),
        rows=tuple(rows),
        numeric_columns=(1, 2, 3),
        source=COST_SOURCE,
    )


def _scenario_table(c: Context, scenarios: list[dict[str, Any]], year: str) -> Table:
    years = list(scenarios[0]["years"])
    columns = ["Scenario"] + [f"{y}: children" for y in years] + [f"{years[-1]}: cost a year"]
    rows = []
    data = outlook(c) or {}
    bands = {y["year"]: y["looked_after"] for y in (data.get("forecast") or {}).get("years", [])}
    for s in scenarios:
        cells = [s["name"]]
        for y in years:
            band = bands.get(y)
            unit = rounding_unit(band["high80"] - band["low80"]) if band else 1
            cells.append(_count(s["years"][y]["looked_after"], unit))  # as precise as the range
        cells.append(_approx(s["years"][years[-1]]["annual_cost"]))
        rows.append(tuple(cells))
    return Table(
        caption=f"Scenarios: children looked after at each 31 March and the cost, {year} prices",
        columns=tuple(columns),
        rows=tuple(rows),
        numeric_columns=tuple(range(1, len(columns))),
        source=f"Source: reportgen projection and cost estimate; scenarios from {c.name}'s params.",
    )


def _period_cost_blocks(c: Context, period: dict[str, Any]) -> list[Block]:
    """903 sources: the period's spend from placement-days, by placement type."""
    if not period.get("available"):
        return [_p("There is no estimate of the period's spend: " + period.get("reason", ""))]
    source = "synthetic returns" if c.params.source == "synthetic" else "its own SSDA903 returns"
    blocks: list[Block] = [
        _p(
            f"From {source}, the placements of children looked after by {c.name} in "
            f"{period['period']} cost an estimated {_approx(period['cost'])} at {period['year']} "
            "prices: each day a child spent in a placement during the period, at the daily unit "
            "cost of that placement type and provider"
        )
    ]
    rows = []
    for key, label in {
        **TYPE_LABELS,
        "kinship": "Kinship foster care",
        "secure_childrens_home": "Secure children's homes",
    }.items():
        item = period["by_type"].get(key)
        if not item:
            continue
        if item["withheld"]:
            rows.append((label, "withheld"))
        else:
            rows.append((label, _approx(item["cost"], 3) if item["costed"] else "not costed"))
    rows.append(("All placements", _approx(period["cost"], 3)))
    blocks.append(
        Table(
            caption=f"Estimated spend on placements, {period['period']}",
            columns=("Placement type", "Spend in the period"),
            rows=tuple(rows),
            numeric_columns=(1,),
            source=(
                "Source: reportgen from "
                + (
                    "synthetic SSDA903 returns (not real figures)"
                    if c.params.source == "synthetic"
                    else f"{c.name}'s SSDA903 returns"
                )
                + " and the unit costs in Appendix A; a type with fewer than "
                f"{c.params.disclosure.min_count} children is withheld."
            ),
        )
    )
    return blocks


def part_placement_market(c: Context) -> list[Block]:
    """Provider mix against England and neighbours, the cost of placements, scenarios."""
    data = outlook(c)
    if data is None:
        return []
    blocks: list[Block] = [_p(s) for s in _provider_sentences(c, data["market"])]
    if data["market"].get("authority"):
        blocks.append(_provider_table(c, data["market"]))
        blocks.extend(_figure(c, data, "providers"))
    distance = data["market"].get("distance") or {}
    if distance.get("available") and distance["cells"]:
        bands = list(next(iter(distance["cells"].values())))
        blocks.append(
            Table(
                caption=f"Children looked after by provider and distance from home, {distance['at']}",
                columns=("Provider", *[b[:1].upper() + b[1:] for b in bands]),
                rows=tuple(
                    (
                        PROVIDER_ROWS[p],
                        *["withheld" if v is None else f"{v:,.0f}" for v in row.values()],
                    )
                    for p, row in distance["cells"].items()
                ),
                numeric_columns=tuple(range(1, len(bands) + 1)),
                source=(
                    f"Source: {c.name}'s SSDA903 returns (home and placement postcodes, DfE "
                    "distance formula); counts of 1 to 4, and any count they could be worked out "
                    "from, are withheld."
                ),
            )
        )
    costs = data["costs"]
    if not costs.get("available"):
        blocks.append(_p("There is no cost estimate in this report: " + costs.get("reason", "")))
        return blocks
    blocks.extend(_p(s) for s in _cost_sentences(c, costs))
    blocks.append(_cost_table(costs))
    if data.get("period_costs"):
        blocks.extend(_period_cost_blocks(c, data["period_costs"]))
    if data.get("scenarios"):
        blocks.append(
            _p(
                "The table below applies the scenarios set for this report to the forecast: "
                "children looked after (most likely figure) and the estimated cost a year, at "
                f"{costs['year']} prices and this year's mix except for the moves each scenario makes"
            )
        )
        blocks.append(_scenario_table(c, data["scenarios"], costs["year"]))
        blocks.extend(_figure(c, data, "scenarios"))
    return blocks


def part_financial_implications(c: Context) -> list[Block]:
    """Financial implications written from the cost estimate and the forecast."""
    data = outlook(c)
    costs = (data or {}).get("costs") or {}
    if not costs.get("available"):
        return [
            _p(
                "There are no financial implications arising directly from this report. The "
                "number of children looked after and the kind of placement they live in drive "
                "the cost of placements"
            )
        ]
    year = costs["year"]
    text = [
        f"The report asks for no decision and has no direct financial implications. The "
        f"placements of children looked after are estimated to cost about "
        f"{_approx(costs['annual_cost'])} a year at {year} prices"
    ]
    forecast = data["forecast"]
    if forecast.get("available"):
        last = forecast["years"][-1]
        band = last["looked_after"]
        per_child = costs["annual_cost"] / max(costs["costed_children"], 1e-9)
        text.append(
            f"If recent trends continue and the mix of placements stays as it is, the cost at "
            f"{last['at']} would be between {_approx(band['low80'] * per_child)} and "
            f"{_approx(band['high80'] * per_child)} a year at {year} prices, most likely about "
            f"{_approx(band['central'] * per_child)}"
        )
    text.append(
        "These are estimates from national unit costs, not the council's budget: the finance "
        "team should confirm them against the placement budget before the figures are relied on"
    )
    return [_p(t) for t in text]


def part_resource_implications(c: Context) -> list[Block]:
    """County papers' Resource Implications: the cost paragraphs, or nothing without them."""
    data = outlook(c)
    if data is None or not (data.get("costs") or {}).get("available"):
        return []
    return part_financial_implications(c)


def appendix_sections(c: Context) -> list[Section]:
    """Appendix A: how the forecast and the costs were made, and the unit costs' sources."""
    data = outlook(c)
    if data is None:
        return []
    own = (data.get("forecast") or {}).get("own_returns")
    blocks: list[Block] = [
        _p(
            "Forecast: a multi-state projection from the authority's SSDA903 returns. Each "
            "child in care at the start is followed through time: from the returns' episodes "
            "over the last 12 months, the model measures how often children in each age band "
            "and placement group (foster, residential, supported accommodation, other) move to "
            "another group or leave care, and how many start to be looked after, at what ages "
            "and in which placements; children age into the next band on their birthdays and "
            "leave care at 18. The ranges come from 1,000 simulations that also draw the rates "
            "from their uncertainty and from how much authorities' rates change from year to "
            "year (README, Looking ahead)"
        )
        if own
        else _p(
            "Forecast: a stock-and-flow projection. Children start to be looked after at a rate "
            "per 10,000 children aged 0 to 17 (ONS mid-year estimates), and a share of those in "
            "care leave each year; both follow their recent trend, damped. The ranges come from "
            "1,000 simulations that draw the rates from their year-to-year variation and the "
            "numbers starting and leaving at random around them. The method was tested by "
            "forecasting each authority's figures from earlier years (README, Looking ahead)"
        ),
        _p(
            "Costs: the DfE publishes each authority's children by placement type and, "
            "separately, by provider. The split of each placement type by provider is estimated "
            "from these two totals and England's full table by iterative proportional fitting, "
            "then multiplied by weekly unit costs uplifted to the report year by the ONS CPIH "
            "index. Annual cost is weekly cost x 52.18"
        ),
    ]
    rows = []
    for item in data.get("unit_cost_sources", []):
        weekly = item.get("weekly")
        if weekly is None:
            continue
        rows.append(
            (
                f"{item['placement_type']}.{item['provider']}",
                money(weekly),
                "authority" if item.get("origin") == "authority" else "national",
                str(item.get("source") or ""),
            )
        )
    if rows:
        blocks.append(
            Table(
                caption=f"Unit costs used (a week per child, {data['year']} prices)",
                columns=("Placement.provider", "Weekly", "Figure", "Source"),
                rows=tuple(rows),
                numeric_columns=(1,),
                source="Source: params/costs.yaml (national defaults) and the authority's params.",
            )
        )
    return [Section("Forecast and cost methods", blocks, level=1)]
