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


def test_compiled_templates_are_shared_between_environments_until_edited(tmp_path, monkeypatch):
    """A batch makes an environment a paper: each template is compiled once per process, and
    an edited template is compiled afresh, never served from the old code."""
    from reportgen.report import templating

    monkeypatch.setattr(templating, "_COMPILED", templating._CompiledTemplates())
    compiled = []
    original = templating.BoundedSandbox.compile

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(templating.BoundedSandbox, "compile", counting)
    (tmp_path / "t.md").write_text("Hello {{ name }}.\n")
    assert render_text(environment([tmp_path]), "t.md", {"name": "Rutland"}) == "Hello Rutland.\n"
    assert render_text(environment([tmp_path]), "t.md", {"name": "Ealing"}) == "Hello Ealing.\n"
    assert len(compiled) == 1
    (tmp_path / "t.md").write_text("Goodbye {{ name }}.\n")
    assert render_text(environment([tmp_path]), "t.md", {"name": "Ealing"}) == "Goodbye Ealing.\n"
    assert len(compiled) == 2
    inline = environment([tmp_path], inline={"t.md": "Officer's {{ name }}.\n"})
    assert render_text(inline, "t.md", {"name": "text"}) == "Officer's text.\n"
    assert len(compiled) == 3


def test_compiled_templates_keep_the_most_recent():
    from reportgen.report.templating import _CompiledTemplates

    class Bucket:
        def __init__(self, key):
            self.key, self.code = key, None

        def bytecode_to_string(self):
            return self.key.encode()

        def bytecode_from_string(self, code):
            self.code = code

    cache = _CompiledTemplates(size=2)
    for key in ("a", "b", "c"):
        cache.dump_bytecode(Bucket(key))
    loaded = {key: Bucket(key) for key in ("a", "b", "c")}
    for bucket in loaded.values():
        cache.load_bytecode(bucket)
    assert {k: b.code for k, b in loaded.items()} == {"a": None, "b": b"b", "c": b"c"}
