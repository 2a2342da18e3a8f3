"""The indicator registry: every indicator declared once, as data (``indicators.md`` §0).

Each :class:`Indicator` holds everything the rest of the package needs about one id: its label
(``title``), definition, unit and polarity; where the DfE publishes it (:attr:`Indicator.published`,
an :class:`Extract` or a :class:`Sum` of extracts, from which
:mod:`reportgen.indicators.published` reads every geography's values); which comparison tables and
charts of the paper show it (:attr:`Indicator.shown`, from which the narrative's tables, the charts,
Appendix A's definitions and Appendix B's trend tables follow); and its 903 function, if any
(:attr:`Indicator.ssda903`, registered with :func:`reportgen.indicators.measures.indicator`). An
indicator with published data and no 903 function is legal: from 903 returns the paper says it
needs published data. ``docs/adding-an-indicator.md`` shows how to add one.

Every id here is stable: it is used in the indicators JSON, narrative templates, params (targets)
and tests. Renaming one is a breaking change.

Additions to §0 (each says why in :attr:`Indicator.addition`), all needed to carry what the DfE
publishes by local authority:

* ``placement_foster`` / ``placement_foster_pct``: all foster placements (the DfE publishes only
  this group by LA, not the in-house / other LA / IFA / kinship split of §0);
* ``sgo_pct_of_ceased``: the SGO counterpart of ``adopted_pct_of_ceased``;
* ``adoption_entry_to_decision_days``, ``adoption_decision_to_match_days``,
  ``adoption_entry_to_placed_days``, ``adoption_entry_to_adopted_days``: England-only average times
  between adoption stages (published in months, held in days, see :data:`DAYS_PER_MONTH`).

The ``cla_by_age_*``, ``cla_by_sex_*``, ``cla_by_ethnicity_*`` and ``cla_by_legal_status_*``
patterns of §0 are spelt out below (DfE bands and groups), each as a count and a ``_pct`` of
``cla_at_end``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from reportgen.core.errors import ParamsError
from reportgen.indicators.result import Polarity, Unit

if TYPE_CHECKING:
    from reportgen.indicators.measures import Spec

Family = Literal["sufficiency", "adoption", "care_leavers"]

FAMILIES: tuple[str, ...] = get_args(Family)
"""The three indicator families, in report order."""

# Published table stems (files in data/published).
CLA_NUMBERS = "cla_number_and_rate_per_10k_children"
CLA_CHARACTERISTICS = "la_cla_on_31_march_by_characteristics"
CEASED = "la_children_who_ceased_during_the_year"
STABILITY = "la_cla_placement_stability"
ADOPTION_STAGES = "national_cla_adopted_average_time_between_adoption_process_stages"
CL_ACTIVITY = "la_care_leavers_activity"
CL_ACCOMMODATION = "la_care_leavers_accommodation_suitability"
CL_IN_TOUCH = "la_care_leavers_intouch"
CL_STAYING_PUT = "la_care_leavers_stayput"

DAYS_PER_MONTH = 365.25 / 12
"""Days in an average month: converts the DfE's ``YY:MM`` adoption stage durations to days."""

TABLES: tuple[str, ...] = ("sufficiency", "placements", "adoption", "care_leavers")
"""Comparison tables a narrative template places with ``{{ table_ids("<name>") }}``."""

CHARTS: tuple[str, ...] = (
    "sufficiency_cla_rate",
    "sufficiency_placements",
    "adoption_orders",
    "care_leavers_outcomes",
)
"""Charts the report notebooks draw (file stems; see ``reportgen.report.notebook_api``)."""


@dataclass(frozen=True)
class Extract:
    """Where one indicator's values are in a published table.

    Parameters
    ----------
    table
        Published file stem (a file in ``data/published``).
    value
        Value column (``children_count``, ``children_percent``, ``number`` ...).
    filters
        ``(column, value)`` pairs selecting one row per geography and year.
    scale
        Factor applied to the value (e.g. months to days).
    """

    table: str
    value: str
    filters: tuple[tuple[str, str], ...]
    scale: float = 1.0


def extract(table: str, value: str, scale: float = 1.0, **filters: str) -> Extract:
    """An :class:`Extract`, the filters as keywords.

    >>> extract("la_care_leavers_stayput", "percentage", age="Aged 18").filters
    (('age', 'Aged 18'),)
    """
    return Extract(table, value, tuple(filters.items()), scale)


@dataclass(frozen=True)
class Sum:
    """An indicator the DfE publishes as parts: the signed sum of published rows.

    ``terms`` are ``(extract, sign)`` pairs, all from one table. The sum is missing when a part is
    missing (with the marker of the first missing part).
    """

    terms: tuple[tuple[Extract, int], ...]

    @property
    def table(self) -> str:
        """The published table the parts come from."""
        return self.terms[0][0].table


