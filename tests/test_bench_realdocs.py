"""recursor.bench realdocs: real files, deterministic tasks, and gold that a second, simpler
computation agrees with.

The generator parses documents into records (dpkg lines, apt runs, changelog entries, syntax
trees); the checks here re-derive each gold straight from the context text with regular
expressions (and, for code, by reading the def's header), without the generator's parsers.
"""

from __future__ import annotations

import ast
import gzip
import random
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from recursor.bench import Gold, Task, generate, iter_tasks, realdocs, score
from recursor.bench import _realdocs_sources as sources
from recursor.bench.cli import bench
from recursor.errors import UserError

M = re.MULTILINE
K32, K128 = 2**15, 2**17


@pytest.fixture(scope="module")
def tasks32() -> list[Task]:
    return generate("realdocs", length_tokens=K32, n=72, seed=0)


@pytest.fixture(scope="module")
def tasks128() -> list[Task]:
    return generate("realdocs", length_tokens=K128, n=24, seed=1)


def files_of(context: str) -> dict[str, str]:
    """Path -> text, split at the `# File: ` lines (each block ends in one extra newline)."""
    heads = list(re.finditer(r"^# File: (.*)\n", context, M))
    out = {}
    for head, after in zip(heads, [*heads[1:], None], strict=True):
        end = after.start() if after else len(context)
        out[head[1]] = context[head.end() : end - 1]
    return out


def asked_text(task: Task) -> str:
    files = files_of(task.context)
    return "".join(files[path] for path in task.meta["files"])


# --- the family as a whole ----------------------------------------------------------------


def test_same_seed_same_tasks_and_other_seed_other_tasks() -> None:
    first = generate("realdocs", length_tokens=2**13, n=30, seed=3)
    assert first == generate("realdocs", length_tokens=2**13, n=30, seed=3)
    other = generate("realdocs", length_tokens=2**13, n=30, seed=4)
    assert [t.question for t in first] != [t.question for t in other]
    assert realdocs.make_task(length_tokens=2**13, seed=3, index=17) == first[17]


def test_sixty_tasks_span_kinds_and_sources_at_32k(tasks32: list[Task]) -> None:
    kinds = Counter(t.meta["kind"] for t in tasks32)
    by_source = Counter(t.meta["source"] for t in tasks32)
    assert len(tasks32) >= 60 and len(kinds) >= 5 and len(by_source) >= 3, (kinds, by_source)
    assert set(kinds) <= set(realdocs.KINDS)
    assert len({t.question for t in tasks32}) >= 55
    for task in tasks32:
        assert {"kind", "source", "derivation", "form", "files"} <= set(task.meta)
        assert score(task.gold, task.gold.answer) == 1.0, task.id


def test_128k_contexts_are_full_and_hold_their_files(tasks128: list[Task]) -> None:
    assert len({t.meta["source"] for t in tasks128}) >= 3
    for task in tasks128:
        assert 0.99 * 4 * K128 <= len(task.context) <= 4 * K128
        files = files_of(task.context)
        assert all(path in files for path in task.meta["files"])
        assert score(task.gold, task.gold.answer) == 1.0


def test_whole_files_are_the_real_files_verbatim(tasks32: list[Task]) -> None:
    checked = 0
    for task in tasks32:
        for path, text in files_of(task.context).items():
            if task.meta["source"] == "changelogs" and path in task.meta["files"]:
                real = gzip.decompress(Path(path + ".gz").read_bytes()).decode()
                assert text == real
                checked += 1
            elif task.meta["source"] == "dpkg" and path.startswith("/var/log/dpkg.log"):
                real = Path("/var/log/dpkg.log").read_text()
                assert text in real
                checked += 1
    assert checked > 0


def test_answers_do_not_leak_into_questions(tasks32: list[Task]) -> None:
    for task in tasks32:
        if task.gold.scorer != "numeric" and len(task.gold.answer) >= 4:
            assert task.gold.answer.lower() not in task.question.lower(), task.id


