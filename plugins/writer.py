"""Pelican's writer: pages rendered only when something they show has changed.

Pelican renders every page of the site on one core in every build, although after a
one-post edit nearly all of them come out byte for byte the same. The pages of the
articles generator (each post and draft, the index, the department, tag and archive pages)
are therefore queued instead of rendered, as are the pages the other generators write
(people, guidelines, metrics, listening), and at `finalized` the queue is worked through
before anything reads the output:

- each page's render inputs are hashed: the page's own arguments (the post, or the posts
  a listing shows, hashed through everything they carry: body, front matter, what the
  plugins attached), and a "frame" shared by every page (the theme's templates, the code,
  the settings, the site's pages and every post's title and address, the people
  directory). A page whose hash is the one recorded for the previous output, and whose
  files are still there, is not rendered: the previous file is kept (or linked into the
  fresh folder chorus.build writes to);
- the rest are rendered here, in this process. Rendering them in forked workers as well
  was measured (1,000 posts): no faster, as a fork of the finished site costs what the
  pages do, and it doubled the memory of the build's processes added up.

The record (output name → hash) is kept under .chorus/cache/ per output folder and is
saved only once the build has succeeded, so a failed build can never make the next one
keep a page it did not write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import inspect
import json
import os
import shutil
import types
from importlib.metadata import version
from pathlib import Path

from jinja2 import meta as jinja_meta
from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from core.cache import cache_dir, replace_file
from core.settings import plain_settings
from plugins.run import run_of

HERE = Path(__file__).resolve().parent
SKIP_KEYS = frozenset({"settings", "_context"})  # the whole settings / site: in the frame
MAX_DEPTH = 8
FUNCTIONS = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, type)
PARAMETERS = inspect.signature(Writer.write_file)
PRIMITIVE = frozenset({str, int, float, bool, bytes, type(None)})
LONG = 32  # lists at least this long are hashed once per build (see _container_digest), by
# id: only lists that stay alive while pages are queued may be hashed, never a temporary one
NEIGHBOURS = ("_previous_page", "_next_page")  # Pelican's names for a listing's other pages


class ChorusWriter(Writer):
    """Queues write_file while the articles generator writes; see the module docstring."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.queue: list[tuple] = []
        self.deferring = True
        self.produced: list[str] | None = None  # names written by the call being run
        self.folders: set[str] = set()  # output folders known to exist
        spare = run_of(self.settings).spare if settings is not None else None
        # Files that may be hard links into the published output: a write unlinks first.
        # Those of the spare folder (a published output two builds ago) and those kept.
        self.linked: set[str] = set(spare.present) if spare is not None else set()

    def write_file(self, name, template, context, *args, **kwargs):
        if not name:
            return None
        if self.deferring:
            self.queue.extend(self._pages(name, template, context, args, kwargs))
            return None
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        name = os.path.relpath(filename, self.output_path)
        if self.produced is not None:
            self.produced.append(name)
        if name in self.linked:  # may share its inode with the published output
            self.linked.discard(name)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(filename)  # never write through to the site being served
        return super()._open_w(filename, encoding, override)

    def flush(self, settings: dict) -> None:
        """Render (or keep) everything queued, then write straight through from now on."""
        queue, self.queue, self.deferring = self.queue, [], False
        if not queue:
            return
        run = run_of(settings)
        record = PageRecord.load(settings)
        if record.file is None:  # no cache: nothing to compare with, nothing to hash
            keys = [""] * len(queue)
        else:
            frame = site_frame(settings, queue[0][2])
            memo: dict = {}
            keys = [call_digest(frame, materialized(call), memo) for call in queue]
        spare = run.spare  # the folder written into already holds these pages (chorus.build)
        todo = []
        for call, key in zip(queue, keys, strict=True):
            files = spare.unchanged(call[0], key) if spare is not None and key else None
            if files is not None and spare.present.issuperset(files):
                run.rendered[call[0]] = (key, files)  # in place: nothing to do
                continue
            files = record.unchanged(call[0], key) if key else None
            if files is not None and self._keep(files, record.folder):
                run.rendered[call[0]] = (key, files)
            else:
                todo.append((call, key))
        for call, key in todo:  # Writer._open_w records each file it writes
            run.rendered[call[0]] = (key, self._render(call))
        run.rendered_record = record
        run.pages_kept, run.pages_rendered = len(queue) - len(todo), len(todo)
        if spare is not None:
            spare.drop_unclaimed(run.rendered)

    def _pages(self, name, template, context, args: tuple, kwargs: dict) -> list[tuple]:
        """One queued call per file: a paginated listing (the index, a department, a tag)
        becomes one call per page, each written as Pelican's pagination writes it, so that
        an edit re-renders the one page of 500 that shows the post, not all of them."""
        bound = PARAMETERS.bind(self, name, template, context, *args, **kwargs).arguments
        extra = dict(bound.pop("kwargs", {}))
        paginated = bound.get("paginated")
        if paginated is None:
            paginated = {k: v for k, v in extra.items() if k in {"articles", "dates"}}
        template_name = bound.get("template_name")
        if not paginated or template_name not in self.settings["PAGINATED_TEMPLATES"]:
            return [(name, template, context, args, kwargs)]
        per_page = (
            self.settings["PAGINATED_TEMPLATES"][template_name]
            or self.settings["DEFAULT_PAGINATION"]
        )
        url = bound.get("url")
        paginators = {
            key: Paginator(name, url, val, self.settings, per_page)
            for key, val in paginated.items()
        }
        options = {
            "relative_urls": bound.get("relative_urls", False),
            "paginated": {},  # this page is one file: Pelican must not paginate it again
            "override_output": bound.get("override_output", False),
            "url": url,
        }
        first = next(iter(paginators.values()))
        return [
            (first.page(n + 1).save_as, template, context, (), Paged(extra, paginators, n, options))
            for n in range(first.num_pages)
        ]

    def _render(self, call: tuple) -> list[str]:
        """Render one queued page; the names of the files it wrote."""
        name, template, context, args, kwargs = materialized(call)
        self.produced = []
        try:
            Writer.write_file(self, name, template, context, *args, **kwargs)
            return self.produced
        finally:
            self.produced = None

    def _keep(self, files: list[str], previous: Path) -> bool:
        """Carry the previous build's files of this page over; False if any is missing."""
        here = self.output_path
        for name in files:
            source, target = os.path.join(previous, name), os.path.join(here, name)
            if source == target:
                if not os.path.isfile(target):
                    return False
                continue
            folder = os.path.dirname(target)
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            if name in self.linked:  # the spare folder's older copy
                self.linked.discard(name)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
            try:
                os.link(source, target)
            except FileNotFoundError:
                return False  # gone from the previous output: this page is rendered
            except OSError:
                shutil.copyfile(source, target)
            self.linked.add(name)  # a later write must unlink it first
            self._written_files.add(target)
        return True


