"""Simulate an authority's children looked after, event by event, over several years.

The simulation runs in days (integers counted from 1 January 1970) and in three steps:

1. **Periods of care** (:func:`_plan_periods`), vectorised year by year. An initial stock of children
   already in care is drawn from the published age profile; each year new children start (the
   published number, some of them re-entering care), every child reaching 18 leaves on the
   birthday, and enough others leave, for the published reasons, to bring the stock to the
   published figure for 31 March. Who leaves, when and why follows simple weights (adoption for
   young children after about two years, returns home often soon after entry, and so on).
2. **Stories** (:func:`_stories`), one loop over periods of care: legal statuses (police protection
   or an emergency protection order, then section 20 or an interim care order, then a full care
   order; a placement order on the adoption pathway, sometimes reversed), placement moves, the
   adoption pathway (decision, placement order, match, placement with new carers or fostering for
   adoption carers, order), 18th birthdays (staying put), temporary placements and returns.
   Two quota passes then make the figures match the published ones exactly where the DfE counts
   whole children: moves are added or removed so that the share with three or more placements in
   each year is the published one, and the placement type of every placement open on a 31 March
   is chosen, oldest first, so that the mix on that day is the published one.
3. **Episodes** (:func:`_episodes`): the story of each period is cut into 903 episodes wherever the
   legal status, placement or carer changes, with the reason for each new episode (S, L, P, T, B,
   U), the reason each ended and why a placement changed, postcodes, providers and URNs.

Short breaks (V3) and the other 903 tables are derived in :mod:`.tables`.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from reportgen.sources.synthetic.postcodes import PostcodeBank
from reportgen.sources.synthetic.targets import Targets

EPOCH = date(1970, 1, 1).toordinal()
YEAR = 365.25
WARMUP_YEARS = 3
"""Years simulated before the first requested one: care leavers aged 21 in the first year left
care at 18 three years earlier."""

P2_LAST_DAY = date(2023, 10, 28).toordinal() - EPOCH
"""P2 (independent living) may not be open after this day (V lac2023_24/rule_217t)."""
URN_H5_FROM = P2_LAST_DAY
"""H5 needs an Ofsted URN from 28 October 2023 (V lac2023_24/rule_230)."""
K3_FROM = date(2024, 4, 1).toordinal() - EPOCH
"""K3 (registered supported accommodation) exists from 2024-25."""
CODES_2026 = date(2025, 4, 1).toordinal() - EPOCH
"""From 2025-26 H5, P2 and Z1 are gone (K3 and Z11-Z14 stay; V lac2025_26/rule_146)."""


def day(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal() - EPOCH


def to_date(n: int) -> date:
    return date.fromordinal(n + EPOCH)


def year_start(y: int) -> int:
    return day(y - 1, 4, 1)


def year_end(y: int) -> int:
    return day(y, 3, 31)


def year_of(n: int) -> int:
    """Collection (end) year containing day ``n``."""
    d = to_date(n)
    return d.year + 1 if d.month >= 4 else d.year


class Draws:
    """A fast stream of uniform numbers from a numpy Generator (drawn in blocks).

    ``u()`` is the bound ``__next__`` of an endless chain of blocks, so each number costs one
    C-level call; the order of the numbers is fixed by the Generator, so results are
    deterministic.
    """

    __slots__ = ("rng", "u")

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        blocks = iter(lambda: rng.random(1 << 14).tolist(), None)
        self.u = itertools.chain.from_iterable(blocks).__next__

    def below(self, n: int) -> int:
        k = int(self.u() * n)
        return k if k < n else n - 1

    def between(self, lo: int, hi: int) -> int:
        """Integer in [lo, hi]."""
        if hi <= lo:
            return lo
        n = hi - lo + 1
        k = int(self.u() * n)
        return lo + (k if k < n else n - 1)

    def expo(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def pick(self, items: tuple, cum: tuple[float, ...]):
        return items[bisect_right(cum, self.u() * cum[-1])]


def cumulative(weights: dict) -> tuple[tuple, tuple[float, ...]]:
    items = tuple(k for k, w in weights.items() if w > 0)
    cum, total = [], 0.0
    for k in items:
        total += weights[k]
        cum.append(total)
    return items, tuple(cum)


# --------------------------------------------------------------------------------------------
# Population containers


@dataclass
class Children:
    """One entry per child (index = child number)."""

    dob: list[int] = field(default_factory=list)
    female: list[bool] = field(default_factory=list)
    uasc: list[bool] = field(default_factory=list)
    short_breaks: list[bool] = field(default_factory=list)
    home: list[int] = field(default_factory=list)  # postcode bank row, -1 for none
    _birthdays: dict = field(default_factory=dict)

    def add(self, dob: int, female: bool, uasc: bool, home: int, short_breaks=False) -> int:
        d = to_date(dob)
        if (d.month, d.day) in ((2, 29), (3, 31)):
            dob -= 1  # no leap-day birthdays; none on the last day of a collection year
        elif (d.month, d.day) == (4, 1):
            dob += 1  # nor on its first (SDQ age rules 189 and 197B disagree on that day)
        self.dob.append(dob)
        self.female.append(female)
        self.uasc.append(uasc)
        self.short_breaks.append(short_breaks)
        self.home.append(home)
        return len(self.dob) - 1

    def birthday(self, child: int, age: int) -> int:
        """Day of the child's ``age``-th birthday."""
        key = child * 64 + age
        found = self._birthdays.get(key)
        if found is None:
            d = to_date(self.dob[child])
            found = date(d.year + age, d.month, d.day).toordinal() - EPOCH
            self._birthdays[key] = found
        return found

    def age(self, child: int, when: int) -> int:
        """Whole years on day ``when``."""
        approx = int((when - self.dob[child]) / YEAR)
        if approx < 0:
            return -1
        approx = min(approx, 29)
        if self.birthday(child, approx + 1) <= when:
            return approx + 1
        if self.birthday(child, approx) > when:
            return approx - 1
        return approx


@dataclass
class Period:
    """A period of care and everything that happens in it."""

    child: int
    start: int
    end: int | None  # day care ended (DEC); None = still looked after at the horizon
    group: str  # adopted, sgo, returned_home, independent_living, other, at18, open
    future_end: int | None = None  # planned end beyond the horizon (adoption pipeline)
    reentry: bool = False
    cin: str = "N1"
    rec: str | None = None
    ls: list[tuple[int, str]] = field(default_factory=list)
    moves: list[int] = field(default_factory=list)
    protected: set = field(default_factory=set)
    placements: list[list] = field(default_factory=list)
    excursions: list[tuple[int, int, str, int]] = field(default_factory=list)
    adoption: dict | None = None
    reviews: list[int] = field(default_factory=list)

    def last_day(self, horizon: int) -> int:
        """Last day the story needs: the end, or the horizon for periods still open."""
        return self.end if self.end is not None else horizon + 1


