"""The word tables a question's words are looked up in: base forms, short forms, synonyms."""

from __future__ import annotations

import pytest

from recursor.line_kinds import cut_line
from recursor.short_forms import short_form_rx, short_forms
from recursor.synonyms import synonyms
from recursor.word_bases import base_forms


@pytest.mark.parametrize(("word", "base"), [
    ("Uploaded", "upload"), ("denied", "deny"), ("retries", "retry"), ("closing", "close"),
    ("stopped", "stop"), ("indexes", "index"), ("configurations", "configuration"), ("bought", "buy"),
])
def test_a_words_base_form_is_among_its_candidates(word: str, base: str) -> None:
    assert base in base_forms(word)


def test_a_short_word_keeps_three_letters_and_the_word_itself_comes_first() -> None:
    assert base_forms("used") == ("used", "use")  # not "us": "-ed" leaves two letters
    assert base_forms("Saved")[0] == "saved"


def test_short_forms_and_synonyms_read_any_ending_through_one_table_of_bases() -> None:
    assert short_forms("Booleans") == ("bool",)
    assert short_forms("uploaded") == ("STOR", "STOU", "APPE")
    assert short_forms("indexes") == ("idx",)
    assert short_forms("queries") == ()
    assert short_forms("largest") == ("max",) and short_forms("smallest") == ()  # not "min": minutes
    assert synonyms("saved") == ("store", "persist")
    assert synonyms("stopped") == ("halt", "terminate")
    assert synonyms("denied") == ("refuse", "reject", "decline")
    assert synonyms("crashed") == ()


@pytest.mark.parametrize(("line", "found"), [
    ("optional bool enabled = 3;", True),
    ("BOOL x", True),
    ("two bools here", True),
    ("boolean_value = 1", False),
    ("import app.bool", False),
    ("see bool.py", False),
    ("/usr/lib/bool/x", False),
    ("not a boolean", False),
])
def test_a_short_form_is_found_as_a_word_of_its_own_only(line: str, found: bool) -> None:
    assert (short_form_rx("bool").search(line) is not None) is found


def test_an_ftp_command_is_found_as_the_log_writes_it_and_not_inside_a_path() -> None:
    rx = short_form_rx("STOR")
    assert rx.search("[dana] STOR /srv/dana/fin-0174.psd completed=1")
    assert not rx.search("[dana] RETR /srv/STOR/x completed=1")


def test_a_cut_line_is_stripped_and_says_it_was_cut() -> None:
    assert cut_line("  short  ", 20) == "short"
    assert cut_line("x" * 30, 10) == "xxxxxxx..."
    assert len(cut_line("y" * 200, 50)) == 50


def test_irregular_pasts_are_read_both_ways() -> None:
    from recursor.word_bases import base_forms, irregular_forms

    assert "pay" in base_forms("paid") and irregular_forms("pay") == ("paid",)
    assert set(irregular_forms("take")) == {"took", "taken"} and irregular_forms("upload") == ()
    assert synonyms("settled") == ("pay",) and synonyms("paid") == ("settle",)


def test_turning_away_is_refusing_in_any_tense_but_not_turning_away_from() -> None:
    from recursor.synonyms import plain_idioms

    assert plain_idioms("How many samples did the lab turn away when they arrived?") == (
        "How many samples did the lab refuse when they arrived?")
    assert plain_idioms("How many orders got turned away?") == "How many orders got refused?"
    assert plain_idioms("It turns away bad requests") == "It refuses bad requests"
    assert plain_idioms("She turned away from the screen") == "She turned away from the screen"
