"""One report: run the three notebooks with papermill, assemble, write the .docx atomically.

Everything is written to a staging folder beside the final one and renamed into place at the
end, so a failure never leaves a half-written report. A failed notebook (with papermill's error
banner) and a ``reason.txt`` are kept under ``out/<code>/.failed/<period>/``, for a
:class:`~reportgen.core.errors.ReportgenError` and for any unexpected exception alike; for a
report from 903 data only ``reason.txt`` is kept unless ``privacy: {keep_failed_notebooks: true}``
(:func:`_keep_failure`). Every paper is scanned for child identifiers before it is renamed into
place (:func:`check_privacy`).

``run.json`` records a ``fingerprint`` of the parameters, the hashes of every input and the code
version (:func:`inputs_fingerprint`): ``reportgen reports --resume`` skips a report whose .docx
exists and whose fingerprint has not changed (:func:`is_up_to_date`).

It also records ``notebooks_fingerprint``, the same hash without the officer's own sections and
the narrative templates (:func:`notebooks_fingerprint`: nothing a notebook reads), and the
SHA-256 of each file the notebooks wrote to ``work/``. When both still match, a re-run copies the
previous ``work/`` (indicators, outlook and chart PNGs) and executed notebooks instead of running
the notebooks again (:func:`reusable_run`), and only assembles and writes the .docx: the paper
is the same, byte for byte, as a full run would write.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import platform
import re
import shutil
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import __version__
from reportgen.core.config import ReportParams
from reportgen.core.errors import NotebookError, OutputError, PrivacyError, ReportgenError
from reportgen.core.paths import DATA_DIR, NOTEBOOKS_DIR, TEMPLATES_DIR
from reportgen.core.redact import redact
from reportgen.docx import list_comments, write_report
from reportgen.model import Report
from reportgen.report import data_quality, narrative_context
from reportgen.report.assemble import build_report
from reportgen.report.notebook_api import FAMILIES, read_section
from reportgen.report.officer_sections import check_required
from reportgen.report.outlook import check_params as check_outlook

if TYPE_CHECKING:  # the kernel machinery (papermill, nbclient) is imported only to run notebooks
    from reportgen.run.kernels import ReusableKernel

PACKAGES = ("papermill", "nbclient", "nbconvert", "pandas", "seaborn", "matplotlib", "python-docx")

COMMIT_LOCK = threading.Lock()
"""Held while a finished (or failed) staging folder is renamed into place: a batch worker's
watchdog takes it before abandoning the run, so it never interrupts a rename half-way."""

NOTEBOOKS = (*FAMILIES, "forecast")
"""The notebooks a report runs, in order: the three families, then "Looking ahead" and costs."""


@dataclass
class RunResult:
    """What one report run produced."""

    params: ReportParams
    docx: Path
    out_dir: Path
    timings: dict[str, float] = field(default_factory=dict)
    still_to_write: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """One-line notes for the author (e.g. the DfE's 903 rules could not be run)."""


def still_to_write(default_text: list[dict[str, str]]) -> list[str]:
    """What the author still has to write or confirm, from the .docx's comments: the heading of
    each section with default text, and each placeholder (``[Committee name]``), in order."""
    labels = []
    for entry in default_text:
        if entry["comment"].startswith("Placeholder"):
            labels += re.findall(r"\[[^\]]+\]", entry["comment"])
        else:
            labels.append(entry["section"] or "front sheet")
    return list(dict.fromkeys(labels))


def report_filename(params: ReportParams) -> str:
    """``E10000018_2024-25_children-in-care.docx``."""
    return f"{params.authority_code}_{params.period.folder_name}_children-in-care.docx"


_HASHES: dict[tuple[str, int, int], str] = {}


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _input_sha256(path: Path) -> str:
    """:func:`sha256` of an input, remembered while its size and modification time stay the same
    (a batch worker hashes the same data files for every report)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHES:
        _HASHES[key] = sha256(path)
    return _HASHES[key]


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    )


def input_hashes(params: ReportParams) -> dict[str, str]:
    """Hashes of everything a report reads: data, notebooks, params files, officer-written
    sections, templates, and the SSDA903 returns it was given."""
    from reportgen.core.paths import AUTHORITY_PARAMS_DIR, PARAMS_DIR
    from reportgen.core.plans import is_template_layout, mapping_path
    from reportgen.report.officer_sections import own_folder

    files = sorted(DATA_DIR.glob("*.parquet")) + [NOTEBOOKS_DIR / f"{f}.ipynb" for f in NOTEBOOKS]
    files += [PARAMS_DIR / "costs.yaml", DATA_DIR.parent / "forecast_backtest.json"]
    files += [PARAMS_DIR / "defaults.yaml", AUTHORITY_PARAMS_DIR / f"{params.authority_code}.yaml"]
    files += _files_under(own_folder(params)) + _files_under(TEMPLATES_DIR)
    if is_template_layout(params.layout):  # a council's own Word template and its mapping
        files += [Path(params.layout), mapping_path(params.layout)]
    if params.input is not None:
        files += _files_under(Path(params.input))
    root = DATA_DIR.parents[1]
    return {
        str(p.relative_to(root) if p.is_relative_to(root) else p): _input_sha256(p)
        for p in files
        if p.exists()
    }


@cache
def code_hash() -> str:
    """Hash of the installed reportgen package's files (changes with any code change).

    Computed once a process: it stands for the code this process imported and runs (a batch
    worker asked for it twice a report, walking the package's files each time)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in _files_under(package):
        if path.suffix in (".pyc", ".pyo"):
            continue
        digest.update(
            str(path.relative_to(package)).encode() + b"\0" + _input_sha256(path).encode()
        )
    return digest.hexdigest()


def inputs_fingerprint(params: ReportParams, inputs: dict[str, str] | None = None) -> str:
    """One hash of what determines a report: the parameters (all but the output folder), the
    hashes of its inputs, the reportgen version and code, and the versions of the packages that
    shape the output. Equal fingerprints mean a re-run would write the same report."""
    payload = {
        "params": params.model_dump(mode="json", exclude={"out"}),
        "inputs": input_hashes(params) if inputs is None else inputs,
        "reportgen": __version__,
        "code": code_hash(),
        "versions": versions(),
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _input_key(path: Path) -> str:
    """``path`` as :func:`input_hashes` names it (relative to the project when inside it)."""
    root = DATA_DIR.parents[1]
    return str(path.relative_to(root) if path.is_relative_to(root) else path)


def notebooks_fingerprint(params: ReportParams, inputs: dict[str, str] | None = None) -> str:
    """:func:`inputs_fingerprint` without the inputs only the assembly reads: the officer's own
    sections (``params/authorities/<code>/<period>/*.md``) and the narrative templates
    (``templates/narrative/``). Equal values mean the notebooks would compute the same
    indicators and draw the same charts, so their results in ``work/`` can be reused."""
    from reportgen.report.officer_sections import own_folder

    inputs = input_hashes(params) if inputs is None else inputs
    assembly_only = [_input_key(own_folder(params)), _input_key(TEMPLATES_DIR / "narrative")]
    kept = {
        key: digest
        for key, digest in inputs.items()
        if not any(key == a or key.startswith(a + os.sep) for a in assembly_only)
    }
    return inputs_fingerprint(params, kept)


def work_hashes(work: Path) -> dict[str, str]:
    """SHA-256 of each file the notebooks wrote to ``work/`` (not the parent's data-quality file)."""
    if not work.is_dir():
        return {}
    return {
        p.name: sha256(p)
        for p in sorted(work.iterdir())
        if p.is_file() and p.name != data_quality.FILE_NAME
    }


def reusable_run(params: ReportParams, fingerprint: str) -> Path | None:
    """The previous run's folder when its notebooks' results can stand for this run's, else None.

    They can when its ``run.json`` has the same ``notebooks_fingerprint``, every file in its
    ``work/`` still has the SHA-256 recorded then, and (when notebooks are kept) its executed
    notebooks and their HTML are all there.
    """
    previous = read_run_json(params.out_dir)
    if not previous or previous.get("notebooks_fingerprint") != fingerprint:
        return None
    recorded = previous.get("work_sha256")
    if not recorded or work_hashes(params.out_dir / "work") != recorded:
        return None
    if params.keep_notebooks:
        folder = params.out_dir / "notebooks"
        for name in NOTEBOOKS:
            if not all((folder / f"{name}{ext}").is_file() for ext in (".ipynb", ".html")):
                return None
    return params.out_dir


def read_run_json(out_dir: Path) -> dict | None:
    """The ``run.json`` of an existing report folder, or None (missing or unreadable)."""
    try:
        data = json.loads((out_dir / "run.json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_up_to_date(params: ReportParams) -> bool:
    """True when the report's .docx exists and its run.json fingerprint matches ``params`` and
    the current inputs (so ``--resume`` may skip it)."""
    run = read_run_json(params.out_dir)
    if not run or not run.get("fingerprint"):
        return False
    report = (run.get("outputs") or {}).get("report") or report_filename(params)
    docx = params.out_dir / report
    if not docx.is_file() or docx.stat().st_size == 0:
        return False
    return run["fingerprint"] == inputs_fingerprint(params)


def staging_path(final: Path, pid: int | None = None) -> Path:
    """The staging folder a process writes ``final`` into before renaming it into place."""
    return final.with_name(f".{final.name}.staging-{pid or os.getpid()}")


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>staging|old)-(?P<pid>\d+)$")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(out: Path) -> list[Path]:
    """Tidy what a killed run left under ``out/<code>/``: staging folders of processes that no
    longer exist are removed; a previous report moved aside (``.<period>.old-<pid>``) just
    before the kill is put back if no newer one replaced it. Returns the paths handled."""
    handled = []
    for path in sorted(out.glob("*/.*-*")):
        match = _LEFTOVER.match(path.name)
        if not match or not path.is_dir() or _pid_alive(int(match["pid"])):
            continue
        final = path.with_name(match["name"])
        if match["kind"] == "old" and not final.exists():
            path.rename(final)
        else:
            shutil.rmtree(path, ignore_errors=True)
        handled.append(path)
    return handled


def versions() -> dict[str, str]:
    """Versions of Python, reportgen and the packages that shape the output."""
    return dict(_versions())


@cache
def _versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "reportgen": __version__}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def execute_notebook(
    family: str, params: ReportParams, staging: Path, kernel: ReusableKernel
) -> Path:
    """Execute one family notebook into ``staging/notebooks`` on the reused kernel."""
    return _execute(family, params, staging, kernel)[0]


def _execute(
    family: str, params: ReportParams, staging: Path, kernel: ReusableKernel
) -> tuple[Path, object]:
    from papermill.exceptions import PapermillExecutionError

    from reportgen.run.notebook_engine import run_notebook

    source = NOTEBOOKS_DIR / f"{family}.ipynb"
    if not source.exists():
        raise ReportgenError(f"report notebook {source} is missing: restore it from git")
    target = staging / "notebooks" / f"{family}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        node = run_notebook(
            source,
            target,
            {"params": params.to_notebook_parameters(), "work_dir": str(staging / "work")},
            kernel,
        )
    except PapermillExecutionError as error:
        raise NotebookError(
            f"notebook {family}.ipynb failed for {params.authority_name} {params.period}: "
            f"{error.ename}: {error.evalue.splitlines()[0] if error.evalue else ''}"
        ) from error
    return target, node


def _timed_execute(
    family: str, params: ReportParams, staging: Path, kernel: ReusableKernel
) -> tuple[Path, object, float]:
    t0 = time.perf_counter()
    target, node = _execute(family, params, staging, kernel)
    return target, node, round(time.perf_counter() - t0, 3)


@cache
def _html_exporter():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Highlighted(str):
        """pygments' HTML for an input cell: already escaped, so not sanitised again."""

    img_without_alt = re.compile(r"<img(?![^>]*\salt=)")
    focusable = re.compile(
        r'(<div class="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*")'
        r"(?![^>]*\stabindex=)"
    )

    class AuditHTMLExporter(HTMLExporter):
        """nbconvert's HTML exporter (lab template), 4-5 times faster on our notebooks.

        The same document (equal once parsed; a test compares them): the accessibility pass
        that nbconvert does by re-parsing the whole page with BeautifulSoup (alt text on images,
        focusable cells) is done with two regular expressions, and pygments' highlighted input,
        already escaped, is not run through bleach again (anything else nbconvert sanitises, it
        still does).
        """

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter(
                "highlight_code",
                lambda source, language=None, metadata=None: _highlighted(
                    self,
                    lexer,
                    source,
                    language,
                    (metadata or {}).get("magics_language"),
                ),
            )
            self.register_filter(
                "clean_html", lambda el: el if isinstance(el, Highlighted) else clean_html(el)
            )
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            html = img_without_alt.sub(
                '<img alt="No description has been provided for this image"', html
            )
            return focusable.sub(r'\1 tabindex="0"', html), resources

    @lru_cache(maxsize=256)
    def _highlighted(
        exporter: HTMLExporter,
        lexer: str | None,
        source: str,
        language: str | None,
        magics_language: str | None,
    ) -> Highlighted:
        """pygments' HTML for one input cell, kept per process: every report's notebooks have
        the same code cells (only the parameters differ), and pygments is most of the export.
        The result depends on nothing but these arguments (nbconvert reads only
        ``magics_language`` of the cell's metadata)."""
        metadata = None if magics_language is None else {"magics_language": magics_language}
        highlight = Highlight2HTML(pygments_lexer=lexer, parent=exporter)
        return Highlighted(highlight(source, language, metadata))

    return AuditHTMLExporter()


def export_html(notebook: Path, node: object = None) -> Path:
    """Write the executed notebook's HTML (nbconvert) beside it, for audit.

    ``node``, the executed notebook as papermill returned it, saves reading it back.
    """
    import nbformat

    if node is None:
        node = nbformat.read(notebook, as_version=4)
    resources = {"metadata": {"name": notebook.stem, "path": str(notebook.parent)}}
    body, _ = _html_exporter().from_notebook_node(node, resources=resources)
    html = notebook.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


def _move_into_place(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    with COMMIT_LOCK:
        if final.exists():
            final.rename(old)
        staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _child_ids(params: ReportParams) -> list[str]:
    """CHILD ids of the 903 returns a report was made from (none for other sources)."""
    if params.source != "ssda903" or params.input is None:
        return []
    from reportgen.sources.choose import load_history

    ids: set[str] = set()
    for frame in load_history(params.input).tables.values():
        if "CHILD" in frame.columns:
            ids.update(frame["CHILD"].dropna().astype(str))
    return sorted(ids)


def check_privacy(report: Report, docx: Path, params: ReportParams) -> None:
    """Refuse a paper that holds anything shaped like a child identifier.

    Every written .docx goes through :func:`reportgen.analysis.privacy.find_identifiers` (UPNs,
    full postcodes, dd/mm/YYYY dates, the return's CHILD ids) unless the author set
    ``privacy: {allow_findings: true}``.

    Raises
    ------
    PrivacyError
        Naming what was found and in which part of the paper, never the value itself.
    """
    if params.privacy.allow_findings:
        return
    from reportgen.analysis.privacy import document_text, find_identifiers

    found = find_identifiers(document_text(docx), _child_ids(params))
    if not found:
        return
    parts = [s for s in report.sections] + [s for a in report.appendices for s in a.sections]
    places = []
    for kind, value in found:
        where = next(
            (f"'{s.heading}'" for s in parts if value.lower() in repr(s).lower()),
            "the front sheet, headers or document properties",
        )
        places.append(f"a {kind} in {where}")
    places = list(dict.fromkeys(places))
    raise PrivacyError(
        f"the paper for {params.authority_name} {params.period} would carry child identifiers: "
        f"{'; '.join(places)}. Remove them from the officer text or templates (or, if they are "
        "not identifiers, set privacy: {allow_findings: true} in params); nothing was written"
    )


def _keep_failure(staging: Path, params: ReportParams, reason: str) -> Path:
    """Keep a failed run's notebooks and ``reason.txt`` in ``.failed/<period>/``.

    The notebooks of a report from 903 data may show child-level detail: they are removed (only
    ``reason.txt`` stays) unless the author set ``privacy: {keep_failed_notebooks: true}``, and
    then ``RESTRICTED.txt`` says what they are.
    """
    failed = params.out_dir.parent / ".failed" / params.period.folder_name
    reason = redact(reason)
    restricted = params.source != "published"
    with COMMIT_LOCK:
        shutil.rmtree(failed, ignore_errors=True)
        failed.parent.mkdir(parents=True, exist_ok=True)
        if restricted and not params.privacy.keep_failed_notebooks:
            shutil.rmtree(staging, ignore_errors=True)
            failed.mkdir()
            reason += (
                "\nThe notebooks were not kept (they may show child-level 903 detail); set "
                "privacy: {keep_failed_notebooks: true} in params to keep them."
            )
        else:
            staging.rename(failed)
            if restricted:
                (failed / "RESTRICTED.txt").write_text(RESTRICTED_NOTE, encoding="utf-8")
        (failed / "reason.txt").write_text(reason + "\n", encoding="utf-8")
        for item in failed.glob("*.docx"):
            item.unlink()
    return failed


RESTRICTED_NOTE = (
    "RESTRICTED: these notebooks were run on child-level 903 data and may show it. They are for\n"
    "the analyst who ran the report only: never publish, share or attach them; delete this\n"
    "folder when the failure is understood.\n"
)


def _drain(*pools: ThreadPoolExecutor | None) -> None:
    """Let the work in flight finish (the forecast notebook on a second kernel, the HTML
    export): nothing writes into the staging folder after."""
    for pool in pools:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def run_report(
    params: ReportParams,
    kernel: ReusableKernel | None = None,
    side_kernel: ReusableKernel | None = None,
) -> RunResult:
    """Write one report for ``params`` into ``params.out_dir``.

    Parameters
    ----------
    params
        Validated parameters.
    kernel
        A kernel to reuse (a batch worker's, or the one `reportgen report` launched as it
        started); the caller stops it. By default one is started and stopped here.
    side_kernel
        A second kernel (``reportgen report`` on a machine with two or more cores): the forecast
        notebook runs on it while the other three run on ``kernel``. The caller stops it.

    Returns
    -------
    RunResult

    Raises
    ------
    ReportgenError
        With one readable line; nothing is left at ``params.out_dir`` that was not there before.
    """
    check_required(params)
    check_outlook(params)  # costs and scenarios: a bad figure stops the run before anything runs
    if params.source == "ssda903":  # refuse a return with errors before any notebook runs
        from reportgen.sources.choose import check_return

        check_return(params)
    quality = None
    if params.source != "published":  # reportgen's checks and the DfE's rules, for the appendix
        t0 = time.perf_counter()
        quality = data_quality.summarise(params)
        quality_seconds = round(time.perf_counter() - t0, 3)
    final = params.out_dir
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_path(final)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    own_kernel = kernel is None
    timings: dict[str, float] = {}
    started = time.perf_counter()
    notebooks_key = notebooks_fingerprint(params)
    previous = reusable_run(params, notebooks_key)
    if kernel is None and previous is None:
        from reportgen.run.kernels import ReusableKernel

        kernel = ReusableKernel(params.kernel_name)
    html_pool = ThreadPoolExecutor(1) if params.keep_notebooks and previous is None else None
    side_pool = ThreadPoolExecutor(1) if side_kernel is not None and previous is None else None
    html: list[Future] = []
    # what the assembly reads on its first use in a process is read while the notebooks run
    preload = threading.Thread(
        target=narrative_context.preload, args=(params.authority_code,), name="reportgen-preload"
    )
    preload.start()
    try:
        if previous is not None:  # only officer text or narrative templates changed
            t0 = time.perf_counter()
            shutil.copytree(previous / "work", staging / "work")
            if params.keep_notebooks:
                shutil.copytree(previous / "notebooks", staging / "notebooks")
            timings["notebooks_reused"] = round(time.perf_counter() - t0, 3)
        if quality is not None:
            data_quality.write(quality, staging / "work")
            timings["data_quality"] = quality_seconds
        families = list(NOTEBOOKS if previous is None else ())
        side = None
        if side_kernel is not None and families:  # the forecast, at the same time as the rest
            # papermill imported here first: its import (requests, and the warnings filters
            # requests sets) must not race with the other thread's
            import reportgen.run.notebook_engine  # noqa: F401

            side_family = families.pop()
            side = side_pool.submit(_timed_execute, side_family, params, staging, side_kernel)
        for family in families:
            notebook, node, timings[f"notebook_{family}"] = _timed_execute(
                family, params, staging, kernel
            )
            if html_pool is not None:  # the HTML is written while the next notebook runs
                html.append(html_pool.submit(export_html, notebook, node))
        if side is not None:
            notebook, node, timings[f"notebook_{side_family}"] = side.result()
            if html_pool is not None:
                html.append(html_pool.submit(export_html, notebook, node))
        t0 = time.perf_counter()
        preload.join()
        sections = {f: read_section(staging / "work", f) for f in FAMILIES}
        report = build_report(params, sections, staging / "work")
        docx_path = write_report(report, staging / report_filename(params))
        check_privacy(report, docx_path, params)
        default_text = list_comments(docx_path)
        timings["assemble_and_write"] = round(time.perf_counter() - t0, 3)
        if html:
            t0 = time.perf_counter()
            for job in html:
                job.result()
            timings["html_wait"] = round(time.perf_counter() - t0, 3)
        elif not params.keep_notebooks:
            shutil.rmtree(staging / "notebooks", ignore_errors=True)
        timings["total"] = round(time.perf_counter() - started, 3)
        inputs = input_hashes(params)
        run_info = {
            "authority": {"code": params.authority_code, "name": params.authority_name},
            "period": params.period.label,
            "params": params.model_dump(mode="json"),
            "inputs": inputs,
            "fingerprint": inputs_fingerprint(params, inputs),
            "notebooks_fingerprint": notebooks_key,
            "work_sha256": work_hashes(staging / "work"),
            "versions": versions(),
            "timings_seconds": timings,
            "outputs": {"report": docx_path.name, "sha256": sha256(docx_path)},
            # 903 notebooks may show child-level detail to analysts: restricted, never for publication
            "notebooks_restricted": params.source != "published" and params.keep_notebooks,
            "default_text": default_text,
            "still_to_write": still_to_write(default_text),
            "data_quality": None if quality is None else quality["dfe"]["status"],
            "errors": [],
        }
        (staging / "run.json").write_text(json.dumps(run_info, indent=1, sort_keys=True) + "\n")
        _move_into_place(staging, final)
    except ReportgenError as error:
        _drain(side_pool, html_pool)
        _keep_failure(staging, params, str(error))
        raise
    except OSError as error:
        _drain(side_pool, html_pool)
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            _keep_failure(staging, params, f"unexpected {type(error).__name__}: {error}")
            raise
        # the disk is full: keeping a .failed/ copy would keep it full, so remove what was written
        shutil.rmtree(staging, ignore_errors=True)
        where = str(error.filename or final).replace(str(staging), str(final))  # as it would be
        raise OutputError(
            f"the disk is full: could not write {where} ({error.strerror or error}); nothing of "
            f"this run was kept: free space on the disk holding {final} and run again"
        ) from None
    except Exception as error:  # a bug or a lost kernel: keep what there is, say what happened
        _drain(side_pool, html_pool)
        _keep_failure(staging, params, f"unexpected {type(error).__name__}: {error}")
        raise
    except BaseException:  # interrupted: nothing half-written stays behind
        _drain(side_pool, html_pool)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _drain(side_pool, html_pool)
        preload.join()
        if own_kernel and kernel is not None:
            kernel.shutdown()
    return RunResult(
        params=params,
        docx=final / docx_path.name,
        out_dir=final,
        timings=timings,
        still_to_write=still_to_write(default_text),
        notes=data_quality.notes(quality),
    )
