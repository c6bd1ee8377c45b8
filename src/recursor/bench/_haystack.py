"""Haystacks for needle tasks, and the Python standard library as a real-text corpus.

Two kinds of filler, as in RULER: the repeated noise paragraph, and real text. The real text
is the running interpreter's own standard library source, so it needs no download; it is read
in sorted path order and therefore identical for one Python version (record it with
`stdlib_version()`). Only ASCII files are used, which keeps every context at one byte a
character in memory (a 40M-character string with one non-ASCII character would take 4x).
"""

from __future__ import annotations

import functools
import random
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "ADJECTIVES",
    "CODENAMES",
    "NOISE",
    "NOUNS",
    "HaystackKind",
    "SourceFile",
    "fill",
    "insert",
    "pick_unused",
    "stdlib_files",
    "stdlib_text",
    "stdlib_version",
]

NOISE = "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."

HaystackKind = Literal["noise", "stdlib"]

ADJECTIVES = (
    "amber", "ancient", "bitter", "brave", "brittle", "calm", "clever", "crimson", "curious",
    "dusty", "eager", "elegant", "fading", "fierce", "fragile", "frozen", "gentle", "gilded",
    "glassy", "hollow", "humble", "icy", "jagged", "jolly", "lively", "lonely", "lucky",
    "mellow", "misty", "modest", "nimble", "noisy", "odd", "pale", "patient", "polished",
    "proud", "quiet", "rapid", "restless", "rusty", "sandy", "scarlet", "shy", "silent",
    "silver", "sleepy", "smoky", "solemn", "spotted", "steady", "stormy", "sturdy", "tidy",
    "timid", "velvet", "vivid", "wandering", "wary", "wild", "windy", "wise", "witty", "young",
)  # fmt: skip

NOUNS = (
    "anchor", "antelope", "apricot", "badger", "banjo", "barrel", "beacon", "biscuit",
    "bridge", "candle", "canyon", "cellar", "chimney", "compass", "cottage", "crater",
    "dolphin", "drum", "falcon", "fiddle", "garden", "glacier", "harbor", "hedgehog",
    "helmet", "island", "kettle", "ladder", "lantern", "lemon", "lighthouse", "meadow",
    "mirror", "monastery", "needle", "orchard", "otter", "paddle", "pebble", "pelican",
    "piano", "pigeon", "quarry", "raven", "ribbon", "saddle", "salmon", "shovel", "spoon",
    "squirrel", "stable", "teapot", "thimble", "tortoise", "trumpet", "tunnel", "umbrella",
    "valley", "violin", "walrus", "wagon", "whistle", "windmill", "zebra",
)  # fmt: skip

CODENAMES = (
    "Albatross", "Andromeda", "Basilisk", "Bluebell", "Bramble", "Cassiopeia", "Chinook",
    "Cobblestone", "Cormorant", "Cyclamen", "Dandelion", "Driftwood", "Edelweiss", "Everglade",
    "Firefly", "Foxglove", "Galleon", "Gardenia", "Goldcrest", "Gossamer", "Hawthorn",
    "Heliotrope", "Hyacinth", "Juniper", "Kestrel", "Kingfisher", "Labyrinth", "Larkspur",
    "Lodestar", "Mandolin", "Marigold", "Minotaur", "Monsoon", "Nightjar", "Obsidian",
    "Ocelot", "Oleander", "Palisade", "Periwinkle", "Quicksilver", "Rosemary", "Saffron",
    "Sandpiper", "Sassafras", "Snapdragon", "Starling", "Sycamore", "Tamarind", "Thistle",
    "Tourmaline", "Trillium", "Tumbleweed", "Verbena", "Wildflower", "Wolfsbane", "Zephyr",
)  # fmt: skip

_SKIPPED_DIRS = frozenset({"site-packages", "dist-packages", "test", "tests", "idle_test"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One standard library module: its path relative to the stdlib directory, and its source."""

    path: str
    text: str


def stdlib_version() -> str:
    """Which corpus `stdlib_files` reads; contexts built from it are identical per version."""
    return "python-{}.{}.{}-stdlib".format(*sys.version_info[:3])


@functools.cache
def stdlib_files() -> tuple[SourceFile, ...]:
    """The interpreter's own standard library modules, sorted by path.

    Test suites and installed packages are left out (they are not the library, and
    site-packages differs between machines), as are machine-specific build files and
    non-ASCII files.
    """
    root = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if any(part in _SKIPPED_DIRS or part.startswith("config-") for part in rel.parts[:-1]):
            continue
        if rel.name.startswith("_sysconfigdata"):
            continue
        data = path.read_bytes()
        if data.isascii() and data.strip():
            files.append(SourceFile(rel.as_posix(), data.decode("ascii")))
    return tuple(sorted(files, key=lambda f: f.path))


@functools.cache
def stdlib_text() -> str:
    """All of `stdlib_files` as one text, each file ending in a newline."""
    return "".join(f.text if f.text.endswith("\n") else f.text + "\n" for f in stdlib_files())


def pick_unused(
    rng: random.Random, candidates: Sequence[str], text: str, *, avoid: Iterable[str] = ()
) -> str:
    """A seeded choice among `candidates` that occurs nowhere in `text` and is not in `avoid`.

    Needle parts must be unique in the context, or the task has more than one answer.
    """
    taken = set(avoid)
    for _ in range(1000):
        choice = rng.choice(candidates)
        if choice not in taken and choice not in text:
            return choice
    raise RuntimeError("no unused candidate found; the word lists are too small for this text")


def fill(kind: HaystackKind, chars: int, rng: random.Random) -> str:
    """About `chars` characters of filler, ending at a sentence (noise) or line (stdlib) boundary.

    Built from a list of pieces joined once, so 40M characters take well under a second.
    """
    return _noise(chars) if kind == "noise" else _stdlib_window(chars, rng)


def _noise(chars: int) -> str:
    unit = NOISE + " "
    pieces = [unit] * (chars // len(unit))
    remaining = chars % len(unit)
    for sentence in (s + ". " for s in NOISE.removesuffix(".").split(". ")):
        if len(sentence) > remaining:
            break
        pieces.append(sentence)
        remaining -= len(sentence)
    return "".join(pieces)


def _stdlib_window(chars: int, rng: random.Random) -> str:
    """The corpus from a seeded line onwards, wrapping round to its start when it runs out."""
    corpus = stdlib_text()
    segment = corpus[corpus.find("\n", rng.randrange(len(corpus))) + 1 :]
    pieces: list[str] = []
    remaining = chars
    while remaining > 0:
        piece = segment[:remaining]
        pieces.append(piece)
        remaining -= len(piece)
        segment = corpus
    pieces[-1] = pieces[-1][: pieces[-1].rfind("\n") + 1]
    return "".join(pieces)


def insert(kind: HaystackKind, hay: str, needles: Sequence[tuple[float, str]]) -> str:
    """`hay` with each (depth, sentence) placed at the sentence or line boundary at that depth.

    Depth is the fraction of the filler before the needle: 0.0 the start, 1.0 the end.
    """
    boundary, sep = (". ", " ") if kind == "noise" else ("\n", "\n")

    def position(depth: float) -> int:
        if depth <= 0:
            return 0
        found = hay.find(boundary, int(depth * len(hay)))
        return len(hay) if found < 0 else found + len(boundary)

    pieces, prev = [], 0
    for pos, sentence in sorted((position(d), s) for d, s in needles):
        pieces += [hay[prev:pos], sentence + sep]
        prev = pos
    pieces.append(hay[prev:])
    return "".join(pieces)
