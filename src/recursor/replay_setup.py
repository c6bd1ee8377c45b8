"""A recorded run's setup, back from its trace: its output type and its tools.

A replay must send exactly the requests the recorded run sent, so what shaped them must be
set up alike: a typed run's schema is in its first user message and decides which answers
are sent back; host tools are named in the system prompt and defined as stubs in the REPL.
Each is rebuilt here from what `run_start` recorded (`output`, `tools`). A trace written
before they were recorded cannot be replayed faithfully: that is a `UserError` naming what
is missing, never a replay that silently asks something else.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from recursor.errors import UserError
from recursor.output import DEFAULT_OUTPUT_RETRIES, SCHEMA_NOTE, output_spec, schema_spec
from recursor.tools import Tool, ToolError
from recursor.trace.events import LMCallEvent, ToolCallEvent
from recursor.trace.recording import RecordedQuestion, Recording
from recursor.trace.source import recorded_tool_calls

__all__ = ["tools_as_recorded", "typed_as_recorded"]

_SCHEMA_MARK = SCHEMA_NOTE.split("{schema}")[0].strip()
"""How a typed run's first user message announces its schema."""


def typed_as_recorded(rec: Recording, q: RecordedQuestion, given: Any,
                      notes: list[str]) -> dict[str, Any]:
    """`output_type` and `output_retries` to ask `q` again as it was asked ({} when it was untyped).

    The check is rebuilt from the recorded JSON Schema. `given` (the run's own type) replaces
    it when its schema is the recorded one; a pydantic model or dataclass replayed from its
    schema alone is noted in `notes` (a model's own validators are not in its schema).
    """
    recorded = q.start.output
    if recorded is None:
        if _announces_schema(rec, q):
            raise UserError(f"{rec.path}: {q.run_id} is a typed run (output_type) recorded before traces "
                            "kept its schema; it cannot be replayed")
        return {}
    name = str(recorded.get("name") or "output")
    try:
        spec = schema_spec(recorded["schema"], name)
    except (KeyError, TypeError, UserError) as exc:
        raise UserError(f"{rec.path}: the output type of {q.run_id} cannot be read back: {exc}") from None
    kind = recorded.get("kind", "json_schema")
    if given is not None:
        own = output_spec(given)
        if own.schema != spec.schema:
            raise UserError(f"output_type {own.name} does not have the JSON Schema {q.run_id} was recorded with")
        spec = own
    elif kind != "json_schema":
        notes.append(f"{q.run_id}: answers checked against the recorded JSON Schema of {name} ({kind}), "
                     f"not by {name} itself (give output_type= to check with it)")
    retries = recorded.get("retries")
    valid = isinstance(retries, int) and not isinstance(retries, bool) and retries >= 0
    return {"output_type": spec, "output_retries": retries if valid else DEFAULT_OUTPUT_RETRIES}


def _announces_schema(rec: Recording, q: RecordedQuestion) -> bool:
    first = next((e for e in rec.events if isinstance(e, LMCallEvent) and e.run_id == q.run_id
                  and e.role == "root"), None)
    return first is not None and any(_SCHEMA_MARK in str(m.get("content", "")) for m in first.messages)


def tools_as_recorded(rec: Recording, given: Sequence[Any] | None, *, live: bool) -> Sequence[Any]:
    """The tools to run `rec` again with: `given` (resume only), else stand-ins with the recorded
    stubs that never call anything. The results come from the trace either way (`ToolSet`)."""
    if given is not None:
        return given
    specs = rec.root_start.tools
    if specs is None:
        if any(isinstance(e, ToolCallEvent) for e in rec.events):
            raise UserError(f"{rec.path} records calls of host tools but not the tools (written before "
                            "traces kept them): it cannot be " + ("resumed without them: give them with "
                            "resume_trace(..., tools=[...])" if live else "replayed"))
        return []
    unrecorded = sum(not c.replayable for c in recorded_tool_calls(rec.events))
    if unrecorded and not live:
        raise UserError(f"{rec.path} records {unrecorded} tool call(s) without their results (written "
                        "before traces kept them): a replay would have to call the tools; "
                        "resume_trace(..., tools=[...]) can")
    return [Tool.from_spec(spec, _stand_in(str(spec.get("name")))) for spec in specs]


def _stand_in(name: str) -> Any:
    async def invoke(bound: inspect.BoundArguments) -> Any:
        raise ToolError(f"{name} cannot be called: this run is answered from its trace, which holds "
                        "only the results it recorded (resume_trace(..., tools=[...]) gives the tools)")

    return invoke
