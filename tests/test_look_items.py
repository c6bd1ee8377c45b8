"""A changelog's items and a manual page's terms read as a table (`recursor.look_items`), and
the first look that asks the query writer about them."""

from __future__ import annotations

from tests.fakes.scripted_lm import FakeScriptedLM

from recursor import RLM, Limits
from recursor.look_items import items_table
from recursor.orient import orientation
from recursor.prompts_small import SmallModelPrompts
from recursor.table_sql import Table, TableDb

PEOPLE = ["Ann Lee", "Bo Chan", "cjdoe", "Ann Lee", "Dee Ray"]


def _changelog() -> tuple[str, dict[str, int]]:
    """A libuv-shaped ChangeLog: dated release lines, "Changes since" lines, credited bullets,
    one wrapped over two lines; the newest release first."""
    parts, credits = [], {}
    for n in range(6, 0, -1):
        items = []
        for k in range(n + 2):
            who = PEOPLE[(n + k) % len(PEOPLE)]
            credits[who] = credits.get(who, 0) + 1
            body = f"unix: fix thing {n}.{k}" + ("\n  across two lines" if k == 1 else "")
            items.append(f"* {body} ({who})\n")
        parts.append(f"2019.0{n}.1{n}, Version 1.{n}.0 (Stable)\n\nChanges since version 1.{n - 1}.0:\n\n"
                     + "\n".join(items))
    return "\n\n".join(parts), credits


def _rows(table: Table | None, sql: str) -> tuple[tuple[object, ...], ...]:
    assert table is not None
    db = TableDb.open(table)
    assert db is not None
    try:
        return db.select(sql).rows
    finally:
        db.close()


def test_a_changelogs_items_are_rows_under_their_release() -> None:
    text, credits = _changelog()
    table = items_table(text)
    assert table is not None and table.header == ("heading", "version", "released", "release_order", "item", "credit")
    assert len(table.rows) == sum(credits.values())
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE version = '1.4.0'") == ((6,),)
    top = max(credits, key=lambda k: credits[k])
    assert _rows(table, "SELECT credit FROM t GROUP BY credit ORDER BY COUNT(*) DESC LIMIT 1") == ((top,),)
    # A wrapped item is one row, its lines joined; the "Changes since" line is no item.
    assert _rows(table, "SELECT item FROM t WHERE item LIKE '%6.1%'") == (("unix: fix thing 6.1 across two lines (cjdoe)",),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE item LIKE 'Changes since%'") == ((0,),)
    assert _rows(table, "SELECT COUNT(DISTINCT version) FROM t WHERE released BETWEEN '2019-03-01' AND '2019-05-31'") == ((3,),)


def test_a_release_dated_on_the_line_under_its_heading_has_that_date() -> None:
    # psutil's HISTORY.rst: "5.6.7" underlined, then "2019-11-26" alone, then its items.
    text = "".join(f"5.{n}.0\n=====\n\n2019-0{n}-1{n}\n\n**Bug fixes**\n\n- {n}00_: fix one.\n- {n}01_: fix two.\n\n"
                   for n in range(6, 0, -1))
    table = items_table(text)
    assert table is not None
    assert _rows(table, "SELECT released FROM t WHERE version = '5.4.0' LIMIT 1") == (("2019-04-14",),)
    assert _rows(table, "SELECT COUNT(DISTINCT version) FROM t WHERE released LIKE '2019-0_-%'") == ((6,),)


def test_sub_points_belong_to_their_item_and_marked_headings_are_its_part() -> None:
    release = ("CHANGES FROM 3.{a} TO 3.{b}\n\nNormal Changes\n==============\n\n* Add a thing.\n  - sub-point one\n"
               "  - sub-point two\n\n* Fix another\n  thing.\n\nIncompatible Changes\n====================\n\n"
               "* Drop a thing.\n")
    text = "\n".join(release.format(a=n, b=n + 1) for n in range(5, 0, -1))
    table = items_table(text)
    assert table is not None and "part" in table.header
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE version = '3.3'") == ((3,),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE part = 'Incompatible Changes'") == ((5,),)
    assert _rows(table, "SELECT item FROM t WHERE version = '3.6' LIMIT 1") == (("Add a thing. - sub-point one - sub-point two",),)