# --------------------------------------------------------------------------------------------
# Step 1: periods of care, year by year


def _age_days(draws: Draws, band: str) -> int:
    if band == "under_1":
        return draws.between(0, 20) if draws.u() < 0.45 else draws.between(21, 364)
    if band == "16_plus":  # more start at 16 than at 17
        return int((16 + 1.9 * draws.u() ** 2.5) * YEAR)
    lo, hi = {"1_4": (1, 5), "5_9": (5, 10), "10_15": (10, 16)}[band]
    return draws.between(int(lo * YEAR) + 1, int(hi * YEAR) - 40)


def _uasc_age_days(draws: Draws) -> int:
    years = 16 + 2 * draws.u() if draws.u() < 0.75 else 14 + 2 * draws.u()
    return min(int(years * YEAR), int(18 * YEAR) - 40)


@dataclass
class Plan:
    children: Children
    periods: list[Period]
    first_year: int
    last_year: int
    sim_first: int
    horizon: int


def _home(draws: Draws, inside: np.ndarray) -> int:
    return int(inside[draws.below(len(inside))]) if len(inside) else -1


def _largest_remainder(total: int, shares: dict[str, float]) -> dict[str, int]:
    raw = {k: total * v for k, v in shares.items()}
    out = {k: int(math.floor(v)) for k, v in raw.items()}
    left = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[: max(left, 0)]:
        out[k] += 1
    return out


def plan_periods(
    t: Targets, years: list[int], bank: PostcodeBank, authority: str, draws: Draws
) -> Plan:
    rng = draws.rng
    first, last = min(years), max(years)
    sim_first = first - WARMUP_YEARS
    horizon = year_end(last)
    kids = Children()
    inside = bank.inside(authority)
    periods: list[Period] = []

    published_first = min(t.cla)

    def stock_target(y: int) -> float:
        if y >= published_first:
            return t.count("cla", y)
        f = published_first
        return t.count("cla", f) - t.count("started", f) + t.count("ceased", f)

    def started(y: int) -> float:
        return t.count("started", max(y, published_first))

    def ceased(y: int) -> float:
        if y >= published_first:
            return t.count("ceased", y)
        return started(y)

    def new_child(dob: int, uasc: bool) -> int:
        female = draws.u() < (0.08 if uasc else 0.45)
        return kids.add(dob, female, uasc, -1 if uasc else _home(draws, inside))

    # the stock on the day before the simulation starts
    t0 = year_start(sim_first)
    n0 = max(int(round(stock_target(sim_first - 1))), 0)
    bands, cum = cumulative(t.stock_age_shares)
    for _ in range(n0):
        uasc = draws.u() < t.uasc_stock_share
        age = _uasc_age_days(draws) if uasc else _age_days(draws, draws.pick(bands, cum))
        age = max(age, 1)
        dob = t0 - 1 - age
        if uasc:
            tic = draws.between(7, max(int(min(age - 13.6 * YEAR, 2.5 * YEAR)), 8))
        else:
            tic = min(int(draws.expo(2.6 * YEAR)) + 3, age)
        child = new_child(dob, uasc)
        periods.append(Period(child, t0 - 1 - tic, None, "open"))

    start_bands, start_cum = cumulative(t.start_age_shares)
    # non-UASC starters: take the UASC starters (mostly 16+) out of the age mix
    uasc_start = min(t.uasc_start_share, 0.6)
    adjusted = dict(t.start_age_shares)
    adjusted["16_plus"] = max(adjusted["16_plus"] - 0.75 * uasc_start, 0.02)
    adjusted["10_15"] = max(adjusted["10_15"] - 0.25 * uasc_start, 0.02)
    start_bands, start_cum = cumulative(adjusted)

    left_pool: list[int] = []  # periods ended by a return home etc. (re-entry candidates)
    for y in range(sim_first, last + 1):
        ys, ye = year_start(y), year_end(y)
        open_ids = [i for i, p in enumerate(periods) if p.end is None]
        stock_start = len(open_ids)

        # new starts, a share of them children coming back into care
        n_start = max(int(round(started(y))), 0)
        n_re = int(round(n_start * 0.09))
        re_cands = [
            i
            for i in left_pool
            if periods[i].end < ys and kids.birthday(periods[i].child, 17) > ys + 120
        ]
        re_cands = [i for i in re_cands if not kids.uasc[periods[i].child]]
        chosen_re: list[int] = []
        if re_cands and n_re:
            picks = rng.choice(len(re_cands), size=min(n_re, len(re_cands)), replace=False)
            chosen_re = sorted(re_cands[k] for k in picks)
        used_children = set()
        new_ids = []
        for i in chosen_re:
            child = periods[i].child
            if child in used_children:
                continue
            lo = max(ys, periods[i].end + 45)
            hi = min(ye, kids.birthday(child, 17) - 1)
            if lo > hi:
                continue
            used_children.add(child)
            left_pool.remove(i)
            periods.append(Period(child, draws.between(lo, hi), None, "open", reentry=True))
            new_ids.append(len(periods) - 1)
        uasc_start = min(t.uasc_start(max(y, published_first)), 0.6)
        bands_y, cum_y = _entry_bands(
            periods, kids, open_ids, adjusted, t, y, stock_target(y), n_start, ceased(y)
        )
        for _ in range(n_start - len(new_ids)):
            entry = draws.between(ys, ye)
            uasc = draws.u() < uasc_start
            age = _uasc_age_days(draws) if uasc else _age_days(draws, draws.pick(bands_y, cum_y))
            child = new_child(entry - age, uasc)
            periods.append(Period(child, entry, None, "open"))
            new_ids.append(len(periods) - 1)

        live = open_ids + new_ids
        # 18th birthdays in the year end care
        forced = []
        for i in live:
            p = periods[i]
            b18 = kids.birthday(p.child, 18)
            if ys <= b18 <= ye and b18 > p.start:
                p.end, p.group = b18, "at18"
                forced.append(i)

        quota = stock_start + len(new_ids) - int(round(stock_target(y)))
        published = ceased(y)
        slack = max(0.035 * published, 3.0)
        quota = int(round(min(max(quota, published - slack), published + slack)))
        shares = t.ceased_share(y)
        wanted = _largest_remainder(max(quota, len(forced)), shares)
        # more 18th birthdays than those reasons allow: more leave this year (within the
        # published figure's tolerance), so the other reasons keep their share
        limit = int(published + max(0.045 * published, 4.0))
        while quota < limit and len(forced) > sum(
            wanted[k] for k in ("independent_living", "other", "returned_home")
        ):
            quota += 1
            wanted = _largest_remainder(max(quota, len(forced)), shares)
        # why those reaching 18 leave: independent living first (most moves to independence
        # happen at 18), then the other reasons (staying put, E8), then home to their family
        n_forced = len(forced)
        n_indep18 = min(n_forced, int(round(0.85 * wanted["independent_living"])))
        n_other18 = min(n_forced - n_indep18, wanted["other"])
        n_home18 = min(n_forced - n_indep18 - n_other18, wanted["returned_home"])
        order = rng.permutation(n_forced)
        for k, j in enumerate(order):
            if k < n_indep18:
                group = "independent_living"
            elif k < n_indep18 + n_other18 or k >= n_indep18 + n_other18 + n_home18:
                group = "at18"
            else:
                group = "returned_home"
            periods[forced[j]].group = group
        wanted["independent_living"] -= n_indep18
        wanted["other"] -= n_forced - n_indep18 - n_home18
        wanted["returned_home"] -= n_home18
        discretionary = max(quota - len(forced), 0)
        for key in ("other", "independent_living", "returned_home"):
            wanted[key] = max(wanted[key], 0)
        wanted = (
            _largest_remainder(
                discretionary, {k: v / max(sum(wanted.values()), 1) for k, v in wanted.items()}
            )
            if sum(wanted.values())
            else {k: 0 for k in wanted}
        )

        cands = [i for i in live if periods[i].end is None]
        # too many teenagers for the published age profile: more of them leave before 18
        older = sum(1 for i in cands if ye - kids.dob[periods[i].child] >= 16 * YEAR)
        wanted16 = stock_target(y) * t.stock_age(max(y, published_first))["16_plus"]
        boost = 1.0 + 3.0 * max(older - len(cands) + quota - wanted16, 0.0) / max(wanted16, 1.0)
        _choose_leavers(periods, kids, cands, wanted, ys, ye, rng, boost)
        for i in live:
            p = periods[i]
            if p.end is not None and p.group in ("returned_home", "other") and p.end <= ye:
                left_pool.append(i)

    # children still in care at the horizon: some are on the adoption pathway
    open_ids = [i for i, p in enumerate(periods) if p.end is None]
    n_future = int(round(t.ceased_share(last)["adopted"] * ceased(last)))
    young = [
        i
        for i in open_ids
        if not kids.uasc[periods[i].child]
        and periods[i].start - kids.dob[periods[i].child] < 4 * YEAR
        and horizon - periods[i].start > 120
        and horizon - kids.dob[periods[i].child] < 7 * YEAR
    ]
    if young and n_future:
        picks = rng.choice(len(young), size=min(n_future, len(young)), replace=False)
        for k in sorted(picks):
            p = periods[young[k]]
            lo = max(horizon + 30, p.start + 330)
            p.future_end = draws.between(lo, lo + 330)
            p.group = "adopted"
    return Plan(kids, periods, first, last, sim_first, horizon)


