"""`invoke syndicate` as a user meets it: refusals, baseline, bad input — one line, exit codes."""

from __future__ import annotations

import io
import sqlite3

import pytest

from syndication.cli import main

from .conftest import FIXTURES

FEED = str(FIXTURES / "feed_good.json")


def run(tmp_path, *args, environ=None):
    out = io.StringIO()
    base = ["--feed", FEED, "--ledger", str(tmp_path / "l.sqlite"), "--links",
            str(tmp_path / "links.json")]  # fmt: skip
    code = main([*base, *args], out=out, environ=environ or {})
    return code, out.getvalue()


def test_live_refuses_without_credentials_and_sends_nothing(tmp_path, capsys):
    code, _ = run(tmp_path, "--live", "--first-run", "--platform", "mastodon,bluesky")
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "refusing to post live without credentials for bluesky" in err
    assert "CHORUS_BLUESKY_HANDLE" in err and "CHORUS_MASTODON_TOKEN" in err
    assert not (tmp_path / "l.sqlite").exists()
    assert not (tmp_path / "links.json").exists()


def test_live_refuses_an_empty_ledger_unless_first_run(tmp_path, capsys):
    environ = {"CHORUS_MASTODON_URL": "http://127.0.0.1:9", "CHORUS_MASTODON_TOKEN": "t0ken-abc"}
    code, _ = run(tmp_path, "--live", "--platform", "mastodon", environ=environ)
    assert code == 2
    assert "--baseline" in capsys.readouterr().err


def test_baseline_marks_everything_seen_then_nothing_is_new(tmp_path):
    code, out = run(tmp_path, "--baseline")
    assert code == 0
    assert "5 new (entry, platform) pair(s) marked as seen" in out
    db = sqlite3.connect(tmp_path / "l.sqlite")
    assert db.execute("SELECT DISTINCT state FROM syndication").fetchall() == [("seen",)]
    code, out = run(tmp_path)
    assert (code, out) == (0, "Cross-posting (dry run): nothing new to post.\n")
    code, out = run(tmp_path, "--baseline")
    assert "0 new" in out


def test_links_file_counts_as_posted_when_the_ledger_is_lost(tmp_path):
    (tmp_path / "links.json").write_text(
        '{"version": 1, "entries": {'
        '"tag:alderfinch.example,2026:posts/cafe-opening": {"mastodon": "https://m/1",'
        ' "bluesky": "https://b/1"},'
        '"tag:alderfinch.example,2026:posts/forklift-week": {"mastodon": "https://m/2",'
        ' "bluesky": "https://b/2", "linkedin": "https://l/2"}}}'
    )
    assert run(tmp_path) == (0, "Cross-posting (dry run): nothing new to post.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platform", "myspace"], "error: unknown platform 'myspace'"),
        (["--feed", str(FIXTURES / "feed_bad_date.json")], "feed_bad_date.json:4: error: "),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    code, _ = run(tmp_path, *args)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert "Traceback" not in err


def test_a_broken_feed_leaves_the_ledger_and_links_as_they_were(tmp_path, capsys):
    run(tmp_path, "--baseline")
    ledger = (tmp_path / "l.sqlite").read_bytes()
    links = (tmp_path / "links.json").read_bytes()  # the baseline's known_through
    environ = {"CHORUS_MASTODON_URL": "http://127.0.0.1:9", "CHORUS_MASTODON_TOKEN": "t0ken-abc"}
    bad = str(FIXTURES / "feed_bad_syntax.json")
    code, _ = run(tmp_path, "--live", "--feed", bad, environ=environ)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "feed_bad_syntax.json:" in err
    assert (tmp_path / "l.sqlite").read_bytes() == ledger
    assert (tmp_path / "links.json").read_bytes() == links


def test_a_template_that_cannot_render_stops_the_run_before_any_post(tmp_path, capsys):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(
        'SYNDICATION_TEMPLATES = {"mastodon": "{{ title }", "myspace": "{{ title }}"}\n',
        encoding="utf-8",
    )
    code, out = run(tmp_path, "--settings", str(settings))
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "pelicanconf.py: SYNDICATION_TEMPLATES['mastodon']: line 1:" in err
    assert "'myspace']: unknown platform" in err
    assert out == ""


def test_summary_is_one_line_with_the_counts(tmp_path):
    code, out = run(tmp_path, "--summary")
    full_code, full = run(tmp_path)
    assert code == 0 == full_code
    assert out.count("\n") == 1 and out.startswith("Cross-posting (dry run): ")
    headline = full.splitlines()[0]  # "… N new entries, M post(s); nothing is sent …"
    entries, posts = headline.split(": ", 1)[1].split(" new ")[0], headline.split(", ")[1]
    assert f"{entries} new entr" in out and f"as {posts.split()[0]} post(s)" in out
    assert full.count("\n") > 3
