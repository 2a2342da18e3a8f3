"""Officer-written sections: the author's own text for one authority and period.

An author writes a part either inline in ``params/authorities/<code>.yaml`` under ``sections:``
or as a Markdown file ``params/authorities/<code>/<period folder>/<part>.md``; both use the
narrative template syntax (``templates/narrative/README.md``) and replace the default text of
that part wherever the layout places it.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.core.config import ReportParams
from reportgen.core.errors import ParamsError
from reportgen.core.paths import AUTHORITY_PARAMS_DIR
from reportgen.report.templating import NARRATIVE_DIR

OFFICER_PARTS = {
    "purpose": "Purpose of report",
    "background": "Background",
    "service_context": "Service context",
    "recommendations": "Recommendations",
    "resource_implications": "Resource implications",
    "legal_implications": "Legal implications",
    "equality": "Equality and human rights implications",
    "conclusions": "Conclusions",
    "consultation": "Consultation",
}
"""Parts an officer is expected to write or check, with their usual heading."""


def own_folder(params: ReportParams) -> Path:
    """``params/authorities/<code>/<period folder>/``."""
    return AUTHORITY_PARAMS_DIR / params.authority_code / params.period.folder_name


def officer_inline(params: ReportParams) -> dict[str, str]:
    """Inline sections as template sources keyed ``<part>.md``."""
    return {f"{part}.md": text for part, text in params.sections.items()}


def officer_written(params: ReportParams) -> set[str]:
    """Parts the author wrote, inline or as files."""
    written = set(params.sections)
    folder = own_folder(params)
    if folder.is_dir():
        written |= {p.stem for p in folder.glob("*.md")}
    return written


def has_default(part: str) -> bool:
    """True when the project has default text for the part."""
    from reportgen.report.parts import STANDARD_PARTS

    return (NARRATIVE_DIR / f"{part}.md").exists() or part in STANDARD_PARTS


def still_to_write(params: ReportParams) -> list[str]:
    """Officer parts the author has not written (defaults, where they exist, are used meanwhile)."""
    written = officer_written(params)
    return [part for part in OFFICER_PARTS if part not in written]


def check_required(params: ReportParams) -> None:
    """Raise before anything runs when a required part has neither author text nor a default.

    Raises
    ------
    ParamsError
        Naming the parts and where to write them.
    """
    unknown = [p for p in params.required_sections if p not in OFFICER_PARTS]
    if unknown:
        raise ParamsError(
            f"required_sections names unknown parts {', '.join(unknown)}: "
            f"known parts are {', '.join(OFFICER_PARTS)}"
        )
    written = officer_written(params)
    missing = [p for p in params.required_sections if p not in written and not has_default(p)]
    if missing:
        folder = own_folder(params)
        raise ParamsError(
            f"{params.authority_name} {params.period}: required section(s) not written: "
            f"{', '.join(missing)}; write {folder}/<part>.md or add them under 'sections:' in "
            f"params/authorities/{params.authority_code}.yaml"
        )
