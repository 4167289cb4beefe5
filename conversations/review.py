"""`conversations review` in a terminal: one pending reply at a time, oldest first, and one
key for what to do with it: [a]pprove, [h]ide, [b]lock its author, [s]kip, [q]uit.

Every decision is written to the decisions file at once (moderation.save, as the script
flags do), so quitting, Ctrl-C or a closed terminal loses nothing already decided. A block
also settles that author's other pending replies, which are then not asked about.

Everything shown was written by strangers: it is printed through core.problems.one_line,
so no control, escape or bidirectional-override character reaches the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from conversations import moderation
from conversations.model import Response
from core.problems import one_line
from core.text import html_to_text
from plugins.text import cut_at_word

CHOICES = {"a": "approve", "h": "hide", "b": "block", "s": "skip", "q": "quit"}
DONE = {"approve": "approved", "hide": "hidden", "block": "blocked", "skip": "skipped"}
PROMPT = "[a]pprove  [h]ide  [b]lock author  [s]kip  [q]uit > "
SHOWN = 600  # characters of a reply's text; the link has the rest


def pending(responses: Iterable[Response], decisions: moderation.Decisions,
            directory: set[str]) -> list[Response]:  # fmt: skip
    """Replies and quotes nobody has decided on, oldest first."""
    waiting = [
        r
        for r in responses
        if r.kind in ("reply", "quote") and decisions.state(r, directory) == "pending"
    ]
    return sorted(waiting, key=lambda r: (r.published, r.platform, r.response_id))


def show(response: Response, index: int, total: int, post: str) -> str:
    text = cut_at_word(html_to_text(response.text), SHOWN) or "(no text)"
    head = f"[{index}/{total}] {moderation.key(response)} · {response.author.handle} · "
    lines = [head + response.published, f"on {post}" if post else "", text, response.url]
    return "\n".join(("  " if i else "") + one_line(line) for i, line in enumerate(lines) if line)


def run(
    decisions_path: Path,
    responses: Iterable[Response],
    directory: set[str],
    *,
    post_of: Callable[[Response], str] = lambda _r: "",
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
) -> Counter:
    """The loop; the counts of what was decided. End of input is quit."""
    decisions = moderation.load(decisions_path)
    queue = pending(responses, decisions, directory)
    done: Counter = Counter()
    if not queue:
        say("review: nothing waiting for a decision")
        return done
    for index, response in enumerate(queue, start=1):
        if decisions.state(response, directory) != "pending":
            done["settled by a block"] += 1
            continue
        say(show(response, index, len(queue), post_of(response)))
        while True:
            try:
                answer = ask(PROMPT).strip().lower()[:1]
            except EOFError:
                answer = "q"
            if answer in CHOICES:
                break
            say("  answer a, h, b, s or q")
        choice = CHOICES[answer]
        if choice == "quit":
            break
        if choice == "approve":
            decisions.approve.add(moderation.key(response))
        elif choice == "hide":
            decisions.hide.add(moderation.key(response))
        elif choice == "block":
            decisions.block_accounts.add(response.author.handle.lower())
        done[DONE[choice]] += 1
        if choice != "skip":
            moderation.save(decisions_path, decisions)
    left = len(pending(queue, decisions, directory))
    counts = ", ".join(f"{n} {k}" for k, n in done.items()) or "no decisions"
    say(f"review: {counts}; {left} still waiting")
    return done
