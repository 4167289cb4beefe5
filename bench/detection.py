"""Recall and false-positive rate of the `secrets` rule on published scanner samples,
next to detect-secrets alone (its default plugins and filters) on the same texts.

The corpus is tests/fixtures/detection/secrets/<category>.tp.txt (true positives) and
<category>.fp.txt (false positives), samples separated by a `%%` line (see the README
there for where they come from). Each sample is placed in prose, in inline code and in a
fenced code block (multi-line samples and samples with backticks only in the code block),
inside an otherwise clean post. A text counts as found when the scanner reports anything.

    python -m bench.detection
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "detection" / "secrets"
FRONT = "---\ntitle: Notes from the platform team\ndate: 2026-11-20 09:30\n---\n"


def samples() -> Iterator[tuple[str, bool, str]]:
    """(category, is_secret, sample) for every sample in the corpus."""
    for path in sorted(CORPUS.glob("*.txt")):
        category, label = path.name.split(".")[:2]
        for sample in path.read_text().split("\n%%\n"):
            if sample.strip():
                yield category, label == "tp", sample.rstrip("\n")


def placements(sample: str) -> Iterator[tuple[str, str]]:
    """The sample where authors paste it: a sentence, inline code, a code block."""
    if "\n" not in sample and "`" not in sample:
        yield "prose", f"{FRONT}We set this up last week: {sample} and it worked.\n"
        yield "inline", f"{FRONT}We set this up last week: `{sample}` and it worked.\n"
    yield "fenced", f"{FRONT}We set this up last week:\n\n```\n{sample}\n```\n\nIt worked.\n"


def corpus() -> Iterator[tuple[str, bool, str, str]]:
    for category, positive, sample in samples():
        for where, text in placements(sample):
            yield category, positive, where, text


def chorus_scanner():
    """The repository's own `secrets.credentials` rule, as the lint runs it."""
    from plugins.guidelines.config import load_guidelines
    from plugins.guidelines.kinds.secrets import scan

    rule = load_guidelines(ROOT / "content" / "guidelines.yaml").rule("secrets.credentials")
    return lambda text: any(True for _ in scan(text, rule.compiled))


def detect_secrets_scanner():
    """`detect-secrets scan` on the post as a file: default plugins and filters."""
    import tempfile

    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    folder = Path(tempfile.mkdtemp(prefix="chorus-ds-"))
    path = folder / "post.md"

    def found(text: str) -> bool:
        path.write_text(text)
        secrets = SecretsCollection()
        with default_settings():
            secrets.scan_file(str(path))
        return bool(secrets)

    return found


def measure(scanner) -> dict[str, dict[str, list[int]]]:
    """category → {"tp": [found, total], "fp": [flagged, total]}."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"tp": [0, 0], "fp": [0, 0]})
    for category, positive, _where, text in corpus():
        cell = counts[category]["tp" if positive else "fp"]
        cell[0] += bool(scanner(text))
        cell[1] += 1
    return counts


def totals(counts) -> tuple[float, float]:
    """(recall, false-positive rate) over the whole corpus."""
    tp = [sum(c["tp"][i] for c in counts.values()) for i in (0, 1)]
    fp = [sum(c["fp"][i] for c in counts.values()) for i in (0, 1)]
    return tp[0] / max(tp[1], 1), fp[0] / max(fp[1], 1)


def _rate(cell: list[int]) -> str:
    return f"{cell[0] / cell[1]:6.0%} ({cell[0]:>3}/{cell[1]:<3})" if cell[1] else " " * 16


def main() -> int:
    chorus, alone = measure(chorus_scanner()), measure(detect_secrets_scanner())
    print(f"{'category':<14} {'Chorus recall':>16} {'Chorus FP':>16}   "
          f"{'d-s recall':>16} {'d-s FP':>16}")  # fmt: skip
    for category in sorted(chorus):
        c, d = chorus[category], alone[category]
        cells = (_rate(c["tp"]), _rate(c["fp"]), _rate(d["tp"]), _rate(d["fp"]))
        print(f"{category:<14} {cells[0]} {cells[1]}   {cells[2]} {cells[3]}")
    (cr, cf), (dr, df) = totals(chorus), totals(alone)
    print(f"{'all':<14} {cr:>16.1%} {cf:>16.1%}   {dr:>16.1%} {df:>16.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
