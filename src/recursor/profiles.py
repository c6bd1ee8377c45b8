"""What kind of model a root model is, judged by the model and not by the client serving it.

The same 1.5B model behaves the same whether it runs embedded, behind llama.cpp's server,
ollama, vLLM or OpenRouter, so the wording it gets (`SmallModelPrompts` or `Prompts`) is chosen
from its name: a size tag of at most `SMALL_MAX_BILLIONS` ("qwen2.5-coder:1.5b",
"Qwen/Qwen2.5-Coder-1.5B-Instruct", "llama3.2-3b"), or a known small family without one. A
client may also declare itself (`small_model = True`, as the embedded `LocalLM` does), and a
user can always say (`RLM(prompts="small")`, `--prompts small`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Literal

from recursor.errors import UserError
from recursor.lm.base import LM, WrapperLM
from recursor.prompts import Prompts
from recursor.prompts_small import SmallModelPrompts

__all__ = [
    "SMALL_MAX_BILLIONS",
    "Mode",
    "ModelProfile",
    "PromptMode",
    "decoding_for",
    "is_small_model",
    "profile_of",
    "prompts_for",
    "root_replies_for",
]

PromptMode = Literal["auto", "small", "general"]
Mode = Literal["auto", "rlm", "direct"]

SMALL_MAX_BILLIONS = 4.0
"""Models up to this many billion parameters get the small-model wording."""

_SIZE = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)\s*b(?![a-z])", re.IGNORECASE)
"""A parameter-count tag: "1.5b", "-3B-", ":0.5b", "7b"; not "b16" or "bf16"."""

_SMALL_FAMILIES = ("tinyllama", "smollm", "qwen2.5-coder-0.5b", "phi-3-mini", "phi3:mini", "phi3-mini",
                   "gemma-2b", "gemma2:2b", "llama3.2:1b", "llama3.2:3b")
"""Small models whose usual names may carry no size tag (checked after the tag)."""

_ACTIVE = re.compile(r"\ba(\d+(?:\.\d+)?)b\b", re.IGNORECASE)
"""Mixture-of-experts names give active parameters too ("30b-a3b"): the total decides."""


def model_billions(name: str) -> float | None:
    """The parameter count a model name states, in billions (the largest tag), if any."""
    cleaned = _ACTIVE.sub("", name.lower().replace("_", "-"))
    sizes = [float(m.group(1)) for m in _SIZE.finditer(cleaned)]
    return max(sizes) if sizes else None


def is_small_model(lm: LM) -> bool:
    """True for a root model that does better with the small-model wording."""
    inner: LM = lm
    while isinstance(inner, WrapperLM):
        inner = inner.wrapped
    if getattr(inner, "small_model", False):
        return True
    name = inner.model.lower()
    billions = model_billions(name)
    if billions is not None:
        return billions <= SMALL_MAX_BILLIONS
    return any(family in name for family in _SMALL_FAMILIES)


def prompts_for(lm: LM, prompts: Prompts | PromptMode | None = None) -> Prompts:
    """The wording for root model `lm`: `prompts` itself when given, else by mode."""
    if isinstance(prompts, Prompts):
        return prompts
    mode = prompts or "auto"
    if mode == "small":
        return SmallModelPrompts()
    if mode == "general":
        return Prompts()
    if mode == "auto":
        return SmallModelPrompts() if is_small_model(lm) else Prompts()
    raise UserError(f"prompts must be a Prompts object or one of 'auto', 'small', 'general', not {prompts!r}")


def decoding_for(lm: LM, prompts: Prompts) -> LM:
    """`lm`, set to decode greedily when `prompts` ask for it (small models) and its client
    leaves the temperature to the server (`temperature=None`); else `lm` itself. The same small
    model then decodes alike embedded (greedy by default) and behind llama.cpp's server, ollama
    or vLLM, whose defaults sample (0.7-0.8). A temperature the user set is kept."""
    return _with_unset(lm, {"temperature": 0.0}) if prompts.greedy else lm


def root_replies_for(lm: LM, prompts: Prompts) -> LM:
    """`lm`, set to end a root's replies where `prompts` say (stop sequences, an output cap)
    for what its client leaves unset; else `lm` itself. For roots only (the run's and
    `rlm_query`'s children): a sub-model's answer may hold a line starting "User:" (a chat log
    quoted back) and must not be cut there."""
    return _with_unset(lm, {"stop": prompts.stop or None, "max_output_tokens": prompts.reply_tokens})


def _with_unset(lm: LM, settings: dict[str, Any]) -> LM:
    """`lm`, or a copy whose client (inside any wrappers: retrying, caching) has each setting
    it holds as None set to the value given (a None value sets nothing). A user's own setting
    is kept. A copied wrapper mirrors what it mirrors of its client (`max_output_tokens`,
    which the ledger reads as the cap the client sends)."""
    if isinstance(lm, WrapperLM):
        inner = _with_unset(lm.wrapped, settings)
        if inner is lm.wrapped:
            return lm
        wrapper = copy.copy(lm)
        wrapper.wrapped = inner
        for name in settings:
            if hasattr(wrapper, name):
                setattr(wrapper, name, getattr(inner, name, None))
        return wrapper
    unset = {name: value for name, value in settings.items()
             if value is not None and hasattr(lm, name) and getattr(lm, name) is None}
    if not unset:
        return lm
    clone = copy.copy(lm)
    for name, value in unset.items():
        setattr(clone, name, value)
    return clone


@dataclass(frozen=True, slots=True)
class ModelProfile:
    """What the engine knows of a root model when it decides between an RLM and one direct call."""

    window_tokens: int | None
    """The model's context window, when known."""
    direct_max_tokens: int
    """`mode="auto"` answers with one direct call up to this many context tokens (0: never)."""


API_DIRECT_MAX_TOKENS = 16_384
"""For API models the paper's scaling runs put the crossover near 2^14 tokens: below it the
base model matches or beats the RLM at a fraction of the calls; above it the RLM wins."""

EMBEDDED_DIRECT_MAX_TOKENS = 4096
"""Measured on 2 cores (docs/benchmarks.md, "Direct or RLM"): on needle look-ups at 1K-4K tokens the
embedded 1.5B answered 9 of 9 directly in 12-34 s and 7 of 9 as an RLM in 2-40 s; at 8K a
direct read takes ~150 s against 3-9 s for the RLM. So auto goes direct up to 4K tokens."""

_WINDOWS: tuple[tuple[str, int], ...] = (
    ("gpt-5", 272_000), ("gpt-4.1", 1_000_000), ("gpt-4o", 128_000), ("o3", 200_000), ("o4-mini", 200_000),
    ("claude-", 200_000),
)
"""Input windows of API model families (by name prefix; a window only gates direct answers)."""


def profile_of(lm: LM) -> ModelProfile:
    """The root model's profile: the embedded model by its `n_ctx`, API models by name."""
    inner: LM = lm
    while isinstance(inner, WrapperLM):
        inner = inner.wrapped
    n_ctx = getattr(inner, "n_ctx", None)
    if getattr(inner, "small_model", False) and isinstance(n_ctx, int):
        return ModelProfile(window_tokens=n_ctx, direct_max_tokens=EMBEDDED_DIRECT_MAX_TOKENS)
    name = inner.model.lower().rsplit("/", 1)[-1]
    for prefix, window in _WINDOWS:
        if name.startswith(prefix):
            return ModelProfile(window_tokens=window, direct_max_tokens=min(API_DIRECT_MAX_TOKENS, window // 4))
    return ModelProfile(window_tokens=None, direct_max_tokens=0)
