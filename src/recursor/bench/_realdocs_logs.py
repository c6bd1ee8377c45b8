"""realdocs questions over package-manager logs: /var/log/dpkg.log and /var/log/apt/history.log.

Every gold is computed from the log text placed in the context (parsed back from the very
documents that become the context), never from the whole file on disk.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from recursor.bench._realdocs_sources import (
    Doc,
    Question,
    day_forms,
    numeric,
    pick,
    unique_top,
)
from recursor.bench._task import Gold

__all__ = [
    "APT_ASKERS",
    "DPKG_ASKERS",
    "AptRun",
    "DpkgLine",
    "parse_apt",
    "parse_dpkg",
]

_DPKG = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d:\d\d) (\S+) (.*)$")
_ACTIONS = frozenset({"install", "upgrade", "configure", "remove", "purge", "trigproc"})


@dataclass(frozen=True, slots=True)
class DpkgLine:
    """An action ("install p:a <none> 1.0") or status ("status installed p:a 1.0") line."""

    day: date
    time: str
    action: str
    """"status" or one of install, upgrade, configure, remove, purge, trigproc."""
    package: str
    """As logged, with its architecture: "libc6:amd64"."""
    version: str
    """The status line's version, or an action's new version."""
    state: str = ""
    """For status lines: installed, unpacked, half-configured, ..."""

    @property
    def name(self) -> str:
        return self.package.partition(":")[0]


def parse_dpkg(docs: Sequence[Doc]) -> list[DpkgLine]:
    """Action and status lines of the given log text, in order; other lines are skipped."""
    out = []
    for doc in docs:
        for line in doc.text.splitlines():
            m = _DPKG.match(line)
            if not m:
                continue
            day = date(int(m[1]), int(m[2]), int(m[3]))
            words = m[6].split()
            if m[5] == "status" and len(words) == 3:
                out.append(DpkgLine(day, m[4], "status", words[1], words[2], words[0]))
            elif m[5] in _ACTIONS and len(words) == 3:
                out.append(DpkgLine(day, m[4], m[5], words[0], words[2]))
    return out


def _names_one_arch(lines: Sequence[DpkgLine]) -> set[str]:
    """Package names logged under one architecture only, so a bare name is unambiguous."""
    arches: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        arches[line.name].add(line.package)
    return {name for name, packages in arches.items() if len(packages) == 1}


def _last_installed(lines: Sequence[DpkgLine], name: str) -> str | None:
    found = [
        x.version
        for x in lines
        if x.action == "status" and x.state == "installed" and x.name == name
    ]
    return found[-1] if found else None


def _versions_of(lines: Sequence[DpkgLine], name: str) -> set[str]:
    return {x.version for x in lines if x.name == name and x.version != "<none>"}


def _version_gold(lines: Sequence[DpkgLine], name: str, version: str) -> Gold:
    others = tuple(sorted(_versions_of(lines, name) - {version}))
    return Gold(scorer="version", answer=version, values=(version,), distractors=others)


def _name_gold(name: str, package: str, runner_up: str | None) -> Gold:
    return Gold(
        scorer="term",
        answer=name,
        values=(name, package),
        distractors=(runner_up,) if runner_up else (),
    )


def _day_gold(day: date, runner_up: date | None) -> Gold:
    return Gold(
        scorer="term",
        answer=day.isoformat(),
        values=day_forms(day),
        distractors=day_forms(runner_up) if runner_up else (),
    )


# --- dpkg.log ------------------------------------------------------------------------------

_LAST_VERSION = (
    "Which version of the package {name} was installed on this machine last, according to the "
    "dpkg log?",
    "Going by dpkg's own log, what is the most recent version of {name} that finished "
    "installing?",
    "I need to know which {name} version the package manager last set up completely here. "
    "What does the dpkg log say?",
)


def _dpkg_lookup(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    lines = parse_dpkg(docs)
    names = sorted(
        n for n in _names_one_arch(lines) if _last_installed(lines, n) is not None
    )
    if not names:
        return None
    # Packages seen at several versions make the better question; take one half the time.
    several = [n for n in names if len(_versions_of(lines, n)) > 1]
    name = rng.choice(several if several and rng.random() < 0.5 else names)
    version = _last_installed(lines, name)
    assert version is not None
    hits = sum(x.name == name and x.state == "installed" for x in lines)
    return Question(
        "lookup",
        rng.choice(_LAST_VERSION).format(name=name),
        _version_gold(lines, name, version),
        f"version on the last of {hits} 'status installed {name}:<arch> <version>' lines",
        {"package": name},
    )


def _dpkg_count(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    lines = parse_dpkg(docs)
    single = _names_one_arch(lines)
    options: list[Callable[[], Question]] = []

    upgrade_days = sorted({x.day for x in lines if x.action == "upgrade"})
    if upgrade_days:

        def upgrades() -> Question:
            day = rng.choice(upgrade_days)
            found = {x.package for x in lines if x.action == "upgrade" and x.day == day}
            text = rng.choice(
                (
                    "How many packages were upgraded on {day}?",
                    "How many different packages did dpkg upgrade on {day}? Count each "
                    "package once.",
                )
            ).format(day=day.isoformat())
            return Question(
                "count",
                text,
                numeric(len(found)),
                f"distinct packages on 'upgrade' action lines dated {day}: {len(found)}",
                {"day": day.isoformat()},
            )

        options.append(upgrades)

    configured = Counter(x.name for x in lines if x.action == "configure" and x.name in single)
    if configured:

        def configures() -> Question:
            often = sorted(n for n, k in configured.items() if k > 1)
            name = rng.choice(often or sorted(configured))
            text = rng.choice(
                (
                    "How many times was {name} configured?",
                    "How often does the dpkg log show the configure step being run for "
                    "{name}?",
                )
            ).format(name=name)
            return Question(
                "count",
                text,
                numeric(configured[name]),
                f"'configure {name}:<arch> ...' action lines: {configured[name]}",
                {"package": name},
            )

        options.append(configures)

    install_days = sorted({x.day for x in lines if x.action == "install"})
    if install_days:

        def installs() -> Question:
            day = rng.choice(install_days)
            found = {x.package for x in lines if x.action == "install" and x.day == day}
            text = rng.choice(
                (
                    "How many packages were newly installed (not upgraded) on {day}?",
                    "On {day}, how many different packages did dpkg install from scratch?",
                )
            ).format(day=day.isoformat())
            return Question(
                "count",
                text,
                numeric(len(found)),
                f"distinct packages on 'install' action lines dated {day}: {len(found)}",
                {"day": day.isoformat()},
            )

        options.append(installs)
    return pick(rng, options)


def _dpkg_argmax(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    lines = parse_dpkg(docs)
    single = _names_one_arch(lines)
    options: list[Callable[[], Question]] = []
    changes = Counter(x.name for x in lines if x.action == "status" and x.name in single)
    if (top := unique_top(changes)) is not None:
        name, runner_up = top

        def most_changes() -> Question:
            text = rng.choice(
                (
                    "Which package had the most status changes in the dpkg log?",
                    "Which package does dpkg record the largest number of state changes for "
                    "(lines saying it became unpacked, half-configured, installed, ...)?",
                )
            )
            package = next(x.package for x in lines if x.name == name)
            return Question(
                "argmax",
                text,
                _name_gold(name, package, runner_up),
                f"'status' lines per package: {name} {changes[name]}"
                + (f", next {runner_up} {changes[runner_up]}" if runner_up else ""),
                {"package": name},
            )

        options.append(most_changes)
    per_day = Counter(x.day.isoformat() for x in lines if x.action == "install")
    if len(per_day) > 1 and (top := unique_top(per_day)) is not None:
        best, second = top

        def busiest() -> Question:
            text = rng.choice(
                (
                    "Which day saw the most package installs?",
                    "On which date did dpkg install the largest number of packages?",
                )
            )
            return Question(
                "argmax",
                text,
                _day_gold(
                    date.fromisoformat(best), date.fromisoformat(second) if second else None
                ),
                f"'install' action lines per day: {best} {per_day[best]}"
                + (f", next {second} {per_day[second]}" if second else ""),
                {"day": best},
            )

        options.append(busiest)
    return pick(rng, options)


def _dpkg_range(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    lines = [x for x in parse_dpkg(docs) if x.action == "install"]
    days = sorted({x.day for x in lines})
    if len(days) >= 3:
        first, last = sorted(rng.sample(days, 2))
        found = {x.package for x in lines if first <= x.day <= last}
        text = rng.choice(
            (
                "How many packages were installed between {a} and {b}, both days included?",
                "Counting from {a} through {b}, how many different packages did dpkg newly "
                "install?",
            )
        ).format(a=first.isoformat(), b=last.isoformat())
        span = f"dated {first} to {last}"
        facts: dict[str, object] = {
            "form": "installs_in_days", "first": first.isoformat(),
            "last": last.isoformat(),
        }
    elif days:
        day = rng.choice(days)
        minutes = sorted({x.time[:5] for x in lines if x.day == day})
        if len(minutes) < 2:
            return None
        a, b = sorted(rng.sample(minutes, 2))
        found = {x.package for x in lines if x.day == day and a <= x.time[:5] <= b}
        text = rng.choice(
            (
                "How many packages were installed on {day} between {a} and {b} (inclusive, "
                "to the minute)?",
                "On {day}, from {a} up to and including the minute {b}, how many different "
                "packages did dpkg newly install?",
            )
        ).format(day=day.isoformat(), a=a, b=b)
        span = f"dated {day}, {a}:00 to {b}:59"
        facts = {"form": "installs_in_minutes", "day": day.isoformat(), "first": a, "last": b}
    else:
        return None
    return Question(
        "date_range",
        text,
        numeric(len(found)),
        f"distinct packages on 'install' action lines {span}: {len(found)}",
        facts,
    )


def _dpkg_two_step(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    lines = parse_dpkg(docs)
    single = _names_one_arch(lines)
    options: list[Callable[[], Question]] = []
    firsts = []
    for day in sorted({x.day for x in lines if x.action == "install"}):
        # Log order decides "first": apt installs many packages within one second.
        first = next(x for x in lines if x.action == "install" and x.day == day)
        if first.name in single and _last_installed(lines, first.name):
            firsts.append((day, first))
    if firsts:

        def first_then_version() -> Question:
            day, first = rng.choice(firsts)
            version = _last_installed(lines, first.name)
            assert version is not None
            text = rng.choice(
                (
                    "What version did the package whose installation the log shows first on "
                    "{day} end up with?",
                    "Take the first package dpkg set about installing on {day} (the earliest "
                    "such entry in the log). Which version of it was the last one to be fully "
                    "installed?",
                )
            ).format(day=day.isoformat())
            return Question(
                "two_step",
                text,
                _version_gold(lines, first.name, version),
                f"first 'install' line dated {day} (log order) is {first.package}; its last "
                f"'status installed' line has version {version}",
                {"day": day.isoformat(), "package": first.name},
            )

        options.append(first_then_version)
    changes = Counter(x.name for x in lines if x.action == "status" and x.name in single)
    top = unique_top(changes)
    if top is not None and _last_installed(lines, top[0]) is not None:
        name = top[0]

        def busiest_then_version() -> Question:
            version = _last_installed(lines, name)
            assert version is not None
            text = rng.choice(
                (
                    "Find the package with the most status changes in the dpkg log. Which "
                    "version of it was installed last?",
                    "One package changes state more often than any other in this log. What "
                    "is the last version of it that reached the installed state?",
                )
            )
            return Question(
                "two_step",
                text,
                _version_gold(lines, name, version),
                f"most 'status' lines: {name} ({changes[name]}); its last 'status installed' "
                f"line has version {version}",
                {"package": name},
            )

        options.append(busiest_then_version)
    return pick(rng, options)


DPKG_ASKERS: dict[str, Callable[[random.Random, Sequence[Doc]], Question | None]] = {
    "lookup": _dpkg_lookup,
    "count": _dpkg_count,
    "argmax": _dpkg_argmax,
    "date_range": _dpkg_range,
    "two_step": _dpkg_two_step,
}


# --- apt history.log ---------------------------------------------------------------------------

_ENTRY = re.compile(r"([^\s,()]+) \(([^)]*)\)")


@dataclass(frozen=True, slots=True)
class AptRun:
    """One apt run (a Start-Date ... End-Date paragraph) of history.log."""

    start: str
    """As logged: "2025-06-24  14:36:29" (two spaces)."""
    command: str
    installed: tuple[tuple[str, bool], ...]
    """(package, automatic) for each Install: entry."""
    upgraded: tuple[str, ...]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.start.split()[0])


def _entries(value: str) -> list[tuple[str, str]]:
    return [(m[1], m[2]) for m in _ENTRY.finditer(value)]


def parse_apt(docs: Sequence[Doc]) -> list[AptRun]:
    """The runs of the given history text that have a start and a command line."""
    runs = []
    for doc in docs:
        for paragraph in re.split(r"\n\s*\n", doc.text):
            fields = {}
            for line in paragraph.splitlines():
                key, sep, value = line.partition(": ")
                if sep:
                    fields[key] = value.strip()
            if "Start-Date" not in fields or "Commandline" not in fields:
                continue
            runs.append(
                AptRun(
                    start=fields["Start-Date"],
                    command=fields["Commandline"],
                    installed=tuple(
                        (p, "automatic" in v.split(", ")[1:])
                        for p, v in _entries(fields.get("Install", ""))
                    ),
                    upgraded=tuple(p for p, _ in _entries(fields.get("Upgrade", ""))),
                )
            )
    return runs


def _bare(package: str) -> str:
    return package.partition(":")[0]


def _start_gold(run: AptRun, runner_up: AptRun | None = None) -> Gold:
    """The run's start as logged ("2025-06-24  14:36:29"; the scorer ignores the spacing)."""
    start = " ".join(run.start.split())
    other = (" ".join(runner_up.start.split()),) if runner_up else ()
    return Gold(scorer="term", answer=start, values=(start,), distractors=other)


