"""LM clients behind one small async interface (`LM.complete(messages) -> LMResponse`)."""

from recursor.lm.base import LM, LMResponse, Message, Usage, WrapperLM
from recursor.lm.function import FunctionLM

__all__ = ["LM", "FunctionLM", "LMResponse", "Message", "Usage", "WrapperLM"]
