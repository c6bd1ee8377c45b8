"""The first look's lines about a Python module's classes: their methods, bases and `__init__`.

Asked "which class in this module defines the most methods?" or "how many methods does the
Argument class define?", the 1.5B grepped "def " and answered a count of lines, or the number
2. What a class defines is what `ast` reads in a moment and a small model cannot count by
eye: each class's methods (the `def`s directly in its body), its bases, and the parameters its
`__init__` takes. This says them for the classes the question names, with the bases of those
defined in the module (a question may ask about "its parent class"), or ranks every class by
its methods when the question asks which has the most; and the answer when the question asks
just that count or that ranking.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from dataclasses import dataclass

from recursor.look_counts import says_more
from recursor.look_statements import asked_statement, statement_rank
from recursor.protocol import UNPARSED
from recursor.question import COUNT_ASKED, SUPERLATIVE, asking_part, name_parts

_ABOUT_CLASSES = re.compile(r"\b(?:methods?|subclass(?:es)?|inherit\w*|deriv(?:e|es|ed|ing)\s+from|extend(?:s|ing)?|built\s+(?:directly\s+)?on|grand[- ]?parent|(?:base|parent|super)[\s-]?class(?:es)?"
                            r"|parameters?|arguments?|__init__|constructor|initiali[sz]er)\b", re.IGNORECASE)
_METHODS = re.compile(r"\bmethods?\b", re.IGNORECASE)
_PARAMETERS = re.compile(r"\b(?:parameters?|arguments?|args)\b", re.IGNORECASE)
_INIT = re.compile(r"__init__|\bconstruct(?:or|ing|ed)?\b|\binitiali[sz]er\b|\binstantiat\w*|"
                   r"\bcreat(?:e|ing)\s+an?\s+(?:instance|object)\b", re.IGNORECASE)
_PARENT = re.compile(r"\b(?:base|parent|super)[\s-]?class\b|\bsubclass\s+of\b|\binherits?\s+from\b", re.IGNORECASE)
_WHICH_CLASS = re.compile(r"\b(?:which|what)\s+class\b", re.IGNORECASE)
_BESIDES_SELF = re.compile(r"\b(?:not|without|excluding|besides|except)\s+(?:counting\s+|including\s+)?`?self\b",
                           re.IGNORECASE)
_OWN_BODY = re.compile(r"\((?=[^()]*\b(?:not|no|excluding|without)\b)[^()]*\binherit\w*[^()]*\)|\b(?:in|by)\s+its\s+own\s+body\b|\bitself\b"
                       r"|,?\s*(?:not\s+counting|excluding|without)\s+(?:the\s+)?inherited(?:\s+ones)?\b", re.IGNORECASE)
"""Words that say a class's count is of what its own body defines, as counted here."""
_SUBCLASSES_OF = re.compile(r"(?:\bdirectly\s+)?\b(?:inherit(?:s|ing)?\s+(?:directly\s+)?from|(?:are\s+)?subclass(?:es|ed)?\s+(?:of|from)"
                            r"|deriv(?:e|es|ed|ing)\s+from|extend(?:s|ing)?|built\s+(?:directly\s+)?on(?:\s+top\s+of)?)"
                            r"\s+(?:the\s+)?(?:class\s+)?`?([A-Za-z_][\w.]*)`?",
                            re.IGNORECASE)
"""A question about the classes that inherit from a named one: "inherit from BaseRoute", "are
subclasses of Exception", "derive from `Base`"."""
_CLASSES = re.compile(r"\bclass(?:es)?\b", re.IGNORECASE)
_TWO_UP = re.compile(r"\bgrand[- ]?parent\b|\b(?:parent|base)(?:\s+class)?'s\s+(?:own\s+)?(?:parent|base)\b"
                     r"|\b(?:deriv(?:es|ed)|inherits?|inherited|subclass(?:es|ed)?|extends?|extended|built\s+on)\s+"
                     r"(?:from\s+|on\s+)?(?:another|some|one|a)\s+(?:other\s+)?(?:class|type)\b[^?]*[.;?]\s*[^?]*"
                     r"\bthat\s+(?:one|class|parent|base(?:\s+class)?)\s+(?:itself\s+)?(?:derive|inherit|extend|subclass)",
                     re.IGNORECASE)
"""A question about a class's base's base: "its grandparent class", "the parent's parent",
"X is derived from another class. Which class does that one derive from?" (its "that one" is
the other class, not X: "The module defines B. Which class does that one derive from?" asks
B's base, review)."""
_WHICH_KIND = re.compile(r"\s*(?:which|what)\b(?:\s+[\w-]+){0,2}?\s+(?:is|was|gets)\b", re.IGNORECASE)
""""Which field type is built on ...", "What class is derived from ...": one class asked for."""
_ONE_KIND_WORDS = frozenset("which what class type kind field one only single is was gets the a an directly "
                            "immediately top on of built derived derives from subclass subclassed inherits "
                            "inherited extends extended based child".split())
"""All a question asking for the one class built on another may say: more picks among them."""
_SET_ASIDE = re.compile(r"\b(?:apart\s+from|aside\s+from|other\s+than|besides|except(?:\s+for)?|excluding|not\s+counting)"
                        r"\s+(?:the\s+)?(?:class\s+)?`?(?P<name>[A-Za-z_]\w*)`?(?:\s+(?:base\s+)?class)?,?", re.IGNORECASE)
