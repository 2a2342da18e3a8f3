"""Report parameters: :class:`ReportParams`, and :func:`load_params` to merge YAML and the CLI.

Layers, later ones winning (a ``null``/``None`` value at any layer means "not given"):

1. ``params/defaults.yaml``: project-wide defaults, plus ``authority`` (the default authority).
2. The authority's published facts (:mod:`reportgen.core.authorities`): ``authority_code``,
   ``authority_name``, ``old_la_code``, ``region``, ``statistical_neighbours``.
3. ``params/authorities/<GSS>.yaml`` (optional): local details (committee, officers, ...) and any
   override of the published facts except the codes.
4. Command-line values: ``overrides`` first, then ``period``, ``source``, ``input``, ``layout``
   and ``out``.

Everything is checked before anything runs: YAML syntax, unknown keys, types, the period, and, for
the published source, that the period is a collection year the authority has published data for.
Every problem is a one-line :class:`~reportgen.core.errors.ReportgenError` naming the file and the key.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from reportgen.core import authorities
from reportgen.core.committee import CommitteeDetails
from reportgen.core.errors import ParamsError, PeriodError, ReportgenError
from reportgen.core.paths import DEFAULT_OUT_DIR, KERNEL_NAME, PARAMS_DIR, PROJECT_ROOT
from reportgen.core.periods import Period, PeriodField, as_period, parse_period, year_label

Source = Literal["published", "ssda903", "synthetic"]
Layout = str
"""A layout name: one of the files in templates/layouts/ (checked when params load)."""

GSS_PATTERN = r"^E(06|07|08|09|10)\d{6}$"
"""ONS (GSS) codes of English upper-tier authorities: unitary, metropolitan, London, county."""
OLD_CODE_PATTERN = r"^\d{3}$"

DEFAULTS_ONLY_KEYS = frozenset({"authority"})
"""Keys allowed in ``defaults.yaml`` that are not :class:`ReportParams` fields."""

REPORT_TITLE_STEM = "Children in care: sufficiency, adoption and care leavers"
"""The default report title is this stem followed by the period's title."""

COMMAND_LINE = "command line"


