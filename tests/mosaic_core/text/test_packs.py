"""The shipped template packs: complete, checked, and holding each language's conventions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mosaic_core.errors import TemplateError
from mosaic_core.text.meaning import compatible
from mosaic_core.text.pack import REFERENCE_COUNTS, Pack, plural_category
from mosaic_core.text.packs.__main__ import main as packs_main
from mosaic_core.text.templates import BUILTIN_LANGUAGES, PLACEHOLDERS, builtin_library, read_pack

PACKS = Path(__file__).resolve().parents[3] / "mosaic_core" / "text" / "packs"
NO_ALPHABET = ("zh", "zh-Hant", "ja")


class TestShippedPacks:
    @pytest.mark.parametrize("language", BUILTIN_LANGUAGES)
    def test_every_used_family_has_the_reference_count(self, language: str) -> None:
        """Each pack has at least the reference's sentences in every family its language uses, and no others."""
        library = builtin_library()
        pack = library.pack(language)
        for family in PLACEHOLDERS:
            have = len(library.family(family, language))
            if pack.uses_family(family):
                assert have >= REFERENCE_COUNTS[family], (language, family, have)
            else:
                assert have == 0, (language, family)

    @pytest.mark.parametrize("language", BUILTIN_LANGUAGES)
    def test_checker_passes_the_file(self, language: str, capsys: pytest.CaptureFixture[str]) -> None:
        """``python -m mosaic_core.text.packs check`` finds nothing wrong in the shipped file."""
        assert packs_main(["check", str(PACKS / f"{language}.json")]) == 0
        assert "ok: every sentence passes" in capsys.readouterr().out

    def test_check_takes_a_code_or_a_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``check`` takes a built-in code as ``show`` does; an unknown one gets one line and exit 2; a pack with
        one fault says "1 problem"."""
        assert packs_main(["check", "fr"]) == 0
        capsys.readouterr()
        assert packs_main(["check", "xx"]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1 and "'xx'" in captured.err
        data = json.loads((PACKS / "de.json").read_text(encoding="utf-8"))
        data["templates"]["format.plain"][0]["id"] = "format.plain.01"  # no "de." prefix
        broken = tmp_path / "de.json"
        broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert packs_main(["check", str(broken)]) == 1
        out = capsys.readouterr().out
        assert "PROBLEM: template 'format.plain.01': its id must start with de.format.plain." in out
        assert out.rstrip().endswith("\n1 problem")

    def test_show_into_a_closed_pipe_is_no_error(self) -> None:
        """``show de | head -1``: the reader leaves early; the command ends quietly, with no traceback."""
        command = [sys.executable, "-m", "mosaic_core.text.packs", "show", "de"]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PACKS.parents[2]) as child:
            assert child.stdout is not None and child.stderr is not None
            child.stdout.close()  # before the pack has loaded, so the first write meets a closed pipe
            error = child.stderr.read().decode()
        assert child.returncode == 0 and "Traceback" not in error, error

    def test_show_takes_a_code_or_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``show`` fills in a built-in pack by its code or a pack file by its path; anything else is one line."""
        assert packs_main(["show", "de"]) == 0
        by_code = capsys.readouterr().out
        assert packs_main(["show", str(PACKS / "de.json")]) == 0
        assert capsys.readouterr().out == by_code and "de.maskout.fix.01" in by_code
        assert packs_main(["show", "xx"]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1 and "'xx'" in captured.err

    @pytest.mark.parametrize("language", NO_ALPHABET)
    def test_chinese_and_japanese_count_characters_only(self, language: str) -> None:
        """No alphabetical order and no word counts where the script has neither; the character unit is exact."""
        pack = builtin_library().pack(language)
        assert pack.alphabet == "" and pack.size_units == ("chars",) and pack.char_unit == "no_space"
        units = {"zh": ("字数", "字符"), "zh-Hant": ("字數", "字元"), "ja": ("文字数",)}[language]
        for family in ("permute.shortest_chars", "permute.longest_chars"):
            for template in builtin_library().family(family, language):
                assert any(unit in template.text for unit in units), template.id

    @pytest.mark.parametrize("language", BUILTIN_LANGUAGES)
    def test_every_size_sentence_states_its_unit(self, language: str) -> None:
        """Every built-in pack declares the exact units of its size rules, and every form of every size sentence
        says where a unit stops (at a line break, in its language's words); without the statement a size rule
        applies only where every reading agrees, which with nine items is seldom."""
        pack = builtin_library().pack(language)
        assert pack.char_unit == "no_space" and pack.word_unit == ("spaces" if "words" in pack.size_units else "")
        line_break = {"en": "line break", "de": "Zeilenumbr", "es": "salto", "fr": "retour", "ru": "перенос"}
        line_break.update({"zh": "换行", "zh-Hant": "換行", "ja": "改行"})
        marker = line_break[language]
        for family, templates in builtin_library().families(language).items():
            if family.endswith(("_words", "_chars")):
                for template in templates:
                    for form in (template.text, template.one):
                        assert form is None or marker in form, (template.id, form)

    def test_ids_carry_their_language(self) -> None:
        """English ids are unprefixed (as before packs); every other id starts with its language."""
        for language in BUILTIN_LANGUAGES:
            for templates in builtin_library().families(language).values():
                for template in templates:
                    assert template.language == language
                    assert template.id.startswith(template.family) == (language == "en"), template.id


class TestPackConventions:
    def test_russian_plural_forms_follow_the_count(self) -> None:
        """A Russian size-mask sentence takes the form its count's plural category needs."""
        template = builtin_library().family("maskout.longest_words", "ru")[0]
        forms = {m: template.render(m=str(m)) for m in (1, 2, 5, 21)}
        assert "{m}" not in forms[1] and "1" not in forms[1]
        assert len({forms[2].replace("2", "N"), forms[5].replace("5", "N"), forms[21].replace("21", "N")}) >= 2

    @pytest.mark.parametrize(
        ("language", "numbers", "expected"),
        [("en", [1, 3, 6], "1, 3 and 6"), ("de", [2, 5], "2 und 5"), ("zh", [2], "2")],
    )
    def test_lists_of_numbers(self, language: str, numbers: list[int], expected: str) -> None:
        assert builtin_library().pack(language).join(numbers) == expected

    def test_plural_categories(self) -> None:
        assert [plural_category("ru", n) for n in (3, 12, 104)] == ["few", "many", "few"]
        assert plural_category("ja", 1) == "other"

    def test_a_pack_with_a_bad_unit_is_refused(self) -> None:
        with pytest.raises(TemplateError, match="size_units"):
            Pack.from_json({"language": "xx", "size_units": ["words"], "templates": {}})

    def test_cues_decide_place_in_any_script(self) -> None:
        """A Chinese sentence that says 以下 cannot be declared to stand after the instructions."""
        raw = json.dumps(
            {
                "language": "zh",
                "sentence_end": "。",
                "terminals": "。！？",
                "alphabet": "",
                "size_units": ["chars"],
                "cues": {"before": ["以下"], "after": ["以上"]},
                "templates": {"permute.reverse": [{"id": "zh.permute.reverse.01", "text": "以下指令倒序回答。"}]},
            },
            ensure_ascii=False,
        )
        pack, templates = read_pack(raw)
        assert templates[0].place == "before"
        bad = json.loads(raw)
        bad["templates"]["permute.reverse"][0]["place"] = "after"
        pack, templates = read_pack(json.dumps(bad, ensure_ascii=False))
        from mosaic_core.text.templates import TemplateLibrary

        with pytest.raises(TemplateError, match="declared to stand 'after'"):
            TemplateLibrary(templates, {"zh": pack})


class TestCustomTemplates:
    def test_a_custom_template_in_chinese_joins_its_pack(self) -> None:
        library = builtin_library().with_custom(
            [
                {
                    "id": "mine.zh.1",
                    "family": "permute.reverse",
                    "language": "zh",
                    "text": "请从最后一条指令开始倒着回答。",
                }
            ]
        )
        assert library.get("mine.zh.1") in library.family("permute.reverse", "zh")

    @pytest.mark.parametrize(
        ("item", "problem"),
        [
            ({"family": "permute.reverse", "language": "zh", "text": "请倒着回答"}, "must end with"),
            ({"family": "permute.alphabetical", "language": "ja", "text": "五十音順に答えてください。"}, "has no"),
            ({"family": "permute.reverse", "language": "xx", "text": "Backwards."}, "template pack"),
            ({"family": "maskout.longest_words", "language": "ru", "text": "Пропустите {m} длинных заданий."}, "one"),
        ],
    )
    def test_custom_templates_pass_the_same_checks(self, item: dict[str, str], problem: str) -> None:
        with pytest.raises(Exception, match=problem):
            builtin_library().with_custom([{"id": "mine.1", **item}])

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "Put your answers in {open} and {close}."),
            ("ja", "どの回答も{open}と{close}で囲んでください。"),
            ("ru", "Разделяйте ответы тегами {open} и {close}."),
        ],
    )
    def test_a_sentence_of_several_answers_says_so(self, language: str, text: str) -> None:
        """Words that speak of several answers give the claim; declared without it, the sentence is refused."""
        item = {"id": "mine.1", "family": "format.wrapper", "language": language, "text": text}
        assert "answers" in builtin_library().with_custom([item]).get("mine.1").claims
        with pytest.raises(TemplateError, match=r"says answers(, plural)? by its words"):
            builtin_library().with_custom([{**item, "claims": []}])


