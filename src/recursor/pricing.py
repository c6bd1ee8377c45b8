"""Prices in USD per million tokens, for turning token counts into cost and reserving money.

A model's price comes from, in order: the table given to `Pricing` (the user's word), the
price the client itself declares (`LM.price`; the embedded local model declares 0), then
`DEFAULT_PRICES`. Names match exactly, after dropping a provider prefix ("openai/gpt-5") and
a release-date suffix ("gpt-5-mini-2025-08-07", "claude-sonnet-4-5-20250929"), unless the dated
name has its own entry (a snapshot priced differently from its alias). Nothing matches
by prefix: "gpt-5-pro" is not "gpt-5", and charging it as one would break a money limit.

A provider-reported cost (OpenRouter's `usage.cost`) always wins when a reply is settled.
Figures are list prices as published by the providers in 2025; check them for your account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from recursor.lm.base import Usage

__all__ = ["DEFAULT_PRICES", "Price", "Pricing", "unpriced_message"]

Price = tuple[float, float]
"""(input, output) USD per million tokens."""

DEFAULT_PRICES: dict[str, Price] = {
    "gpt-5": (1.25, 10.0),
    "gpt-5-mini": (0.25, 2.0),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.0),
    "gpt-4o-2024-05-13": (5.0, 15.0),  # the first snapshot kept its own, higher price
    "gpt-4o-mini": (0.15, 0.60),
    "o3": (2.0, 8.0),
    "o4-mini": (1.10, 4.40),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-1": (15.0, 75.0),
    "claude-opus-4": (15.0, 75.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-sonnet-4": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-3-5-haiku": (0.80, 4.0),
    "claude-3-7-sonnet": (3.0, 15.0),
}

_DATE_SUFFIX = re.compile(r"(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-latest)$")


def _names(model: str) -> list[str]:
    """The names `model` may be listed under: as given, without provider prefix and date."""
    bare = model.lower().rsplit("/", 1)[-1]
    undated = _DATE_SUFFIX.sub("", bare)
    return list(dict.fromkeys([model.lower(), bare, undated]))


class Pricing:
    """Looks up a model's price; `extra` entries override the client's and the defaults."""

    def __init__(self, extra: Mapping[str, Price] | None = None) -> None:
        self.extra = {k.lower(): _checked(k, v) for k, v in (extra or {}).items()}
        self.defaults = {k.lower(): v for k, v in DEFAULT_PRICES.items()}

    def price(self, model: str, declared: Price | None = None) -> Price | None:
        """The price of `model`; `declared` is what its client says (used before the defaults)."""
        names = _names(model)
        for name in names:
            if name in self.extra:
                return self.extra[name]
        if declared is not None:
            return declared
        for name in names:
            if name in self.defaults:
                return self.defaults[name]
        return None

    def cost(self, model: str, usage: Usage, declared: Price | None = None) -> float | None:
        """What `usage` cost: the provider's figure when it gave one, else tokens x price."""
        if usage.cost_usd is not None:
            return usage.cost_usd
        price = self.price(model, declared)
        if price is None:
            return None
        return (usage.input_tokens * price[0] + usage.output_tokens * price[1]) / 1e6


def _checked(model: str, price: Price) -> Price:
    from recursor.errors import UserError

    try:
        pin, pout = (float(p) for p in price)
    except (TypeError, ValueError):
        raise UserError(f"price of {model!r} must be (input, output) USD per million tokens") from None
    if not (pin >= 0 and pout >= 0):
        raise UserError(f"price of {model!r} must not be negative, got {price}")
    return (pin, pout)


def unpriced_message(model: str) -> str:
    """What to tell a user whose money limit meets a model with no known price."""
    return (
        f"max_usd is set but the price of model {model!r} is not known, so its spending could "
        f"not be limited; give it: RLM(..., pricing=Pricing({{{model!r}: (INPUT, OUTPUT)}})) "
        f"in USD per million tokens, or `--price {model}=INPUT,OUTPUT` on the command line"
    )
