"""Write a :class:`reportgen.model.Report` as a Word committee paper.

The writer opens the layout's reference template, checks its styles, renders the title block,
the optional notice, the body sections (paragraphs numbered with real Word numbering, 1..N
across sections), "Officer(s) to Contact" and the appendices (each on a new page, numbering
restarted), sets fixed core properties, and saves byte-reproducible .docx bytes to a temporary
file that is renamed over the target. Nothing is written to disk until the whole document has
been built, and a failure never leaves a partial file behind.

Everything layout-specific comes from :mod:`reportgen.docx.layouts`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import string
import tempfile
import zipfile
from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.core import paths
from reportgen.core.periods import MONTH_NAMES
from reportgen.docx.council import check_roles, fill_fields, prepare_template
from reportgen.docx.fields import CrossReferences, add_toc, ref_pattern
from reportgen.docx.figures import add_figure
from reportgen.docx.layouts import LayoutSpec, TitleLine, TitleTable, get_layout
from reportgen.docx.numbering import ReportNumbering, set_numbering
from reportgen.docx.styles import (
    StyleSheet,
    check_styles,
    open_template,
    required_styles,
    set_language,
)
from reportgen.docx.tables import add_label_table, add_table
from reportgen.model import Appendix, Bullets, Figure, Paragraph, Report, Section, Table

__all__ = [
    "ZIP_DATE_TIME",
    "atomic_write_bytes",
    "document_bytes",
    "list_comments",
    "normalise_zip",
    "render_report",
    "save_document",
    "write_report",
]

COMMENT_AUTHOR, COMMENT_INITIALS = "reportgen", "RG"
PLACEHOLDER = re.compile(r"\[[A-Z][A-Za-z' ]*\]")
"""A placeholder the author must fill in: ``[Committee name]``, ``[Officer name]`` ..."""
PLACEHOLDER_COMMENT = "Placeholder: replace {names} (set it in params/authorities/<code>.yaml)"

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
"""Timestamp of every zip entry (the earliest a zip can hold): no save time in the file."""


# -- public API ------------------------------------------------------------------------------


def write_report(report: Report, path: Path | str, *, templates_dir: Path | None = None) -> Path:
    """Write ``report`` as a .docx at ``path``, atomically and byte-reproducibly.

    The document is built in memory, saved with fixed zip timestamps and core-property dates
    taken from ``report.meeting_date``, written to a temporary file in the target's folder and
    renamed over ``path``. On any error no file appears at ``path`` (an existing one is left as
    it was) and no temporary file is left.

    Parameters
    ----------
    report
        The report to write.
    path
        Target file; its folder is created if needed.
    templates_dir
        Folder of the reference templates; defaults to ``templates/`` in the project.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    TemplateError
        Unknown layout, or a template that is missing, corrupt or lacks a style.
    DataError
        A figure's image cannot be read.
    ValueError
        A malformed block (ragged table, figure without alt text, paragraph level too deep).
    """
    document = render_report(report, templates_dir=templates_dir)
    return save_document(document, path)


def render_report(report: Report, *, templates_dir: Path | None = None) -> Document:
    """Build the Word document of ``report`` in memory (nothing is written to disk).

    Parameters
    ----------
    report
        The report.
    templates_dir
        Folder of the reference templates; defaults to ``templates/`` in the project.

    Returns
    -------
    docx.document.Document
        The document, ready for :func:`save_document`.
    """
    spec = get_layout(report.layout)
    template = Path(templates_dir if templates_dir is not None else paths.TEMPLATES_DIR)
    template = template / spec.template
    document = open_template(template)
    if spec.council:
        check_roles(document, spec, template)
        prepare_template(document, spec)
    check_styles(document, required_styles(spec), template)
    _Renderer(document, report, spec).render()
    _set_properties(document, report)
    return document


def save_document(document: Document, path: Path | str) -> Path:
    """Save ``document`` at ``path`` with reproducible bytes, atomically.

    Parameters
    ----------
    document
        A python-docx document.
    path
        Target file.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return atomic_write_bytes(Path(path), document_bytes(document))


