"""The real embedded model for end-to-end tests: which one, and the skip when it is absent.

CI installs the `local` extra and pulls the model (`.ci/install-local-model.sh`), so these
tests run there; elsewhere they are skipped with the command that would enable them.
"""

from __future__ import annotations

import importlib.util

import pytest

from recursor.local import DEFAULT_MODEL, model_path

E2E_MODEL = "qwen2.5-coder-0.5b"
"""The smallest embedded model: a real call on it takes seconds on 2 cores."""

RUN_MODEL = DEFAULT_MODEL
"""The model a whole RLM question runs on: the default users meet. The 0.5B's greedy replies
change with the CPU's float arithmetic: on one machine it wrote `FINAL(1)` in the block that
searched, before the search printed the answer, and a test built on its replies tested the
machine."""


def _missing(model: str) -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (pip install 'recursor[local]')"
    if model_path(model) is None:
        return f"{model} is not pulled (recursor models pull {model})"
    return None


needs_real_model = pytest.mark.skipif(_missing(E2E_MODEL) is not None, reason=str(_missing(E2E_MODEL)))
needs_run_model = pytest.mark.skipif(_missing(RUN_MODEL) is not None, reason=str(_missing(RUN_MODEL)))
