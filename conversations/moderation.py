"""Who may be shown: nothing is, until approved. Decisions are a YAML file under content/
(reviewed in pull requests like every other content change):

    approve: [mastodon:110000000000000001, ...]   # response keys, platform:response id
    hide:    [mastodon:110000000000000002]
    allow:   [ana@example.social]                 # accounts whose responses are approved
    block_accounts: [troll@example.social]        # never shown, never stored in the snapshot
    block_domains: [spam.example]                 # and below it; a Bluesky handle is a domain
    org_accounts: [alderfinch@social.example]     # our own accounts: answers from "us"
    done:    [https://forum.example/t/4412]       # listening mention ids handled: off the inbox

People in the directory (their handles, given by the caller) are approved like `allow`.
A block wins over everything; hide wins over approve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conversations.model import Response
from core.problems import ContentError
from core.yamltext import yaml_error

KEYS = ("approve", "hide", "allow", "block_accounts", "block_domains", "org_accounts", "done")
VERBATIM = ("approve", "hide", "done")  # keys and ids, not handles: their case is kept


def key(response: Response) -> str:
    return f"{response.platform}:{response.response_id}"


def _in_domains(handle: str, domains: set[str]) -> bool:
    """The handle's host (Mastodon user@host; a Bluesky handle is a domain name itself)
    is a blocked domain or below one: blocking spam.example blocks bot.spam.example."""
    host = handle.rsplit("@", 1)[-1].lower()
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels)))


@dataclass
class Decisions:
    approve: set[str] = field(default_factory=set)
    hide: set[str] = field(default_factory=set)
    allow: set[str] = field(default_factory=set)
    block_accounts: set[str] = field(default_factory=set)
    block_domains: set[str] = field(default_factory=set)
    org_accounts: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)

    def state(self, response: Response, directory: Iterable[str] = ()) -> str:
        """approved | pending | hidden | blocked."""
        handle = response.author.handle.lower()
        if handle in self.block_accounts or _in_domains(handle, self.block_domains):
            return "blocked"
        if key(response) in self.hide:
            return "hidden"
        if key(response) in self.approve or handle in self.allow:
            return "approved"
        if handle in self.org_accounts or handle in {h.lower() for h in directory}:
            return "approved"  # our own accounts and the people directory speak for us
        return "pending"

    def as_yaml(self) -> dict:
        return {name: sorted(getattr(self, name)) for name in KEYS if getattr(self, name)}


def load(path: Path) -> Decisions:
    """A missing file is no decisions; a broken one is one line with file:line."""
    if not path.exists():
        return Decisions()
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise yaml_error(str(path), exc, text) from None
    if not isinstance(data, dict):
        raise ContentError(str(path), 1, f"expected a mapping of {', '.join(KEYS)}")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ContentError(str(path), 1, f"unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    decisions = Decisions()
    for name in KEYS:
        values = data.get(name) or []
        if not isinstance(values, list):
            raise ContentError(str(path), 1, f"{name} must be a list")
        getattr(decisions, name).update(str(v).lower() if name not in VERBATIM
                                        else str(v) for v in values)  # fmt: skip
    return decisions


def save(path: Path, decisions: Decisions) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(decisions.as_yaml(), sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
