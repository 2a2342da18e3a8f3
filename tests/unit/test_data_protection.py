"""Issue 15, items 5 to 12: identifiers where they must not be, and resource exhaustion.

Each test plants the hazard (an identifier, a weakened policy, a formula, a template or YAML
file that would take minutes and gigabytes) and checks the guard against values worked out by
hand from the fixture files.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.config import (
    DisclosurePolicy,
    PrivacyPolicy,
    disclosure_warning,
    load_params,
)
from reportgen.core.errors import ParamsError, PrivacyError, TemplateError
from reportgen.core.redact import WITHHELD, redact
from reportgen.docx import write_report
from reportgen.model import Paragraph, Report, Section
from reportgen.report.assemble import disclosure_applied
from reportgen.report.templating import environment, render_text
from reportgen.run import report as run
from reportgen.sources.dfe_rules.findings import Finding, write_findings_csv
from reportgen.sources.ssda903.read import read_return, scan_return
from reportgen.sources.ssda903.validate import validate_return

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "valid"
HEADER = "SSDA903_2024-25_children.csv"
runner = CliRunner()


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "2025"
    shutil.copytree(VALID / "2025", folder)
    return folder


# --- 5. messages name file, row and column, never identifying values ------------------------


def test_redact_withholds_identifiers_and_keeps_the_rest():
    text = "DOB 14/03/2012 of C0001 (UPN A800000000011) at LE11 3TU; RNE ZZ; the CHILD column"
    assert redact(text, ["C0001"]) == (
        f"DOB {WITHHELD} of {WITHHELD} (UPN {WITHHELD}) at {WITHHELD}; RNE ZZ; the CHILD column"
    )
    assert redact("CHILD=C0009, LS=V2") == f"CHILD={WITHHELD}, LS=V2"


def test_a_refused_return_quotes_no_child_id_or_date(tmp_path):
    folder = _copy(tmp_path)
    path = folder / HEADER
    # C0002's DOB 02/02/2008 becomes 31/02/2008, which does not exist
    path.write_text(path.read_text().replace("C0002,F,02/02/2008", "C0002,F,31/02/2008"))
    problems = [p for p in validate_return(folder, 2025) if p.severity == "error"]
    assert problems, "the planted date must be found"
    line = str(problems[0])
    assert HEADER in line and "row 3" in line and "column DOB" in line
    assert "31/02/2008" not in line and "C0002" not in line


def test_a_header_less_file_is_not_quoted_as_column_names(tmp_path):
    folder = _copy(tmp_path)
    path = folder / HEADER
    path.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    issues = [i for i in scan_return(folder, 2025).issues if i.file == HEADER]
    assert len(issues) == 1
    text = str(issues[0])
    assert "export the table again with its header row" in text
    for value in ("C0001", "14/03/2012", "A800000000011", "WBRI"):
        assert value not in text


def test_batch_reason_is_redacted(monkeypatch, tmp_path):
    from reportgen.run import tasks
    from reportgen.run.tasks import Task

    def fail(params, kernel=None):
        raise RuntimeError("KeyError for child C0001 born 14/03/2012, UPN A800000000011")

    monkeypatch.setattr(run, "run_report", fail)

    class NoKernel:
        pid = None

        def memory_mb(self):
            return {"rss": None, "peak": None}

        def clear(self):
            pass

        def reset(self):
            pass

    outcome = tasks.run_task(Task("Rutland", "2023-24", out=str(tmp_path)), NoKernel())
    assert outcome.status == "failed"
    assert "14/03/2012" not in outcome.reason and "A800000000011" not in outcome.reason


# --- 6. the privacy scan stops a paper carrying identifiers --------------------------------


def _paper(tmp_path: Path, text: str) -> tuple[Report, Path]:
    report = Report(
        title="t",
        committee="c",
        meeting_date=date(2025, 12, 1),
        report_of="r",
        sections=[Section("Service context", [Paragraph(text)])],
    )
    return report, write_report(report, tmp_path / "r.docx")


def test_a_paper_with_an_identifier_is_refused_naming_the_part(tmp_path):
    params = load_params("Rutland", "2023-24", out=tmp_path)
    report, docx = _paper(tmp_path, "Child born 14/03/2012 lives at LE15 6QA.")
    with pytest.raises(PrivacyError) as caught:
        run.check_privacy(report, docx, params)
    message = str(caught.value)
    assert "'Service context'" in message and "postcode" in message
    assert "14/03/2012" not in message and "LE15 6QA" not in message
    allowed = params.model_copy(update={"privacy": PrivacyPolicy(allow_findings=True)})
    run.check_privacy(report, docx, allowed)  # the author's explicit override
    clean, path = _paper(tmp_path, "There were 37 children looked after.")
    run.check_privacy(clean, path, params)


# --- 7. a weakened disclosure policy is said on the command line and in Appendix A -------------


def test_weakened_disclosure_is_warned_and_described(tmp_path):
    params = load_params(
        "Rutland",
        "2024-25",
        source="ssda903",
        input=VALID,
        out=tmp_path,
        overrides={"disclosure": {"min_count": 1, "secondary": False}},
    )
    assert "NOT be withheld" in disclosure_warning(params)
    text = disclosure_applied(params)
    assert "NOT withheld" in text and "'<5'" not in text
    default = params.model_copy(update={"disclosure": DisclosurePolicy()})
    assert disclosure_warning(default) is None


# --- 8. a failed 903 report keeps no notebooks by default -----------------------------------


def _failing_notebooks(monkeypatch):
    def execute(family, params, staging, kernel):
        target = staging / "notebooks" / f"{family}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text('{"child": "C0001"}')
        return target, None

    def read_section(work, family):
        raise KeyError("x")

    monkeypatch.setattr(run, "_execute", execute)
    monkeypatch.setattr(run, "read_section", read_section)
    monkeypatch.setattr(run, "check_required", lambda params: None)
    monkeypatch.setattr("reportgen.sources.choose.check_return", lambda params: [])
    monkeypatch.setattr(run.data_quality, "summarise", lambda params: None)


def test_a_failed_903_report_keeps_only_the_reason(monkeypatch, tmp_path):
    _failing_notebooks(monkeypatch)
    params = load_params("Rutland", "2024-25", source="ssda903", input=VALID, out=tmp_path)
    with pytest.raises(KeyError):
        run.run_report(params, kernel=object())
    failed = params.out_dir.parent / ".failed" / "2024-25"
    assert sorted(p.name for p in failed.iterdir()) == ["reason.txt"]
    assert not list(tmp_path.rglob("*.ipynb"))
    kept = load_params(
        "Rutland",
        "2024-25",
        source="ssda903",
        input=VALID,
        out=tmp_path,
        overrides={"privacy": {"keep_failed_notebooks": True}},
    )
    with pytest.raises(KeyError):
        run.run_report(kept, kernel=object())
    assert (failed / "RESTRICTED.txt").exists() and (failed / "notebooks").is_dir()


# --- 9. validate --csv escapes formulas for Excel ------------------------------------------


def test_findings_csv_escapes_formulas(tmp_path):
    finding = Finding(
        "reportgen", "code", "error", "f.csv", 2, "=HYPERLINK(\"x\")", "RNE",
        "RNE=+1", "-2 is bad", "@SUM(A1)",
    )  # fmt: skip
    path = write_findings_csv([finding], tmp_path / "f.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["child"] == '\'=HYPERLINK("x")'
    assert row["values"] == "RNE=+1"  # begins with R: left alone
    assert row["message"] == "'-2 is bad" and row["reason"] == "'@SUM(A1)"
    assert row["file"] == "f.csv"


# --- 10. templates are bounded in time and memory --------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ (9**(9**9)) % 7 }}",
        "{{ ('x'*10**10)|length }}",
        "{{ [0]*10**9 }}",
        "{{ 'x'|center(10**10) }}",
        "{{ '{:>9999999999}'.format(1) }}",
    ],
)
def test_huge_template_expressions_are_refused_at_once(source):
    env = environment([], {"service_context.md": source})
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="service_context.md.*refused"):
        render_text(env, "service_context.md", {})
    assert time.perf_counter() - started < 2


def test_a_long_template_loop_stops_at_the_time_limit(monkeypatch):
    monkeypatch.setattr("reportgen.report.templating.RENDER_SECONDS", 0.5)
    loops = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    env = environment([], {"purpose.md": loops})
    started = time.perf_counter()
    with pytest.raises(TemplateError, match="took more than 0.5 s"):
        render_text(env, "purpose.md", {})
    assert time.perf_counter() - started < 5


def test_ordinary_templates_still_render():
    env = environment([], {"p.md": "{{ 2**10 }} {{ 'ab'*3 }} {{ '%.1f'|format(2.25) }}"})
    assert render_text(env, "p.md", {}) == "1024 ababab 2.2"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_a_worker_dies_with_its_parent(tmp_path):
    """A parent sets up a child the way a batch worker is (die_with_parent), then is SIGKILLed."""
    pidfile = tmp_path / "child.pid"
    code = f"""
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", '''
import os, time
from reportgen.run.executors import die_with_parent
die_with_parent(os.getppid())
open({str(pidfile)!r}, "w").write(str(os.getpid()))
while True:
    sum(range(10**6))
