"""Mosaics in each language's fixture: language of the sentences, rules that apply, shares, verification.

For every fixture in tests/fixtures/lang (written for this project), under the
default policy ``auto``, every k mode and three seeds: the share of mosaics
whose sentences are all in the fixture's language, word or alphabetical rules
on Chinese and Japanese (there must be none), the verifier's verdict on every
mosaic; then, over 300 epochs of one k mode, each applicable rule's realised
share against its configured one (for Chinese the factor must stay within 1.5);
then ``meta_language en`` on the same data.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mosaic_core import MosaicConfig, MosaicRun, SourceTable, builtin_library, load_dataset, verify_mosaic  # noqa: E402
from mosaic_core.generate.kdraw import K_MODES  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "lang"
OUT = ROOT / "bench" / "out"


def measure(language: str) -> dict[str, Any]:
    library = builtin_library()
    pack = library.pack(language)
    table = SourceTable.build(load_dataset(FIXTURES / f"{language}.jsonl").records, "cl100k_base")
    mosaics = in_language = failed = 0
    with_sentence = sentences_in_language = 0
    forbidden: Counter[str] = Counter()
    for mode in [m for m in K_MODES if m != "custom"]:
        for seed in (0, 1, 2):
            config = MosaicConfig(k_mode=mode, epochs=10, seed=seed)
            for mosaic in MosaicRun(table, config).mosaics():
                plan = mosaic.plan
                mosaics += 1
                in_language += plan.language == language
                ids = [t for t in (plan.outer_template, plan.decoration.format_template) if t is not None]
                if ids:
                    with_sentence += 1
                    sentences_in_language += all(library.get(t).language == language for t in ids)
                if plan.rule and not pack.uses_family(plan.rule):
                    forbidden[plan.rule] += 1
                failed += not verify_mosaic(mosaic, library).ok
    # Shares need independent draws: k modes share each mosaic's generator, so one mode, many epochs.
    rules: dict[str, Counter[str]] = {"permute": Counter(), "maskout": Counter()}
    for mosaic in MosaicRun(table, MosaicConfig(epochs=300, seed=7)).mosaics():
        if mosaic.plan.rule:
            rules[mosaic.plan.strategy][mosaic.plan.rule] += 1
    factors = {}
    for strategy, counts in rules.items():
        applies = [name for name in MosaicConfig().enabled_rules(strategy) if pack.uses_family(name)]
        total = max(sum(counts.values()), 1)
        for name in applies:
            factors[name] = round(counts[name] / total * len(applies), 3)
    english = MosaicRun(table, MosaicConfig(meta_language="en", epochs=2))
    english_ok = all(m.plan.language == "en" for m in english.mosaics())
    return {
        "mosaics": mosaics,
        "in_language": in_language / mosaics,
        "sentences_in_language": sentences_in_language / max(with_sentence, 1),
        "failed": failed,
        "rules_without_meaning": dict(forbidden),
        "share_factors": factors,
        "worst_factor": max(*factors.values(), 1 / max(min(factors.values()), 1e-9)),
        "meta_language_en_all_english": english_ok,
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    results = {path.stem: measure(path.stem) for path in sorted(FIXTURES.glob("*.jsonl"))}
    (OUT / "languages.json").write_text(json.dumps(results, indent=2))
    print("## Languages (fixtures in tests/fixtures/lang, auto, 7 k modes x 3 seeds x 10 epochs)")
    print(
        "| language | mosaics | in its language | sentences in it | failed verify | rules without meaning "
        "| worst share factor |"
    )
    print("|---|---|---|---|---|---|---|")
    met = True
    for language, found in results.items():
        print(
            f"| {language} | {found['mosaics']:,} | {found['in_language']:.2%} | {found['sentences_in_language']:.2%} "
            f"| {found['failed']} | {sum(found['rules_without_meaning'].values())} | {found['worst_factor']:.2f} |"
        )
        met = met and found["failed"] == 0 and not found["rules_without_meaning"]
        met = met and found["in_language"] >= 0.99 and found["meta_language_en_all_english"]
    zh = results.get("zh")
    if zh is not None:
        print("Chinese rule shares, realised over configured (among the rules that apply):")
        print("  " + ", ".join(f"{name} {factor:.2f}" for name, factor in zh["share_factors"].items()))
        met = met and zh["worst_factor"] <= 1.5
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
