"""Defects of csc-validator-be-903 0.1.17, recognised so they are not blamed on the authority.

Each recogniser looks at one rule's raw findings (the runner's JSON) and says which of them are
the validator's defect, with the reason shown to the user. ``indicators.md`` section 10 and the
synthetic-return tests found them:

* **146** (2024-25): the rule lists K3 as ``"k3"`` but the validator upper-cases the data, so
  every K3 placement is flagged.
* **231** (2024-25) crashes on CSV returns: it reads a Header column ``UASC_STATUS`` that the
  CSV reader never makes (it makes ``UASC``).
* **169**: the validator maps postcodes to authorities with a 2021 lookup, so a placement in an
  area whose lower-tier code is newer (the 2023 unitaries Cumberland, Westmorland and Furness,
  North Yorkshire and Somerset; Barnsley E08000038 and Sheffield E08000039) has no authority.
* **202** (2024-25, with the previous year): SEX was recoded from 1/2 to M/F in 2024-25 and the
  rule compares the codes, so every child is flagged though no sex changed.
* **624** (with the previous year): for a mother who has left care, rule 628 wants MOTHER blank
  and rule 612 then wants MC_DOB blank; 624 reports the blanked date as a changed date.
* **1001 / 1002** (with the previous year): the rules concatenate this year's and last year's
  episodes without renumbering rows, so a child can be judged by another child's episode (the
  runner re-runs the rule with distinct row numbers; a finding that then disappears is this
  defect). And the validator sees only two years, so a care leaver
  whose care ended before the previous year looks as if they were never looked after (the
  rule's own note says so). Recognised when an earlier return shows the child's episodes, or
  when the child turned 16 before the oldest return given starts (care at 16 or 17, which makes
  a care leaver, may be older than every return).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

Raw = dict
"""One finding as the runner writes it (code, table, file, row, child, fields, values, ...)."""


@dataclass(frozen=True)
class Facts:
    """What the recognisers may use besides the findings themselves."""

    year: int
    cross_year: bool
    earlier_children: Collection[str] = field(default_factory=frozenset)
    """CHILD ids with episodes in returns older than the previous year."""
    earliest_year: int | None = None
    """The oldest collection year in the returns given (what anyone can see of a child's care)."""


SUMMARIES = {
    "146": "The tool's 2024-25 code list spells K3 in lower case, so every K3 placement is flagged",
    "169": "The tool's 2021 postcode lookup does not know areas created or renumbered since "
    "(the 2023 unitary councils, Barnsley, Sheffield)",
    "202": "Sex was recoded from 1/2 to M/F in 2024-25 and the rule compares the codes",
    "231": "The rule reads a column that the tool's CSV reader never makes",
    "624": "The rule reads a mother's date of birth left blank, as rules 612 and 628 require, "
    "as a changed date",
    "1001": "The tool sees two years of returns only (and mixes up children between them), so "
    "it cannot see these care leavers' time in care",
}
"""Rule -> one sentence for a committee on why its known findings are not errors in the data."""
SUMMARIES["1002"] = SUMMARIES["1001"]

KNOWN_CRASHES: dict[tuple[str, int | None], str] = {
    ("231", 2025): (
        "rule 231 (2024-25) reads a Header column UASC_STATUS that the validator's CSV reader "
        "never makes (it makes UASC), so it cannot run on CSV returns"
    ),
}
"""(rule, collection year or None for any) -> why the rule crashes through no fault of the data."""

_SEX = {"1": "M", "2": "F", "M": "M", "F": "F"}


def _rule_146(hits: list[Raw], facts: Facts) -> dict[int, str]:
    if facts.year != 2025:
        return {}
    return {
        i: "the validator's 2024-25 code list spells K3 'k3' but upper-cases the data, so "
        "every K3 placement is flagged"
        for i, hit in enumerate(hits)
        if hit["values"].get("PLACE", "").upper() == "K3"
    }


def _rule_169(hits: list[Raw], facts: Facts) -> dict[int, str]:
    out = {}
    for i, hit in enumerate(hits):
        context = hit.get("context") or {}
        ltla = context.get("PL_POST_LTLA")
        if ltla and not context.get("LTLA_IN_VALIDATOR_LOOKUP", True):
            out[i] = (
                f"the placement postcode is in {ltla}, a lower-tier area code newer than the "
                "validator's 2021 lookup (2023 unitaries, Barnsley, Sheffield)"
            )
    return out


def _rule_202(hits: list[Raw], facts: Facts) -> dict[int, str]:
    if not (facts.cross_year and facts.year == 2025):
        return {}
    by_child: dict[str, set[str | None]] = {}
    for hit in hits:
        sex = hit["values"].get("SEX", "").upper()
        by_child.setdefault(hit["child"], set()).add(_SEX.get(sex))
    return {
        i: "SEX was recoded from 1/2 to M/F in 2024-25 and the rule compares the codes; "
        "the child's sex is the same in both years"
        for i, hit in enumerate(hits)
        if len(by_child[hit["child"]]) == 1 and None not in by_child[hit["child"]]
    }


def _rule_624(hits: list[Raw], facts: Facts) -> dict[int, str]:
    if not facts.cross_year:
        return {}
    blank_now = {
        h["child"] for h in hits if h["table"] == "Header" and not h["values"].get("MC_DOB")
    }
    return {
        i: "MC_DOB was left blank as rules 628 and 612 require for a mother no longer looked "
        "after; rule 624 reads the blank as a changed date"
        for i, hit in enumerate(hits)
        if hit["child"] in blank_now
    }


def _sixteenth(dob: str) -> date | None:
    try:
        day, month, year = (int(part) for part in dob.split("/"))
        return date(year + 16, month, 28 if (month, day) == (2, 29) else day)
    except ValueError:
        return None


def _rules_1001_1002(hits: list[Raw], facts: Facts) -> dict[int, str]:
    if not facts.cross_year:
        return {}
    out = {}
    first = date(facts.earliest_year - 1, 4, 1) if facts.earliest_year else None
    for i, hit in enumerate(hits):
        sixteen = _sixteenth((hit.get("context") or {}).get("DOB", ""))
        context = hit.get("context") or {}
        if context.get("FLAGGED_WITH_DISTINCT_ROWS") is False:
            out[i] = (
                "the rule joins this year's and last year's episodes without renumbering their "
                "rows, so it mixes up children; with distinct row numbers it does not flag this one"
            )
        elif hit["child"] in facts.earlier_children:
            out[i] = (
                "the child was looked after before the previous year, which the validator "
                "cannot see (it loads two years; the rule's own note warns of this)"
            )
        elif first is not None and sixteen is not None and sixteen < first:
            out[i] = (
                f"the child turned 16 before {first:%-d %B %Y}, the start of the oldest return "
                "given, so their time in care at 16 or 17 may be older than every return (the "
                "rule's own note warns of this)"
            )
    return out


RECOGNISERS: dict[str, Callable[[list[Raw], Facts], dict[int, str]]] = {
    "146": _rule_146,
    "169": _rule_169,
    "202": _rule_202,
    "624": _rule_624,
    "1001": _rules_1001_1002,
    "1002": _rules_1001_1002,
}
"""Rule code -> recogniser: given that rule's findings, index -> reason for the known ones."""


def known_reasons(findings: list[Raw], facts: Facts) -> list[str]:
    """For each raw finding, the reason it is a known validator issue, or ``""``."""
    by_rule: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        by_rule.setdefault(finding["code"], []).append(index)
    reasons = [""] * len(findings)
    for code, indexes in by_rule.items():
        recognise = RECOGNISERS.get(code)
        if recognise is None:
            continue
        for position, reason in recognise([findings[i] for i in indexes], facts).items():
            reasons[indexes[position]] = reason
    return reasons


def crash_reason(code: str, year: int) -> str | None:
    """Why rule ``code`` is known to crash in ``year`` (``None`` if it is not a known crash)."""
    return KNOWN_CRASHES.get((code, year)) or KNOWN_CRASHES.get((code, None))
