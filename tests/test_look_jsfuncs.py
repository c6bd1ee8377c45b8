"""A JavaScript file's functions read by their definitions (`recursor.look_jsfuncs`)."""

from __future__ import annotations

from recursor.look_jsfuncs import js_functions, js_look
from recursor.orient import orientation

SOURCE = """;(function(){
/**
 * A tiny search library. function fake(a, b, c) { is a comment }
 */
var lib = function (config) {
  return config
}

lib.Vector = function (elements) {
  this.elements = elements || []
}

lib.Vector.prototype.insert = function (idx, val) {
  this.upsert(idx, val, function () { throw "duplicate index" })
}

lib.Vector.prototype.upsert = function (idx, val, fn) {
  var s = "}{ not a brace"
  var re = /[{}]+/g
  if (idx > 0) {
    this.elements[idx] = fn(val)
  }
  return this
}

lib.Index.prototype.search = function (q, a, b) {
  var out = []
  for (var i = 0; i < 3; i++) {
    out.push(i)
  }
  // a } in a comment
  return out
}

var helpers = {
  trim: function (s) {
    return s.trim()
  }
}

class Pipeline {
  run(tokens) {
    if (tokens) {
      return tokens
    }
  }
}
})();
"""


def test_definitions_are_read_with_their_parameters_and_closing_braces() -> None:
    found = {f.name: f for f in js_functions(SOURCE)}
    assert set(found) >= {"lib", "lib.Vector", "lib.Vector.prototype.upsert", "lib.Index.prototype.search", "trim", "run"}
    assert "fake" not in found  # a comment's text is no definition
    upsert = found["lib.Vector.prototype.upsert"]
    assert upsert.parameters == 3 and upsert.lines == 8  # a brace in a string or a regex closes nothing
    assert found["lib.Index.prototype.search"].lines == 8 and found["run"].parameters == 1


def test_the_longest_and_a_types_method_of_n_parameters_are_offered() -> None:
    rows, top = js_look(SOURCE, "Which function in this file is the longest?")
    assert top == ""  # upsert and search are 8 lines each: a tie
    assert "the longest, from the definition's line" in rows[0] and "(lines 17-24)" in rows[0]
    longer = SOURCE.replace("    out.push(i)\n", "    out.push(i)\n    out.push(-i)\n")
    assert js_look(longer, "Which function in this file is the longest?")[1] == "lib.Index.prototype.search"
    rows, one = js_look(SOURCE, "Which method of the Vector type takes exactly three arguments?")
    assert one == "upsert" and "of those of Vector (2)" in rows[0]
    # Two functions of three parameters when no type is named: told, not offered.
    assert js_look(SOURCE, "Which function takes exactly three arguments?")[1] == ""
    assert js_look(SOURCE, "Which private method of Vector takes exactly three arguments?")[1] == ""
    assert orientation(SOURCE, "Which method of the Vector type takes exactly three arguments?").counted == "upsert"


def test_review_regexes_after_words_divisions_and_parameter_lists_are_read_as_javascript() -> None:
    pad = "".join(f"function p{i}(x) {{\n  return x;\n}}\n" for i in range(4))
    js = (pad + "function validate(s) {\n" + "  s = s.trim();\n" * 11 + "  return /^[{]/.test(s) && /'/.test(s);\n}\n"
          + "function small(a) {\n" + "  if (a++ / 2 > 1) {\n    a--;\n  }\n" * 1 + "}\n")
    found = {f.name: f for f in js_functions(js)}
    assert found["validate"].lines == 14 and found["small"].lines == 5
    assert js_look(js, "Which function is the longest?")[1] == "validate"
    js2 = pad + "function draw({x, y}, [w, h], z = f(1, 2)) {\n  return x;\n}\nfunction move(a, b, c) {\n  return a;\n}\n"
    found = {f.name: f for f in js_functions(js2)}
    assert found["draw"].parameters == 3 and found["move"].parameters == 3
    assert js_look(js2, "Which function takes exactly four arguments?")[1] == ""
