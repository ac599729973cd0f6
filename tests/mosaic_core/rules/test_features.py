"""The features of an instruction that size and letter rules compare."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.rules.features import char_readings, first_letter, word_count, word_readings
from mosaic_core.table import SourceTable


def _pair_mosaics(records: list[SourceRecord], language: str, mix: dict[str, float]) -> Iterator[Mosaic]:
    """Every mosaic of the two ``records`` together (k = 2), in ``language``, over 300 seeds of one epoch each."""
    table = SourceTable.build(records, "cl100k_base")
    table.set_languages([language] * len(records))
    for seed in range(300):
        config = MosaicConfig(seed=seed, epochs=1, k_mode="fix_max", max_k=2, mix=mix)
        yield from MosaicRun(table, config).mosaics()


class TestFirstLetter:
    @pytest.mark.parametrize(
        ("text", "letter"),
        [
            ("Name a colour.", "n"),
            ("'Quoted' start", ""),
            ("42 is the answer to what?", ""),
            ("(a) list", ""),
            ("zip two lists", "z"),
            ("Été", "é"),
            ("Объясни", "о"),
            ("日本 then English", "日"),
            ("«Quoted»", ""),
            ("123 ...", ""),
            ("", ""),
        ],
    )
    def test_first_character_if_a_letter(self, text: str, letter: str) -> None:
        """The first character decides, lower-cased, if it is a letter (a quote, digit or bracket: none).

        Whether the letter counts is the alphabet's call (``RuleInput.alphabet``), per language."""
        assert first_letter(text) == letter


class TestWordCount:
    @pytest.mark.parametrize(
        ("text", "count"),
        [("Sum 2 and 3.", 4), ("", 0), ("  one  ", 1), ("tabs\tand\nnewlines  count", 4), ("a,b;c", 1)],
    )
    def test_whitespace_separated_pieces(self, text: str, count: int) -> None:
        """Words are what whitespace separates, punctuation included."""
        assert word_count(text) == count


class TestReadings:
    def test_word_readings(self) -> None:
        """Words as whitespace pieces and as letter-digit runs, for the whole text and its first line."""
        assert word_readings('String s = "Hi";\nin Java') == (6, 5, 5, 4, 3, 3)

    def test_chinese_words_are_characters_in_the_second_reading(self) -> None:
        """A Chinese instruction is one whitespace piece but many words to a reader: the readings disagree."""
        assert word_readings("为这行代码加上注释") == (1, 9, 1, 1, 9, 1)
        assert word_readings("日本語の文を書いて ok") == (2, 10, 2, 2, 10, 2)
        assert word_readings("한국어 문장 두 개") == (4,) * 6  # Korean puts spaces between its words

    def test_an_english_mosaic_never_sizes_a_chinese_item_by_its_spaces(self) -> None:
        """Mosaics in English with a Chinese item take no word-count rule (the answer would depend on the reading)."""
        records = [SourceRecord(f"e{i}", f"Explain topic {i} in a few plain words.", "", "Sure.") for i in range(20)]
        chinese = "请用三句话解释光合作用是什么以及它为什么对地球上的生命如此重要"
        records.append(SourceRecord("zh", chinese, "", "光合作用把光能变成化学能。"))  # "好的。" alone only waits
        table = SourceTable.build(records, "cl100k_base")
        table.set_languages(["en"] * 20 + ["zh"])
        worded = 0
        for seed in range(40):
            run = MosaicRun(table, MosaicConfig(seed=seed, epochs=1, max_k=4, mix={"permute": 1, "maskout": 1}))
            for mosaic in run.mosaics():
                if "zh" in mosaic.plan.source_ids and mosaic.plan.language == "en":
                    worded += 1
                    assert not (mosaic.plan.rule or "").endswith("_words"), mosaic.prompt
        assert worded > 5

    def test_a_lone_sign_that_decides_keeps_french_word_rules_away(self) -> None:
        """French spaces "?" and "»" apart: where counting them decides the order, no word rule is used."""
        records = [
            SourceRecord("a", "Qui a écrit « Les Misérables » ?", "", "Victor Hugo."),  # 8 pieces, 5 with letters
            SourceRecord("b", "Donne un synonyme de « rapide ».", "", "Vite."),  # 7 pieces, 5 with letters
        ]
        rules = set()
        for mosaic in _pair_mosaics(records, "fr", {"permute": 1, "maskout": 1}):
            rule, ids = mosaic.plan.rule, mosaic.plan.source_ids
            rules.add(rule)
            # With lone signs b is shorter; without them the two tie, and a tie keeps the given order.
            assert rule not in ("maskout.shortest_words", "maskout.longest_words"), mosaic.prompt
            assert rule != "permute.shortest_words" or ids == ("b", "a"), mosaic.prompt
            assert rule != "permute.longest_words" or ids == ("a", "b"), mosaic.prompt
        assert {"permute.shortest_words", "permute.longest_words"} <= rules  # where both readings agree, they apply

    def test_a_lone_dash_is_a_reading_in_english_too(self) -> None:
        """'I don't - know' is 4 pieces and 4 letter runs, but 3 words if the lone dash is none: sizes tie or not."""
        records = [
            SourceRecord("a", "I don't - know", "", "Fine."),
            SourceRecord("b", "Tell me your name", "", "Sam."),
        ]
        shortest = set()
        for mosaic in _pair_mosaics(records, "en", {"permute": 1}):
            if mosaic.plan.rule == "permute.shortest_words":
                shortest.add(mosaic.plan.source_ids)
        assert shortest == {("a", "b")}  # a first: a tie keeps it first, and 3 < 4 puts it first

    def test_char_readings(self) -> None:
        """Characters with and without white space, for the whole text and its first line."""
        assert char_readings("ab c\nd") == (6, 4, 4, 3)

    def test_readings_agree_on_plain_words(self) -> None:
        """Plain one-line text reads the same every way."""
        assert len(set(word_readings("Name three colours"))) == 1


class TestLongTexts:
    @pytest.mark.parametrize("seed", range(5))
    def test_chunked_word_count_equals_split(self, seed: int) -> None:
        """Past a megabyte the count runs in chunks; words cut at a chunk boundary are counted once."""
        import random

        from mosaic_core.rules import features

        rng = random.Random(seed)
        pieces = [rng.choice(["ab", "x", " ", "  ", "\n", "wörd", "\t", "9"]) for _ in range(900_000)]
        text = "".join(pieces)
        assert len(text) > features._CHUNK
        assert features.word_count(text) == len(text.split())

    def test_a_tab_that_decides_keeps_word_rules_away(self) -> None:
        """The sentences call a word a run between spaces or line breaks: a pasted table's tabs split runs to one
        reader and not to another, so where they decide the order no word rule is used."""
        records = [
            SourceRecord("a", "Sort this table:\nname\tage\tcity\nAda\t36\tLondon", "", "Done."),  # 9 pieces, 5 runs
            SourceRecord("b", "Name the seven colours of a rainbow", "", "Red..."),  # 7 either way
        ]
        rules = {mosaic.plan.rule for mosaic in _pair_mosaics(records, "en", {"permute": 1, "maskout": 1})}
        assert not rules & {"permute.shortest_words", "permute.longest_words"}, rules
        assert {"permute.shortest_chars", "permute.reverse"} <= rules  # the other rules still apply
