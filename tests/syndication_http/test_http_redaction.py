"""Acceptance: no credential in any captured output.

A separate Python process, configured only through environment variables (base-URL
overrides point it at the local servers), logs at DEBUG (httpx logs every request URL),
posts to every HTTP platform through failures, and prints every error. Its whole stdout
and stderr must not contain a token or the webhook URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import (
    LINKEDIN_AUTHOR,
    PAGE_ID,
    THREADS_USER_ID,
    TOKEN,
    WEBHOOK_PATH,
    X_USER_ID,
)

pytestmark = pytest.mark.integration

SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from syndication import credentials
    from syndication.model import Card, Composed, PlatformError
    from syndication.platforms import create
    from syndication.retry import Policy, post_with_retry
    from tests.syndication_http.conftest import make_entry

    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    credentials.install_log_redaction()
    entry = make_entry()
    for name in ("x", "linkedin", "facebook", "threads", "internal"):
        creds = credentials.load(name)
        platform = create(name, creds)
        text = "Hello \\\\(world\\\\) " + entry.url
        composed = Composed(name, text, len(text), 500, entry.url,
                            card=Card(entry.url, entry.title, entry.summary))
        try:
            posted = post_with_retry(platform, composed, entry, "key", policy=Policy(
                max_attempts=2, base_delay=0), sleep=lambda s: None)
            print(name, "posted", posted.url)
        except PlatformError as error:
            print(name, "failed:", error)
        logging.getLogger("syndication").error("token was %s", creds)
    """
)


def test_no_token_in_any_output(
    x_server, linkedin_server, facebook_server, threads_server, webhook_server
):
    for server in (x_server, linkedin_server, facebook_server, threads_server):
        server.fault(status=500, body=f'{{"detail": "echo Bearer {TOKEN}"}}'.encode(), times=2)
    webhook_server.fault(status=500, body=b"internal_error", times=2)
    linkedin_server.faults.clear()  # LinkedIn succeeds: success lines must be clean too
    env = {
        **os.environ,
        "PYTHONPATH": os.getcwd(),
        "CHORUS_X_TOKEN": TOKEN,
        "CHORUS_X_USER_ID": X_USER_ID,
        "CHORUS_X_API_URL": x_server.url,
        "CHORUS_LINKEDIN_TOKEN": TOKEN,
        "CHORUS_LINKEDIN_AUTHOR": LINKEDIN_AUTHOR,
        "CHORUS_LINKEDIN_API_URL": linkedin_server.url,
        "CHORUS_FACEBOOK_PAGE_ID": PAGE_ID,
        "CHORUS_FACEBOOK_TOKEN": TOKEN,
        "CHORUS_FACEBOOK_API_URL": facebook_server.url,
        "CHORUS_THREADS_USER_ID": THREADS_USER_ID,
        "CHORUS_THREADS_TOKEN": TOKEN,
        "CHORUS_THREADS_API_URL": threads_server.url,
        "CHORUS_WEBHOOK_URL": webhook_server.url + WEBHOOK_PATH,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert TOKEN not in output
    assert "hookSECRET" not in output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("x failed: x: ") and "(gave up after 2 attempts)" in lines[0]
    assert lines[1].startswith("linkedin posted https://www.linkedin.com/feed/update/")
    assert lines[2].startswith("facebook failed: ")
    assert lines[3].startswith("threads failed: ")
    assert lines[4] == "internal failed: internal: POST ***: HTTP 500: internal_error" + (
        " (gave up after 2 attempts)"
    )
    assert "HTTP Request: POST" in result.stderr  # httpx did log the requests, redacted
    assert "token was {'CHORUS_X_TOKEN': '***'" in result.stderr  # deliberate log, redacted