@dataclass(frozen=True)
class Shown:
    """One place of the paper that shows an indicator.

    Parameters
    ----------
    where
        A comparison table (one of :data:`TABLES`) or a chart (one of :data:`CHARTS`).
    position
        Its row or bar among the others shown there (ascending; steps of 10 leave room).
    label
        Short label of its bar on a chart (tables use the indicator's title).
    """

    where: str
    position: int
    label: str = ""


def table(name: str, position: int) -> Shown:
    """A row of the comparison table ``name``."""
    return Shown(name, position)


def chart(name: str, position: int, label: str = "") -> Shown:
    """A bar (or the line) of the chart ``name``, labelled ``label``."""
    return Shown(name, position, label)


NEEDS_PUBLISHED = "needs published data"
"""Why a published-only indicator (no 903 function) has no value from 903 returns."""


@dataclass(frozen=True)
class Indicator:
    """One indicator, declared once.

    Parameters
    ----------
    id
        Stable identifier (``indicators.md`` §0).
    family
        ``"sufficiency"``, ``"adoption"`` or ``"care_leavers"``.
    title
        Short plain-English label, used as a table row label.
    definition
        One or two sentences in DfE wording, shown in the report appendix.
    unit
        ``"count"``, ``"percent"`` (0-100), ``"rate"`` (per 10,000 children) or ``"days"``.
    polarity
        Whether a higher value is better, worse, or neither.
    numerator, denominator
        What is counted, and what it is divided by (``""`` for counts).
    published
        Where the DfE publishes it (an :class:`Extract`, or a :class:`Sum` of them); ``None``
        when no published table has it by local authority or for England.
    shown
        The comparison tables and charts that show it (:class:`Shown`); Appendix A defines and
        Appendix B trends every indicator a table shows.
    not_from_903
        Why 903 returns cannot give it (an England-only figure), when it has no 903 function;
        empty for a published-only figure, which the paper says needs published data.
    addition
        Why the id is an addition to ``indicators.md`` §0 (empty for the contract's ids).
    """

    id: str
    family: Family
    title: str
    definition: str
    unit: Unit
    polarity: Polarity
    numerator: str
    denominator: str = ""
    published: Extract | Sum | None = None
    shown: tuple[Shown, ...] = ()
    not_from_903: str = ""
    addition: str = ""

    @property
    def source_tables(self) -> tuple[str, ...]:
        """Published file stems the value is read from (``()`` when not published)."""
        return (self.published.table,) if self.published is not None else ()

    @property
    def ssda903(self) -> Spec | None:
        """The 903 computation of this id: its function, timing (``snapshot``, ``flow``,
        ``rolling_year``, ``lookback``, ``rolling_3_years`` or ``birthdays``) and the 903 tables
        it reads; ``None`` when the id is not computed from 903 returns (published only).
        """
        from reportgen.indicators import (  # noqa: F401  (their @measure functions fill FUNCTIONS)
            adoption,
            care_leavers,
            sufficiency,
        )
        from reportgen.indicators.measures import FUNCTIONS

        return FUNCTIONS.get(self.id)

    @property
    def ssda903_tables(self) -> tuple[str, ...]:
        """903 tables the id needs (``()`` when not computed from 903 returns)."""
        spec = self.ssda903
        return spec.tables if spec else ()

    def position_in(self, where: str) -> int | None:
        """Its position in a table or chart (``None`` when not shown there)."""
        return next((s.position for s in self.shown if s.where == where), None)

    def __post_init__(self) -> None:
        checks = (("family", FAMILIES), ("unit", get_args(Unit)), ("polarity", get_args(Polarity)))
        for field, allowed in checks:
            if getattr(self, field) not in allowed:
                raise ValueError(
                    f"indicator {self.id!r}: {field} {getattr(self, field)!r} "
                    f"is not one of {', '.join(allowed)}"
                )
        for place in self.shown:
            if place.where not in (*TABLES, *CHARTS):
                raise ValueError(
                    f"indicator {self.id!r}: shown in {place.where!r}, which is neither a table "
                    f"({', '.join(TABLES)}) nor a chart ({', '.join(CHARTS)})"
                )


_CLA_DENOMINATOR = "children looked after at 31 March (excluding short breaks)"
_SHORT_BREAKS = "Children looked after under a series of short-term placements are excluded."


