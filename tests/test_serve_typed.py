"""`recursor serve` with `response_format`, driven by the official openai SDK."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor import RLM

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
openai = pytest.importorskip("openai")
pydantic = pytest.importorskip("pydantic")

from recursor.serve.app import parse_response_format  # noqa: E402
from test_serve import client, serving  # noqa: E402

LOOK = "```repl\nprint(context[:50])\n```"
MESSAGES: Any = [{"role": "user", "content": "Who is it?"}]


def typed_rlm(*replies: str, default: str | None = None) -> RLM:
    return RLM(FakeScriptedLM([LOOK, *replies], default=default, model="fake-root"), trace_dir=False, mode="rlm")


def test_json_object() -> None:
    with serving(typed_rlm("FINAL(Ann)", 'FINAL({"name": "Ann"})')) as url:
        resp = client(url).chat.completions.create(
            model="recursor", messages=MESSAGES, response_format={"type": "json_object"},
            extra_body={"context": "Ann"})
    choice = resp.choices[0]
    assert json.loads(choice.message.content) == {"name": "Ann"}
    assert choice.finish_reason == "stop"


def test_json_schema() -> None:
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"],
              "additionalProperties": False}
    rlm = typed_rlm('FINAL({"age": "41"})', 'FINAL({"age": 41})')
    with serving(rlm) as url:
        resp = client(url).chat.completions.create(
            model="recursor", messages=MESSAGES, extra_body={"context": "Ann is 41"},
            response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": schema,
                                                                    "strict": True}})
    assert resp.choices[0].message.content == '{"age": 41}'
    assert resp.model_extra["recursor"]["stopped_by"] == "final"


def test_invalid_output_is_finish_reason_length() -> None:
    schema = {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}
    with serving(typed_rlm(default='FINAL({"age": "old"})')) as url:
        resp = client(url).chat.completions.create(
            model="recursor", messages=MESSAGES, extra_body={"context": "Ann"},
            response_format={"type": "json_schema", "json_schema": {"name": "p", "schema": schema}})
    choice = resp.choices[0]
    assert choice.finish_reason == "length"
    assert choice.message.content == '{"age": "old"}'
    assert resp.model_extra["recursor"]["stopped_by"] == "invalid_output"


def test_streamed_json() -> None:
    with serving(typed_rlm('FINAL({"name": "Ann"})')) as url:
        chunks = list(client(url).chat.completions.create(
            model="recursor", messages=MESSAGES, response_format={"type": "json_object"}, stream=True,
            extra_body={"context": "Ann"}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert json.loads(text) == {"name": "Ann"}
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


class Person(pydantic.BaseModel):
    name: str
    age: int


def _parse(sdk: Any) -> Any:
    """`chat.completions.parse` (openai >= 1.92), else `beta.chat.completions.parse`, else None."""
    found = getattr(sdk.chat.completions, "parse", None)
    if found is None and hasattr(sdk, "beta"):
        found = getattr(getattr(sdk.beta, "chat", None), "completions", None)
        found = getattr(found, "parse", None)
    return found


def test_sdk_parse_with_a_pydantic_model() -> None:
    if _parse(client("http://127.0.0.1:9/v1")) is None:
        pytest.skip("this openai SDK has no chat.completions.parse")
    rlm = typed_rlm('FINAL({"name": "Ann"})', 'FINAL({"name": "Ann", "age": 41})')
    with serving(rlm) as url:
        resp = _parse(client(url))(model="recursor", messages=MESSAGES, response_format=Person,
                                   extra_body={"context": "Ann is 41"})
    assert resp.choices[0].message.parsed == Person(name="Ann", age=41)
    first = rlm.root_lm.calls[0].messages[1]["content"]  # type: ignore[attr-defined]
    assert '"additionalProperties":false' in first  # the SDK's strict schema reached the model


@pytest.mark.parametrize(("fmt", "message"), [
    ({"type": "xml"}, "response_format.type"),
    ({"type": "json_schema"}, "json_schema must be an object"),
    ({"type": "json_schema", "json_schema": {"name": "bad name", "schema": {}}}, "name must be"),
    ({"type": "json_schema", "json_schema": {"name": "p", "schema": {"if": {}}}}, "unsupported keyword"),
    ({"type": "json_schema", "json_schema": {"name": "p", "strict": "yes"}}, "strict must be"),
])
def test_bad_response_format_is_400(fmt: dict[str, Any], message: str) -> None:
    with pytest.raises(Exception, match=message):
        parse_response_format({"response_format": fmt})
    with serving(typed_rlm()) as url:
        reply = httpx.post(f"{url}/chat/completions", json={"messages": MESSAGES, "response_format": fmt}, timeout=30)
    assert reply.status_code == 400 and message in reply.json()["error"]["message"]


def test_text_and_absent_formats_are_untyped() -> None:
    assert parse_response_format({"response_format": {"type": "text"}}) is None
    assert parse_response_format({}) is None
    assert parse_response_format({"response_format": {"type": "json_object"}}) == {"type": "object"}