def test_cli_lists_the_family() -> None:
    result = CliRunner().invoke(bench, ["realdocs", "--help"])
    assert result.exit_code == 0 and "realdocs" in result.output
    with pytest.raises(UserError, match="realdocs"):
        list(iter_tasks("nope", length_tokens=2**13, n=1, seed=0))


# --- missing sources ----------------------------------------------------------------------


def test_missing_source_is_skipped_with_a_note(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sources, "APT_LOG_DIR", tmp_path / "no-apt")
    monkeypatch.setattr(realdocs, "_WARNED", set())
    with pytest.warns(UserWarning, match="skipping source apt_history"):
        tasks = generate("realdocs", length_tokens=2**13, n=12, seed=0)
    assert {t.meta["source"] for t in tasks} == {"dpkg", "changelogs", "stdlib"}
    assert all("apt_history" in t.meta["skipped_sources"] for t in tasks)


def test_fewer_than_three_sources_fail_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sources, "APT_LOG_DIR", tmp_path / "no-apt")
    monkeypatch.setattr(sources, "DPKG_LOG_DIR", tmp_path / "no-dpkg")
    monkeypatch.setattr(realdocs, "_WARNED", set())
    with (
        pytest.warns(UserWarning),
        pytest.raises(UserError, match=r"at least 3 document sources.*dpkg: no readable"),
    ):
        generate("realdocs", length_tokens=2**13, n=1, seed=0)


def test_rotated_logs_are_read_oldest_first(tmp_path: Path) -> None:
    (tmp_path / "dpkg.log").write_text("2026-01-03 10:00:00 startup archives unpack\n")
    (tmp_path / "dpkg.log.1").write_text("2026-01-02 10:00:00 startup archives unpack\n")
    (tmp_path / "dpkg.log.2.gz").write_bytes(
        gzip.compress(b"2026-01-01 10:00:00 startup archives unpack\n")
    )
    (tmp_path / "dpkg.log.bak").write_text("not a rotation\n")
    docs = sources._dpkg_docs(tmp_path)
    assert [Path(d.path).name for d in docs] == ["dpkg.log.2", "dpkg.log.1", "dpkg.log"]
    assert [d.text[:10] for d in docs] == ["2026-01-01", "2026-01-02", "2026-01-03"]


# --- scorers ------------------------------------------------------------------------------


def test_version_scorer_wants_the_exact_version() -> None:
    gold = Gold("version", "2.36-9+deb12u10", ("2.36-9+deb12u10",), ("2.36-9+deb12u7",))
    for right in (
        "2.36-9+deb12u10",
        "The last version installed was `2.36-9+deb12u10`.",
        "libc6:amd64 ended at **2.36-9+deb12u10**",
        "Answer: 2.36-9+deb12u10",
    ):
        assert score(gold, right) == 1.0, right
    for wrong in (
        "2.36-9",
        "2.36-9+deb12u1",
        "2.36.9+deb12u10",
        "2.36-9+deb12u10 (after 2.36-9+deb12u7)",
        "I could not tell",
    ):
        assert score(gold, wrong) == 0.0, wrong
    epoch = Gold("version", "1:2.39.5-0+deb12u3", ("1:2.39.5-0+deb12u3",))
    assert score(epoch, "Version 1:2.39.5-0+deb12u3.") == 1.0
    assert score(epoch, "2.39.5-0+deb12u3") == 0.0


