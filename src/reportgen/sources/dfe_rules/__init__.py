"""The DfE's own 903 validation rules (csc-validator-be-903), reused rather than rewritten.

The validator pins pandas < 2, so it runs in its own virtual environment
(:mod:`~reportgen.sources.dfe_rules.environment`, made on first use), through ``runner.py`` (files in,
JSON out). :mod:`~reportgen.sources.dfe_rules.check` runs it with a cache per input,
:mod:`~reportgen.sources.dfe_rules.known_issues` recognises the validator's own defects, and
:mod:`~reportgen.sources.dfe_rules.findings` merges its results with reportgen's checks in one table.
"""

from reportgen.sources.dfe_rules.check import DfeRulesError, DfeRun, check_history, run_rules
from reportgen.sources.dfe_rules.environment import ValidatorUnavailable, validator_python
from reportgen.sources.dfe_rules.findings import Finding, from_problem, write_findings_csv

__all__ = [
    "DfeRulesError",
    "DfeRun",
    "Finding",
    "ValidatorUnavailable",
    "check_history",
    "from_problem",
    "run_rules",
    "validator_python",
    "write_findings_csv",
]
