"""A document's headings as a table for the query writer (`recursor.look_headings`)."""

from __future__ import annotations

from tests.table_helpers import run_select

from recursor.look_headings import headings_table
from recursor.orient import orientation

MANUAL = """Soup Manual
===========

Intro text.

Getting help
------------

Text.

Quick start
===========

Installing
==========

Parsers
-------

Text.

Wheels
------

Searching
=========

Filters
-------

Strings
^^^^^^^

Lists
^^^^^

Methods
-------

Text.

Output
------
"""


def test_an_outline_is_a_table_of_headings_with_what_is_directly_beneath_each() -> None:
    question = "Which top-level chapter of this manual has exactly two sections directly beneath it?"
    table = headings_table(MANUAL, question)
    assert table is not None
    assert run_select(table, "SELECT title FROM t WHERE level = 1 AND beneath = 2").rows == (("Installing",),)
    assert run_select(table, "SELECT title, parent, chapter FROM t WHERE title = 'Lists'").rows == (
        ("Lists", "Filters", "Searching"),)
    assert run_select(table, "SELECT title FROM t WHERE parent = 'Searching' ORDER BY line DESC LIMIT 1").rows == (
        ("Output",),)
    # The first look offers it to the query writer for such a question, not for any other.
    assert orientation(MANUAL, question).table is not None
    assert headings_table(MANUAL, "Which parser is recommended?") is None
    assert headings_table(MANUAL, "How many lines starting with $ does the section on parsers hold?") is None
    assert headings_table("Title\n=====\n\nText only.\n", question) is None  # one heading: no outline


def test_review_a_readme_title_is_no_chapter_and_look_ups_get_no_outline() -> None:
    readme = ("# myproject\n\nA tool.\n\n## Installation ##\n\nRun it.\n\n## Usage\n\n### CLI\n\n### Python API\n\n"
              "## Configuration\n\n### Files\n\n### Environment\n\n### Secrets\n\n## License\n\nMIT\n")
    table = headings_table(readme, "Which chapter has the most sections beneath it?")
    assert table is not None
    assert run_select(table, "SELECT title, beneath FROM t WHERE level = 1 ORDER BY beneath DESC LIMIT 1").rows == (
        ("Configuration", 3),)
    assert run_select(table, "SELECT COUNT(*) FROM t WHERE title = 'Installation'").rows == ((1,),)
    assert headings_table(readme, "Which sections explain how to install it?") is None