def _apt_lookup(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    runs = parse_apt(docs)
    seen = Counter(_bare(p) for r in runs for p, _ in r.installed)
    choices = sorted(
        (_bare(p), i) for i, r in enumerate(runs) for p, _ in r.installed if seen[_bare(p)] == 1
    )
    if not choices:
        return None
    name, i = rng.choice(choices)
    run = runs[i]
    text = rng.choice(
        (
            "When did the apt run that brought {name} onto this machine start? Give the date "
            "and time.",
            "At what date and time did apt begin the session in which it installed {name}?",
        )
    ).format(name=name)
    return Question(
        "lookup",
        text,
        _start_gold(run),
        f"the run whose Install: field lists {name} has Start-Date: {run.start}",
        {"package": name, "start": run.start},
    )


def _apt_count(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    runs = [r for r in parse_apt(docs) if r.installed]
    if not runs:
        return None
    run = rng.choice(runs)
    automatic = sum(auto for _, auto in run.installed)
    text = rng.choice(
        (
            "How many packages did the apt run that started at {start} install only as "
            "automatic dependencies?",
            "In the apt session beginning {start}, how many of the newly installed packages "
            "were pulled in automatically rather than asked for?",
        )
    ).format(start=" ".join(run.start.split()))
    return Question(
        "count",
        text,
        numeric(automatic),
        f"Install: entries marked 'automatic' in the run started {run.start}: {automatic} of "
        f"{len(run.installed)}",
        {"start": run.start},
    )


def _apt_argmax(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    runs = {r.start: r for r in parse_apt(docs)}
    sizes = Counter({start: len(r.installed) for start, r in runs.items() if r.installed})
    top = unique_top(sizes) if len(sizes) > 1 else None
    if top is None:
        return None
    best, second = top
    text = rng.choice(
        (
            "When did the apt run that installed the most new packages start? Give the date "
            "and time.",
            "Of all the apt runs in the history log, which one added the largest number of "
            "packages? Answer with its start date and time.",
        )
    )
    return Question(
        "argmax",
        text,
        _start_gold(runs[best], runs[second] if second else None),
        f"Install: entries per run: {sizes[best]} for the run started {best}"
        + (f", next {sizes[second]} (started {second})" if second else ""),
        {"start": best},
    )


def _apt_range(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    runs = parse_apt(docs)
    days = sorted({r.day for r in runs})
    if len(days) < 2:
        return None
    first, last = sorted(rng.sample(days, 2))
    total = sum(len(r.installed) for r in runs if first <= r.day <= last)
    text = rng.choice(
        (
            "According to apt's history, how many packages were installed by apt runs that "
            "started between {a} and {b} (both days included)?",
            "Add up the new installs of every apt run started from {a} to {b} inclusive. "
            "How many packages is that?",
        )
    ).format(a=first.isoformat(), b=last.isoformat())
    return Question(
        "date_range",
        text,
        numeric(total),
        f"Install: entries of runs whose Start-Date is {first} to {last}: {total}",
        {"span": f"{first} to {last}"},
    )


def _apt_two_step(rng: random.Random, docs: Sequence[Doc]) -> Question | None:
    runs = parse_apt(docs)
    seen = Counter(_bare(p) for r in runs for p in r.upgraded)
    choices = sorted(
        (_bare(p), i) for i, r in enumerate(runs) for p in r.upgraded if seen[_bare(p)] == 1
    )
    if not choices:
        return None
    name, i = rng.choice(choices)
    run = runs[i]
    text = rng.choice(
        (
            "{name} was upgraded by one apt run. How many packages did that same run newly "
            "install?",
            "Find the apt run in which {name} got upgraded; how many brand-new packages did "
            "it install?",
        )
    ).format(name=name)
    return Question(
        "two_step",
        text,
        numeric(len(run.installed)),
        f"{name} is in the Upgrade: field of the run started {run.start}, whose Install: "
        f"field has {len(run.installed)} entries",
        {"package": name, "start": run.start},
    )


APT_ASKERS: dict[str, Callable[[random.Random, Sequence[Doc]], Question | None]] = {
    "lookup": _apt_lookup,
    "count": _apt_count,
    "argmax": _apt_argmax,
    "date_range": _apt_range,
    "two_step": _apt_two_step,
}