def document_bytes(document: Document) -> bytes:
    """Return the .docx bytes of ``document``, with zip entries normalised by
    :func:`normalise_zip`."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip so that the same content always gives the same bytes.

    Every entry gets the timestamp :data:`ZIP_DATE_TIME`, deflate compression and no
    platform-specific attributes; entries are sorted by name with ``[Content_Types].xml``
    first (where Office expects it).

    Parameters
    ----------
    data
        A zip file's bytes.

    Returns
    -------
    bytes
        The normalised zip.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
        with zipfile.ZipFile(out, "w") as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, source.read(name))
    return out.getvalue()


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it to ``path``.

    Parameters
    ----------
    path
        Target file; its folder is created if needed.
    data
        The file's content.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return path


# -- rendering -------------------------------------------------------------------------------


def format_date(day: dt.date, template: str) -> str:
    """Format ``day`` with ``template`` (fields ``day``, ``day2``, ``month``, ``year``).

    English month names whatever the locale: ``"{day} {month} {year}"`` gives
    ``"4 June 2019"``.
    """
    return template.format(
        day=day.day, day2=f"{day.day:02d}", month=MONTH_NAMES[day.month], year=day.year
    )


def _report_of(text: str) -> str:
    """Return ``text`` as a "Report of ..." line (prefixed when it names only the officer)."""
    text = text.strip()
    if not text or text.casefold().startswith("report of"):
        return text
    if text.casefold().startswith("the "):
        return f"Report of {text}"
    return f"Report of the {text}"


class _Fields(dict):
    """Title-block fields; a field the report does not have reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, fields: dict[str, str]) -> str:
    """Format ``template``; return "" when every field it uses is empty."""
    used = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    if used and not any(str(fields.get(name, "")).strip() for name in used):
        return ""
    return template.format_map(_Fields(fields)).strip()


