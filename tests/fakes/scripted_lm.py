"""FakeScriptedLM: a model that replies from a script, for driving the real engine in tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recursor.lm.base import LM, LMResponse, Message, Usage

Step = str | BaseException | Callable[[Sequence[Message]], str]


@dataclass
class Call:
    messages: list[Message]
    started: float
    ended: float = 0.0
    max_tokens: int | None = None
    """The output cap the engine sent with the call."""


class FakeScriptedLM(LM):
    """Replies with the next scripted step; a callable step sees the messages, an exception is raised.

    When the script runs out, `default` (a str or callable) answers every further call, so
    sub-call fakes can answer any number of prompts. `delay` simulates model latency.
    """

    def __init__(
        self,
        script: Sequence[Step] = (),
        *,
        default: Step | None = None,
        model: str = "fake-model",
        delay: float = 0.0,
        usage: Usage | None = None,
    ) -> None:
        self.script = list(script)
        self.default = default
        self.model = model
        self.delay = delay
        self.fixed_usage = usage
        self.calls: list[Call] = []
        self._i = 0
        self._lock = asyncio.Lock()

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> LMResponse:
        call = Call(messages=[dict(m) for m in messages], started=time.monotonic(),  # type: ignore[misc]
                    max_tokens=max_tokens)
        self.calls.append(call)
        if self._i < len(self.script):
            step = self.script[self._i]
            self._i += 1
        elif self.default is not None:
            step = self.default
        else:
            raise AssertionError(f"FakeScriptedLM({self.model}) ran out of script at call {len(self.calls)}")
        if self.delay:
            await asyncio.sleep(self.delay)
        call.ended = time.monotonic()
        if isinstance(step, BaseException):
            raise step
        text = step(messages) if callable(step) else step
        output, finish = len(text) // 4 + 1, "stop"
        if max_tokens is not None and output > max_tokens:  # a provider stops at the cap, and says so
            text, output, finish = text[: max_tokens * 4], max_tokens, "length"
        usage = self.fixed_usage or Usage(
            input_tokens=sum(len(m["content"]) for m in messages) // 4 + 1,
            output_tokens=output,
        )
        return LMResponse(text=text, model=self.model, usage=usage, finish_reason=finish)

    def with_model(self, model: str) -> LM:
        return self

    @property
    def remaining(self) -> int:
        return len(self.script) - self._i
