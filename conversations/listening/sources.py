"""content/listening.yaml: what we listen to (sources) and what we listen for (terms).

The file is read with PyYAML's node API so that every problem points at its line: a
guideline owner or a comms lead edits this file by hand, and "sources[3].kind is wrong" is
much harder to act on than `content/listening.yaml:14: error: unknown kind 'blog' …`. All
problems are collected, not only the first, so one run shows everything to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.yamltext import yaml_error
from plugins.problems import ContentError

KINDS = ("industry", "competitor", "community", "news")
SOURCE_FIELDS = {"name", "url", "kind", "timeout"}
TERM_FIELDS = {"term", "aliases", "departments"}
TOP_FIELDS = {"sources", "terms", "platforms"}
PLATFORM_FIELDS = {"name", "platform", "url", "kind", "search", "hashtags", "timeout"}
HASHTAG = re.compile(r"[^\W_][\w]*")  # Mastodon's hashtag characters, without the '#'


@dataclass(frozen=True)
class Source:
    """A feed we read. `url` is http(s), file:, or a path relative to the config file (the
    demo's offline fixtures)."""

    name: str
    url: str
    kind: str
    timeout: float | None = None  # seconds; None = the run's default
    line: int = 0


@dataclass(frozen=True)
class Term:
    """A watch term: the name shown on the page (`term`), every spelling that counts as it
    (`aliases`, which include `term`), and the departments a mention is routed to."""

    term: str
    aliases: tuple[str, ...]
    departments: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class PlatformSource:
    """A platform we listen on through its API (conversations/listening/platforms/): the watch
    terms searched there (`search`) and hashtag timelines read (`hashtags`). `url` is the
    instance; "" means the platform's own credentials' URL (CHORUS_MASTODON_URL)."""

    name: str
    platform: str
    url: str = ""
    kind: str = "community"
    search: bool = True
    hashtags: tuple[str, ...] = ()
    timeout: float | None = None
    line: int = 0


@dataclass
class ListeningConfig:
    path: str
    sources: list[Source] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    platforms: list[PlatformSource] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)

    @property
    def base_dir(self) -> Path:
        """Relative source paths are relative to the config file, wherever the run starts."""
        return Path(self.path).resolve().parent


