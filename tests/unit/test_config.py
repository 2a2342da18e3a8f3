"""reportgen.core.config: merging defaults, authority files and the command line; clear errors."""

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from reportgen.core.authorities import all_authorities, display_name
from reportgen.core.config import OfficerParams, ReportParams, load_params
from reportgen.core.errors import ParamsError, PeriodError, UnknownAuthorityError
from reportgen.core.paths import PARAMS_DIR

LEICS_NEIGHBOURS = [
    "E10000013",  # Gloucestershire (SN_1 916)
    "E06000025",
    "E10000031",
    "E06000024",
    "E10000014",
    "E06000054",
    "E06000066",
    "E10000032",
    "E06000011",
    "E10000024",  # Nottinghamshire (SN_10 891)
]


@pytest.fixture
def params_dir(tmp_path: Path) -> Path:
    """A copy of the project's params/ to edit."""
    target = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, target)
    return target


def _edit(path: Path, **changes):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_defaults_are_leicestershire_latest_published_year():
    params = load_params()
    assert params.authority_code == "E10000018"
    assert params.authority_name == "Leicestershire"
    assert params.old_la_code == "855"
    assert params.region == "East Midlands"
    assert params.statistical_neighbours == LEICS_NEIGHBOURS
    assert params.period.label == "2024-25"
    assert params.period.collection_year == 2025
    assert params.source == "published"
    assert params.input is None
    assert params.layout == "county-scrutiny"
    assert params.out == Path("out")
    assert params.out_dir == Path("out/E10000018/2024-25")
    assert params.committee == "Children and Families Overview and Scrutiny Committee"
    assert params.report_of == "Director of Children and Family Services"
    assert params.report_title == "Children in care: sufficiency, adoption and care leavers 2024-25"
    assert params.meeting_date == date(2025, 12, 1)
    # officers named in a 2019 paper are not copied: placeholders until the author names them
    assert params.officers == [
        OfficerParams(
            name="[Officer name]", job_title="[Job title]", telephone="[Telephone]", email="[Email]"
        )
    ]
    assert params.background_papers == "None"
    assert params.circulation == "None"
    assert params.kernel_name == "reportgen"
    assert params.keep_notebooks is True


def test_command_line_values_win():
    params = load_params(
        "southwark",
        "2023/24",
        layout="corporate-parenting",
        out="/tmp/reports",
        overrides={"meeting_date": "2024-11-20", "committee": "Corporate Parenting Board"},
    )
    assert params.authority_code == "E09000028"
    assert params.period.label == "2023-24"
    assert params.layout == "corporate-parenting"
    assert params.out_dir == Path("/tmp/reports/E09000028/2023-24")
    assert params.meeting_date == date(2024, 11, 20)
    assert params.committee == "Corporate Parenting Board"
    assert params.report_of == "Director of Children and Families"  # from E09000028.yaml


def test_authority_without_local_details_gets_the_defaults():
    params = load_params("Bristol")
    assert params.authority_name == "Bristol"  # the DfE's "Bristol, City of", as a report says it
    assert params.report_of == "Director of Children's Services"
    assert params.committee == "[Committee name]"  # never Leicestershire's committee
    assert [o.name for o in params.officers] == ["[Officer name]"]


def test_ssda903_allows_quarters_and_months(tmp_path):
    params = load_params("Lincolnshire", "2024-25Q3", source="ssda903", input=tmp_path)
    assert params.period.label == "2024-25 Q3"
    assert params.input == tmp_path
    assert params.out_dir == Path("out/E10000019/2024-25-Q3")
    assert params.meeting_date == date(2025, 12, 1)
    assert params.report_title.endswith("October to December 2024 (2024-25 Q3)")


