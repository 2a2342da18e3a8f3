"""``notebooks_fingerprint``: the key under which a re-run reuses the notebooks' results leaves out
the officer's own sections and the narrative templates, and nothing else."""

from __future__ import annotations

import pytest

from reportgen.core.config import load_params
from reportgen.run.report import inputs_fingerprint, notebooks_fingerprint

OFFICER = "params/authorities/E10000018/2024-25/conclusions.md"
NARRATIVE = "templates/narrative/sufficiency.md"
SOMEONE_ELSE = "params/authorities/E10000018/2023-24/conclusions.md"


@pytest.fixture(scope="module")
def params():
    return load_params("Leicestershire", "2024-25")


@pytest.fixture(scope="module")
def inputs():
    return {
        "data/published/cla.parquet": "a" * 64,
        "params/costs.yaml": "b" * 64,
        "templates/county-scrutiny.docx": "c" * 64,
        "templates/layouts/county-scrutiny.yaml": "d" * 64,
        OFFICER: "e" * 64,
        NARRATIVE: "f" * 64,
        SOMEONE_ELSE: "0" * 64,
    }


@pytest.mark.parametrize("key", [OFFICER, NARRATIVE])
def test_officer_text_and_narrative_templates_leave_it_unchanged(params, inputs, key):
    edited = {**inputs, key: "9" * 64}
    assert inputs_fingerprint(params, edited) != inputs_fingerprint(params, inputs)
    assert notebooks_fingerprint(params, edited) == notebooks_fingerprint(params, inputs)


def test_a_new_officer_section_leaves_it_unchanged(params, inputs):
    fewer = {k: v for k, v in inputs.items() if k != OFFICER}
    assert notebooks_fingerprint(params, fewer) == notebooks_fingerprint(params, inputs)


@pytest.mark.parametrize(
    "key",
    [
        "data/published/cla.parquet",
        "params/costs.yaml",
        "templates/county-scrutiny.docx",
        "templates/layouts/county-scrutiny.yaml",
        SOMEONE_ELSE,  # another period's folder is not this paper's officer text
    ],
)
def test_anything_else_changes_it(params, inputs, key):
    edited = {**inputs, key: "9" * 64}
    assert notebooks_fingerprint(params, edited) != notebooks_fingerprint(params, inputs)


def test_a_parameter_changes_it(params, inputs):
    other = params.model_copy(update={"committee": "Another committee"})
    assert notebooks_fingerprint(other, inputs) != notebooks_fingerprint(params, inputs)
