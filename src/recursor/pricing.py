"""Prices in USD per million tokens, for turning token counts into cost.

A provider-reported cost (OpenRouter's `usage.cost`) always wins over this table. Extend it
with `Pricing({"my-model": (in, out)})`; names match by longest prefix, so "gpt-5-mini-2025-08-07"
finds "gpt-5-mini". A model found nowhere has unknown cost (None), which the usage table shows.
Figures are list prices as published by the providers in 2025; check them for your account.
"""

from __future__ import annotations

from collections.abc import Mapping

from recursor.lm.base import Usage

__all__ = ["DEFAULT_PRICES", "Pricing"]

DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-5": (1.25, 10.0),
    "gpt-5-mini": (0.25, 2.0),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.0),
    "gpt-4o-mini": (0.15, 0.60),
    "o3": (2.0, 8.0),
    "o4-mini": (1.10, 4.40),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4": (15.0, 75.0),
    "claude-sonnet-4": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-3-5-haiku": (0.80, 4.0),
    "claude-3-7-sonnet": (3.0, 15.0),
    "qwen2.5-coder": (0.0, 0.0),  # the embedded local models cost nothing to run
}


class Pricing:
    """Looks up a model's price; `extra` entries override the defaults."""

    def __init__(self, extra: Mapping[str, tuple[float, float]] | None = None) -> None:
        self.prices = {**DEFAULT_PRICES, **(extra or {})}

    def price(self, model: str) -> tuple[float, float] | None:
        name = model.lower().rsplit("/", 1)[-1]
        best = max((k for k in self.prices if name.startswith(k.lower())), key=len, default=None)
        return self.prices[best] if best is not None else None

    def cost(self, model: str, usage: Usage) -> float | None:
        if usage.cost_usd is not None:
            return usage.cost_usd
        price = self.price(model)
        if price is None:
            return None
        return (usage.input_tokens * price[0] + usage.output_tokens * price[1]) / 1e6