def test_term_scorer_names_dates_and_values() -> None:
    package = Gold("term", "libc-bin", ("libc-bin", "libc-bin:amd64"), ("libglib2.0-0",))
    for right in ("libc-bin", "**libc-bin**", "Answer: libc-bin.", "It is libc-bin:amd64"):
        assert score(package, right) == 1.0, right
    for wrong in ("libc-bin2", "libc", "libc-bin-dev", "libc-bin or libglib2.0-0"):
        assert score(package, wrong) == 0.0, wrong
    day = date(2025, 6, 24)
    when = Gold("term", "2025-06-24", sources.day_forms(day))
    for right in ("2025-06-24", "June 24, 2025", "on 24 June 2025.", "Jun 24 2025"):
        assert score(when, right) == 1.0, right
    assert score(when, "2025-06-25") == 0.0
    person = Gold("term", "Simon McVittie", ("Simon McVittie", "smcv@debian.org"))
    assert score(person, "It was signed by simon  mcvittie <smcv@debian.org>.") == 1.0
    assert score(person, "Simon") == 0.0
    module = Gold("term", "json.decoder", ("json.decoder", "json/decoder.py"))
    assert score(module, "`json/decoder.py`") == 1.0
    assert score(module, "json.decoder.scanner") == 0.0
    value = Gold("term", "-1", ("-1",))
    assert score(value, "The default is -1.") == 1.0
    assert score(value, "1") == 0.0


def test_a_signer_with_a_handle_is_right_by_name_alone() -> None:
    from recursor.bench._realdocs_texts import Entry, _signer_gold

    handled = _signer_gold(Entry("68.1-1", "Laszlo Boszormenyi (GCS)", "gcs@debian.org", date(2021, 1, 2)))
    for right in ("Laszlo Boszormenyi", "Laszlo Boszormenyi (GCS)", "gcs@debian.org"):
        assert score(handled, right) == 1.0, right
    for wrong in ("Laszlo", "GCS"):
        assert score(handled, wrong) == 0.0, wrong
    only_handle = _signer_gold(Entry("1.0-1", "Kitty (kit)", "kit@example.org", date(2021, 1, 2)))
    assert score(only_handle, "Kitty") == 0.0


def test_counts_use_the_numeric_tolerance() -> None:
    gold = Gold("numeric", "42", ("42",))
    assert score(gold, "There were 42 packages.") == 1.0
    assert score(gold, "Answer: 43") == 0.75
    assert score(gold, "none") == 0.0


# --- gold, derived a second way -------------------------------------------------------------


def dpkg_installed(text: str, package: str) -> list[str]:
    return re.findall(rf"^\S+ \S+ status installed {re.escape(package)}:\S+ (\S+)$", text, M)


def dpkg_top_status(text: str) -> str:
    return Counter(re.findall(r"^\S+ \S+ status \S+ ([^:\s]+):", text, M)).most_common(1)[0][0]


def dpkg_first_install(text: str, day: str) -> str:
    return re.findall(rf"^{day} \S+ install ([^:\s]+):", text, M)[0]


def check_dpkg(task: Task, text: str) -> str:
    meta, form = task.meta, task.meta["form"]
    if form == "dpkg_lookup":
        return dpkg_installed(text, meta["package"])[-1]
    if form == "upgrades":
        return str(len(set(re.findall(rf"^{meta['day']} \S+ upgrade (\S+) ", text, M))))
    if form == "installs":
        return str(len(set(re.findall(rf"^{meta['day']} \S+ install (\S+) ", text, M))))
    if form == "configures":
        return str(len(re.findall(rf"^\S+ \S+ configure {re.escape(meta['package'])}:", text, M)))
    if form == "most_changes":
        return dpkg_top_status(text)
    if form == "busiest":
        return Counter(re.findall(r"^(\S+) \S+ install ", text, M)).most_common(1)[0][0]
    if form == "installs_in_days":
        found = re.findall(r"^(\S+) \S+ install (\S+) ", text, M)
        return str(len({p for d, p in found if meta["first"] <= d <= meta["last"]}))
    if form == "installs_in_minutes":
        found = re.findall(rf"^{meta['day']} (\d\d:\d\d):\d\d install (\S+) ", text, M)
        return str(len({p for t, p in found if meta["first"] <= t <= meta["last"]}))
    if form == "first_then_version":
        return dpkg_installed(text, dpkg_first_install(text, meta["day"]))[-1]
    if form == "busiest_then_version":
        return dpkg_installed(text, dpkg_top_status(text))[-1]
    raise AssertionError(form)


