"""The indicator registry: one :class:`Indicator` per id of the contract (``indicators.md`` §0).

Every id here is stable: it is used in the indicators JSON, narrative templates, params (targets)
and tests. Renaming one is a breaking change. The registry holds metadata only (title, definition,
unit, polarity, numerator, denominator, source tables); values come from
:mod:`reportgen.indicators.published` (DfE tables) or from the SSDA903 indicator engine
(:mod:`reportgen.indicators.engine`; :attr:`Indicator.ssda903` gives each id's 903 function).

Additions to §0, all needed to carry what the DfE publishes by local authority:

* ``placement_foster`` / ``placement_foster_pct``: all foster placements (the DfE publishes only
  this group by LA, not the in-house / other LA / IFA / kinship split of §0);
* ``sgo_pct_of_ceased``: the SGO counterpart of ``adopted_pct_of_ceased``;
* ``adoption_entry_to_decision_days``, ``adoption_decision_to_match_days``,
  ``adoption_entry_to_placed_days``, ``adoption_entry_to_adopted_days``: England-only average times
  between adoption stages (published in months, held in days, see
  :data:`reportgen.indicators.published.DAYS_PER_MONTH`).

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


@dataclass(frozen=True)
class Indicator:
    """Metadata of one indicator.

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
    source_tables
        Published file stems the value is read from; ``()`` when no published table has it
        by local authority or for England.
    """

    id: str
    family: Family
    title: str
    definition: str
    unit: Unit
    polarity: Polarity
    numerator: str
    denominator: str = ""
    source_tables: tuple[str, ...] = ()

    @property
    def ssda903(self) -> Spec | None:
        """The 903 computation of this id: its function, timing (``snapshot``, ``flow``,
        ``rolling_year``, ``lookback``, ``rolling_3_years`` or ``birthdays``) and the 903 tables
        it reads; ``None`` when the id is not computed from 903 returns (England-only figures).
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

    def __post_init__(self) -> None:
        checks = (("family", FAMILIES), ("unit", get_args(Unit)), ("polarity", get_args(Polarity)))
        for field, allowed in checks:
            if getattr(self, field) not in allowed:
                raise ValueError(
                    f"indicator {self.id!r}: {field} {getattr(self, field)!r} "
                    f"is not one of {', '.join(allowed)}"
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
        sources: tuple[str, ...] = (),
    ) -> None:
        items.append(
            Indicator(
                id_, family, title, definition, unit, polarity, numerator, denominator, sources
            )
        )

    def count_and_pct(
        id_: str,
        title: str,
        definition: str,
        numerator: str,
        sources: tuple[str, ...],
        pct_polarity: Polarity = "neutral",
    ) -> None:
        add(id_, "sufficiency", title, definition, "count", "neutral", numerator, "", sources)
        add(
            f"{id_}_pct",
            "sufficiency",
            f"{title} (%)",
            f"{definition} Shown as a percentage of all children looked after at 31 March.",
            "percent",
            pct_polarity,
            numerator,
            _CLA_DENOMINATOR,
            sources,
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
        (CLA_NUMBERS,),
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
        (CLA_NUMBERS,),
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
        (CLA_NUMBERS,),
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
        (CLA_NUMBERS,),
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
        (CLA_NUMBERS,),
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
        (CLA_NUMBERS,),
    )
    # ------------------------------------------------------------------ sufficiency: why ceased
    for id_, title, definition in (
        (
            "ceased_adopted",
            "Ceased: adopted",
            "Children who ceased to be looked after because they were adopted (application "
            "unopposed or consent dispensed with).",
        ),
        (
            "ceased_sgo",
            "Ceased: special guardianship order",
            "Children who ceased to be looked after because a special guardianship order was made.",
        ),
        (
            "ceased_returned_home",
            "Ceased: returned home",
            "Children who ceased to be looked after because they returned home to live with "
            "parents or other person with parental responsibility, whether or not as part of the "
            "care planning process.",
        ),
        (
            "ceased_independent_living",
            "Ceased: moved into independent living",
            "Children who ceased to be looked after because they moved into independent "
            "living, with supportive accommodation or with no formalised support.",
        ),
        (
            "ceased_other",
            "Ceased: any other reason",
            "Children who ceased to be looked after for any reason other than adoption, a "
            "special guardianship order, returning home or moving into independent living (for "
            "example staying put at 18, a child arrangement order, or care taken over by another "
            "local authority).",
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
            (CEASED,),
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
        (CLA_CHARACTERISTICS,),
        pct_polarity="higher_is_better",
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
            (),
            pct_polarity=polarity,  # type: ignore[arg-type]
        )
    for id_, title, breakdown, polarity in (
        ("placement_placed_for_adoption", "Placed for adoption", "placed for adoption", "neutral"),
        (
            "placement_with_parents",
            "Placed with parents",
            "placed with parents or other person with parental responsibility",
            "neutral",
        ),
        (
            "placement_childrens_homes",
            "Children's homes",
            "in secure homes and children's homes",
            "lower_is_better",
        ),
        (
            "placement_supported_accommodation",
            "Supported accommodation and independent living",
            "in independent and semi-independent living arrangements or supported accommodation",
            "neutral",
        ),
        (
            "placement_residential_schools",
            "Residential schools",
            "in residential schools",
            "neutral",
        ),
        (
            "placement_other_residential",
            "Other residential settings",
            "in other residential settings (residential care homes, NHS or health trust "
            "establishments, family centres or mother and baby units, young offender "
            "institutions)",
            "neutral",
        ),
        ("placement_other", "Other placements", "in other placements", "neutral"),
    ):
        count_and_pct(
            id_,
            title,
            f"Children looked after at 31 March {breakdown}.",
            "children in these placements at the end of the period",
            (CLA_CHARACTERISTICS,),
            pct_polarity=polarity,  # type: ignore[arg-type]
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
        (STABILITY,),
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
        (STABILITY,),
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
        (CLA_CHARACTERISTICS,),
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
        (CLA_CHARACTERISTICS,),
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
        (CLA_CHARACTERISTICS,),
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
            (CLA_CHARACTERISTICS,),
        )
    # Sex and ethnicity at 31 March were trimmed from the shipped table: 903 data only.
    for suffix, group in (("male", "male"), ("female", "female")):
        count_and_pct(
            f"cla_by_sex_{suffix}",
            f"Sex: {group}",
            f"Children looked after at 31 March recorded as {group}.",
            f"{group} children looked after at the end of the period",
            (),
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
            (),
        )
    for suffix, title, status in (
        ("interim_care_order", "Interim care order", "on an interim care order"),
        ("full_care_order", "Full care order", "on a full care order"),
        ("placement_order", "Placement order", "with a placement order granted"),
        (
            "s20",
            "Section 20 agreement",
            "accommodated under a voluntary agreement under section 20 of the Children Act 1989",
        ),
        (
            "detained_for_child_protection",
            "Detained for child protection",
            "detained for child protection (police protection, emergency protection or child "
            "assessment order)",
        ),
        (
            "youth_justice",
            "Youth justice legal statuses",
            "on youth justice legal statuses (remand, PACE, youth rehabilitation order)",
        ),
    ):
        count_and_pct(
            f"cla_by_legal_status_{suffix}",
            f"Legal status: {title}",
            f"Children looked after at 31 March {status}.",
            f"children looked after at the end of the period {status}",
            (CLA_CHARACTERISTICS,),
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
        (CEASED,),
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
        (CEASED,),
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
        (CEASED,),
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
        (CEASED,),
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
    for id_, title, stage in (
        (
            "adoption_entry_to_decision_days",
            "Average time from entering care to decision to adopt (England, days)",
            "entry into care and the decision that the child should be placed for adoption",
        ),
        (
            "adoption_decision_to_match_days",
            "Average time from decision to adopt to match (England, days)",
            "the decision that the child should be placed for adoption and matching of child "
            "and adopters",
        ),
        (
            "adoption_entry_to_placed_days",
            "Average time from entering care to placement for adoption (England, days)",
            "entry into care and the date placed for adoption",
        ),
        (
            "adoption_entry_to_adopted_days",
            "Average time from entering care to adoption (England, days)",
            "entry into care and adoption",
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
            (ADOPTION_STAGES,),
        )

    # ------------------------------------------------------------------ care leavers
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
            (CL_ACTIVITY,),
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
            (CL_IN_TOUCH,),
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
                (CL_ACTIVITY,),
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
            (CL_ACCOMMODATION,),
        )
    for id_, ages in (("staying_put_18_pct", "18"), ("staying_put_19_20_pct", "19 to 20")):
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
            (CL_STAYING_PUT,),
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