_BAND_EDGES = (
    ("under_1", 0, 1),
    ("1_4", 1, 5),
    ("5_9", 5, 10),
    ("10_15", 10, 16),
    ("16_plus", 16, 18),
)


def _entry_bands(periods, kids, open_ids, start_mix, t, y, stock_target, n_start, n_ceased):
    """Age bands for the year's new starters: a quarter the published starting ages, the rest what the
    stock on 31 March lacks against its published age profile (so small authorities keep
    their profile)."""
    ye = year_end(y)
    counts = dict.fromkeys(start_mix, 0.0)
    for i in open_ids:
        age = (ye - kids.dob[periods[i].child]) / YEAR
        for band, lo, hi in _BAND_EDGES:
            if lo <= age < hi:
                counts[band] += 1
                break
    total = sum(counts.values())
    keep = max(1.0 - max(n_ceased - 0.0, 0.0) / max(total + n_start, 1.0), 0.0)
    target = {b: stock_target * v for b, v in t.stock_age(max(y, min(t.cla))).items()}
    deficit = {b: max(target[b] - counts[b] * keep, 0.0) for b in start_mix}
    if sum(deficit.values()) <= 0:
        return cumulative(start_mix)
    scale = sum(deficit.values())
    mix = {b: 0.25 * start_mix[b] + 0.75 * deficit[b] / scale for b in start_mix}
    return cumulative(mix)


def _choose_leavers(periods, kids, cands, wanted, ys, ye, rng, older_boost=1.0) -> None:
    """Pick who leaves care in the year for each reason, and when (vectorised per reason)."""
    if not cands:
        return
    idx = np.asarray(cands, dtype=np.int64)
    start = np.array([periods[i].start for i in cands], dtype=np.int64)
    child = [periods[i].child for i in cands]
    dob = np.array([kids.dob[c] for c in child], dtype=np.int64)
    b16 = np.array([kids.birthday(c, 16) for c in child], dtype=np.int64)
    b18 = np.array([kids.birthday(c, 18) for c in child], dtype=np.int64)
    uasc = np.array([kids.uasc[c] for c in child], dtype=bool)
    taken = np.zeros(len(cands), dtype=bool)
    age_start = (start - dob) / YEAR
    specs = {
        "adopted": 330,
        "sgo": 150,
        "independent_living": 30,
        "other": 7,
        "returned_home": 2,
    }
    for reason in ("adopted", "sgo", "independent_living", "other", "returned_home"):
        k = wanted.get(reason, 0)
        if k <= 0:
            continue
        lo = np.maximum(ys, start + specs[reason])
        hi = np.minimum(ye - 1, b18 - 1)  # not on 31 March: OC2 (V rule 187)
        if reason == "independent_living":
            lo = np.maximum(lo, b16 + 1)
        ok = (lo <= hi) & ~taken
        mid = (lo + hi) / 2.0
        tic = (mid - start) / YEAR
        age_mid = (mid - dob) / YEAR
        if reason == "adopted":
            ok &= ~uasc & (age_start < 5) & (age_mid < 9)
            w = np.exp(-(((tic - 1.8) / 1.1) ** 2)) * np.where(age_start < 1, 2.5, 1.0)
        elif reason == "sgo":
            ok &= ~uasc & (age_mid < 16.5)
            w = np.where(age_mid < 5, 2.0, np.where(age_mid < 10, 1.4, 0.6))
        elif reason == "independent_living":
            w = np.where(uasc, 1.5, 1.0) * np.where(age_mid >= 17, 3.0, 1.0)
        elif reason == "other":
            w = np.where(uasc, 4.0, np.where(age_mid >= 10, 1.5, 0.6))
            w = w * np.where(age_mid >= 16.5, older_boost, 1.0)
        else:
            w = np.where(tic < 0.25, 4.0, np.where(tic < 1, 2.0, 0.8)) * np.where(uasc, 0.05, 1.0)
            w = w * np.where(age_mid >= 10, 1.3, 1.0) * np.where(age_mid >= 16.5, older_boost, 1.0)
        w = np.where(ok, np.maximum(w, 1e-6), 0.0)
        n_ok = int(ok.sum())
        if n_ok == 0:
            continue
        size = min(k, n_ok)
        pick = rng.choice(len(cands), size=size, replace=False, p=w / w.sum())
        pick.sort()
        ends = rng.integers(lo[pick], hi[pick] + 1)
        for j, e in zip(pick.tolist(), ends.tolist(), strict=True):
            p = periods[idx[j]]
            p.end, p.group = int(e), reason
            taken[j] = True


