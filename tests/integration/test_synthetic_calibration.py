"""Synthetic returns reproduce the authority's published DfE figures, through the 903 engine.

Three authorities of very different size (Leicestershire ~700 children looked after, Southwark
~400, Rutland ~30), five collection years each (2020-21 to 2024-25). The synthetic returns are
read by the indicator engine (:mod:`reportgen.indicators.engine`) exactly as real returns are, and
its figures are compared with :func:`reportgen.indicators.published.published_values`:

* children looked after on 31 March, starts and ceased: within 5% or 5 children;
* reasons ceased, placement mix on 31 March, placement stability (3+ placements), care leavers
  in touch / in education, employment or training / in suitable accommodation: within 3
  percentage points, or, for shares of a few children, within one child of the target count
  rounded to a whole number (Rutland ceases care for about 10 children a year: one child is 10
  points, and a suppressed group's target can be a fraction of a child).

Where the authority's figure is suppressed (``c``) or not applicable, the target is the
generator's England fallback (:mod:`reportgen.sources.synthetic.targets`): for a single percentage
England's percentage, and within a breakdown (reasons ceased, placement mix) England's shares of
what the authority's published groups leave of its total, so that the breakdown still adds up. Run ``python tests/integration/test_synthetic_calibration.py``
to print the whole comparison table.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen.indicators.published import ENGLAND_CODE, published_values
from reportgen.sources import choose
from reportgen.sources.synthetic.targets import (
    CARE_LEAVER_BANDS,
    CEASED_GROUPS,
    PLACEMENT_GROUPS,
    filled_group_counts,
    filled_pct,
)

AUTHORITIES = {"E10000018": "Leicestershire", "E09000028": "Southwark", "E06000017": "Rutland"}
YEARS = (2021, 2022, 2023, 2024, 2025)
BREAKDOWNS = (("ceased_", CEASED_GROUPS, "ceased"), ("placement_", PLACEMENT_GROUPS, "cla_at_end"))
"""(indicator prefix, groups, the authority's total they share): reasons ceased, placement mix."""
CARE_LEAVERS = tuple(
    (f"cl_{band}_{what}_pct", f"cl_{band}_count")
    for band in CARE_LEAVER_BANDS
    for what in ("in_touch", "eet", "suitable_accom")
)


@dataclass(frozen=True)
class Check:
    authority: str
    year: int
    indicator: str
    got: float | None
    target: float | None
    source: str  # "LA" or "England"
    tolerance: float
    unit: str  # "count" or "pp"

    denominator: float = 0.0  # children the share is of (0 for counts)

    @property
    def ok(self) -> bool:
        if self.target is None or self.got is None:
            return True  # nothing to compare (not published anywhere, or no cohort)
        if abs(self.got - self.target) <= self.tolerance + 1e-9:
            return True
        if self.unit != "pp" or not self.denominator:
            return False
        # a share of a few children: the count may be one child from the target's nearest
        # whole number (a target of 1.3 children can only be met as 1)
        got, target = (v * self.denominator / 100.0 for v in (self.got, self.target))
        return abs(got - round(target)) <= 1.0 + 1e-9

    def __str__(self) -> str:
        got = "-" if self.got is None else f"{self.got:.1f}"
        target = "-" if self.target is None else f"{self.target:.1f}"
        return (
            f"{self.authority} {self.year} {self.indicator}: {got} vs {target} ({self.source}), "
            f"tolerance {self.tolerance:.1f} {self.unit}"
        )


def _published() -> dict[tuple[str, str, int], float]:
    frame = published_values()
    frame = frame[frame["new_la_code"].isin([*AUTHORITIES, ENGLAND_CODE])]
    return {
        (r.new_la_code, r.indicator, int(r.year)): float(r.value)
        for r in frame.itertuples()
        if r.value == r.value
    }


def _shares(pub, code: str, prefix: str, groups, whole: str, year: int) -> dict:
    """{indicator: (percent, source)} for a breakdown of the authority's published ``whole``:
    its published counts, and for the suppressed groups the generator's England fallback."""
    parts = [f"{prefix}{g}" for g in groups]
    total = pub.get((code, whole, year))
    if not total:
        return {p: (None, "-") for p in parts}
    counts = filled_group_counts(prefix, groups, code, year, total, published_values)
    return {
        p: (100.0 * counts[g] / total, "LA" if (code, p, year) in pub else "England")
        for p, g in zip(parts, groups, strict=True)
    }


def _pct(pub, code: str, indicator: str, year: int) -> tuple[float | None, str]:
    """(percent, source): the authority's published figure, else the generator's fallback."""
    if (code, indicator, year) in pub:
        return pub[(code, indicator, year)], "LA"
    value = filled_pct(indicator, code, published_values).get(year)
    return (value, "England") if value is not None else (None, "-")


def calibration_checks(code: str, folder: Path) -> list[Check]:
    """Every comparison for one authority's synthetic returns in ``folder``."""
    from reportgen.indicators import engine

    pub = _published()
    history = choose.load_history(folder)
    checks: list[Check] = []
    for year in YEARS:
        got = engine.values(history, code, f"{year - 1}-{year % 100:02d}")

        def add(indicator, value, target, source, tolerance, unit="pp", n=0.0, year=year):
            checks.append(Check(code, year, indicator, value, target, source, tolerance, unit, n))

        for ind in ("cla_at_end", "started", "ceased"):
            target = pub.get((code, ind, year))
            tolerance = max(0.05 * target, 5.0) if target is not None else 0.0
            add(ind, got.get(ind), target, "LA", tolerance, "children")
        for prefix, groups, whole in BREAKDOWNS:
            total = got.get(whole) or 0.0
            for ind, (target, source) in _shares(pub, code, prefix, groups, whole, year).items():
                value = None if not total else 100.0 * (got.get(ind) or 0.0) / total
                add(f"{ind} share", value, target, source, 3.0, n=total)
        cla = got.get("cla_at_end") or 0.0
        target, source = _pct(pub, code, "stability_3plus_pct", year)
        add("stability_3plus_pct", got.get("stability_3plus_pct"), target, source, 3.0, n=cla)
        for ind, count in CARE_LEAVERS:
            target, source = _pct(pub, code, ind, year)
            add(ind, got.get(ind), target, source, 3.0, n=got.get(count) or 0.0)
    return checks


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    from reportgen.sources import synthetic

    out = tmp_path_factory.mktemp("calibration")
    done = synthetic.generate_many(
        list(AUTHORITIES), "2020-21:2024-25", seed=0, out=out, published=published_values
    )
    return {r.authority: r.folder for r in done}


@pytest.mark.slow
@pytest.mark.parametrize("code", list(AUTHORITIES))
def test_synthetic_returns_match_published_figures(code, generated):
    checks = calibration_checks(code, generated[code])
    compared = [c for c in checks if c.target is not None and c.got is not None]
    assert len(compared) >= 80, f"only {len(compared)} figures compared for {code}"
    failures = [str(c) for c in checks if not c.ok]
    assert not failures, "\n".join(failures)


def main() -> int:
    """Print the comparison table (``python tests/integration/test_synthetic_calibration.py``)."""
    import tempfile

    from reportgen.sources import synthetic

    out = Path(tempfile.mkdtemp(prefix="synth-calibration-"))
    done = synthetic.generate_many(
        list(AUTHORITIES), "2020-21:2024-25", seed=0, out=out, published=published_values
    )
    worst: dict[tuple[str, str], float] = {}
    for result in done:
        for check in calibration_checks(result.authority, result.folder):
            flag = "" if check.ok else "  <-- outside tolerance"
            print(f"{check}{flag}")
            if check.got is not None and check.target is not None:
                key = (AUTHORITIES[check.authority], check.indicator)
                gap = abs(check.got - check.target)
                worst[key] = max(worst.get(key, 0.0), gap)
    print("\nLargest gap over the five years (children for counts, points for shares):")
    for (name, ind), gap in sorted(worst.items()):
        print(f"  {name:15} {ind:45} {gap:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
