"""Text from outside is shown as text."""

import re

from penguin_core.text import clean_name, file_stem, html_literal, markdown_literal


def test_markdown_literal_escapes_every_construct():
    shown = markdown_literal("![x](http://e.vl/a.png) [log in](http://e.vl) **b** `c` :material/home: $x$ <i>")
    unescaped = re.sub(r"\\(.)", "", shown)
    assert not re.search(r"[\[\]()!*`:$<>]", unescaped)  # every special character is escaped


def test_no_address_in_a_name_can_become_a_link():
    for text in ("http://e.vl/x", "https://e.vl", "www.e.vl", "me@e.vl"):
        shown = markdown_literal(text)
        assert not re.search(r"https?:/|www\.|\w@\w", re.sub(r"\\(.)", r"\1", shown))
        assert shown.replace("\u200b", "").replace("\\", "") == text


def test_names_are_one_printable_line_of_bounded_length():
    assert clean_name("a\nb\tc\x1b[31m\u202edone") == "a b c[31mdone"
    assert len(clean_name("x" * 1000)) == 40


def test_file_stems_are_safe_in_any_shell_or_path():
    assert file_stem('x"; rm -rf / #') == "x-rm-rf"
    assert file_stem("../../etc/passwd") == "etc-passwd"
    assert file_stem("") == "penguin-model"


def test_html_literal_for_plotly_labels():
    assert html_literal('<a href="http://e.vl">x</a>') == "&lt;a href=&quot;http://e.vl&quot;&gt;x&lt;/a&gt;"
