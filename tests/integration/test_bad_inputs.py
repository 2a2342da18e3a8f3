"""The bad-input corpus (tests/fixtures/bad): one readable line, the right exit, nothing written.

Each case's ``case.yaml`` names the ``reportgen`` arguments and the message it must produce.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from reportgen.cli.app import app

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
CASES = sorted(p.parent for p in CORPUS.glob("*/case.yaml"))


def test_the_corpus_has_at_least_30_cases():
    assert len(CASES) >= 30


def _run(case: Path, tmp_path: Path):
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    args = [a.format(case=case, out=out) for a in spec["args"]]
    result = CliRunner().invoke(app, args)
    return spec, result, out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_one_clear_message(case, tmp_path):
    spec, result, out = _run(case, tmp_path)
    text = result.output
    assert result.exit_code == spec["exit"], text
    assert re.search(spec["expect"], text, re.IGNORECASE | re.DOTALL), text
    assert "Traceback" not in text
    if spec["exit"]:
        errors = [line for line in text.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, text
        written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        assert not [p for p in written if p.suffix == ".docx"], written


@pytest.mark.slow
def test_a_very_large_file_is_refused_or_read_without_crashing(tmp_path):
    """A 60 MB file of junk where Episodes should be (made here, never committed)."""
    source = CORPUS / "903-bom" / "input" / "2025"
    folder = tmp_path / "input" / "2025"
    folder.mkdir(parents=True)
    for item in source.iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    with (folder / "huge.csv").open("w", encoding="utf-8") as handle:
        handle.write("A,B,C\n")
        line = "x" * 60 + ",y,z\n"
        for _ in range(60 * 1024 * 1024 // len(line)):
            handle.write(line)
    result = CliRunner().invoke(app, ["validate", str(folder), "--year", "2025"])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2)
    assert "huge.csv" in result.output
