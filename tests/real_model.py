"""The real embedded model for end-to-end tests: which one, and the skip when it is absent.

CI installs the `local` extra and pulls the model (`.ci/install-local-model.sh`), so these
tests run there; elsewhere they are skipped with the command that would enable them.
"""

from __future__ import annotations

import importlib.util

import pytest

from recursor.local import model_path

E2E_MODEL = "qwen2.5-coder-0.5b"
"""The smallest embedded model: a real RLM question on it takes seconds on 2 cores."""


def _missing() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (pip install 'recursor[local]')"
    if model_path(E2E_MODEL) is None:
        return f"{E2E_MODEL} is not pulled (recursor models pull {E2E_MODEL})"
    return None


needs_real_model = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))