"""A class the question sets aside from a ranking ("apart from the ParserElement base class")."""
_DEFINES = re.compile(r"\b(?:defines?|defined|declares?|declared)\b", re.IGNORECASE)
_SHOWN_CLASSES = 8
_SHOWN_METHODS = 12
_PARSED_UP_TO = 2_000_000


@dataclass(frozen=True, slots=True)
class _Class:
    name: str
    line: int
    bases: tuple[str, ...]
    methods: tuple[str, ...]
    init: ast.arguments | None
    inits: int
    decorated: bool = False
    """Whether a decorator may write its methods (`@dataclass`, `@attrs.define`)."""
    attributes: tuple[tuple[str, str], ...] = ()
    """The names its own body assigns, each with its value as written (clipped)."""
    nested: int = 0
    """The classes its own body declares."""


def python_look(text: str, asking: str, question: str) -> tuple[list[str], str]:
    """`class_look` and `function_look` together, the module parsed once for both: their lines,
    and the first answer either offers."""
    raised = _raised_name(text, asking)
    attribute = _attribute_named(text, asking)
    statements = asked_statement(asking) is not None and len(text) <= _PARSED_UP_TO and "def " in text
    tree = (_parsed(text) if _asks_classes(text, asking) or _asks_functions(text, asking) or raised or attribute
            or statements else None)
    if tree is None:
        return [], ""
    ranked = statement_rank(tree, asking) if statements else None
    if ranked is not None:  # "which method of the Arrow class contains the most raise statements"
        return ranked.rows, ranked.offered
    classes, about_classes = class_look(text, asking, question, tree)
    functions, about_functions = function_look(text, asking, question, tree)
    raises, about_raises = raise_look(tree, raised, asking) if raised else ([], "")
    keys, about_keys = keys_look(tree, attribute, asking) if attribute else ([], "")
    return (classes + functions + raises + keys,
            about_classes or about_functions or about_raises or about_keys)


def _attribute_named(text: str, asking: str) -> str:
    """The class attribute the question names in words ("the default error messages" of
    `default_error_messages = {...}`): two or more of its words, joined by "_", assigned in
    the text; "" for none."""
    if len(text) > _PARSED_UP_TO or "{" not in text:
        return ""
    words = re.findall(r"[a-z]+", asking.lower())
    names = ["_".join(words[k:k + size]) for size in (4, 3, 2) for k in range(len(words) - size + 1)]
    if not names:
        return ""
    # One pass over the text for every name (review: one per name took 4.8 s on 10 MB).
    written = set(re.findall(rf"^[ \t]+({'|'.join(names)})\s*(?::[^=\n]*)?=\s*\{{", text, re.MULTILINE))
    return next((name for name in names if name in written), "")


_MOST_CLASSES = re.compile(r"\bmost\s+(?:\w+\s+){0,2}?classes\b", re.IGNORECASE)
_KEY_WORDS = re.compile(r"\b(?:keys?|entr(?:y|ies)|messages?|names?)\b", re.IGNORECASE)
_KEYS_SHOWN = 6


def keys_look(tree: ast.Module, attribute: str, asking: str) -> tuple[list[str], str]:
    """The keys of a dict each class assigns to `attribute` (`default_error_messages = {
    "invalid": ...}`), counted by the classes that write each: "which error-message key appears
    in the default error messages of the most classes". The top key is offered when the
    question asks which key most classes write and one leads; [] under three classes."""
    per_key: Counter[str] = Counter()
    classes = 0
    for node in _module_classes(tree.body):
        for stmt in node.body:
            target = (stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                      else stmt.target if isinstance(stmt, ast.AnnAssign) else None)
            value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(target, ast.Name) and target.id == attribute and isinstance(value, ast.Dict):
                # In the order written, each once: a tie among keys is then shown the same in every run.
                per_key.update(dict.fromkeys((k.value for k in value.keys
                                              if isinstance(k, ast.Constant) and isinstance(k.value, str)), 1))
                classes += 1
    if classes < 3 or not per_key:
        return [], ""
    ranked_keys = per_key.most_common()
    shown = ", ".join(f"{k!r} {n}" for k, n in ranked_keys[:_KEYS_SHOWN]) + (", ..." if len(per_key) > _KEYS_SHOWN else "")
    rows = [f"   {classes} classes assign a dict to {attribute}; its keys by the classes that write each: {shown}"]
    leads = len(ranked_keys) == 1 or ranked_keys[0][1] > ranked_keys[1][1]
    # "Which key ... of the most classes", not "which class has the most ..." nor "the fewest".
    asks = (_KEY_WORDS.search(asking) is not None and _MOST_CLASSES.search(asking) is not None
            and not _WHICH_CLASS.search(asking) and not COUNT_ASKED.search(asking))
    return rows, ranked_keys[0][0] if leads and asks else ""