def _build() -> list[Indicator]:
    items: list[Indicator] = []

    def add(
        id_: str,
        family: Family,
        title: str,
        definition: str,
        unit: Unit,
        polarity: Polarity,
        numerator: str,
        denominator: str = "",
        published: Extract | Sum | None = None,
        shown: tuple[Shown, ...] = (),
        not_from_903: str = "",
        addition: str = "",
    ) -> None:
        items.append(
            Indicator(
                id_,
                family,
                title,
                definition,
                unit,
                polarity,
                numerator,
                denominator,
                published,
                shown,
                not_from_903,
                addition,
            )
        )

    def count_and_pct(
        id_: str,
        title: str,
        definition: str,
        numerator: str,
        published: tuple[str, str, str] | None,
        pct_polarity: Polarity = "neutral",
        pct_shown: tuple[Shown, ...] = (),
        addition: str = "",
    ) -> None:
        """A count and its percentage of ``cla_at_end``; ``published`` is ``(table,
        characteristic, breakdown)`` of the DfE table giving both (``children_count``,
        ``children_percent``)."""
        count = pct = None
        if published is not None:
            stem, characteristic, breakdown = published
            rows = {"characteristic": characteristic, "breakdown": breakdown}
            count = extract(stem, "children_count", **rows)
            pct = extract(stem, "children_percent", **rows)
        add(
            id_,
            "sufficiency",
            title,
            definition,
            "count",
            "neutral",
            numerator,
            "",
            count,
            addition=addition,
        )
        add(
            f"{id_}_pct",
            "sufficiency",
            f"{title} (%)",
            f"{definition} Shown as a percentage of all children looked after at 31 March.",
            "percent",
            pct_polarity,
            numerator,
            _CLA_DENOMINATOR,
            pct,
            pct_shown,
            addition=addition,
        )

    def cla_numbers(value: str, population_type: str) -> Extract:
        return extract(CLA_NUMBERS, value, population_type=population_type)

    cla_31_march = "Children looked after on 31 March each year"
    starting = "Children starting to be looked after each year"
    ceasing = "Children ceasing to be looked after each year"

    def ceased_row(breakdown: str, value: str = "children_count") -> Extract:
        return extract(CEASED, value, characteristic="Reason episode ceased", breakdown=breakdown)

    ceased_total = ceased_row("Total")
    home_planned = ceased_row(
        "Returned home to live with parents or other person with parental responsibility which "
        "was part of the care planning process"
    )
    home_unplanned = ceased_row(
        "Returned home to live with parents or other person with parental responsibility which "
        "was not part of the care planning process"
    )
    independent_supported = ceased_row(
        "Moved into independent living (with supportive accommodation)"
    )
    independent_unsupported = ceased_row(
        "Moved into independent living (with no formalised support)"
    )

    # ------------------------------------------------------------------ sufficiency: numbers
    add(
        "cla_at_end",
        "sufficiency",
        "Children looked after at 31 March",
        "Children looked after by the local authority at 31 March (at the period's last day). "
        + _SHORT_BREAKS,
        "count",
        "neutral",
        "children looked after at the end of the period",
        "",
        cla_numbers("children_count", cla_31_march),
        (table("sufficiency", 10),),
    )
    add(
        "cla_rate_per_10k",
        "sufficiency",
        "Children looked after per 10,000 children",
        "Children looked after at 31 March per 10,000 children aged under 18, using the ONS "
        "mid-year population estimate for the previous year.",
        "rate",
        "neutral",
        "children looked after at the end of the period × 10,000",
        "ONS mid-year estimate of children aged 0 to 17",
        cla_numbers("rate_per_10000", cla_31_march),
        (
            table("sufficiency", 20),
            chart("sufficiency_cla_rate", 10),
        ),
    )
    add(
        "started",
        "sufficiency",
        "Children who started to be looked after",
        "Children who started to be looked after during the year. Only the first occasion on "
        "which a child started to be looked after in the year is counted.",
        "count",
        "neutral",
        "children starting to be looked after (first start in the period)",
        "",
        cla_numbers("children_count", starting),
        (table("sufficiency", 30),),
    )
    add(
        "started_rate_per_10k",
        "sufficiency",
        "Children who started to be looked after per 10,000 children",
        "Children who started to be looked after during the year per 10,000 children aged "
        "under 18.",
        "rate",
        "neutral",
        "children starting to be looked after × 10,000",
        "ONS mid-year estimate of children aged 0 to 17",
        cla_numbers("rate_per_10000", starting),
        (table("sufficiency", 40),),
    )
    add(
        "ceased",
        "sufficiency",
        "Children who ceased to be looked after",
        "Children who ceased to be looked after during the year. Only the last occasion on "
        "which a child ceased to be looked after in the year is counted.",
        "count",
        "neutral",
        "children ceasing to be looked after (last cessation in the period)",
        "",
        cla_numbers("children_count", ceasing),
        (table("sufficiency", 50),),
    )
    add(
        "ceased_rate_per_10k",
        "sufficiency",
        "Children who ceased to be looked after per 10,000 children",
        "Children who ceased to be looked after during the year per 10,000 children aged under 18.",
        "rate",
        "neutral",
        "children ceasing to be looked after × 10,000",
        "ONS mid-year estimate of children aged 0 to 17",
        cla_numbers("rate_per_10000", ceasing),
        (table("sufficiency", 60),),
    )
    # ------------------------------------------------------------------ sufficiency: why ceased
    for id_, title, definition, published in (
        (
            "ceased_adopted",
            "Ceased: adopted",
            "Children who ceased to be looked after because they were adopted (application "
            "unopposed or consent dispensed with).",
            ceased_row("Adopted"),
        ),
        (
            "ceased_sgo",
            "Ceased: special guardianship order",
            "Children who ceased to be looked after because a special guardianship order was made.",
            ceased_row("Special guardianship order"),
        ),
        (
            "ceased_returned_home",
            "Ceased: returned home",
            "Children who ceased to be looked after because they returned home to live with "
            "parents or other person with parental responsibility, whether or not as part of the "
            "care planning process.",
            Sum(((home_planned, 1), (home_unplanned, 1))),
        ),
        (
            "ceased_independent_living",
            "Ceased: moved into independent living",
            "Children who ceased to be looked after because they moved into independent "
            "living, with supportive accommodation or with no formalised support.",
            Sum(((independent_supported, 1), (independent_unsupported, 1))),
        ),
        (
            "ceased_other",
            "Ceased: any other reason",
            "Children who ceased to be looked after for any reason other than adoption, a "
            "special guardianship order, returning home or moving into independent living (for "
            "example staying put at 18, a child arrangement order, or care taken over by another "
            "local authority).",
            Sum(
                (
                    (ceased_total, 1),
                    (ceased_row("Adopted"), -1),
                    (ceased_row("Special guardianship order"), -1),
                    (home_planned, -1),
                    (home_unplanned, -1),
                    (independent_supported, -1),
                    (independent_unsupported, -1),
                )
            ),
        ),
    ):
        add(
            id_,
            "sufficiency",
            title,
            definition,
            "count",
            "neutral",
            "children ceasing to be looked after for this reason",
            "",
            published,
        )
    # ------------------------------------------------------------------ sufficiency: placements
    # `placement_foster` is an addition to §0: the DfE publishes all foster placements by LA,
    # but not the in-house / other LA / IFA / kinship split below (903 data only).
    count_and_pct(
        "placement_foster",
        "Foster placements",
        "Children looked after at 31 March in foster placements (with relatives or friends, "
        "or with other foster carers).",
        "children in foster placements at the end of the period",
        (CLA_CHARACTERISTICS, "Placement", "Foster placements"),
        pct_polarity="higher_is_better",
        pct_shown=(
            table("placements", 10),
            chart("sufficiency_placements", 10, "Foster placements"),
        ),
        addition="the DfE publishes all foster placements by LA, not the split of §0",
    )
    for id_, title, definition, polarity in (
        (
            "placement_foster_in_house",
            "Foster placements: in-house",
            "Children in foster placements provided by the authority itself (903 placement "
            "types U1 to U6, provider PR1).",
            "higher_is_better",
        ),
        (
            "placement_foster_other_la",
            "Foster placements: other local authority",
            "Children in foster placements provided by another local authority (U1 to U6, "
            "provider PR2).",
            "neutral",
        ),
        (
            "placement_foster_ifa",
            "Foster placements: independent fostering agency",
            "Children in foster placements provided by private or voluntary providers (U1 to "
            "U6, providers PR4 and PR5).",
            "lower_is_better",
        ),
        (
            "placement_foster_kinship",
            "Foster placements: with relatives or friends",
            "Children in foster placements with a relative or friend (kinship or connected "
            "carers, U1 to U3); overlaps the provider split.",
            "higher_is_better",
        ),
    ):
        count_and_pct(
            id_,
            title,
            definition,
            "children in these placements at the end of the period",
            None,
            pct_polarity=polarity,  # type: ignore[arg-type]
        )
    for id_, title, breakdown, polarity, dfe_row, shown in (
        (
            "placement_placed_for_adoption",
            "Placed for adoption",
            "placed for adoption",
            "neutral",
            "Placed for adoption",
            (table("placements", 50), chart("sufficiency_placements", 50, "Placed for adoption")),
        ),
        (
            "placement_with_parents",
            "Placed with parents",
            "placed with parents or other person with parental responsibility",
            "neutral",
            "Placed with parents or other person with parental responsibility",
            (table("placements", 40), chart("sufficiency_placements", 40, "Placed with parents")),
        ),
        (
            "placement_childrens_homes",
            "Children's homes",
            "in secure homes and children's homes",
            "lower_is_better",
            "Secure homes and children's homes",
            (
                table("placements", 20),
                chart("sufficiency_placements", 20, "Secure and children's homes"),
            ),
        ),
        (
            "placement_supported_accommodation",
            "Supported accommodation and independent living",
            "in independent and semi-independent living arrangements or supported accommodation",
            "neutral",
            "Independent and semi-independent living arrangements/supported accommodation",
            (
                table("placements", 30),
                chart("sufficiency_placements", 30, "Supported accommodation"),
            ),
        ),
        (
            "placement_residential_schools",
            "Residential schools",
            "in residential schools",
            "neutral",
            "Residential schools",
            (table("placements", 70), chart("sufficiency_placements", 70, "Residential schools")),
        ),
        (
            "placement_other_residential",
            "Other residential settings",
            "in other residential settings (residential care homes, NHS or health trust "
            "establishments, family centres or mother and baby units, young offender "
            "institutions)",
            "neutral",
            "Other residential settings",
            (table("placements", 60), chart("sufficiency_placements", 60, "Other residential")),
        ),
        (
            "placement_other",
            "Other placements",
            "in other placements",
            "neutral",
            "Other placements",
            (table("placements", 80), chart("sufficiency_placements", 80, "Other placements")),
        ),
    ):
        count_and_pct(
            id_,
            title,
            f"Children looked after at 31 March {breakdown}.",
            "children in these placements at the end of the period",
            (CLA_CHARACTERISTICS, "Placement", dfe_row),
            pct_polarity=polarity,  # type: ignore[arg-type]
            pct_shown=shown,
        )
    # ------------------------------------------------------------------ sufficiency: stability
    add(
        "stability_3plus_pct",
        "sufficiency",
        "Children with 3 or more placements in the year (%)",
        "Percentage of children looked after at 31 March with 3 or more placements during the "
        "year (short-term placement stability).",
        "percent",
        "lower_is_better",
        "children looked after at 31 March with 3 or more placements during the year",
        _CLA_DENOMINATOR,
        extract(
            STABILITY,
            "children_percent",
            cla_group="CLA on 31 March",
            placement_stability="With 3 or more placements during the year",
        ),
        (table("sufficiency", 70),),
    )
    add(
        "stability_long_term_pct",
        "sufficiency",
        "Children in the same placement for 2 years or more (%)",
        "Percentage of children aged under 16 at 31 March who had been looked after "
        "continuously for at least 2.5 years and were living in the same placement (with the "
        "same carer) for at least 2 years, or placed for adoption with those carers.",
        "percent",
        "higher_is_better",
        "children living with the same carer for at least 2 years",
        "children aged under 16 looked after continuously for at least 2.5 years at 31 March",
        extract(
            STABILITY,
            "children_percent",
            cla_group="Children looked after continuously for at least 2.5 years on 31 March "
            "aged under 16 years",
            placement_stability="Living with the same carer for at least 2 years",
        ),
        (table("sufficiency", 80),),
    )
    add(
        "placed_over_20_miles_pct",
        "sufficiency",
        "Children placed more than 20 miles from home (%)",
        "Percentage of children looked after at 31 March placed more than 20 miles from their "
        "home address (straight-line distance).",
        "percent",
        "lower_is_better",
        "children placed more than 20 miles from home",
        _CLA_DENOMINATOR,
        extract(
            CLA_CHARACTERISTICS,
            "children_percent",
            characteristic="Distance between home and placement",
            breakdown="Placed more than 20 miles from home",
        ),
        (table("sufficiency", 90),),
    )
    add(
        "placed_outside_la_pct",
        "sufficiency",
        "Children placed outside the authority's boundary (%)",
        "Percentage of children looked after at 31 March placed outside the local authority "
        "boundary.",
        "percent",
        "lower_is_better",
        "children placed outside the local authority boundary",
        _CLA_DENOMINATOR,
        extract(
            CLA_CHARACTERISTICS,
            "children_percent",
            characteristic="Locality of placement",
            breakdown="Placed outside the local authority boundary",
        ),
        (table("sufficiency", 100),),
    )
    add(
        "uasc_at_end",
        "sufficiency",
        "Unaccompanied asylum-seeking children looked after",
        "Unaccompanied asylum-seeking children looked after at 31 March.",
        "count",
        "neutral",
        "unaccompanied asylum-seeking children looked after at the end of the period",
        "",
        extract(
            CLA_CHARACTERISTICS,
            "children_count",
            characteristic="Unaccompanied asylum-seeking children",
            breakdown="Unaccompanied asylum-seeking children",
        ),
        (table("sufficiency", 110),),
    )
    # ------------------------------------------------------------------ sufficiency: profile
    for suffix, band in (
        ("under_1", "under 1 year"),
        ("1_4", "1 to 4 years"),
        ("5_9", "5 to 9 years"),
        ("10_15", "10 to 15 years"),
        ("16_plus", "16 years and over"),
    ):
        count_and_pct(
            f"cla_by_age_{suffix}",
            f"Aged {band}",
            f"Children looked after at 31 March aged {band}.",
            f"children looked after at the end of the period aged {band}",
            (CLA_CHARACTERISTICS, "Age group", band[0].upper() + band[1:]),
        )
    # Sex and ethnicity at 31 March were trimmed from the shipped table: 903 data only.
    for suffix, group in (("male", "male"), ("female", "female")):
        count_and_pct(
            f"cla_by_sex_{suffix}",
            f"Sex: {group}",
            f"Children looked after at 31 March recorded as {group}.",
            f"{group} children looked after at the end of the period",
            None,
        )
    for suffix, group in (
        ("white", "White"),
        ("mixed", "Mixed or Multiple ethnic groups"),
        ("asian", "Asian or Asian British"),
        ("black", "Black, African, Caribbean or Black British"),
        ("other", "Other ethnic group"),
        ("not_known", "Refused or information not yet available"),
    ):
        count_and_pct(
            f"cla_by_ethnicity_{suffix}",
            f"Ethnicity: {group}",
            f"Children looked after at 31 March in the ethnic group: {group}.",
            "children looked after at the end of the period in this ethnic group",
            None,
        )
    for suffix, title, status, dfe_row in (
        (
            "interim_care_order",
            "Interim care order",
            "on an interim care order",
            "Interim care order",
        ),
        ("full_care_order", "Full care order", "on a full care order", "Full care order"),
        (
            "placement_order",
            "Placement order",
            "with a placement order granted",
            "Placement order granted",
        ),
        (
            "s20",
            "Section 20 agreement",
            "accommodated under a voluntary agreement under section 20 of the Children Act 1989",
            "Voluntary agreements under S20 CA 1989",
        ),
        (
            "detained_for_child_protection",
            "Detained for child protection",
            "detained for child protection (police protection, emergency protection or child "
            "assessment order)",
            "Detained for child protection",
        ),
        (
            "youth_justice",
            "Youth justice legal statuses",
            "on youth justice legal statuses (remand, PACE, youth rehabilitation order)",
            "Youth justice legal statuses",
        ),
    ):
        count_and_pct(
            f"cla_by_legal_status_{suffix}",
            f"Legal status: {title}",
            f"Children looked after at 31 March {status}.",
            f"children looked after at the end of the period {status}",
            (CLA_CHARACTERISTICS, "Legal status", dfe_row),
        )

    # ------------------------------------------------------------------ adoption
    add(
        "adopted",
        "adoption",
        "Children adopted",
        "Children who ceased to be looked after during the year because they were adopted.",
        "count",
        "neutral",
        "children adopted from care (903 reason ceased E11, E12)",
        "",
        ceased_row("Adopted"),
        (table("adoption", 10), chart("adoption_orders", 10, "Adopted")),
    )
    add(
        "adopted_pct_of_ceased",
        "adoption",
        "Children adopted as a share of all leaving care (%)",
        "Children adopted as a percentage of all children who ceased to be looked after "
        "during the year.",
        "percent",
        "higher_is_better",
        "children adopted from care",
        "children who ceased to be looked after during the year",
        ceased_row("Adopted", "children_percent"),
        (table("adoption", 20),),
    )
    add(
        "sgo",
        "adoption",
        "Special guardianship orders",
        "Children who ceased to be looked after during the year because a special "
        "guardianship order was made.",
        "count",
        "neutral",
        "children leaving care on a special guardianship order (E45 to E48)",
        "",
        ceased_row("Special guardianship order"),
        (
            table("adoption", 30),
            chart("adoption_orders", 20, "Special guardianship orders"),
        ),
    )
    # Addition to §0: the SGO counterpart of adopted_pct_of_ceased (published by the DfE).
    add(
        "sgo_pct_of_ceased",
        "adoption",
        "Special guardianship orders as a share of all leaving care (%)",
        "Children leaving care on a special guardianship order as a percentage of all children "
        "who ceased to be looked after during the year.",
        "percent",
        "neutral",
        "children leaving care on a special guardianship order",
        "children who ceased to be looked after during the year",
        ceased_row("Special guardianship order", "children_percent"),
        (table("adoption", 40),),
        addition="the SGO counterpart of adopted_pct_of_ceased, published by the DfE",
    )
    add(
        "placement_orders",
        "adoption",
        "New placement orders",
        "Children with a new placement order (authority to place for adoption) granted in the "
        "period.",
        "count",
        "neutral",
        "children whose first placement order episode started in the period",
    )
    add(
        "waiting_placement_order_not_placed",
        "adoption",
        "Children with a placement order not yet placed",
        "Children looked after at the period's end with a placement order who were not yet "
        "placed for adoption.",
        "count",
        "lower_is_better",
        "children with a placement order, not placed for adoption, at the end of the period",
    )
    add(
        "a1_avg_days",
        "adoption",
        "Average days from entering care to moving in with adoptive family (A1)",
        "Former adoption scorecard A1: average days between a child entering care and moving "
        "in with their adoptive family, for children adopted (3-year rolling average).",
        "days",
        "lower_is_better",
        "days from entering care to moving in with the adoptive family",
        "children adopted in the 3 years",
    )
    add(
        "a10_avg_days",
        "adoption",
        "Average days from entering care to placement with adoptive family (A10)",
        "Adoption scorecard A10: as A1, but for children adopted by their foster carers the "
        "time is measured to the start of the placement with those carers (3-year rolling "
        "average; threshold 426 days).",
        "days",
        "lower_is_better",
        "days from entering care to placement with the adoptive family",
        "children adopted in the 3 years",
    )
    add(
        "a2_avg_days",
        "adoption",
        "Average days from placement order to match (A2)",
        "Adoption scorecard A2: average days between the local authority receiving court "
        "authority to place a child and deciding on a match with an adoptive family (3-year "
        "rolling average; threshold 121 days).",
        "days",
        "lower_is_better",
        "days from placement order to match",
        "children adopted in the 3 years with a placement order, placed before the adoption order",
    )
    add(
        "a10_within_426_days_pct",
        "adoption",
        "Children placed for adoption within 426 days (%)",
        "Percentage of children adopted who entered care and moved in with their adoptive "
        "family within 426 days (14 months), 3-year rolling.",
        "percent",
        "higher_is_better",
        "children adopted whose A10 time was under 426 days",
        "children adopted in the 3 years",
    )
    # Additions to §0: England-only averages from the DfE national adoption stages table
    # ("Total" age row), published in months (YY:MM) and held in days.
    for id_, title, stage, dfe_row in (
        (
            "adoption_entry_to_decision_days",
            "Average time from entering care to decision to adopt (England, days)",
            "entry into care and the decision that the child should be placed for adoption",
            "1. Average time between entry into care and decision that child should be "
            "placed for adoption",
        ),
        (
            "adoption_decision_to_match_days",
            "Average time from decision to adopt to match (England, days)",
            "the decision that the child should be placed for adoption and matching of child "
            "and adopters",
            "2. Average time between decision that child should be placed for adoption and "
            "matching of child and adopters",
        ),
        (
            "adoption_entry_to_placed_days",
            "Average time from entering care to placement for adoption (England, days)",
            "entry into care and the date placed for adoption",
            "4. Total average time between entry into care and date placed for adoption",
        ),
        (
            "adoption_entry_to_adopted_days",
            "Average time from entering care to adoption (England, days)",
            "entry into care and adoption",
            "6. Total average time between entry into care and adoption",
        ),
    ):
        add(
            id_,
            "adoption",
            title,
            f"Children adopted during the year: average time between {stage}, England. "
            "Published in years and months; shown in days (1 month = 365.25 / 12 days).",
            "days",
            "lower_is_better",
            f"time between {stage}",
            "children adopted during the year",
            extract(
                ADOPTION_STAGES,
                "number",
                DAYS_PER_MONTH,
                stage_of_adoption_process=dfe_row,
                age_start_poc="Total",
            ),
            not_from_903="England-only figure from the DfE national adoption table",
            addition="England-only average time between adoption stages, published by the DfE",
        )

    # ------------------------------------------------------------------ care leavers
    # The DfE's age bands: the 2025 release ("17 to 18 years") and the 2024 one ("Aged 17 to 18").
    age_2025 = {"17_18": "17 to 18 years", "19_21": "19 to 21 years"}
    age_2024 = {"17_18": "Aged 17 to 18", "19_21": "Aged 19 to 21"}
    # Rows of the care leavers' table (10 ...) and bars of their chart, by id.
    cl_table = {
        "cl_17_18_count": 10,
        "cl_17_18_in_touch_pct": 20,
        "cl_17_18_eet_pct": 30,
        "cl_17_18_suitable_accom_pct": 40,
        "cl_19_21_count": 50,
        "cl_19_21_in_touch_pct": 60,
        "cl_19_21_eet_pct": 70,
        "cl_19_21_neet_pct": 80,
        "cl_19_21_suitable_accom_pct": 90,
    }
    cl_chart = {
        "cl_19_21_eet_pct": (10, "19-21: in education, employment or training"),
        "cl_19_21_suitable_accom_pct": (20, "19-21: in suitable accommodation"),
        "cl_17_18_eet_pct": (30, "17-18: in education, employment or training"),
        "cl_17_18_suitable_accom_pct": (40, "17-18: in suitable accommodation"),
    }

    def cl_shown(id_: str) -> tuple[Shown, ...]:
        places = [table("care_leavers", cl_table[id_])]
        if id_ in cl_chart:
            places.append(chart("care_leavers_outcomes", *cl_chart[id_]))
        return tuple(places)

    for band, ages, birthdays in (
        ("17_18", "17 to 18", "17th or 18th"),
        ("19_21", "19 to 21", "19th, 20th or 21st"),
    ):
        add(
            f"cl_{band}_count",
            "care_leavers",
            f"Care leavers aged {ages}",
            f"Care leavers (former relevant children) who reached their {birthdays} birthday in "
            "the year; information is recorded around their birthday.",
            "count",
            "neutral",
            f"care leavers aged {ages}",
            "",
            extract(
                CL_ACTIVITY, "care_leaver_count", care_leaver_age=age_2025[band], breakdown="Total"
            ),
            cl_shown(f"cl_{band}_count"),
        )
    for band in ("17_18", "19_21"):
        ages = band.replace("_", " to ")
        add(
            f"cl_{band}_in_touch_pct",
            "care_leavers",
            f"Care leavers aged {ages} in touch (%)",
            f"Percentage of care leavers aged {ages} with whom the local authority was in touch "
            "around their birthday.",
            "percent",
            "higher_is_better",
            f"care leavers aged {ages} in touch with the authority",
            f"care leavers aged {ages}",
            extract(
                CL_IN_TOUCH,
                "percentage",
                age=age_2024[band],
                in_touch="Local authority in touch with care leaver",
            ),
            cl_shown(f"cl_{band}_in_touch_pct"),
        )
    for band, kinds in (("17_18", ("eet",)), ("19_21", ("eet", "neet"))):
        ages = band.replace("_", " to ")
        for kind in kinds:
            not_ = "not " if kind == "neet" else ""
            add(
                f"cl_{band}_{kind}_pct",
                "care_leavers",
                f"Care leavers aged {ages} {not_}in education, employment or training (%)",
                f"Percentage of care leavers aged {ages} {not_}in education, employment or "
                "training around their birthday.",
                "percent",
                "lower_is_better" if kind == "neet" else "higher_is_better",
                f"care leavers aged {ages} {not_}in education, employment or training",
                f"care leavers aged {ages}",
                extract(
                    CL_ACTIVITY,
                    "care_leaver_percent",
                    care_leaver_age=age_2025[band],
                    breakdown=f"Total {not_}in education, employment or training",
                ),
                cl_shown(f"cl_{band}_{kind}_pct"),
            )
    for band in ("17_18", "19_21"):
        ages = band.replace("_", " to ")
        add(
            f"cl_{band}_suitable_accom_pct",
            "care_leavers",
            f"Care leavers aged {ages} in suitable accommodation (%)",
            f"Percentage of care leavers aged {ages} whose accommodation was considered "
            "suitable (Care Leavers Regulations, regulation 9(2)).",
            "percent",
            "higher_is_better",
            f"care leavers aged {ages} in accommodation considered suitable",
            f"care leavers aged {ages}",
            extract(
                CL_ACCOMMODATION,
                "care_leaver_percent",
                care_leaver_age=age_2025[band],
                breakdown="Accommodation considered suitable",
            ),
            cl_shown(f"cl_{band}_suitable_accom_pct"),
        )
    for id_, ages, position in (
        ("staying_put_18_pct", "18", 100),
        ("staying_put_19_20_pct", "19 to 20", 110),
    ):
        add(
            id_,
            "care_leavers",
            f"Staying put with former foster carers at {ages} (%)",
            f"Percentage of young people aged {ages} who ceased to be looked after in a foster "
            "placement on their 18th birthday, were eligible for care leaver support, and were "
            "still living with their former foster carers.",
            "percent",
            "higher_is_better",
            f"young people aged {ages} living with their former foster carers",
            "young people who ceased to be looked after in a foster placement on their 18th "
            "birthday and were eligible for care leaver support",
            extract(
                CL_STAYING_PUT,
                "percentage",
                age=f"Aged {ages}",
                stay_put="Total living with former foster carers in the current year",
            ),
            (table("care_leavers", position),),
        )
    return items