def test_a_type_written_in_brackets_after_each_term_is_a_column() -> None:
    # ranger(1) lists its settings as "autosave_bookmarks [bool]": "on/off switches" are those.
    kinds = ["bool", "string", "integer", "bool", "bool", "list", "bool", "string"]
    body = "\n\n".join(f"       setting_{k} [{kind}]\n           Does thing {k}. Default is true."
                        for k, kind in enumerate(kinds))
    text = "NAME\n       demo - a tool\n\nSETTINGS\n" + body + "\n\nFILES\n       ~/.demo\n           The file.\n"
    table = items_table(text)
    assert table is not None and table.header == ("section", "term", "term_line", "description", "type")
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE type = 'bool'") == ((kinds.count("bool"),),)
    assert _rows(table, "SELECT term FROM t WHERE type = 'list'") == (("setting_5",),)
    # Terms with no such brackets have no such column.
    plain = text.replace(" [", " ").replace("]\n", "\n")
    assert "type" not in items_table(plain).header


def test_a_manual_pages_terms_are_rows_with_their_section() -> None:
    terms = [("AddKeysToAgent", "Specifies whether keys are added.\n             The default is no."),
             ("GSSAPIAuthentication", "Specifies whether GSSAPI is used."),
             ("GSSAPIDelegateCredentials", "Forward credentials."),
             ("IPQoS   Specifies the type-of-service.", "Accepted values are af11, af12."),
             ("tcp_bic_fast_convergence (Boolean; default: enabled; Linux 2.4.27/2.6.6\n     to 2.6.13)",
              "Turns on convergence."),
             ("User", "Specifies the user to log in as.")]
    body = "\n\n".join(f"     {term}\n             {said}" for term, said in terms)
    text = ("NAME\n     demo -- a page\n\nDESCRIPTION\n     The keywords follow.\n\n" + body
            + "\n\nFILES\n     ~/.demo\n             The file.\n")
    table = items_table(text)
    assert table is not None and table.header == ("section", "term", "term_line", "description")
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE section = 'DESCRIPTION'") == ((6,),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE term LIKE 'GSSAPI%'") == ((2,),)
    assert _rows(table, "SELECT description FROM t WHERE term = 'IPQoS'") == (
        ("Specifies the type-of-service. Accepted values are af11, af12.",),)
    assert _rows(table, "SELECT term FROM t WHERE term_line LIKE '%default: enabled%2.6.13)'") == (
        ("tcp_bic_fast_convergence",),)


