"""The file memo (core/filememo.py) serves a file's facts only while its stat is the one
they were recorded at, and never for a file written too recently to trust its stat."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import filememo
from core.filememo import FileMemo
from plugins.guidelines.cache import post_key


@pytest.fixture
def reads():
    """A fact that counts how often it is computed (that is, how often the file is read)."""
    seen: list[str] = []

    def size_of_text(path: str) -> int:
        seen.append(path)
        return len(Path(path).read_bytes())

    size_of_text.seen = seen
    return size_of_text


@pytest.fixture
def settled(monkeypatch):
    """Every file counts as settled: the tests below write a file and look at it at once."""
    monkeypatch.setattr(filememo, "RACY_NS", -1)


def write(path: Path, text: str, mtime_ns: int | None = None) -> str:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return str(path.resolve())


def test_an_unchanged_file_is_not_read_again(tmp_path, reads, settled):
    post = write(tmp_path / "a.md", "first", 10**18)
    memo_file = tmp_path / "memo"
    first = FileMemo(memo_file)
    assert first.get(post, "size", reads) == 5
    first.save()
    assert FileMemo(memo_file).get(post, "size", reads) == 5
    assert reads.seen == [post]  # the second memo served it from the stat


def test_an_edit_that_keeps_the_size_but_changes_the_mtime_is_seen(tmp_path, settled):
    post = tmp_path / "a.md"
    write(post, "one word", 10**18)
    memo_file = tmp_path / "memo"
    before = FileMemo(memo_file)
    key = post_key("a.md", post, before)
    before.save()
    write(post, "two word", 10**18 + 1)  # same size, the mtime one nanosecond later
    after = FileMemo(memo_file)
    assert post_key("a.md", post, after) != key
    assert post_key("a.md", post, after) == post_key("a.md", post)  # as if read afresh


def test_a_file_written_just_now_is_read_again(tmp_path, reads):
    # Its stat may not change on a second write within the same clock tick (git's
    # "racily clean" file), so it is not trusted until it has settled.
    post = write(tmp_path / "a.md", "fresh")
    memo_file = tmp_path / "memo"
    for _ in range(2):
        memo = FileMemo(memo_file)
        assert memo.get(post, "size", reads) == 5
        memo.save()
    assert reads.seen == [post, post]


def test_a_corrupt_memo_is_an_empty_memo(tmp_path, reads, settled):
    post = write(tmp_path / "a.md", "text", 10**18)
    memo_file = tmp_path / "memo"
    memo_file.write_bytes(b"\x00not a memo")
    memo = FileMemo(memo_file)
    assert memo.get(post, "size", reads) == 4
    memo.save()
    assert FileMemo(memo_file).get(post, "size", reads) == 4
    assert reads.seen == [post]


def test_a_missing_file_has_no_facts(tmp_path, reads):
    missing = str(tmp_path / "gone.md")
    assert FileMemo(None).facts(missing) is None
    assert post_key("gone.md", Path(missing), FileMemo(None)) is None


def test_two_memos_saved_in_turn_keep_what_each_learnt(tmp_path, reads, settled):
    # A preview opens one for the guidelines and the lint context another; a build and a
    # lint may run at once. The later save must not drop the earlier one's facts.
    post = write(tmp_path / "a.md", "text", 10**18)
    memo_file = tmp_path / "memo"
    first, second = FileMemo(memo_file), FileMemo(memo_file)
    first.put(post, "slug", "a")
    second.put(post, "size", 4)
    first.save()
    second.save()
    facts = FileMemo(memo_file).facts(post)
    assert facts == {"slug": "a", "size": 4}


def test_a_refreshed_memo_stats_again_and_saves_what_it_learnt_before(tmp_path, reads, settled):
    # A lint context lives as long as a build (or a development server): its memo is
    # refreshed before each fingerprint, and must still save the posts' digests.
    post = write(tmp_path / "a.md", "four", 10**18)
    other = write(tmp_path / "b.md", "other", 10**18)
    memo_file = tmp_path / "memo"
    memo = FileMemo(memo_file)
    assert memo.get(other, "size", reads) == 5
    assert memo.get(post, "size", reads) == 4
    write(tmp_path / "a.md", "fiver", 10**18 + 1)
    assert memo.get(post, "size", reads) == 4  # one stat per file until refreshed
    memo.refresh()
    assert memo.get(post, "size", reads) == 5
    memo.save()
    reads.seen.clear()
    again = FileMemo(memo_file)
    assert (again.get(post, "size", reads), again.get(other, "size", reads)) == (5, 5)
    assert reads.seen == []


def test_a_process_reads_the_memo_file_once_while_it_is_unchanged(
    tmp_path, settled, reads, monkeypatch
):
    post = write(tmp_path / "a.md", "hello")
    memo_file = tmp_path / "memo.marshal"
    first = FileMemo(memo_file)
    first.get(post, "size", reads)
    first.save()
    loads: list[bytes] = []
    real_loads = filememo.marshal.loads
    monkeypatch.setattr(filememo.marshal, "loads", lambda b: loads.append(b) or real_loads(b))
    again = FileMemo(memo_file)
    assert again.get(post, "size", reads) == 5 and reads.seen == [post]
    assert loads == []  # served from what the save wrote


def test_a_memo_replaced_by_another_process_is_read_again(tmp_path, settled, reads):
    post = write(tmp_path / "a.md", "hello")
    memo_file = tmp_path / "memo.marshal"
    FileMemo(memo_file).save()  # nothing learnt: nothing written
    mine = FileMemo(memo_file)
    mine.get(post, "size", reads)
    mine.save()
    stamp, entries = filememo.marshal.loads(memo_file.read_bytes())
    entries[post][1]["size"] = 42  # another process's record, a different size of file
    memo_file.write_bytes(filememo.marshal.dumps((stamp, entries)) + b"\0" * 8)
    assert FileMemo(memo_file).get(post, "size", reads) == 42


def test_the_memo_lives_in_the_cache_folder_and_not_at_all_when_it_is_off(tmp_path, monkeypatch):
    from core.cache import memo_file
    from plugins.posts.source import post_slugs

    monkeypatch.setenv("CHORUS_CACHE", str(tmp_path / "cache"))
    assert memo_file() == tmp_path / "cache" / "files.marshal"
    monkeypatch.setenv("CHORUS_CACHE", "off")  # cold means cold: nothing read, nothing written
    assert memo_file() is None
    (tmp_path / "posts" / "hr").mkdir(parents=True)
    (tmp_path / "posts" / "hr" / "a.md").write_text("---\nslug: a-b\n---\n", encoding="utf-8")
    assert post_slugs(tmp_path) == {str(tmp_path / "posts" / "hr" / "a.md"): "a-b"}
    assert not (tmp_path / "cache").exists()