def test_notebook_parameters_round_trip():
    params = load_params("Worcestershire", "2022-23")
    literal = params.to_notebook_parameters()
    assert literal["period"] == "2022-23"
    assert literal["out"] == "out"
    assert literal["meeting_date"] == "2023-12-01"
    assert literal["officers"][0]["name"] == "[Officer name]"

    def is_literal(value):
        if isinstance(value, list):
            return all(is_literal(v) for v in value)
        if isinstance(value, dict):
            return all(isinstance(k, str) and is_literal(v) for k, v in value.items())
        return value is None or isinstance(value, str | int | float | bool)

    assert is_literal(literal)
    assert ReportParams.from_notebook_parameters(literal) == params


def test_from_notebook_parameters_rejects_unknown_keys():
    literal = load_params().to_notebook_parameters() | {"colour": "blue"}
    with pytest.raises(ParamsError, match="notebook parameters: unknown key 'colour'"):
        ReportParams.from_notebook_parameters(literal)


def test_params_are_frozen():
    params = load_params()
    with pytest.raises(ValueError, match="frozen"):
        params.period = "2023-24"


def test_unknown_key_names_the_file_and_the_key(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    _edit(path, comitee="Scrutiny")
    with pytest.raises(ParamsError) as caught:
        load_params(params_dir=params_dir)
    message = str(caught.value)
    assert message.startswith(f"{path}: unknown key 'comitee' (did you mean 'committee'?")
    assert "allowed: authority_code, " in message
    assert "\n" not in message


def test_unknown_officer_key(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    _edit(path, officers=[{"name": "A N Other", "phone": "0116 000 0000"}])
    with pytest.raises(ParamsError, match=r"unknown key 'officers\[0\]\.phone'.*telephone"):
        load_params(params_dir=params_dir)


def test_unknown_key_in_defaults(params_dir):
    _edit(params_dir / "defaults.yaml", keep_notebook=False)
    with pytest.raises(ParamsError, match=r"defaults\.yaml: unknown key 'keep_notebook'"):
        load_params(params_dir=params_dir)


def test_wrong_type_names_the_file_key_and_value(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    _edit(path, keep_notebooks="perhaps", committee=42)
    with pytest.raises(ParamsError) as caught:
        load_params(params_dir=params_dir)
    message = str(caught.value)
    assert f"{path}: key 'committee': Input should be a valid string (got 42)" in message
    assert f"{path}: key 'keep_notebooks': Input should be a valid boolean" in message
    assert "(got 'perhaps')" in message


def test_bad_layout_from_the_command_line():
    with pytest.raises(
        ParamsError,
        match="command line: key 'layout': unknown layout 'glossy': choose one of corporate-parenting, county-scrutiny, open-report",
    ):
        load_params(layout="glossy")


def test_yaml_syntax_error(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    path.write_text("committee: [unclosed\nreport_of: x\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=rf"^{path}: invalid YAML at line \d+, column \d+"):
        load_params(params_dir=params_dir)


def test_duplicate_yaml_key(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    path.write_text("committee: A\ncommittee: B\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="key 'committee' is given twice"):
        load_params(params_dir=params_dir)


def test_yaml_that_is_not_a_mapping(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="expected 'key: value' lines at the top level"):
        load_params(params_dir=params_dir)


def test_authority_file_for_another_authority(params_dir):
    _edit(params_dir / "authorities" / "E10000018.yaml", authority_code="E09000028")
    with pytest.raises(
        ParamsError, match="key 'authority_code' is 'E09000028' but this file is for"
    ):
        load_params(params_dir=params_dir)


def test_unknown_neighbour(params_dir):
    neighbours = ["E10000013", "E10000099"]
    _edit(params_dir / "authorities" / "E10000018.yaml", statistical_neighbours=neighbours)
    with pytest.raises(ParamsError, match="unknown GSS code.*E10000099"):
        load_params(params_dir=params_dir)


def test_own_neighbours_can_be_set(params_dir):
    neighbours = ["E10000013", "E10000031", "E10000024"]
    _edit(params_dir / "authorities" / "E10000018.yaml", statistical_neighbours=neighbours)
    assert load_params(params_dir=params_dir).statistical_neighbours == neighbours


def test_missing_authority_file_uses_published_facts(params_dir):
    (params_dir / "authorities" / "E10000018.yaml").unlink()
    params = load_params(params_dir=params_dir)
    assert params.statistical_neighbours == LEICS_NEIGHBOURS
    assert params.report_of == "Director of Children's Services"


def test_bad_period_from_the_command_line():
    with pytest.raises(PeriodError, match="invalid period '2024-26'"):
        load_params(period="2024-26")


def test_bad_period_in_a_file(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    _edit(path, period="2025-13")
    with pytest.raises(ParamsError, match=rf"^{path}: key 'period': invalid period '2025-13'"):
        load_params(params_dir=params_dir)


@pytest.mark.parametrize("period", ["2024-25 Q3", "2025-01", "2024-04-01:2024-06-30"])
def test_published_source_needs_a_collection_year(period):
    with pytest.raises(ParamsError, match="use SOURCE=ssda903"):
        load_params(period=period)


def test_ssda903_needs_an_input_folder(tmp_path):
    with pytest.raises(ParamsError, match="needs the folder of the authority's 903 CSV files"):
        load_params(source="ssda903")
    with pytest.raises(ParamsError, match="does not exist"):
        load_params(source="ssda903", input=tmp_path / "missing")


def test_cumberland_before_it_existed():
    with pytest.raises(PeriodError) as caught:
        load_params("Cumberland", "2020-21")
    assert str(caught.value) == (
        "no published data for Cumberland in 2020-21; published years for Cumberland: "
        "2023-24, 2024-25"
    )
    assert load_params("Cumberland", "2023-24").period.label == "2023-24"


def test_years_outside_the_published_tables():
    with pytest.raises(PeriodError, match="the published tables cover 2020-21 to 2024-25"):
        load_params(period="2019-20")


def test_isles_of_scilly_has_no_published_counts():
    with pytest.raises(PeriodError, match="no published data for Isles of Scilly in 2024-25"):
        load_params("Isles of Scilly")


def test_unknown_authority():
    with pytest.raises(UnknownAuthorityError, match="did you mean Leicestershire"):
        load_params("Leicestershir")


def test_unknown_default_authority(params_dir):
    _edit(params_dir / "defaults.yaml", authority="Atlantis")
    with pytest.raises(ParamsError, match=r"defaults\.yaml: key 'authority': unknown authority"):
        load_params(params_dir=params_dir)


def test_authority_code_cannot_be_overridden():
    with pytest.raises(ParamsError, match="key 'authority_code' cannot be changed"):
        load_params(overrides={"authority_code": "E09000028"})


def test_direct_construction_validates():
    base = load_params().to_notebook_parameters()
    with pytest.raises(ValueError, match="includes the authority itself"):
        ReportParams.model_validate(base | {"statistical_neighbours": ["E10000018"]})
    with pytest.raises(ValueError, match="use SOURCE=ssda903"):
        ReportParams.model_validate(base | {"period": "2025-01"})
    too_many = [a.gss for a in all_authorities()[:11]]
    with pytest.raises(ValueError, match="at most 10"):
        ReportParams.model_validate(base | {"statistical_neighbours": too_many})


def test_every_generated_authority_file_loads():
    files = sorted((PARAMS_DIR / "authorities").glob("*.yaml"))
    assert len(files) == 153
    assert {f.stem for f in files} == {a.gss for a in all_authorities()}
    for path in files:
        if path.stem == "E06000053":  # Isles of Scilly: no published counts (see test above)
            params = load_params(path.stem, "2024-25", source="synthetic")
        else:
            params = load_params(path.stem)
        assert params.authority_code == path.stem
        assert params.layout in ("county-scrutiny", "open-report", "corporate-parenting")
        assert len(params.statistical_neighbours) == 10
        assert params.officers


def test_generated_files_match_the_published_data():
    for authority in all_authorities():
        path = PARAMS_DIR / "authorities" / f"{authority.gss}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["authority_code"] == authority.gss
        assert data["authority_name"] == display_name(authority.name)
        assert data["old_la_code"] == authority.old_code
        assert data["region"] == authority.region
        assert data["statistical_neighbours"] == list(authority.neighbours)


def _build(params_dir: Path, *options: str) -> subprocess.CompletedProcess:
    script = PARAMS_DIR.parent / "scripts" / "build_authority_params.py"
    command = [sys.executable, str(script), "--params-dir", str(params_dir), *options]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_build_script_is_deterministic_and_idempotent(params_dir):
    shutil.rmtree(params_dir / "authorities")
    first = _build(params_dir)
    assert first.returncode == 0, first.stderr
    assert "153 written, 0 unchanged" in first.stdout
    texts = {p.name: p.read_text() for p in (params_dir / "authorities").glob("*.yaml")}
    assert len(texts) == 153
    second = _build(params_dir)
    assert "0 written, 153 unchanged" in second.stdout
    assert {p.name: p.read_text() for p in (params_dir / "authorities").glob("*.yaml")} == texts
    assert _build(params_dir, "--check").returncode == 0
    leics = yaml.safe_load(texts["E10000018.yaml"])
    assert "officers" not in leics  # defaults.yaml's placeholders, no names from old papers
    assert leics["committee"] == "Children and Families Overview and Scrutiny Committee"
    assert "committee" not in yaml.safe_load(texts["E06000017.yaml"])  # Rutland: placeholder
    assert yaml.safe_load(texts["E09000028.yaml"])["committee"] == "Corporate Parenting Committee"


def test_build_script_keeps_local_edits(params_dir):
    path = params_dir / "authorities" / "E10000018.yaml"
    _edit(path, committee="Scrutiny Commission", statistical_neighbours=["E10000013"])
    assert _build(params_dir, "--check").returncode == 1
    assert _build(params_dir).returncode == 0
    data = yaml.safe_load(path.read_text())
    assert data["committee"] == "Scrutiny Commission"  # local detail kept
    assert data["statistical_neighbours"] == LEICS_NEIGHBOURS  # published fact refreshed


def test_the_period_is_parsed_once_into_a_period_value():
    from reportgen.core.periods import Period

    params = load_params("Leicestershire", "2024/25")
    assert isinstance(params.period, Period)
    assert (params.period.start, params.period.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert str(params.period) == "2024-25"
    # written out as its label, and read back to an equal value
    assert params.model_dump()["period"] == "2024-25"
    assert params.to_notebook_parameters()["period"] == "2024-25"
    assert ReportParams.from_notebook_parameters(params.to_notebook_parameters()) == params


def test_a_bad_period_in_notebook_parameters_names_the_accepted_forms():
    parameters = load_params("Leicestershire").to_notebook_parameters()
    parameters["period"] = "2024-25 Q5"
    with pytest.raises(ParamsError, match=r"period.*accepted forms"):
        ReportParams.from_notebook_parameters(parameters)


def test_target_ids_are_checked_by_the_check_the_caller_hands_in(tmp_path):
    from reportgen.indicators import registry

    run = tmp_path / "run.yaml"
    run.write_text("targets:\n  - {indicator: adoptions, target: 25}\n", encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        load_params("Rutland", params_file=run, check_indicator=registry.get)
    message = str(caught.value)
    assert "key 'targets[0].indicator'" in message and "adoptions" in message
    assert "did you mean adopted" in message
    # core does not import the registry: without the check the id is kept for the indicators
    # to check when they read it
    unchecked = load_params("Rutland", params_file=run)
    assert unchecked.targets[0].indicator == "adoptions"
    seen = []
    load_params("Rutland", "2023-24", check_indicator=seen.append)
    assert seen == []  # no targets, nothing checked
    run.write_text("commitments:\n  - {text: Fewer moves, indicator: adopted}\n")
    load_params("Rutland", params_file=run, check_indicator=seen.append)
    assert seen == ["adopted"]