def apt_runs(text: str) -> list[dict[str, str]]:
    runs = []
    for chunk in text.split("Start-Date: ")[1:]:
        run = {"start": " ".join(chunk.splitlines()[0].split())}
        for key in ("Install", "Upgrade"):
            found = re.search(rf"^{key}: (.*)$", chunk, M)
            run[key] = found[1] if found else ""
        runs.append(run)
    return runs


def apt_names(field: str) -> list[str]:
    return re.findall(r"(?:^|, )([^\s,:]+):\S+ \(", field)


def check_apt(task: Task, text: str) -> str:
    meta, form, runs = task.meta, task.meta["form"], apt_runs(text)
    start = " ".join(str(meta.get("start", "")).split())
    if form == "apt_lookup":
        [hit] = [r["start"] for r in runs if meta["package"] in apt_names(r["Install"])]
        return hit
    if form == "apt_count":
        [run] = [r for r in runs if r["start"] == start]
        return str(run["Install"].count(", automatic)"))
    if form == "apt_argmax":
        return max(runs, key=lambda r: len(apt_names(r["Install"])))["start"]
    if form == "apt_range":
        first, last = meta["span"].split(" to ")
        inside = [r for r in runs if first <= r["start"][:10] <= last]
        return str(sum(len(apt_names(r["Install"])) for r in inside))
    if form == "apt_two_step":
        [run] = [r for r in runs if meta["package"] in apt_names(r["Upgrade"])]
        return str(len(apt_names(run["Install"])))
    raise AssertionError(form)


def signers(text: str) -> list[str]:
    return [" ".join(s.split()) for s in re.findall(r"^ -- (.+?) <", text, M)]


def check_changelog(task: Task, text: str) -> str:
    meta, form = task.meta, task.meta["form"]
    files = files_of(task.context)
    own = files.get(f"/usr/share/doc/{meta.get('package')}/changelog.Debian", "")
    if form == "changelog_lookup":
        after = own[own.index(f" ({meta['version']}) ") :]
        return signers(after)[0]
    if form == "entries":
        return str(len(signers(own)))
    if form == "entries_by_signer":
        return str(signers(own).count(meta["signer"]))
    if form == "busiest_signer":
        return Counter(signers(own)).most_common(1)[0][0]
    if form == "longest":
        lengths = {p: len(signers(files[p])) for p in meta["files"]}
        return Path(max(lengths, key=lambda p: lengths[p])).parent.name
    if form == "changelog_range":
        first, last = map(int, meta["span"].split("-"))
        years = re.findall(r"^ -- .*? (\d{4}) \d\d:\d\d:\d\d", own, M)
        return str(sum(first <= int(y) <= last for y in years))
    heads = [
        p
        for p in meta["files"]
        if re.match(rf"\S+ \({re.escape(meta['version'])}\) ", files[p])
    ]
    [path] = heads
    if form == "oldest_signer":
        return signers(files[path])[-1]
    if form == "signer_total":
        return str(signers(text).count(signers(files[path])[0]))
    raise AssertionError(form)


def def_header(source: str, func: str) -> str:
    start = re.search(rf"^(?:async )?def {func}\(", source, M)
    assert start is not None
    depth, i = 1, start.end()
    while depth:
        depth += {"(": 1, ")": -1}.get(source[i], 0)
        i += 1
    return source[start.end() : i - 1]


def same_default(written: str, gold: str) -> bool:
    try:
        return bool(ast.literal_eval(written) == ast.literal_eval(gold))
    except ValueError:
        return written == gold


