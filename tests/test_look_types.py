"""A source file's type declarations as a table for the query writer (`recursor.look_types`)."""

from __future__ import annotations

from tests.table_helpers import run_select

from recursor.look_types import types_table
from recursor.orient import orientation

DECLARATIONS = """/** Shapes. */
interface Shape {
    area(): number;
    /** a name; with a semicolon in a comment */
    readonly name: string;
    corners?: { x: number; y: number }[];
}

interface Box<T extends { id: string } = { id: "a;b" }> extends Shape {
    items: T[];
    open(): void;
}

export declare interface Named extends Shape, Box<string> {}

interface Empty {}

class Circle implements Shape {
    private r = 1;
    area(): number { return Math.PI * this.r * this.r; }
    get name(): string { return "circle"; }
}

enum Colour { Red, Green = "g", Blue }

struct Point;
"""


def test_type_declarations_are_rows_with_what_they_extend_and_how_many_members() -> None:
    question = "Which interface declares the most members?"
    table = types_table(DECLARATIONS, question)
    assert table is not None
    rows = run_select(table, "SELECT kind, name, type_parameters, extends, members FROM t ORDER BY line").rows
    assert rows == (("interface", "Shape", None, None, 3),
                    ("interface", "Box", '<T extends { id: string } = { id: "a;b" }>', "extends Shape", 2),
                    ("interface", "Named", None, "extends Shape, Box<string>", 0),
                    ("interface", "Empty", None, None, 0),
                    ("class", "Circle", None, "implements Shape", 3),
                    ("enum", "Colour", None, None, 3))
    # Offered to the query writer when the question names a kind of declaration and counts or ranks.
    assert orientation(DECLARATIONS, question).table is not None
    assert types_table(DECLARATIONS, "What does area return?") is None
    assert types_table("interface A {}\ninterface B {}\n", question) is None  # too few to be a table
