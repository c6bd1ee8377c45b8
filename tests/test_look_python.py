"""The first look's lines about a Python module's classes (`look_python.class_look`)."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

import recursor.sandbox.helpers as helpers_module
from recursor.look_python import class_look
from recursor.orient import orientation
from recursor.question import asking_part

_MODULE = textwrap.dedent('''
    """A module written for this test: classes, a base, overloads."""
    from typing import overload


    class Shape:
        """A base."""

        def __init__(self, name, colour="red", *, outline=False):
            self.name = name

        def area(self):
            return 0

        def describe(self):
            return "class Shape: def area"  # a def in a string is no method


    class Circle(Shape):
        def __init__(self, name, radius, **extra):
            super().__init__(name)

        def area(self):
            return 3.14 * self.radius ** 2

        def diameter(self):
            return 2 * self.radius

        async def fetch(self):
            return None

        class Meta:
            def inner(self):
                return 1


    class Argument(Shape):
        def parse(self):
            return []


    def helper(x):
        return x
''')


def _look(question: str) -> tuple[list[str], str]:
    return class_look(_MODULE, question, question)


def test_a_named_class_is_told_with_its_methods_its_init_and_its_base() -> None:
    rows, answer = _look("How many methods does the Circle class define?")
    assert answer == "4"  # __init__, area, diameter, fetch: not Meta's inner, nor Shape's
    assert rows[0].startswith("   class Circle(Shape) (line ")
    assert "Its __init__(self, name, radius, **extra) takes any number" in rows[0]
    assert rows[1].startswith("   its base class Shape (line ") and "takes 3 parameters besides self" in rows[1]


def test_the_parent_class_init_is_counted_without_self() -> None:
    _, answer = _look("Circle is a subclass of another class here. How many parameters does that parent "
                      "class's __init__ take, not counting self?")
    assert answer == "3"  # Shape.__init__(self, name, colour="red", *, outline): name, colour, outline
    # Circle's own __init__ takes **extra: no number of parameters.
    assert _look("How many parameters does Circle's __init__ take, not counting self?")[1] == ""


def test_a_class_named_like_a_word_is_not_that_word() -> None:
    _, answer = _look("How many methods does the Argument class define in its own body (inherited ones not counted)?")
    assert answer == "1"  # "Argument" asks no parameter count


def test_classes_are_ranked_by_their_own_methods() -> None:
    rows, answer = _look("Which class in this module defines the most methods?")
    assert answer == "Circle" and "Circle 4, Shape 3, Argument 1" in rows[0]
    rows, answer = _look("Which class defines the fewest methods?")
    assert answer == "Argument" and "(fewest first)" in rows[0]


def test_a_class_set_aside_is_left_out_of_the_ranking() -> None:
    rows, answer = _look("Apart from the Circle class, which class in this module defines the most methods?")
    assert answer == "Shape" and "Besides Circle, its 2 classes by methods defined in their own body: Shape 3, Argument 1" in rows[0]
    assert _look("Other than Circle, which class defines the most methods?")[1] == "Shape"
    # A class named but not set aside is asked about, not ranked.
    assert _look("Which class defines more methods than Circle?")[1] != "Shape"
    # Set aside, but the rest says more than a ranking: shown, not offered.
    assert _look("Apart from Circle, which class defines the most public methods?")[1] == ""


def test_the_base_two_named_classes_share_and_its_own_base() -> None:
    module = ("class Element:\n    pass\n\nclass Enhance(Element):\n    pass\n\n"
              "class _Multiple(Enhance):\n    def parse(self): pass\n\n"
              "class OneOrMore(_Multiple):\n    pass\n\nclass ZeroOrMore(_Multiple):\n    pass\n\nclass Opt(Enhance):\n    pass\n")
    q = "OneOrMore and ZeroOrMore share a private base class. Which class does that base class inherit from?"
    rows, answer = class_look(module, asking_part(q), q)
    assert answer == "Enhance" and rows[0] == "   OneOrMore and ZeroOrMore share the base _Multiple."
    q = "Which base class do OneOrMore and ZeroOrMore share?"
    assert class_look(module, q, q)[1] == "_Multiple"
    # No base in common, or not said to share one: nothing of the kind.
    q = "OneOrMore and Opt share a base class. Which class does that base class inherit from?"
    assert class_look(module, asking_part(q), q)[1] == ""
    q = "Which class do OneOrMore and ZeroOrMore inherit from?"
    assert "share the base" not in " ".join(class_look(module, q, q)[0])
    # Methods shared, or counted in common, are no base (review).
    for q in ("Which methods do OneOrMore and ZeroOrMore share?", "How many methods do OneOrMore and ZeroOrMore have in common?",
              "Do OneOrMore and ZeroOrMore share the parse method?"):
        assert "share the base" not in " ".join(class_look(module, asking_part(q), q)[0]), q


def test_the_subclass_whose_init_requires_an_argument() -> None:
    module = ("class Token:\n    def __init__(self):\n        pass\n\n"
              "class Position(Token):\n    def __init__(self):\n        pass\n\n"
              "class GoToColumn(Position):\n    def __init__(self, colno: int):\n        pass\n\n"
              "class LineStart(Position):\n    pass\n\n"
              "class LineEnd(Position):\n    def __init__(self, strict=False, *, sep=None):\n        pass\n")
    q = "Among the subclasses of Position, which one can't be instantiated without passing an argument?"
    rows, answer = class_look(module, asking_part(q), q)
    assert answer == "GoToColumn"
    assert rows[-1].endswith("requires (its own or inherited; ? when unknown): GoToColumn 1, LineStart 0, LineEnd 0.")
    q = "Which subclass of Position requires an argument?"
    assert class_look(module, q, q)[1] == "GoToColumn"
    # Asked for the ones that need none, or a class a decorator makes: nothing offered (review).
    assert class_look(module, "Which subclass of Position doesn't need an argument?", "x")[1] == ""
    made = module.replace("class LineStart(Position):", "@dataclass\nclass LineStart(Position):")
    assert class_look(made, q, q)[1] == "" and "LineStart ?" in class_look(made, q, q)[0][-1]
    outside = module.replace("class LineStart(Position):\n    pass", "class LineStart(threading.Thread):\n    pass")
    assert "LineStart" not in class_look(outside, q, q)[0][-1]  # no longer a subclass of Position
    # Two that require one: shown, none offered.
    two = module.replace("strict=False", "strict")
    assert class_look(two, q, q)[1] == ""


def test_review_a_set_aside_that_is_no_class_is_a_condition() -> None:
    module = ("class Parser:\n    def __init__(self): pass\n    def __repr__(self): return ''\n    def __eq__(self, o): return True\n"
              "    def _a(self): pass\n    def _b(self): pass\n    def parse(self): pass\n\n"
              "class Lexer:\n    def lex(self): pass\n    def peek(self): pass\n    def next(self): pass\n")
    q = "Which class defines the most methods, excluding private methods?"
    assert class_look(module, q, q)[1] == ""


def test_a_tie_or_a_question_about_no_class_offers_nothing() -> None:
    tied = "class A:\n    def f(self): pass\n\nclass B:\n    def g(self): pass\n"
    assert class_look(tied, "Which class defines the most methods?", "Which class defines the most methods?")[1] == ""
    assert _look("What does the area method of Circle return?")[1] == ""  # told, not counted
    assert _look("How many lines are there?") == ([], "")
    assert class_look("class A:\n  def (broken", "How many methods does A define?", "x") == ([], "")


def test_the_count_matches_ast_on_a_real_module() -> None:
    source = inspect.getsource(helpers_module)
    tree = ast.parse(source)
    record = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Record")
    gold = sum(isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef)) for b in record.body)
    q = "How many methods does the Record class define?"
    assert class_look(source, q, q)[1] == str(gold)


@pytest.mark.parametrize("question", ["Which class in this module defines the most methods?"])
def test_the_orientation_offers_the_ranking(question: str) -> None:
    look = orientation(_MODULE, question)
    assert look.counted == "Circle" and "by methods defined in their own body" in look.text


def test_what_a_subclass_has_may_be_inherited_so_only_what_it_defines_is_counted() -> None:
    assert _look("How many methods does Circle have?")[1] == ""  # Shape's too?
    assert _look("How many methods does Circle define?")[1] == "4"


@pytest.mark.parametrize("question", [
    "How many public methods does the Circle class define?", "How many async methods does Circle define?",
    "How many new methods does Circle define?", "How many required parameters does Shape's __init__ take besides self?",
    "Which class has the most methods (counting inherited methods)?", "Which class has the most static methods?",
])
def test_a_qualified_count_or_ranking_is_not_offered(question: str) -> None:
    assert _look(question)[1] == ""  # fewer than all of them, or more: not what was counted


_FUNCTIONS = textwrap.dedent('''
    import os


    def load(path, mode="r", *, encoding=None):
        return open(path)


    def save(path, data, *args, **kwargs):
        return None


    def _helper(x):
        return x


    class Thing:
        def method(self, a, b, c, d, e, f):
            return a
''')


def test_public_and_private_module_functions_are_counted_when_it_says_top_level() -> None:
    from recursor.look_python import function_look

    asked = "How many of the functions defined at the top level of this module are public, i.e. their names don't start with an underscore?"
    rows, answer = function_look(_FUNCTIONS, asked, asked)
    assert answer == "2" and "3 module-level functions: 2 public" in rows[0]
    assert function_look(_FUNCTIONS, "How many private functions are there?", "x")[1] == ""  # methods are functions too
    assert function_look(_FUNCTIONS, "How many top-level private functions are there?", "x")[1] == "1"
    widest = "Find the public module-level function in this file that takes the most parameters. How many parameters does it take?"
    rows, answer = function_look(_FUNCTIONS, widest, widest)
    assert answer == "4" and "save 4, load 3" in rows[1]  # *args and **kwargs one each; not Thing.method
    assert function_look(_FUNCTIONS, "How many public functions call open?", "x")[1] == ""


def test_the_longest_module_level_function_is_ranked_by_its_lines_from_the_def() -> None:
    from recursor.look_python import function_look

    extra = ("\n\n@decorated\ndef long_one(a):\n    x = 1\n    y = 2\n    return x + y\n\n\n"
             "def shorter(a):\n    return [\n        a]\n")
    asked = ("Which module-level function in this file is the longest, counting lines from its def line to its "
             "last line? Give the function's name.")
    rows, answer = function_look(_FUNCTIONS + extra, asking_part(asked), asked)
    assert answer == "long_one"  # 4 lines from its def; the decorator above it is not counted
    assert "the longest first: long_one 4, shorter 3, load 2, save 2, _helper 2." in rows[1]
    shortest = "Which module-level function is the shortest?"
    assert function_look(_FUNCTIONS + extra, shortest, shortest)[1] == ""  # three of 2 lines: a tie
    tied = extra.replace("    y = 2\n", "")
    assert function_look(_FUNCTIONS + tied, asking_part(asked), asked)[1] == ""  # 3 and 3
    # A question that says more than the ranking is shown it, not offered it.
    more = "Which module-level function that calls open is the longest?"
    assert function_look(_FUNCTIONS + extra, more, more)[1] == ""


def test_a_function_defined_twice_leaves_the_count_unoffered() -> None:
    from recursor.look_python import function_look

    module = ("import sys\nif sys.platform == 'win32':\n    def open_file(p):\n        return p\nelse:\n"
              "    def open_file(p):\n        return p\n\ndef helper():\n    pass\n")
    asked = "How many public top-level functions does this module define?"
    assert function_look(module, asked, asked)[1] == ""  # two open_file: one function or two?


_HIERARCHY = textwrap.dedent('''
    import typing
    from . import routing


    class BaseRoute:
        def matches(self): ...


    class Route(BaseRoute):
        pass


    class Mount(routing.BaseRoute):
        pass


    class Host(BaseRoute, typing.Generic[T]):
        pass


    class Error(Exception):
        pass


    class Sub(Route):  # inherits from BaseRoute through Route
        pass
''')


def test_the_classes_that_inherit_from_a_named_one_are_counted_when_both_readings_agree() -> None:
    rows, counted = class_look(_HIERARCHY, "How many classes in this module inherit from Exception?",
                               "How many classes in this module inherit from Exception?")
    assert "   Classes whose bases name Exception or a builtin subclass of it: 1 (Error)." in rows
    assert counted == ""  # routing.BaseRoute and typing.Generic are defined elsewhere: they may inherit from it
    question = "How many classes in this module inherit from BaseRoute?"
    rows, counted = class_look(_HIERARCHY, question, question)
    assert "   Classes whose bases name BaseRoute: 3 (Route, Mount, Host)." in rows
    assert any("With the classes that inherit from those: 4 (Sub too)" in r for r in rows)
    assert counted == ""  # 3 directly, 4 with Sub: the question does not say which
    flat = _HIERARCHY.replace("class Sub(Route):", "class Sub:")
    for asked in ("How many classes directly inherit from BaseRoute?", "How many of the classes here derive from BaseRoute?",
                  "How many classes are subclasses of BaseRoute?"):
        assert class_look(flat, asked, asked)[1] == "3", asked
    for asked in ("How many classes inherit from BaseRoute and define matches?",
                  "How many classes inherit from BaseRoute since version 2?"):
        assert class_look(flat, asked, asked)[1] == "", asked
    rows, counted = class_look(flat, "How many classes inherit from Widget?", "How many classes inherit from Widget?")
    assert counted == "" and rows == ["   No class of the module names Widget among its bases."]
    assert orientation(flat, "How many classes in this module inherit from BaseRoute?").counted == "3"
    # A builtin's subclasses count ("ValueError" inherits from Exception); one imported from
    # elsewhere may or may not: then no count is offered.
    errors = "class A(Exception):\n    pass\n\n\nclass B(ValueError):\n    pass\n\n\nclass C:\n    pass\n"
    asked = "How many classes inherit from Exception?"
    assert class_look(errors, asked, asked)[1] == "2"
    assert class_look(errors + "\n\nclass D(requests.HTTPError):\n    pass\n", asked, asked)[1] == ""


def test_the_one_class_built_on_a_named_one_is_offered_for_a_which_question() -> None:
    # "Which field type is built directly on top of the Nested field?": marshmallow's Pluck.
    question = "Which route type is built directly on top of the Route class?"
    rows, counted = class_look(_HIERARCHY, question, question)
    assert "   Classes whose bases name Route: 1 (Sub)." in rows and counted == "Sub"
    assert orientation(_HIERARCHY, "What class is derived from Route?").counted == "Sub"
    # Several, none, or a count: shown, not offered.
    several = "Which route type is built on BaseRoute?"
    rows, counted = class_look(_HIERARCHY, several, several)
    assert "   Classes whose bases name BaseRoute: 3 (Route, Mount, Host)." in rows and counted == ""
    assert class_look(_HIERARCHY, "Which class is built on Sub?", "Which class is built on Sub?")[1] == ""
    assert class_look(_HIERARCHY, "How many classes derive from Route?", "How many classes derive from Route?")[1] == "1"


def test_a_subclass_count_is_offered_only_for_classes_and_only_when_nothing_unseen_may_change_it() -> None:
    base = ("class BaseRoute:\n    def a(self): ...\n\n\nclass Route(BaseRoute):\n    def x(self): ...\n"
            "    def y(self): ...\n    def z(self): ...\n\n\nclass Mount(BaseRoute):\n    pass\n")
    for asked in ("How many methods does Route inherit from BaseRoute?",
                  "How many methods does the class that inherits from BaseRoute define?"):
        assert class_look(base, asked, asked)[1] != "2", asked  # methods asked, not classes
    for asked in ("Count the classes that inherit from BaseRoute.", "How many classes inherit from `routing.BaseRoute`?",
                  "How many classes extend BaseRoute?"):
        assert class_look(base, asked, asked)[1] == "2", asked
    errors = ("class AppError(Exception):\n    pass\n\n\nclass ParseError(ValueError):\n    pass\n\n\n"
              "class Timeout(TimeoutError):\n    pass\n")
    assert class_look(errors, "How many classes directly inherit from Exception?",
                      "How many classes directly inherit from Exception?")[1] == "1"
    assert class_look(errors, "How many classes inherit from Exception?", "How many classes inherit from Exception?")[1] == "3"
    asked = "How many classes inherit from Base?"
    meta = ("class Base:\n    pass\n\n\nclass A(Base):\n    pass\n\n\nclass B(with_metaclass(Meta, Base)):\n    pass\n\n\n"
            "Alias = Base\n\n\nclass C(Alias):\n    pass\n")
    assert class_look(meta, asked, asked)[1] == ""  # B and C may inherit from Base: not known here
    twice = ("class Base:\n    pass\n\n\ntry:\n    class Handler(Base):\n        pass\nexcept ImportError:\n"
             "    class Handler(Base):\n        pass\n\n\nclass Base2(Base):\n    pass\n")
    assert class_look(twice, asked, asked)[1] == ""  # Handler defined twice: 2 classes or 3?
    shadow = "class ConnectionError(Exception):\n    pass\n\n\nclass Refused(ConnectionError):\n    pass\n"
    assert class_look(shadow, "How many classes inherit from OSError?", "How many classes inherit from OSError?")[1] == ""
    chain = "class C0:\n    pass\n" + "".join(f"\n\nclass C{i}(C{i - 1}):\n    pass\n" for i in range(1, 1000))
    rows, _ = class_look(chain, "How many classes inherit from C0?", "How many classes inherit from C0?")
    assert "With the classes that inherit from those: 999" in rows[-1]


def test_the_places_that_raise_a_named_exception_are_counted_by_the_parser() -> None:
    module = '''"""Raises TypeError when misused.

    raise TypeError("in a docstring, not raised")
