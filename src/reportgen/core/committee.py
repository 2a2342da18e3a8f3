"""Committee front-sheet details that some layouts print (item number, classification, wards ...).

Set per authority in ``params/authorities/<code>.yaml`` under ``committee_details``; every key is
optional, so an authority file without the block still loads. The ``corporate-parenting`` layout
prints the front-sheet table and the audit trail from these details, the ``open-report`` layout
its "Open Report on behalf of ..." line.

Example (Southwark)::

    committee_details:
      classification: Open
      wards: All
      lead_officer: Alasdair Smith, Director, Children & Families
      report_author: Kelly Henry, Head of Service
      officers_consulted:
        - title: Director of Law and Democracy
        - title: Strategic Director of Finance and Governance
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BackgroundDocument", "CommitteeDetails", "ConsultedOfficer", "DAYS_BEFORE_MEETING"]

DAYS_BEFORE_MEETING = 7
"""Default age of the final version on the meeting day: agendas go out five clear working days
before a meeting (Local Government Act 1972, section 100B), about a week."""


class ConsultedOfficer(BaseModel):
    """One row of the audit trail's "consultation with other officers" table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    comments_sought: bool = False
    comments_included: bool = False


class BackgroundDocument(BaseModel):
    """A background document listed in the corporate-parenting paper's table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    held_at: str = Field(min_length=1)
    contact: str = ""


def _default_consulted() -> list[ConsultedOfficer]:
    return [
        ConsultedOfficer(title="Head of Legal Services"),
        ConsultedOfficer(title="Chief Finance Officer"),
        ConsultedOfficer(title="Cabinet Member for Children's Services"),
    ]


class CommitteeDetails(BaseModel):
    """Front-sheet and audit-trail details; every field optional with a sensible default.

    Parameters
    ----------
    item_no
        Agenda item number; left off the front sheet when empty (it is set per meeting).
    classification
        "Open" unless the paper is exempt.
    wards
        Ward(s) or groups affected.
    director_name
        Name of the director the report is on behalf of ("Heather Sandy"); the open report reads
        "Open Report on behalf of <director_name>, <director_title>".
    director_title
        The director's title; default: ``report_of``.
    lead_officer, report_author
        Audit trail; default: the first officer ("name, job title") and the other officers (or
        the first one again).
    version
        Audit trail version ("Final").
    dated, date_final_report_sent
        Audit trail dates; default :data:`DAYS_BEFORE_MEETING` days before the meeting.
    key_decision
        "Yes" or "No".
    officers_consulted
        Audit trail consultation table (default: legal, finance and the cabinet member, comments
        not sought, as for a report to note).
    background_documents
        Extra rows of the background documents table, after the published statistics.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    item_no: str = ""
    classification: str = Field(default="Open", min_length=1)
    wards: str = Field(default="All", min_length=1)
    director_name: str = ""
    director_title: str = ""
    lead_officer: str = ""
    report_author: str = ""
    version: str = Field(default="Final", min_length=1)
    dated: dt.date | None = None
    key_decision: Literal["Yes", "No"] = "No"
    officers_consulted: list[ConsultedOfficer] = Field(default_factory=_default_consulted)
    date_final_report_sent: dt.date | None = None
    background_documents: list[BackgroundDocument] = Field(default_factory=list)

    def on_behalf_of(self, report_of: str) -> str:
        """``"Heather Sandy, Executive Director - Children's Services"`` (or just the title).

        >>> CommitteeDetails(director_name="Heather Sandy").on_behalf_of("Executive Director")
        'Heather Sandy, Executive Director'
        """
        title = (self.director_title or report_of).strip()
        name = self.director_name.strip()
        return f"{name}, {title}" if name and title else name or title

    def dated_or_default(self, meeting: dt.date) -> dt.date:
        """The audit trail's "Dated" (default a week before the meeting)."""
        return self.dated or meeting - dt.timedelta(days=DAYS_BEFORE_MEETING)

    def sent_or_default(self, meeting: dt.date) -> dt.date:
        """The audit trail's "Date final report sent" (default: as "Dated")."""
        return self.date_final_report_sent or self.dated_or_default(meeting)

    def front_sheet(self, report_of: str) -> dict[str, str]:
        """The fields a layout's title block may print (``Report.details``).

        >>> CommitteeDetails(item_no="8").front_sheet("Director of Children and Families")
        ... # doctest: +NORMALIZE_WHITESPACE
        {'item_no': '8', 'classification': 'Open', 'wards': 'All',
         'on_behalf_of': 'Director of Children and Families'}
        """
        return {
            "item_no": self.item_no.strip(),
            "classification": self.classification.strip(),
            "wards": self.wards.strip(),
            "on_behalf_of": self.on_behalf_of(report_of),
        }
