"""`recursor.mcp_server.roots`: which paths an MCP client may name (no MCP SDK needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from recursor.errors import UserError
from recursor.mcp_server.roots import Roots


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha")
    (root / "sub" / "b.txt").write_text("beta")
    (tmp_path / "outside.txt").write_text("secret")
    (tmp_path / "outdir").mkdir()
    os.symlink(tmp_path / "outside.txt", root / "link-out.txt")
    os.symlink(tmp_path / "outdir", root / "link-outdir")
    os.symlink(root / "a.txt", root / "link-in.txt")
    os.symlink(root / "loop", root / "loop")
    return root


def test_paths_inside_are_resolved(tree: Path) -> None:
    roots = Roots([tree])
    assert roots.check(["a.txt", "sub", str(tree / "sub" / "b.txt")]) == [
        tree.resolve() / "a.txt", tree.resolve() / "sub", tree.resolve() / "sub" / "b.txt"]
    assert roots.check(["sub/../a.txt"]) == [tree.resolve() / "a.txt"]
    assert roots.check(["link-in.txt"]) == [tree.resolve() / "a.txt"]  # a link that stays inside


@pytest.mark.parametrize("given", ["../outside.txt", "sub/../../outside.txt", "link-out.txt",
                                   "link-outdir", "link-outdir/x", "/etc/passwd", "/", ".."])
def test_paths_outside_are_refused(tree: Path, given: str) -> None:
    with pytest.raises(UserError, match="outside the directories this server may read"):
        Roots([tree]).check([given])


def test_outside_is_refused_before_existence_is_checked(tree: Path) -> None:
    with pytest.raises(UserError, match="outside"):
        Roots([tree]).check(["/no/such/file"])
    with pytest.raises(UserError, match="does not exist"):
        Roots([tree]).check(["nope.txt"])


def test_no_roots_refuses_every_path(tree: Path) -> None:
    with pytest.raises(UserError, match="without --root"):
        Roots().check([str(tree / "a.txt")])


def test_several_roots_and_bad_input(tree: Path, tmp_path: Path) -> None:
    roots = Roots([tree / "sub", tmp_path / "outdir"])
    assert roots.check(["b.txt"]) == [tree.resolve() / "sub" / "b.txt"]  # relative: the first root
    assert roots.check([str(tmp_path / "outdir")]) == [(tmp_path / "outdir").resolve()]
    with pytest.raises(UserError, match="outside"):
        roots.check([str(tree / "a.txt")])
    for bad in ("", "  ", "a\0b"):
        with pytest.raises(UserError):
            roots.check([bad])
    with pytest.raises(UserError, match="symlink loop"):
        Roots([tree]).check(["loop"])


def test_a_root_that_is_not_a_directory_is_refused(tree: Path) -> None:
    with pytest.raises(UserError, match="not a directory"):
        Roots([tree / "a.txt"])
    with pytest.raises(UserError, match="cannot resolve"):
        Roots([tree / "missing"])
    assert Roots([tree, tree / "sub" / ".."]).dirs == (tree.resolve(),)  # duplicates collapse
