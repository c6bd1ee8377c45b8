"""Reading a question: the words of the code names it may write."""

from __future__ import annotations

from recursor.question import abbreviated, name_parts


def test_a_code_name_s_parts_are_its_words() -> None:
    assert name_parts("xmlParserErrors") == ["xml", "parser", "errors"]
    assert name_parts("HTTPServer") == ["http", "server"]
    assert name_parts("XML_SCHEMAP_WARN") == ["xml", "schemap", "warn"]


def test_a_code_name_s_part_may_abbreviate_words_run_together() -> None:
    words = ["maximum", "dimensions", "connections", "numpy", "count", "message"]
    assert abbreviated("maxdims", words) == {"maximum", "dimensions"}
    assert abbreviated("maxconn", words) == {"maximum", "connections"}
    assert abbreviated("npy", words) == {"numpy"} and abbreviated("cnt", words) == {"count"}
    assert abbreviated("msg", words) == {"message"}
    # Too few of a word's letters, a part left over, a word under five letters: none.
    assert abbreviated("dns", words) == set()
    assert abbreviated("maxdimsx", words) == set()
    assert abbreviated("get", ["gets"]) == set()
    assert abbreviated("x" * 40, words) == set()


def test_letters_in_order_are_a_shorter_word_s_first_letter_then_others_of_it_in_order() -> None:
    from recursor.question import letters_in_order

    assert letters_in_order("adbe", "adobe") and letters_in_order("dims", "dimensions")
    assert not letters_in_order("aapl", "apple")  # one "a" in "apple"
    assert not letters_in_order("adobe", "adobe") and not letters_in_order("dbe", "adobe") and not letters_in_order("", "a")
