"""Numbering that cannot be misread: no style beside an item line that starts like its tag, "Task" only in English."""

from __future__ import annotations

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.reference import ReferenceRun
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.text.decoration import TAG_STYLES, clashing_styles, looks_numbered, starts_block
from mosaic_core.verify.mosaic import verify_mosaic
from tests.conftest import REPO

BARE, TASK = TAG_STYLES.index("{n}"), TAG_STYLES.index("Task {n}")


def _listing_records() -> list[SourceRecord]:
    """Records of which half carry lines that start the way a bare-number tag does."""
    records = []
    for i in range(40):
        if i % 2:
            listing = SourceRecord(f"l{i}", f"Rank these {i} films.", "1. Alien\n2. Heat", f"1. Heat\n2. Alien {i}")
            records.append(listing)
        else:
            records.append(SourceRecord(f"p{i}", f"Name a colour, case {i}.", "", f"Blue, for case {i}."))
    return records


def _mosaics(records: list[SourceRecord], run_type: type[MosaicRun] = MosaicRun, **config: object) -> list[Mosaic]:
    run = run_type(SourceTable.build(records, "cl100k_base"), MosaicConfig(**config))  # type: ignore[arg-type]
    return list(run.mosaics())


def _texts(mosaic: Mosaic, by_id: dict[str, SourceRecord]) -> list[str]:
    records = [by_id[i] for i in mosaic.plan.source_ids]
    return [r.prompt_text for r in records] + [r.response_text for r in records]


