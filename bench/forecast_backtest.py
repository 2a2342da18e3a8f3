"""Back-test of the published-source forecast over every authority in England.

Usage::

    .venv/bin/python bench/forecast_backtest.py [--n-sims 1000] [--seed 20250331]
        [--origins 2021-22 2022-23 2023-24] [--horizons 1 2] [--authorities E10000018 ...]
        [--grid] [--markdown bench/forecast_backtest.md] [--write [data/forecast_backtest.json]]

For every authority and origin, forecasts from the published history up to the origin only
(:func:`reportgen.analysis.forecast.backtest`) and compares the number of children looked after
at 31 March one and two years later with what the DfE published. Prints (and with
``--markdown`` appends to that file; with ``--write`` also writes the JSON summary that papers
quote) the share of authorities whose actual figure fell inside the
80% and 95% ranges, the mean absolute percentage error (MAPE) of the central figure and of the
naive forecast "no change", the same by size of authority, who was skipped and why, and the CPU
time of one forecast. ``--grid`` adds the sensitivity of the results to the method's choices
(damping, widening, anchoring, population trend, window, seeds) and a back-test of the mix.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from reportgen.analysis import forecast as fc
from reportgen.core.tables import load_table


def _cell_table(summary: fc.BacktestSummary) -> list[str]:
    lines = [
        "| Origin (history up to) | Years ahead | Authorities | Inside 80% range | Inside 95% range "
        "| MAPE central | MAPE no change | Median APE central | Median APE no change "
        "| Central closer than no change |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in summary.cells:
        origin = "all origins" if c.origin == "all" else c.origin
        horizon = "1 and 2" if c.horizon == "all" else str(c.horizon)
        lines.append(
            f"| {origin} | {horizon} | {c.authorities} | {c.coverage80:.1f}% | {c.coverage95:.1f}% "
            f"| {c.mape:.2f}% | {c.mape_naive:.2f}% | {c.median_ape:.2f}% | {c.median_ape_naive:.2f}% "
            f"| {c.better_than_naive:.0f}% |"
        )
    return lines


def _by_size(summary: fc.BacktestSummary) -> list[str]:
    bands = [(0, 150), (150, 300), (300, 600), (600, 10**6)]
    lines = [
        "| Children looked after at the origin | Forecasts | Inside 80% | Inside 95% "
        "| Below the 80% range | Above the 80% range | MAPE central | MAPE no change |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for low, high in [*bands, (0, 10**6)]:
        rows = [r for r in summary.rows if low <= r.naive < high]
        if not rows:
            continue
        label = (
            "all"
            if (low, high) == (0, 10**6)
            else (f"{low}+" if high == 10**6 else f"{low}-{high - 1}")
        )
        lines.append(
            f"| {label} | {len(rows)} | {100 * np.mean([r.inside80 for r in rows]):.1f}% "
            f"| {100 * np.mean([r.inside95 for r in rows]):.1f}% "
            f"| {100 * np.mean([r.actual < r.low80 for r in rows]):.1f}% "
            f"| {100 * np.mean([r.actual > r.high80 for r in rows]):.1f}% "
            f"| {np.mean([r.error for r in rows]):.2f}% | {np.mean([r.naive_error for r in rows]):.2f}% |"
        )
    return lines


def _skipped(summary: fc.BacktestSummary) -> list[str]:
    reasons: Counter[tuple[str, str]] = Counter()
    names: dict[tuple[str, str], list[str]] = {}
    for code, origin, reason in summary.skipped:
        if "needs at least three years" in reason and "consecutive years available" in reason:
            kind = "fewer than three consecutive years of history"
        elif "needs at least three years" in reason:
            kind = "figures for the origin year not published"
        else:
            kind = "no published figure to compare with"
        reasons[(origin, kind)] += 1
        names.setdefault((origin, kind), []).append(code)
    lines = ["| Origin | Reason | Cases | Authorities |", "|---|---|---|---|"]
    for (origin, kind), count in sorted(reasons.items()):
        codes = sorted(set(names[(origin, kind)]))
        shown = ", ".join(codes) if len(codes) <= 8 else f"{len(codes)} authorities"
        lines.append(f"| {origin} | {kind} | {count} | {shown} |")
    return lines


def _timing(codes: Sequence[str], n_sims: int, seed: int) -> tuple[float, float, float, float]:
    """CPU seconds: reading the three tables; the first forecast's panels and England's variation;
    mean and slowest per authority after that."""
    start = time.process_time()
    for table in (fc.CLA_TABLE, fc.POPULATION_TABLE, fc.CHARACTERISTICS_TABLE):
        load_table(table)
    tables = time.process_time() - start
    start = time.process_time()
    fc.history_from_published("E10000018", "2024-25")
    cold = time.process_time() - start
    times = []
    for code in codes:
        start = time.process_time()
        try:
            history = fc.history_from_published(code, "2024-25")
        except fc.ForecastError:
            continue
        forecast = fc.project(history, horizon=3, n_sims=n_sims, seed=seed)
        fc.describe(forecast)
        times.append(time.process_time() - start)
    return tables, cold, float(np.mean(times)), float(np.max(times))


GRID: list[tuple[str, dict]] = [
    ("**chosen**: anchored exit share, damping 0.3, inflation 1.1", {}),
    ("chosen without widening: inflation 1.0", {"inflation": 1.0}),
    (
        "average historic rates (exit share at the window mean), no trend",
        {"exit_anchor": False, "exit_damping": 0.0},
    ),
    ("average historic rates, exit-share trend damped 0.3", {"exit_anchor": False}),
    ("anchored, no exit-share trend (damping 0)", {"exit_damping": 0.0}),
    ("anchored, damping 0.2", {"exit_damping": 0.2}),
    ("anchored, damping 0.4", {"exit_damping": 0.4}),
    ("anchored, damping 0.5", {"exit_damping": 0.5}),
    ("anchored, damping 0.6", {"exit_damping": 0.6}),
    ("anchored, straight-line exit-share trend (damping 1)", {"exit_damping": 1.0}),
    ("entry-rate trend too, damping 0.5", {"entry_damping": 0.5}),
    ("population: linear trend of the last five estimates", {"population": "linear"}),
    ("window: last three years only", {"window": 3}),
    ("ranges narrowed: inflation 0.9", {"inflation": 0.9}),
    ("ranges: inflation 1.05", {"inflation": 1.05}),
    ("ranges widened: inflation 1.2", {"inflation": 1.2}),
]


def _grid(origins: Sequence[str], codes: Sequence[str] | None, n_sims: int, seed: int) -> list[str]:
    lines = [
        "| Variant | Inside 80% | Inside 95% | MAPE central | MAPE no change | Central closer |",
        "|---|---|---|---|---|---|",
    ]
    for label, options in GRID:
        result = fc.backtest(origins=origins, codes=codes, n_sims=n_sims, seed=seed, **options)
        c = result.cell("all", "all")
        lines.append(
            f"| {label} | {c.coverage80:.1f}% | {c.coverage95:.1f}% | {c.mape:.2f}% | {c.mape_naive:.2f}% "
            f"| {c.better_than_naive:.0f}% |"
        )
    for other in (1, 2, 3):
        result = fc.backtest(origins=origins, codes=codes, n_sims=n_sims, seed=other)
        c = result.cell("all", "all")
        lines.append(
            f"| chosen, seed {other} (simulation noise) | {c.coverage80:.1f}% | {c.coverage95:.1f}% "
            f"| {c.mape:.2f}% | {c.mape_naive:.2f}% | {c.better_than_naive:.0f}% |"
        )
    return lines


def _mix_backtest(
    origins: Sequence[str], codes: Sequence[str], horizons: Sequence[int]
) -> list[str]:
    """Mean absolute error (percentage points) of the projected shares against the published."""
    lines = [
        "| Mix | Latest shares held (default) | Damped trend 0.3 | Damped trend 0.5 | Straight-line trend | Shares compared |",
        "|---|---|---|---|---|---|",
    ]
    dampings = (0.0, 0.3, 0.5, 1.0)
    errors: dict[str, dict[float, list[float]]] = {"placement": {}, "age": {}}
    wanted = list(horizons)
    for origin in origins:
        o = fc.time_period(origin)
        for code in codes:
            try:
                history = fc.history_from_published(code, o)
            except fc.ForecastError:
                continue
            actual = {}
            for h in wanted:
                try:  # a year not yet published raises too
                    actual[h] = fc.history_from_published(code, o + h)
                except fc.ForecastError:
                    continue
            for damping in dampings:
                forecast = fc.project(
                    history,
                    horizon=max(wanted),
                    n_sims=1,
                    stochastic_flows=False,
                    mix_damping=damping,
                )
                for h, later in actual.items():
                    year = forecast.years[h - 1]
                    for kind, projected, published in (
                        ("placement", year.placement_mix, later.placement_shares),
                        ("age", year.age_mix, later.age_shares),
                    ):
                        for key, share in projected.items():
                            value = published.get(key, (np.nan,))[-1]
                            if np.isfinite(value):
                                errors[kind].setdefault(damping, []).append(
                                    abs(share - value) * 100
                                )
    for kind, label in (("placement", "Placement type"), ("age", "Age band")):
        cells = [f"{np.mean(errors[kind][d]):.2f} pp" for d in dampings]
        lines.append(f"| {label} | {' | '.join(cells)} | {len(errors[kind][0.0])} |")
    return lines


# --------------------------------------------------------------------------------------------
# 903 mode: the multi-state model on synthetic returns (reportgen.analysis.forecast_903)

SYNTH_903 = (
    "E09000020 E06000013 E06000039 E06000033 E06000007 E06000008 E09000022 E09000023 "
    "E08000031 E08000017 E10000018 E06000049 E08000021 E08000026 E10000032 E10000012 E08000025"
).split()
"""17 authorities from the smallest to the largest (about every tenth by children looked after)."""

VARIANTS_903: list[tuple[str, dict]] = [
    ("**default**: 12-month window, rate draws, England's year-to-year variation", {}),
    ("24-month window", {"window_months": 24}),
    ("no year-to-year variation (chance and rate estimates only)", {"rate_variation": False}),
    (
        "chance only (no rate draws, no variation)",
        {"rate_variation": False, "parameter_draws": False},
    ),
]


def _backtest_903(folder: Path, codes: Sequence[str], n_sims: int, seed: int) -> list[str]:
    """Forecast from the 2022-23 (and 2023-24) returns only; compare with the later returns."""
    from datetime import date

    from reportgen.analysis import forecast_903 as f9
    from reportgen.indicators.published import published_values
    from reportgen.sources import synthetic
    from reportgen.sources.ssda903.read import read_history

    cases = [("2022-23", (1, 2)), ("2023-24", (1,))]
    rows: dict[str, list[fc.BacktestRow]] = {label: [] for label, _ in VARIANTS_903}
    cpu: list[tuple[str, int, float]] = []
    for code in codes:
        base = folder / code
        if not (base / "2025").is_dir():
            synthetic.generate(
                code, "2020-21:2024-25", seed=0, out=base, published=published_values
            )
        full = read_history(base)
        for origin, horizons in cases:
            o = fc.time_period(origin)
            past = read_history({y: base / str(y) for y in full.years if y <= o})
            naive = f9.stock_on(past, code, date(o, 3, 31))
            for label, options in VARIANTS_903:
                start = time.process_time()
                result = f9.project_903(
                    past, code, origin, horizon=max(horizons), n_sims=n_sims, seed=seed, **options
                )
                if not options and origin == "2022-23":
                    cpu.append((result.authority_name, naive, time.process_time() - start))
                for h in horizons:
                    band = result.years[h - 1].looked_after
                    rows[label].append(
                        fc.BacktestRow(
                            authority_code=code,
                            authority_name=result.authority_name,
                            origin=origin,
                            horizon=h,
                            target=fc.year_label(o + h),
                            actual=float(f9.stock_on(full, code, date(o + h, 3, 31))),
                            central=band.central,
                            low80=band.low80,
                            high80=band.high80,
                            low95=band.low95,
                            high95=band.high95,
                            naive=float(naive),
                        )
                    )

    def line(name: str, chosen: list[fc.BacktestRow]) -> str:
        err = np.array([r.error for r in chosen])
        naive_err = np.array([r.naive_error for r in chosen])
        return (
            f"| {name} | {len(chosen)} | {100 * np.mean([r.inside80 for r in chosen]):.1f}% "
            f"| {100 * np.mean([r.inside95 for r in chosen]):.1f}% "
            f"| {100 * np.mean([r.actual < r.low80 for r in chosen]):.1f}% "
            f"| {100 * np.mean([r.actual > r.high80 for r in chosen]):.1f}% "
            f"| {err.mean():.2f}% | {naive_err.mean():.2f}% | {100 * np.mean(err < naive_err):.0f}% |"
        )

    head = [
        "| Forecasts | Comparisons | Inside 80% | Inside 95% | Below the 80% range "
        "| Above the 80% range | MAPE central | MAPE no change | Central closer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    default = rows[VARIANTS_903[0][0]]
    out = ["### 903 mode: coverage and error (default settings)", "", *head]
    for origin, horizons in cases:
        for h in horizons:
            chosen = [r for r in default if r.origin == origin and r.horizon == h]
            out.append(line(f"from {origin}, {h} year{'s' if h > 1 else ''} ahead", chosen))
    out.append(line("all", default))
    out += ["", "### 903 mode: variants (all origins and horizons pooled)", "", *head]
    out += [line(label, chosen) for label, chosen in rows.items()]
    out += [
        "",
        "### 903 mode: each authority, from 2022-23 (default settings)",
        "",
        "| Authority | At 31 March 2023 | Actual 2024 | Central 2024 (80% range) "
        "| Actual 2025 | Central 2025 (80% range) | CPU s (1 forecast, 2 years) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, now, seconds in cpu:
        pair = [r for r in default if r.authority_name == name and r.origin == "2022-23"]
        cells = " | ".join(
            f"{r.actual:.0f} | {r.central:.0f} ({r.low80:.0f}-{r.high80:.0f})" for r in pair
        )
        out.append(f"| {name} | {now} | {cells} | {seconds:.2f} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", nargs="+", default=["2021-22", "2022-23", "2023-24"])
    parser.add_argument("--horizons", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--authorities", nargs="*", default=None, help="default: all")
    parser.add_argument("--n-sims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=fc.DEFAULT_SEED)
    parser.add_argument("--grid", action="store_true", help="sensitivity to the method's choices")
    parser.add_argument(
        "--markdown", type=Path, default=None, help="append the results to this file"
    )
    parser.add_argument(
        "--write",
        type=Path,
        nargs="?",
        const=Path("data/forecast_backtest.json"),
        default=None,
        help="write the summary the papers quote as JSON (default path: data/forecast_backtest.json)",
    )
    parser.add_argument(
        "--903",
        dest="ssda903",
        type=Path,
        nargs="?",
        const=Path("out/synthetic/backtest903"),
        default=None,
        help="back-test the 903 model on synthetic returns in this folder (one subfolder per "
        "authority, generated if missing; default out/synthetic/backtest903)",
    )
    args = parser.parse_args(argv)
    if args.ssda903 is not None:
        codes_903 = args.authorities or SYNTH_903
        command = "`.venv/bin/python bench/forecast_backtest.py " + " ".join(argv or sys.argv[1:])
        text = "\n".join(
            [
                "## Results: 903 mode (synthetic returns)",
                "",
                f"Command: {command.strip()}`",
                "",
                f"Settings: {args.n_sims} simulations, seed {args.seed}.",
                "",
                *_backtest_903(args.ssda903, codes_903, args.n_sims, args.seed),
                "",
            ]
        )
        print(text)
        if args.markdown:
            with args.markdown.open("a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        return 0

    codes = args.authorities or fc.authority_codes()
    tables, cold, per_authority, slowest = _timing(codes, args.n_sims, args.seed)
    start = time.process_time()
    summary = fc.backtest(
        origins=args.origins,
        horizons=args.horizons,
        codes=args.authorities,
        n_sims=args.n_sims,
        seed=args.seed,
    )
    backtest_cpu = time.process_time() - start

    command = "`.venv/bin/python bench/forecast_backtest.py " + " ".join(argv or sys.argv[1:]) + "`"
    out = [
        "## Results",
        "",
        f"Command: {command.replace(' `', '`')}",
        "",
        f"Settings: {args.n_sims} simulations, seed {args.seed}, defaults of `project` "
        f"(exit damping {fc.EXIT_DAMPING}, inflation {fc.INFLATION}, population flat, window all years).",
        "",
        "### Coverage and error, by origin and years ahead",
        "",
        *_cell_table(summary),
        "",
        "### By size of authority (all origins and horizons)",
        "",
        *_by_size(summary),
        "",
        "### Not forecast, and why",
        "",
        *_skipped(summary),
        "",
        "### Speed",
        "",
        f"- Reading the three published tables (a published-source report reads the first already): "
        f"{tables:.2f} s CPU.",
        f"- First forecast in a process (the panels and England's rate variation, tables read): "
        f"{cold:.2f} s CPU.",
        f"- Then per authority (history, 1,000-simulation projection over 3 years, sentences): "
        f"mean {1000 * per_authority:.1f} ms CPU, slowest {1000 * slowest:.1f} ms.",
        f"- The whole back-test ({len(summary.rows)} comparisons): {backtest_cpu:.1f} s CPU.",
        "",
    ]
    if args.grid:
        valid = [o for o in args.origins if fc.time_period(o) >= 2023]
        out += [
            f"### Sensitivity (origins {', '.join(valid)}, horizons 1 and 2 pooled)",
            "",
            *_grid(valid, args.authorities, args.n_sims, args.seed),
            "",
            "### The mix by placement type and age band: mean absolute error of the shares",
            "",
            *_mix_backtest(valid, codes, args.horizons),
            "",
        ]
    if args.write:
        data = json.dumps(fc.summary_json(summary), indent=1, sort_keys=True)
        args.write.write_text(data + "\n", encoding="utf-8")
    text = "\n".join(out)
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
