"""Mosaics in their items' language: detection, the meta-language policy, and rules that mean something there."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.rules.base import CLASSES_FROM
from mosaic_core.table import SourceTable
from mosaic_core.text.language import detect_languages
from mosaic_core.text.templates import BUILTIN_LANGUAGES, builtin_library
from mosaic_core.verify.mosaic import verify_mosaic

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lang"
OTHER = [language for language in BUILTIN_LANGUAGES if language != "en"]
WORD_OR_LETTER = ("alphabetical", "_words")


@cache
def records_of(language: str) -> tuple[SourceRecord, ...]:
    return tuple(load_dataset(FIXTURES / f"{language}.jsonl").records)


@cache
def table_of(language: str) -> SourceTable:
    return SourceTable.build(list(records_of(language)), "cl100k_base")


def mosaics(table: SourceTable, **settings: object) -> list[Mosaic]:
    config = MosaicConfig(**{"epochs": 6, "max_k": 6, "seed": 3, **settings})  # type: ignore[arg-type]
    return list(MosaicRun(table, config).mosaics())


class TestDetection:
    @pytest.mark.parametrize("language", OTHER)
    def test_fixture_records_are_detected_in_their_language(self, language: str) -> None:
        """At least 90% of each fixture's records are labelled with its language, none with another pack's."""
        labels = detect_languages([r.prompt_text for r in records_of(language)])
        counts = Counter(labels)
        assert counts[language] >= 0.9 * len(labels), counts
        assert not {label for label in counts if label in BUILTIN_LANGUAGES} - {language}, counts

    @pytest.mark.parametrize("workers", [1, 2])
    def test_read_from_the_instruction_not_its_input(self, workers: int) -> None:
        """A task about a German sentence, asked in English, is English; an input with no instruction is read."""
        german = "Das Wetter ist heute wirklich schön, und wir gehen am Nachmittag im Park spazieren."
        records = [
            SourceRecord("ask", "Identify the language of this sentence.", german, "German."),
            SourceRecord("bare", "", german, "Ja."),
        ] + [SourceRecord(f"en{i}", f"Write a short poem about the sea, number {i}.", "", "Waves.") for i in range(12)]
        # Forked workers count only from 20,000 texts: the same records, repeated.
        many = records * (1 if workers == 1 else 800)
        languages = SourceTable.build(many, "cl100k_base", workers=workers, languages=True).languages
        assert languages[:2] == ["en", "de"]

    def test_plainly_foreign_text_is_sure_enough_in_an_english_dataset(self) -> None:
        """A French instruction full of formulas (the model says French at 0.87) is French among English ones;
        short English that the model takes for French or Spanish ("Create a unique password.") stays undetermined."""
        english = [f"Write a short poem about the sea, number {i}." for i in range(60)]
        french = "Calcule la dérivée de g(x) = 5x³ − 2x + 7, puis donne la valeur de g′(3)."
        shaky = ["Create a unique password.", "Who recieves a dowry?"]
        assert detect_languages([*english, french, *shaky])[-3:] == ["fr", "", ""]

    def test_undetermined_below_confidence(self) -> None:
        assert detect_languages(["42", "Write a limerick about a cat who learns to code."]) == ["", "en"]


class TestAutoPolicy:
    @pytest.mark.parametrize("language", OTHER)
    def test_mosaics_speak_their_items_language_and_verify(self, language: str) -> None:
        """Under auto, at least 99% of mosaics are in the fixture's language; every one verifies."""
        made = mosaics(table_of(language))
        library = builtin_library()
        in_language = sum(m.plan.language == language for m in made)
        assert in_language >= 0.99 * len(made)
        for mosaic in made:
            for template_id in (mosaic.plan.outer_template, mosaic.plan.decoration.format_template):
                if template_id is not None:
                    assert library.get(template_id).language == mosaic.plan.language
            verdict = verify_mosaic(mosaic, library)
            assert verdict.ok, (mosaic.plan.rule, verdict.problems)

    @pytest.mark.parametrize("language", ["zh", "ja"])
    def test_no_alphabetical_or_word_rule_in_chinese_or_japanese(self, language: str) -> None:
        rules = Counter(m.plan.rule for m in mosaics(table_of(language), epochs=12))
        assert not [rule for rule in rules if rule and any(part in rule for part in WORD_OR_LETTER)], rules
        assert rules["permute.shortest_chars"] + rules["permute.longest_chars"] > 0

    def test_chinese_rule_shares_follow_the_configured_ones(self) -> None:
        """In mosaics of four instructions or more, where every rule can apply, each rule that applies to Chinese
        is realised within a factor 1.5 of its configured share (the odd and even rules need four)."""
        run = MosaicRun(table_of("zh"), MosaicConfig(epochs=40, max_k=6, seed=1))
        made = list(run.mosaics())
        by_strategy: dict[str, Counter[str]] = {"permute": Counter(), "maskout": Counter()}
        for mosaic in made:
            if mosaic.plan.rule and mosaic.plan.k >= CLASSES_FROM:
                by_strategy[mosaic.plan.strategy][mosaic.plan.rule] += 1
        pack = builtin_library().pack("zh")
        for strategy, counts in by_strategy.items():
            applies = [rule for rule in run.rules[strategy] if pack.uses_family(rule)]
            assert set(counts) == set(applies)
            total = sum(counts.values())
            for rule in applies:
                ratio = counts[rule] / total * len(applies)
                assert 1 / 1.5 <= ratio <= 1.5, (rule, ratio)

    def test_russian_alphabetical_order_follows_the_cyrillic_alphabet(self) -> None:
        made = mosaics(table_of("ru"), epochs=20, mix={"permute": 1.0}, disabled_rules=_all_but("alphabetical"))
        alphabetical = [m for m in made if m.plan.rule == "permute.alphabetical"]
        assert alphabetical
        alphabet = builtin_library().pack("ru").alphabet
        for mosaic in alphabetical:
            firsts = [records_by_id("ru")[sid].prompt_text[0].lower() for sid in mosaic.plan.source_ids]
            ordered = [alphabet.index(firsts[p]) for p in mosaic.plan.order]
            assert ordered == sorted(ordered)


