"""The one exception family the CLI turns into a single readable line and a non-zero exit."""

from __future__ import annotations


class ReportgenError(Exception):
    """A problem the user can fix: the message says what, where and how.

    Parameters
    ----------
    message
        One line: what is wrong, where, and how to fix it.
    """

    exit_code = 2


class UnknownAuthorityError(ReportgenError):
    """An authority name or code that matches no English local authority."""


class PeriodError(ReportgenError):
    """A period that cannot be parsed or has no data."""


class ParamsError(ReportgenError):
    """Invalid parameters (unknown keys, wrong types, bad values)."""


class DataError(ReportgenError):
    """Input data that is missing or malformed."""


class TemplateError(ReportgenError):
    """A missing or broken template."""


class NotebookError(ReportgenError):
    """A report notebook failed while executing."""


class OutputError(ReportgenError):
    """The report could not be written where it was asked for (a full disk, say)."""


class PrivacyError(ReportgenError):
    """A paper that would carry something shaped like a child identifier."""
