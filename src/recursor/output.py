"""Typed answers: `complete(..., output_type=...)` and `llm_query(prompt, schema=...)`.

An output type is a pydantic model (when pydantic is importable), a dataclass, or a JSON
Schema dict. Every form becomes an `OutputSpec`: a compact JSON Schema shown to the model,
and a `check(text)` that parses an answer and validates it, returning the typed value or
compact errors (`$.path: message`, no URLs, no echoed input).

- pydantic models are validated by pydantic itself: the user brought it, and its own rules
  (coercions, validators) are what the user expects.
- dataclasses and JSON Schema dicts are validated by the small validator here, stdlib only,
  for the subset of JSON Schema that models can follow and that OpenAI's strict mode
  accepts (type, enum, const, properties, required, additionalProperties, items,
  prefixItems, min/max for numbers, strings, arrays and objects, pattern, anyOf, oneOf,
  allOf, not, local $ref). No new dependency, errors in our compact form, and the same
  check on the host for sub-calls. A schema using any other assertion keyword is refused
  when the spec is built (a `UserError`), never silently ignored; `format` is an annotation.

The loop's hook is `OutputCheck`: one per typed run, holding the output-retries count.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import json
import math
import re
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from recursor.errors import UserError

__all__ = [
    "DEFAULT_OUTPUT_RETRIES",
    "MAX_SCHEMA_CHARS",
    "OutputCheck",
    "OutputSpec",
    "check_schema",
    "compact_schema",
    "output_spec",
    "parse_answer",
    "schema_errors",
]

DEFAULT_OUTPUT_RETRIES = 3
"""Turns a run may spend fixing an answer that does not validate."""
MAX_SCHEMA_CHARS = 20_000
"""Largest schema (as compact JSON) that model code may pass to `llm_query(schema=)`."""
_MAX_ERRORS = 10
_MAX_DEPTH = 32
_MAX_LITERAL_CHARS = 1_000_000

Error = tuple[str, str]
"""(location, message), e.g. ("$.items[0].price", "expected number, got string")."""

_ANNOTATIONS = frozenset({
    "title", "description", "default", "examples", "$schema", "$id", "$comment", "format",
    "readOnly", "writeOnly", "deprecated", "discriminator", "$defs", "definitions", "strict",
})
_ASSERTIONS = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties", "items",
    "prefixItems", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties",
    "maxProperties", "anyOf", "oneOf", "allOf", "not", "$ref",
})
_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})


# -- the JSON Schema subset -------------------------------------------------------------------

def check_schema(schema: Any) -> None:
    """Raise `UserError` unless `schema` is a JSON Schema within the supported subset."""
    if not isinstance(schema, dict):
        raise UserError(f"a JSON Schema must be a dict, not {type(schema).__name__}")
    try:
        json.dumps(schema)
    except (TypeError, ValueError) as exc:
        raise UserError(f"the schema is not JSON: {exc}") from None
    except RecursionError:
        raise UserError("the schema is nested too deeply") from None
    _check(schema, schema, "#", 0)


def _check(node: Any, root: dict[str, Any], where: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise UserError(f"schema at {where}: nested more than {_MAX_DEPTH} levels")
    if isinstance(node, bool):
        return
    if not isinstance(node, dict):
        raise UserError(f"schema at {where}: expected an object, got {type(node).__name__}")
    unknown = sorted(k for k in node if k not in _ASSERTIONS and k not in _ANNOTATIONS)
    if unknown:
        raise UserError(f"schema at {where}: unsupported keyword(s) {unknown}; supported: "
                        f"{sorted(_ASSERTIONS)} (see recursor.output)")
    kinds = node.get("type")
    for kind in kinds if isinstance(kinds, list) else [] if kinds is None else [kinds]:
        if kind not in _TYPES:
            raise UserError(f"schema at {where}: unknown type {kind!r}")
    if "pattern" in node:
        try:
            re.compile(node["pattern"])
        except (re.error, TypeError) as exc:
            raise UserError(f"schema at {where}: bad pattern: {exc}") from None
    if "$ref" in node:
        _resolve(root, node["$ref"], where)
    for key in ("properties", "$defs", "definitions"):
        for name, sub in (node.get(key) or {}).items():
            _check(sub, root, f"{where}/{key}/{name}", depth + 1)
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            _check(node[key], root, f"{where}/{key}", depth + 1)
    for key in ("prefixItems", "anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(node.get(key) or []):
            _check(sub, root, f"{where}/{key}/{i}", depth + 1)


def _resolve(root: dict[str, Any], ref: Any, where: str = "#") -> Any:
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise UserError(f"schema at {where}: only local $ref ('#/$defs/Name') is supported, not {ref!r}")
    node: Any = root
    for part in [p for p in ref[1:].split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise UserError(f"schema at {where}: $ref {ref!r} points nowhere")
        node = node[part]
    return node


def schema_errors(value: Any, schema: dict[str, Any]) -> list[Error]:
    """Where `value` (decoded JSON) breaks `schema` (already checked): [] when it is valid."""
    errors: list[Error] = []
    try:
        _validate(value, schema, schema, "$", errors)
    except RecursionError:
        errors.append(("$", "the value is nested too deeply"))
    return errors


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, {"object": dict, "array": list, "string": str, "boolean": bool,
                              "null": type(None)}[kind])


def _json_type(value: Any) -> str:
    for kind in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _type_ok(value, kind):
            return kind
    return type(value).__name__


def _validate(value: Any, node: Any, root: dict[str, Any], loc: str, out: list[Error]) -> None:
    if node is True or node == {}:
        return
    if node is False:
        out.append((loc, "no value is allowed here"))
        return
    if "$ref" in node:
        _validate(value, _resolve(root, node["$ref"]), root, loc, out)
    kinds = node.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(_type_ok(value, k) for k in kinds):
            out.append((loc, f"expected {' or '.join(kinds)}, got {_json_type(value)}"))
            return
    if "enum" in node and not any(_same(value, e) for e in node["enum"]):
        out.append((loc, f"must be one of {_short(node['enum'])}"))
    if "const" in node and not _same(value, node["const"]):
        out.append((loc, f"must be {_short(node['const'])}"))
    if isinstance(value, dict):
        _validate_object(value, node, root, loc, out)
    elif isinstance(value, list):
        _validate_array(value, node, root, loc, out)
    elif isinstance(value, str):
        if len(value) < node.get("minLength", 0):
            out.append((loc, f"must have at least {node['minLength']} characters"))
        if "maxLength" in node and len(value) > node["maxLength"]:
            out.append((loc, f"must have at most {node['maxLength']} characters"))
        if "pattern" in node and re.search(node["pattern"], value) is None:
            out.append((loc, f"must match the pattern {node['pattern']!r}"))
    elif _type_ok(value, "number"):
        _validate_number(value, node, loc, out)
    for key, sub_nodes in (("anyOf", node.get("anyOf")), ("oneOf", node.get("oneOf"))):
        if sub_nodes:
            matches = sum(not schema_errors_in(value, s, root) for s in sub_nodes)
            if matches == 0 or (key == "oneOf" and matches > 1):
                options = " | ".join(_describe(s, root) for s in sub_nodes)
                out.append((loc, f"must match {'exactly one' if key == 'oneOf' else 'one'} of: {options}"))
    for sub in node.get("allOf") or []:
        _validate(value, sub, root, loc, out)
    if "not" in node and not schema_errors_in(value, node["not"], root):
        out.append((loc, "matches a schema it must not match"))


def schema_errors_in(value: Any, node: Any, root: dict[str, Any]) -> list[Error]:
    errors: list[Error] = []
    _validate(value, node, root, "$", errors)
    return errors


def _validate_object(value: dict[str, Any], node: dict[str, Any], root: dict[str, Any], loc: str,
                     out: list[Error]) -> None:
    props = node.get("properties") or {}
    for name in node.get("required") or []:
        if name not in value:
            out.append((loc, f"missing required property {name!r}"))
    extra = node.get("additionalProperties", True)
    for key, item in value.items():
        where = f"{loc}.{key}" if key.isidentifier() else f"{loc}[{json.dumps(key)}]"
        if key in props:
            _validate(item, props[key], root, where, out)
        elif extra is False:
            out.append((where, "unexpected property (not in the schema)"))
        elif isinstance(extra, dict):
            _validate(item, extra, root, where, out)
    if len(value) < node.get("minProperties", 0):
        out.append((loc, f"must have at least {node['minProperties']} properties"))
    if "maxProperties" in node and len(value) > node["maxProperties"]:
        out.append((loc, f"must have at most {node['maxProperties']} properties"))


def _validate_array(value: list[Any], node: dict[str, Any], root: dict[str, Any], loc: str,
                    out: list[Error]) -> None:
    prefix = node.get("prefixItems") or []
    for i, item in enumerate(value):
        sub = prefix[i] if i < len(prefix) else node.get("items")
        if sub is not None:
            _validate(item, sub, root, f"{loc}[{i}]", out)
    if len(value) < node.get("minItems", 0):
        out.append((loc, f"must have at least {node['minItems']} items"))
    if "maxItems" in node and len(value) > node["maxItems"]:
        out.append((loc, f"must have at most {node['maxItems']} items"))
    if node.get("uniqueItems"):
        seen = [json.dumps(v, sort_keys=True) for v in value]
        if len(set(seen)) != len(seen):
            out.append((loc, "items must be unique"))


def _validate_number(value: float, node: dict[str, Any], loc: str, out: list[Error]) -> None:
    checks: list[tuple[str, Callable[[float, float], bool], str]] = [
        ("minimum", lambda v, b: v >= b, ">="), ("maximum", lambda v, b: v <= b, "<="),
        ("exclusiveMinimum", lambda v, b: v > b, ">"), ("exclusiveMaximum", lambda v, b: v < b, "<"),
    ]
    for key, ok, sign in checks:
        if key in node and not ok(value, node[key]):
            out.append((loc, f"must be {sign} {node[key]}"))
    step = node.get("multipleOf")
    if step and not math.isclose(value / step, round(value / step), abs_tol=1e-9):
        out.append((loc, f"must be a multiple of {step}"))


def _same(a: Any, b: Any) -> bool:
    if _type_ok(a, "number") and _type_ok(b, "number"):
        return bool(a == b)
    return _json_type(a) == _json_type(b) and a == b


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "..."


def _describe(node: Any, root: dict[str, Any]) -> str:
    if isinstance(node, dict) and "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    if isinstance(node, dict) and "type" in node:
        kinds = node["type"]
        return "/".join(kinds) if isinstance(kinds, list) else str(kinds)
    return _short(node)


def compact_schema(schema: Any) -> Any:
    """`schema` without titles and `$schema`: what the model needs, in fewer tokens."""
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in ("title", "$schema"):
                continue
            if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
                out[key] = {name: compact_schema(sub) for name, sub in value.items()}
            else:
                out[key] = compact_schema(value)
        return out
    if isinstance(schema, list):
        return [compact_schema(v) for v in schema]
    return schema


# -- answers ---------------------------------------------------------------------------------

_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n(.*)\n```\s*$", re.S)


def parse_answer(text: str) -> tuple[bool, Any, str]:
    """An answer's text as a JSON value: (ok, value, error message).

    Takes JSON, JSON in a ``` fence, or a Python literal of the same shape (a dict's repr, as
    `str()` of a REPL value shows it).
    """
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1).strip()
    try:
        return True, json.loads(body), ""
    except RecursionError:
        return False, None, "the answer is nested too deeply"
    except ValueError as exc:
        reason = f"the answer is not JSON ({exc})"
    if len(body) <= _MAX_LITERAL_CHARS and body[:1] in "[{(":
        try:
            value = ast.literal_eval(body)
            return True, json.loads(json.dumps(value)), ""
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
    return False, None, reason


# -- output types --------------------------------------------------------------------------

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class OutputSpec:
    """An output type as the loop needs it: its schema, and how to check and dump a value."""

    schema: dict[str, Any]
    """The compact JSON Schema shown to the model."""
    validate: Callable[[Any], tuple[Any, list[Error]]]
    """Decoded JSON -> (typed value, errors); errors empty when it is valid."""
    dump: Callable[[Any], str]
    """Typed value -> its JSON text."""
    name: str = "output"
    kind: str = "json_schema"
    """What validates: "json_schema" (the validator here), "dataclass" (the same, then the
    class is built) or "pydantic" (the model's own rules, which its schema does not hold)."""

    @property
    def schema_text(self) -> str:
        return json.dumps(self.schema, ensure_ascii=False, separators=(",", ":"))

    def check(self, text: str, json_text: str | None = None) -> tuple[Any, str, list[Error]]:
        """(typed value, its JSON, []) for a valid answer, else (None, "", errors).

        `json_text` is the JSON form the worker sent for a REPL dict or list; it wins over
        the answer's `str()`.
        """
        ok, value, reason = parse_answer(json_text if json_text is not None else text)
        if not ok:
            return None, "", [("$", reason)]
        typed, errors = self.validate(value)
        if errors:
            return None, "", errors
        return typed, self.dump(typed), []


def output_spec(output_type: Any) -> OutputSpec:
    """An `OutputSpec` for a pydantic model class, a dataclass type or a JSON Schema dict."""
    if isinstance(output_type, OutputSpec):
        return output_type
    if isinstance(output_type, dict):
        return schema_spec(output_type)
    if isinstance(output_type, type) and dataclasses.is_dataclass(output_type):
        return _dataclass_spec(output_type)
    pydantic = _pydantic_spec(output_type)
    if pydantic is not None:
        return pydantic
    raise UserError("output_type must be a pydantic model, a dataclass or a JSON Schema dict, "
                    f"not {output_type!r}"[:300])


def schema_spec(schema: dict[str, Any], name: str = "output") -> OutputSpec:
    check_schema(schema)
    compact = compact_schema(schema)

    def validate(value: Any) -> tuple[Any, list[Error]]:
        errors = schema_errors(value, schema)
        return (None if errors else value), errors

    return OutputSpec(compact, validate, _dumps, name)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pydantic_spec(output_type: Any) -> OutputSpec | None:
    try:
        import pydantic
    except ImportError:
        return None
    if not (isinstance(output_type, type) and issubclass(output_type, pydantic.BaseModel)):
        return None
    adapter = pydantic.TypeAdapter(output_type)

    def validate(value: Any) -> tuple[Any, list[Error]]:
        try:
            return adapter.validate_python(value), []
        except pydantic.ValidationError as exc:
            return None, [(_loc(e["loc"]), e["msg"]) for e in
                          exc.errors(include_url=False, include_context=False, include_input=False)]

    return OutputSpec(compact_schema(adapter.json_schema()), validate,
                      lambda v: adapter.dump_json(v).decode("utf-8"), output_type.__name__, "pydantic")


def _loc(parts: Sequence[Any]) -> str:
    loc = "$"
    for part in parts:
        loc += f"[{part}]" if isinstance(part, int) else f".{part}"
    return loc


# -- dataclasses, stdlib only ----------------------------------------------------------------

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"},
    bool: {"type": "boolean"}, type(None): {"type": "null"}, Any: {},
}


def _dataclass_spec(cls: type) -> OutputSpec:
    defs: dict[str, Any] = {}
    _type_schema(cls, defs)
    # The top dataclass inline; $defs only for nested ones (and itself, if it recurs).
    top = defs[cls.__name__]
    if f'"#/$defs/{cls.__name__}"' not in json.dumps(defs):
        del defs[cls.__name__]
    schema = {**top, "$defs": defs} if defs else top
    check_schema(schema)

    def validate(value: Any) -> tuple[Any, list[Error]]:
        errors = schema_errors(value, schema)
        return (None, errors) if errors else (_build(cls, value), [])

    return OutputSpec(schema, validate, lambda v: _dumps(_plain(v)), cls.__name__, "dataclass")


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # a placeholder first: a recursive dataclass refers to itself
            hints = typing.get_type_hints(tp)
            fields = [f for f in dataclasses.fields(tp) if f.init]
            defs[name] = {
                "type": "object",
                "properties": {f.name: _type_schema(hints[f.name], defs) for f in fields},
                "required": [f.name for f in fields if f.default is dataclasses.MISSING
                             and f.default_factory is dataclasses.MISSING],
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_type_schema(a, defs) for a in args]}
    if origin in (list, set, frozenset, Sequence) or (origin is tuple and len(args) == 2 and args[1] is ...):
        return {"type": "array", "items": _type_schema(args[0], defs) if args else {}}
    if origin is tuple:
        return {"type": "array", "prefixItems": [_type_schema(a, defs) for a in args],
                "minItems": len(args), "maxItems": len(args)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs) if args else {}}
    if tp in (list, dict):
        return {"type": "array" if tp is list else "object"}
    raise UserError(f"output_type: the type {tp!r} has no JSON form here; use str, int, float, bool, "
                    "None, list, tuple, dict[str, ...], Literal, Enum, unions or nested dataclasses")


def _build(tp: Any, value: Any) -> Any:
    """A validated JSON value as an instance of `tp` (nested dataclasses, enums, tuples)."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{k: _build(hints[k], v) for k, v in value.items()})
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is float and isinstance(value, int):
        return float(value)
    if tp is int and isinstance(value, float):
        return int(value)
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        for arg in args:
            if not schema_errors_in(value, *_standalone(arg)):
                return _build(arg, value)
        return value
    if origin in (list, set, frozenset, Sequence) or origin is tuple:
        items = [_build(args[min(i, len(args) - 1)] if args and args[-1] is not ... else
                        (args[0] if args else Any), v) for i, v in enumerate(value)]
        return items if origin in (list, Sequence) else origin(items)
    if origin is dict and args:
        return {k: _build(args[1], v) for k, v in value.items()}
    return value


def _standalone(tp: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    defs: dict[str, Any] = {}
    node = _type_schema(tp, defs)
    root = {**node, "$defs": defs}
    return root, root


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# -- the loop's hook -------------------------------------------------------------------------

SCHEMA_NOTE = "\n\nYour final answer must be JSON matching this JSON Schema:\n{schema}\n{how}"
REPL_HOW = ("Give it with FINAL(<the JSON>), or build it in the REPL as a dict or list and use "
            "FINAL_VAR(name): a REPL value is sent as JSON.")
DIRECT_HOW = "Reply with the JSON only."
RETRY_NOTE = (
    "Your answer does not match the required JSON Schema ({count}):\n{errors}\n"
    "Fix these and give the whole answer again as JSON{how}. {left} more attempt(s)."
)


def error_lines(errors: Sequence[Error]) -> str:
    """Errors as the model sees them: `- location: message`, at most 10."""
    lines = [f"- {loc}: {msg[:300]}" for loc, msg in errors[:_MAX_ERRORS]]
    if len(errors) > _MAX_ERRORS:
        lines.append(f"- ... and {len(errors) - _MAX_ERRORS} more")
    return "\n".join(lines)


class OutputCheck:
    """One typed run's check on its final answer, with its own retries count."""

    def __init__(self, spec: OutputSpec, retries: int = DEFAULT_OUTPUT_RETRIES) -> None:
        if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
            raise UserError(f"output_retries must be a non-negative int, not {retries!r}")
        self.spec = spec
        self.retries = retries
        self.retries_left = retries
        self.errors: list[Error] = []
        """The last answer's errors (empty when it validated)."""
        self.repl = True
        """The answer comes from an RLM run (FINAL, FINAL_VAR), not a direct call."""

    def describe(self) -> dict[str, Any]:
        """What a trace records of this check (`run_start.output`), so a replay can check alike."""
        return {"schema": self.spec.schema, "name": self.spec.name, "kind": self.spec.kind,
                "retries": self.retries}

    def instructions(self) -> str:
        """Appended to the run's first user message."""
        return SCHEMA_NOTE.format(schema=self.spec.schema_text, how=REPL_HOW if self.repl else DIRECT_HOW)

    def review(self, outcome: T) -> tuple[T | None, str]:
        """A final answer's outcome, checked: (outcome with its typed value, "") when valid;
        (None, the errors for the model) while retries are left; else the outcome stopped by
        "invalid_output", keeping the invalid answer."""
        checked = self.settle(outcome)
        if not self.errors:
            return checked, ""
        if self.retries_left > 0:
            self.retries_left -= 1
            count = f"{len(self.errors)} error{'s' * (len(self.errors) != 1)}"
            how = ", with FINAL(...) or FINAL_VAR(name)" if self.repl else " only"
            return None, RETRY_NOTE.format(count=count, errors=error_lines(self.errors), how=how,
                                           left=self.retries_left + 1)
        return dataclasses.replace(checked, stopped_by="invalid_output"), ""  # type: ignore[type-var]

    def settle(self, outcome: T) -> T:
        """`outcome` with `output` set and `answer` made the value's JSON when its answer is valid."""
        answer: str = getattr(outcome, "answer", "")
        typed, text, self.errors = self.spec.check(answer, getattr(outcome, "json", None))
        if self.errors:
            return outcome
        return dataclasses.replace(outcome, answer=text, output=typed, json=None)  # type: ignore[type-var]
