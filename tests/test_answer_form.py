"""Answers rounded as the question asks (`recursor.answer_form`)."""

from __future__ import annotations

from recursor.answer_form import rounded_as_asked


def test_a_plain_number_is_rounded_as_the_question_asks() -> None:
    assert rounded_as_asked("722.0874", "What is the lowest elevation, rounded to the nearest metre?") == "722"
    assert rounded_as_asked("722.5", "... rounded to the nearest whole number?") == "723"
    assert rounded_as_asked("-2.5", "... rounded to the nearest integer") == "-3"  # half away from zero
    assert rounded_as_asked("3.14159", "Give it rounded to two decimal places.") == "3.14"
    assert rounded_as_asked("3.14159", "Round it to the nearest hundredth.") == "3.14"
    assert rounded_as_asked("1234", "How many, rounded to the nearest hundred?") == "1200"


def test_other_answers_and_questions_are_left_as_they_are() -> None:
    assert rounded_as_asked("722.0874", "What is the lowest elevation on that track?") == "722.0874"
    assert rounded_as_asked("about 722.08 m", "rounded to the nearest metre?") == "about 722.08 m"
    assert rounded_as_asked("12", "rounded to the nearest metre?") == "12"
