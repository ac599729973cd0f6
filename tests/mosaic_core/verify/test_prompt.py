"""The verifier reads the prompt: generated mosaics pass every check, corrupted ones fail the named one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.kdraw import K_MODES
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Mosaic, Plan, SourceRecord
from mosaic_core.rules.base import CLASSES_FROM
from mosaic_core.table import SourceTable
from mosaic_core.text.annotate import plan_layout, read_answer, read_prompt
from mosaic_core.text.compose import answer_text, prompt_text
from mosaic_core.text.decoration import TAG_STYLES
from mosaic_core.text.templates import TemplateLibrary, builtin_library
from mosaic_core.verify.mosaic import verify_mosaic
from mosaic_core.verify.prompt import CHECKS
from tests.conftest import REPO
from tests.strategies import records


def _mosaics(sources: list[SourceRecord], **config: object) -> tuple[MosaicRun, list[Mosaic]]:
    run = MosaicRun(SourceTable.build(sources, "cl100k_base"), MosaicConfig(**config))  # type: ignore[arg-type]
    return run, list(run.mosaics())


def _sentenced(
    tiny_records: list[SourceRecord], language: str, seeds: int, **config: object
) -> Iterator[tuple[int, Mosaic]]:
    """(seed, mosaic) for every mosaic in ``language`` with an order or mask sentence, one epoch per seed, of the
    tiny records and, in another language, ten of its fixture's."""
    sources = list(tiny_records)
    if language != "en":
        sources += load_dataset(REPO / f"tests/fixtures/lang/{language}.jsonl").records[:10]
    for seed in range(seeds):
        for mosaic in _mosaics(sources, seed=seed, epochs=1, **config)[1]:
            if mosaic.plan.language == language and mosaic.plan.outer_template is not None:
                assert mosaic.plan.rule is not None  # a sentence is the rule's
                yield seed, mosaic


def _barred_or_used(mosaic: Mosaic, seed: int, sentences: list[str], allowed: bool) -> tuple[int, int]:
    """Where one of ``sentences`` may stand (``allowed``): (0, 1 if the mosaic uses one). Where none may, the
    mosaic uses none, and one put there fails the agreement check: (1, 0)."""
    plan = mosaic.plan
    if allowed:
        return 0, int(plan.outer_template in sentences)
    assert plan.outer_template not in sentences
    broken = _recomposed(mosaic, replace(plan, outer_template=sentences[seed % len(sentences)]))
    assert _failed(broken) == {"agreement"}
    return 1, 0


def _rerendered(mosaic: Mosaic, **changes: object) -> Mosaic:
    """The mosaic with its plan changed and its prompt composed again from the changed plan."""
    decoration = replace(mosaic.plan.decoration, **{k: v for k, v in changes.items() if k != "values"})
    plan = replace(mosaic.plan, decoration=decoration)
    if "values" in changes:
        plan = replace(plan, values=changes["values"])  # type: ignore[arg-type]
    return _recomposed(mosaic, plan)


def _recomposed(mosaic: Mosaic, plan: Plan, library: TemplateLibrary | None = None) -> Mosaic:
    """The mosaic's prompt composed again from ``plan`` (with ``library``'s templates), its answer kept."""
    layout = plan_layout(plan, library or builtin_library())
    return Mosaic(prompt_text(layout, list(range(plan.k)), _texts_of(mosaic)), mosaic.answer, plan)


def _renumbered(mosaic: Mosaic, style: int, newline: bool | None = None) -> Mosaic:
    """The mosaic with its items numbered in another style (the tag ending its line or not, if given), prompt and
    answer composed again."""
    deco = replace(mosaic.plan.decoration, tag_style=style)
    plan = replace(mosaic.plan, decoration=deco if newline is None else replace(deco, tag_newline=newline))
    library = builtin_library()
    original, layout = plan_layout(mosaic.plan, library), plan_layout(plan, library)
    prompts = [p.text for p in read_prompt(mosaic.prompt, mosaic.plan, original) if p.kind == "source"]
    answers = [p.text for p in read_answer(mosaic.answer, mosaic.plan, original, plan.order) if p.kind == "source"]
    k = plan.k
    texts = prompts + [""] * k
    for position, text in zip(plan.order, answers, strict=True):
        texts[k + position] = text
    answer = answer_text(layout, [(p + 1, k + p) for p in plan.order], texts)
    return Mosaic(prompt_text(layout, list(range(k)), texts), answer, plan)