'''])
time.sleep(60)
"""
    parent = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.1)
    child = int(pidfile.read_text())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


# --- 11. YAML aliases that expand without bound are refused ---------------------------------


def test_billion_laughs_params_are_refused_quickly(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    lines.append("sections: *i")  # 9**9 = 387,420,489 strings once expanded
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    with pytest.raises(ParamsError, match="aliases .* expand to more than 10,000 values"):
        load_params("Rutland", "2023-24", params_file=path)
    assert time.perf_counter() - started < 5


def test_a_small_alias_is_still_allowed_and_big_values_are_cut(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("committee: &c Children's Scrutiny\nreport_of: *c\n")
    assert load_params("Rutland", "2023-24", params_file=path).report_of == "Children's Scrutiny"
    big = tmp_path / "big.yaml"
    big.write_text("committee: [" + ", ".join(["x" * 50] * 2000) + "]\n")
    with pytest.raises(ParamsError) as caught:
        load_params("Rutland", "2023-24", params_file=big)
    assert len(str(caught.value)) < 300


# --- 12. a 903 file over the size limit is refused before it is read -------------------------


def test_an_oversized_903_file_is_refused_before_reading(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    with (folder / "placements.csv").open("a") as handle:
        handle.write("C0009,01/01/2024,L,C2,N1,U6,PR4,,,,LE11 3TU,LE1 7RH,\n" * 25_000)
    size_mb = (folder / "placements.csv").stat().st_size / 1024 / 1024
    assert 1 < size_mb < 2  # about 1.3 MB
    monkeypatch.setenv("REPORTGEN_MAX_903_MB", "1")
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    issues = [i for i in scan_return(folder, 2025).issues if i.file == "placements.csv"]
    assert "placements.csv" not in read
    assert len(issues) == 1 and "over the 1 MB limit" in issues[0].message
    assert "REPORTGEN_MAX_903_MB" in issues[0].message
    with pytest.raises(Exception, match="over the 1 MB limit"):
        read_return(folder, 2025)
    monkeypatch.setenv("REPORTGEN_MAX_903_MB", "lots")
    with pytest.raises(Exception, match="whole number of MB"):
        read_return(folder, 2025)


def test_indicators_json_from_903_says_it_is_unsuppressed(tmp_path):
    out = tmp_path / "ind.json"
    result = runner.invoke(
        app,
        ["indicators", "--source", "ssda903", "--input", str(VALID), "--authority", "E10000018"]
        + ["--period", "2024-25", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "NOT suppressed" in json.loads(out.read_text())["_unsuppressed"]
    assert "warning" in result.output