class TestOneAnswer:
    @pytest.mark.parametrize("language", BUILTIN_LANGUAGES)
    def test_sentences_where_one_answer_is_asked_for_speak_of_one(self, language: str) -> None:
        """Every format sentence that may stand where one answer is asked for says so in words of one answer:
        its form for one claims nothing, and a sentence without one speaks of no answer in particular."""
        library = builtin_library()
        pack = library.pack(language)
        fitting = 0
        for family in ("format.wrapper", "format.plain"):
            for template in library.family(family, language):
                if not compatible(template.claims_for(1), "maskout", 3, 1):
                    assert template.one is None
                    continue
                fitting += family == "format.wrapper"
                sentence = template.form(1)
                assert not any(pack.cue(kind, sentence) for kind in ("each", "answers", "all")), template.id
        assert fitting >= 7

    @pytest.mark.parametrize("language", BUILTIN_LANGUAGES)
    def test_mask_families_keep_sentences_for_one_left(self, language: str) -> None:
        """Each mask family keeps at least three sentences that do not speak of "the remaining ones", and those
        that do declare it (the pack's cues read every form)."""
        library = builtin_library()
        pack = library.pack(language)
        for family in PLACEHOLDERS:
            if not family.startswith("maskout.") or not pack.uses_family(family):
                continue
            templates = library.family(family, language)
            for template in templates:
                said = any(pack.cue("rest", form) for form in template.forms if form)
                assert said == ("rest" in template.claims), template.id
            assert sum("rest" not in t.claims for t in templates) >= 3, family

    @pytest.mark.parametrize("language", BUILTIN_LANGUAGES)
    def test_odd_and_even_families_keep_sentences_for_a_class_of_one(self, language: str) -> None:
        """An odd or even sentence that speaks of every one of a class declares ``classes``, exactly where its
        words say so, and each family keeps at least five without it for mosaics of two or three."""
        library = builtin_library()
        pack = library.pack(language)
        for family in ("maskout.odd", "maskout.even"):
            templates = library.family(family, language)
            for template in templates:
                said = any(pack.cue("classes", form) for form in template.forms if form)
                assert said == ("classes" in template.claims), template.id
            assert sum("classes" not in t.claims for t in templates) >= 5, family

    def test_a_class_sentence_says_so(self) -> None:
        """ "Skip every odd-numbered instruction" claims ``classes``; the same words in a fixed mask claim nothing,
        and only odd and even sentences may declare it."""
        item = {"id": "mine.4", "family": "maskout.odd", "text": "Skip every odd-numbered instruction."}
        assert builtin_library().with_custom([item]).get("mine.4").claims == ("classes",)
        with pytest.raises(TemplateError, match="says classes by its words"):
            builtin_library().with_custom([{**item, "claims": []}])
        plain = {"id": "mine.4", "family": "maskout.odd", "text": "Skip the odd-numbered instructions."}
        assert builtin_library().with_custom([plain]).get("mine.4").claims == ()
        fixed = {"id": "mine.5", "family": "maskout.fix", "text": "Skip {noun} {positions}, every one of them."}
        assert builtin_library().with_custom([fixed]).get("mine.5").claims == ()
        with pytest.raises(TemplateError, match="only odd and even"):
            builtin_library().with_custom([{**fixed, "claims": ["classes"]}])

    def test_a_mask_sentence_of_the_remaining_ones_says_so(self) -> None:
        """Words that speak of the remaining instructions as several give the claim ``rest``; declared without
        it, the sentence is refused; a format sentence cannot declare it."""
        item = {"id": "mine.2", "family": "maskout.fix", "text": "Skip {noun} {positions} and answer the others."}
        assert builtin_library().with_custom([item]).get("mine.2").claims == ("rest",)
        with pytest.raises(TemplateError, match="says rest by its words"):
            builtin_library().with_custom([{**item, "claims": []}])
        several = {**item, "text": "Pass over {noun} {positions}; reply to each remaining instruction."}
        assert builtin_library().with_custom([several]).get("mine.2").claims == ("rest",)
        neutral = {**item, "text": "Answer every instruction except {noun} {positions}."}
        assert builtin_library().with_custom([neutral]).get("mine.2").claims == ()
        plain = {"id": "mine.3", "family": "format.plain", "text": "Answer them.", "claims": ["plural", "rest"]}
        with pytest.raises(TemplateError, match="mask sentence's claim"):
            builtin_library().with_custom([plain])

    def test_a_sentence_of_each_answer_says_so(self) -> None:
        """Words that speak of each answer give the claim; declared without it, the sentence is refused."""
        item = {
            "id": "mine.1",
            "family": "format.wrapper",
            "text": "Open each answer with {open} and shut it with {close}.",
        }
        assert builtin_library().with_custom([item]).get("mine.1").claims == ("each",)
        with pytest.raises(TemplateError, match="says each by its words"):
            builtin_library().with_custom([{**item, "claims": []}])

    @pytest.mark.parametrize(
        ("one", "problem"),
        [
            ("Open every answer with {open} and shut it with {close}.", "speak of one answer only"),
            ("Open your answer with {open}.", "placeholder"),
            ("Open your answer below with {open} and shut it with {close}.", "stands elsewhere"),
        ],
    )
    def test_a_form_for_one_answer_is_checked(self, one: str, problem: str) -> None:
        item = {
            "id": "mine.1",
            "family": "format.wrapper",
            "text": "Open each answer with {open} and shut it with {close}.",
            "place": "after",
            "one": one,
        }
        with pytest.raises(TemplateError, match=problem):
            builtin_library().with_custom([item])

    def test_the_form_for_one_is_written_where_one_answer_is_asked_for(self) -> None:
        library = builtin_library()
        template = library.get("format.wrapper.02")
        assert template.render(1, open="[A]", close="[B]") == "Begin your answer with [A] and finish it with [B]."
        assert template.render(open="[A]", close="[B]") == "Begin each answer with [A] and finish it with [B]."
        assert template.claims_for(1) == () and template.claims_for(2) == ("each",)
