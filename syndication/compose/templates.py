"""Per-platform text templates: `SYNDICATION_TEMPLATES = {platform: "Jinja2 source"}`.

Sandboxed because the settings file is edited by many people and a template is not the
place to run code; StrictUndefined because a misspelt `{{ titel }}` must fail the dry run
rather than post an empty line to thousands of followers. Errors are one line naming the
setting and the template line, never a traceback.

Variables: title, summary, url, tags (list), hashtags (the hashtag line, e.g.
"#CustomerService #ZeroWaste", or "" when none fit), author_name, department. `url` and
`hashtags` are placed as wholes: compose never cuts them, it cuts the rest (see layout.py).
A template without `{{ url }}` still gets the link back, appended at the end.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from syndication.registry import SPECS

SETTING = "SYNDICATION_TEMPLATES"
FIELDS = ("title", "summary", "url", "tags", "hashtags", "author_name", "department")

DEFAULTS: dict[str, str] = {name: spec.template for name, spec in SPECS.items()}


class TemplateProblem(ValueError):
    """A template that does not compile or render; the message is one line."""


def source_for(platform: str, templates: dict[str, str] | None) -> str:
    if templates and platform in templates:
        source = templates[platform]
        if not isinstance(source, str):
            raise TemplateProblem(
                f"{SETTING}[{platform!r}]: must be a string, not {type(source).__name__}"
            )
        return source
    return DEFAULTS[platform]


def render(platform: str, source: str, context: dict) -> str:
    where = f"{SETTING}[{platform!r}]"
    template = _compile(where, source)
    try:
        return template.render(**context)
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(
            f"{where}: {exc.message}; the variables are {', '.join(FIELDS)}"
        ) from None
    except SecurityError as exc:
        raise TemplateProblem(f"{where}: not allowed in a template: {exc}") from None
    except Exception as exc:  # a filter given the wrong type, a division by zero…
        raise TemplateProblem(f"{where}: {type(exc).__name__}: {exc}") from None


def check(templates: dict | None, platforms: tuple[str, ...]) -> list[str]:
    """Every problem in the setting, for the CLI/lint to report before anything is sent."""
    if templates is None:
        return []
    if not isinstance(templates, dict):
        return [f"{SETTING}: must be a dict of platform → template, not {type(templates).__name__}"]
    problems = []
    for platform in templates:
        if platform not in platforms:
            problems.append(
                f"{SETTING}[{platform!r}]: unknown platform (known: {', '.join(platforms)})"
            )
            continue
        try:
            _compile(f"{SETTING}[{platform!r}]", source_for(platform, templates))
        except TemplateProblem as exc:
            problems.append(str(exc))
    return problems


@lru_cache(maxsize=64)
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


@lru_cache(maxsize=256)
def _compile(where: str, source: str) -> jinja2.Template:
    try:
        return _environment().from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{where}: line {exc.lineno}: {exc.message}") from None
