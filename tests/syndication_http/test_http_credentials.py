"""Credentials come only from the environment (or the file it names) and never show."""

from __future__ import annotations

import logging

import pytest

from syndication import credentials
from syndication.credentials import CredentialsError, install_log_redaction, load, redact


def test_load_reads_required_and_optional_variables():
    env = {"CHORUS_X_TOKEN": "xtok-0001", "CHORUS_X_USER_ID": "42", "HOME": "/root"}
    assert load("x", env) == {"CHORUS_X_TOKEN": "xtok-0001", "CHORUS_X_USER_ID": "42"}


@pytest.mark.parametrize("platform", ["linkedin", "facebook", "threads", "internal", "x"])
def test_load_is_none_when_a_required_variable_is_missing(platform):
    env = {name: "value-1234" for name in credentials.ENV[platform][:-1]}
    env[credentials.ENV[platform][-1]] = "  "  # blank counts as missing
    assert load(platform, env) is None
    assert credentials.missing(platform, env) == [credentials.ENV[platform][-1]]


def test_every_platform_has_variables():
    from syndication import PLATFORMS

    assert set(PLATFORMS) <= set(credentials.ENV)
    assert "websub" in credentials.ENV


def test_secrets_file_fills_in_and_environment_wins(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text(
        "# CI secrets\n\nexport CHORUS_LINKEDIN_TOKEN='li-file-token'\n"
        "CHORUS_LINKEDIN_AUTHOR=urn:li:person:file\n",
        encoding="utf-8",
    )
    env = {"CHORUS_SECRETS_FILE": str(path), "CHORUS_LINKEDIN_AUTHOR": "urn:li:organization:1"}
    assert load("linkedin", env) == {
        "CHORUS_LINKEDIN_TOKEN": "li-file-token",
        "CHORUS_LINKEDIN_AUTHOR": "urn:li:organization:1",
    }
    assert redact("sent li-file-token") == "sent ***"


def test_bad_secrets_file_line_names_file_and_line_not_the_value(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text("CHORUS_X_TOKEN=fine-1234\nthis is not an assignment s3cr3t\n")
    with pytest.raises(CredentialsError) as caught:
        load("x", {"CHORUS_SECRETS_FILE": str(path)})
    assert str(caught.value) == f"{path}:2: expected KEY=VALUE"


def test_missing_secrets_file_is_one_line(tmp_path):
    with pytest.raises(CredentialsError, match=r"secrets\.env: cannot read secrets file"):
        load("x", {"CHORUS_SECRETS_FILE": str(tmp_path / "secrets.env")})


def test_redact_hides_loaded_secrets_but_not_ids():
    load("facebook", {"CHORUS_FACEBOOK_PAGE_ID": "1043679", "CHORUS_FACEBOOK_TOKEN": "EAAGm0PX4Z"})
    assert redact("page 1043679 token EAAGm0PX4Z") == "page 1043679 token ***"


def test_redact_hides_the_webhook_url_whole():
    url = "https://hooks.example.com/services/T01/B02/abcDEF987"
    load("internal", {"CHORUS_WEBHOOK_URL": url})
    assert redact(f"internal: POST {url}: HTTP 404") == "internal: POST ***: HTTP 404"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abcdefgh12345", "Authorization: Bearer ***"),
        ("GET /feed?access_token=EAAB12&limit=5", "GET /feed?access_token=***&limit=5"),
        ('{"accessJwt": "eyJhbGciOi", "did": "x"}', '{"accessJwt": "***", "did": "x"}'),
        ("app_password=abcd-efgh-ijkl", "app_password=***"),
        ("Basic plan, Bearer token missing", "Basic plan, Bearer token missing"),
        ("", ""),
    ],
)
def test_redact_patterns(text, expected):
    assert redact(text) == expected


def test_log_lines_from_any_logger_are_redacted(caplog):
    load("x", {"CHORUS_X_TOKEN": "xtok-logged-77"})
    install_log_redaction()
    install_log_redaction()  # idempotent
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("httpx").info("HTTP Request: %s %s", "POST", "Bearer xtok-logged-77")
        logging.getLogger("syndication.runner").warning("failed with %s", "xtok-logged-77")
    assert "xtok-logged-77" not in caplog.text
    assert caplog.text.count("***") == 2