REGISTRY: dict[str, Indicator] = {ind.id: ind for ind in _build()}
"""Every indicator, keyed by id, in display order within each family."""


def get(indicator_id: str) -> Indicator:
    """Return the indicator with this id.

    Parameters
    ----------
    indicator_id
        An id of ``indicators.md`` §0 (or one of the documented additions).

    Returns
    -------
    Indicator

    Raises
    ------
    ParamsError
        The id is unknown; the message suggests the closest ids.
    """
    try:
        return REGISTRY[indicator_id]
    except KeyError:
        close = difflib.get_close_matches(indicator_id, REGISTRY, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ParamsError(f"unknown indicator id '{indicator_id}'{hint}") from None


def by_family(family: str) -> list[Indicator]:
    """Return the indicators of one family, in display order.

    Parameters
    ----------
    family
        ``"sufficiency"``, ``"adoption"`` or ``"care_leavers"``.

    Returns
    -------
    list of Indicator

    Raises
    ------
    ParamsError
        The family is unknown.
    """
    if family not in FAMILIES:
        raise ParamsError(f"unknown indicator family '{family}': use one of {', '.join(FAMILIES)}")
    return [ind for ind in REGISTRY.values() if ind.family == family]


def shown_in(where: str) -> list[Indicator]:
    """The indicators a comparison table or chart shows, in their declared order.

    Parameters
    ----------
    where
        A table (:data:`TABLES`) or chart (:data:`CHARTS`) name.

    Returns
    -------
    list of Indicator

    Raises
    ------
    ParamsError
        ``where`` is neither a table nor a chart.

    Examples
    --------
    >>> [i.id for i in shown_in("adoption_orders")]
    ['adopted', 'sgo']
    """
    if where not in (*TABLES, *CHARTS):
        raise ParamsError(
            f"unknown table or chart '{where}': tables are {', '.join(TABLES)}; "
            f"charts are {', '.join(CHARTS)}"
        )
    found = [(ind.position_in(where), ind) for ind in REGISTRY.values()]
    return [
        ind
        for position, ind in sorted(
            ((p, i) for p, i in found if p is not None), key=lambda pair: pair[0]
        )
    ]


def chart_labels(chart_name: str) -> dict[str, str]:
    """``{id: bar label}`` of a chart's indicators, in order.

    >>> chart_labels("adoption_orders")
    {'adopted': 'Adopted', 'sgo': 'Special guardianship orders'}
    """
    return {
        ind.id: next(s.label for s in ind.shown if s.where == chart_name)
        for ind in shown_in(chart_name)
    }