def _parsed(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except UNPARSED:
        return None


def _asks_classes(text: str, asking: str) -> bool:
    return (bool(_ABOUT_CLASSES.search(asking) or _NESTED.search(asking)) and len(text) <= _PARSED_UP_TO
            and "class " in text)


def class_look(text: str, asking: str, question: str, tree: ast.Module | None = None) -> tuple[list[str], str]:
    """The look's lines about the module's classes for a question about their methods, bases or
    `__init__`, and the answer when it asks just one such count or ranking ("" otherwise);
    ([], "") for a question about no class, or a text that does not parse as Python. `tree`:
    the text already parsed, if it was."""
    if not _asks_classes(text, asking) or (tree := tree or _parsed(text)) is None:
        return [], ""
    found = [_read(n) for n in _module_classes(tree.body)]
    classes = {c.name: c for c in found}
    if not classes:
        return [], ""
    plain = _just(_OWN_BODY.sub(" ", asking), set(classes))  # "(inherited ones not counted)" is said; "counting inherited" is not
    named = [c for name, c in classes.items() if re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", asking)]
    # "Apart from the ParserElement base class, which class defines the most methods": the
    # others ranked. The phrase set aside, the rest must say nothing more than a ranking.
    set_aside = {m.group("name") for m in _SET_ASIDE.finditer(asking)} & set(classes)
    if _WHICH_CLASS.search(asking) and (shape := _shape_look(found, asking)) is not None:
        return shape
    if _WHICH_CLASS.search(asking) and _METHODS.search(asking) and SUPERLATIVE.search(asking) and (
            not named or {c.name for c in named} <= set_aside):
        rest = [c for c in found if c.name not in set_aside]

        def aside(text: str) -> str:  # only a class is set aside: "excluding private methods" is a condition (review)
            return _SET_ASIDE.sub(lambda m: " " if m["name"] in classes else m[0], text)

        rows, top = _ranked(rest, aside(asking), aside(question))
        if set_aside:
            rows = [rows[0].replace("Its ", f"Besides {', '.join(sorted(set_aside))}, its ", 1)]
        plain = _just(_OWN_BODY.sub(" ", aside(asking)), set(classes))
        return rows, top if plain and len(classes) == len(found) else ""
    inherited = _SUBCLASSES_OF.search(asking)
    base = inherited.group(1).rstrip(".").rsplit(".", 1)[-1] if inherited is not None else ""
    directly = inherited is not None and "directly" in inherited.group(0).lower()
    counts_classes = _CLASSES.search(_SUBCLASSES_OF.sub(" ", asking)) is not None
    if (base and counts_classes and not (_METHODS.search(asking) or _PARAMETERS.search(asking))
            and (base in classes or base[0].isupper() or "_" in base)):  # not "a subclass of another"
        return _subclasses(found, base, asking, question, directly)
    if (shared := _shared_base(classes, question)) is not None:
        return shared
    if len(named) != 1:
        return [], ""
    subject = named[0]
    asking = re.sub(rf"(?<![\w.]){re.escape(subject.name)}(?!\w)", " ", asking)  # class Argument is no "arguments"
    rows = [_told(subject) + _attribute_asked(subject, asking)]
    parents = [classes[b] for b in subject.bases if b in classes]
    rows += [f"   its base {_told(p).lstrip()}{_attribute_asked(p, asking)}" for p in parents]
    if base == subject.name:
        # "Which field type is built directly on top of the Nested field?": the classes whose
        # bases name it. Shown `class Nested(Field)` and the word's other lines, the 1.5B
        # answered a word of the question.
        direct = [c.name for c in found if any(_names_base(b, subject.name) for b in c.bases)]
        listed = ", ".join(direct[:_SHOWN_CLASSES]) + (", ..." if len(direct) > _SHOWN_CLASSES else "")
        rows.append(f"   Classes whose bases name {subject.name}: {len(direct)}" + (f" ({listed})." if direct else "."))
        # Only when nothing is built on that one in turn, unless the question says "directly".
        deeper = "directly" not in asking.lower() and any(any(_names_base(b, d) for b in c.bases)
                                                           for c in found for d in direct)
        one = _asks_one_built_on(asking, subject.name) and len(direct) == 1 and not deeper
        if _INIT.search(asking) or _ARGUMENT.search(asking):
            # "Among the subclasses of PositionToken, which one can't be instantiated without
            # passing an argument?": what each one's __init__ (its own or inherited) requires.
            needs = {name: _required_of(classes[name], classes) for name in direct if name in classes}
            told = ", ".join(f"{name} {'?' if n is None else n}" for name, n in needs.items())
            rows.append(f"   Arguments each one's __init__ requires (its own or inherited; ? when unknown): {told}.")
            needing = [name for name, n in needs.items() if n]
            if (_NEEDS_ARGUMENT.search(asking) and not _NOT_NEEDED.search(asking) and len(needing) == 1
                    and None not in needs.values()):
                return rows, needing[0]
        return rows, direct[0] if one and len(classes) == len(found) else ""
    if _TWO_UP.search(question) and not COUNT_ASKED.search(asking):
        # "AwareDateTime is derived from another class. Which class does that one derive
        # from?": its base's base, shown above; the reader of the look gave the base.
        return rows, _only_base(parents[0]) if len(parents) == 1 else ""
    if COUNT_ASKED.search(asking) and _METHODS.search(asking) and not _PARAMETERS.search(asking):
        if _PARENT.search(asking) and len(parents) == 1 and len(set(parents[0].methods)) == len(parents[0].methods):
            # "Group inherits from another class here. How many methods does that parent class define?"
            own = _OWN_BODY.sub(" ", asking)
            said = _just(own, set(classes), _JUST_WORDS | _RELATION_WORDS)
            return rows, str(len(parents[0].methods)) if said and not says_more(own, _OWN_BODY.sub(" ", question)) else ""
        if _PARENT.search(asking) or len(set(subject.methods)) != len(subject.methods):
            return rows, ""  # whose methods, or a name defined twice (@overload): not said here
        if set(subject.bases) - {"object"} and not (_OWN_BODY.search(asking) or _DEFINES.search(asking)):
            return rows, ""  # "how many methods does it have": its base's too?
        own = _OWN_BODY.sub(" ", asking)  # "in its own body (inherited ones not counted)" says what a count is
        return rows, str(len(subject.methods)) if plain and not says_more(own, _OWN_BODY.sub(" ", question)) else ""
    if COUNT_ASKED.search(asking) and _PARAMETERS.search(asking) and _INIT.search(asking):
        target = subject
        if _PARENT.search(asking):
            if len(parents) != 1:
                return rows, ""
            target = parents[0]
        taken = _parameters(target.init) if target.inits == 1 else None  # @overload stubs: which one?
        return rows, str(taken) if taken is not None and plain and _BESIDES_SELF.search(asking) else ""
    return rows, ""


def _shared_base(classes: dict[str, _Class], question: str) -> tuple[list[str], str] | None:
    """For "OneOrMore and ZeroOrMore share a private base class. Which class does that base
    class inherit from?", the one base both named classes write, and its own base when the
    question asks what that one inherits from (else the shared base itself); None unless two
    classes of the module are named and the question says they share one."""
    if not _SHARED.search(question) or _METHODS.search(asking_part(question)) or COUNT_ASKED.search(question):
        return None
    two = [c for name, c in classes.items() if re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", question)]
    if len(two) != 2:
        return None
    common = [b for b in two[0].bases if b in two[1].bases]
    if len(common) != 1:
        return None
    base = _base_name(common[0])
    rows = [f"   {two[0].name} and {two[1].name} share the base {base}."]
    if base not in classes:
        return rows, "" if _THAT_FROM.search(question) else base
    rows.append(_told(classes[base]))
    if not _THAT_FROM.search(question):
        return rows, base
    return rows, _only_base(classes[base])


def _base_name(base: str) -> str:
    """A base as written (`fields.Field`, `Generic[T]`) by its class's own name."""
    return base.split("[", 1)[0].rsplit(".", 1)[-1]


def _only_base(c: _Class) -> str:
    """The one base a class writes, by name; "" for none, several, or `object`."""
    return _base_name(c.bases[0]) if len(c.bases) == 1 and _base_name(c.bases[0]) != "object" else ""


_SHARED = re.compile(r"\b(?:share|shared|sharing|have\s+in\s+common|(?:a|the)\s+common)\s+(?:an?\s+|the\s+|one\s+)?"
                     r"(?:\w+\s+)?(?:base|parent|super)[\s-]?class\b"
                     r"|\b(?:base|parent|super)[\s-]?class\b[^?.]{0,80}\b(?:share|have\s+in\s+common)\b", re.IGNORECASE)
"""Two classes said to share a base ("share a private base class"), not methods (review)."""
_THAT_FROM = re.compile(r"\b(?:that|this|the\s+shared|the\s+common)\s+(?:one|base(?:\s+class)?|parent(?:\s+class)?|class)\s+"
                        r"(?:itself\s+)?(?:inherits?|derives?|extends?|subclass(?:es)?)\b", re.IGNORECASE)


def _asks_one_built_on(asking: str, name: str) -> bool:
    """Whether the question asks for the one class built on `name` and says nothing more: a
    singular "which ... is", no superlative ("the most derived"), no condition ("and has no
    methods"), no count."""
    if _WHICH_KIND.match(asking) is None or COUNT_ASKED.search(asking) or SUPERLATIVE.search(asking):
        return False
    parts = {*name_parts(name), name.lower()}
    return all(w.lower() in _ONE_KIND_WORDS or w.lower() in parts for w in re.findall(r"[A-Za-z_]\w*", asking))


def _names_base(base: str, name: str) -> bool:
    """Whether a base as written names the class: `BaseRoute`, `routing.BaseRoute`,
    `Generic[T]` for Generic."""
    base = base.split("[", 1)[0]
    return base == name or base.endswith("." + name)


def _subclasses(found: list[_Class], name: str, asking: str, question: str, directly: bool) -> tuple[list[str], str]:
    """The module's classes that inherit from the named one ("how many classes in this module
    inherit from BaseRoute"): those whose bases name it (for a builtin, a builtin subclass of it
    too: ValueError of Exception, unless the question says "directly"), and with theirs in turn;
    the count when the question asks just that and both readings (direct, or through another
    class of the module) give one number. No count when a base might inherit from it unseen (an
    alias, a call, another module's class for a class not defined here) or a name is defined
    twice (both branches of a `try`). Shown the lines `class Route(BaseRoute):` among others
    holding the word, the 1.5B printed two of them and answered 2."""
    defined = {c.name for c in found}
    builtin = getattr(builtins, name, None) if name not in defined else None
    ancestor = builtin if isinstance(builtin, type) and not directly else None

    def plain(base: str) -> str:
        return base.split("[", 1)[0]

    def names_it(base: str) -> bool:
        kind = None if plain(base) in defined else getattr(builtins, plain(base), None)
        return _names_base(base, name) or (ancestor is not None and isinstance(kind, type) and issubclass(kind, ancestor))

    def unseen(base: str) -> bool:
        """Whether a base may inherit from the class where the module does not show it."""
        if names_it(base) or plain(base) in defined or isinstance(getattr(builtins, plain(base), None), type):
            return False
        if not re.fullmatch(r"[A-Za-z_][\w.]*", plain(base)):
            return True  # with_metaclass(Meta, Base)
        return "." not in plain(base) if name in defined else True  # an alias of it; or anything, for a class from elsewhere

    direct = [c for c in found if any(names_it(b) for b in c.bases)]
    children: dict[str, list[_Class]] = {}
    for c in found:
        for b in c.bases:
            children.setdefault(plain(b).rsplit(".", 1)[-1], []).append(c)
    every, seen, queue = list(direct), {c.name for c in direct}, [c.name for c in direct]
    while queue:
        for child in children.get(queue.pop(), []):
            if child.name not in seen:
                seen.add(child.name)
                every.append(child)
                queue.append(child.name)
    if not direct:
        return [f"   No class of the module names {name} among its bases."], ""
    listed = ", ".join(c.name for c in direct[:_SHOWN_CLASSES]) + (", ..." if len(direct) > _SHOWN_CLASSES else "")
    rows = [f"   Classes whose bases name {name}{' or a builtin subclass of it' if ancestor else ''}: "
            f"{len(direct)} ({listed})."]
    if len(every) != len(direct):
        more = ", ".join(c.name for c in every[len(direct):][:_SHOWN_CLASSES])
        rows.append(f"   With the classes that inherit from those: {len(every)} ({more} too).")
    rest = _SUBCLASSES_OF.sub(" ", asking)
    asks_count = (COUNT_ASKED.search(asking) is not None and _just(rest, defined)
                  and not says_more(rest, _SUBCLASSES_OF.sub(" ", question)))
    known = (len(defined) == len(found) and len(every) == len(direct)
             and not any(unseen(b) for c in found for b in c.bases))
    if _WHICH_KIND.match(asking) and not COUNT_ASKED.search(asking):
        # "What class is derived from Route?": one class asked for, offered when one names it
        # and nothing is built on that one in turn ("directly or indirectly" may mean it too).
        one = len(direct) == 1 and (len(every) == 1 or directly) and name in defined and len(defined) == len(found)
        return rows, direct[0].name if one and _asks_one_built_on(asking, name) else ""
    return rows, str(len(direct)) if asks_count and known else ""


_NO_BASE = re.compile(r"\b(?:without\s+(?:any\s+)?|no\s+|not\s+(?:have|name|list)\s+(?:any|a)\s+)(?:base|parent|super)"
                      r"(?:\s+class(?:es)?)?\b(?!\s+(?:other\s+than|but|except|besides|of|named)\b)"
                      r"|\b(?:does\s+not|doesn't|do\s+not|don't)\s+inherit\b(?!\s+(?:from|of)\s+(?!anything|any\b)\w)",
                      re.IGNORECASE)
"""A question about the classes declared with no base ("declared without any base class")."""
_FEWEST = re.compile(r"\b(?:fewest|least|smallest)\b", re.IGNORECASE)
_NESTED = re.compile(r"\b(?:classes|class)\s+(?:nested|defined|declared)\s+(?:inside|within|in)\b"
                     r"|\bnested\s+classes\b|\binner\s+classes\b", re.IGNORECASE)
"""A question about the classes a class declares in its body ("the most classes nested inside its body")."""


def _shape_look(found: list[_Class], asking: str) -> tuple[list[str], str] | None:
    """A question asking which module-level class has no base, or has the most classes nested
    in its body: the classes that do, counted, and the one asked for when one answers it; None
    for any other question. Read from the parse, as no search for its words finds it ("base",
    "nested" are written in none of the lines that answer)."""
    if _NO_BASE.search(asking):
        bare = [c.name for c in found if not c.bases]
        listed = ", ".join(bare[:_SHOWN_CLASSES]) + (", ..." if len(bare) > _SHOWN_CLASSES else "")
        rows = [f"   Module-level classes declared with no base class: {len(bare)}" + (f" ({listed})." if bare else ".")]
        return rows, bare[0] if len(bare) == 1 else ""
    if _NESTED.search(asking) and SUPERLATIVE.search(asking):
        nested = Counter({c.name: c.nested for c in found if c.nested})
        if not nested:
            return ["   No module-level class declares a class in its body."], ""
        top = nested.most_common(_SHOWN_CLASSES)
        rows = ["   Module-level classes by the classes declared in their own body: "
                + ", ".join(f"{name} {n}" for name, n in top) + ("." if len(nested) <= _SHOWN_CLASSES else ", ...")]
        lead = len(top) == 1 or top[0][1] > top[1][1]
        return rows, top[0][0] if lead and not _FEWEST.search(asking) else ""
    return None


def _read(node: ast.ClassDef) -> _Class:
    defs = [b for b in node.body if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef))]
    inits = [d.args for d in defs if d.name == "__init__"]
    attributes = tuple((t.id, _clipped(ast.unparse(b.value)))
                       for b in node.body if isinstance(b, (ast.Assign, ast.AnnAssign)) and b.value is not None
                       for t in (b.targets if isinstance(b, ast.Assign) else [b.target]) if isinstance(t, ast.Name))
    nested = sum(1 for b in node.body if isinstance(b, ast.ClassDef))
    return _Class(node.name, node.lineno, tuple(ast.unparse(b) for b in node.bases), tuple(d.name for d in defs),
                  inits[-1] if inits else None, len(inits), bool(node.decorator_list), attributes, nested)


_VALUE_SHOWN = 60


def _clipped(value: str) -> str:
    return value if len(value) <= _VALUE_SHOWN else value[: _VALUE_SHOWN - 3] + "..."


def _attribute_asked(c: _Class, asking: str) -> str:
    """What the class's own body assigns to the attribute the question names in words ("what
    visit name does that parent class declare": `__visit_name__ = "large_binary"`), two or
    more of its words joined by "_", dunders or not; "" for none."""
    words = re.findall(r"[a-z]+", asking.lower())
    names = {"_".join(words[k:k + size]) for size in (3, 2) for k in range(len(words) - size + 1)}
    told = [f"{name} = {value}" for name, value in c.attributes if name.strip("_").lower() in names]
    return f" Its body sets {'; '.join(told)}." if told else ""


def _module_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements a module runs at its top level, those under an `if`, `try` or `with`
    there too (`if sys.version_info >= ...: class ...`); not those in a class or a function."""
    out: list[ast.stmt] = []
    for node in body:
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            inner = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            inner += [s for h in getattr(node, "handlers", []) for s in h.body]
            out += _module_level(inner)
        else:
            out.append(node)
    return out


def _module_classes(body: list[ast.stmt]) -> list[ast.ClassDef]:
    return [n for n in _module_level(body) if isinstance(n, ast.ClassDef)]


_JUST_WORDS = frozenset(
    "how many which what class classes method methods does do did the a an this that its it in of on is are has "
    "have define defines defined declare declares declared own body module file here code source most fewest "
    "least largest smallest biggest greatest number parameters parameter arguments argument accept accepts "
    "take takes __init__ constructor initializer initialiser not counting self besides excluding without "
    "can be passed pass given when constructing construct instantiating instantiate creating create instance object "
    "except parent base super subclass another ones counted count one".split())
"""The words of a question asking just a class's count of methods or parameters, or the ranking."""
_RELATION_WORDS = frozenset("inherits inherit inheriting directly from that which class's parent's".split())
"""The words by which a question names the class it asks about through another: "Group
inherits directly from another class. How many methods does that parent class define?"."""


def _just(asking: str, names: set[str], words: frozenset[str] = _JUST_WORDS) -> bool:
    """Whether each word of the question is one of `words` or a class's name: "public",
    "static", "required" or "new" methods and parameters are fewer than all of them."""
    return all(w.lower().removesuffix("'s") in words or w in names or w.removesuffix("'s") in names
               for w in re.findall(r"[\w']+", asking))


def _told(c: _Class) -> str:
    """One class as the look says it: where, its bases, its methods, its `__init__`."""
    bases = f"({', '.join(c.bases)})" if c.bases else ""
    names = ", ".join(c.methods[:_SHOWN_METHODS]) + (f" and {len(c.methods) - _SHOWN_METHODS} more"
                                                    if len(c.methods) > _SHOWN_METHODS else "")
    n = len(c.methods)
    line = f"   class {c.name}{bases} (line {c.line}): {n} method{'' if n == 1 else 's'} in its own body"
    line += f": {names}." if names else "."
    if c.init is not None:
        taken = _parameters(c.init)
        told = f"{taken} parameters besides self" if taken is not None else "any number (*args or **kwargs)"
        line += f" Its __init__({_signature(c.init)}) takes {told}."
    return line


def _signature(args: ast.arguments) -> str:
    """A method's parameters by name, as `def` writes them without annotations or defaults."""
    named = [a.arg for a in [*args.posonlyargs, *args.args]]
    named += [f"*{args.vararg.arg}"] if args.vararg else (["*"] if args.kwonlyargs else [])
    named += [a.arg for a in args.kwonlyargs]
    named += [f"**{args.kwarg.arg}"] if args.kwarg else []
    return ", ".join(named)


def _parameters(args: ast.arguments | None) -> int | None:
    """How many parameters a method takes besides `self`; None when it also takes *args or
    **kwargs (how many is then no number), or has no `self`."""
    if args is None or args.vararg or args.kwarg:
        return None
    positional = [*args.posonlyargs, *args.args]
    if not positional or positional[0].arg != "self":
        return None
    return len(positional) - 1 + len(args.kwonlyargs)


def _required(args: ast.arguments | None) -> int | None:
    """How many arguments a call of `__init__` must pass (parameters besides `self` with no
    default); 0 for no `__init__` of its own or inherited, None when it has no `self`."""
    if args is None:
        return 0
    positional = [*args.posonlyargs, *args.args]
    if not positional or positional[0].arg != "self":
        return None
    bare = len(positional) - 1 - len(args.defaults)
    return max(bare, 0) + sum(d is None for d in args.kw_defaults)


def _required_of(c: _Class, classes: dict[str, _Class]) -> int | None:
    """How many arguments making an instance of `c` requires (`_required` of the `__init__` it
    is made by: its own, else its nearest base's in this module); None when that cannot be
    read here: a class a decorator makes (`@dataclass` writes its own `__init__`), or one whose
    bases leave the module before an `__init__` (review)."""
    seen: set[str] = set()
    while c.init is None and c.name not in seen:
        seen.add(c.name)
        if c.decorated:
            return None
        bases = [_base_name(b) for b in c.bases if b != "object"]
        if not bases:
            return 0
        if bases[0] not in classes:
            return None
        c = classes[bases[0]]
    return None if c.decorated else _required(c.init)


_NOT_NEEDED = re.compile(r"\b(?:doesn'?t|does\s+not|don'?t|do\s+not|never|no)\s+(?:need|require|take)", re.IGNORECASE)
"""A question asking for the ones that need no argument (review)."""
_ARGUMENT = re.compile(r"\b(?:arguments?|parameters?|args)\b", re.IGNORECASE)
_NEEDS_ARGUMENT = re.compile(r"\b(?:can'?t|cannot|can\s+not|couldn'?t)\s+be\s+(?:instantiated|created|constructed|made|called)\s+"
                             r"without\b|\b(?:requires?|needs?|must\s+(?:be\s+)?(?:given|passed|pass))\s+(?:an?\s+|at\s+least\s+one\s+)?"
                             r"(?:arguments?|parameters?)\b", re.IGNORECASE)
"""A question asking for the one class that must be given an argument to be made."""


def _ranked(classes: list[_Class], asking: str, question: str) -> tuple[list[str], str]:
    """Every class by how many methods its own body defines, the most first (the fewest first
    for "fewest" or "least"), and the first when it is no tie."""
    fewest = re.search(r"\b(?:fewest|least|smallest|lowest)\b", asking, re.IGNORECASE) is not None
    order = sorted(classes, key=lambda c: (len(c.methods) if fewest else -len(c.methods), c.line))
    told = ", ".join(f"{c.name} {len(c.methods)}" for c in order[:_SHOWN_CLASSES])
    more = f" and {len(order) - _SHOWN_CLASSES} more" if len(order) > _SHOWN_CLASSES else ""
    rows = [f"   Its {len(order)} classes by methods defined in their own body"
            f"{' (fewest first)' if fewest else ''}: {told}{more}."]
    tie = len(order) > 1 and len(order[0].methods) == len(order[1].methods)
    by_names = sorted(classes, key=lambda c: (len(set(c.methods)) if fewest else -len(set(c.methods)), c.line))
    if len(order) > 1 and (by_names[0] is not order[0] or len(set(by_names[0].methods)) == len(set(by_names[1].methods))):
        tie = True  # a name defined twice (a property's setter, @overload): by defs or by names, not one answer
    plain = not says_more(asking.replace("module", ""), question)
    return rows, order[0].name if not tie and plain and len(order) > 1 else ""


_PUBLIC = re.compile(r"\bpublic\b|\b(?:don't|do\s+not|doesn't|does\s+not)\s+(?:start|begin)\s+with\s+(?:an?\s+)?underscore",
                     re.IGNORECASE)
_PRIVATE = re.compile(r"\bprivate\b|\b(?:start|begin)s?\s+with\s+(?:an?\s+)?underscore", re.IGNORECASE)
_FUNCTIONS = re.compile(r"\bfunctions?\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|no|excluding|except|without|besides|other\s+than)\b|n't\b", re.IGNORECASE)
_TOP = re.compile(r"\b(?:top[\s-]?level|module[\s-]?level|at\s+the\s+top\s+level)\b", re.IGNORECASE)
_FUNCTION_WORDS = _JUST_WORDS | frozenset(
    "functions function top level top-level module-level defined i.e e.g names name public private their its don't "
    "do start starts begin begins with underscore find file which at there i e g ie eg".split())
_SHOWN_FUNCTIONS = 5


_LENGTH = re.compile(r"\b(?:(?P<top>longest|largest|biggest|most\s+lines)|shortest|fewest\s+lines)\b"
                     r"(?!\s+(?:name|names|line|docstring|comment|parameter|argument|signature|string|call)\b)",
                     re.IGNORECASE)
"""A question ranking functions by their length in lines, and its direction; not by the length
of something else of theirs ("the longest name")."""
_LENGTH_WORDS = frozenset("longest largest biggest shortest fewest most lines line long counting counted count from "
                          "to through its their def statement last end ending first including".split())


def _asks_functions(text: str, asking: str) -> bool:
    """Whether a question about a module's functions says public or private, or asks which
    takes the most parameters or is the longest."""
    return (bool(_FUNCTIONS.search(asking)) and len(text) <= _PARSED_UP_TO and "def " in text
            and bool(_PUBLIC.search(asking) or _PRIVATE.search(asking) or _widest(asking) or _LENGTH.search(asking)))


def _widest(asking: str) -> bool:
    return bool(_PARAMETERS.search(asking) and re.search(r"\bmost\b", asking, re.IGNORECASE))


def function_look(text: str, asking: str, question: str, tree: ast.Module | None = None) -> tuple[list[str], str]:
    """For a question about a module's top-level functions that says public or private, or asks
    which takes the most parameters: how many are public (no leading underscore) and private,
    and the functions ranked by their parameters (as `inspect` counts them: *args and **kwargs
    one each); the count asked when the question asks just it. ([], "") otherwise. `tree`: the
    text already parsed, if it was."""
    if not _asks_functions(text, asking) or (tree := tree or _parsed(text)) is None:
        return [], ""
    public_asked, private_asked = _PUBLIC.search(asking), _PRIVATE.search(asking) and not _PUBLIC.search(asking)
    widest = _widest(asking)
    functions = _module_functions(tree.body)
    if not functions:
        return [], ""
    if len({f.name for f in functions}) != len(functions):
        return [], ""  # a name defined twice (@overload, an if/else per platform): counted by defs or names?
    public = [f for f in functions if not f.name.startswith("_")]
    rows = [f"   Its {len(functions)} module-level functions: {len(public)} public (no leading underscore), "
            f"{len(functions) - len(public)} private."]
    plain = _just(asking, set(), _FUNCTION_WORDS)
    if _NEGATED.search(_PRIVATE.sub(" ", _PUBLIC.sub(" ", asking))):
        plain = False  # "not counting private ones": the others, or a count this does not say
    # Methods and nested functions are functions too, unless the question says top level.
    every = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(tree))
    top_level = every == len(functions) or _TOP.search(asking) is not None
    if widest:
        pool = public if public_asked else [f for f in functions if f.name.startswith("_")] if private_asked else functions
        order = sorted(pool, key=lambda f: (-_taken(f.args), f.lineno))
        told = ", ".join(f"{f.name} {_taken(f.args)}" for f in order[:_SHOWN_FUNCTIONS])
        rows.append(f"   The {'public ' if public_asked else 'private ' if private_asked else ''}ones by parameters "
                    f"(*args and **kwargs one each), the most first: {told}.")
        if len(order) < 2 or _taken(order[0].args) == _taken(order[1].args) or not plain or not top_level:
            return rows, ""
        top = order[0]
        return rows, (str(_taken(top.args)) if COUNT_ASKED.search(asking) else top.name)
    if (length := _LENGTH.search(asking)) is not None:
        # "Which module-level function is the longest": its lines from the def to its last,
        # as `ast` ends it (decorators are not counted: they stand above the def).
        pool = public if public_asked else [f for f in functions if f.name.startswith("_")] if private_asked else functions
        order = sorted(pool, key=lambda f: ((-1 if length.group("top") else 1) * _lines(f), f.lineno))
        told = ", ".join(f"{f.name} {_lines(f)}" for f in order[:_SHOWN_FUNCTIONS])
        first = "longest" if length.group("top") else "shortest"
        rows.append(f"   The {'public ' if public_asked else 'private ' if private_asked else ''}ones by lines "
                    f"(from the def line to the last), the {first} first: {told}.")
        if len(order) < 2 or _lines(order[0]) == _lines(order[1]) or not top_level:
            return rows, ""
        if not _just(asking, set(), _FUNCTION_WORDS | _LENGTH_WORDS) or _NEGATED.search(asking):
            return rows, ""  # "not counting private functions": the others, which this did not rank
        return rows, (str(_lines(order[0])) if COUNT_ASKED.search(asking) else order[0].name)
    if not COUNT_ASKED.search(asking) or not plain or not top_level:
        return rows, ""
    return rows, str(len(public) if public_asked else len(functions) - len(public))