# --------------------------------------------------------------------------------------------
# Step 2: stories


NEEDS = {
    "N1": 0.6,
    "N2": 0.03,
    "N3": 0.03,
    "N4": 0.1,
    "N5": 0.14,
    "N6": 0.03,
    "N7": 0.01,
    "N8": 0.06,
}


def _legal_statuses(p: Period, kids: Children, t: Targets, draws: Draws, last: int) -> None:
    """The legal status timeline of a period (adoption pathway statuses added later)."""
    s = p.start
    uasc = kids.uasc[p.child]
    age = (s - kids.dob[p.child]) / YEAR
    length = last - s
    if uasc:
        p.ls = [(s, "V2")]
        return
    if p.group == "other" and age >= 12 and length <= 200 and draws.u() < 0.25:
        p.ls = [(s, "J1")]
        p.rec = "E14" if draws.u() < 0.75 else "E9"
        return
    weights = dict(t.start_legal_shares)
    weights.pop("J1", None)
    if p.group == "adopted" or (p.adoption is not None):
        weights = {"C1": 0.85, "L2": 0.1, "L1": 0.05}
    items, cum = cumulative(weights)
    first = draws.pick(items, cum)
    ls = [(s, first)]
    t_now, current = s, first
    if first == "L1":
        t_now = s + draws.between(1, 2)
        current = "C1" if draws.u() < 0.45 else "V2"
    elif first == "L2":
        t_now = s + draws.between(3, 8)
        current = "C1"
    if t_now >= last - 1:
        p.ls = ls
        return
    if current != first:
        ls.append((t_now, current))
    if current == "V2" and last - t_now > 150 and draws.u() < 0.3:
        t_now = t_now + draws.between(30, min(300, last - t_now - 60))
        current = "C1"
        ls.append((t_now, current))
    if current == "C1":
        c2 = t_now + draws.between(180, 420)
        if c2 < last - 10:
            ls.append((c2, "C2"))
    p.ls = ls