class DisclosurePolicy(BaseModel):
    """Small-number rules (``disclosure:`` in params)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(default=5, ge=1, le=100)
    secondary: bool = True
    min_denominator: int = Field(default=5, ge=1, le=100)
    """No percentage of fewer children than this is shown (the DfE: a percentage is ``c`` when
    its denominator is small, i.e. 1 to 4)."""


class ForecastParams(BaseModel):
    """The "Looking ahead" projection (``forecast:`` in params; :mod:`reportgen.analysis.forecast`).

    Parameters
    ----------
    horizon
        Years ahead, 1 to 4 (the open demand models' users asked for no more than four).
    window
        How many of the latest published years the trends are taken from (at least 3; default all).
    simulations
        Simulated paths behind the ranges.
    seed
        Seed of the simulations: the same seed gives the same paper.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    horizon: int = Field(default=3, ge=1, le=4)
    window: int | None = Field(default=None, ge=3, le=10)
    simulations: int = Field(default=1000, ge=100, le=20000)
    seed: int = Field(default=20250331, ge=0)


class ScenarioParams(BaseModel):
    """A named scenario applied to the forecast (``scenarios:`` in params).

    ``entries_change`` changes the entry rate (``-0.1``: 10% fewer children starting to be
    looked after) from ``from_year``; ``move`` moves ``children_per_year`` children a year, each
    year from ``from_year``, from one placement (``placement_type.provider`` of ``costs.yaml``)
    to another, for example ``{from: childrens_home.private, to: foster.own_la}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    entries_change: float = Field(default=0.0, ge=-0.9, le=2.0)
    move_from: str | None = None
    move_to: str | None = None
    children_per_year: float = Field(default=0.0, ge=0, le=1000)
    from_year: str | None = None

    @model_validator(mode="after")
    def _move_needs_both(self) -> ScenarioParams:
        if (self.move_from is None) != (self.move_to is None):
            raise ValueError("a move needs both move_from and move_to (placement_type.provider)")
        if self.move_from is not None and self.children_per_year <= 0:
            raise ValueError("a move needs children_per_year above 0")
        if self.move_from is None and self.entries_change == 0:
            raise ValueError("a scenario needs entries_change or a move (move_from, move_to)")
        return self


class PrivacyPolicy(BaseModel):
    """What the identifier checks may let through (``privacy:`` in params).

    Parameters
    ----------
    allow_findings
        Write a paper even when :func:`reportgen.analysis.privacy.scan_docx` finds something
        shaped like a child identifier in it (UPN, full postcode, dd/mm/YYYY date, a CHILD id of
        the return). Off by default: a finding stops the run, naming the part of the paper.
    keep_failed_notebooks
        Keep the executed notebooks of a failed 903-based report (they may show child-level
        detail) in ``OUT/<code>/.failed/<period>/``, marked ``RESTRICTED.txt``. Off by default:
        only ``reason.txt`` is kept.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_findings: bool = False
    keep_failed_notebooks: bool = False


class OfficerParams(BaseModel):
    """An officer to contact about the report (the "Officer(s) to Contact" block).

    Parameters
    ----------
    name
        The person's name, or a role when no name is published (``"Director of Children's
        Services"``).
    job_title, telephone, email
        As they should appear in the report; empty strings are left out.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    job_title: str = ""
    telephone: str = ""
    email: str = ""


IndicatorCheck = Callable[[str], object]
"""Checks an indicator id, raising :class:`~reportgen.core.errors.ReportgenError` naming the
closest ids when it is unknown: :func:`reportgen.indicators.registry.get`. The params sit below the
indicators, so the caller hands the check in (``load_params(..., check_indicator=registry.get)``);
without it, ids are checked when the indicators read them."""


def _checked_indicator(value: str, info: ValidationInfo) -> str:
    """``value``, checked by the validation context's ``check_indicator`` when one is given."""
    check = (info.context or {}).get("check_indicator")
    if check is not None:
        try:
            check(value)
        except ReportgenError as error:  # reported with the file and key by load_params
            raise ValueError(str(error)) from None
    return value


class TargetParams(BaseModel):
    """A target for one indicator, e.g. ``{indicator: adopted, target: 25, label: "25 adoptions a year"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str
    target: float
    direction: Literal["at_least", "at_most"] = "at_least"
    label: str = ""

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, value: str, info: ValidationInfo) -> str:
        return _checked_indicator(value, info)


class CommitmentParams(BaseModel):
    """A "We will" commitment, optionally measured by an indicator and target."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    indicator: str | None = None
    target: float | None = None
    direction: Literal["at_least", "at_most"] = "at_least"

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _checked_indicator(value, info)

    @model_validator(mode="after")
    def _target_needs_indicator(self) -> CommitmentParams:
        if self.target is not None and self.indicator is None:
            raise ValueError("a commitment with a target needs an indicator id")
        return self


class ReportParams(BaseModel):
    """Validated parameters of one report: which authority and period, where from, how it looks.

    Build it with :func:`load_params` (which merges the YAML files and the command line and checks
    the published data), or rebuild it in a notebook with :meth:`from_notebook_parameters`.

    Parameters
    ----------
    authority_code
        GSS code, e.g. ``"E10000018"``.
    authority_name
        Name used in the report, e.g. ``"Leicestershire"``.
    old_la_code
        3-digit DfE LA number as text, e.g. ``"855"``.
    region
        Published region name (``"Inner London"``/``"Outer London"`` for London boroughs).
    statistical_neighbours
        1 to 10 GSS codes, closest first (default: the DfE 2025 model's 10).
    period
        The reporting :class:`~reportgen.core.periods.Period`, parsed once here from any accepted
        form (``"2024-25"``, ``"2024/25"``, ``"2024-25 Q3"``, ...); ``str(params.period)`` and
        ``params.period.label`` are its canonical label, which is also what
        :meth:`to_notebook_parameters` and ``model_dump`` write.
    source
        ``"published"`` (DfE tables, collection years only), ``"ssda903"`` (the authority's 903
        returns in ``input``) or ``"synthetic"``.
    input
        Folder of 903 CSVs; required for ``"ssda903"``.
    layout
        House style of the Word report: a layout name, or the path of a council's own Word
        template with its style mapping beside it (``{template: path}`` in YAML).
    contents
        Print a contents list after the title block; ``None`` (default): as the layout says.
    out
        Output root; the report goes to :attr:`out_dir`.
    committee, report_of
        Front-sheet text: the meeting's name and whose report it is.
    report_title
        Default: ``"Children in care: sufficiency, adoption and care leavers <period title>"``.
    meeting_date
        Default: 1 December of the period's collection year (e.g. 1 December 2025 for 2024-25,
        when the DfE figures for that year have been published): a fixed date, so a run is
        reproducible. Set the real date in the authority file or on the command line.
    officers
        Contacts listed at the end of the report.
    background_papers, circulation
        Text of those sections (``"None"`` by default, as in the example papers).
    kernel_name
        Jupyter kernel passed to papermill.
    keep_notebooks
        Keep the executed notebooks (and their HTML) under :attr:`out_dir` for audit.
    committee_details
        Front-sheet and audit-trail details some layouts print (:mod:`reportgen.core.committee`).
    targets, commitments
        Targets on indicators and "We will" commitments; the report gives each a status.
    recommendations
        Further options the committee is asked to decide on, one sentence each, after the
        default "note and comment" recommendation (``["request a focused report on ..."]``).
    sections
        Officer-written text by part name (``purpose``, ``background``, ``service_context`` ...),
        Markdown + Jinja; a file ``params/authorities/<code>/<period>/<part>.md`` does the same.
    required_sections
        Parts the author must write for this authority; a missing one is an error before any
        notebook runs.
    allow_invalid_903
        Write a 903-based report even when the return has validation errors (they are listed in
        the data-quality appendix). Warnings never block.
    disclosure
        Small-number rules for figures from 903 data (:mod:`reportgen.analysis.suppression`).
    dfe_rules
        In a 903-based report, run the DfE's own 903 validation rules (csc-validator-be-903, in
        its own environment, made on first use) for the data-quality appendix.
    forecast
        The "Looking ahead" projection's horizon, window, simulations and seed
        (:class:`ForecastParams`).
    costs
        The authority's own weekly unit costs, overriding ``params/costs.yaml`` (same keys:
        placement type, provider, then a number or ``{weekly, price_base, source}``); checked
        with the national file before any notebook runs.
    scenarios
        Up to six named scenarios applied to the forecast and the costs (:class:`ScenarioParams`).
    privacy
        The identifier scan of every written paper and what a failed 903 report keeps
        (:class:`PrivacyPolicy`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    authority_code: str = Field(pattern=GSS_PATTERN)
    authority_name: str = Field(min_length=1)
    old_la_code: str = Field(pattern=OLD_CODE_PATTERN)
    region: str = Field(min_length=1)
    statistical_neighbours: list[str] = Field(min_length=1, max_length=10)
    period: PeriodField
    source: Source = "published"
    input: Path | None = None
    layout: Layout

    @field_validator("out")
    @classmethod
    def _no_parent_steps(cls, value: Path) -> Path:
        if ".." in Path(value).parts:
            raise ValueError(
                f"output folder {str(value)!r} contains '..': give a folder inside or an "
                "absolute path without '..'"
            )
        return value

    @field_validator("layout", mode="before")
    @classmethod
    def _known_layout(cls, value: Any) -> str:
        from reportgen.core.plans import get_layout_file

        if isinstance(value, dict):  # layout: {template: path/to/our-template.docx}
            if set(value) != {"template"} or not isinstance(value["template"], str | Path):
                raise ValueError(
                    f"give a layout name or {{template: path/to/our-template.docx}}, got {value!r}"
                )
            value = value["template"]
        if isinstance(value, Path):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a layout name or a .docx path, got {value!r}")
        try:  # a shipped layout's name, or a council template's absolute path
            return get_layout_file(value).name
        except ReportgenError as exc:
            raise ValueError(str(exc)) from None

    contents: bool | None = None
    out: Path = DEFAULT_OUT_DIR
    committee: str = Field(min_length=1)
    report_of: str = Field(min_length=1)
    report_title: str = Field(min_length=1)
    meeting_date: date
    officers: list[OfficerParams] = Field(default_factory=list)
    background_papers: str = "None"
    circulation: str = "None"
    kernel_name: str = Field(default=KERNEL_NAME, min_length=1)
    keep_notebooks: bool = True
    committee_details: CommitteeDetails = Field(default_factory=CommitteeDetails)
    targets: list[TargetParams] = Field(default_factory=list)
    commitments: list[CommitmentParams] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)
    required_sections: list[str] = Field(default_factory=list)
    allow_invalid_903: bool = False
    disclosure: DisclosurePolicy = Field(default_factory=DisclosurePolicy)
    dfe_rules: bool = True
    privacy: PrivacyPolicy = Field(default_factory=PrivacyPolicy)
    forecast: ForecastParams = Field(default_factory=ForecastParams)
    costs: dict[str, Any] = Field(default_factory=dict)
    scenarios: list[ScenarioParams] = Field(default_factory=list, max_length=6)

    @model_validator(mode="before")
    @classmethod
    def _fill_period_defaults(cls, data: Any) -> Any:
        """Fill ``report_title`` and ``meeting_date`` from the period when not given."""
        if not isinstance(data, dict) or not isinstance(data.get("period"), str | Period):
            return data
        try:
            period = as_period(data["period"])
        except PeriodError:
            return data  # the field validator reports it
        data = dict(data)
        if data.get("report_title") is None:
            data["report_title"] = default_report_title(period)
        if data.get("meeting_date") is None:
            data["meeting_date"] = default_meeting_date(period)
        return data

    @field_validator("statistical_neighbours")
    @classmethod
    def _check_neighbours(cls, value: list[str], info: ValidationInfo) -> list[str]:
        bad = [code for code in value if not re.match(GSS_PATTERN, code)]
        if bad:
            raise ValueError(f"not GSS codes: {', '.join(map(repr, bad))}")
        repeated = sorted({code for code in value if value.count(code) > 1})
        if repeated:
            raise ValueError(f"listed more than once: {', '.join(repeated)}")
        if info.data.get("authority_code") in value:
            raise ValueError(f"includes the authority itself ({info.data['authority_code']})")
        return value

    @model_validator(mode="after")
    def _check_source(self) -> ReportParams:
        problem = source_problem(self.source, self.period, self.input)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def out_dir(self) -> Path:
        """Folder of this report's outputs: ``out/<authority_code>/<period folder name>``."""
        return self.out / self.authority_code / self.period.folder_name

    def to_notebook_parameters(self) -> dict[str, Any]:
        """The parameters as JSON-safe literals for papermill to inject.

        Returns
        -------
        dict
            Field name to ``str``/``int``/``bool``/``None``/``list`` (officers as a list of
            dicts); paths and dates as strings. :meth:`from_notebook_parameters` rebuilds an
            equal object.
        """
        return self.model_dump(mode="json")

    @classmethod
    def from_notebook_parameters(
        cls, parameters: dict[str, Any], *, check_indicator: IndicatorCheck | None = None
    ) -> ReportParams:
        """Rebuild the parameters from :meth:`to_notebook_parameters` output (in a notebook).

        ``check_indicator`` checks the targets' and commitments' indicator ids
        (:data:`IndicatorCheck`).

        Raises
        ------
        ParamsError
            If the values do not validate (one line naming the keys).
        """
        try:
            return cls.model_validate(parameters, context={"check_indicator": check_indicator})
        except ValidationError as exc:
            raise ParamsError(
                _describe_validation_error(exc, {}, default_source="notebook parameters")
            ) from None


def disclosure_warning(params: ReportParams) -> str | None:
    """A warning when a paper from 903 data withholds fewer small numbers than the default
    (``disclosure: {min_count: 5, secondary: true}``), or ``None``."""
    policy = params.disclosure
    if params.source == "published" or policy == DisclosurePolicy():
        return None
    if policy.min_count <= 1:
        what = "small numbers will NOT be withheld (disclosure: min_count 1)"
    elif policy.min_count < DisclosurePolicy().min_count:
        what = f"only counts under {policy.min_count} will be withheld (the default is under 5)"
    else:
        what = f"counts under {policy.min_count} will be withheld"
    if not policy.secondary:
        what += "; secondary suppression is off, so withheld figures may be worked out"
    return (
        f"{what}: this paper is not safe to publish as it stands (Appendix A says what was applied)"
    )


def default_report_title(period: Period) -> str:
    """``"Children in care: sufficiency, adoption and care leavers 2024-25"`` for 2024-25."""
    return f"{REPORT_TITLE_STEM} {period.title}"


def default_meeting_date(period: Period) -> date:
    """1 December of the period's collection year (1 December 2025 for 2024-25)."""
    return date(period.collection_year, 12, 1)


def source_problem(source: str, period: Period, input_path: Path | None) -> str | None:
    """What is wrong with this source for this period, or ``None`` (no data is read).

    The published tables are annual, so ``published`` needs a collection year; ``ssda903`` needs
    an input folder.
    """
    if source == "published" and not period.is_collection_year:
        hint = ""
        if period.spans_collection_year:
            hint = f" (this range is the collection year {year_label(period.collection_year)}: "
            hint += "write it that way)"
        return (
            f"period '{period.label}' is a {period.kind}{hint}: the published DfE tables are "
            "annual, so quarters, months and date ranges need the authority's own 903 returns; "
            "use SOURCE=ssda903 INPUT=<folder> (--source ssda903 --input <folder>) "
            "or a collection year such as 2024-25"
        )
    if source == "ssda903" and input_path is None:
        return (
            "source 'ssda903' needs the folder of the authority's 903 CSV files: "
            "give INPUT=<folder> (--input <folder>)"
        )
    return None


def latest_published_period() -> str:
    """Label of the latest collection year in the published CLA table (``"2024-25"``)."""
    return year_label(authorities.latest_published_year())


def published_period_problem(authority: authorities.Authority, period: Period) -> str | None:
    """Why the published tables cannot give ``period`` for ``authority``, or ``None``."""
    all_years = sorted(
        {y for a in authorities.all_authorities() for y in authorities.published_years(a)}
    )
    if period.collection_year not in all_years:
        return (
            f"no published data for {period.label}: the published tables cover "
            f"{year_label(all_years[0])} to {year_label(all_years[-1])}"
        )
    years = authorities.published_years(authority)
    if period.collection_year in years:
        return None
    name = authority.name
    if not years:
        return (
            f"no published data for {name} in {period.label}: the DfE publishes no count of "
            f"children looked after for {name} in any year (marked 'z'); "
            "use SOURCE=ssda903 with its own 903 returns"
        )
    return (
        f"no published data for {name} in {period.label}; published years for {name}: "
        f"{', '.join(year_label(y) for y in years)}"
    )


def load_params(
    authority: str | None = None,
    period: str | None = None,
    *,
    source: str | None = None,
    input: str | Path | None = None,
    layout: str | None = None,
    out: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    params_file: Path | str | None = None,
    params_dir: str | Path = PARAMS_DIR,
    check_indicator: IndicatorCheck | None = None,
) -> ReportParams:
    """Merge defaults, the authority's file and command-line values into checked parameters.

    Parameters
    ----------
    authority
        Name, GSS code or 3-digit code (see :func:`reportgen.core.authorities.lookup`); default: the
        ``authority`` key of ``defaults.yaml`` (Leicestershire).
    period
        Any form :func:`~reportgen.core.periods.parse_period` accepts; default: ``period`` from the
        YAML files, else the latest published collection year (``"2024-25"``).
    source, input, layout, out
        Command-line values; ``None`` means "not given".
    params_file
        A YAML file of further values for this run (``--params FILE``), applied after the
        authority's file and before the command line.
    overrides
        Further field values from the command line (``None`` values ignored); the keyword
        arguments above win over them.
    params_dir
        Folder holding ``defaults.yaml`` and ``authorities/<GSS>.yaml``.
    check_indicator
        Checks the indicator ids of ``targets`` and ``commitments`` (:data:`IndicatorCheck`:
        pass :func:`reportgen.indicators.registry.get`, as every command does), so that an unknown
        id is reported with its file and key.

    Returns
    -------
    ReportParams

    Raises
    ------
    ParamsError
        Bad YAML, unknown keys, wrong types, or a period the source cannot provide (e.g. a
        quarter with the published source).
    PeriodError
        A command-line period that does not parse, or a collection year with no published data
        for the authority.
    UnknownAuthorityError
        An authority that matches none, or several.
    """
    params_dir = Path(params_dir)
    defaults_path = params_dir / "defaults.yaml"
    defaults_label = _label(defaults_path)
    defaults = _read_yaml(defaults_path)

    merged: dict[str, Any] = {}
    provenance: dict[str, str] = {}

    def apply(layer: dict[str, Any], label: str) -> None:
        for key, value in layer.items():
            if value is not None:
                merged[key] = value
                provenance[key] = label

    # 1. defaults.yaml, without its selector keys.
    query = authority
    if query is None:
        query = defaults.get("authority")
        if query is None:
            raise ParamsError(
                f"{defaults_label}: no default authority: set 'authority' there or give one "
                "(AUTHORITY=<name or code>)"
            )
        if not isinstance(query, str | int):
            raise ParamsError(f"{defaults_label}: key 'authority': expected a name or code")
    apply({k: v for k, v in defaults.items() if k not in DEFAULTS_ONLY_KEYS}, defaults_label)

    # 2. The authority's published facts.
    try:
        found = authorities.lookup(str(query))
    except ReportgenError as exc:
        if authority is None:
            raise ParamsError(f"{defaults_label}: key 'authority': {exc}") from None
        raise
    apply(
        {
            "authority_code": found.gss,
            "authority_name": found.name,
            "old_la_code": found.old_code,
            "region": found.region,
            "statistical_neighbours": list(found.neighbours),
        },
        "published data",
    )

    # 3. params/authorities/<GSS>.yaml.
    authority_path = params_dir / "authorities" / f"{found.gss}.yaml"
    authority_label = _label(authority_path)
    if authority_path.exists():
        layer = _read_yaml(authority_path)
        for key, expected in (("authority_code", found.gss), ("old_la_code", found.old_code)):
            if key in layer and layer[key] is not None and str(layer[key]) != expected:
                raise ParamsError(
                    f"{authority_label}: key '{key}' is {layer[key]!r} but this file is for "
                    f"{found} ({key} {expected!r}): correct or remove the key"
                )
        apply(layer, authority_label)

    # 4. A params file for this run, then the command line.
    if params_file is not None:
        run_path = Path(params_file)
        if not run_path.is_file():
            raise ParamsError(f"params file {str(run_path)!r} not found: check the --params path")
        apply(_read_yaml(run_path), _label(run_path))
    apply(dict(overrides or {}), COMMAND_LINE)
    apply(
        {"period": period, "source": source, "input": input, "layout": layout, "out": out},
        COMMAND_LINE,
    )
    for key, expected in (("authority_code", found.gss), ("old_la_code", found.old_code)):
        if str(merged.get(key)) != expected:
            raise ParamsError(
                f"{provenance[key]}: key '{key}' cannot be changed to {merged[key]!r}: "
                f"choose the authority instead (AUTHORITY=...)"
            )

    # The period: parsed here so its errors name where it came from.
    if "period" not in merged:
        merged["period"], provenance["period"] = latest_published_period(), "published data"
    try:
        period_obj = parse_period(str(merged["period"]))
    except PeriodError as exc:
        if provenance["period"] == COMMAND_LINE:
            raise
        raise ParamsError(f"{provenance['period']}: key 'period': {exc}") from None
    merged["period"] = period_obj

    # Source and period together, and the published data.
    chosen_source = merged.get("source", "published")
    input_path = Path(merged["input"]) if isinstance(merged.get("input"), str | Path) else None
    problem = source_problem(str(chosen_source), period_obj, input_path)
    if problem:
        raise ParamsError(problem)
    if chosen_source == "ssda903" and input_path is not None and not input_path.is_dir():
        raise ParamsError(
            f"{provenance['input']}: key 'input': 903 folder {str(input_path)!r} does not exist "
            "or is not a folder"
        )

    try:
        params = ReportParams.model_validate(merged, context={"check_indicator": check_indicator})
    except ValidationError as exc:
        raise ParamsError(_describe_validation_error(exc, provenance)) from None

    known = {a.gss for a in authorities.all_authorities()}
    unknown = [code for code in params.statistical_neighbours if code not in known]
    if unknown:
        raise ParamsError(
            f"{provenance['statistical_neighbours']}: key 'statistical_neighbours': unknown GSS "
            f"code(s) {', '.join(unknown)}; run 'reportgen list-authorities' to see the codes"
        )

    if params.source == "published":
        problem = published_period_problem(found, period_obj)
        if problem:
            raise PeriodError(problem)
    return params


MAX_YAML_VALUES = 10_000
"""A params file may hold at most this many values once its aliases (``*name``) are expanded:
a "billion laughs" file of nested aliases is refused before it is built or checked."""


class _StrictLoader(yaml.SafeLoader):
    """:class:`yaml.SafeLoader` that rejects a key given twice in one mapping and aliases that
    expand to more than :data:`MAX_YAML_VALUES` values."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {})
        if size > MAX_YAML_VALUES:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"aliases (*name) expand to more than {MAX_YAML_VALUES:,} values: write the "
                "values out instead of repeating anchors",
                node.start_mark,
            )
        return self.construct_document(node)


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for with every alias expanded (each shared node is
    counted once per use, but worked out once, so this is quick even for a billion laughs)."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = MAX_YAML_VALUES + 1  # a node that contains itself: refuse
    total = 1
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [item for pair in node.value for item in pair]
    else:
        children = []
    for child in children:
        total += _expanded_size(child, sizes)
        if total > MAX_YAML_VALUES:
            break
    sizes[id(node)] = total
    return total


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping safely; every problem is a one-line :class:`ParamsError`."""
    label = _label(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParamsError(f"{label}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParamsError(f"{label}: cannot be read ({exc})") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParamsError(f"{label}: invalid YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(
            f"{label}: expected 'key: value' lines at the top level, found a {type(data).__name__}"
        )
    bad = [key for key in data if not isinstance(key, str)]
    if bad:
        raise ParamsError(f"{label}: keys must be names, found {', '.join(map(repr, bad))}")
    return data


def _label(path: Path) -> str:
    """A path as shown in messages: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 2, 60, 60
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = _SHORT.maxset = 4


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe_validation_error(
    exc: ValidationError, provenance: dict[str, str], default_source: str = "parameters"
) -> str:
    """Turn a pydantic error into one line per problem, joined with ``"; "``."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        key = _dotted(loc)
        where = provenance.get(str(loc[0]), default_source) if loc else default_source
        message = str(error["msg"]).removeprefix("Value error, ")
        kind = error["type"]
        if kind == "extra_forbidden":
            model = OfficerParams if loc and loc[0] == "officers" else ReportParams
            close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            allowed = ", ".join(model.model_fields)
            problems.append(f"{where}: unknown key '{key}' ({hint}allowed: {allowed})")
        elif kind == "missing":
            problems.append(f"{where}: missing key '{key}'")
        elif not loc:
            problems.append(f"{where}: {message}")
        else:
            got = _SHORT.repr(error.get("input"))  # cut before rendering: never the whole value
            got = got if len(got) <= 60 else got[:57] + "..."
            problems.append(f"{where}: key '{key}': {message} (got {got})")
    return "; ".join(problems)
