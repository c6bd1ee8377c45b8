"""recursor: Recursive Language Models.

    from recursor import RLM, Limits
    rlm = RLM("openai:gpt-5", sub_model="openai:gpt-5-mini", limits=Limits(max_usd=1.0))
    result = rlm.complete("Which user posted most?", context=Path("logs/"))
    print(result.answer, result.stopped_by, result.usage.total.cost_usd)
"""

from recursor.budget import Limits, ModelUsage, UsageSummary
from recursor.errors import (
    BudgetExceeded,
    ContextError,
    LMConnectionError,
    LMError,
    LMRequestError,
    LMServerError,
    LMTimeoutError,
    LMTransientError,
    RateLimitError,
    RecursorError,
    SandboxError,
    UserError,
)
from recursor.lm.base import LM, LMResponse, Message, Usage
from recursor.lm.function import FunctionLM
from recursor.pricing import Pricing
from recursor.prompts import Prompts
from recursor.result import Result, StopReason
from recursor.rlm import RLM
from recursor.sandbox.base import SandboxOptions
from recursor.tools import MCPTools, Tool, ToolError

__version__ = "0.1.0"

__all__ = [
    "LM",
    "RLM",
    "BudgetExceeded",
    "ContextError",
    "FunctionLM",
    "LMConnectionError",
    "LMError",
    "LMRequestError",
    "LMResponse",
    "LMServerError",
    "LMTimeoutError",
    "LMTransientError",
    "Limits",
    "MCPTools",
    "Message",
    "ModelUsage",
    "Pricing",
    "Prompts",
    "RateLimitError",
    "RecursorError",
    "Result",
    "SandboxError",
    "SandboxOptions",
    "StopReason",
    "Tool",
    "ToolError",
    "Usage",
    "UsageSummary",
    "UserError",
    "__version__",
]
