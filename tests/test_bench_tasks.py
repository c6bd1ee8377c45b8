"""recursor.bench: generators are deterministic, sized right, and their gold is really right.

Gold is recomputed here independently wherever possible: needles are found with regular
expressions, OOLONG lines are re-parsed and their labels looked up in the raw TREC files,
and CodeQA answers are re-derived from the files' source in the context.
"""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest

import recursor.bench as bench
from recursor.bench import (
    Gold,
    Task,
    codeqa,
    generate,
    iter_tasks,
    oolong,
    oolong_pairs,
    score,
    sniah,
    twohop,
)
from recursor.bench._haystack import NOISE, stdlib_files
from recursor.bench.scoring import pair_f1, parse_choice, parse_number, parse_pairs
from recursor.errors import UserError

FAMILIES = ["sniah", "twohop", "oolong", "oolong_pairs", "codeqa", "realdocs"]
SMALL = 2**13
SHARED_TREC = Path(__file__).resolve().parents[2] / "shared" / "data" / "trec"
PACKAGED_TREC = Path(bench.__file__).parent / "data"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9-]+", text.lower())


def four_grams(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + 4]) for i in range(len(w) - 3)}


# --- registry, determinism, sizes ---------------------------------------------------------


def test_public_api_is_exactly_all() -> None:
    public = {
        name
        for name, value in vars(bench).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert set(bench.__all__) == public
    assert set(bench.TASK_FAMILIES) == set(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_same_seed_same_tasks_other_seed_other_tasks(family: str) -> None:
    first = generate(family, length_tokens=SMALL, n=2, seed=7)
    assert first == generate(family, length_tokens=SMALL, n=2, seed=7)
    other = generate(family, length_tokens=SMALL, n=2, seed=8)
    assert [t.context for t in first] != [t.context for t in other]
    assert len({t.id for t in first + other}) == 4
    # Task i does not depend on how many tasks were asked for.
    alone = bench.TASK_FAMILIES[family](length_tokens=SMALL, seed=7, index=1)
    assert alone == first[1]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("length", "tolerance"), [(2**10, 0.05), (SMALL, 0.01), (2**14, 0.01)])
def test_context_size_close_to_and_never_over_the_request(
    family: str, length: int, tolerance: float
) -> None:
    for task in iter_tasks(family, length_tokens=length, n=3, seed=0):
        tokens = len(task.context) / bench.CHARS_PER_TOKEN
        assert (1 - tolerance) * length <= tokens <= length
        assert task.length_tokens == length and task.family == family
        assert task.context.isascii()


@pytest.mark.parametrize("family", ["sniah", "twohop"])
def test_needle_tasks_at_a_million_tokens(family: str) -> None:
    for task in generate(family, length_tokens=2**20, n=2, seed=0):
        assert abs(len(task.context) / 4 - 2**20) <= 0.001 * 2**20
        assert score(task.gold, task.gold.answer) == 1.0


def test_bad_requests_raise_user_errors() -> None:
    with pytest.raises(UserError, match="unknown task family"):
        generate("nope", length_tokens=SMALL, n=1, seed=0)
    with pytest.raises(UserError, match="too short"):
        generate("sniah", length_tokens=100, n=1, seed=0)
    with pytest.raises(UserError, match="codeqa cannot fill"):
        generate("codeqa", length_tokens=10_000_000, n=1, seed=0)


@pytest.mark.parametrize("family", FAMILIES)
def test_reference_answer_scores_full_marks(family: str) -> None:
    for task in generate(family, length_tokens=SMALL, n=10, seed=1):
        assert score(task.gold, task.gold.answer) == 1.0, task.id


# --- needles --------------------------------------------------------------------------------

NEEDLE_RE = re.compile(r"One of the special magic numbers for (\S+) is: (\d{7})\.")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sniah_needle_present_once_and_gold_right(seed: int) -> None:
    for task in generate("sniah", length_tokens=SMALL, n=4, seed=seed):
        [(key, value)] = NEEDLE_RE.findall(task.context)
        assert task.gold.values == (value,)
        assert key in task.question and value not in task.question
        assert task.context.count(key) == 1 and task.context.count(value) == 1
        rest = NEEDLE_RE.sub("", task.context)
        if task.meta["haystack"] == "noise":
            assert set(re.split(r"(?<=\.) +", rest.strip())) <= set(NOISE.split(". ")) | {
                s + "." for s in NOISE.rstrip(".").split(". ")
            }
        else:
            corpus_lines = {line for f in stdlib_files() for line in f.text.splitlines()}
            assert all(line in corpus_lines for line in rest.splitlines() if line)


def test_sniah_depth_follows_seed() -> None:
    depths = [t.meta["depth"] for t in generate("sniah", length_tokens=SMALL, n=8, seed=0)]
    assert len(set(depths)) == 8 and min(depths) < 0.5 < max(depths)
    for task in generate("sniah", length_tokens=SMALL, n=4, seed=0):
        position = task.context.index(task.meta["needle"]) / len(task.context)
        assert abs(position - task.meta["depth"]) < 0.01


def test_questions_are_paraphrased() -> None:
    needle = sniah.NEEDLE.format(key="calm-otter", value="1234567")
    for template in sniah.QUESTIONS:
        assert not four_grams(template.format(key="calm-otter")) & four_grams(needle)
    hops = twohop.FIRST_HOP.format(key="calm-otter", codename="Zephyr") + " "
    hops += twohop.SECOND_HOP.format(codename="Zephyr", value="1234567")
    for template in twohop.QUESTIONS:
        question = template.format(key="calm-otter")
        assert not four_grams(question) & four_grams(hops)
        assert "Zephyr" not in question
    for task in generate("sniah", length_tokens=SMALL, n=6, seed=0):
        assert not four_grams(task.question) & four_grams(task.meta["needle"])


def test_twohop_chain_resolves_to_gold_and_decoys_score_zero() -> None:
    for task in generate("twohop", length_tokens=SMALL, n=4, seed=3):
        key = next(k for k in re.findall(r"[a-z]+-[a-z]+", task.question))
        [codename] = re.findall(rf"The project codename for {key} is (\w+)\.", task.context)
        [value] = re.findall(rf"The launch code for {codename} is (\d{{7}})\.", task.context)
        assert task.gold.values == (value,)
        codes = re.findall(r"The launch code for \w+ is (\d{7})\.", task.context)
        assert len(codes) == twohop.DECOYS + 1 == len(set(codes))
        assert set(task.gold.distractors) == set(codes) - {value}
        for sentence in task.meta["needles"]:
            assert task.context.count(sentence) == 1
        assert score(task.gold, f"The code is {value}.") == 1.0
        assert score(task.gold, f"{value} or maybe {task.gold.distractors[0]}") == 0.0


# --- OOLONG ---------------------------------------------------------------------------------

LINE_RE = re.compile(r"Date: (\w{3} \d{1,2}, \d{4}) \|\| User: (\d+) \|\| Instance: (.*)")
TREC_NAMES = {
    "NUM": "numeric value",
    "ENTY": "entity",
    "LOC": "location",
    "DESC": "description and abstract concept",
    "ABBR": "abbreviation",
    "HUM": "human being",
}


def raw_trec_labels() -> dict[str, str]:
    """Question text -> label name, straight from the TREC files (the shared copy if any)."""
    folder = SHARED_TREC if SHARED_TREC.is_dir() else PACKAGED_TREC
    labels: dict[str, str] = {}
    for name in ("train_5500.label", "TREC_10.label"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            coarse, _, text = line.partition(" ")
            labels.setdefault(text, TREC_NAMES[coarse.split(":")[0]])
    return labels


Row = tuple[date, int, str]


def parse_rows(context: str) -> list[Row]:
    labels = raw_trec_labels()
    rows = []
    for line in context.splitlines():
        match = LINE_RE.fullmatch(line)
        assert match, line
        day = datetime.strptime(match[1], "%b %d, %Y").date()
        rows.append((day, int(match[2]), labels[match[3]]))
    return rows


def expected_oolong(question: str, rows: list[Row]) -> tuple[str, set[str]]:
    """The scorer kind and accepted answers, worked out from the question text alone."""
    if user := re.search(r"of user (\d+)", question):
        rows = [r for r in rows if r[1] == int(user[1])]
    if span := re.search(r"dated from (\w+ \d+, \d+) to (\w+ \d+, \d+)", question):
        first, last = (datetime.strptime(s, "%b %d, %Y").date() for s in span.groups())
        rows = [r for r in rows if first <= r[0] <= last]
    counts = Counter({name: 0 for name in TREC_NAMES.values()}) + Counter(r[2] for r in rows)
    for name in TREC_NAMES.values():
        counts.setdefault(name, 0)
    if count := re.search(r"How many instances.* have the label (.+?)\?", question):
        return "numeric", {str(counts[count[1]])}
    if pair := re.search(r"is the label (.+) more common, .* as the label (.+?)\?", question, re.I):
        a, b = counts[pair[1]], counts[pair[2]]
        return "phrase", {"more common" if a > b else "less common" if a < b else "same frequency"}
    ranked = sorted(set(counts.values()), reverse=True)
    if "second most common" in question:
        target = sorted(counts.values(), reverse=True)[1]
    elif "least common" in question:
        target = ranked[-1]
    else:
        assert "most common" in question
        target = ranked[0]
    return "exact", {name for name, n in counts.items() if n == target}


@pytest.mark.parametrize("seed", [0, 1])
def test_oolong_gold_matches_an_independent_recount(seed: int) -> None:
    tasks = generate("oolong", length_tokens=SMALL, n=len(oolong.QUESTION_KINDS), seed=seed)
    assert {t.meta["kind"] for t in tasks} == set(oolong.QUESTION_KINDS)
    for task in tasks:
        rows = parse_rows(task.context)
        scorer, accepted = expected_oolong(task.question.split("\n\n")[-1], rows)
        assert (task.gold.scorer, set(task.gold.values)) == (scorer, accepted), task.id


@pytest.mark.parametrize("index", [0, 5, 9])
def test_oolong_task_lines_is_the_state_make_task_asks_from(index: int) -> None:
    """benchmarks/oolong_ceiling.py re-asks from task_lines' generator with relabelled rows."""
    task = oolong.make_task(length_tokens=SMALL, seed=3, index=index)
    rng, instances, context, kind = oolong.task_lines(length_tokens=SMALL, seed=3, index=index)
    assert context == task.context and kind == task.meta["kind"]
    state = rng.getstate()
    question, gold, _ = oolong.QUESTION_KINDS[kind](rng, instances)
    assert oolong.PREAMBLE + question == task.question and gold == task.gold
    rng.setstate(state)  # the same picks again; a labeller that swaps two labels moves the gold
    a = str(task.meta.get("label", "entity"))
    b = next(label for label in oolong.LABELS.values() if label != a)
    swapped = [replace(i, label={a: b, b: a}.get(i.label, i.label)) for i in instances]
    again, relabelled, _ = oolong.QUESTION_KINDS[kind](rng, swapped)
    assert again == question  # the user, dates and labels asked about do not move
    if kind == "count":  # the rows now labelled `a` are the ones that were `b`
        assert relabelled.answer == str(sum(i.label == b for i in instances))


def test_oolong_users_are_skewed_and_dates_in_span() -> None:
    [task] = generate("oolong", length_tokens=2**15, n=1, seed=0)
    rows = parse_rows(task.context)
    per_user = sorted(Counter(r[1] for r in rows).values(), reverse=True)
    top = per_user[: max(1, len(per_user) // 5)]
    assert 0.7 < sum(top) / len(rows) < 0.9
    assert all(oolong.FIRST_DAY <= r[0] <= oolong.LAST_DAY for r in rows)
    assert len({r[2] for r in rows}) == 6


def expected_pairs(
    rows: list[Row], first: Callable[..., bool], second: Callable[..., bool] | None
) -> set[tuple[int, int]]:
    by_user: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for day, user, label in rows:
        by_user[user].append((day, label))
    a = {u for u, items in by_user.items() if first(items)}
    b = a if second is None else {u for u, items in by_user.items() if second(items)}
    return {(min(x, y), max(x, y)) for x in a for y in b if x != y}


def n_with(items: list[tuple[date, str]], *labels: str) -> int:
    return sum(label in labels for _, label in items)


PAIR_CHECKS: dict[int, tuple[Callable[..., bool], Callable[..., bool] | None]] = {
    0: (lambda it: n_with(it, "numeric value", "location") >= 1, None),
    3: (
        lambda it: (
            n_with(it, "human being", "location") >= 1
            and all(d > date(2023, 1, 6) for d, label in it if label == "human being")
        ),
        None,
    ),
    11: (
        lambda it: n_with(it, "numeric value") >= 2,
        lambda it: n_with(it, "location") >= 1 and n_with(it, "human being") >= 1,
    ),
    18: (
        lambda it: n_with(it, "location") >= 2 and n_with(it, "entity") >= 1,
        lambda it: (
            n_with(it, "description and abstract concept") == 1 and n_with(it, "abbreviation") == 1
        ),
    ),
}


@pytest.mark.parametrize("index", sorted(PAIR_CHECKS))
def test_oolong_pairs_gold_matches_an_independent_recount(index: int) -> None:
    task = oolong_pairs.make_task(length_tokens=SMALL, seed=4, index=index)
    first, second = PAIR_CHECKS[index]
    expected = expected_pairs(parse_rows(task.context), first, second)
    assert expected and parse_pairs(task.gold.answer) == expected
    assert all(a < b for a, b in expected)


def condition_from_text(text: str) -> Callable[[list[tuple[date, str]]], bool]:
    """A user predicate read back from a question's wording (the rendered rule grammar)."""
    text = text.replace("description and abstract concept", "DESC")
    checks: list[Callable[[list[tuple[date, str]]], bool]] = []
    numbers = {"one": 1, "two": 2, "three": 3}
    for part in text.split(" and "):
        part = part.replace("DESC", "description and abstract concept")
        if count := re.fullmatch(r"(at least|exactly) (\w+) instances? with (.+)", part):
            labels, k = count[3].split(" or "), numbers[count[2]]
            exact = count[1] == "exactly"
            checks.append(
                lambda it, ls=labels, k=k, ex=exact: (
                    (n_with(it, *ls) == k) if ex else n_with(it, *ls) >= k
                )
            )
        else:
            no = re.fullmatch(r"no (.+) instance dated on or (before|after) (.+)", part)
            assert no, part
            day = datetime.strptime(no[3], "%b %d, %Y").date()
            checks.append(
                lambda it, lb=no[1], side=no[2], d=day: all(
                    (x > d if side == "before" else x < d) for x, label in it if label == lb
                )
            )
    return lambda items: all(check(items) for check in checks)


@pytest.mark.parametrize("index", range(20))
def test_every_pair_question_text_agrees_with_its_gold(index: int) -> None:
    task = oolong_pairs.make_task(length_tokens=SMALL, seed=2, index=index)
    condition = re.search(r"List all pairs of user ids where (.+?)\. Write", task.question)[1]  # type: ignore[index]
    if symmetric := re.fullmatch(r"each of the two users has (.+)", condition):
        first, second = condition_from_text(symmetric[1]), None
    else:
        sides = re.fullmatch(r"one user has (.+), and the other user has (.+)", condition)
        assert sides, condition
        first, second = condition_from_text(sides[1]), condition_from_text(sides[2])
    expected = expected_pairs(parse_rows(task.context), first, second)
    assert parse_pairs(task.gold.answer) == expected and expected


def test_oolong_pairs_questions_cover_all_twenty_and_read_right() -> None:
    texts = [q.text() for q in oolong_pairs.PAIR_QUESTIONS]
    assert len(set(texts)) == 20
    assert (
        texts[0] == "each of the two users has at least one instance with numeric value or location"
    )
    assert "no human being instance dated on or before Jan 6, 2023" in texts[3]
    assert texts[11].startswith(
        "one user has at least two instances with numeric value, and the other"
    )


# --- CodeQA ---------------------------------------------------------------------------------


def file_blocks(context: str) -> dict[str, str]:
    parts = re.split(r"^# File: (\S+)\n", context, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def options_of(task: Task) -> list[str]:
    return re.findall(r"^[A-D]\) (.*)$", task.question, flags=re.M)


def defs(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def imports_textually(source: str, module: str) -> bool:
    """Whether some line reads `import ..., module, ...` or `from module import ...`."""
    for line in source.splitlines():
        if found := re.match(r"\s*import (.+)", line):
            if module in (name.split(" as ")[0].strip() for name in found[1].split(",")):
                return True
        if re.match(rf"\s*from {re.escape(module)} import ", line):
            return True
    return False


def check_codeqa(task: Task, blocks: dict[str, str]) -> None:
    """Re-derive the right option from the source in the context; exactly one must be right."""
    trees = {path: ast.parse(text) for path, text in blocks.items()}
    question = task.question
    right = "ABCD".index(task.gold.values[0])
    options = options_of(task)
    kind = task.meta["kind"]
    if kind == "parameters":
        path, n = re.search(r"in `(\S+)` takes exactly (\d+)", question).groups()  # type: ignore[union-attr]
        top = {
            f.name: f
            for f in trees[path].body
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        a = lambda f: f.args  # noqa: E731
        count = {
            name: len(a(f).posonlyargs + a(f).args + a(f).kwonlyargs)
            + bool(a(f).vararg)
            + bool(a(f).kwarg)
            for name, f in top.items()
        }
        truth = [count[o.strip("`")] == int(n) for o in options]
    elif kind == "defines_method":
        method = re.search(r"method named `(\w+)`", question)[1]  # type: ignore[index]
        truth = []
        for option in options:
            cls, path = re.fullmatch(r"`(\w+)` in `(\S+)`", option).groups()  # type: ignore[union-attr]
            [node] = [
                n for n in ast.walk(trees[path]) if isinstance(n, ast.ClassDef) and n.name == cls
            ]
            truth.append(
                any(isinstance(m, ast.FunctionDef) and m.name == method for m in node.body)
            )
    elif kind == "imports_module":
        module = re.search(r"imports the module `([\w.]+)`", question)[1]  # type: ignore[index]
        truth = [imports_textually(blocks[o.strip("`")], module) for o in options]
    elif kind == "decorated_count":
        path = re.search(r"in `(\S+)`", question)[1]  # type: ignore[index]
        n = sum(1 for f in defs(trees[path]) if f.decorator_list)
        truth = [o == str(n) for o in options]
    else:
        assert kind == "method_count"
        cls, path = re.search(r"class `(\w+)` in `(\S+)`", question).groups()  # type: ignore[union-attr]
        [node] = [n for n in ast.walk(trees[path]) if isinstance(n, ast.ClassDef) and n.name == cls]
        n = sum(isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) for m in node.body)
        truth = [o == str(n) for o in options]
    assert truth.count(True) == 1 and truth[right], (task.id, question, truth)


def test_codeqa_context_is_real_stdlib_files_and_gold_is_right() -> None:
    sources = {f.path: f.text for f in stdlib_files()}
    tasks = generate("codeqa", length_tokens=2**14, n=10, seed=0)
    assert {t.meta["kind"] for t in tasks} == set(codeqa.QUESTION_KINDS)
    for task in tasks:
        blocks = file_blocks(task.context)
        assert len(blocks) == task.meta["files"] > 1
        for path, text in blocks.items():
            assert text.rstrip("\n") == sources[path].rstrip("\n")
        check_codeqa(task, blocks)


def test_codeqa_gold_letters_are_not_biased() -> None:
    letters = Counter(t.gold.answer for t in generate("codeqa", length_tokens=SMALL, n=40, seed=5))
    assert set(letters) == set("ABCD") and max(letters.values()) <= 20


# --- scorers --------------------------------------------------------------------------------


def test_contains_scorer() -> None:
    gold = Gold(scorer="contains", answer="1234567", values=("1234567",))
    assert score(gold, "The magic number is 1234567.") == 1.0
    assert score(gold, "1234568") == 0.0
    words_gold = Gold(scorer="contains", answer="a", values=("Alpha", "Beta"))
    assert score(words_gold, "it was ALPHA") == 0.5
    decoyed = Gold(scorer="contains", answer="1", values=("1111111",), distractors=("2222222",))
    assert score(decoyed, "1111111 or 2222222") == 0.0


def test_numeric_scorer() -> None:
    gold = Gold(scorer="numeric", answer="42", values=("42",))
    assert score(gold, "42") == 1.0
    assert score(gold, "There are 41 such instances.") == 0.75
    assert score(gold, "Answer: 44") == pytest.approx(0.75**2)
    assert score(gold, "I counted 1540 lines. Answer: 42") == 1.0
    assert score(gold, "no idea") == 0.0
    assert parse_number("Answer: 1,234") == 1234.0


def test_exact_and_phrase_scorers() -> None:
    gold = Gold(scorer="exact", answer="location", values=("location",))
    assert score(gold, "Location.") == 1.0
    assert score(gold, "I think so.\nAnswer: location") == 1.0
    assert score(gold, "Label: LOCATION") == 1.0
    assert score(gold, "entity") == 0.0
    assert score(gold, "location or entity") == 0.0
    tie = Gold(scorer="exact", answer="entity", values=("entity", "human being"))
    assert score(tie, "Human being") == 1.0
    more = Gold(
        scorer="phrase", answer="more common", values=("more common",),
        distractors=("less common", "same frequency"),
    )  # fmt: skip
    assert score(more, "Answer: entity is more common than location") == 1.0
    assert score(more, "It is MORE COMMON.") == 1.0
    assert score(more, "less common") == 0.0
    assert score(more, "more common or less common") == 0.0


def test_pair_parsing_and_f1() -> None:
    gold = Gold(scorer="pairs_f1", answer="", values=("(1, 2)", "(1, 3)", "(2, 3)"))
    assert score(gold, "(1, 2)\n(1, 3)\n(2, 3)") == 1.0
    assert score(gold, "(3, 2) [1,3] (2, 1)") == 1.0  # any order, brackets, duplicates
    assert score(gold, "(1, 2)\n(3, 1)\n(4, 5)") == pytest.approx(2 / 3)
    assert score(gold, "(1, 2)") == pytest.approx(0.5)
    assert score(gold, "none") == 0.0
    assert parse_pairs("pairs:\n12345, 67890\n22222 and 11111\n(no more)") == {
        (12345, 67890),
        (11111, 22222),
    }
    assert parse_pairs("(7, 7)") == set()
    # A list of string tuples, printed as Python writes it, states the pairs as plainly.
    assert score(gold, "[('1', '2'), ('1', '3'), (\"2\", \"3\")]") == 1.0
    assert pair_f1(set(), set()) == 1.0
    assert pair_f1({(1, 2)}, set()) == 0.0


@pytest.mark.parametrize(
    ("answer", "letter"),
    [
        ("A", "A"),
        ("(B)", "B"),
        ("c", "C"),
        ("Answer: D", "D"),
        ("The answer is (C).", "C"),
        ("**B**", "B"),
        ("B) `framework_find`", "B"),
        ("A function is called here, so the correct option is C", "C"),
        ("Looking at the file...\nFinal answer: A", "A"),
        ("I am not sure", None),
    ],
)
def test_choice_parsing(answer: str, letter: str | None) -> None:
    assert parse_choice(answer) == letter
    gold = Gold(scorer="choice", answer="C", values=("C",))
    assert score(gold, answer) == float(letter == "C")


def test_a_choice_is_scored_by_its_letter_or_the_right_options_text() -> None:
    # The runs answered `as_file` or `Codec` where the question listed them as options.
    options = ("`IncrementalDecoder` in `encodings/utf_7.py`", "`Codec` in `encodings/cp858.py`",
               "`Codec` in `encodings/cp1125.py`", "`FixExec` in `lib2to3/fixes/fix_exec.py`")
    gold = Gold(scorer="choice", answer="A", values=("A", options[0]), distractors=options[1:])
    for answer, expected in (("A", 1.0), ("IncrementalDecoder", 1.0), ("`IncrementalDecoder`", 1.0),
                             ("IncrementalDecoder in encodings/utf_7.py", 1.0), ("FixExec", 0.0),
                             ("B", 0.0), ("IncrementalDecoder or FixExec", 0.0)):
        assert score(gold, answer) == expected, answer
    # A name two options start with names neither.
    two = Gold(scorer="choice", answer="B", values=("B", options[1]), distractors=(options[0], *options[2:]))
    assert score(two, "Codec") == 0.0 and score(two, "Codec in encodings/cp858.py") == 1.0
    # A real task's gold carries the texts; the letter still scores as before.
    task = codeqa.make_task(length_tokens=8192, seed=0, index=0)
    right = task.gold.values[1]
    assert task.gold.values[0] in "ABCD" and right in task.meta["options"]
    assert score(task.gold, right) == 1.0 and score(task.gold, task.gold.values[0]) == 1.0


# --- data -----------------------------------------------------------------------------------


def test_trec_copy_ships_in_the_package() -> None:
    for name in ("train_5500.label", "TREC_10.label", "README.md"):
        assert (PACKAGED_TREC / name).is_file()
    if SHARED_TREC.is_dir():
        for name in ("train_5500.label", "TREC_10.label"):
            assert (PACKAGED_TREC / name).read_bytes() == (SHARED_TREC / name).read_bytes()
    assert "Li & Roth, 2002" in (PACKAGED_TREC / "README.md").read_text()
    questions = oolong.trec_questions()
    assert len(questions) > 5800 and {label for _, label in questions} == set(TREC_NAMES.values())