def load_config(path: str | Path, departments: set[str] | None = None) -> ListeningConfig:
    """Read and check the file. Never raises for bad content: problems are in `.errors`
    (an empty config is returned with them when the file cannot be parsed at all).

    `departments` (slugs from departments.yaml), when given, is what `departments:` may name.
    """
    path = str(path)
    config = ListeningConfig(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        config.errors.append(ContentError(path, None, "no such file"))
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.errors.append(ContentError(path, None, f"cannot read: {exc}"))
        return config
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        config.errors.append(yaml_error(path, exc, text))
        return config
    _Reader(config, departments).read(root)
    return config


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, config: ListeningConfig, departments: set[str] | None):
        self.config = config
        self.departments = departments

    def error(self, node: yaml.Node | None, message: str) -> None:
        line = _line(node) if node is not None else 1
        self.config.errors.append(ContentError(self.config.path, line, message))

    def read(self, root: yaml.Node | None) -> None:
        if root is None:
            self.error(None, "empty file: expected `sources:` and `terms:`")
            return
        mapping = self.mapping(root, "the file")
        if mapping is None:
            return
        for key, (key_node, _) in mapping.items():
            if key not in TOP_FIELDS:
                self.error(key_node, f"unknown key {key!r} (expected: sources, terms, platforms)")
        if "sources" not in mapping and "platforms" not in mapping:
            self.error(root, "missing `sources:` (a list of feeds to read)")
        elif "sources" in mapping:
            for item in self.sequence(mapping["sources"][1], "sources") or []:
                self.source(item)
        if "terms" in mapping:
            for item in self.sequence(mapping["terms"][1], "terms") or []:
                self.term(item)
        if "platforms" in mapping:
            for item in self.sequence(mapping["platforms"][1], "platforms") or []:
                self.platform(item)
        self.check_unique()

    # --- shapes ------------------------------------------------------------------------
    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping (key: value lines)")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, f"a key in {what} must be a plain word")
                continue
            if key in out:
                self.error(key_node, f"{key!r} appears twice in {what}")
                continue
            out[key] = (key_node, value_node)
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"`{what}` must be a list (lines starting with `- `)")
            return None
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith((":null", ":bool")):
            self.error(node, f"{what} must be text")
            return None
        value = " ".join(str(node.value).split())
        if not value:
            self.error(node, f"{what} is empty")
            return None
        return value

    def texts(self, node: yaml.Node, what: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, what)
            return [value] if value else []
        items = self.sequence(node, what)
        return [v for v in (self.text(i, f"each of {what}") for i in items or []) if v]

    # --- records -----------------------------------------------------------------------
    def record(
        self, node: yaml.Node, what: str, allowed: set[str], expected: str, required: tuple
    ) -> tuple[dict, dict] | None:
        """A source's or platform's fields (unknown keys reported) and its required texts."""
        fields = self.mapping(node, f"a {what}")
        if fields is None:
            return None
        for key, (key_node, _) in fields.items():
            if key not in allowed:
                self.error(key_node, f"unknown key {key!r} in a {what} (expected: {expected})")
        values: dict = {}
        for key in required:
            if key not in fields:
                self.error(node, f"this {what} has no `{key}:`")
                continue
            values[key] = self.text(fields[key][1], f"`{key}`")
        return fields, values

    def kind(self, node: yaml.Node, kind: str | None) -> str | None:
        if kind is not None and kind not in KINDS:
            self.error(node, f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
            return None
        return kind

    def source(self, node: yaml.Node) -> None:
        found = self.record(
            node, "source", SOURCE_FIELDS, "name, url, kind", ("name", "url", "kind")
        )
        if found is None:
            return
        fields, values = found
        if "kind" in fields:
            values["kind"] = self.kind(fields["kind"][1], values.get("kind"))
        url = values.get("url")
        if (
            url is not None
            and ":" in url.split("/", 1)[0]
            and not url.startswith(("http://", "https://", "file:"))
        ):
            self.error(
                fields["url"][1], f"unsupported URL {url!r} (use http(s)://, file: or a path)"
            )
            values["url"] = None
        timeout = None
        if "timeout" in fields:
            timeout = self.seconds(fields["timeout"][1])
        if all(values.get(k) for k in ("name", "url", "kind")):
            self.config.sources.append(
                Source(values["name"], values["url"], values["kind"], timeout, _line(node))
            )

    def platform(self, node: yaml.Node) -> None:
        from conversations.listening.platforms import available

        known = ", ".join(sorted(PLATFORM_FIELDS))
        found = self.record(node, "platform", PLATFORM_FIELDS, known, ("name", "platform"))
        if found is None:
            return
        fields, values = found
        if values.get("platform") and values["platform"] not in available():
            self.error(
                fields["platform"][1],
                f"no listening reader for platform {values['platform']!r} "
                f"(known: {', '.join(available())})",
            )
            values["platform"] = None
        url = self.text(fields["url"][1], "`url`") if "url" in fields else ""
        if url and not url.startswith(("http://", "https://")):
            self.error(fields["url"][1], f"unsupported URL {url!r} (use the instance's https://)")
            url = None
        kind = "community"
        if "kind" in fields:
            kind = self.kind(fields["kind"][1], self.text(fields["kind"][1], "`kind`"))
        search = True
        if "search" in fields:
            flag = fields["search"][1]
            if not (isinstance(flag, yaml.ScalarNode) and flag.tag.endswith(":bool")):
                self.error(flag, "`search` must be true or false (search the watch terms)")
            else:
                search = flag.value.lower() in ("true", "yes", "on")
        hashtags: list[str] = []
        if "hashtags" in fields:
            for tag in self.texts(fields["hashtags"][1], "`hashtags`"):
                bare = tag.lstrip("#")
                if not HASHTAG.fullmatch(bare):
                    self.error(fields["hashtags"][1], f"{tag!r} is not a hashtag (letters, "
                               "digits and _ only)")  # fmt: skip
                    continue
                hashtags.append(bare)
        timeout = self.seconds(fields["timeout"][1]) if "timeout" in fields else None
        if not search and not hashtags and values.get("platform"):
            self.error(node, "this platform listens for nothing: set `search: true` or give "
                       "`hashtags:`")  # fmt: skip
            return
        if values.get("name") and values.get("platform") and url is not None and kind:
            tags = tuple(dict.fromkeys(hashtags))
            found = PlatformSource(values["name"], values["platform"], url, kind, search, tags,
                                   timeout, _line(node))  # fmt: skip
            self.config.platforms.append(found)

    def seconds(self, node: yaml.Node) -> float | None:
        try:
            value = float(node.value) if isinstance(node, yaml.ScalarNode) else None
        except ValueError:
            value = None
        if value is None or not 0 < value <= 300:
            self.error(node, "`timeout` must be a number of seconds between 0 and 300")
            return None
        return value

    def term(self, node: yaml.Node) -> None:
        fields = self.mapping(node, "a term")
        if fields is None:
            return
        for key, (key_node, _) in fields.items():
            if key not in TERM_FIELDS:
                self.error(
                    key_node,
                    f"unknown key {key!r} in a term (expected: term, aliases, departments)",
                )
        if "term" not in fields:
            self.error(node, "this term has no `term:` (the name, or a list of spellings)")
            return
        spellings = self.texts(fields["term"][1], "`term`")
        if "aliases" in fields:
            spellings += self.texts(fields["aliases"][1], "`aliases`")
        if "departments" not in fields:
            self.error(node, "this term has no `departments:` (who hears about a mention)")
            return
        dept_node = fields["departments"][1]
        departments = self.texts(dept_node, "`departments`")
        if not departments:
            self.error(dept_node, "`departments` is empty: name at least one department")
        if self.departments is not None:
            for slug in departments:
                if slug not in self.departments:
                    known = ", ".join(sorted(self.departments))
                    self.error(dept_node, f"unknown department {slug!r} (known: {known})")
        if spellings and departments:
            aliases = tuple(dict.fromkeys(spellings))
            self.config.terms.append(
                Term(aliases[0], aliases, tuple(dict.fromkeys(departments)), _line(node))
            )

    def check_unique(self) -> None:
        seen: dict[str, int] = {}
        for source in [*self.config.sources, *self.config.platforms]:
            if source.name in seen:
                self.config.errors.append(
                    ContentError(
                        self.config.path,
                        source.line,
                        f"a second source named {source.name!r} (the first is on line "
                        f"{seen[source.name]}); names must be unique",
                    )
                )
            seen.setdefault(source.name, source.line)