def _all_but(kind: str) -> tuple[str, ...]:
    from mosaic_core.rules.registry import RULES

    return tuple(name for name in RULES if name != f"permute.{kind}")


@cache
def records_by_id(language: str) -> dict[str, SourceRecord]:
    return {record.id: record for record in records_of(language)}


class TestFixedPolicy:
    def test_meta_language_en_writes_english_over_chinese(self) -> None:
        """``--meta-language en``: every sentence English, as the paper does, whatever the data."""
        made = mosaics(table_of("zh"), meta_language="en")
        library = builtin_library()
        assert {m.plan.language for m in made} == {"en"}
        for mosaic in made:
            if mosaic.plan.outer_template:
                assert library.get(mosaic.plan.outer_template).language == "en"

    def test_unknown_language_is_refused(self) -> None:
        with pytest.raises(Exception, match="unknown meta_language 'xx'"):
            MosaicConfig(meta_language="xx")


class TestMixedData:
    @pytest.fixture
    def mixed(self) -> SourceTable:
        """40 Chinese and 30 German records (the ids made distinct): German is the main language."""
        records = [
            SourceRecord(f"{language}-{record.id}", record.instruction, record.input, record.output)
            for language, count in (("zh", 40), ("de", 30))
            for record in records_of(language)[:count]
        ]
        return SourceTable.build(records, "cl100k_base")

    def test_main_policy_writes_disagreeing_mosaics_in_the_main_language(self, mixed: SourceTable) -> None:
        languages = dict(zip([r.id for r in mixed.records], mixed.languages, strict=True))
        main = Counter(label for label in mixed.languages if label).most_common(1)[0][0]
        made = mosaics(mixed)
        for mosaic in made:
            voted = {languages[sid] for sid in mosaic.plan.source_ids} - {""}
            expected = voted.pop() if len(voted) == 1 else main
            assert mosaic.plan.language == expected
        assert {m.plan.language for m in made} == {"zh", "de"}

    def test_separate_keeps_a_language_without_a_pack_to_itself(self) -> None:
        """Italian and Korean have no pack: under separate their items still never share a mosaic with others."""
        records = [SourceRecord(f"r{i}", f"Instruction number {i}.", "", f"Answer {i}.") for i in range(60)]
        table = SourceTable.build(records, "cl100k_base")
        labels = ["en", "en", "it", "ko", "de", ""] * 10  # English the main language
        table.set_languages(labels)
        of = dict(zip([r.id for r in records], labels, strict=True))
        made = mosaics(table, mixed_languages="separate", k_mode="fix_max", max_k=6)
        for mosaic in made:
            voted = {of[sid] or "en" for sid in mosaic.plan.source_ids}  # undetermined items join the main language
            assert len(voted) == 1, voted
        assert {m.plan.language for m in made} == {"en", "de"}  # Italian and Korean mosaics speak the main one
        assert max(m.plan.k for m in made if of[m.plan.source_ids[0]] == "it") > 1

    def test_separate_policy_never_mixes_languages(self, mixed: SourceTable) -> None:
        languages = dict(zip([r.id for r in mixed.records], mixed.languages, strict=True))
        made = mosaics(mixed, mixed_languages="separate")
        for mosaic in made:
            voted = {languages[sid] or mosaic.plan.language for sid in mosaic.plan.source_ids}
            assert voted == {mosaic.plan.language}
        assert {m.plan.language for m in made} == {"zh", "de"}