"""
import errors


def f(x):
    # raise TypeError here? No.
    if x is None:
        raise TypeError("x is None")
    if x == 1:
        raise errors.TypeError
    try:
        g(x)
    except TypeError:
        raise
    raise ValueError("bad")


def g(x):
    raise TypeError(
        "spread over lines")
'''
    look = orientation(module, "How many places in this file raise a TypeError?")
    assert look.counted == "3" and "It raises TypeError in 3 raise statements" in look.text
    # Another condition, or an exception the module never raises: shown at most, not offered.
    assert orientation(module, "How many places raise a TypeError when x is None?").counted == ""
    assert "raises KeyError" not in orientation(module, "How many places raise a KeyError?").text


def test_the_methods_of_a_named_classs_parent_are_counted_when_asked_through_it() -> None:
    module = ("class Base:\n    def a(self):\n        pass\n\n    def b(self):\n        pass\n\n    def c(self):\n        pass\n\n\n"
              "class Child(Base):\n    def a(self):\n        pass\n")
    asked = "Child inherits directly from another class defined here. How many methods does that parent class define?"
    assert orientation(module, asked).counted == "3"
    assert orientation(module, "How many methods does the parent class of Child define in its own body?").counted == "3"
    # A condition on the methods is another question.
    assert orientation(module, "How many methods that return None does the parent class of Child define?").counted == ""


def test_the_parameters_passed_when_constructing_a_class_are_its_inits() -> None:
    module = "class Console:\n    def __init__(self, *, width=80, height=25, record=False):\n        pass\n"
    assert orientation(module, "How many parameters can be passed when constructing a Console (not counting self)?"
                       ).counted == "3"


def test_a_classs_base_of_its_base_is_offered_when_the_question_goes_two_up() -> None:
    # "AwareDateTime is derived from another class. Which class does that one derive from?"
    for question in ("Sub is derived from another class. Which class does that one derive from?",
                     "What is the grandparent class of Sub?", "Which class is the base class's base of Sub?"):
        rows, counted = class_look(_HIERARCHY, question, question)
        assert counted == "BaseRoute" and any("its base class Route" in r for r in rows), question
    assert class_look(_HIERARCHY, "Which class does Sub derive from?", "Which class does Sub derive from?")[1] == ""
    # A base of two bases, or a base defined elsewhere, gives no one answer.
    two = _HIERARCHY + "\n\nclass Leaf(Host):\n    pass\n"
    assert class_look(two, "What is the grandparent class of Leaf?", "What is the grandparent class of Leaf?")[1] == ""


_MESSAGES = textwrap.dedent('''
    class Field:
        default_error_messages = {"required": "Missing.", "null": "None."}


    class String(Field):
        default_error_messages = {"invalid": "Not a string.", "invalid_utf8": "Bad."}


    class Number(Field):
        default_error_messages: dict[str, str] = {"invalid": "Not a number.", "too_large": "Big."}


    class Date(Field):
        default_error_messages = {"invalid": "Not a date.", "format": "Bad format."}
''')


def test_the_keys_of_a_dict_each_class_assigns_are_counted_by_the_classes_that_write_them() -> None:
    # marshmallow's fields: "which error-message key appears in the default error messages of
    # the most classes" is `invalid`, in the dicts of three classes.
    question = "Which error-message key appears in the default error messages of the most classes?"
    look = orientation(_MESSAGES, question)
    assert look.counted == "invalid"
    assert ("   4 classes assign a dict to default_error_messages; its keys by the classes that write each: "
            "'invalid' 3, ") in look.text
    assert orientation(_MESSAGES, "How many keys do the default error messages have?").counted == ""
    tied = _MESSAGES.replace('"invalid": "Not a date."', '"bad": "Not a date."').replace(
        '"invalid": "Not a number."', '"nan": "Not a number."')
    assert orientation(tied, question).counted == ""  # every key in one class: none leads
    # A class asked for, or the fewest: no key offered (review).
    assert orientation(_MESSAGES, "Which class has the most default error messages?").counted == ""
    assert orientation(_MESSAGES, "Which error-message key appears in the default error messages of the fewest "
                                  "classes?").counted == ""


def test_the_class_built_on_another_is_offered_only_for_a_question_of_one_with_nothing_more() -> None:
    # From a hostile review: plural, indirect, superlative or conditioned questions got one
    # direct subclass; "that one" after naming a class is that class, not a base's base.
    chain = ("class Base:\n    pass\n\n\nclass A(Base):\n    def m(self): ...\n\n\nclass B(A):\n    pass\n\n\n"
             "class C(B):\n    pass\n")
    for question in ("Which classes are subclasses of Base, directly or indirectly?",
                     "Which class is the most derived subclass of Base?",
                     "Which class is built on Base and has no methods?",
                     "Which class is built on Base?",  # A, and B and C through it
                     "The module defines class B. Which class does that one derive from?"):
        assert class_look(chain, question, question)[1] == "", question
    assert class_look(chain, "Which class is built directly on Base?", "Which class is built directly on Base?")[1] == "A"
    assert class_look(chain, "C is derived from another class. Which class does that one derive from?",
                      "C is derived from another class. Which class does that one derive from?")[1] == "A"


_SHAPES = textwrap.dedent("""
    class Base:
        __visit_name__ = "base"

    class JSON(Base):
        class A: pass
        class B: pass
        class C(A): pass

    class Enum(Base):
        class Comparator: pass

    class LargeBinary(Base):
        __visit_name__ = "large_binary"

    class BLOB(LargeBinary):
        __visit_name__ = "BLOB"