class Paged:
    """The arguments of one page of a paginated listing, made when they are needed (hashed,
    then rendered) rather than queued: a 5,000-post site has thousands of listing pages,
    and their Page objects (each page and its neighbours) all queued at once were a tenth of
    a build's memory."""

    def __init__(self, extra: dict, paginators: dict, number: int, options: dict):
        self.extra, self.paginators, self.number, self.options = extra, paginators, number, options

    def build(self) -> dict:
        """Pelican's own pagination arguments for this page (writers.Writer.write_file)."""
        number, kwargs = self.number, dict(self.extra)
        for key, paginator in self.paginators.items():
            last = number + 1 >= paginator.num_pages
            kwargs[f"{key}_paginator"] = paginator
            kwargs[f"{key}_page"] = paginator.page(number + 1)
            kwargs[f"{key}_previous_page"] = paginator.page(number) if number else None
            kwargs[f"{key}_next_page"] = None if last else paginator.page(number + 2)
        return {**self.options, **kwargs}


def materialized(call: tuple) -> tuple:
    name, template, context, args, kwargs = call
    if isinstance(kwargs, Paged):
        return name, template, context, args, kwargs.build()
    return call


# --- what a page's bytes depend on ------------------------------------------------------


def _files_digest(digest, folder: Path, pattern: str) -> None:
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())