class _Renderer:
    """Renders one report into an opened template (the state of a single write)."""

    def __init__(self, document: Document, report: Report, spec: LayoutSpec) -> None:
        self.document = document
        self.report = report
        self.spec = spec
        self.styles = spec.styles
        self.sheet = StyleSheet(document, spec.styles)
        self.numbering = ReportNumbering(
            document,
            indent_twips=spec.number_indent_twips,
            numbered_headings=spec.numbered_headings,
            outline=spec.outline_numbering,
        )
        self.table_count = 0
        self.figure_count = 0
        # The list numbered paragraphs join: (numId, level of a main paragraph), or None.
        self.body_list: tuple[int, int] | None = None
        if spec.numbered_paragraphs:
            self.body_list = (self.numbering.body_num_id, self.numbering.paragraph_ilvl)
        self.paragraph_list = self.body_list
        self.depth = 0  # level of the last paragraph: where bullets indent to
        self.heading_level = 0  # last heading level, to avoid skipped levels
        self.in_appendix = False
        # an open comment over several paragraphs: [text, first run, paragraphs still to cover]
        self.open_comment: list | None = None
        self.comment_date = dt.datetime.combine(report.meeting_date, dt.time(0, 0))
        self.refs = CrossReferences(document, report)
        self.headings: list[tuple[int, str]] = []  # (level, text): the contents list

    # .. document structure ..................................................................

    def render(self) -> None:
        """Render title block, notice, body, officers and appendices, in that order."""
        self._title_block()
        if self.report.notice.strip():
            self.sheet.add_paragraph(self.styles.notice, self.report.notice.strip())
            self._header_notice(self.report.notice.strip())
        contents = self.report.contents if self.report.contents is not None else self.spec.contents
        toc_place = self._contents_place() if contents else None
        for section in self.report.sections:
            self._body_section(section)
        self._officers()
        for appendix in self.report.appendices:
            self._appendix(appendix)
        if toc_place is not None:
            add_toc(self.document, toc_place, self.headings, self.sheet.style_id(self.styles.body))
            toc_place._p.getparent().remove(toc_place._p)
        unplaced = self.refs.unplaced()
        if unplaced:
            raise ValueError(
                f"no numbered paragraph explains {unplaced[0]!r}, which is referred to"
            )
        self._comment_placeholders()

    def _contents_place(self) -> DocxParagraph:
        """A "Contents" label and an empty paragraph where the contents list goes."""
        self.sheet.add_paragraph(self.styles.body, "**Contents**")
        return self.sheet.add_paragraph(self.styles.body)

    # .. comments and notices ...................................................................

    def _comment(self, runs: list, text: str) -> None:
        """A Word comment on ``runs`` with a fixed author and date (reproducible bytes)."""
        comment = self.document.add_comment(
            runs, text=text, author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
        )
        comment._comment_elm.date = self.comment_date

    def _comment_placeholders(self) -> None:
        """A comment on every paragraph (body, tables, front sheet) holding a placeholder."""
        body = self.document.element.body
        # only paragraphs with a "[" in any of their text (a superset of their runs' text) can
        # hold one: found by one XPath query, not by reading each paragraph's text in Python
        for element in body.xpath('.//w:p[contains(string(.), "[")]'):
            paragraph = DocxParagraph(element, self.document._body)
            names = list(dict.fromkeys(PLACEHOLDER.findall(paragraph.text)))
            if names and paragraph.runs:
                self._comment(
                    [paragraph.runs[0], paragraph.runs[-1]],
                    PLACEHOLDER_COMMENT.format(names=", ".join(names)),
                )

    def _header_notice(self, notice: str) -> None:
        """The notice at the top of every page's header (synthetic data)."""
        for index, section in enumerate(self.document.sections):
            header = section.header
            if header.is_linked_to_previous:
                if index:
                    continue  # shows the first section's header
                header.is_linked_to_previous = False
            first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph = first.insert_paragraph_before() if first.text.strip() else first
            run = paragraph.add_run(notice)
            run.bold = True

    def _title_block(self) -> None:
        report = self.report
        fields = {
            **{key: str(value).strip() for key, value in report.details.items()},
            "committee": report.committee.strip(),
            "title": report.title.strip(),
            "report_of": _report_of(report.report_of),
            "report_of_raw": report.report_of.strip(),
            "meeting_date": format_date(report.meeting_date, self.spec.date_format),
            "subject": report.subject.strip(),
            "author": report.author.strip(),
        }
        if self.spec.council:  # the council template's own {fields}
            fill_fields(self.document, fields)
            if self.spec.front_sheet == "template":
                return
        for element in self.spec.title_block:
            if isinstance(element, TitleLine):
                text = _fill(element.text, fields)
                if not text:
                    continue
                if element.upper:  # capitals, but a placeholder stays as the params spell it
                    parts = PLACEHOLDER.split(text)
                    kept = PLACEHOLDER.findall(text) + [""]
                    text = "".join(p.upper() + k for p, k in zip(parts, kept, strict=True))
                self.sheet.add_paragraph(getattr(self.styles, element.style), text)
            elif isinstance(element, TitleTable):
                rows = [
                    (label, value)
                    for label, template in element.rows
                    if (value := _fill(template, fields))
                ]
                add_label_table(
                    self.document,
                    rows,
                    self.sheet,
                    bold_labels=element.bold_labels,
                    borders=element.borders,
                    title="Front sheet",
                )
            else:  # pragma: no cover - layouts.py defines only the two kinds
                raise TypeError(f"unknown title-block element {element!r}")

    def _heading(
        self, text: str, level: int, *, page_break: bool = False, numbered: bool = True
    ) -> None:
        level = max(1, min(level, self.heading_level + 1, self.spec.max_heading_level))
        paragraph = self.sheet.add_paragraph(self.styles.heading_style(level), text.strip())
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        heading_num_id = self.numbering.heading_num_id
        if level == 1 and numbered and not self.in_appendix and heading_num_id is not None:
            set_numbering(paragraph, heading_num_id, 0)
        self.heading_level = level
        self.depth = 0
        self.headings.append((level, text.strip()))

    def _body_section(self, section: Section) -> None:
        """A body section, numbered and levelled by the layout's rule for its heading."""
        rule = self.spec.rule_for(section.heading)
        mode = rule.numbering if rule is not None else "main"
        level = rule.level if rule is not None else section.level
        if mode == "main":
            self.paragraph_list = self.body_list
        elif mode == "own" and self.body_list is not None:
            self.paragraph_list = (self.numbering.separate(), 0)
        else:
            self.paragraph_list = None
        self._heading(section.heading, level, numbered=mode == "main")
        for block in section.blocks:
            self._block(block)
        self.paragraph_list = self.body_list

    def _section(self, section: Section, offset: int) -> None:
        self._heading(section.heading, section.level + offset)
        for block in section.blocks:
            self._block(block)

    def _officers(self) -> None:
        heading = self.spec.officers_heading
        if not heading or not self.report.officers:
            return
        wanted = heading.strip().casefold()
        if any(s.heading.strip().casefold() == wanted for s in self.report.sections):
            return  # the assembler wrote the section itself
        self._heading(heading, 1)
        for officer in self.report.officers:
            fields = {
                "name": officer.name,
                "job_title": officer.job_title,
                "telephone": officer.telephone,
                "email": officer.email,
            }
            lines = [text for line in self.spec.officer_lines if (text := _fill(line, fields))]
            last = None
            for text in lines:
                last = self.sheet.add_paragraph(self.styles.contact, text)
            if last is not None:
                last.paragraph_format.space_after = Twips(240)

    def _appendix(self, appendix: Appendix) -> None:
        self.in_appendix = True
        self.heading_level = 0
        title = self.spec.appendix_heading.format(
            letter=appendix.letter.strip(), title=appendix.title.strip()
        )
        self._heading(title, 1, page_break=self.spec.appendix_new_page)
        if self.spec.numbered_paragraphs:
            self.paragraph_list = (self.numbering.restart(), 0)
        for section in appendix.sections:
            self._section(section, offset=1)

    # .. blocks ...............................................................................

    def _block(self, block: Paragraph | Bullets | Table | Figure) -> None:
        if isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Bullets):
            self._bullets(block)
        elif isinstance(block, Table):
            if block.kind == "data":
                self.table_count += 1
            add_table(self.document, block, self.table_count, self.sheet)
        elif isinstance(block, Figure):
            self.figure_count += 1
            add_figure(self.document, block, self.figure_count, self.sheet)
        else:
            raise TypeError(f"cannot render a {type(block).__name__} block: {block!r}")

    def _paragraph(self, block: Paragraph) -> None:
        level = block.level
        if not 0 <= level <= self.numbering.max_paragraph_level:
            raise ValueError(
                f"paragraph level {level} is outside 0..{self.numbering.max_paragraph_level}: "
                f"{block.text[:60]!r}"
            )
        if block.refs:
            paragraph = self.sheet.add_paragraph(self.styles.body)
            self.refs.add_text(paragraph, block.text, block.refs)
        else:
            paragraph = self.sheet.add_paragraph(self.styles.body, block.text)
        self._track_comment(paragraph, block)
        if block.numbered and self.paragraph_list is not None:
            num_id, main_ilvl = self.paragraph_list
            set_numbering(paragraph, num_id, main_ilvl + level)
            if level == 0 and not self.in_appendix and block.anchors:
                self.refs.bookmark(paragraph, block.anchors)
        elif level > 0:
            # An unnumbered sub-paragraph lines up with the text of numbered ones.
            paragraph.paragraph_format.left_indent = Twips(
                (level + 1) * self.spec.number_indent_twips
            )
        self.depth = level

    def _track_comment(self, paragraph: DocxParagraph, block: Paragraph) -> None:
        """Open a paragraph's comment, or close an open one on its last paragraph."""
        if block.comment and paragraph.runs:
            self.open_comment = [block.comment, paragraph.runs[0], max(block.comment_span, 1)]
        if self.open_comment is None or not paragraph.runs:
            return
        self.open_comment[2] -= 1
        if self.open_comment[2] == 0:
            text, first, _ = self.open_comment
            self._comment([first, paragraph.runs[-1]], text)
            self.open_comment = None

    def _bullets(self, block: Bullets) -> None:
        ilvl = min(self.depth, self.numbering.max_bullet_level)
        for item in block.items:
            refs = [ref for ref in block.refs if ref_pattern(ref.number).search(item)]
            if refs:
                paragraph = self.sheet.add_paragraph(self.styles.bullet)
                self.refs.add_text(paragraph, item, refs)
            else:
                paragraph = self.sheet.add_paragraph(self.styles.bullet, item)
            set_numbering(paragraph, self.numbering.bullet_num_id, ilvl)