def _adoption_pathway(p: Period, t: Targets, draws: Draws, horizon: int, mean_placed: float):
    """Decision, placement order, match, placement (and reversal) dates of a period."""
    s = p.start
    if p.group == "adopted":
        e = p.end if p.end is not None else p.future_end
        typical = mean_placed(year_of(e))
        placed = e - int(max(typical * (0.6 + 0.8 * draws.u()), 70))
        placed = max(placed, s + 90)
        gap = placed - s
        decision = s + int(gap * (0.3 + 0.25 * draws.u()))
        decision = max(decision, s + 20)
        match = placed - draws.between(7, max(8, min(60, (placed - decision) // 3)))
        match = max(match, decision + 1)
        order = decision + draws.between(7, max(8, min(120, (match - decision) - 1)))
        order = min(order, placed - 1)
        ffa = draws.u() < 0.18
        p.adoption = {
            "decision": decision,
            "order": order,
            "match": match,
            "placed": placed,
            "ffa": ffa,
            "ceased": None,
            "reason_ceased": None,
        }
        return
    # reversals: a decision and placement order for a young child who then leaves another way
    if p.end is not None and p.group in ("sgo", "returned_home") and draws.u() < 0.2:
        length = p.end - s
        if length > 420:
            decision = s + draws.between(120, 240)
            order = decision + draws.between(14, 90)
            ceased = order + draws.between(60, max(61, min(300, p.end - order - 45)))
            if ceased < p.end - 30:
                p.adoption = {
                    "decision": decision,
                    "order": order,
                    "match": None,
                    "placed": None,
                    "ffa": False,
                    "ceased": ceased,
                    "reason_ceased": ("RD1", "RD2", "RD3", "RD4")[
                        draws.pick((0, 1, 2, 3), (0.4, 0.6, 0.85, 1.0))
                    ],
                }


def _placed_quota(plan: Plan, t: Targets, draws: Draws) -> None:
    """Move adoption placement dates across 31 March so that the published number of children
    are placed for adoption on that day (placing some a little earlier or later)."""
    pathway = [
        p for p in plan.periods if p.adoption is not None and p.adoption["placed"] is not None
    ]
    for y in range(plan.first_year, plan.last_year + 1):
        ye = year_end(y)
        stock = sum(1 for p in plan.periods if p.start <= ye and (p.end is None or p.end > ye))
        target = int(round(t.placement_share(y)["placed_for_adoption"] * stock))

        def finish(p: Period) -> int:
            return p.end if p.end is not None else p.future_end

        placed = [p for p in pathway if p.adoption["placed"] <= ye < finish(p)]
        waiting = [
            p
            for p in pathway
            if p.adoption["placed"] > ye
            and p.adoption["decision"] + 40 <= ye
            and finish(p) > ye + 75
            and p.start + 120 <= ye
        ]
        if len(placed) < target:
            for p in waiting[: target - len(placed)]:
                a = p.adoption
                new = ye - draws.between(0, min(60, ye - a["decision"] - 35))
                a["placed"] = new
                a["match"] = min(a["match"], new - draws.between(1, 14))
                a["match"] = max(a["match"], a["decision"] + 1)
                a["order"] = min(a["order"], new - 1)
                a["order"] = max(a["order"], a["decision"])
        elif len(placed) > target:
            for p in placed[: len(placed) - target]:
                a = p.adoption
                if finish(p) - ye > 90:
                    a["placed"] = ye + draws.between(1, 30)


def _apply_adoption_statuses(p: Period) -> None:
    a = p.adoption
    if a is None:
        return
    order, ceased = a["order"], a["ceased"]
    ls = [(d, s) for d, s in p.ls if d < order]
    if not ls:
        ls = [(p.start, "C1")]
    if ls[-1][1] not in ("C1", "C2"):
        ls.append((order - 1 if order - 1 > ls[-1][0] else order, "C1"))
        if ls[-1][0] == order:
            ls.pop()
    ls.append((order, "E1"))
    if ceased is not None:
        ls.append((ceased, "C2"))
    p.ls = ls


def _moves(
    p: Period, kids: Children, draws: Draws, last: int, rate: float, step_down: float = 0.0
) -> None:
    """New-carer moves of a period (a Poisson process, faster early on and for teenagers)."""
    s = p.start
    age0 = (s - kids.dob[p.child]) / YEAR
    moves = []
    tt = s
    ls_days = {d for d, _ in p.ls}
    stop = last - 5
    a = p.adoption
    if a is not None and a["placed"] is not None:
        stop = min(stop, a["placed"] - 30)
        if a["ffa"]:
            stop = min(stop, a["ffa_start"] - 14) if "ffa_start" in a else stop
    while True:
        # the hazard of a move falls the longer a placement lasts: most moves happen early,
        # and a placement that has lasted a year usually lasts (long-term stability)
        age = age0 + (tt - s) / YEAR
        teen = 1.7 if age >= 12 else 1.0
        first = 1.6 if tt == s else 1.0
        gap = 0
        for span, hazard in ((90, 1.6), (275, 0.55), (10**6, 0.07)):
            wait = draws.expo(YEAR / (rate * hazard * teen * first))
            if wait < span:
                gap += int(wait)
                break
            gap += span
        tt += max(gap, 7)
        if tt >= stop:
            break
        if tt in ls_days:
            tt += 1
        moves.append(tt)
    # many move on to supported accommodation at 16 or 17
    if a is None and not kids.short_breaks[p.child] and draws.u() < step_down:
        b16 = kids.birthday(p.child, 16)
        when = b16 + draws.between(0, int(1.7 * YEAR))
        if p.start + 30 < when < stop and all(abs(when - m) > 30 for m in moves):
            if when not in ls_days:
                moves.append(when)
    if a is not None and a["placed"] is not None:
        if a["ffa"]:
            ffa_start = a["ffa_start"]
            moves = [m for m in moves if m < ffa_start - 14]
            if ffa_start > s:
                moves.append(ffa_start)
                p.protected.add(ffa_start)
        else:
            moves.append(a["placed"])
            p.protected.add(a["placed"])
    p.moves = sorted(set(moves))


def _count_in_year(p: Period, ys: int, ye: int) -> int:
    """Placements in the year (the one open on 1 April or at the start, plus each move)."""
    lo = max(ys, p.start)
    return 1 + sum(1 for m in p.moves if lo < m <= ye)


def _stability_quota(plan: Plan, t: Targets, draws: Draws, rng) -> None:
    """Add or remove moves so that the published share has 3+ placements in each year."""
    periods = plan.periods
    for y in range(plan.first_year, plan.last_year + 1):  # warm-up years are not written
        ys, ye = year_start(y), year_end(y)
        stock = [
            p
            for p in periods
            if p.start <= ye
            and (p.end is None or p.end > ye)
            and not plan.children.short_breaks[p.child]
        ]
        if not stock:
            continue
        target = int(round(t.stability(y) / 100.0 * len(stock)))
        counts = [_count_in_year(p, ys, ye) for p in stock]
        have = sum(c >= 3 for c in counts)
        if have < target:
            need = target - have
            two = [k for k, c in enumerate(counts) if c == 2]
            one = [k for k, c in enumerate(counts) if c == 1]
            order = [two[j] for j in rng.permutation(len(two))] + [
                one[j] for j in rng.permutation(len(one))
            ]
            for k in order:
                if need == 0:
                    break
                p = stock[k]
                added = 0
                for _ in range(3 - counts[k]):
                    if _add_move(p, ys, ye, draws):
                        added += 1
                if _count_in_year(p, ys, ye) >= 3:
                    need -= 1
        elif have > target:
            extra = have - target
            over = [k for k, c in enumerate(counts) if c >= 3]
            over = [over[j] for j in rng.permutation(len(over))]
            over.sort(key=lambda k: counts[k])  # fewest moves to undo first
            for k in over:
                if extra == 0:
                    break
                p = stock[k]
                lo = max(ys, p.start)
                removable = [m for m in p.moves if lo < m <= ye and m not in p.protected]
                drop = counts[k] - 2
                if len(removable) < drop:
                    continue
                for _ in range(drop):
                    m = removable.pop(draws.below(len(removable)))
                    p.moves.remove(m)
                extra -= 1


def _add_move(p: Period, ys: int, ye: int, draws: Draws) -> bool:
    lo = max(ys, p.start) + 8
    hi = ye
    if p.end is not None:
        hi = min(hi, p.end - 8)
    a = p.adoption
    if a is not None and a["placed"] is not None:
        hi = min(hi, (a.get("ffa_start") if a["ffa"] else a["placed"]) - 30)
    if lo > hi:
        return False
    ls_days = {d for d, _ in p.ls}
    for _ in range(6):
        m = draws.between(lo, hi)
        if m in ls_days or any(abs(m - x) < 8 for x in p.moves):
            continue
        p.moves.append(m)
        p.moves.sort()
        return True
    return False


# --------------------------------------------------------------------------------------------
# Placement types


GROUP_MIN_AGE = {
    "foster": 0,
    "childrens_homes": 8,
    "supported_accommodation": 16,
    "other_residential": 0,
    "residential_schools": 5,
    "with_parents": 0,
    "other": 0,
}
FILL_ORDER = (
    "supported_accommodation",
    "childrens_homes",
    "with_parents",
    "residential_schools",
    "other_residential",
    "other",
)


def _build_placements(plan: Plan) -> list[list]:
    """Placements of every period: [period, start, end(or None), group, code, ...]."""
    out = []
    for p in plan.periods:
        bounds = [p.start] + p.moves
        p.placements = []
        for k, b in enumerate(bounds):
            end = bounds[k + 1] if k + 1 < len(bounds) else p.end
            pl = [p, b, end, None, None]
            a = p.adoption
            if a is not None and a["placed"] is not None:
                if a["ffa"] and b >= a.get("ffa_start", p.start) and b < a["placed"]:
                    pl[3], pl[4] = "foster", "FFA"
                elif not a["ffa"] and b == a["placed"]:
                    pl[3], pl[4] = "placed_for_adoption", "A6"
                elif not a["ffa"] and end == a["placed"]:
                    pl[3] = "foster"
            p.placements.append(pl)
            out.append(pl)
    return out


def _eligible(pl: list, group: str, kids: Children) -> bool:
    p: Period = pl[0]
    child = p.child
    age = (pl[1] - kids.dob[child]) / YEAR
    if age < GROUP_MIN_AGE[group]:
        return False
    if group == "with_parents":
        if kids.uasc[child]:
            return False
        end = pl[2] if pl[2] is not None else 10**9
        statuses = [s for d, s in p.ls if d < end]
        in_force = [s for d, s in p.ls if pl[1] < d < end]
        current = [s for d, s in p.ls if d <= pl[1]]
        now = current[-1] if current else statuses[0]
        return now in ("C1", "C2") and all(s in ("C1", "C2") for s in in_force)
    if group == "supported_accommodation" and age < 16:
        return False
    if group == "childrens_homes" and age < 8:
        return False
    return True


def _rebalance(plan, placements, open_idx, target, y, draws, rng) -> list[int]:
    """Move children out of over-full placement groups on 31 March ``y`` into short ones.

    Only children with one placement so far in the year move (they then have two), so the share
    with three or more placements is unchanged; a child moves only into a group it is old
    enough for. Returns the new placements' indexes.
    """
    kids = plan.children
    ys, ye = year_start(y), year_end(y)
    counts = dict.fromkeys(target, 0)
    for i in open_idx.tolist():
        g = placements[i][3]
        if g in counts:
            counts[g] += 1
    deficit = {g: target[g] - counts[g] for g in target if target[g] > counts[g]}
    surplus = {g: counts[g] - target[g] for g in target if counts[g] > target[g]}
    made: list[int] = []
    if not deficit or not surplus:
        return made
    order = [i for i in open_idx.tolist() if placements[i][3] in surplus]
    order = [order[j] for j in rng.permutation(len(order))]
    order.sort(key=lambda i: placements[i][3] == "foster")  # other groups first
    # a small authority may move one child who already had a move this year (a third
    # placement): one child is several points of its stability share either way
    spare = 1 if len(open_idx) < 100 else 0
    for i in order:
        if not deficit:
            break
        pl = placements[i]
        g = pl[3]
        p: Period = pl[0]
        if surplus.get(g, 0) <= 0 or pl[4] is not None or p.adoption is not None:
            continue
        count = _count_in_year(p, ys, ye)
        if count != 1 and not (count == 2 and spare):
            continue
        lo, hi = max(ys, pl[1]) + 30, ye - 14
        if lo > hi:
            continue
        d = draws.between(lo, hi)
        if any(abs(d - x) <= 3 for x, _ in p.ls):
            continue
        new = [p, d, pl[2], None, None]
        dest = None
        for group in (*FILL_ORDER, "foster"):
            if deficit.get(group, 0) > 0 and group != g and _eligible(new, group, kids):
                dest = group
                break
        if dest is None:
            continue
        new[3] = dest
        if count == 2:
            spare -= 1
        pl[2] = d
        p.placements.insert(p.placements.index(pl) + 1, new)
        p.moves.append(d)
        p.moves.sort()
        placements.append(new)
        made.append(len(placements) - 1)
        surplus[g] -= 1
        deficit[dest] -= 1
        if deficit[dest] <= 0:
            del deficit[dest]
    return made


def _type_quota(plan: Plan, placements: list[list], t: Targets, draws: Draws, rng) -> None:
    kids = plan.children
    starts = np.array([pl[1] for pl in placements], dtype=np.int64)
    ends = np.array([pl[2] if pl[2] is not None else 10**9 for pl in placements], dtype=np.int64)
    short = np.array([kids.short_breaks[pl[0].child] for pl in placements], dtype=bool)
    for y in range(plan.first_year, plan.last_year + 1):  # warm-up years are not written
        ye = year_end(y)
        open_idx = np.flatnonzero((starts <= ye) & (ends > ye) & ~short)
        if len(open_idx) == 0:
            continue
        shares = t.placement_share(y)
        n = len(open_idx)
        fixed = {g: 0 for g in shares}
        free = []
        for i in open_idx.tolist():
            g = placements[i][3]
            if placements[i][4] == "FFA":
                a = placements[i][0].adoption
                if a["placed"] <= ye:
                    g = "placed_for_adoption"
            if g is None:
                free.append(i)
            else:
                fixed[g] = fixed.get(g, 0) + 1
        pfa = fixed.get("placed_for_adoption", 0)
        rest = {g: v for g, v in shares.items() if g != "placed_for_adoption"}
        scale = sum(rest.values()) or 1.0
        target = _largest_remainder(n - pfa, {g: v / scale for g, v in rest.items()})
        need = {g: target[g] - fixed.get(g, 0) for g in target}
        order = rng.permutation(len(free))
        free = [free[j] for j in order]
        assigned = set()
        for group in FILL_ORDER:
            k = need.get(group, 0)
            if k <= 0:
                continue
            cands = [i for i in free if i not in assigned and _eligible(placements[i], group, kids)]
            if group in ("supported_accommodation", "childrens_homes"):
                # the oldest first: these placements are for teenagers
                cands.sort(key=lambda i: kids.dob[placements[i][0].child])
                cands = cands[: max(k * 2, k)]
            for i in cands[:k]:
                placements[i][3] = group
                assigned.add(i)
        for i in free:
            if i not in assigned:
                placements[i][3] = "foster"
        # groups still over or under (placements fixed in earlier years): some children move
        made = _rebalance(plan, placements, open_idx, target, y, draws, rng)
        if made:
            starts = np.append(starts, [placements[i][1] for i in made])
            ends = np.append(ends, [placements[i][2] or 10**9 for i in made])
            short = np.append(short, np.zeros(len(made), dtype=bool))
    # placements open on no 31 March: age-based chances
    for pl in placements:
        if pl[3] is not None:
            continue
        p: Period = pl[0]
        age = (pl[1] - kids.dob[p.child]) / YEAR
        u = draws.u()
        if kids.short_breaks[p.child]:
            pl[3] = "childrens_homes"
        elif age >= 16 and u < 0.35:
            pl[3] = "supported_accommodation"
        elif age >= 10 and u < 0.5:
            pl[3] = "childrens_homes"
        elif u < 0.93 or not _eligible(pl, "with_parents", kids):
            pl[3] = "foster"
        else:
            pl[3] = "with_parents"


# --------------------------------------------------------------------------------------------
# Codes, providers, postcodes

KINSHIP_SHARE = 0.19
PROVIDERS = {
    "foster": (("PR1", "PR4", "PR5", "PR2"), (0.52, 0.9, 0.97, 1.0)),
    "kinship": (("PR1",), (1.0,)),
    "childrens_homes": (("PR4", "PR1", "PR5"), (0.8, 0.94, 1.0)),
    "supported_accommodation": (("PR4", "PR5", "PR1"), (0.78, 0.9, 1.0)),
    "residential_schools": (("PR5", "PR4", "PR1"), (0.5, 0.9, 1.0)),
    "R1": (("PR4", "PR5"), (0.7, 1.0)),
    "R2": (("PR3",), (1.0,)),
    "R3": (("PR4", "PR5", "PR1"), (0.5, 0.8, 1.0)),
    "other": (("PR1", "PR4"), (0.6, 1.0)),
    "placed_for_adoption": (("PR1", "PR5"), (0.72, 1.0)),
}


@dataclass
class Locator:
    """Chooses placement postcodes: inside the authority, nearby, or further away."""

    bank: PostcodeBank
    authority: str
    outside_share: float
    draws: Draws

    def __post_init__(self) -> None:
        self.inside = self.bank.inside(self.authority)
        self.nearby = self.bank.nearby(self.authority, 25.0)
        if len(self.nearby) < 50:
            self.nearby = self.bank.nearby(self.authority, 45.0)
        self.far = self.bank.elsewhere(self.authority)

    def pick(self, provider: str, group: str) -> int:
        d = self.draws
        if provider == "PR1" and group not in ("foster", "placed_for_adoption"):
            out = False
        else:
            base = {
                "foster": 0.75,
                "kinship": 0.5,
                "childrens_homes": 1.35,
                "supported_accommodation": 1.0,
                "residential_schools": 1.6,
                "other_residential": 1.5,
                "placed_for_adoption": 1.3,
                "other": 1.0,
            }.get(group, 1.0)
            if provider in ("PR4", "PR5", "PR2", "PR3"):
                base *= 1.25
            out = d.u() < min(self.outside_share * base, 0.97)
        if not out and len(self.inside):
            return int(self.inside[d.below(len(self.inside))])
        pool = self.nearby if (d.u() < 0.72 and len(self.nearby)) else self.far
        return int(pool[d.below(len(pool))])


def _supported_code(start: int, end: int | None, draws: Draws) -> str:
    """H5, P2 or K3 by date: P2 ends by 28 October 2023 and H5 needs a URN from then, so a
    placement open on that day is P2 until then and H5 (with its URN) after it; from 2025-26
    only K3 (H5 open on 1 April 2025 becomes K3 that day, see :func:`_codes`)."""
    if start >= CODES_2026:
        return "K3"
    if start >= K3_FROM:
        return "K3" if draws.u() < 0.7 else "H5"
    if start >= P2_LAST_DAY:
        return "H5"
    if end is None or end > P2_LAST_DAY:
        return "P2"
    return "P2" if draws.u() < 0.35 else "H5"


def _codes(plan: Plan, placements: list[list], locator: Locator, draws: Draws, la_urn: str) -> None:
    """Turn groups into PLACE codes, with provider, postcode row, URN and carer id."""
    kids = plan.children
    carer = 0
    urns: dict[tuple[str, int], str] = {}

    def urn_for(kind: str, row: int) -> str:
        key = (kind, row)
        if key not in urns:
            urns[key] = f"SC{draws.between(100000, 999999)}"
        return urns[key]

    for pl in placements:
        p: Period = pl[0]
        group = pl[3]
        start = pl[1]
        age = (start - kids.dob[p.child]) / YEAR
        carer += 1
        refine: list[tuple[int, str]] = []
        if group == "foster":
            if pl[4] == "FFA":
                code = "U5" if draws.u() < 0.85 else "U2"
            else:
                kin = draws.u() < KINSHIP_SHARE and not kids.uasc[p.child]
                code = "U3" if kin else "U6"
                end = pl[2] if pl[2] is not None else plan.horizon + 1
                if end - start > 560 and draws.u() < 0.55:
                    refine.append((start + draws.between(300, 540), "U1" if kin else "U4"))
            kind = "kinship" if code in ("U1", "U2", "U3") else "foster"
            provider = draws.pick(*PROVIDERS[kind])
            if code in ("U2", "U5") and provider == "PR2":
                provider = "PR1"
            row = locator.pick(provider, kind)
            urn = la_urn if provider == "PR1" else urn_for("agency", row % 97)
        elif group == "placed_for_adoption":
            code = "A6"
            provider = draws.pick(*PROVIDERS["placed_for_adoption"])
            row = locator.pick(provider, group)
            urn = la_urn if provider == "PR1" else urn_for("vaa", row % 13)
        elif group == "childrens_homes":
            code = "K1" if (age >= 12 and draws.u() < 0.04) else "K2"
            provider = draws.pick(*PROVIDERS[group])
            row = locator.pick(provider, group)
            urn = urn_for("home", row)
        elif group == "supported_accommodation":
            code = _supported_code(start, pl[2], draws)
            provider = draws.pick(*PROVIDERS[group])
            row = locator.pick(provider, group)
            urn = urn_for("sa", row)
            end = pl[2] if pl[2] is not None else plan.horizon + 1
            if code == "P2" and end > P2_LAST_DAY:
                refine.append((P2_LAST_DAY, "H5"))
            if code in ("P2", "H5") and end > CODES_2026 - 1:
                # on 31 March 2025, so no H5 episode reaches the 2025-26 return
                refine.append((CODES_2026 - 1, "K3"))
        elif group == "residential_schools":
            code = "S1"
            provider = draws.pick(*PROVIDERS[group])
            row = locator.pick(provider, group)
            urn = urn_for("school", row)
        elif group == "other_residential":
            code = "R2" if draws.u() < 0.45 else "R1"
            provider = draws.pick(*PROVIDERS[code])
            row = locator.pick(provider, group)
            urn = ""
        elif group == "with_parents":
            code = "P1"
            provider = "PR0"
            home = kids.home[p.child]
            row = home if home >= 0 else locator.pick("PR1", "foster")
            urn = ""
        else:
            code = "Z1" if start < CODES_2026 else "Z11"
            provider = draws.pick(*PROVIDERS["other"])
            row = locator.pick(provider, group)
            urn = ""
            end = pl[2] if pl[2] is not None else plan.horizon + 1
            if code == "Z1" and end > CODES_2026:
                refine.append((CODES_2026, "Z11"))
        pl[4] = code
        pl.extend([provider, row, urn, carer, refine])
    # FFA placements become A5 with the same carer on the placement day
    for p in plan.periods:
        a = p.adoption
        if a is None or a["placed"] is None or not a["ffa"]:
            continue
        for pl in p.placements:
            if pl[1] <= a["placed"] and (pl[2] is None or pl[2] > a["placed"]):
                pl[9] = [(d, c) for d, c in pl[9] if d < a["placed"]]
                pl[9].append((a["placed"], "A5"))


# --------------------------------------------------------------------------------------------
# Temporary placements


def _excursions(plan: Plan, locator: Locator, draws: Draws) -> None:
    first_written = year_start(plan.first_year)
    for p in plan.periods:
        if plan.children.short_breaks[p.child] or (p.end is not None and p.end < first_written):
            continue
        ls_days = [d for d, _ in p.ls]
        a = p.adoption
        for pl in p.placements:
            if pl[3] not in ("foster", "childrens_homes", "supported_accommodation"):
                continue
            end = pl[2] if pl[2] is not None else plan.horizon
            if a is not None and (a.get("placed") or 0) and end >= a["placed"] - 30:
                continue
            span = end - pl[1]
            if span < 60:
                continue
            if draws.u() > min(0.07 * span / YEAR, 0.35):
                continue
            t0 = draws.between(pl[1] + 20, end - 30)
            foster = pl[4].startswith("U")
            r = draws.u()
            if foster and r < 0.35:
                code, length = "T3", draws.between(3, 14)
            elif r < 0.7:
                code, length = "T4", draws.between(1, 6)
            elif r < 0.88:
                code, length = "T1", draws.between(2, 20)
            else:
                code, length = "T2", draws.between(3, 10)
            t1 = t0 + length
            if t1 >= end - 10:
                continue
            if any(t0 - 3 <= d <= t1 + 3 for d in ls_days):
                continue
            if any(t0 - 7 <= d <= t1 + 7 for d, _ in pl[9]):
                continue
            if year_of(t0) != year_of(t1):
                continue
            row = locator.pick("PR4", "other")
            p.excursions.append((t0, t1, code, row))
        p.excursions.sort()


# --------------------------------------------------------------------------------------------
# Exit codes

_SGO_FOSTER = {"U1": "E45", "U2": "E45", "U3": "E45", "U4": "E46", "U5": "E46", "U6": "E46"}


def _foster_last(plan: Plan) -> None:
    """At 18th birthdays, give the 'moved to independent living' exits to those not fostered
    (the group counts do not change), so that foster children can stay put (E17)."""
    kids = plan.children
    by_year: dict[int, list[Period]] = {}
    for p in plan.periods:
        if p.end is not None and p.group in ("independent_living", "at18"):
            if p.end == kids.birthday(p.child, 18):
                by_year.setdefault(year_of(p.end), []).append(p)
    rank = {"supported_accommodation": 0, "childrens_homes": 1, "other": 2, "foster": 3}
    for periods in by_year.values():
        k = sum(p.group == "independent_living" for p in periods)
        periods.sort(key=lambda p: (rank.get(p.placements[-1][3], 2), p.start, p.child))
        for i, p in enumerate(periods):
            p.group = "independent_living" if i < k else "at18"


def _exit_codes(plan: Plan, t: Targets, draws: Draws) -> None:
    kids = plan.children
    _foster_last(plan)
    other = {k: v for k, v in t.other_reasons.items() if k not in ("E17", "E14", "E9")}
    items_other, cum_other = cumulative(other)
    stay = t.staying_put_18_pct / 100.0
    for p in plan.periods:
        if p.end is None:
            continue
        last_pl = p.placements[-1]
        place = last_pl[9][-1][1] if last_pl[9] else last_pl[4]
        child = p.child
        if p.group == "adopted":
            p.rec = "E11" if draws.u() < 0.25 else "E12"
        elif p.group == "sgo":
            if place in _SGO_FOSTER and draws.u() < 0.8:
                p.rec = _SGO_FOSTER[place]
            else:
                p.rec = "E47" if draws.u() < 0.75 else "E48"
            if year_of(p.end) < 2019:  # E43/E44 before 2018-19
                p.rec = "E43" if p.rec in ("E45", "E46") else "E44"
        elif p.group == "returned_home":
            p.rec = "E4A" if draws.u() < t.home_planned else "E4B"
        elif p.group == "independent_living":
            p.rec = "E5" if draws.u() < t.independent_supported else "E6"
        elif p.group == "at18":
            foster = place.startswith("U")
            p.rec = "E17" if foster and draws.u() < stay and year_of(p.end) >= 2021 else "E8"
        elif p.group == "other":
            if p.rec is not None:  # remand ended / custody, set with the legal status
                continue
            age = (p.end - kids.dob[child]) / YEAR
            for _ in range(8):
                code = draws.pick(items_other, cum_other)
                if code == "E15" and not kids.uasc[child]:
                    continue
                if code == "E7" and age < 16:
                    continue
                if code in ("E2",) and draws.u() < 0.5:
                    continue
                break
            else:
                code = "E13"
            if code == "E15" and not kids.uasc[child]:
                code = "E13"
            if code == "E7" and age < 16:
                code = "E8"
            p.rec = code


def simulate(
    t: Targets,
    years: list[int],
    bank: PostcodeBank,
    authority: str,
    rng: np.random.Generator,
) -> Plan:
    """Run steps 1 and 2 for one authority (see the module notes)."""
    draws = Draws(rng)
    plan = plan_periods(t, years, bank, authority, draws)
    kids = plan.children

    def mean_placed(year: int) -> float:
        """Typical days placed before an adoption order in ``year``: so many are placed for
        adoption on the 31 March before, given how many are adopted (published figures)."""
        year = min(year, plan.last_year)
        adopted = t.ceased_share(year)["adopted"] * t.count("ceased", year)
        placed = t.placement_share(year - 1)["placed_for_adoption"] * t.count("cla", year - 1)
        return min(max(365.0 * placed / max(adopted, 1.0), 90.0), 540.0)

    needs, needs_cum = cumulative(NEEDS)
    rate = 1.0
    step_down = min(0.9, 3.0 * t.placement_share(plan.last_year)["supported_accommodation"])
    for p in plan.periods:
        p.cin = "N8" if kids.uasc[p.child] else draws.pick(needs, needs_cum)
        _adoption_pathway(p, t, draws, plan.horizon, mean_placed)
    _placed_quota(plan, t, draws)
    for p in plan.periods:
        last = p.last_day(plan.horizon)
        _legal_statuses(p, kids, t, draws, last if p.future_end is None else p.future_end)
        if p.adoption is not None:
            a = p.adoption
            if a["ffa"]:
                age0 = (p.start - kids.dob[p.child]) / YEAR
                if age0 < 0.3 and draws.u() < 0.5:
                    a["ffa_start"] = p.start
                else:
                    lo, hi = p.start + 10, a["placed"] - 45
                    a["ffa_start"] = draws.between(lo, hi) if hi > lo else p.start
            _apply_adoption_statuses(p)
        _moves(p, kids, draws, last, rate, step_down)
    _stability_quota(plan, t, draws, rng)
    placements = _build_placements(plan)
    _type_quota(plan, placements, t, draws, rng)
    locator = Locator(bank, authority, t.outside_la_pct / 100.0, draws)
    la_urn = f"SC{draws.between(100000, 999999)}"
    _codes(plan, placements, locator, draws, la_urn)
    _excursions(plan, locator, draws)
    _exit_codes(plan, t, draws)
    return plan