def frame_digest(settings: dict, context: dict) -> str:
    """What every page shares: templates, code, plain settings, the site's pages, every
    post's identity and address, and the people directory."""
    digest = hashlib.sha256(b"chorus-pages-1\0")
    _files_digest(digest, Path(settings["THEME"]) / "templates", "*")
    for folder in settings.get("THEME_TEMPLATES_OVERRIDES") or []:
        _files_digest(digest, Path(folder), "*")
    digest.update(f"pelican={version('pelican')} jinja2={version('jinja2')}".encode())
    _files_digest(digest, HERE, "*.py")
    digest.update(plain_settings(settings).encode())
    memo: dict[int, str] = {}
    digest.update(value_digest(context.get("pages", []), memo).encode())
    everything = [
        *context.get("articles", []),
        *context.get("drafts", []),
        *context.get("hidden_articles", []),
        *context.get("pages", []),
    ]
    site = sorted(
        (str(c.source_path), str(getattr(c, "url", "")), str(getattr(c, "title", "")))
        for c in everything
    )
    digest.update(repr(site).encode())
    digest.update(value_digest(run_of(settings).directory, memo, nested=True).encode())
    return digest.hexdigest()


def site_frame(settings: dict, context: dict) -> str:
    """frame_digest, made once per build: the pages' writer and the feeds' entries (which
    resolve links to other posts) both key on it. Call it once every post's address is
    known (after the generators' generate_context)."""
    run = run_of(settings)
    if run.frame is None:
        run.frame = frame_digest(settings, context)
    return run.frame


def call_digest(frame: str, call: tuple, memo: dict) -> str:
    """The hash of one queued page: the frame, its name and template, and the value of
    every variable its template (with everything it extends, includes and imports) reads,
    from the page's own arguments or else from the shared context. Pelican hands every tag
    and department page all the site's posts (`all_articles`); a template that never reads
    them does not depend on them."""
    name, template, context, args, kwargs = call
    digest = hashlib.sha256(frame.encode())
    digest.update(f"{name}\0{template.name}\0".encode())
    digest.update(value_digest(args, memo).encode())
    used = template_variables(template, memo)
    for key in sorted(used if used is not None else {*kwargs, *context}):
        if key in kwargs:
            beside = key.endswith(NEIGHBOURS)  # a pagination link: its address is enough
            digest.update(f"{key}={value_digest(kwargs[key], memo, nested=beside)}\0".encode())
        elif key in context:
            slot = ("context", id(context), key)
            if slot not in memo:
                memo[slot] = value_digest(context[key], memo)
            shared = memo[slot]
            digest.update(f"{key}~{shared}\0".encode())
    return digest.hexdigest()


_PARSED: dict[tuple[str, str], tuple] = {}  # (name, source hash) → what it reads, reaches


def template_variables(template, memo: dict) -> frozenset[str] | None:
    """The variables a template and every template it reaches read from its context;
    None when it names a template only known at render time (then every one counts)."""
    key = ("template", template.name)
    if key not in memo:
        memo[key] = _variables(template.environment, template.name, set())
    return memo[key]


def _parsed(environment, name: str) -> tuple:
    """(variables read, templates reached) of one template's source; kept per process by
    the source's hash, so a live-reload server parses a template again only when edited."""
    source, _file, _uptodate = environment.loader.get_source(environment, name)
    key = (name, hashlib.sha256(source.encode()).hexdigest())
    if key not in _PARSED:
        tree = environment.parse(source)
        reads = frozenset(jinja_meta.find_undeclared_variables(tree))
        _PARSED[key] = (reads, tuple(jinja_meta.find_referenced_templates(tree)))
    return _PARSED[key]


def _variables(environment, name: str, seen: set[str]) -> frozenset[str] | None:
    if name in seen:
        return frozenset()
    seen.add(name)
    reads, reached = _parsed(environment, name)
    found = set(reads)
    for other in reached:
        if other is None:
            return None
        more = _variables(environment, other, seen)
        if more is None:
            return None
        found |= more
    return frozenset(found)


