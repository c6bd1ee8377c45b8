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
    look = enum_look(HEADER, "Which enumeration type in this header defines exactly three constants?")
    assert look is not None and look.counted == "ZbKind"
    # Members under #if count as written: ZbError has four.
    look = enum_look(HEADER, "Which enum has 4 members?")
    assert look is not None and look.counted == "ZbError"
    assert enum_look(HEADER, "Which enum has two values?").counted == "ZbLogType"  # type: ignore[union-attr]
    assert enum_look(HEADER, "Which enum defines exactly five constants?") is None