def check_stdlib(task: Task, text: str) -> str:
    meta, form = task.meta, task.meta["form"]
    files = files_of(task.context)
    asked = {p: files[p] for p in meta["files"]}

    def defining(name: str) -> str:
        [path] = [p for p, src in asked.items() if re.search(rf"^\s*class {name}\b", src, M)]
        return path

    def top_defs(src: str) -> int:
        return len(re.findall(r"^(?:async )?def ", src, M))

    if form == "default":
        header = def_header(asked[meta["path"]], meta["function"])
        param = re.escape(meta["parameter"])
        found = re.search(rf"(?:^|[,(\s*]){param}\s*(?::[^=]+?)?=\s*([^,]+?)\s*(?:,|$)", header)
        assert found is not None, header
        written = found[1].strip()
        return task.gold.answer if same_default(written, task.gold.answer) else written
    if form == "defines":
        return realdocs_module(defining(meta["class"]))
    if form == "top_functions":
        return str(top_defs(asked[meta["path"]]))
    if form == "stdlib_argmax":
        tops = {p: len(re.findall(r"^class ", src, M)) for p, src in asked.items()}
        return realdocs_module(max(tops, key=lambda p: tops[p]))
    if form == "stdlib_two_step":
        return str(top_defs(asked[defining(meta["class"])]))
    raise AssertionError(form)


def realdocs_module(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


CHECKS: dict[str, Callable[[Task, str], str]] = {
    "dpkg": check_dpkg,
    "apt_history": check_apt,
    "changelogs": check_changelog,
    "stdlib": check_stdlib,
}


def test_gold_rederived_from_the_context(tasks32: list[Task], tasks128: list[Task]) -> None:
    forms: Counter[str] = Counter()
    for task in [*tasks32, *tasks128]:
        expected = CHECKS[task.meta["source"]](task, asked_text(task))
        answer = task.gold.answer
        if task.gold.scorer == "term":
            answer, expected = " ".join(answer.split()), " ".join(expected.split())
        assert expected == answer, (task.id, task.meta["form"], task.meta["derivation"])
        forms[task.meta["form"]] += 1
    assert len(forms) >= 15, forms


def test_gold_evidence_is_lines_of_the_file_asked_about(tasks32: list[Task]) -> None:
    from recursor.bench.evidence import evidence_recall, gold_evidence

    known: Counter[str] = Counter()
    for task in tasks32:
        gold = gold_evidence(task)
        if task.gold.scorer == "numeric" and "class" not in task.meta:
            assert gold == [] and evidence_recall(task, [{"key": None, "start": 0, "end": 10**9}]) is None
            continue
        [places] = gold  # one fact, written in one or more places
        for start, end in places:
            line = task.context[start:end]
            assert "\n" not in line and task.context[start - 1] == "\n", task.id
            text = "\n" + task.context  # the file this line is in: the last header before it
            head = text.rfind("\n# File: ", 0, start + 2)
            path = text[head + 9 : text.index("\n", head + 1)]
            assert line.startswith("# File: ") or path in task.meta["files"], (task.id, path)
            if "class" in task.meta:
                assert re.match(rf"\s*class\s+{task.meta['class']}\b", line), (task.id, line)
            else:
                flat = " ".join(line.split()).lower()
                assert any(" ".join(v.split()).lower() in flat for v in task.gold.values), (task.id, line)
        hit = [{"key": None, "start": places[-1][0] + 1, "end": places[-1][0] + 2}]
        assert evidence_recall(task, hit) == 1.0
        assert evidence_recall(task, [{**hit[0], "key": "a.txt"}]) == 0.0
        known[task.meta["form"]] += 1
    assert sum(known.values()) >= 20 and len(known) >= 8, known


def test_padding_goes_on_after_a_file_cut_before_a_long_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose next line is too long to fit is cut short of the room left; the next file
    fills the rest, so a context comes out at its requested size (a man page of one long
    line left a 16K context at 96% of it)."""
    long_lines = sources.Doc("/usr/share/man/man1/wide.1", "short\n" + "x" * 5_000 + "\n")
    others = [sources.Doc(f"/usr/share/doc/p{i}/copyright", "word word\n" * 30) for i in range(40)]
    monkeypatch.setattr(realdocs, "_filler_docs", lambda rng, primary: iter([long_lines, *others]))
    room = 3_000
    padded = realdocs._pad(random.Random(0), None, room)  # type: ignore[arg-type]
    used = sum(len(realdocs.block(d)) for d in padded)
    assert padded[0].path.endswith("(first lines)") and len(padded) > 2
    assert room - 100 < used <= room
