"""`recursor serve` when the document is in the message (issue #13 item 1): real clients (the openai
SDK, LangChain) send one 600K-character user message; the conversation must reach the REPL as
`context` and the root model's every request must stay small, whatever the shape of the chat."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fakes.scripted_lm import FakeScriptedLM
from recursor.prompt_split import SHORT_CHARS, split_conversation
from test_prompt_split import DOC, ROOT_BOUND, prints_len_then_answers, root_chars
from test_serve import client, make_rlm, serving

QUESTION = "How many characters is this document?"
MESSAGE = DOC + QUESTION


def counting_root() -> FakeScriptedLM:
    return FakeScriptedLM(default=prints_len_then_answers, model="fake-root")


def post(url: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{url}/chat/completions", json=body, timeout=120)


def assert_bounded(root: FakeScriptedLM) -> None:
    assert root.calls, "the root model was never asked"
    sizes = root_chars(root)
    assert max(sizes) < ROOT_BOUND, sizes


def test_openai_sdk_one_huge_user_message_is_the_context() -> None:
    root = counting_root()
    with serving(make_rlm(root=root)) as url:
        resp = client(url).chat.completions.create(
            model="recursor", messages=[{"role": "user", "content": MESSAGE}])
    assert resp.choices[0].message.content == str(len(MESSAGE))  # the REPL held all of it
    assert resp.choices[0].finish_reason == "stop"
    assert_bounded(root)
    first = root.calls[0].messages[1]["content"]
    assert f"{QUESTION}\n\nYou have not looked" in first  # the request's end is shown
    assert "full text is the context" in first


def test_openai_sdk_streaming_and_a_system_prompt() -> None:
    root = counting_root()
    msgs = [{"role": "system", "content": "You answer with numbers only. " * 20_000},
            {"role": "user", "content": MESSAGE}]
    with serving(make_rlm(root=root)) as url:
        chunks = list(client(url).chat.completions.create(model="recursor", stream=True, messages=msgs))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    _, context = split_conversation([(m["role"], m["content"]) for m in msgs])
    assert text == str(len(context))
    assert_bounded(root)
    assert "You answer with numbers only" not in root.calls[0].messages[1]["content"]


def test_langchain_chat_openai() -> None:
    langchain_openai = pytest.importorskip("langchain_openai")
    from langchain_core.messages import HumanMessage, SystemMessage

    root = counting_root()
    with serving(make_rlm(root=root)) as url:
        llm = langchain_openai.ChatOpenAI(base_url=url, api_key="unused", model="recursor", max_retries=0,
                                          timeout=120)
        lone = llm.invoke(MESSAGE)
        chat = llm.invoke([SystemMessage("Be exact."), HumanMessage(MESSAGE)])
    assert lone.content == str(len(MESSAGE))
    _, context = split_conversation([("system", "Be exact."), ("user", MESSAGE)])
    assert chat.content == str(len(context))
    assert_bounded(root)


def test_explicit_context_keeps_todays_mapping_with_a_bounded_question() -> None:
    root = counting_root()
    with serving(make_rlm(root=root)) as url:
        resp = post(url, {"messages": [{"role": "system", "content": "ignored"},
                                       {"role": "user", "content": MESSAGE}], "context": "abc"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["choices"][0]["message"]["content"] == "3"
    assert_bounded(root)


@pytest.mark.parametrize("messages", [
    pytest.param([{"role": "user" if i % 2 else "assistant", "content": f"turn {i} " + "m" * 3000}
                  for i in range(1, 400)], id="many-messages"),
    pytest.param([{"role": "system", "content": DOC}, {"role": "user", "content": QUESTION}], id="huge-system"),
    pytest.param([{"role": "user", "content": "read this"}, {"role": "assistant", "content": DOC},
                  {"role": "user", "content": QUESTION}], id="huge-assistant"),
    pytest.param([{"role": "developer", "content": DOC}, {"role": "tool", "content": DOC},
                  {"role": "user", "content": [{"type": "text", "text": DOC}, {"type": "text", "text": QUESTION}]},
                  {"role": "assistant", "content": [{"type": "refusal", "refusal": DOC}]}], id="everything-huge"),
    pytest.param([{"role": "user", "content": [{"type": "text", "text": DOC[:300_000]},
                                               {"type": "text", "text": DOC[300_000:] + QUESTION}]}], id="text-parts"),
])
def test_hostile_conversations_stay_bounded_and_whole_in_the_repl(messages: list[dict[str, Any]]) -> None:
    root = counting_root()
    with serving(make_rlm(root=root)) as url:
        resp = post(url, {"messages": messages})
    assert resp.status_code == 200, resp.text

    def text(content: Any) -> str:
        return content if isinstance(content, str) else "\n".join(p.get("text", p.get("refusal")) for p in content)

    question, context = split_conversation([(m["role"], text(m["content"])) for m in messages])
    assert resp.json()["choices"][0]["message"]["content"] == str(len(context))
    assert len(question) <= SHORT_CHARS
    assert_bounded(root)


@pytest.mark.parametrize(("messages", "code", "says"), [
    ([{"role": "user", "content": [{"type": "text", "text": "what is this?"},
                                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}],
     "invalid_value", "'image_url' part: recursor reads text only"),
    ([{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}], "invalid_value", "'input_audio'"),
    ([{"role": "user", "content": [{"type": "text", "text": 5}]}], "invalid_type", "content[0].text must be a string"),
    ([{"role": "user", "content": [{"type": "text", "text": DOC}, {"type": "image_url"}]}], "invalid_value", "content[1]"),
    ([{"role": "system", "content": DOC}, {"role": "user", "content": ""}], "empty_question", "last user message is empty"),
    ([{"role": "user", "content": MESSAGE}, {"role": "user", "content": []}], "empty_question", "empty"),
    ([{"role": "user", "content": "q"}, {"role": "user", "content": None}], "empty_question", "empty"),
    ([{"role": "system", "content": DOC}, {"role": "assistant", "content": "hi"}], "no_user_message", "user message"),
])
def test_refused_shapes_are_clear_400s(messages: list[dict[str, Any]], code: str, says: str) -> None:
    root = counting_root()
    with serving(make_rlm(root=root)) as url:
        resp = post(url, {"messages": messages})
    assert resp.status_code == 400, resp.text
    err = resp.json()["error"]
    assert err["code"] == code and says in err["message"], err
    assert len(json.dumps(err)) < 1000  # the document is never echoed back
    assert not root.calls
