"""Lint results per post, reused while nothing they depend on has changed.

The lint runs on every build, on every commit (pre-commit) and in CI, and between two of
those runs almost every post is unchanged. A post's findings depend only on its own bytes
and path and on the run's inputs: the guidelines file, the people directory, the
approvals, the set of internal link targets and the engine's code. The run's inputs are
hashed into one fingerprint that names the cache file; each post is keyed by the hash of
its path and bytes. Change any input and the fingerprint changes, so a stale result can
never be served; change one post and only that post is linted again. The files' digests
are remembered by their stat (core/filememo.py, as git's index does), so a warm run stats
the posts instead of reading and hashing them.

The cache is a plain JSON file under .chorus/ (ignored by git); a missing, unreadable or
corrupt file is an empty cache, never an error. (JSON, not marshal or pickle: for 5,000
posts it loads in 4 ms, and it stays readable.) CHORUS_CACHE names another folder,
or "off" to lint everything every time (the benchmark's cold runs do this).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from core.cache import replace_file
from core.filememo import FileMemo
from plugins.guidelines.model import Finding, Switch

ENGINE_ROOT = Path(__file__).resolve().parent
# The build's own checks, which the lint runs too (plugins/posts/check.py and what it reads,
# the Markdown parse included), and the shared helpers the rules call: plugins/text.py (as
# a folder's one file) and the bottom layer, core/.
SCHEMA_ROOTS = (ENGINE_ROOT.parent / "posts", ENGINE_ROOT.parent / "people")
TEXT_HELPERS = str(ENGINE_ROOT.parent / "text.py")
CORE_ROOT = ENGINE_ROOT.parent.parent / "core"

Entry = tuple[list[Finding], list[Switch], str | None]
YAML = (".yaml", ".yml")  # what "*.y*ml" meant: the people and approvals files


def file_digest(path: str) -> bytes | None:
    """SHA-256 of a file's bytes; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError:
        return None


def _digest(path: str | Path, memo: FileMemo | None) -> bytes | None:
    if memo is None:
        return file_digest(path)
    if not (isinstance(path, str) and os.path.isabs(path)):
        path = os.path.abspath(path)
    return memo.get(path, "sha256", file_digest)


def _hash_files(digest, paths, root: Path | None = None, memo: FileMemo | None = None) -> None:
    """Each file's name (relative to `root` when given: the build names the content folder
    absolutely, the lint CLI relatively, and both must find the same cache) and bytes (their
    digest, from the run's memo when the file's stat is unchanged). Strings throughout: a
    site has hundreds of approval files, and this runs on every lint."""
    base = os.path.abspath(root).rstrip(os.sep) + os.sep if root is not None else None
    for path in sorted(map(os.fspath, paths)):
        absolute = os.path.abspath(path)
        if base is None:
            name = Path(path).as_posix()
        elif absolute.startswith(base) and os.sep == "/":
            name = absolute[len(base) :]
        else:
            name = os.path.relpath(absolute, base)
        digest.update(name.encode() + b"\0")
        digest.update(_digest(absolute, memo) or b"<unreadable>")


def _listing(folder: Path, suffixes: tuple[str, ...], recursive: bool = False) -> list[str]:
    """The files in `folder` (and below it, if `recursive`) whose names end in a suffix."""
    if recursive:
        return [
            os.path.join(top, name)
            for top, _dirs, files in os.walk(folder)
            for name in files
            if name.endswith(suffixes)
        ]
    try:
        with os.scandir(folder) as entries:
            return [e.path for e in entries if e.name.endswith(suffixes) and e.is_file()]
    except OSError:
        return []


def engine_digest(memo: FileMemo | None = None) -> bytes:
    """The engine's code (every module under plugins/guidelines/) as one digest."""
    digest = hashlib.sha256()
    _hash_files(digest, _listing(ENGINE_ROOT, (".py",), recursive=True), memo=memo)
    return digest.digest()


def fingerprint(guidelines_path: str, ctx, memo: FileMemo | None = None) -> str:
    """One hash of everything a post's findings depend on besides the post itself: the
    engine's code, the guidelines, the people directory and the approvals it was read from
    (plugins/guidelines/kinds/base.py Context), the set of link targets. The files are
    hashed through `memo`, or the context's own memo (saved here), by their stat."""
    own = memo is None and ctx.memo is not None
    memo = ctx.memo if memo is None else memo
    if own:
        memo.refresh()  # the context may be older than the files: stat them now
    content_root = Path(ctx.content_root)
    people = Path(ctx.people_dir or content_root / "people")
    departments = Path(ctx.departments_file or content_root / "departments.yaml")
    digest = hashlib.sha256(b"chorus-lint-4\0")
    digest.update(os.getcwd().encode() + b"\0")  # findings name paths relative to it
    digest.update(engine_digest(memo))
    for folder in SCHEMA_ROOTS:
        _hash_files(digest, _listing(folder, (".py",)), memo=memo)
    _hash_files(digest, [TEXT_HELPERS, *_listing(CORE_ROOT, (".py",))], memo=memo)
    _hash_files(digest, [Path(guidelines_path)], content_root, memo)
    _hash_files(digest, _listing(people, YAML), content_root, memo)
    _hash_files(digest, [departments], content_root, memo)
    approvals_dir = Path(ctx.approvals_dir or content_root / "approvals")
    _hash_files(digest, _listing(approvals_dir, YAML), content_root, memo)
    digest.update("\0".join(sorted(ctx.targets)).encode())
    if own:
        memo.save()
    return digest.hexdigest()[:32]


def post_key(shown: str, path: str | Path, memo: FileMemo | None = None) -> str | None:
    """A post's cache key: the name its findings show and its bytes' digest (from `memo`
    while the file's stat is unchanged: a warm run then reads no post at all)."""
    data = _digest(path, memo)
    if data is None:
        return None  # the lint reports an unreadable file itself
    return hashlib.sha256(shown.encode() + b"\0" + data).hexdigest()


class LintCache:
    """Post key → (findings, switches, status) for one fingerprint."""

    def __init__(self, folder: Path, fingerprint: str):
        self.file = Path(folder) / f"lint-{fingerprint}.json"
        self.entries: dict[str, list] = {}
        self.dirty = False
        try:
            loaded = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass

    def get(self, key: str | None) -> Entry | None:
        raw = self.entries.get(key) if key else None
        if not raw:
            return None
        try:
            findings, switches, status = raw
            return (
                [Finding(**f) for f in findings],
                [Switch(**s) for s in switches],
                status,
            )
        except (TypeError, ValueError):
            return None  # written by an older layout: lint the post again

    def put(self, key: str | None, entry: Entry) -> None:
        if key is None:
            return
        findings, switches, status = entry
        self.entries[key] = [
            [f.to_dict() for f in findings],
            [vars(s) for s in switches],
            status,
        ]
        self.dirty = True

    def save(self) -> None:
        """Atomically replace the file; the oldest other fingerprints' files are removed
        (make_room). Failing to write is not an error."""
        if not self.dirty:
            return
        try:
            data = json.dumps(self.entries, separators=(",", ":")).encode("utf-8")
            replace_file(self.file, data, "lint-*.json")
        except OSError:
            pass
