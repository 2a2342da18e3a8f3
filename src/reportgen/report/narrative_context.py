"""What narrative templates can use: names and functions over one report's indicator results.

Every function returns plain text, already in the house number style; none raises for a missing
figure (it says the figure is unavailable instead). Templates call them as ``{{ say("id", "...") }}``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from reportgen.analysis import drivers as dr
from reportgen.core.authorities import display_name, lookup
from reportgen.core.formatting import format_date, format_duration, format_value, is_missing, whole
from reportgen.core.memo import SourceMemo
from reportgen.core.paths import DATA_DIR
from reportgen.core.periods import year_label
from reportgen.core.tables import load_table, rows_for_code, split_markers
from reportgen.indicators import published, registry
from reportgen.indicators.engine import comparator_year
from reportgen.indicators.result import IndicatorResult
from reportgen.report import breakdowns as bd
from reportgen.report import narrative as nv
from reportgen.report.context import Context

REASONS = (
    ("ceased_adopted", "were adopted"),
    ("ceased_sgo", "left on a special guardianship order"),
    (
        "ceased_returned_home",
        "returned home to their parents or others with parental responsibility",
    ),
    ("ceased_independent_living", "moved into independent living"),
    (
        "ceased_other",
        "left care for other reasons, including turning 18 and staying with their carers",
    ),
)
REASON_DETAILS = {
    "ceased_returned_home": (
        (
            "Returned home to live with parents or other person with parental responsibility "
            "which was part of the care planning process",
            "returned home as planned",
        ),
        (
            "Returned home to live with parents or other person with parental responsibility "
            "which was not part of the care planning process",
            "returned home other than as planned",
        ),
    ),
    "ceased_independent_living": (
        (
            "Moved into independent living (with supportive accommodation)",
            "moved into independent living with supportive accommodation",
        ),
        (
            "Moved into independent living (with no formalised support)",
            "moved into independent living with no formalised support",
        ),
    ),
    "ceased_other": (
        ("Aged 18 (or over) and remained with current carers", "stayed with their carers at 18"),
        (
            "Left care to live with parents, relatives or other person with no parental "
            "responsibility",
            "went to live with relatives or others without parental responsibility",
        ),
        ("Residence order or child arrangement order granted", "left on child arrangements orders"),
        (
            "Age assessment determined child aged 18 or over",
            "were found by an age assessment to be 18 or over",
        ),
        ("Care taken by another local authority", "had their care taken over by another authority"),
        (
            "Transferred to residential care funded by adult social services",
            "moved to residential care funded by adult social services",
        ),
        ("Child moved abroad", "moved abroad"),
        ("Sentenced to custody", "were sentenced to custody"),
        ("Accommodation on remand ended", "left care when their remand ended"),
        ("Died", "died"),
        ("Care ceased for any other reason", "left care for any other reason"),
    ),
}
"""The DfE's detailed reasons behind each reason group of :data:`REASONS` that is a sum (row of
``la_children_who_ceased_during_the_year``, words): when the DfE withholds one part, the group is
not published but its other parts are."""
PLACEMENTS = (
    ("placement_foster_pct", "in foster placements"),
    ("placement_childrens_homes_pct", "in secure or children's homes"),
    (
        "placement_supported_accommodation_pct",
        "in independent or semi-independent living or supported accommodation",
    ),
    ("placement_with_parents_pct", "placed with parents"),
)
ADOPTION_STAGES = (
    (
        "adoption_entry_to_decision_days",
        "from entering care to the decision that they should be adopted",
    ),
    ("adoption_decision_to_match_days", "from that decision to being matched with adopters"),
    ("adoption_entry_to_placed_days", "from entering care to moving in with their adoptive family"),
)

STARTED_BREAKDOWNS = {
    "Unaccompanied asylum-seeking children": "UASC status",
    "Age on starting": "age on starting",
    "Category of need": "category of need",
    "Legal status": "legal status",
}
"""Published breakdowns of children who started to be looked after (``dr.STARTED_TABLE``)."""
CEASED_BREAKDOWNS = {
    "Unaccompanied asylum-seeking children": "UASC status",
    "Age on ceasing": "age on ceasing",
    "Reason episode ceased": "reason for ceasing",
}
"""Published breakdowns of children who ceased to be looked after (``dr.CEASED_TABLE``)."""
FLOW_PHRASES = {
    "16 years": "young people aged 16",
    "17 years": "young people aged 17",
    "18 years and over": "young people aged 18 and over",
    "N1. Abuse or neglect": "children whose main need was abuse or neglect",
    "N2. Child's disability": "children whose main need was their disability",
    "N3. Parental illness or disability": (
        "children whose main need was a parent's illness or disability"
    ),
    "N4. Family acute stress": "children whose main need was acute stress in the family",
    "N5. Family dysfunction": "children whose main need was family dysfunction",
    "N6. Socially unacceptable behaviour": (
        "children whose main need was socially unacceptable behaviour"
    ),
    "N7. Low income": "children whose main need was low income",
    "N8. Absent parenting": "children whose main need was absent parenting",
    "Voluntary agreement under S20": (
        "children looked after under section 20 voluntary agreements"
    ),
    "Police protection in LA accommodation": "children taken into police protection",
    "Emergency protection order": "children on emergency protection orders",
    "Remand": "children remanded to the authority's care",
    "Adopted": "children who were adopted",
    "Special guardianship order": "children who left on special guardianship orders",
    "Aged 18 (or over) and remained with current carers": (
        "young people who stayed with their carers at 18"
    ),
    "Moved into independent living (with supportive accommodation)": (
        "young people who moved into independent living with supportive accommodation"
    ),
    "Moved into independent living (with no formalised support)": (
        "young people who moved into independent living with no formalised support"
    ),
    "Returned home to live with parents or other person with parental responsibility which "
    "was part of the care planning process": "children who returned home as planned",
    "Returned home to live with parents or other person with parental responsibility which "
    "was not part of the care planning process": "children who returned home other than as planned",
    "Left care to live with parents, relatives or other person with no parental responsibility": (
        "children who went to live with relatives or others without parental responsibility"
    ),
    "Age assessment determined child aged 18 or over": (
        "young people whose age assessment found them to be 18 or over"
    ),
    "Care ceased for any other reason": "children who left care for any other reason",
    "Residence order or child arrangement order granted": (
        "children who left on child arrangements orders"
    ),
    "Care taken by another local authority": (
        "children whose care was taken over by another authority"
    ),
    "Transferred to residential care funded by adult social services": (
        "young people who moved to residential care funded by adult social services"
    ),
    "Sentenced to custody": "young people sentenced to custody",
    "Child moved abroad": "children who moved abroad",
}
"""How the DfE group labels of the starts and ceased breakdowns read in a driver sentence."""
DISTANCE_TABLE_CHARACTERISTIC = "Distance between home and placement and locality of placement"
DISTANCE_GROUPS = {
    "outside": (
        "children placed outside the authority's area",
        ("Locality of placement", "Placed outside the local authority boundary"),
        {
            "2. Placed outside the LA boundary, 20 miles or less from home": (
                "those placed 20 miles or less from home"
            ),
            "4. Placed outside the LA boundary, more than 20 miles from home": (
                "those placed more than 20 miles from home"
            ),
            "6. Placed outside the LA boundary, distance not known or not recorded": (
                "those whose distance from home was not recorded"
            ),
        },
    ),
    "over_20_miles": (
        "children placed more than 20 miles from home",
        ("Distance between home and placement", "Placed more than 20 miles from home"),
        {
            "3. Placed inside the LA boundary, more than 20 miles from home": (
                "those placed inside the authority's area"
            ),
            "4. Placed outside the LA boundary, more than 20 miles from home": (
                "those placed outside the authority's area"
            ),
        },
    ),
}
"""Out-of-area and distant placements split by the DfE's cross of distance and locality: what
is counted, the published total (characteristic, breakdown), and the groups with their phrases."""
CARE_LEAVER_ACTIVITY_TABLE = "la_care_leavers_activity"
EET_GROUPS = {
    "Education other than higher education": "those in education other than higher education",
    "Higher education i.e. studies beyond A level": "those in higher education",
    "In an apprenticeship": "those in apprenticeships",
    "In training or employment (excl. apprenticeship)": "those in training or employment",
}
"""The DfE activities that make up "in education, employment or training"."""
PERCENT_BASES = {
    "cl_17_18_": ("cl_17_18_count", "care leavers"),
    "cl_19_21_": ("cl_19_21_count", "care leavers"),
    "adopted_pct_of_ceased": ("ceased", "children leaving care"),
    "sgo_pct_of_ceased": ("ceased", "children leaving care"),
    "placement_": ("cla_at_end", "children looked after"),
    "placed_": ("cla_at_end", "children looked after"),
    "stability_3plus_pct": ("cla_at_end", "children looked after"),
}
"""Id prefix -> the count indicator a percentage is of, and what they are (for "rests on 7 care
leavers")."""


_CELLS = SourceMemo(maxsize=1)


def _published_cells() -> dict[tuple[str, str, int], float]:
    """``(indicator, ONS code, year) -> value`` of every published figure (missing left out).

    Built once per process from :func:`~reportgen.indicators.published.published_values`, and
    again whenever that returns another frame (its cache cleared, an indicator added).
    """
    values = published.published_values()

    def build() -> dict[tuple[str, str, int], float]:
        frame = values[values["value"].notna()]
        keys = zip(  # lists first: iterating the Arrow-backed columns one cell at a time is slower
            frame["indicator"].tolist(),
            frame["new_la_code"].tolist(),
            frame["year"].astype(int).tolist(),
            strict=True,
        )
        return dict(zip(keys, frame["value"].astype(float).tolist(), strict=True))

    return _CELLS.get("cells", (values,), build)


DRIVER_TABLES = (
    dr.CHARACTERISTICS_TABLE,
    dr.STARTED_TABLE,
    dr.CEASED_TABLE,
    CARE_LEAVER_ACTIVITY_TABLE,
)
"""The published tables the driver sentences read (:meth:`Narrative.drivers`)."""


def preload(authority_code: str | None = None) -> None:
    """Read what the narrative reads on its first use in a process: the published figures
    (:func:`_published_cells`) and, for ``authority_code``, its rows of the driver tables
    (:data:`DRIVER_TABLES`).

    Both are kept per process, so this changes no result: the report runner calls it in a
    thread while the notebooks run (``run/report.py``), which takes about half a second off the
    first paper a process writes (``reportgen report``, a re-run). Errors are left for the
    assembly to raise, with its own message.
    """
    try:
        _published_cells()
        if authority_code is not None:
            for table in DRIVER_TABLES:
                _driver_rows(table, authority_code)
    except Exception:  # noqa: BLE001, S110 - the assembly reads them again and says what failed
        pass


_FILE_AUTHORITY: list[str] = []
"""The first authority whose driver rows this process read: its rows are read from the files
alone (a few milliseconds a table). For any other authority (a batch worker's next papers) each
whole table is loaded once (:func:`~reportgen.core.tables.load_table`) and its rows taken from
it. Both give the same rows and counts (the same strings through the same ``split_markers``)."""
_DRIVER_ROWS = SourceMemo(maxsize=8)  # a worker writes one authority after another
_BREAKDOWNS = SourceMemo(maxsize=16)


def _breakdown_columns(columns: Any) -> tuple[str, str]:
    """The column a table splits by and its count: care-leaver tables by ``care_leaver_age``."""
    if "care_leaver_age" in columns:
        return "care_leaver_age", "care_leaver_count"
    return "characteristic", "children_count"


def _driver_rows(table: str, authority_code: str) -> tuple[object, pd.DataFrame]:
    """One authority's rows of a published table (``time_period`` as int, the breakdown and its
    count as :func:`~reportgen.core.tables.load_table` parses it), and what they were read from:
    the file's path, size and modification time, or the loaded table itself. Kept while that
    source is unchanged (a paper asks for several breakdowns and years of one authority)."""
    if not _FILE_AUTHORITY:
        _FILE_AUTHORITY.append(authority_code)
    if authority_code == _FILE_AUTHORITY[0]:
        path = DATA_DIR / f"{table}.parquet"
        try:
            stat = path.stat()
        except OSError:
            load_table(table)  # raises the DataError that says how to restore the file
            raise
        source: object = (str(path), stat.st_size, stat.st_mtime_ns)
    else:
        source = load_table(table)

    def read() -> pd.DataFrame:
        if isinstance(source, pd.DataFrame):
            by, count = _breakdown_columns(source.columns)
            return rows_for_code(source, authority_code)[["time_period", by, "breakdown", count]]
        by, count = _breakdown_columns(set(pq.read_schema(path).names))
        rows = pd.read_parquet(
            path,
            columns=["time_period", by, "breakdown", count],
            filters=[("new_la_code", "==", authority_code)],
        )
        rows["time_period"] = rows["time_period"].astype(int)
        rows[count] = split_markers(rows[count])[0]
        return rows

    return source, _DRIVER_ROWS.get((table, authority_code), (source,), read)


def _published_breakdown(
    table: str, authority_code: str, characteristic: str, year: int
) -> dict[str, float] | None:
    """One authority's published counts of one breakdown in a year (group -> count, NaN where
    withheld), ``None`` when there are no rows. Care-leaver tables split by ``care_leaver_age``
    (the ``characteristic`` is then the age, "19 to 21 years").

    Remembered per process while the rows' source (:func:`_driver_rows`) is unchanged.
    """
    source, authority = _driver_rows(table, authority_code)

    def counts() -> dict[tuple[int, str], dict[str, float]]:
        by, count = _breakdown_columns(authority.columns)
        found: dict[tuple[int, str], dict[str, float]] = {}
        for row_year, group, label, value in zip(
            authority["time_period"].tolist(),
            authority[by].tolist(),
            authority["breakdown"].tolist(),
            authority[count].tolist(),
            strict=True,
        ):
            if isinstance(group, str):  # a blank split (NA) is no characteristic's row
                found.setdefault((row_year, group), {})[str(label)] = float(value)
        return found

    # every breakdown and year of the authority's rows at once, in the rows' order
    result = _BREAKDOWNS.get((table, authority_code), (source,), counts).get((year, characteristic))
    return None if result is None else dict(result)


def second_driver(driver: dr.Driver, labels: dict[str, str]) -> str:
    """A further driver, from another breakdown, as a short sentence after the first ('' when it
    accounts for less than half the change).

    Examples
    --------
    >>> first = dr.main_drivers({"x": (pd.Series({"a": 10.0, "b": 20.0}),
    ...                                 pd.Series({"a": 4.0, "b": 23.0}))}, n=1)[0]
    >>> second_driver(first, {"a": "group a"})
    'By x, it is more than accounted for by group a (10 to 4).'
    """
    phrase = (
        labels.get(driver.group)
        or dr.DFE_GROUP_PHRASES.get(driver.group)
        or dr.group_phrase(driver.group)
    )
    counts = f"({dr._count(driver.previous)} to {dr._count(driver.current)})"
    if driver.total_change == 0 or math.isnan(driver.share) or driver.share < 0.5:
        return ""
    if driver.share > 1 + 1e-9:
        words = "it is more than accounted for by"
    elif math.isclose(driver.share, 1.0, abs_tol=1e-9):
        words = "it is accounted for by"
    else:
        words = "it was mostly among"
    return f"By {driver.breakdown}, {words} {phrase} {counts}."


def driver_sentences(
    breakdowns: dict[str, tuple[pd.Series, pd.Series]],
    totals: tuple[float, float],
    what: str,
    *,
    labels: dict[str, str] | None = None,
    min_count: int = 5,
    n: int = 2,
) -> str:
    """The one or two groups that account for most of a change in a total, as sentences.

    Parameters
    ----------
    breakdowns, totals
        As :func:`reportgen.analysis.drivers.main_drivers` (``{name: (previous, current)}``
        and the published totals).
    what
        The counted population ("children looked after").
    labels
        Phrases for group labels (else the DfE labels' phrases).
    min_count
        Disclosure control: a change of fewer children than this is not decomposed, and a group
        with a count from 1 to ``min_count - 1`` in either year is never named.
    n
        At most this many drivers (from different breakdowns); the second only when it
        accounts for at least half the change.

    Returns
    -------
    str
        ``""`` when nothing explains the change (every group moved in proportion, or the change
        is small).

    Examples
    --------
    Two groups: a fell by 6 and b rose by 3, so a more than accounts for the fall of 3.

    >>> a_b = {"group": (pd.Series({"a": 10.0, "b": 20.0}), pd.Series({"a": 4.0, "b": 23.0}))}
    >>> driver_sentences(a_b, (30, 27), "children", min_count=3)
    'The fall from 30 to 27 children is more than accounted for by a (10 to 4).'
    >>> driver_sentences(a_b, (30, 27), "children", min_count=5)  # a change of 3: too small
    ''
    """
    labels = {**FLOW_PHRASES, **(labels or {})}
    if any(math.isnan(t) for t in totals) or abs(totals[1] - totals[0]) < min_count:
        return ""
    try:
        found = dr.main_drivers(
            breakdowns, n=len(breakdowns), total_previous=totals[0], total_current=totals[1]
        )
    except ValueError:  # the groups do not add up to the published total
        return ""

    def small(value: float) -> bool:
        return 0 < value < min_count

    found = [d for d in found if not small(d.previous) and not small(d.current)][:n]
    if not found:
        return ""
    text = [dr.describe_driver(found[0], what=what, labels=labels)]
    for driver in found[1:]:
        if found[0].share > 1 + 1e-9:
            break  # the first already more than accounts for the change
        text.append(second_driver(driver, labels))
    return " ".join(t for t in text if t)


class NarrativeContext:
    """Template functions bound to one report's results (see :meth:`as_dict`)."""

    def __init__(self, context: Context):
        self.c = context
        self.s = context.s

    # --- lookups -----------------------------------------------------------------------------
    def result(self, indicator_id: str) -> IndicatorResult:
        """The indicator's result (a template error names an unknown id)."""
        if indicator_id not in self.s:
            raise KeyError(f"unknown indicator id '{indicator_id}'")
        return self.s[indicator_id]

    def has(self, indicator_id: str) -> bool:
        """True when the indicator has a value for the period."""
        return indicator_id in self.s and not is_missing(self.s[indicator_id].value)

    def value(self, indicator_id: str) -> str:
        """The formatted value (or why it is unavailable)."""
        r = self.result(indicator_id)
        return format_value(r.value, r.unit, r.marker)

    def change(self, indicator_id: str) -> str:
        """Change since the previous period, e.g. "a decrease from 725 in 2023-24" ('' if none)."""
        r = self.result(indicator_id)
        return nv.change_clause(r, r.previous_period or self.c.prev)

    def compare(self, indicator_id: str) -> str:
        """Position against England and neighbours ('' if none)."""
        return nv.comparator_clause(self.result(indicator_id))

    def say(self, indicator_id: str, lead: str) -> str:
        """A full sentence: ``lead`` with ``{value}``, the change, five years, the comparison;
        then, where they apply, that the percentage rests on few children and what to know
        about the neighbour average."""
        r = self.result(indicator_id)
        if self._part_year_flow(indicator_id):
            r = r.model_copy(update={"trend": {}})  # a quarter's flow against whole years
        text = nv.indicator_sentence(r, lead, self.c.prev)
        if not is_missing(r.value):
            text = " ".join(
                t
                for t in (
                    text,
                    nv.few_children_note(r, *self._base(indicator_id)),
                    nv.neighbour_note(r, self.neighbour_values(indicator_id)),
                )
                if t
            )
        return about(indicator_id) + text

    def _part_year_flow(self, indicator_id: str) -> bool:
        """A count or rate of children over part of a year: it does not compare with whole
        years (the trend) or with England's and the neighbours' annual figures."""
        period = self.c.params.period
        if period.spans_collection_year:
            return False
        spec = (
            registry.REGISTRY[indicator_id].ssda903 if indicator_id in registry.REGISTRY else None
        )
        unit = self.result(indicator_id).unit
        return spec is not None and spec.timing in ("flow", "birthdays") and unit != "percent"

    def _base(self, indicator_id: str) -> tuple[float | None, str]:
        """How many children a percentage is of (``None`` when unknown), and what they are."""
        r = self.result(indicator_id)
        for prefix, (count_id, noun) in PERCENT_BASES.items():
            if indicator_id.startswith(prefix) and indicator_id != count_id:
                if r.denominator is not None:
                    return r.denominator, noun
                if count_id in self.s and not is_missing(self.s[count_id].value):
                    return self.s[count_id].value, noun
                return None, noun
        return r.denominator, "children"

    def neighbour_values(self, indicator_id: str) -> dict[str, float]:
        """Each statistical neighbour's published figure behind the result's ``sn_mean`` (name ->
        value), for the published year whose neighbour mean it is; ``{}`` when not found."""
        r = self.result(indicator_id)
        if is_missing(r.sn_mean) or r.unit == "count":
            return {}
        cells = _published_cells()
        codes = list(self.c.params.statistical_neighbours)
        year = self.c.params.period.collection_year
        for candidate in (year, year - 1, year - 2):
            found = {
                code: cells[(indicator_id, code, candidate)]
                for code in codes
                if (indicator_id, code, candidate) in cells
            }
            if found and len(found) == r.sn_n:
                mean = sum(found.values()) / len(found)
                if math.isclose(mean, float(r.sn_mean), rel_tol=1e-9, abs_tol=1e-9):  # type: ignore[arg-type]
                    return {display_name(lookup(c).name): v for c, v in found.items()}
        return {}

    def unavailable(self, indicator_id: str) -> str:
        """Why the indicator's figure is not available."""
        return about(indicator_id) + nv.unavailable_sentence(self.result(indicator_id), self.c.prev)

    # --- what drove a change (published breakdowns) --------------------------------------------
    def _published_counts(
        self, table: str, characteristic: str, year: int | None = None
    ) -> dict[str, float] | None:
        """The authority's published counts of one DfE breakdown in a year (group -> count,
        NaN where withheld); ``None`` when the table has no rows for it."""
        year = self.c.params.period.collection_year if year is None else year
        return _published_breakdown(table, self.c.params.authority_code, characteristic, year)

    def _pair(
        self, table: str, characteristic: str
    ) -> tuple[dict[str, float], dict[str, float]] | None:
        year = self.c.params.period.collection_year
        before = self._published_counts(table, characteristic, year - 1)
        now = self._published_counts(table, characteristic, year)
        return None if before is None or now is None else (before, now)

    def drivers(self, topic: str) -> str:
        """Which groups account for the change since last year, from the DfE's published
        breakdowns (``""`` when none explains it); for 903 and synthetic sources, from the
        child-level counts the notebooks wrote (:meth:`_own_drivers`).

        Parameters
        ----------
        topic
            ``"cla_at_end"`` (children looked after, by UASC status, age, legal status,
            placement type, provider and locality), ``"started"`` and ``"ceased"`` (by UASC
            status, age, category of need or reason, legal status), ``"placement"`` (children
            looked after by placement type only), ``"outside"`` and ``"over_20_miles"``
            (placements outside the area or more than 20 miles away, by distance and locality),
            ``"cl_19_21_eet"`` and ``"cl_17_18_eet"`` (care leavers in education, employment or
            training, by activity).
        """
        params = self.c.params
        if params.source != "published":
            return self._own_drivers(topic)
        if not params.period.is_collection_year:
            return ""
        min_count = params.disclosure.min_count
        if topic in ("cla_at_end", "started", "ceased", "placement"):
            table, chosen, what = {
                "cla_at_end": (
                    dr.CHARACTERISTICS_TABLE,
                    dr.PUBLISHED_BREAKDOWNS,
                    "children looked after",
                ),
                "placement": (
                    dr.CHARACTERISTICS_TABLE,
                    {"Placement": "placement type"},
                    "children looked after",
                ),
                "started": (
                    dr.STARTED_TABLE,
                    STARTED_BREAKDOWNS,
                    "children starting to be looked after",
                ),
                "ceased": (
                    dr.CEASED_TABLE,
                    CEASED_BREAKDOWNS,
                    "children ceasing to be looked after",
                ),
            }[topic]
            breakdowns: dict[str, tuple[pd.Series, pd.Series]] = {}
            totals: tuple[float, float] | None = None
            for characteristic, name in chosen.items():
                pair = self._pair(table, characteristic)
                if pair is None:
                    continue
                before, now = (dict(p) for p in pair)
                total = (before.pop("Total", math.nan), now.pop("Total", math.nan))
                totals = totals or total
                breakdowns[name] = (pd.Series(before, dtype=float), pd.Series(now, dtype=float))
            if not breakdowns or totals is None:
                return ""
            text = driver_sentences(breakdowns, totals, what, min_count=min_count)
            if topic == "placement" and text:
                return "Among placement types, t" + text[1:]
            return text
        if topic in DISTANCE_GROUPS:
            what, (total_characteristic, total_row), groups = DISTANCE_GROUPS[topic]
            pair = self._pair(dr.CHARACTERISTICS_TABLE, DISTANCE_TABLE_CHARACTERISTIC)
            total_pair = self._pair(dr.CHARACTERISTICS_TABLE, total_characteristic)
            if pair is None or total_pair is None:
                return ""
            series = tuple(
                pd.Series({g: p.get(g, math.nan) for g in groups}, dtype=float) for p in pair
            )
            totals = tuple(p.get(total_row, math.nan) for p in total_pair)
            return driver_sentences(
                {"distance and locality": (series[0], series[1])},
                (totals[0], totals[1]),
                what,
                labels=groups,
                min_count=min_count,
            )
        if topic in ("cl_19_21_eet", "cl_17_18_eet"):
            age = "19 to 21 years" if topic == "cl_19_21_eet" else "17 to 18 years"
            pair = self._pair(CARE_LEAVER_ACTIVITY_TABLE, age)
            if pair is None:
                return ""
            series = tuple(
                pd.Series({g: p.get(g, math.nan) for g in EET_GROUPS}, dtype=float) for p in pair
            )
            total = "Total in education, employment or training"
            return driver_sentences(
                {"activity": (series[0], series[1])},
                (pair[0].get(total, math.nan), pair[1].get(total, math.nan)),
                f"care leavers aged {age.removesuffix(' years')} in education, employment or training",
                labels=EET_GROUPS,
                min_count=min_count,
            )
        raise KeyError(f"unknown driver topic '{topic}'")

    def _own_drivers(self, topic: str) -> str:
        """903 and synthetic sources: the driver sentence for ``cla_at_end``, ``started``,
        ``ceased`` or ``placement`` from the notebooks' ``breakdowns.json`` (by age band,
        placement type and, for leavers, reason; :mod:`reportgen.report.breakdowns`); ``""``
        for other topics, without the file, or when the section withheld or changed the total."""
        own = topic if topic != "placement" else "cla_at_end"
        if own not in bd.TOPICS:
            return ""
        if "breakdowns" not in self.c.extra:
            self.c.extra["breakdowns"] = bd.read(self.c.work_dir)
        payload = self.c.extra["breakdowns"]
        found = bd.driver_input(payload, own) if payload else None
        if found is None or own not in self.s:
            return ""
        breakdowns, totals = found
        r = self.s[own]
        if (r.previous, r.value) != totals:
            return ""  # withheld in the paper, or not the figures the paragraph gives
        if topic == "placement":
            breakdowns = {k: v for k, v in breakdowns.items() if k == bd.PLACEMENT}
        labels = {g: p for phrases in bd.PHRASES.values() for g, p in phrases.items()}
        text = driver_sentences(
            breakdowns,
            totals,
            bd.WHAT[own],
            labels=labels,
            min_count=self.c.params.disclosure.min_count,
        )
        if topic == "placement" and text:
            return "Among placement types, t" + text[1:]
        return text

    @staticmethod
    def table_ids(name: str) -> str:
        """The ids a comparison table shows, as declared in the registry (``Indicator.shown``),
        for ``[table: <caption> | {{ table_ids("<name>") }}]``."""
        return ", ".join(ind.id for ind in registry.shown_in(name))

    @staticmethod
    def clause(text: str, joiner: str = ", ") -> str:
        """``joiner + text`` when there is text, else ''."""
        return f"{joiner}{text}" if text else ""

    # --- composite sentences -----------------------------------------------------------------
    def flows(self) -> str:
        """Children who started and ceased to be looked after in the period."""
        parts = []
        for indicator_id, verb in (("started", "started"), ("ceased", "ceased")):
            r = self.result(indicator_id)
            if is_missing(r.value):
                parts.append(
                    f"the number of children who {verb} to be looked after is not available"
                )
                continue
            change = self.change(indicator_id)
            parts.append(
                f"{nv.count_phrase(r.value, 'children')} {verb} to be looked after"
                + (f" ({change})" if change else "")
            )
        return about("started", "ceased") + nv.sentence(
            f"During {self.c.period}, " + " and ".join(parts)
        )

    def reasons_ceased(self) -> str:
        """Why children ceased to be looked after, from the DfE reason groups."""
        ceased = self.result("ceased")
        if is_missing(ceased.value):
            return nv.sentence(
                f"The reasons children ceased to be looked after in {self.c.period} are not available"
            )
        known, withheld = [], []
        details = (
            self._published_counts(dr.CEASED_TABLE, "Reason episode ceased")
            if self.c.params.source == "published"
            else None
        )
        for indicator_id, words in REASONS:
            r = self.result(indicator_id)
            if is_missing(r.value) and details is not None and indicator_id in REASON_DETAILS:
                parts = REASON_DETAILS[indicator_id]
                for row, detail in parts:
                    count = details.get(row, math.nan)
                    if math.isnan(count):
                        withheld.append(detail)
                    elif whole(count):
                        known.append(f"{format_value(count, 'count')} {detail}")
            elif is_missing(r.value):
                withheld.append(words.split(" ", 1)[1] if words.startswith("were ") else words)
            else:
                figure = format_value(r.value, "count") if whole(r.value) else "none"
                known.append(f"{figure} {words}")
        text = f"Of the {format_value(ceased.value, 'count')} children who ceased to be looked after in {self.c.period}, "
        text += _and_list(known) if known else "the reasons were not published"
        if withheld and self.c.params.source == "published":
            if len(withheld) > 3:
                text += (
                    f". The DfE withheld the numbers for {len(withheld)} other reasons to protect "
                    "confidentiality (small numbers)"
                )
            else:
                text += (
                    f". The DfE did not publish the number who {_and_list(withheld, 'or')}, "
                    "to protect confidentiality"
                )
        elif withheld:  # our own disclosure control (reportgen.analysis.suppression)
            text += (
                f". The number who {_and_list(withheld, 'or')} is withheld to protect "
                "confidentiality (a small number, or one from which a small number could be "
                "worked out)"
            )
        return about(*(i for i, _ in REASONS)) + nv.sentence(text)

    def placement_mix(self) -> str:
        """The main placement types at the period end, with England for comparison."""
        end = format_date(self.c.params.period.end)
        parts = []
        for indicator_id, words in PLACEMENTS:
            if not self.has(indicator_id):
                continue
            r = self.result(indicator_id)
            where = (
                "England"
                if self.c.params.period.is_collection_year
                else f"England in {self.england_year()}"
            )
            england = (
                f" ({where}: {format_value(r.england, r.unit)})"
                if not is_missing(r.england)
                else ""
            )
            parts.append(f"{format_value(r.value, r.unit)} were {words}{england}")
        if not parts:
            return nv.sentence(
                f"The placement types of children looked after at {end} are not available"
            )
        return nv.sentence(
            f"At {end}, " + _and_list(parts).replace(" were ", " of children looked after were ", 1)
        )

    def adoption_stages(self) -> str:
        """England's average time between the stages of adoption (published nationally only)."""
        total = (
            self.s["adoption_entry_to_adopted_days"]
            if "adoption_entry_to_adopted_days" in self.s
            else None
        )
        if total is None or is_missing(total.england):
            return ""

        def months(indicator_id: str) -> str:
            r = self.s[indicator_id] if indicator_id in self.s else None
            return "" if r is None or is_missing(r.england) else format_duration(r.england)

        year = self.england_year()
        text = (
            f"Nationally, children adopted in {year} waited on average "
            f"{format_duration(total.england)} between entering care and being adopted"
        )
        placed = months("adoption_entry_to_placed_days")
        if placed:  # cumulative: from entering care, not a stage of the total
            text += f", and moved in with their adoptive family {placed} after entering care"
        stages = []
        decision = months("adoption_entry_to_decision_days")
        if decision:
            stages.append(
                f"the decision that they should be adopted came {decision} after entering care"
            )
        match = months("adoption_decision_to_match_days")
        if match:
            stages.append(f"they were matched with adopters {match} after that decision")
        if stages:
            text += ". On the way, " + _and_list(stages)
        return nv.sentence(text)

    def england_year(self, r: IndicatorResult | None = None) -> str:
        """The year England's (and the neighbours') figures are for: the report's period when it
        is a collection year, else the DfE's latest published year before its end ("2024-25"
        for a 2024-25 Q3 report)."""
        period = self.c.params.period
        if period.is_collection_year:
            return self.c.period
        year = comparator_year(period)
        return year_label(year) if year else "the latest published year"

    def as_dict(self) -> dict[str, Any]:
        """The names a template sees."""
        params = self.c.params
        period = params.period
        return {
            "authority": params.authority_name,
            "period": period.label,
            "period_title": period.title,
            "start_date": format_date(period.start),
            "end_date": format_date(period.end),
            "prev": self.c.prev,
            "neighbours": [
                display_name(lookup(code).name) for code in params.statistical_neighbours
            ],
            "source": params.source,
            "committee": params.committee,
            "result": self.result,
            "about": about,
            "has": self.has,
            "value": self.value,
            "change": self.change,
            "compare": self.compare,
            "say": self.say,
            "unavailable": self.unavailable,
            "clause": self.clause,
            "table_ids": self.table_ids,
            "flows": self.flows,
            "reasons_ceased": self.reasons_ceased,
            "placement_mix": self.placement_mix,
            "adoption_stages": self.adoption_stages,
            "drivers": self.drivers,
            "and_list": _and_list,
            "count": lambda indicator_id, noun: nv.count_phrase(
                self.result(indicator_id).value, noun, self.result(indicator_id).marker
            ),
        }


ANCHOR = "\u27e6{}\u27e7"
"""Invisible-to-the-reader mark ``⟦id⟧`` that ties a paragraph to the indicators it explains;
``reportgen.report.templating.parse_blocks`` removes it and records the ids on the paragraph."""


def about(*indicator_ids: str) -> str:
    """Mark the paragraph as explaining these indicators (for key-message references)."""
    return "".join(ANCHOR.format(i) for i in indicator_ids)


def _and_list(items: list[str], conjunction: str = "and") -> str:
    """``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