def value_digest(value, memo: dict[int, str], depth: int = 0, nested: bool = False) -> str:
    """A stable text for everything a template could read from `value`. A post met in a
    page's arguments (the post itself, or the posts a listing shows) is hashed through all
    its attributes (memoised per build); met inside another post or a person (a person's
    posts, say) it stands for itself by its source and address, whose changes the frame
    carries."""
    kind = type(value)
    if kind in PRIMITIVE:  # the common cases first, by exact type: a rebuild hashes ~10^6 values
        return repr(value)
    if depth <= MAX_DEPTH and (kind is dict or kind is list or kind is tuple):
        return _container_digest(value, memo, depth + 1, nested)
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"{type(value).__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}"
    if isinstance(value, FUNCTIONS):
        return getattr(value, "__qualname__", type(value).__name__)
    if depth > MAX_DEPTH:
        return type(value).__name__
    if isinstance(value, Content):
        if nested:
            key = ("nested", id(value))
            if key not in memo:
                url = getattr(value, "url", "")
                memo[key] = f"<{type(value).__name__} {value.source_path} {url}>"
            return memo[key]
        known = memo.get(id(value))
        if known is None:
            attrs = {k: v for k, v in vars(value).items() if k not in SKIP_KEYS}
            metadata = attrs.get("metadata")
            if type(metadata) is dict:
                attrs["metadata"] = _mirror(metadata, attrs)
            text = value_digest(attrs, memo, depth + 1, nested=True)
            known = memo[id(value)] = hashlib.sha256(text.encode()).hexdigest()
        return known
    if isinstance(value, Paginator):  # its pages are hashed where they are shown
        shape = f"{value.count} {value.per_page} {value.num_pages}"
        return f"<Paginator {value.name} {value.url} {shape}>"
    if isinstance(value, Page):
        return page_digest(value, memo, nested)
    if isinstance(value, URLWrapper):  # its url is worked out on every read: once per name
        key = ("wrapper", type(value), value._name, value._slug, id(value.settings))
        if key not in memo:
            memo[key] = f"<{type(value).__name__} {value.name} {value.slug} {value.url}>"
        return memo[key]
    inner = depth + 1
    if isinstance(value, dict | list | tuple):
        return _container_digest(value, memo, inner, nested)
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(value_digest(v, memo, inner, nested) for v in value)) + "}"
    if getattr(type(value), "DERIVED", False):  # made from what is hashed anyway: its name
        return type(value).__name__
    if hasattr(value, "__dict__"):  # a person, a department…: met by many posts, hashed once
        key = ("object", id(value))
        if key not in memo:
            attrs = {k: v for k, v in vars(value).items() if k not in SKIP_KEYS}
            text = type(value).__name__ + value_digest(attrs, memo, inner, nested=True)
            memo[key] = hashlib.sha256(text.encode()).hexdigest()
        return memo[key]
    if hasattr(value, "__slots__"):
        attrs = {k: getattr(value, k, None) for k in value.__slots__ if k not in SKIP_KEYS}
        return type(value).__name__ + value_digest(attrs, memo, inner, nested=True)
    return f"{type(value).__name__}:{value!r}"


def _mirror(metadata: dict, attrs: dict) -> dict:
    """Pelican sets every metadata entry as an attribute of the post too, the very same
    object: such an entry is hashed with the attributes, and here only by its name."""
    return {
        key: "<attribute>" if attrs.get(key, attrs) is value else value
        for key, value in metadata.items()
    }


def _first(pair: tuple) -> str:
    return pair[0]


def _container_digest(value, memo: dict, inner: int, nested: bool) -> str:
    def text(v) -> str:  # a plain value inline: most of what a post holds is strings
        return repr(v) if type(v) in PRIMITIVE else value_digest(v, memo, inner, nested)

    if isinstance(value, dict):
        items = sorted(((repr(k), v) for k, v in value.items()), key=_first) if value else ()
        return "{" + ",".join(f"{k}:{text(v)}" for k, v in items) + "}"
    if len(value) < LONG:
        return "[" + ",".join(map(text, value)) + "]"
    # a long list is the same object on many pages (a tag's posts on each of its pages):
    # hashed once per build; nothing changes the site's lists while pages are queued
    key = ("sequence", id(value), inner, nested)
    if key not in memo:
        joined = "[" + ",".join(map(text, value)) + "]"
        memo[key] = hashlib.sha256(joined.encode()).hexdigest()
    return memo[key]


