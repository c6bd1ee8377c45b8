"""A C header's function declarations counted by what they return, and its enums by their size."""

from __future__ import annotations

from recursor.look_cdecl import decl_look, prototypes
from recursor.look_enum import enum_look
from recursor.orient import orientation

HEADER = """\
#ifndef ZB_H
#define ZB_H
#define ZB_API __attribute__((visibility("default")))
/* bool zb_commented(void); is no declaration */
typedef struct ZbNode { bool named; uint32_t depth; } ZbNode;
typedef bool (*ZbFilter)(const ZbNode *node);
typedef enum ZbKind { ZbKindLeaf, ZbKindInner, ZbKindRoot } ZbKind;
typedef enum { ZbLogParse, ZbLogLex } ZbLogType;
enum ZbError {
  ZbErrorNone = 0,
  ZbErrorSyntax,
#ifdef ZB_WASM
  ZbErrorWasm,
#endif
  ZbErrorOther,
};

ZB_API bool zb_node_is_named(ZbNode self);
ZB_API bool zb_node_eq(ZbNode self, ZbNode other);
bool zb_tree_walk(ZbNode *root,
                  ZbFilter filter);
void zb_tree_delete(ZbNode *root);
const char *zb_node_type(ZbNode self);
uint32_t zb_node_depth(ZbNode self);
ZbNode *zb_node_parent(ZbNode self);
static inline bool zb_inline_check(int x);
#endif
"""


def test_declarations_are_read_by_cs_grammar_not_by_lines_holding_the_type() -> None:
    protos = {p.name: p.returns for p in prototypes(HEADER)}
    assert protos == {"zb_node_is_named": "bool", "zb_node_eq": "bool", "zb_tree_walk": "bool",
                      "zb_tree_delete": "void", "zb_node_type": "char *", "zb_node_depth": "uint32_t",
                      "zb_node_parent": "ZbNode *", "zb_inline_check": "bool"}
    look = decl_look(HEADER, "How many functions declared in this header return a boolean?")
    # Not the struct's field, the callback type or the comment: four declarations.
    assert look is not None and look.counted == "4" and "zb_tree_walk" in look.rows[0]
    look = decl_look(HEADER, "How many functions return a pointer?")
    assert look is not None and look.counted == "2"
    assert decl_look(HEADER, "How many functions return a ZbNode?") is None  # none returns one by value
    assert decl_look(HEADER, "Which function returns the depth?") is None  # no count
    assert orientation(HEADER, "How many of the declared functions return bool?").counted == "4"


def test_a_declaration_the_grammar_does_not_read_leaves_the_count_shown_not_offered() -> None:
    # A macro's call in the head (`ZB_DEPRECATED("...")`): the plainer line count disagrees.
    header = HEADER + 'ZB_DEPRECATED("use zb_node_eq") bool zb_node_same(ZbNode a, ZbNode b);\n'
    look = decl_look(header, "How many functions declared in this header return a boolean?")
    assert look is not None and look.counted == "" and "4 return bool" in look.rows[0]


def test_an_enum_is_found_by_how_many_members_it_has() -> None:
    plain = HEADER.replace("#ifdef ZB_WASM\n", "").replace("#endif\n  ZbErrorOther", "  ZbErrorOther")
    look = enum_look(plain, "Which enumeration type in this header defines exactly three constants?")
    assert look is not None and look.counted == "ZbKind"
    # ZbError's member under #if: it has 3 or 4 as compiled, so neither size picks one enum.
    assert enum_look(HEADER, "Which enum has exactly three constants?") is None
    assert enum_look(HEADER, "Which enum has 4 members?") is None
    assert enum_look(HEADER, "Which enum has two values?").counted == "ZbLogType"  # type: ignore[union-attr]
    assert enum_look(plain, "Which enum has 4 members?").counted == "ZbError"  # type: ignore[union-attr]
    # A comparison is no size; an enum in a comment is none; C++'s `enum class` is one.
    for question in ("Which enum has more than three members?", "Which enum has three members or more?",
                     "Which enum does not have three members?"):
        assert enum_look(plain, question) is None, question
    commented = "/* enum ex { X1, X2, X3 }; */\nenum A { A1, A2 };\nenum class S : int { S1, S2, S3 };\n"
    assert enum_look(commented, "Which enum has exactly three members?").counted == "S"  # type: ignore[union-attr]
    assert enum_look(HEADER, "Which enum has two values?").counted == "ZbLogType"  # type: ignore[union-attr]
    assert enum_look(HEADER, "Which enum defines exactly five constants?") is None


def test_macros_around_the_type_and_questions_asking_more_are_read_or_left() -> None:
    # Review: a calling-convention macro after the type, a capitals type before one, `FILE *`.
    z = ("ZEXTERN int ZEXPORT deflate(void *s);\nZEXTERN int ZEXPORT inflate(void *s);\nint gzputs(void *f);\n"
         "FILE *fopen(const char *p);\nchar *fgets(char *s);\nBOOL WINAPI CloseHandle(HANDLE h);\n")
    assert {p.name: p.returns for p in prototypes(z)}["deflate"] == "int"
    assert {p.name: p.returns for p in prototypes(z)}["fopen"] == "FILE *"
    assert {p.name: p.returns for p in prototypes(z)}["CloseHandle"] == "BOOL"
    assert decl_look(z, "How many functions return an int?").counted == "3"  # type: ignore[union-attr]
    assert decl_look(z, "How many functions return a pointer?").counted == "2"  # type: ignore[union-attr]
    # A negation, a second type, a pointer to the type, or a condition on parameters: not read.
    for question in ("How many functions do not return an int?", "How many functions don't return an int?", "How many functions return an int or a bool?",
                     "How many functions return an int pointer?", "How many functions that return an int take no arguments?"):
        assert decl_look(z, question) is None, question


def test_a_long_text_with_unclosed_comment_marks_is_read_in_linear_time() -> None:
    import time

    text = "int a(void);\nint b(void);\nint c(void);\n" + "cp src/*.c build/\n" * 20_000
    started = time.process_time()
    look = decl_look(text, "How many functions return an int?")
    assert time.process_time() - started < 2.0 and look is not None