""")


def test_which_class_has_no_base_or_the_most_nested_classes_is_read_from_the_parse() -> None:
    question = "Which class in this module is declared without any base class at all?"
    rows, top = class_look(_SHAPES, asking_part(question), question)
    assert top == "Base" and rows == ["   Module-level classes declared with no base class: 1 (Base)."]
    question = "Which class in this module has the most classes nested inside its body?"
    rows, top = class_look(_SHAPES, asking_part(question), question)
    assert top == "JSON" and rows[0].endswith("JSON 3, Enum 1.")
    # The fewest, or a tie, offers nothing; two classes with no base name none.
    question = "Which class in this module has the fewest classes nested inside its body?"
    assert class_look(_SHAPES, asking_part(question), question)[1] == ""
    # "Which class doesn't inherit from Base?" names a base: no class without one is offered.
    question = "Which class doesn't inherit from Base?"
    assert class_look(_SHAPES, asking_part(question), question)[1] != "Base"
    two = _SHAPES + "\nclass Other:\n    pass\n"
    question = "Which class is declared without any base class?"
    assert class_look(two, asking_part(question), question)[1] == ""


def test_the_attribute_a_question_names_in_words_is_told_for_the_class_and_its_base() -> None:
    # "What visit name does that parent class declare?": `__visit_name__` of LargeBinary.
    question = "The BLOB type is built directly on another class in this module. What visit name does that parent class declare?"
    rows, _ = class_look(_SHAPES, asking_part(question), question)
    assert rows[0].endswith("Its body sets __visit_name__ = 'BLOB'.")
    assert rows[1].startswith("   its base class LargeBinary(Base)") and rows[1].endswith("__visit_name__ = 'large_binary'.")