def page_digest(page: Page, memo: dict, nested: bool) -> str:
    """One page of a listing: its number and address, and the posts it shows. The pages
    before and after it (`*_previous_page`, `*_next_page`) are met nested: by their
    number and address only, which is all a pagination link prints."""
    head = f"<Page {page.number}/{page.paginator.num_pages} {page.save_as} {page.url}"
    if nested:
        return head + ">"
    # item by item, never by the list's id: a page's list lives only while it is hashed
    shown = ",".join(value_digest(post, memo, 1) for post in page.object_list)
    return f"{head} [{shown}]>"


# --- the record of the previous output --------------------------------------------------


class PageRecord:
    """Output name → (hash, files) of the pages in an output folder as it was published:
    the last output, or the spare (the one before it, see take_spare)."""

    def __init__(self, file: Path | None, folder: Path, entries: dict):
        self.file, self.folder, self.entries = file, folder, entries
        self.present: set[str] = set()  # the spare's files found on disk (take_spare)
        self.taken_ns = 0  # the file system's clock when take_spare had cleared it

    @classmethod
    def load(cls, settings: dict) -> PageRecord:
        run = run_of(settings)
        return cls.of(Path(run.final_output or settings["OUTPUT_PATH"]))

    @staticmethod
    def file_of(folder: Path) -> Path | None:
        """The record's file for an output folder (None: no cache)."""
        cache = cache_dir()
        if cache is None:
            return None
        name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
        return Path(cache) / f"pages-{name}.json"

    @classmethod
    def of(cls, folder: Path) -> PageRecord:
        folder = folder.resolve()
        file = cls.file_of(folder)
        if file is None:
            return cls(None, folder, {})
        try:
            entries = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, ValueError):
            entries = {}
        return cls(file, folder, entries)

    def files(self) -> set[str]:
        """Every file the recorded pages wrote."""
        found: set[str] = set()
        for entry in self.entries.values():
            if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list):
                found.update(f for f in entry[1] if isinstance(f, str))
        return found

    def forget(self) -> None:
        """Delete the record: its folder is about to change."""
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.unlink()

    def drop_unclaimed(self, rendered: dict) -> None:
        """After a build into the spare: delete the spare's page files that no page of this
        build claimed (a post deleted, renamed or withheld since), and the folders they
        leave empty, unless something else wrote the file during this build."""
        claimed = {f for _key, files in rendered.values() for f in files}
        for name in sorted(self.present - claimed):
            path = os.path.join(self.folder, name)
            try:
                if os.stat(path).st_ctime_ns >= self.taken_ns:
                    continue  # written during this build by a generator of its own
                os.unlink(path)
            except OSError:
                continue
            parent = os.path.dirname(path)
            while parent != str(self.folder):
                try:
                    os.rmdir(parent)
                except OSError:
                    break
                parent = os.path.dirname(parent)

    def unchanged(self, name: str, key: str) -> list[str] | None:
        entry = self.entries.get(name)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
            files = entry[1]
            if isinstance(files, list) and all(isinstance(f, str) for f in files):
                return files
        return None

    def save(self, rendered: dict) -> None:
        """Remember this build's pages; called once its output is the published one."""
        if self.file is None:
            return
        entries = {name: [key, files] for name, (key, files) in rendered.items()}
        with contextlib.suppress(OSError):  # unsaved: the next build renders every page
            replace_file(self.file, json.dumps(entries, separators=(",", ":")).encode("utf-8"))


def spare_of(final: Path) -> Path:
    """Where chorus.build keeps the output it replaced, to write the next build into."""
    return final.with_name(f".{final.name}.spare")


