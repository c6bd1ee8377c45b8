"""LM clients behind one small async interface (`LM.complete(messages) -> LMResponse`)."""

from recursor.lm.anthropic import AnthropicLM
from recursor.lm.base import LM, LMResponse, Message, Usage, WrapperLM
from recursor.lm.function import FunctionLM
from recursor.lm.openai_compat import OpenAICompatibleLM
from recursor.lm.resolve import resolve_lm
from recursor.lm.retry import RateLimitedLM, RetryingLM, RetryPolicy

__all__ = [
    "LM",
    "AnthropicLM",
    "FunctionLM",
    "LMResponse",
    "Message",
    "OpenAICompatibleLM",
    "RateLimitedLM",
    "RetryPolicy",
    "RetryingLM",
    "Usage",
    "WrapperLM",
    "resolve_lm",
]
