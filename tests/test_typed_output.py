"""Typed answers (`complete(..., output_type=)`) and structured sub-calls (`llm_query(schema=)`),
driven through the real loop and a real sandbox worker by scripted models."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM, Limits, UserError
from recursor.lm.base import Message
from recursor.output import output_spec, parse_answer, schema_errors
from recursor.sandbox.base import SubcallRejected, check_subcall

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
LOOK = "```repl\nprint(context[:20])\n```"


def rlm(root: FakeScriptedLM, sub: FakeScriptedLM | None = None, **kw: object) -> RLM:
    return RLM(root, sub_model=sub, trace_dir=False, mode=kw.pop("mode", "rlm"), **kw)  # type: ignore[arg-type]


def said(lm: FakeScriptedLM, call: int) -> str:
    """What the model was last told before call `call` (0-based)."""
    return lm.calls[call].messages[-1]["content"]


# -- the root answer ---------------------------------------------------------------------------

def test_valid_first_try_schema_in_first_message() -> None:
    root = FakeScriptedLM([LOOK, 'FINAL({"name": "Ann", "age": 41})'])
    result = rlm(root).complete("Who?", "Ann is 41.", output_type=PERSON)
    assert result.stopped_by == "final"
    assert result.output == {"name": "Ann", "age": 41}
    assert json.loads(result.answer) == {"name": "Ann", "age": 41}
    assert result.iterations == 2
    first = root.calls[0].messages[1]["content"]
    assert json.dumps(PERSON, separators=(",", ":")) in first and "FINAL_VAR" in first


def test_invalid_then_valid_after_the_errors_are_shown() -> None:
    root = FakeScriptedLM([LOOK, 'FINAL({"name": "Ann", "age": "41", "x": 1})', 'FINAL({"name": "Ann", "age": 41})'])
    result = rlm(root).complete("Who?", "Ann is 41.", output_type=PERSON)
    assert result.stopped_by == "final" and result.output == {"name": "Ann", "age": 41}
    feedback = said(root, 2)
    assert "$.age: expected integer, got string" in feedback
    assert "$.x: unexpected property" in feedback
    assert "http" not in feedback  # compact: no URLs
    assert result.iterations == 3  # the retry was a normal turn
    assert result.usage.total.calls == 3  # and the ledger charged it


def test_not_json_is_an_error_too() -> None:
    root = FakeScriptedLM([LOOK, "FINAL(Ann, 41)", 'FINAL({"name": "Ann", "age": 41})'])
    result = rlm(root).complete("Who?", "Ann is 41.", output_type=PERSON)
    assert result.output == {"name": "Ann", "age": 41}
    assert "$: the answer is not JSON" in said(root, 2)


def test_exhausted_retries_keep_the_best_invalid_answer() -> None:
    root = FakeScriptedLM([LOOK, 'FINAL({"name": "Ann"})', 'FINAL({"name": "Bo"})'])
    result = rlm(root).complete("Who?", "Ann is 41.", output_type=PERSON, output_retries=1)
    assert result.stopped_by == "invalid_output"
    assert result.output is None
    assert result.answer == '{"name": "Bo"}'
    assert "missing required property 'age'" in said(root, 2)
    assert root.remaining == 0


def test_a_limit_with_a_valid_stored_answer_is_typed() -> None:
    root = FakeScriptedLM([
        "```repl\nanswer['content'] = {'name': 'Ann', 'age': 41}\n```", "```repl\nprint(1)\n```",
    ], default="I could not finish")
    result = rlm(root, limits=Limits(max_iterations=2)).complete("Who?", "Ann", output_type=PERSON)
    assert result.stopped_by == "max_iterations"
    assert result.output == {"name": "Ann", "age": 41}


def test_final_var_of_a_dict_is_sent_as_json() -> None:
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}, "none": {"type": "null"},
                                               "tags": {"type": "array", "items": {"type": "string"}}}}
    root = FakeScriptedLM(["```repl\nd = {'ok': True, 'none': None, 'tags': ('a', 'b')}\nprint(d)\n```",
                           "FINAL_VAR(d)"])
    result = rlm(root).complete("q", "ctx", output_type=schema)
    assert result.output == {"ok": True, "none": None, "tags": ["a", "b"]}
    assert json.loads(result.answer) == result.output


@pytest.mark.parametrize("code", [
    "FINAL({'name': 'Ann', 'age': 41})",
    "answer['content'] = {'name': 'Ann', 'age': 41}\nanswer['ready'] = True",
    "import json\nFINAL(json.dumps({'name': 'Ann', 'age': 41}))",
])
def test_answers_from_code_are_json(code: str) -> None:
    root = FakeScriptedLM([f"```repl\n{code}\n```"])
    result = rlm(root).complete("q", "ctx", output_type=PERSON)
    assert result.stopped_by == "final" and result.output == {"name": "Ann", "age": 41}


def test_untyped_final_var_of_a_dict_is_unchanged() -> None:
    root = FakeScriptedLM(["```repl\nd = {'ok': True}\n```", "FINAL_VAR(d)"])
    result = rlm(root).complete("q", "ctx")
    assert result.answer == "{'ok': True}" and result.output is None


def test_pydantic_model() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Person(pydantic.BaseModel):
        name: str
        age: int = pydantic.Field(ge=0)

    root = FakeScriptedLM([LOOK, 'FINAL({"name": "Ann", "age": -1})', '```json\n{"name": "Ann", "age": 41}\n```'
                           .join(["FINAL(", ")"])])
    result = rlm(root).complete("Who?", "Ann", output_type=Person)
    assert isinstance(result.output, Person) and result.output.age == 41
    assert json.loads(result.answer) == {"name": "Ann", "age": 41}
    assert "$.age: Input should be greater than or equal to 0" in said(root, 2)
    first = root.calls[0].messages[1]["content"]
    assert '"title"' not in first and '"age"' in first


@dataclass
class Pet:
    kind: Literal["cat", "dog"]
    name: str


@dataclass
class Owner:
    name: str
    pets: list[Pet]
    nickname: str | None = None
    scores: dict[str, float] = field(default_factory=dict)


def test_dataclass_with_nesting_literal_and_defaults() -> None:
    good = '{"name": "Ann", "pets": [{"kind": "cat", "name": "Tom"}], "scores": {"x": 1}}'
    root = FakeScriptedLM([LOOK, 'FINAL({"name": "Ann", "pets": [{"kind": "cow", "name": "Tom"}]})',
                           f"FINAL({good})"])
    result = rlm(root).complete("q", "ctx", output_type=Owner)
    assert result.output == Owner("Ann", [Pet("cat", "Tom")], None, {"x": 1.0})
    assert isinstance(result.output.scores["x"], float)
    assert '$.pets[0].kind: must be one of ["cat", "dog"]' in said(root, 2)


def test_bad_output_types_fail_before_any_call() -> None:
    root = FakeScriptedLM([])
    with pytest.raises(UserError, match="unsupported keyword"):
        rlm(root).complete("q", "ctx", output_type={"type": "object", "if": {}})
    with pytest.raises(UserError, match="output_type must be"):
        rlm(root).complete("q", "ctx", output_type=int)
    with pytest.raises(UserError, match="output_retries"):
        rlm(root).complete("q", "ctx", output_type=PERSON, output_retries=-1)
    assert root.calls == []


def test_direct_mode_is_typed_too() -> None:
    root = FakeScriptedLM(['{"name": "Ann"}', '{"name": "Ann", "age": 41}'])
    result = rlm(root, mode="direct").complete("Who?", "Ann is 41.", output_type=PERSON)
    assert result.mode == "direct" and result.output == {"name": "Ann", "age": 41}
    assert result.iterations == 2
    assert "Reply with the JSON only" in root.calls[0].messages[-1]["content"]
    assert "missing required property 'age'" in said(root, 1)


# -- the validator -----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "errors"), [
    ({"name": "A", "age": 1}, []),
    ({"name": "A", "age": 1.0}, []),
    ({"name": "A", "age": True}, [("$.age", "expected integer, got boolean")]),
    ({"name": "A", "age": -1}, [("$.age", "must be >= 0")]),
    ([], [("$", "expected object, got array")]),
])
def test_schema_errors(value: object, errors: list[tuple[str, str]]) -> None:
    assert schema_errors(value, PERSON) == errors


def test_refs_anyof_and_prefix_items() -> None:
    schema = {"$defs": {"P": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}]}},
              "type": "object", "properties": {"p": {"anyOf": [{"$ref": "#/$defs/P"}, {"type": "null"}]}}}
    spec = output_spec(schema)
    assert spec.check('{"p": ["a", 1]}')[2] == []
    assert spec.check('{"p": null}')[2] == []
    assert spec.check('{"p": [1, 1]}')[2] == [("$.p", "must match one of: P | null")]


def test_parse_answer_forms() -> None:
    assert parse_answer('```json\n{"a": 1}\n```') == (True, {"a": 1}, "")
    assert parse_answer("{'a': True, 'b': None}") == (True, {"a": True, "b": None}, "")
    ok, _, reason = parse_answer("not json")
    assert not ok and reason.startswith("the answer is not JSON")


# -- llm_query(schema=) ------------------------------------------------------------------------

def sub_replies(*replies: str) -> FakeScriptedLM:
    return FakeScriptedLM(list(replies), model="sub")


def test_llm_query_schema_returns_a_parsed_value() -> None:
    root = FakeScriptedLM([f"```repl\nr = llm_query('who?', schema={PERSON!r})\nprint(type(r).__name__, r['age'])\n```",
                           "FINAL(done)"])
    sub = sub_replies('{"name": "Ann", "age": 41}')
    result = rlm(root, sub).complete("q", "ctx")
    assert "dict 41" in said(root, 1)
    assert result.answer == "done"
    assert '"required":["name","age"]' in sub.calls[0].messages[0]["content"]


def test_llm_query_schema_reasks_once_with_the_errors() -> None:
    root = FakeScriptedLM([f"```repl\nr = llm_query('who?', schema={PERSON!r})\nprint(r)\n```", "FINAL(done)"])
    sub = sub_replies('{"name": "Ann"}', '{"name": "Ann", "age": 41}')
    rlm(root, sub).complete("q", "ctx")
    assert "{'name': 'Ann', 'age': 41}" in said(root, 1)
    assert "missing required property 'age'" in sub.calls[1].messages[-1]["content"]
    assert [m["role"] for m in sub.calls[1].messages] == ["user", "assistant", "user"]


def test_llm_query_schema_invalid_twice_raises_in_the_cell() -> None:
    root = FakeScriptedLM([f"```repl\nr = llm_query('who?', schema={PERSON!r})\n```", "FINAL(done)"])
    sub = sub_replies("nope", '{"name": 1, "age": 2}')
    rlm(root, sub).complete("q", "ctx")
    shown = said(root, 1)
    assert "InvalidOutput" in shown and "$.name: expected string, got integer" in shown
    assert len(sub.calls) == 2


def test_llm_query_batched_schema_keeps_order_and_errors_in_slots() -> None:
    def reply(messages: Sequence[Message]) -> str:
        prompt = messages[0]["content"]
        return "bad" if prompt.startswith("b") else json.dumps({"name": prompt[:1], "age": 1})

    code = f"r = llm_query_batched(['a', 'b', 'c'], schema={PERSON!r})\nprint([type(x).__name__ for x in r], r[1][:6])"
    root = FakeScriptedLM([f"```repl\n{code}\n```", "FINAL(done)"])
    rlm(root, FakeScriptedLM(default=reply, model="sub")).complete("q", "ctx")
    assert "['dict', 'str', 'dict'] Error:" in said(root, 1)


def test_subcall_frame_checks_the_schema() -> None:
    _, args, _ = check_subcall("llm_query", {"prompt": "p", "schema": PERSON})
    assert args == {"prompt": "p", "model": None, "choices": None, "schema": PERSON}
    with pytest.raises(SubcallRejected, match="not both"):
        check_subcall("llm_query", {"prompt": "p", "choices": ["a"], "schema": PERSON})
    with pytest.raises(SubcallRejected, match="JSON Schema dict"):
        check_subcall("llm_query_batched", {"prompts": ["p"], "schema": "object"})
    with pytest.raises(SubcallRejected, match="the limit is"):
        check_subcall("llm_query", {"prompt": "p", "schema": {"description": "x" * 30_000}})
    with pytest.raises(SubcallRejected, match="unexpected argument"):
        check_subcall("rlm_query", {"prompt": "p", "schema": PERSON})


def test_llm_query_bad_schema_is_an_error_in_the_cell() -> None:
    root = FakeScriptedLM(["```repl\nllm_query('p', schema={'type': 'object', 'if': {}})\n```", "FINAL(done)"])
    sub = sub_replies()
    rlm(root, sub).complete("q", "ctx")
    assert "unsupported keyword" in said(root, 1) and sub.calls == []