def _failed(mosaic: Mosaic) -> set[str]:
    return set(verify_mosaic(mosaic, builtin_library()).failed)


class TestGeneratedMosaicsReadOneWay:
    @settings(max_examples=40, deadline=None)
    @given(
        sources=records(min_size=2, max_size=14),
        preset=st.sampled_from(["both", "mask", "order", "format"]),
        k_mode=st.sampled_from([m for m in K_MODES if m != "custom"]),
        seed=st.integers(0, 2**32),
    )
    def test_every_check_passes(self, sources: list[SourceRecord], preset: str, k_mode: str, seed: int) -> None:
        """Whatever the records and recipe, every mosaic passes every named check, prompt checks included."""
        run, mosaics = _mosaics(sources, mix=PRESETS[preset], k_mode=k_mode, seed=seed, epochs=2, max_tokens=600)
        by_id = {r.id: r for r in sources}
        for mosaic in mosaics:
            verdict = verify_mosaic(mosaic, run.library, run.counter, 600, by_id)
            assert verdict.ok, (verdict.failed, verdict.problems, mosaic.prompt)

    def test_checks_are_named(self) -> None:
        """The named checks include the prompt's own."""
        assert {"clash", "placement", "agreement", "one_reading"} <= set(CHECKS)


class TestMutations:
    @pytest.fixture
    def mosaics(self, tiny_records: list[SourceRecord]) -> list[Mosaic]:
        found: list[Mosaic] = []
        for seed in range(30):
            found += _mosaics(tiny_records, seed=seed, epochs=1, max_k=6)[1]
        return found

    def test_moved_sentence_fails_placement(self, mosaics: list[Mosaic]) -> None:
        """A sentence that says "below" moved after the instructions fails the placement check only."""
        library = builtin_library()
        moved = 0
        for mosaic in mosaics:
            deco = mosaic.plan.decoration
            if deco.format_template and library.get(deco.format_template).place != "either":
                broken = _rerendered(mosaic, format_before=not deco.format_before)
                assert _failed(broken) == {"placement"}
                moved += 1
        assert moved >= 3

    def test_no_sentence_follows_paragraphs(self, tiny_records: list[SourceRecord]) -> None:
        """After a last instruction of several paragraphs, every sentence stands before the instructions, the
        ones whose words say "above" drawn again; one moved after it fails the placement check only."""
        library = builtin_library()
        sources = [replace(r, input=f"First part of {i}.\n\nSecond part.") for i, r in enumerate(tiny_records[:6])]
        sources += tiny_records[6:]
        paragraphed = {r.id for r in sources[:6]}
        last_apart = moved = after = 0
        for seed in range(40):
            for mosaic in _mosaics(sources, seed=seed, epochs=1, max_k=5, mix=PRESETS["both"])[1]:
                plan, deco = mosaic.plan, mosaic.plan.decoration
                sentences = [(deco.format_template, deco.format_before), (plan.outer_template, deco.outer_before)]
                sentences = [(t, before) for t, before in sentences if t is not None]
                if plan.source_ids[-1] not in paragraphed:
                    after += any(not before for _, before in sentences)
                    continue
                last_apart += bool(sentences)
                assert all(before for _, before in sentences), mosaic.prompt
                assert not any(library.get(t).place == "after" for t, _ in sentences)
                if deco.format_template and library.get(deco.format_template).place == "either":
                    assert _failed(_rerendered(mosaic, format_before=False)) == {"placement"}
                    moved += 1
        assert last_apart >= 30 and moved >= 10 and after >= 10

    def test_letter_rules_stay_away_from_tags_with_letters(self, mosaics: list[Mosaic]) -> None:
        """Beside "Q1" or "Task 1", "the first letter of each instruction" could be the tag's: no generated mosaic
        puts an alphabetical rule there, and one numbered so fails the one_reading check."""
        lettered = {TAG_STYLES.index("Q{n}"), TAG_STYLES.index("Task {n}")}
        alphabetical = [m for m in mosaics if "alphabetical" in (m.plan.rule or "")]
        assert alphabetical and any(m.plan.decoration.tag_style in lettered for m in mosaics)
        for mosaic in alphabetical:
            assert mosaic.plan.decoration.tag_style not in lettered
        broken = _renumbered(alphabetical[0], TAG_STYLES.index("Q{n}"), newline=True)
        assert _failed(broken) == {"one_reading"}

    def test_answer_all_beside_a_mask_fails_clash(self, mosaics: list[Mosaic]) -> None:
        """A plain "answer every instruction" sentence put beside a mask sentence fails the clash check."""
        library = builtin_library()
        answer_all = next(t for t in library.family("format.plain") if "all" in t.claims and t.place == "either")
        masks = [m for m in mosaics if m.plan.strategy == "maskout" and m.plan.decoration.wrapper is None]
        assert masks
        for mosaic in masks:
            broken = _rerendered(mosaic, format_template=answer_all.id)
            assert "clash" in _failed(broken)

    @pytest.mark.parametrize(
        ("language", "several"),
        [
            ("en", "format.wrapper.26"),  # "Each of your answers belongs between {open} and {close}."
            ("ja", "ja.format.wrapper.02"),  # "それぞれの回答を{open}と{close}で挟んでください。"
            ("de", "de.format.wrapper.20"),  # "Trenne deine Antworten voneinander, …"
        ],
    )
    def test_several_answers_where_one_is_asked_for_fails_clash(
        self, tiny_records: list[SourceRecord], language: str, several: str
    ) -> None:
        """A mask that leaves one instruction to answer never gets "each of your answers"; put there, it fails clash."""
        library = builtin_library()
        assert "answers" in library.get(several).claims
        # English first, the run's main language: a mosaic in the other one draws its sentence again.
        sources = list(tiny_records)
        if language != "en":
            sources += load_dataset(REPO / f"tests/fixtures/lang/{language}.jsonl").records[:10]
        found = 0
        for seed in range(40):
            for mosaic in _mosaics(sources, seed=seed, epochs=1, max_k=4, mix=PRESETS["mask"])[1]:
                plan = mosaic.plan
                if plan.decoration.wrapper is None or plan.k - len(plan.masked) != 1 or plan.language != language:
                    continue
                assert "answers" not in library.get(plan.decoration.format_template or "").claims
                assert _failed(_rerendered(mosaic, format_template=several)) == {"clash"}
                found += 1
        assert found >= 3

    @pytest.mark.parametrize("language", ["en", "de", "ja", "zh"])
    def test_one_answer_is_asked_for_in_the_singular(self, tiny_records: list[SourceRecord], language: str) -> None:
        """Where one answer is asked for (one instruction, or a mask that leaves one), the format sentence speaks
        of that answer ("begin your answer with"), never of each answer; the sentence for several fails."""
        library = builtin_library()
        pack = library.pack(language)
        sources = list(tiny_records)
        if language != "en":
            sources += load_dataset(REPO / f"tests/fixtures/lang/{language}.jsonl").records[:10]
        singular = mutated = 0
        for seed in range(40):
            for mosaic in _mosaics(sources, seed=seed, epochs=1, max_k=4, mix=PRESETS["mask"], max_tokens=700)[1]:
                plan = mosaic.plan
                chosen = plan.decoration.format_template
                if chosen is None or plan.k - len(plan.masked) != 1 or plan.language != language:
                    continue
                sentence = plan_layout(plan, library).format_meta or ""
                assert sentence in mosaic.prompt
                assert not (pack.cue("each", sentence) or pack.cue("answers", sentence)), sentence
                template = library.get(chosen)
                if template.one is None:
                    continue
                singular += 1
                assert sentence.startswith(template.one.split("{")[0])
                several = template.text
                if plan.decoration.wrapper is not None:
                    several = several.format(open=plan.decoration.wrapper[0], close=plan.decoration.wrapper[1])
                broken = Mosaic(mosaic.prompt.replace(sentence, several), mosaic.answer, plan)
                assert _failed(broken) == {"layout"}
                mutated += 1
        assert singular >= 3 and mutated == singular

    def test_each_answer_without_a_singular_fails_clash(self, mosaics: list[Mosaic]) -> None:
        """A sentence that speaks of each answer and has no form for one, put where one answer is asked for,
        fails the clash check."""
        item = {
            "id": "mine.each",
            "family": "format.wrapper",
            "text": "Open each answer with {open} and shut it with {close}.",
        }
        library = builtin_library().with_custom([item])
        assert library.get("mine.each").claims == ("each",)
        ones = [m for m in mosaics if m.plan.decoration.wrapper is not None and m.plan.k - len(m.plan.masked) == 1]
        assert ones
        for mosaic in ones:
            plan = replace(mosaic.plan, decoration=replace(mosaic.plan.decoration, format_template="mine.each"))
            broken = _recomposed(mosaic, plan, library)
            assert set(verify_mosaic(broken, library).failed) == {"clash"}

    def test_wrong_noun_fails_agreement(self, mosaics: list[Mosaic]) -> None:
        """One instruction hidden but named in the plural ("instructions 3") fails the agreement check."""
        single = [m for m in mosaics if m.plan.rule == "maskout.fix" and len(m.plan.masked) == 1]
        assert single
        for mosaic in single:
            values = tuple((k, "instructions" if k == "noun" else v) for k, v in mosaic.plan.values)
            assert "agreement" in _failed(_rerendered(mosaic, values=values))

    @pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ru", "zh", "ja"])
    def test_the_remaining_ones_where_one_remains_fail_agreement(
        self, tiny_records: list[SourceRecord], language: str
    ) -> None:
        """A mask that leaves one instruction never gets a sentence speaking of "the remaining ones"; such a
        sentence of the same rule, put there, fails the agreement check; with two or more left it stands."""
        library = builtin_library()
        one_left = several_left = 0
        for seed, mosaic in _sentenced(tiny_records, language, 60, max_k=4, mix=PRESETS["mask"]):
            plan = mosaic.plan
            rest = [t.id for t in library.family(str(plan.rule), language) if "rest" in t.claims]
            if not rest:
                continue
            barred, used = _barred_or_used(mosaic, seed, rest, plan.k - len(plan.masked) >= 2)
            one_left, several_left = one_left + barred, several_left + used
        assert one_left >= 3 and several_left >= 1

    @pytest.mark.parametrize("language", ["en", "fr", "es", "zh"])
    def test_odd_and_even_masks_stand_only_where_both_classes_hold_two(
        self, tiny_records: list[SourceRecord], language: str
    ) -> None:
        """An odd or even mask never stands in two or three instructions, where one class holds one ("répondre à
        toutes celles à numéro pair" with only instruction 2 even); in four or more it does, sentences of
        every one of a class included."""
        library = builtin_library()
        large = 0
        mix = {"primary": 0, "format": 0, "permute": 0, "maskout": 1}
        rules = ["maskout.fix", "maskout.longest_words", "maskout.shortest_words"]
        for _, mosaic in _sentenced(tiny_records, language, 40, max_k=5, mix=mix, disabled_rules=rules):
            plan = mosaic.plan
            assert plan.k >= CLASSES_FROM, (plan.rule, plan.k)
            family = library.family(str(plan.rule), language)
            large += plan.outer_template in [t.id for t in family if "classes" in t.claims]
        assert large >= 1

    def test_bare_numbers_beside_a_numbered_line_fail_numbering(self, mosaics: list[Mosaic]) -> None:
        """A mosaic whose texts hold a line like "42 is the answer", numbered with bare numbers, fails numbering."""
        listed = [m for m in mosaics if any(t.startswith("42 is") for t in _texts_of(m))]
        assert listed
        for mosaic in listed:
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("{n}"))) == {"numbering"}
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("[{n}]"))) == set()

    def test_a_tag_like_an_item_line_fails_numbering(self) -> None:
        """Items numbered "(n)" beside an item with its own "(1) Mix" line fail numbering; "[n]" passes."""
        records = [
            SourceRecord("a", "Summarise the steps.", "(1) Mix\n(2) Bake", "Mix, then bake."),
            SourceRecord("b", "Name a colour.", "", "Blue."),
        ]
        mosaics = [m for seed in range(20) for m in _mosaics(records, seed=seed, epochs=1, max_k=2)[1] if m.plan.k == 2]
        assert mosaics
        for mosaic in mosaics[:10]:
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("({n})"))) == {"numbering"}
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("[{n}]"))) == set()

    def test_a_markdown_block_on_the_tags_line_fails_numbering(self) -> None:
        """A response that opens a code fence, put on the line of its number tag, fails numbering."""
        records = [
            SourceRecord("a", "Print one in Python.", "", "```python\nprint(1)\n```"),
            SourceRecord("b", "Name a colour.", "", "Blue."),
        ]
        found = [m for seed in range(20) for m in _mosaics(records, seed=seed, epochs=1, max_k=2)[1]]
        mosaics = [m for m in found if "a" in m.plan.source_ids]
        assert mosaics and all(m.plan.decoration.tag_newline for m in mosaics)
        for mosaic in mosaics[:10]:
            plan = replace(mosaic.plan, decoration=replace(mosaic.plan.decoration, tag_newline=False))
            layout = plan_layout(plan, builtin_library())
            texts = [records[0].prompt_text, records[1].prompt_text, records[0].response_text, records[1].response_text]
            ids = [{"a": 0, "b": 1}[i] for i in plan.source_ids]
            shown = [texts[i] for i in ids] + [texts[2 + i] for i in ids]
            k = plan.k
            answer = answer_text(layout, [(p + 1, k + p) for p in plan.order if p not in plan.masked], shown)
            broken = Mosaic(prompt_text(layout, list(range(k)), shown), answer, plan)
            assert _failed(broken) == {"numbering"}

    def test_task_label_in_another_language_fails_numbering(self) -> None:
        """French items numbered "Task 1", "Anweisung 1" or "Q1" fail numbering; "Consigne 1" passes. Spanish
        items numbered "Q1" fail too."""
        french = load_dataset(REPO / "tests/fixtures/lang/fr.jsonl").records
        mosaics = [m for seed in range(3) for m in _mosaics(french, seed=seed, epochs=1)[1] if m.plan.language == "fr"]
        assert mosaics
        for mosaic in mosaics[:15]:
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("Task {n}"))) == {"numbering"}
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("Anweisung {n}"))) == {"numbering"}
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("Consigne {n}"))) == set()
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("Q{n}"))) == {"numbering"}
        spanish = load_dataset(REPO / "tests/fixtures/lang/es.jsonl").records
        found = [m for m in _mosaics(spanish, seed=1, epochs=1)[1] if m.plan.language == "es"]
        assert found
        for mosaic in found[:10]:
            assert _failed(_renumbered(mosaic, TAG_STYLES.index("Q{n}"))) == {"numbering"}

    def test_heading_tag_on_the_text_line_fails_numbering(self) -> None:
        """A "### 2" tag on the line of its text fails numbering; the same tag on a line of its own passes."""
        french = load_dataset(REPO / "tests/fixtures/lang/fr.jsonl").records
        mosaics = [m for m in _mosaics(french, seed=2, epochs=1)[1] if not m.plan.decoration.tag_newline]
        assert mosaics
        heading = TAG_STYLES.index("### {n}")
        for mosaic in mosaics[:10]:
            assert _failed(_renumbered(mosaic, heading, newline=False)) == {"numbering"}
            assert _failed(_renumbered(mosaic, heading, newline=True)) == set()

    def test_sentence_naming_missing_instructions_fails_numbering(self) -> None:
        """A sentence naming "第2、4、6……条" in a mosaic of under 6 fails numbering; the engine never writes one."""
        chinese = load_dataset(REPO / "tests/fixtures/lang/zh.jsonl").records
        naming = {rule: f"zh.{rule}.03" for rule in ("maskout.odd", "maskout.even")}
        found = 0
        for seed in range(25):
            for mosaic in _mosaics(chinese, seed=seed, epochs=1, max_k=5, mix=PRESETS["mask"])[1]:
                if mosaic.plan.rule not in naming or mosaic.plan.k >= 5:  # the two sentences name up to 5 and 6
                    continue
                assert mosaic.plan.outer_template != naming[mosaic.plan.rule]
                broken = _recomposed(mosaic, replace(mosaic.plan, outer_template=naming[mosaic.plan.rule]))
                assert "numbering" in _failed(broken)
                found += 1
        assert found >= 3

    def test_unmutated_mosaics_pass(self, mosaics: list[Mosaic]) -> None:
        """The same mosaics, composed again unchanged, pass (the mutations above are what fails)."""
        for mosaic in mosaics[:20]:
            assert _failed(_rerendered(mosaic)) == set()


def _texts_of(mosaic: Mosaic) -> list[str]:
    layout = plan_layout(mosaic.plan, builtin_library())
    return [p.text for p in read_prompt(mosaic.prompt, mosaic.plan, layout) if p.kind == "source"]
