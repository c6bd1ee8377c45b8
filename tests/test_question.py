"""Reading a question: the words of the code names it may write."""

from __future__ import annotations

from recursor.question import name_parts


def test_a_code_name_s_parts_are_its_words() -> None:
    assert name_parts("xmlParserErrors") == ["xml", "parser", "errors"]
    assert name_parts("HTTPServer") == ["http", "server"]
    assert name_parts("XML_SCHEMAP_WARN") == ["xml", "schemap", "warn"]