class TestNumbering:
    def test_a_bare_number_never_stands_beside_a_numbered_line(self) -> None:
        """Mosaics that drew the bare number keep it only where no item has a line like "1. Alien"."""
        records = _listing_records()
        by_id = {r.id: r for r in records}
        bare = stand_in = 0
        for seed in range(60):
            for mosaic in _mosaics(records, seed=seed, epochs=1, max_k=4, mix=PRESETS["format"]):
                listed = any(map(looks_numbered, _texts(mosaic, by_id)))
                if mosaic.plan.decoration.tag_style == BARE:
                    assert not listed, mosaic.prompt
                    bare += 1
                stand_in += listed and mosaic.plan.decoration.tag_style == TAG_STYLES.index("[{n}]")
        assert bare and stand_in  # both cases were met

    def test_no_style_stands_beside_a_line_that_starts_like_its_tag(self) -> None:
        """Items with their own "(1)", "[2]" or "Q3" lines: whatever style a mosaic drew, its items' tags are not
        one an item's line could be taken for, and the stand-ins are used."""
        lines = ["Steps:\n(1) Mix\n(2) Bake", "Quiz:\n[1] Paris\n[2] Rome", "Q1 sales rose.\nQ2 sales fell.", ""]
        records = [
            SourceRecord(f"r{i}", f"Summarise note {i}.", lines[i % 4], f"Note {i}:\n{lines[(i + 1) % 4]}")
            for i in range(32)
        ]
        by_id = {r.id: r for r in records}
        clashed = set()
        for seed in range(80):
            for mosaic in _mosaics(records, seed=seed, epochs=1, max_k=4, mix=PRESETS["format"]):
                clashing = 0
                for text in _texts(mosaic, by_id):
                    clashing |= clashing_styles(text)
                style = mosaic.plan.decoration.tag_style
                assert not clashing >> style & 1, (TAG_STYLES[style], mosaic.prompt)
                clashed |= {TAG_STYLES[s] for s in range(len(TAG_STYLES)) if clashing >> s & 1}
        assert {"({n})", "[{n}]", "Q{n}"} <= clashed  # the case was met for each
        for seed in range(4):
            config = {"seed": seed, "epochs": 2, "max_k": 6, "max_tokens": 200, "k_mode": "max_length"}
            fast, slow = _mosaics(records, **config), _mosaics(records, ReferenceRun, **config)
            assert [(m.prompt, m.answer, m.plan) for m in fast] == [(m.prompt, m.answer, m.plan) for m in slow]

    def test_a_tag_ends_its_line_before_an_item_that_opens_a_markdown_block(self) -> None:
        """An item that opens with a code fence, a table or a list never shares its first line with a number
        tag ("(2) ```python" is no fence); mosaics without one keep the drawn layout, half on the tag's line."""
        openings = ["```python\nprint(1)\n```", "| a | b |\n|---|---|", "- milk\n- eggs", "Plain words."]
        records = [
            SourceRecord(f"b{i}", f"Show case {i}.", "", f"{openings[i % 4]} {i}" if i % 4 == 3 else openings[i % 4])
            for i in range(24)
        ]
        by_id = {r.id: r for r in records}
        blocks = same_line = 0
        for seed in range(40):
            for mosaic in _mosaics(records, seed=seed, epochs=1, max_k=3, mix=PRESETS["both"]):
                opens = any(map(starts_block, _texts(mosaic, by_id)))
                newline = mosaic.plan.decoration.tag_newline
                assert newline or not opens, mosaic.answer
                blocks += opens
                same_line += not newline
        assert blocks and same_line
        for seed in range(4):
            config = {"seed": seed, "epochs": 2, "max_k": 6, "max_tokens": 150, "k_mode": "max_length"}
            fast, slow = _mosaics(records, **config), _mosaics(records, ReferenceRun, **config)
            assert [(m.prompt, m.answer, m.plan) for m in fast] == [(m.prompt, m.answer, m.plan) for m in slow]
            assert all(verify_mosaic(m, MosaicConfig().library(), None, 150, by_id).ok for m in fast)

    def test_task_is_english_only(self) -> None:
        """French mosaics that drew "Task" number their items "Consigne", the noun of their sentences; English
        ones keep "Task"."""
        french = load_dataset(REPO / "tests/fixtures/lang/fr.jsonl").records
        seen = {"fr": 0}
        for seed in range(30):
            for mosaic in _mosaics(french, seed=seed, epochs=1):
                style = TAG_STYLES[mosaic.plan.decoration.tag_style]
                assert style != "Task {n}", mosaic.prompt
                seen["fr"] += style == "Consigne {n}"
        assert seen["fr"] > 0
        english = _listing_records()[::2]
        styles = {m.plan.decoration.tag_style for s in range(40) for m in _mosaics(english, seed=s, epochs=1)}
        assert TASK in styles and TAG_STYLES.index("Consigne {n}") not in styles

    def test_q_is_english_only(self) -> None:
        """Spanish, French and Chinese mosaics never tag a command "Q1" (a question, in English): their own label
        stands in ("Instrucción 1", "指令1：", the Chinese one on a line of its own); a Spanish mosaic that drew "Q"
        still matches the reference walk."""
        q = TAG_STYLES.index("Q{n}")
        own = {"es": "Instrucción {n}", "fr": "Consigne {n}", "zh": "指令{n}"}
        stood_in = dict.fromkeys(own, 0)
        for language, label in own.items():
            records = load_dataset(REPO / f"tests/fixtures/lang/{language}.jsonl").records
            for seed in range(30):
                for mosaic in _mosaics(records, seed=seed, epochs=1):
                    deco = mosaic.plan.decoration
                    assert deco.tag_style != q, mosaic.prompt
                    stood_in[language] += deco.tag_style == TAG_STYLES.index(label)
                    assert deco.tag_newline or language != "zh" or deco.tag_style != TAG_STYLES.index(label)
        assert all(stood_in.values()), stood_in
        english = _listing_records()[::2]
        assert q in {m.plan.decoration.tag_style for s in range(40) for m in _mosaics(english, seed=s, epochs=1)}
        spanish = load_dataset(REPO / "tests/fixtures/lang/es.jsonl").records
        config = {"seed": 3, "epochs": 2, "max_k": 6, "max_tokens": 400}
        fast, slow = _mosaics(spanish, **config), _mosaics(spanish, ReferenceRun, **config)
        assert [(m.prompt, m.answer, m.plan) for m in fast] == [(m.prompt, m.answer, m.plan) for m in slow]

    def test_a_heading_tag_and_a_line_of_code_end_their_line(self) -> None:
        """A "### n" tag never shares its line with the text (which would become a heading), and no tag shares the
        first line of an item that opens with code ("Q1: import nltk"); both match the reference walk."""
        heading = TAG_STYLES.index("### {n}")
        code = ["def area(w, h):\n    return w * h", "SELECT name FROM users;", "h1 {\n  color: red;\n}"]
        records = [
            SourceRecord(f"c{i}", f"Write snippet {i}.", "", code[i % 3])
            if i % 2
            else SourceRecord(f"t{i}", f"Name a fruit, case {i}.", "", f"A pear, case {i}.")
            for i in range(24)
        ]
        by_id = {r.id: r for r in records}
        headings = coded = 0
        for seed in range(40):
            for mosaic in _mosaics(records, seed=seed, epochs=1, max_k=3):
                deco = mosaic.plan.decoration
                is_code = any(map(starts_block, _texts(mosaic, by_id)))
                assert deco.tag_newline or not (deco.tag_style == heading or is_code), mosaic.prompt
                headings += deco.tag_style == heading
                coded += is_code
        assert headings and coded
        config = {"seed": 5, "epochs": 2, "max_k": 6, "max_tokens": 160, "k_mode": "max_length"}
        fast, slow = _mosaics(records, **config), _mosaics(records, ReferenceRun, **config)
        assert [(m.prompt, m.answer, m.plan) for m in fast] == [(m.prompt, m.answer, m.plan) for m in slow]

    def test_restyled_mosaics_verify_and_match_the_reference_walk(self) -> None:
        """Restyling changes the tags' cost mid-growth: the fast walk still equals the reference, within budget."""
        records = _listing_records()
        by_id = {r.id: r for r in records}
        for seed in range(6):
            config = {"seed": seed, "epochs": 2, "max_k": 8, "max_tokens": 160, "k_mode": "max_length"}
            fast, slow = _mosaics(records, **config), _mosaics(records, ReferenceRun, **config)
            assert [(m.prompt, m.answer, m.plan) for m in fast] == [(m.prompt, m.answer, m.plan) for m in slow]
            for mosaic in fast:
                assert mosaic.plan.tokens <= 160
                verdict = verify_mosaic(mosaic, MosaicConfig().library(), None, None, by_id)
                assert verdict.ok, verdict.problems
