"""The look's outline of a list in sections (`look_sections.sections_look`)."""

from __future__ import annotations

import random

from recursor.look_sections import sections_look
from recursor.orient import orientation


def _listing(seed: int = 3) -> tuple[str, dict[str, int]]:
    """A listing in XKB's shape, written here: '! kind' heads over indented name/description items."""
    rng = random.Random(seed)
    sizes = {"model": rng.randint(20, 60), "layout": rng.randint(10, 30), "variant": rng.randint(40, 90)}
    parts = []
    for kind, n in sizes.items():
        parts.append(f"! {kind}")
        parts += [f"  {kind[:2]}{i:<12} Some {kind.title()} number {i}" for i in range(n)]
        parts.append("")
    return "\n".join(parts), sizes


def test_the_items_of_the_section_a_question_names_are_counted() -> None:
    text, sizes = _listing()
    look = sections_look(text, "How many models are listed?")
    assert look is not None and look.counted == str(sizes["model"])
    assert "'! variant' " + str(sizes["variant"]) in look.rows[0]
    assert orientation(text, "How many models does this list include?").counted == str(sizes["model"])
    # Two sections named, or a qualifier: shown, not offered.
    assert sections_look(text, "How many variants of the Ukrainian layout are there?").counted == ""  # type: ignore[union-attr]
    assert sections_look(text, "How many keyboard models are listed?").counted == ""  # type: ignore[union-attr]


def test_code_and_prose_are_no_sections() -> None:
    module = "\n".join(f"def f{i}(x):\n    y = x + {i}\n    return y\n" for i in range(20))
    assert sections_look(module, "How many functions are defined?") is None
    prose = "\n".join(f"Paragraph {i} starts here.\n  and goes on indented." for i in range(3))
    assert sections_look(prose, "How many paragraphs?") is None  # too few lines


def test_the_items_under_a_head_are_read_by_the_under_helper() -> None:
    from recursor.sandbox.helpers import under

    text, sizes = _listing()
    look = orientation(text, "How many keyboard models does this list include?")
    assert look.start == "len(under('! model'))" and look.counted == ""  # "keyboard" may filter: a step
    assert len(under("! model", text=text)) == sizes["model"]
    assert under("!  model ", text=text) == under("! model", text=text)  # spaces aside
    assert under("! nothing", text=text) == []


def test_a_deeper_line_belongs_to_the_item_above_it() -> None:
    text = ("Fruits\n  Apple\n    Gala\n    Fuji\n  Banana\n  Cherry\n    Morello\n"
            "models:\n  - name: a\n    size: 1\n  - name: b\n    size: 2\n  - name: c\n    size: 3\n"
            "OPTIONS\n       -i     Ignore case distinctions in patterns and input data,\n"
            "              so that characters that differ only in case match.\n"
            "       -v     Invert the sense of matching.\n       -w     Select only whole words.\n")
    assert sections_look(text, "How many fruits are listed?").counted == "3"  # type: ignore[union-attr]
    assert sections_look(text, "How many models are listed?").counted == "3"  # type: ignore[union-attr]
    assert sections_look(text, "How many options are there?").counted == "3"  # type: ignore[union-attr]
    from recursor.sandbox.helpers import under
    assert [x.strip() for x in under("Fruits", text=text)] == ["Apple", "Banana", "Cherry"]