def _set_properties(document: Document, report: Report) -> None:
    """Set the core properties and the proofing language, with dates fixed by the meeting."""
    moment = dt.datetime.combine(report.meeting_date, dt.time(0, 0))  # written as ...T00:00:00Z
    props = document.core_properties
    props.title = report.title.strip()[:255]
    props.subject = report.subject.strip()[:255]
    props.author = report.author.strip()[:255]
    props.last_modified_by = report.author.strip()[:255]
    props.language = report.language
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    set_language(document, report.language)


def list_comments(path: Path | str) -> list[dict[str, str]]:
    """The comments of a written .docx, in document order: each one's text, the text it is on
    (at most 120 characters) and the heading of the section it is in.

    Parameters
    ----------
    path
        A .docx file.

    Returns
    -------
    list of dict
        ``{"comment": ..., "text": ..., "section": ...}``.
    """
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "word/comments.xml" not in names:
            return []
        body = etree.fromstring(archive.read("word/document.xml"))
        notes = etree.fromstring(archive.read("word/comments.xml"))
    said = {c.get(qn("w:id")): "".join(c.itertext()).strip() for c in notes.iter(qn("w:comment"))}
    found: dict[str, dict[str, str]] = {}
    open_ids: list[str] = []
    heading = ""
    tags = (qn("w:p"), qn("w:t"), qn("w:commentRangeStart"), qn("w:commentRangeEnd"))
    for element in body.iter(*tags):
        if element.tag == qn("w:t"):
            for key in open_ids:
                found[key]["text"] = (found[key]["text"] + (element.text or ""))[:120]
        elif element.tag == qn("w:commentRangeStart"):
            key = element.get(qn("w:id"))
            found[key] = {"comment": said.get(key, ""), "text": "", "section": heading}
            open_ids.append(key)
        elif element.tag == qn("w:commentRangeEnd"):
            key = element.get(qn("w:id"))
            if key in open_ids:
                open_ids.remove(key)
        else:
            style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and "heading" in (style.get(qn("w:val")) or "").casefold():
                heading = "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()
            for key in open_ids:
                if found[key]["text"]:
                    found[key]["text"] = (found[key]["text"] + " ")[:120]
    return [{**entry, "text": entry["text"].strip()} for entry in found.values()]
