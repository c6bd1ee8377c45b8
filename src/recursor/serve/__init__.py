"""An RLM behind an OpenAI-compatible HTTP endpoint (`recursor serve`).

Any OpenAI client (the `openai` SDK, LangChain, curl) can then use an RLM as if it were a
model. Starlette and uvicorn are optional (`pip install 'recursor[serve]'`), so they are
imported only when an app is built.

    from recursor import RLM
    from recursor.serve import create_app
    app = create_app(RLM("openai:gpt-5"), model_id="recursor")
"""

from __future__ import annotations

from recursor.serve.app import DEFAULT_MAX_BODY_BYTES, ServeConfig, create_app

__all__ = ["DEFAULT_MAX_BODY_BYTES", "ServeConfig", "create_app"]
