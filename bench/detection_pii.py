"""Recall and false positives of the `pii` rule on tests/fixtures/detection/pii/.

Every line of `positive/<category>.txt` must give a finding, no line of `negative/` may.
libphonenumber's own example number of every number type of every configured region is a
further category (`phone-examples`), written in national and in international format: data
nobody here wrote. The rule is the one in content/guidelines.yaml, run through the kind's
own prepare/check, so this measures what the lint does.

    python -m bench.detection_pii
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from plugins.guidelines.config import load_guidelines
from plugins.guidelines.kinds import KINDS
from plugins.guidelines.model import Rule
from plugins.guidelines.post import Post

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "detection" / "pii"
GUIDELINES = ROOT / "content" / "guidelines.yaml"


@dataclass
class Score:
    category: str
    positive: bool  # a category of things to find (recall) or of things to leave (FP)
    cases: int
    flagged: int
    misses: list[str]  # positives not found, negatives flagged

    @property
    def rate(self) -> float:
        return self.flagged / self.cases if self.cases else 0.0


def pii_rule(path: Path = GUIDELINES) -> Rule:
    rule = next(r for r in load_guidelines(path).rules if r.kind == "pii")
    rule.compiled = KINDS["pii"].prepare(rule)
    return rule


def flags(rule: Rule, text: str) -> bool:
    post = Post("case.md", text, {}, {}, 1, 1, None, "case")
    return any(True for _ in KINDS["pii"].check(rule, post, None))


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def example_numbers(regions: list[str]) -> list[str]:
    """libphonenumber's example number for each type each region has, both formats."""
    cases = []
    for region in regions:
        for kind in sorted(phonenumbers.supported_types_for_region(region)):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            for style in (phonenumbers.PhoneNumberFormat.NATIONAL,
                          phonenumbers.PhoneNumberFormat.INTERNATIONAL):  # fmt: skip
                cases.append(f"Call {phonenumbers.format_number(number, style)} today.")
    return cases


def regions_of(rule: Rule) -> list[str]:
    region = rule.options.get("region") or "NL"
    others = rule.options.get("regions") or []
    return [region, *[r for r in others if r != region]]


def run(rule: Rule | None = None, show: bool = True) -> list[Score]:
    rule = rule or pii_rule()
    sets = [(p.stem, True, _lines(p)) for p in sorted((CORPUS / "positive").glob("*.txt"))]
    sets.append(("phone-examples", True, example_numbers(regions_of(rule))))
    sets += [(p.stem, False, _lines(p)) for p in sorted((CORPUS / "negative").glob("*.txt"))]
    scores = []
    for category, positive, cases in sets:
        hits = [case for case in cases if flags(rule, case)]
        wrong = [c for c in cases if c not in hits] if positive else hits
        scores.append(Score(category, positive, len(cases), len(hits), wrong))
    if show:
        report(scores)
    return scores


def totals(scores: list[Score]) -> tuple[float, float]:
    """(recall over all positives, false-positive rate over all negatives)."""
    pos = [s for s in scores if s.positive]
    neg = [s for s in scores if not s.positive]
    recall = sum(s.flagged for s in pos) / sum(s.cases for s in pos)
    fp = sum(s.flagged for s in neg) / sum(s.cases for s in neg)
    return recall, fp


def report(scores: list[Score]) -> None:
    for s in scores:
        label = "recall" if s.positive else "FP"
        print(f"{s.category:22} {label:6} {s.rate:6.1%}  ({s.flagged}/{s.cases})")
        for case in s.misses:
            print(f"    {'missed' if s.positive else 'flagged'}: {case}")
    recall, fp = totals(scores)
    print(f"{'all':22} recall {recall:6.1%}  FP {fp:.1%}")


if __name__ == "__main__":
    run()
