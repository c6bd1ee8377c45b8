"""The release that first wrote of a thing (`recursor.look_first`)."""

from __future__ import annotations

from recursor.look_first import first_release
from recursor.orient import orientation


def _changelog(newest_first: bool = True) -> str:
    """A changelog written for this test: eight releases, the feature added in 1.10 (after 1.9,
    so no string order finds it) and named again in two later ones."""
    entries = {
        "1.2": ["Fixed a crash on empty bodies."],
        "1.9": ["Added retries for idempotent requests.", "Compressed responses are decoded lazily."],
        "1.10": ["Added support for Zorbo content encoding.", "Fixed compressed chunked responses."],
        "1.11": ["Documented timeouts."],
        "2.0": ["Zorbo decoder now streams.", "Dropped Python 3.7."],
        "2.1": ["Faster header parsing."],
        "2.2": ["Fixed Zorbo decoding of empty frames."],
        "2.3": ["Compressed uploads."],
    }
    versions = list(entries)[::-1] if newest_first else list(entries)
    parts = []
    for i, v in enumerate(versions):
        title = f"{v} (2020-0{1 + i % 9}-15)"
        parts.append(f"{title}\n{'=' * len(title)}\n\n" + "\n".join(f"* {e}" for e in entries[v]) + "\n")
    return "\n".join(parts)


def test_the_oldest_release_whose_entries_name_the_thing_is_the_first() -> None:
    for newest_first in (True, False):
        text = _changelog(newest_first)
        look = orientation(text, "Which release first let it decompress responses compressed with Zorbo?")
        assert look.counted == "1.10", newest_first
        assert "the oldest of them is 1.10" in look.text and "Added support for Zorbo" in look.text


def test_the_thing_is_the_questions_name_not_its_everyday_words() -> None:
    text = _changelog()
    counts = [("compressed", 3), ("Zorbo", 3), ("responses", 2)]
    first = first_release(text, "Which version first added support for Zorbo compressed responses?", counts)
    assert first is not None and first.version == "1.10"
    # Without a name, the rarest of its words: "retries" is written under 1.9 only.
    first = first_release(text, "Since which version does it do retries?", [("retries", 1), ("does", 0)])
    assert first is not None and first.version == "1.9"


def test_other_questions_texts_without_releases_and_unwritten_things_get_no_release() -> None:
    text = _changelog()
    assert first_release(text, "What does the 2.0 release drop?", [("Python", 1)]) is None
    assert first_release(text, "Which release first added Quux?", [("Quux", 0)]) is None
    prose = "# Guide\n\n## Install\n\nRun it.\n\n## Use\n\nZorbo is on.\n\n## Tune\n\nZorbo is fast.\n"
    assert first_release(prose, "Which release first added Zorbo?", [("Zorbo", 2)]) is None
