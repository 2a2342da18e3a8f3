"""Narrative templates: block syntax, sandbox, and errors that name the file and line."""

from __future__ import annotations

import pytest

from reportgen.core.errors import TemplateError
from reportgen.model import Bullets, Figure, Paragraph, Table
from reportgen.report.templating import environment, parse_blocks, render_text


def _figure(stem):
    return Figure(caption=stem, image=f"{stem}.png", alt_text="alt")


def _table(caption, ids):
    return Table(caption=caption, columns=("Indicator",), rows=tuple((i,) for i in ids))


def test_blocks_paragraphs_bullets_figures_tables_and_anchors():
    text = (
        "\u27e6cla_at_end\u27e7First paragraph\ncontinues here.\n\n"
        "- one\n- two\n\n"
        "[figure: sufficiency_cla_rate]\n\n"
        "[table: Key figures, 2024-25 | cla_at_end, started]\n\n"
        "> Not numbered.\n\n   \n\n"
    )
    blocks = parse_blocks(text, _figure, _table)
    assert blocks[0] == Paragraph("First paragraph continues here.", anchors=("cla_at_end",))
    assert blocks[1] == Bullets(("one", "two"))
    assert isinstance(blocks[2], Figure) and blocks[2].caption == "sufficiency_cla_rate"
    assert isinstance(blocks[3], Table) and blocks[3].caption == "Key figures, 2024-25"
    assert blocks[3].rows == (("cla_at_end",), ("started",))
    assert blocks[4] == Paragraph("Not numbered.", numbered=False)
    assert len(blocks) == 5


def test_undefined_name_names_file_and_line(tmp_path):
    (tmp_path / "bad.md").write_text("First line.\n\nSecond {{ nosuchname }}.\n")
    with pytest.raises(TemplateError) as error:
        render_text(environment([tmp_path]), "bad.md", {})
    message = str(error.value)
    assert "bad.md, line 3" in message and "nosuchname" in message


def test_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "broken.md").write_text("Fine.\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"broken.md, line 2"):
        render_text(environment([tmp_path]), "broken.md", {})


def test_sandbox_blocks_python_internals(tmp_path):
    (tmp_path / "evil.md").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(TemplateError, match="evil.md"):
        render_text(environment([tmp_path]), "evil.md", {})


def test_inline_source_wins_over_files(tmp_path):
    (tmp_path / "purpose.md").write_text("Default text.\n")
    env = environment([tmp_path], inline={"purpose.md": "Officer's own text for {{ who }}.\n"})
    assert render_text(env, "purpose.md", {"who": "Rutland"}) == "Officer's own text for Rutland.\n"


def test_missing_template_is_a_clear_error(tmp_path):
    with pytest.raises(TemplateError, match="'nothing.md' not found"):
        render_text(environment([tmp_path]), "nothing.md", {})
