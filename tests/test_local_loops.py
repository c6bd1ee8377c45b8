"""The embedded model's loop guard: a reply that repeats itself is ended, an answer is not."""

from __future__ import annotations

from recursor.lm.local import repeating_tail


def test_a_block_of_lines_repeated_four_times_is_a_loop() -> None:
    lines = [101, 7, 55, 9, 13, 88, 2]  # one tokenised line, e.g. grep("Debian")\n
    assert repeating_tail([1, 2, 3] + lines * 4, start=3)
    assert not repeating_tail([1, 2, 3] + lines * 3, start=3)  # three times may be meant


def test_the_prompt_does_not_count_and_varied_output_is_no_loop() -> None:
    prompt = [5, 6, 7, 8, 9] * 10  # a repetitive prompt is not the model's loop
    assert not repeating_tail([*prompt, 1, 2, 3], start=len(prompt))
    assert not repeating_tail(list(range(500)))
    # A short repetition (a list of a few zeros) is left alone: a loop spans 20 tokens or more.
    assert not repeating_tail([0, 44] * 9)
    assert repeating_tail([0, 44] * 12)