def test_a_terms_labelled_fields_are_columns_and_a_subsection_over_them_keeps_its_section() -> None:
    """groff renders a configuration manual's options as subsections (three spaces in) under
    their section, each body writing `Type:`, `Default:` and `Description:` fields."""
    kinds = ["bool", "string", "bool", "* bool * string", "integer", "bool"]
    options = "\n\n".join(f"   downloader.*.opt{k}\n       Type: {kind}\n\n       Default: true\n\n"
                           f"       Description:\n           Does thing {k}.\n           bool or not."
                           for k, kind in enumerate(kinds))
    other = "\n\n".join(f"   output.opt{k}\n       Type: bool\n\n       Description:\n           Shows {k}."
                         for k in range(3))
    text = ("NAME\n       demo.conf - settings\n\nDOWNLOADER OPTIONS\n" + options
            + "\n\nOUTPUT OPTIONS\n" + other + "\n\nSEE ALSO\n       demo(1)\n")
    table = items_table(text)
    assert table is not None
    assert table.header == ("section", "term", "term_line", "body", "type", "default", "description")
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE section = 'DOWNLOADER OPTIONS' AND type = 'bool'") == ((3,),)
    assert _rows(table, "SELECT description FROM t WHERE term = 'downloader.*.opt3'") == (("Does thing 3. bool or not.",),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE section = 'OUTPUT OPTIONS' AND default_ IS NULL") == ((3,),)


def test_code_and_prose_are_no_items() -> None:
    module = "\n\n".join(f"def f{n}(x):\n    return x + {n}\n\n\nclass C{n}:\n    pass" for n in range(10))
    assert items_table(module) is None  # `def` over its body is no term, ten times the same word
    prose = "\n\n".join(f"Paragraph {n} says a thing\nand goes on." for n in range(10))
    assert items_table(prose) is None
    config = "\n".join(f"key.{n}=a,\\\n    b,\\\n    c" for n in range(10))
    assert items_table(config).header == ("name", "value", "active")  # settings, not terms over their lines
    assert items_table("Frob 1.1\n\n* a fix\n\nFrob 1.0\n\n* first\n") is None  # two releases are no changelog


def test_the_first_look_asks_the_query_writer_about_a_changelogs_items() -> None:
    text, credits = _changelog()
    top = max(credits, key=lambda k: credits[k])
    question = "Across this change history, which person is credited with the largest number of changes?"
    look = orientation(text, question)
    assert look.table is not None and look.counted == ""
    assert orientation(text, "Which version added the fix for thing 4.2?").table is None  # a look-up reads the lines
    sql = "SELECT credit FROM t GROUP BY credit ORDER BY COUNT(*) DESC LIMIT 1"
    sub = FakeScriptedLM([f"```sql\n{sql}\n```"])
    root = FakeScriptedLM([f"FINAL({top})"])
    result = RLM(root, sub_model=sub, prompts=SmallModelPrompts(), limits=Limits(max_iterations=4),
                 trace_dir=False).complete(question, text)
    assert result.answer == top
    asked = sub.calls[0].messages[0]["content"]
    assert "- credit: text" in asked and "- version: text" in asked
    assert f"The query {sql} gives: {top}." in root.calls[0].messages[-1]["content"]


def test_a_config_files_settings_are_rows_in_force_or_commented_out() -> None:
    text = ("# Security settings\n#\n# Lines below set the providers.\n\n"
            + "".join(f"security.provider.{n}=Sun{n}\n" for n in range(1, 7))
            + "\n#   commented.setting=old\n# Note that a = b is prose.\n"
            "jdk.tls.disabledAlgorithms=SSLv3, TLSv1, \\\n    RC4, DES\n"
            "port = 5432    # (change requires restart)\n\n[extra]\nlevel = 3\n")
    table = items_table(text)
    assert table is not None and table.header == ("section", "name", "value", "active", "comment")
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE active = 'yes'") == ((9,),)
    assert _rows(table, "SELECT name FROM t WHERE active = 'no'") == (("commented.setting",),)
    assert _rows(table, "SELECT value FROM t WHERE name = 'jdk.tls.disabledAlgorithms'") == (("SSLv3, TLSv1, RC4, DES",),)
    assert _rows(table, "SELECT value, comment FROM t WHERE name = 'port'") == (("5432", "(change requires restart)"),)
    assert _rows(table, "SELECT section FROM t WHERE name = 'level'") == (("extra",),)
    # A script's assignments are few among its lines: no settings.
    script = "\n".join(f"x{n} = {n}\nprint(x{n})\nif x{n}:\n    pass" for n in range(10))
    assert items_table(script) is None


def test_releases_are_read_at_the_level_that_writes_versions_with_their_own_version_and_date() -> None:
    # keep-a-changelog: a title above the releases, "## [x.y.z] - date" under it.
    keep = "# Changelog\n\nAll notable changes.\n\n" + "".join(
        f"## [1.{n}.0] - 2020-0{n}-01\n\n### Added\n\n- thing {n}\n- other {n} (#12{n})\n\n" for n in range(5, 0, -1))
    table = items_table(keep)
    assert table is not None and "credit" not in table.header  # an issue's number is no credit
    assert _rows(table, "SELECT COUNT(*), MIN(released) FROM t WHERE version = '1.3.0'") == ((2, "2020-03-01"),)
    assert _rows(table, "SELECT DISTINCT part FROM t") == (("Added",),)
    # Debian: the version with its revision, the date on the signer's trailer line.
    debian = "".join(f"pkg (2.{n}-1) unstable; urgency=medium\n\n  * Fix {n}.\n  * More {n}.\n\n"
                     f" -- Ann Lee <ann@example.org>  Mon, 0{n} Mar 2021 10:00:00 +0000\n\n" for n in range(5, 0, -1))
    table = items_table(debian)
    assert table is not None
    assert _rows(table, "SELECT released, COUNT(*) FROM t WHERE version = '2.4-1' GROUP BY released") == (("2021-03-04", 2),)
    # "Version v2.39.5; changes since v2.39.4:" is 2.39.5; a group's bullet ("* Bugs fixed:") is its bullets.
    git = "".join(f"Version v2.{n}.1; changes since v2.{n}.0:\n{'-' * 40}\n\n* Bugs fixed:\n  - a {n}\n  - b {n}\n\n* Plain {n}.\n\n"
                  for n in range(5, 0, -1))
    table = items_table(git)
    assert table is not None and _rows(table, "SELECT COUNT(*) FROM t WHERE version = '2.3.1'") == ((3,),)


def test_quoted_settings_and_one_line_options_are_read_whole() -> None:
    conf = ("".join(f"setting_{n} = {n}\n" for n in range(5))
            + "log_line_prefix = '%m [%p] '   # special values:\nlc_messages = 'C.UTF-8' # locale\n")
    table = items_table(conf)
    assert table is not None
    assert _rows(table, "SELECT value, comment FROM t WHERE name = 'log_line_prefix'") == (("%m [%p] ", "special values:"),)
    assert _rows(table, "SELECT value FROM t WHERE name = 'lc_messages'") == (("C.UTF-8",),)
    page = ("OPTIONS\n       -c        If the -c option is present, then commands are read from\n"
            "                 the first argument.\n       -i        If the -i option is present, the shell is\n"
            "                 interactive.\n       -l        Make bash act as if invoked as a login shell.\n"
            "       -r        If the -r option is present, the shell becomes\n                 restricted.\n"
            "       -v        Print shell input lines as they are read.\n       -x        Print commands and their\n"
            "                 arguments as they are executed.\n")
    table = items_table(page)
    assert table is not None
    assert _rows(table, "SELECT term FROM t") == (("-c",), ("-i",), ("-l",), ("-r",), ("-v",), ("-x",))
    assert _rows(table, "SELECT description FROM t WHERE term = '-i'") == (
        ("If the -i option is present, the shell is interactive.",),)


def test_a_real_module_is_no_page_of_terms() -> None:
    import base64
    import inspect

    assert items_table(inspect.getsource(base64)) is None
    assert orientation(inspect.getsource(base64), "How many functions in this module call binascii?").table is None


def test_second_review_cases() -> None:
    from recursor.look_items import _version

    # A version after "to" is the release's only in a span of two.
    assert _version("Version 1.2 (upgrade zlib to 1.2.13)") == "1.2"
    assert _version("CHANGES FROM 3.1c TO 3.2") == "3.2"
    # A README's releases under its "## Changelog", among other sections, are no changelog's: its
    # License bullets would count as the last release's changes.
    readme = ("# Frob\n\n## Changelog\n\n" + "".join(f"### 1.{n}.0\n\n- fix {n}\n- more {n}\n\n" for n in range(3, 0, -1))
              + "## License\n\n- MIT\n- no warranty\n")
    assert items_table(readme) is None
    # A release ends at the next heading of its level or above: a changelog's closing "# Credits".
    closing = ("# Changelog\n\n" + "".join(f"## 1.{n}.0\n\n- fix {n}\n- more {n}\n\n" for n in range(3, 0, -1))
               + "# Credits\n\n- Ann\n- Bo\n")
    assert _rows(items_table(closing), "SELECT COUNT(*) FROM t WHERE version = '1.1.0'") == ((2,),)
    # A numbered spec is no changelog: its sections' numbers are under a heading of their own.
    spec = "".join(f"# {n} Part {n}\n\n" + "".join(f"## {n}.{k} Topic {k}\n\n- point\n\n" for k in range(1, 4))
                   for n in range(1, 4))
    assert items_table(spec) is None
    # A Debian release is dated by its signer even when its version reads as a date.
    vim = "".join(f"vim (2:8.2.479{n}-1) unstable; urgency=medium\n\n  * Fix {n}.\n\n"
                  f" -- Ann Lee <ann@example.org>  Sun, 1{n} Apr 2022 10:00:00 +0000\n\n" for n in range(5, 0, -1))
    assert _rows(items_table(vim), "SELECT released FROM t WHERE version = '8.2.4793-1'") == (("2022-04-13",),)
    # Issue references are no credits.
    cited = "".join(f"Frob 1.{n}\n\n* fix a (LP: #1{n})\n* fix b (Closes #2{n})\n* fix c (fd.o #3{n})\n\n" for n in range(5, 0, -1))
    assert "credit" not in items_table(cited).header
    # Justified prose between one-line options is no term.
    page = ("OPTIONS\n       -a        Alpha option text\n                 goes on.\n"
            "       Bash  also  interprets  a  number  of  options.\n"
            "       -b        Beta one-liner.\n       -c        Gamma text\n                 goes on.\n"
            "       -d        Delta text\n                 goes on.\n       -e        Eps text\n                 goes on.\n")
    assert [r[1] for r in items_table(page).rows] == ["-a", "-b", "-c", "-d", "-e"]


def test_versions_alone_on_their_line_tagged_changes_and_handles() -> None:
    # zstd's CHANGELOG: "v1.5.4 (Feb 2023)" over its changes with no blank line, one tagged change a line.
    people = ["terrelln", "embg", "Cyan4973"]
    text = "\n\n".join(f"v1.{n}.0 (Feb 20{10 + n})\n" + "\n".join(
        f"{tag}: change {n}.{k} (#{100 * n + k}, @{people[(n + k) % 3]})" for k, tag in enumerate(["perf", "cli", "api"]))
        for n in range(6, 0, -1)) + "\n"
    table = items_table(text)
    assert table is not None and _rows(table, "SELECT COUNT(DISTINCT version) FROM t") == ((6,),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE version = '1.4.0'") == ((3,),)
    assert _rows(table, "SELECT credit, COUNT(*) FROM t GROUP BY credit ORDER BY credit") == (
        ("Cyan4973", 6), ("embg", 6), ("terrelln", 6))


def test_a_config_files_comment_titles_are_its_sections() -> None:
    conf = ("#----\n# CONNECTIONS AND AUTHENTICATION\n#----\n\n# - Connection Settings -\n\n"
            "listen_addresses = 'localhost'\nport = 5432\t\t# (change requires restart)\n#max_connections = 100\n\n"
            "#----\n# RESOURCE USAGE (except WAL)\n#----\n\n# - Memory -\n\nshared_buffers = 128MB\nwork_mem = 4MB\n"
            "#temp_buffers = 8MB\nhuge_pages = try\n")
    table = items_table(conf)
    assert table is not None and table.header[:2] == ("section", "subsection")
    assert _rows(table, "SELECT section, subsection FROM t WHERE name = 'port'") == (
        ("CONNECTIONS AND AUTHENTICATION", "Connection Settings"),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE section = 'RESOURCE USAGE (except WAL)'") == ((4,),)
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE comment LIKE '%restart%'") == ((1,),)


def test_records_of_keyed_quoted_strings_are_a_table_an_empty_string_no_value() -> None:
    from recursor.look_items import items_table

    entries = ['# Translations of Zorbo.\nmsgid ""\nmsgstr ""\n"Language: es\\n"\n']
    for i in range(8):
        done = i % 3 != 0
        entries.append(f'#: zorbo/cli.py:{10 + i}\n#, python-format\nmsgid "Saved %s file {i}"\n'
                       f'msgstr "{"Guardado %s archivo " + str(i) if done else ""}"\n')
    entries.append('#: zorbo/core.py:5\nmsgid ""\n"A message that goes on \\"quoted\\" "\n"over lines"\nmsgstr ""\n')
    table = items_table("\n".join(entries))
    assert table is not None and table.header == ("msgid", "msgstr", "comments")
    rows = table.rows
    # The header (the first record, its msgid empty) is no message.
    assert len(rows) == 9 and rows[-1][0] == 'A message that goes on "quoted" over lines'
    untranslated = [r for r in rows if r[1] is None]
    assert len(untranslated) == 4  # three of the eight, and the last
    assert rows[0][2] == "#: zorbo/cli.py:10\n#, python-format"
    # Read the same with Windows line ends.
    crlf = items_table("\n".join(entries).replace("\n", "\r\n"))
    assert crlf is not None and len(crlf.rows) == 9
    # A block that is no such record (prose between them) makes the text no table of them.
    prose = "\n".join(entries) + "\n" + "\n\n".join(f"Some prose paragraph {i}.\nIt goes on." for i in range(20))
    assert items_table(prose) is None


def test_a_yaml_file_of_named_mappings_is_a_table_of_their_fields() -> None:
    blocks = []
    for i in range(8):
        section = "galaxy" if i % 3 == 0 else "defaults"
        ini = (f"  ini:\n  - {{key: opt_{i}, section: {section}}}\n" if i % 2 == 0
               else f"  ini:\n    - key: opt_{i}\n      section: {section}\n")
        choices = "  choices: [a, b, c]\n" if i == 5 else ""
        blocks.append(f"OPTION_{i}:\n  name: Option number {i}\n  default: {i * 10}\n  description:\n"
                      f"    - Does thing {i}.\n    - key: not a field\n{ini}{choices}  type: int\n")
    text = "# a comment\n---\n" + "".join(blocks)
    table = items_table(text)
    assert table is not None and table.header[:4] == ("key", "name", "default", "description")
    assert _rows(table, "SELECT COUNT(*) FROM t WHERE ini LIKE '%section: galaxy%'") == ((3,),)
    assert _rows(table, "SELECT default_ FROM t WHERE key_ = 'OPTION_4'") == ((40,),)
    assert _rows(table, "SELECT description FROM t WHERE key_ = 'OPTION_1'") == (("- Does thing 1. - key: not a field",),)
    assert _rows(table, "SELECT key_ FROM t WHERE choices IS NOT NULL") == (("OPTION_5",),)
    assert items_table("# notes\nSome prose: with a colon.\nMore prose here\n" * 5) is None
