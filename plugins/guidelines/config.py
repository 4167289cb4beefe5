"""content/guidelines.yaml → Guidelines: checked as it is read, every mistake at its line.

The guidelines are edited by comms and legal, not programmers. A typo in a rule must give
one `file:line: message` (GuidelinesError, exit code 2), never a traceback and never a
silently ignored rule, and every regex is compiled here, once per load, so linting 5,000
posts costs no compilation at all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import yaml

from core.filememo import FileMemo
from core.yamltext import explain
from plugins.guidelines.cache import engine_digest
from plugins.guidelines.kinds import KINDS
from plugins.guidelines.model import (
    LEVELS,
    Applies,
    Change,
    Guidelines,
    GuidelinesError,
    OptionError,
    Rule,
    Section,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

RULE_KEYS = ("id", "kind", "level", "message", "applies", "switchable", "describe", "confidential")
# A confidential rule's terms (code names, customers who have not agreed to be named) are
# checked like any other, but never published: see confidential.py.
CONFIDENTIAL_TERMS = ("terms", "patterns")
APPLIES_KEYS = ("departments", "tags", "authors", "scopes")
RULE_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")  # also an HTML anchor on the page


# --- YAML with line numbers ---------------------------------------------------------------


class _Map(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.lines = 1, {}


class _Seq(list):
    def __init__(self, *args):
        super().__init__(*args)
        self.line, self.lines = 1, []


def _located(path: str, node: yaml.Node, loader) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = _Map()
        out.line, out.lines = line, {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            key_line = key_node.start_mark.line + 1
            if key in out:
                raise GuidelinesError(
                    path, key_line, f"'{key}' is given twice (also on line {out.lines[key]})"
                )
            out[key] = _located(path, value_node, loader)
            out.lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = _Seq(_located(path, item, loader) for item in node.value)
        seq.line, seq.lines = line, [item.start_mark.line + 1 for item in node.value]
        return seq
    value = loader.construct_object(node, deep=True)
    return value.isoformat() if isinstance(value, dt.date) else value


def _read_yaml(path: str, text: str) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise GuidelinesError(path, 1, "the guidelines file is empty")
        return _located(path, node, loader)
    except yaml.MarkedYAMLError as exc:
        # The posts reader's explanations ("a quote is opened and never closed", at the
        # line where it opened): one vocabulary for YAML mistakes across Chorus.
        line, message = explain(exc, text)
        raise GuidelinesError(path, line + 1, f"not valid YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise GuidelinesError(path, 1, f"not valid YAML: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()


# --- Checking ------------------------------------------------------------------------------


def _text(path: str, data: _Map, key: str, what: str, line: int | None = None) -> str:
    if key not in data or data[key] is None or str(data[key]).strip() == "":
        raise GuidelinesError(path, line or data.line, f"{what} needs '{key}'")
    value = data[key]
    if not isinstance(value, str | int | float):
        raise GuidelinesError(path, data.lines[key], f"{what}: '{key}' must be text")
    return str(value).strip()


def _mapping(path: str, value: Any, line: int, what: str) -> _Map:
    if not isinstance(value, _Map):
        raise GuidelinesError(
            path, getattr(value, "line", line), f"{what} must be 'key: value' lines"
        )
    return value


def _string_list(path: str, value: Any, line: int, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise GuidelinesError(path, line, f"{what} must be a list, like [a, b]")
    return tuple(str(v) for v in value)


def _rule(path: str, data: Any, section: Section, line: int, defer: bool = False) -> Rule:
    from plugins.guidelines.prose import SCOPES

    data = _mapping(path, data, line, "a rule")
    rule_id = _text(path, data, "id", "a rule")
    what = f"rule '{rule_id}'"
    if not RULE_ID.match(rule_id):
        raise GuidelinesError(
            path,
            data.lines["id"],
            f"{what}: an id uses a-z, 0-9, '.' and '-' (like claims.absolute)",
        )
    kind = _text(path, data, "kind", what)
    if kind not in KINDS:
        raise GuidelinesError(
            path,
            data.lines["kind"],
            f"{what} has unknown kind '{kind}' (known: {', '.join(KINDS)})",
        )
    level = _text(path, data, "level", what)
    if level not in LEVELS:
        raise GuidelinesError(
            path,
            data.lines["level"],
            f"{what} has unknown level '{level}' (use {', '.join(LEVELS)})",
        )
    message = _text(path, data, "message", what)
    spec = KINDS[kind]
    applies_data = data.get("applies") or _Map()
    applies_line = data.lines.get("applies", data.line)
    applies_data = _mapping(path, applies_data, applies_line, f"{what}: 'applies'")
    for key in applies_data:
        if key not in APPLIES_KEYS:
            raise GuidelinesError(
                path,
                applies_data.lines[key],
                f"{what}: 'applies' does not know '{key}' (known: {', '.join(APPLIES_KEYS)})",
            )
    lists = {
        key: _string_list(
            path,
            applies_data.get(key),
            applies_data.lines.get(key, applies_line),
            f"{what}: '{key}'",
        )
        for key in APPLIES_KEYS
    }
    for scope in lists["scopes"]:
        if scope not in SCOPES:
            raise GuidelinesError(
                path,
                applies_data.lines["scopes"],
                f"{what}: unknown scope '{scope}' (known: {', '.join(SCOPES)})",
            )
    lists["tags"] = tuple(t.casefold() for t in lists["tags"])
    options = {key: value for key, value in data.items() if key not in RULE_KEYS}
    known = spec.required + spec.optional
    for key in options:
        if key not in known:
            raise GuidelinesError(
                path,
                data.lines[key],
                f"{what}: a {kind} rule does not know '{key}' (known: {', '.join(known)})",
            )
    for key in spec.required:
        if key not in options:
            raise GuidelinesError(path, data.line, f"{what} needs '{key}' (a {kind} rule)")
    confidential = data.get("confidential", False)
    if not isinstance(confidential, bool):
        raise GuidelinesError(
            path, data.lines["confidential"], f"{what}: 'confidential' is true or false"
        )
    switchable = data.get("switchable", spec.switchable and not confidential)
    if not isinstance(switchable, bool):
        raise GuidelinesError(
            path, data.lines["switchable"], f"{what}: 'switchable' is true or false"
        )
    if confidential:
        _check_confidential(path, data, what, level, switchable)
    rule = Rule(
        id=rule_id,
        kind=kind,
        level=level,
        message=message,
        section_id=section.id,
        section_title=section.title,
        applies=Applies(**lists),
        options=options,
        line=data.line,
        switchable=switchable,
        description=" ".join(str(data.get("describe") or "").split()),
        confidential=confidential,
    )
    if defer:  # proven to prepare without error (load_guidelines): on first use
        rule.pending = spec.prepare
        return rule
    try:
        rule.compiled = spec.prepare(rule)
    except re.error as exc:
        raise GuidelinesError(path, data.line, f"{what}: bad regular expression: {exc}") from None
    except OptionError as exc:
        at = data.lines.get(exc.key, data.line) if exc.key else data.line
        raise GuidelinesError(path, at, f"{what}: {exc}") from None
    return rule


def _check_confidential(path: str, data: _Map, what: str, level: str, switchable: bool) -> None:
    """A confidential rule guards words that must never be published, so it must stop the
    publish build (an error, not switchable) and have words to guard; and the public page
    needs the owners' own description, since the kind's would list the terms."""
    line = data.lines["confidential"]
    if level != "error":
        raise GuidelinesError(
            path, line, f"{what}: a confidential rule must be an error (a {level} would let "
            "its terms be published)"
        )  # fmt: skip
    if switchable:
        raise GuidelinesError(
            path, data.lines.get("switchable", line),
            f"{what}: a confidential rule cannot be switched off inline",
        )  # fmt: skip
    if not any(data.get(key) for key in CONFIDENTIAL_TERMS):
        raise GuidelinesError(
            path, line, f"{what}: 'confidential' hides 'terms' or 'patterns'; give them"
        )
    if not str(data.get("describe") or "").strip():
        raise GuidelinesError(
            path, line, f"{what}: a confidential rule needs 'describe': what the public "
            "guidelines page says about it, without its terms"
        )  # fmt: skip


def parse_guidelines(path: str, text: str, defer: bool = False) -> Guidelines:
    """Parse and check guidelines text; `path` is only used in messages. `defer`: the text
    is known to prepare without error (load_guidelines), so each rule's prepare() (its
    regexes, its phone-number plans) runs only when the rule is first used."""
    data = _mapping(path, _read_yaml(path, text), 1, "the guidelines file")
    version = _text(path, data, "version", "the guidelines file", 1)
    updated = str(data.get("updated") or "")
    changelog = []
    raw_log = data.get("changelog") or []
    if not isinstance(raw_log, list):
        raise GuidelinesError(path, data.lines["changelog"], "'changelog' must be a list")
    for item, line in zip(raw_log, getattr(raw_log, "lines", []), strict=False):
        item = _mapping(path, item, line, "a changelog entry")
        entry_version = _text(path, item, "version", "a changelog entry", line)
        changes = _string_list(
            path, item.get("changes"), item.lines.get("changes", line), "'changes'"
        )
        changelog.append(Change(entry_version, str(item.get("date") or ""), list(changes)))
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise GuidelinesError(
            path, data.lines.get("sections", 1), "'sections' must be a list of sections"
        )
    sections: list[Section] = []
    seen_rules: dict[str, int] = {}
    seen_sections: dict[str, int] = {}
    for item, line in zip(raw_sections, raw_sections.lines, strict=True):
        item = _mapping(path, item, line, "a section")
        section_id = _text(path, item, "id", "a section", line)
        if not RULE_ID.match(section_id):
            raise GuidelinesError(
                path, item.lines["id"], f"section id '{section_id}': use a-z, 0-9, '.' and '-'"
            )
        if section_id in seen_sections:
            raise GuidelinesError(
                path,
                line,
                f"section '{section_id}' is given twice (also on line {seen_sections[section_id]})",
            )
        seen_sections[section_id] = line
        title = _text(path, item, "title", f"section '{section_id}'", line)
        section = Section(section_id, title, str(item.get("prose") or "").strip(), [], line)
        raw_rules = item.get("rules") or []
        if not isinstance(raw_rules, list):
            raise GuidelinesError(
                path, item.lines["rules"], f"section '{section_id}': 'rules' must be a list"
            )
        for rule_data, rule_line in zip(raw_rules, raw_rules.lines, strict=True):
            rule = _rule(path, rule_data, section, rule_line, defer)
            if rule.id in seen_rules:
                raise GuidelinesError(
                    path,
                    rule.line,
                    f"rule id '{rule.id}' is used twice (also on line {seen_rules.get(rule.id)}); "
                    "each rule needs its own id: it is the rule's address on the guidelines page",
                )
            seen_rules[rule.id] = rule.line
            section.rules.append(rule)
        sections.append(section)
    return Guidelines(path, version, updated, changelog, sections)


def load_guidelines(path: str | Path, memo: FileMemo | None = None) -> Guidelines:
    """Read content/guidelines.yaml; GuidelinesError(path, line, message) if anything is
    wrong with it, so the CLI can print one line and exit 2.

    `memo` (core/filememo.py): a file whose every rule prepared without error under this
    engine code is remembered by its stat, and then its rules are prepared only when first
    used. A warm lint, whose posts all come from the cache, uses none: the file is still
    parsed and checked, but no regex is compiled. Preparing is deterministic in the
    file's bytes and the engine's code, so a deferred prepare cannot find a new mistake."""
    shown = Path(path).as_posix()
    absolute = os.path.abspath(path)
    proven, code = False, b""
    if memo is not None:  # stat'ed before it is read: an edit in between is seen next time
        code = engine_digest(memo)
        proven = (memo.facts(absolute) or {}).get("prepared") == code
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GuidelinesError(shown, None, "no guidelines file here") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GuidelinesError(shown, None, f"cannot read the guidelines: {exc}") from None
    guidelines = parse_guidelines(shown, text, defer=proven)
    if memo is not None:
        memo.put(absolute, "prepared", code)  # every rule prepared: this file is proven
    return guidelines
