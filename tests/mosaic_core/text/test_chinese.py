"""Simplified or Traditional: the script of Chinese records, and the pack their mosaics speak."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.text.chinese import SIMPLIFIED, TRADITIONAL, UNSURE, main_script, resolve, script_of
from mosaic_core.text.language import confident_main, detect_languages, settle
from mosaic_core.text.templates import builtin_library

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lang"


class TestScript:
    @pytest.mark.parametrize(
        ("text", "script"),
        [
            ("请把这段话翻译成英文。", "zh-Hans"),
            ("請把這段話翻譯成英文。", TRADITIONAL),
            ("为什么天空是蓝色的？", "zh-Hans"),
            ("為什麼天空是藍色的？", TRADITIONAL),
            ("大哥", UNSURE),
            ("写一个Python函数，但不要用這個库。", "zh-Hans"),  # two simplified forms (写, 库) to one traditional
        ],
    )
    def test_the_forms_a_text_uses_tell_its_script(self, text: str, script: str) -> None:
        assert script_of(text) == script

    def test_chinese_that_reads_the_same_in_both_takes_the_datasets_script(self) -> None:
        traditional = [(TRADITIONAL, 1.0)] * 3 + [("zh-Hans", 1.0), (UNSURE, 1.0)]
        assert [code for code, _ in resolve(traditional)] == [TRADITIONAL] * 3 + [SIMPLIFIED, TRADITIONAL]
        simplified = [("zh-Hans", 1.0), (TRADITIONAL, 1.0), (UNSURE, 0.7)]  # a tie: Simplified
        assert resolve(simplified) == [(SIMPLIFIED, 1.0), (TRADITIONAL, 1.0), (SIMPLIFIED, 0.7)]
        assert resolve([("en", 0.9), ("de", 0.4)]) == [("en", 0.9), ("de", 0.4)]

    def test_settled_labels_and_the_main_language_are_pack_codes(self) -> None:
        """No raw label (zh-Hans, zh?) reaches a table or a manifest: the Ray engine's main language included."""
        labels = [(TRADITIONAL, 1.0)] * 4 + [(UNSURE, 1.0), ("en", 0.95)]
        assert settle(labels) == [TRADITIONAL] * 5 + ["en"]
        assert confident_main([(UNSURE, 1.0)] * 3 + [("zh-Hans", 1.0)]) == SIMPLIFIED
        # A Ray block settles its records against the whole dataset's script, not its own few.
        block = [("zh-Hans", 1.0), (UNSURE, 1.0)]
        assert settle(block) == [SIMPLIFIED] * 2
        assert settle(block, chinese=TRADITIONAL) == [SIMPLIFIED, TRADITIONAL]
        assert main_script([TRADITIONAL, TRADITIONAL, "zh-Hans", UNSURE, "en"]) == TRADITIONAL

    def test_detection_tells_the_two_scripts_apart(self) -> None:
        texts = ["請寫一首關於秋天的短詩。", "请写一首关于秋天的短诗。", "Write a short poem about autumn, please."]
        assert detect_languages(texts) == [TRADITIONAL, SIMPLIFIED, "en"]


class TestTraditionalMosaics:
    def test_a_traditional_dataset_gets_traditional_sentences(self) -> None:
        """Every mosaic of the Traditional fixture speaks zh-Hant, and none of its sentences has a simplified form."""
        records = load_dataset(FIXTURES / "zh-Hant.jsonl").records
        run = MosaicRun(SourceTable.build(records, "cl100k_base"), MosaicConfig(epochs=3, seed=5))
        made = list(run.mosaics())
        assert made and {m.plan.language for m in made} == {TRADITIONAL}
        library = builtin_library()
        for mosaic in made:
            for template_id in filter(None, (mosaic.plan.decoration.format_template, mosaic.plan.outer_template)):
                assert script_of(library.get(template_id).text) != "zh-Hans", template_id

    def test_the_traditional_pack_writes_no_simplified_form(self) -> None:
        library = builtin_library()
        for templates in library.families(TRADITIONAL).values():
            for template in templates:
                for form in template.forms:
                    assert script_of(form) != "zh-Hans", (template.id, form)

    def test_records_of_each_script_keep_to_their_own_sentences(self) -> None:
        """A dataset with both scripts: under ``separate`` each script's items share mosaics with their own kind
        only, and each mosaic speaks its items' script."""
        simplified = load_dataset(FIXTURES / "zh.jsonl").records[:60]
        traditional = [
            SourceRecord(f"t{r.id}", r.instruction, r.input, r.output)
            for r in load_dataset(FIXTURES / "zh-Hant.jsonl").records[60:120]
        ]
        table = SourceTable.build([*simplified, *traditional], "cl100k_base")
        assert Counter(table.languages)[TRADITIONAL] >= 55 and Counter(table.languages)[SIMPLIFIED] >= 55
        run = MosaicRun(table, MosaicConfig(epochs=2, seed=1, mixed_languages="separate"))
        script = dict(zip(table.ids, table.languages, strict=True))
        for mosaic in run.mosaics():
            own = {script[source] for source in mosaic.plan.source_ids} - {""}
            assert own <= {mosaic.plan.language}, (own, mosaic.plan.language)


def test_the_fixture_is_the_simplified_one_in_traditional_characters() -> None:
    """The two fixtures hold the same tasks, so a measure over both compares scripts, not tasks."""
    simplified = [json.loads(line) for line in (FIXTURES / "zh.jsonl").read_text(encoding="utf-8").splitlines()]
    traditional = [json.loads(line) for line in (FIXTURES / "zh-Hant.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(simplified) == len(traditional)
    assert sum(script_of(r["instruction"]) == TRADITIONAL for r in traditional) >= 0.8 * len(traditional)
