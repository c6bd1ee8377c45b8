"""A document's Markdown pipe tables read as one table (`recursor.look_pipe_tables`)."""

from __future__ import annotations

from tests.table_helpers import run_select

from recursor.look_items import items_table
from recursor.look_pipe_tables import pipe_tables

PAGE = """# Writing plugins

Some prose about plugins, with a | bar in it.

## Stages {: #stages }

### Readers {: #readers }

Readers read. The table below lists them.

#### Usages

| Class                                   | Kind      | Description |
| --------------------------------------- |-----------| ----------- |
| [`PlainReader`][app.readers.PlainReader] | built-in  | Reads plain text |
| [`CsvReader`][app.ext.csv.CsvReader]     | extension | Reads `CSV` files |

### Writers

#### Usages

| Class | Kind | Description |
|---|---|---|
| [`HtmlWriter`][app.writers.HtmlWriter] | built-in | Writes HTML |
| [`PdfWriter`][app.ext.pdf.PdfWriter] | extension | Writes PDF \\| print |
| [`CsvWriter`][app.ext.csv.CsvWriter] | extension | Writes CSV |

| Option | Default |
|---|---|
| width | 80 |
"""


def test_tables_under_one_header_are_one_table_with_their_headings_and_link_targets() -> None:
    table = pipe_tables(PAGE)
    assert table is not None and table.header == ("section", "Class", "Kind", "Description", "Class link")
    assert len(table.rows) == 5  # the options table has another header
    assert table.rows[1] == ("Readers > Usages", "CsvReader", "extension", "Reads CSV files", "app.ext.csv.CsvReader")
    assert table.rows[3][3] == "Writes PDF \\| print"  # an escaped bar is no cell's end
    assert run_select(items_table(PAGE), "SELECT COUNT(*) FROM t WHERE Kind = 'extension'").rows == ((3,),)
    assert run_select(table, "SELECT COUNT(DISTINCT section) FROM t WHERE Class_link LIKE '%.csv.%'").rows == ((2,),)


def test_few_rows_or_a_text_that_is_all_table_are_none() -> None:
    assert pipe_tables("| a | b |\n|---|---|\n| 1 | 2 |\n\nSome prose.\n") is None
    whole = "| a | b |\n|---|---|\n" + "".join(f"| {i} | {i * 2} |\n" for i in range(10))
    assert pipe_tables(whole) is None


def test_a_question_naming_nothing_of_the_tables_gets_none() -> None:
    assert pipe_tables(PAGE, "How many classes come from extensions?") is not None
    assert pipe_tables(PAGE, "How many example shell commands send a PUT request?") is None