def take_spare(final: Path, work: Path) -> PageRecord | None:
    """Move the spare output (the site as published two builds ago) onto `work`, an empty
    folder the next build writes into, and clear out of it everything but the files of its
    recorded pages; None (and `work` left empty) when there is no usable spare.

    Why: a build writes into a folder of its own, and carrying 7,500 unchanged pages over
    into a fresh one cost 7,500 directories and hard links, 1.9 s of a 5 s live-reload
    rebuild at 5,000 posts. The spare already holds nearly all of them: a page whose hash
    is the one the spare's record gives is left where it is, and only the pages changed in
    the last build (linked from the output) or in this one (rendered) are touched.

    Its record is deleted before the folder moves, so a build that fails or crashes
    afterwards leaves nothing that a later build could trust. Everything else in it (feeds,
    static files, vCards: what generators other than the page writer wrote) is removed
    here and written again by the build, as in a fresh folder; recorded pages this build
    does not make are removed after it (PageRecord.drop_unclaimed). Its files may be hard
    links into the published output, so the writer unlinks before writing any of them."""
    spare = spare_of(final)
    if not spare.is_dir():
        return None
    record = PageRecord.of(spare)
    record.forget()
    if record.file is None or not record.entries:  # kept by a build with a cache
        shutil.rmtree(spare, ignore_errors=True)
        return None
    try:
        os.rename(spare, work)  # onto the empty folder: one rename
    except OSError:
        return None  # another build took it first
    record.folder = work
    wanted = record.files()
    present = record.present

    def clear(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    clear(entry.path, name + "/")
                elif name in wanted:
                    present.add(name)
                else:
                    os.unlink(entry.path)

    clear(str(work), "")
    # The folder's ctime is the file system's own (coarse) clock: a file written from now
    # on has one at least as late, and the spare's files were all written before it.
    record.taken_ns = os.stat(work).st_ctime_ns
    return record


def keep_spare(old: Path, final: Path) -> bool:
    """After a swap: keep the replaced output as the spare, with its record (the one that
    described `final` until now); False when there is no record to keep it by."""
    spare = spare_of(final)
    source, target = PageRecord.file_of(final), PageRecord.file_of(spare)
    if source is None or target is None or not source.is_file() or spare.exists():
        return False  # no cache, a first build, or a concurrent build's spare: leave it
    try:
        os.rename(old, spare)
    except OSError:
        return False
    with contextlib.suppress(OSError):  # without its record the next take_spare removes it
        os.replace(source, target)
    return True


def use_template_cache(settings: dict) -> None:
    """Keep compiled templates in .chorus/cache/jinja/ (Jinja's own cache, keyed by each
    template's source checksum, so an edited template is compiled again): Pelican makes a
    new template environment for every build, and compiling the theme was a tenth of a
    rebuild and a fifth of a preview."""
    from jinja2 import FileSystemBytecodeCache

    folder = cache_dir()
    if folder is None:
        return
    folder = Path(folder) / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment["bytecode_cache"] = FileSystemBytecodeCache(str(folder))
    settings["JINJA_ENVIRONMENT"] = environment


def start_template_cache(pelican) -> None:
    """initialized: before the generators make their template environments."""
    use_template_cache(pelican.settings)


def get_writer(pelican):
    """get_writer: Pelican makes the writer from the class returned; the instance is kept
    on the Pelican object so that `finalized` can work through its queue."""

    class Writer(ChorusWriter):
        def __init__(self, output_path, settings=None):
            super().__init__(output_path, settings)
            pelican.chorus_writer = self

    return Writer


def flush_queue(pelican) -> None:
    """finalized, before anything reads the output: every generator has queued its pages."""
    writer = getattr(pelican, "chorus_writer", None)
    if isinstance(writer, ChorusWriter):
        writer.flush(pelican.settings)


def remember_pages(pelican) -> None:
    """finalized: a build written straight into its output folder (`python -m pelican`)
    is published as it is written; chorus.build remembers the pages after its swap."""
    run = run_of(pelican.settings)
    if run.final_output is None and run.rendered_record is not None:
        run.rendered_record.save(run.rendered)
