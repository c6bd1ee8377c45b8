"""Reply parsing: code blocks and final answers, including the malformed shapes models write."""

from __future__ import annotations

import pytest

from recursor.protocol import assigned_names, parse_reply


@pytest.mark.parametrize(
    ("reply", "codes"),
    [
        ("```repl\nx = 1\n```", ["x = 1"]),
        ("```python\nx = 1\n```\ntext\n```py\ny = 2\n```", ["x = 1", "y = 2"]),
        ("```\nrepl\nprint(1)\n```", ["print(1)"]),  # tag on its own line
        ("```repl\nrepl\nprint(1)\n```", ["print(1)"]),  # the tag twice (the 0.5B)
        ("```repl\nrepl\n```", ["repl"]),  # the tag alone: an error, then a repeat to replace
        ("```text\nrepl\nprint(1)\n```", []),  # a prose fence stays prose
        ("```\nprint(1)\n```", ["print(1)"]),  # untagged but valid Python
        ("```\nThis is not code at all!\n```", []),  # untagged prose stays prose
        ("```repl\nprint(1)", ["print(1)"]),  # unclosed fence runs to the end
        ("no code here", []),
        ("```repl\n\n```", []),  # empty block
        ("<think>```repl\nsecret()\n```</think>\n```repl\nok()\n```", ["ok()"]),
    ],
)
def test_code_blocks(reply: str, codes: list[str]) -> None:
    assert [b.code for b in parse_reply(reply).code] == codes


def test_unclosed_fence_is_marked() -> None:
    (block,) = parse_reply("```repl\nprint(1)").code
    assert block.closed is False


@pytest.mark.parametrize(
    ("reply", "kind", "value"),
    [
        ("FINAL(42)", "text", "42"),
        ("Done.\nFINAL(f(x) = 2 (approx))", "text", "f(x) = 2 (approx)"),
        ('FINAL("quoted")', "text", "quoted"),
        ("FINAL(\"don't panic\")", "text", "don't panic"),
        ("I don't know yet\nFINAL(it's (a) test)", "text", "it's (a) test"),
        ("FINAL_VAR(result)", "var", "result"),
        ("FINAL_VAR('result')", "var", "result"),
        ("**FINAL(bold)**", "text", "bold"),
        ("FINAL(multi\nline\nanswer)", "text", "multi\nline\nanswer"),
        ("FINAL(unclosed answer", "text", "unclosed answer"),
        ("Final(7)", "text", "7"),  # a 0.5B root wrote this five times in a row
        ("final_var(result)", "var", "result"),
    ],
)
def test_final_forms(reply: str, kind: str, value: str) -> None:
    final = parse_reply(reply).final
    assert final is not None and (final.kind, final.value) == (kind, value)


@pytest.mark.parametrize(
    "reply",
    [
        "I will call FINAL(x) when I am done.",  # mid-sentence, not a final line
        "```repl\nFINAL(3)\n```",  # inside code: the REPL handles it
        "<think>FINAL(hidden)</think>",
        "Final (approx.) figures follow.",  # prose: only FINAL may have a space before (
    ],
)
def test_not_a_final_answer(reply: str) -> None:
    assert parse_reply(reply).final is None


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        ("```repl\ngrep('x')\n```\nUser: [repl output]\n1| x\nYou: FINAL(4)", "```repl\ngrep('x')\n```"),
        ("Plan.\n```\nrepl\nprint(1)\n```\nmore text", "Plan.\n```\nrepl\nprint(1)\n```"),
        ("```\nnot code here!\n```\n```repl\nx = 1\n```\ntail", "```\nnot code here!\n```\n```repl\nx = 1\n```"),
        ("FINAL(3)", "FINAL(3)"),
        ("```repl\nunclosed", "```repl\nunclosed"),
    ],
)
def test_cut_after_first_block(reply: str, kept: str) -> None:
    from recursor.protocol import cut_after_first_block

    assert cut_after_first_block(reply) == kept


def test_a_block_that_is_one_unquoted_final_line_is_the_answer() -> None:
    # The model wrote its answer inside the block without quotes: as code it can only fail.
    for value in ("2:9.0.1378-2+deb12u2", "Dana Ruiz", "2026-05-09 07:29:02"):
        parsed = parse_reply(f"```repl\nFINAL({value})\n```")
        assert parsed.final is not None and parsed.final.value == value and parsed.code == []
    # Code that parses stays code: FINAL(x) answers with the REPL's x, FINAL("a") runs as well.
    for code in ("FINAL(x)", 'FINAL("a b")', "x = 1\nFINAL(a b)"):
        parsed = parse_reply(f"```repl\n{code}\n```")
        assert parsed.final is None and len(parsed.code) == 1


def test_a_reply_too_deep_to_parse_is_no_crash() -> None:
    # A hostile or broken reply: an expression nested thousands deep makes ast.parse raise
    # RecursionError (or, from a deep stack in CPython 3.11, SystemError), not SyntaxError.
    deep = "x = " + "-" * 5000 + "1"
    assert assigned_names(deep) == frozenset()
    assert [b.code for b in parse_reply(f"```repl\n{deep}\n```").code] == [deep]  # run as written: the sandbox says why
    assert parse_reply(f"```\n{deep}\n```").code == []  # an unlabelled block too deep to parse is not taken as code
