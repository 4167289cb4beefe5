"""chorus/watch.py: the dev server looks for changes when the file system says something
changed, and runs livereload's own examine() then (which finds the file and rebuilds)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from chorus.watch import EventWatcher, root_of


def test_the_folder_to_watch_for_each_kind_of_livereload_path(tmp_path):
    (tmp_path / "content").mkdir()
    settings = tmp_path / "pelicanconf.py"
    settings.write_text("", encoding="utf-8")
    assert root_of(f"{tmp_path}/content/**/*") == (f"{tmp_path}/content", True)
    assert root_of(f"{tmp_path}/plugins/**/*.py") == (f"{tmp_path}/plugins", True)
    assert root_of(f"{tmp_path}/content/*.md") == (f"{tmp_path}/content", False)
    assert root_of(f"{tmp_path}/content/posts/*/x.md") == (f"{tmp_path}/content/posts", True)
    assert root_of(str(tmp_path / "content")) == (str(tmp_path / "content"), True)
    assert root_of(str(settings)) == (str(tmp_path), False)


def test_a_save_wakes_the_watcher_which_runs_the_task_of_the_changed_glob(tmp_path):
    content = tmp_path / "content" / "posts"
    content.mkdir(parents=True)
    post = content / "a.md"
    post.write_text("first", encoding="utf-8")
    other = tmp_path / "elsewhere.txt"  # not watched: never a rebuild
    rebuilt: list[str] = []
    looks: list[int] = []

    async def scenario() -> None:
        watcher = EventWatcher()
        watcher.watch(f"{tmp_path}/content/**/*", lambda: rebuilt.append("content"))

        def look() -> None:
            looks.append(1)
            watcher.examine()  # as livereload's poll_tasks does

        try:
            assert watcher.start(look) is True  # no polling timer wanted
            await asyncio.sleep(0.2)
            other.write_text("x", encoding="utf-8")
            post.write_text("second, longer", encoding="utf-8")
            os.utime(post, (1e9 + 1e8, 1e9 + 1e8))  # a later time than livereload recorded
            for _ in range(100):  # up to 10 s: the event reaches the loop from a thread
                if rebuilt:
                    break
                await asyncio.sleep(0.1)
        finally:
            watcher.stop()

    asyncio.run(scenario())
    assert rebuilt == ["content"]
    assert len(looks) >= 2  # the first look at start, then at least one woken by the save


def test_the_watcher_only_watches_folders_that_exist(tmp_path):
    watcher = EventWatcher()
    watcher.watch(f"{tmp_path}/missing/**/*")
    watcher.watch(str(tmp_path / "here.py"))
    assert watcher.folders == {f"{tmp_path}/missing": True, str(tmp_path): False}

    async def scenario() -> None:
        try:
            assert watcher.start(lambda: None)
        finally:
            watcher.stop()

    asyncio.run(scenario())
    assert Path(tmp_path).is_dir()


def test_a_save_in_several_writes_is_looked_at_once_it_is_whole(tmp_path):
    """An editor's save is several events; looking at the first read half a post, and the
    rest of the save (same clock tick, same modification time) was then never seen."""
    folder = tmp_path / "content"
    folder.mkdir()
    post = folder / "a.md"
    post.write_text("old", encoding="utf-8")
    seen: list[str] = []

    async def scenario() -> None:
        watcher = EventWatcher()
        watcher.watch(f"{folder}/**/*", lambda: seen.append(post.read_text(encoding="utf-8")))
        try:
            watcher.start(watcher.examine)
            await asyncio.sleep(0.2)
            with open(post, "w", encoding="utf-8") as handle:  # truncated: an event
                handle.write("half")
                handle.flush()
                await asyncio.sleep(0.03)  # the loop runs meanwhile, as a server's would
                handle.write(" and the rest")
            for _ in range(100):
                if seen:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.3)  # no second look with anything else
        finally:
            watcher.stop()

    asyncio.run(scenario())
    assert seen == ["half and the rest"]
