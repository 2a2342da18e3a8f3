"""Run the examples in module docstrings (hand-worked values) as tests."""

import doctest

import pytest

import reportgen.core.formatting
import reportgen.report.changes
import reportgen.report.narrative
import reportgen.report.outlook


@pytest.mark.parametrize(
    "module",
    [
        reportgen.core.formatting,
        reportgen.report.narrative,
        reportgen.report.changes,
        reportgen.report.outlook,
    ],
)
def test_docstring_examples(module):
    failures, attempted = doctest.testmod(module)
    assert attempted > 0
    assert failures == 0