def _lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return (node.end_lineno or node.lineno) - node.lineno + 1


_RAISES = re.compile(r"\b(?:raise[sd]?|raising|throws?|thrown|throwing)\b", re.IGNORECASE)
_EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Abort)\b")
_RAISE_WORDS = frozenset("how many places does do this file module code raise raises raised raising throw throws "
                         "thrown a an the in of times statements statement total".split())


def _raised_name(text: str, asking: str) -> str:
    """The exception a question counting raises names ("How many places raise a TypeError?"),
    when the module raises it; "" otherwise."""
    if not (COUNT_ASKED.search(asking) and _RAISES.search(asking)) or len(text) > _PARSED_UP_TO:
        return ""
    names = set(_EXCEPTION_NAME.findall(asking))
    return next(iter(names)) if len(names) == 1 and f"raise {next(iter(names))}" in text else ""


def raise_look(tree: ast.Module, name: str, asking: str) -> tuple[list[str], str]:
    """For a question counting the places that raise `name`: the raise statements whose
    exception is it, by name, called or not (`raise TypeError(...)`, `raise errors.TypeError`),
    a bare re-raise not among them; the count when the question asks just that. Searched, the
    line `raise TypeError` is also written in docstrings and comments."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            written = raised.id if isinstance(raised, ast.Name) else raised.attr if isinstance(raised, ast.Attribute) else ""
            if written == name:
                lines.append(node.lineno)
    if not lines:
        return [], ""
    shown = ", ".join(str(n) for n in sorted(lines)[:_SHOWN_METHODS])
    rows = [f"   It raises {name} in {len(lines)} raise statement{'s' if len(lines) != 1 else ''} "
            f"(docstrings and comments aside), at lines {shown}{', ...' if len(lines) > _SHOWN_METHODS else ''}."]
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", asking)} - {name.lower()}
    return rows, str(len(lines)) if words <= _RAISE_WORDS else ""


def _module_functions(body: list[ast.stmt]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in _module_level(body) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _taken(args: ast.arguments) -> int:
    """A function's parameters as `inspect.signature` counts them."""
    return (len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs) + (args.vararg is not None)
            + (args.kwarg is not None))
