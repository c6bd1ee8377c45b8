"""Signals a question names in words are found as logs write them (`recursor.signal_names`)."""

from __future__ import annotations

from recursor.orient import orientation
from recursor.signal_names import signal_names


def test_a_signal_in_words_is_its_standard_name() -> None:
    assert signal_names("One test crashed with a segmentation fault.") == [("segmentation fault", "SIGSEGV", "SEGV")]
    assert signal_names("after the master got a hang-up") == [("hang-up", "SIGHUP")]  # "HUP" alone: a word
    assert signal_names("How many times was the build interrupted?") == [("interrupted", "SIGINT")]
    assert signal_names("How many tests passed?") == []


def test_the_look_finds_the_signal_where_the_text_writes_no_such_words() -> None:
    log = "\n".join([*(f"{i}/9 unit - lib:t{i}  OK  0.1s" for i in range(1, 8)),
                     "8/9 unit - lib:neg_index  FAIL  0.07s  killed by signal 11 SIGSEGV",
                     "9/9 unit - lib:fsync  FAIL  0.07s  killed by signal 6 SIGABRT"]) + "\n"
    look = orientation(log, "One test crashed with a segmentation fault. Which test was it?")
    assert "'SIGSEGV' (the question's 'segmentation fault'): 1 line:" in look.text
    assert "'segmentation'" not in look.text.split("Not in the text")[-1]
    # Words the text writes are found as asked.
    written = log + "note: a segmentation fault is reported as SIGSEGV\n"
    assert "'SIGSEGV' (the question's" not in orientation(written, "Which segmentation fault came first?").text
    assert "(the question's 'hang-up')" in orientation("Handling signal: SIGHUP\n" * 3, "When was the hang-up sent?").text
    # `int` in C source is no SIGINT.
    source = "int main(void) {\n  int x = 0;\n  return x;\n}\n" * 10
    assert "(the question's 'interrupted')" not in orientation(source, "How many times was the build interrupted?").text
