"""Committee front-sheet details that some layouts print (item number, classification, wards ...).

Set per authority in ``params/authorities/<code>.yaml`` under ``committee_details``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CommitteeDetails(BaseModel):
    """Front-sheet and audit-trail details; every field optional with a sensible default."""

    model_config = ConfigDict(extra="forbid", frozen=True)
