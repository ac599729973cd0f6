"""One AppTest per page, driving widgets with the demo dataset and checking what is shown."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "app.py")


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MOSAIC_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plotted(value: object) -> list[float]:
    """Plotly 7 sends arrays as typed binary ({"dtype", "bdata"}); plain lists pass through."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)  # type: ignore[call-overload]


def shown(element: object) -> str:
    """An element's text as the user reads it: Markdown escapes (``pages/studio/html.literal``) removed."""
    return re.sub(r"\\(.)", r"\1", str(element.value))  # type: ignore[attr-defined]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


class TestDataPage:
    def test_demo_loaded(self, app: AppTest) -> None:
        """The demo dataset is loaded on start, with its metrics and table."""
        metrics = {m.label: m.value for m in app.metric}
        assert metrics["Records loaded"] == "183" and metrics["Schema"] == "alpaca"
        assert len(app.dataframe[-1].value) == 183

    def test_search_filters_records(self, app: AppTest) -> None:
        """Searching narrows the table."""
        app.text_input[-1].input("palindrome").run()
        shown = app.dataframe[-1].value
        assert (
            0 < len(shown) < 183
            and shown["instruction"].str.contains("alindrome").any() | shown["output"].str.contains("alindrome").any()
        )

    def test_bad_local_file_shows_error(self, app: AppTest, tmp_path: Path) -> None:
        """A broken file gives st.error and the page stays usable."""
        (tmp_path / "broken.json").write_text('[{"instruction": ', encoding="utf-8")
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("broken.json").run()
        app.button[-1].click().run()
        assert not app.exception and app.error and "broken.json" in shown(app.error[0])
        assert app.metric[0].value == "183"

    def test_items_that_talk_to_the_conversation_are_listed_and_switchable(self, app: AppTest, tmp_path: Path) -> None:
        """The demo has none, so no list; a file with four lists them; Mosaic settings lets them into mosaics."""
        assert "speak to the conversation" not in texts(app)
        (tmp_path / "talk.jsonl").write_bytes((REPO / "tests/fixtures/conversation/talk.jsonl").read_bytes())
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("talk.jsonl").run()
        app.button[-1].click().run()
        assert not app.exception and "4 instructions speak to the conversation" in texts(app)
        listed = next(frame.value for frame in app.dataframe if "words found" in frame.value.columns)
        assert sorted(listed["id"]) == ["talk-1", "talk-2", "talk-3", "talk-4"]
        visit(app, "settings")
        assert app.radio(key="conversation_items").value == "apart"
        app.radio(key="conversation_items").set_value("mix").run()
        assert not app.exception and app.session_state.recipe["conversation_items"] == "mix"
        visit(app, "data")
        assert "yet the recipe lets them into mosaics" in texts(app)

    def test_chat_leftovers_are_counted_and_taken_off_with_the_toggle(self, app: AppTest, tmp_path: Path) -> None:
        """A copied chat whose turn ends "Share Prompt": counted and kept by default; with the toggle on, taken
        off."""
        chats = [
            {"id": f"c{i}", "conversations": [{"from": "human", "value": v}, {"from": "gpt", "value": "Done."}]}
            for i, v in enumerate(["Name a prime.Share Prompt", "Name a colour.", "Name a city.2 / 2"])
        ]
        (tmp_path / "chats.json").write_text(json.dumps(chats), encoding="utf-8")
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("chats.json").run()
        app.button[-1].click().run()
        assert not app.exception and "2 records end a user's turn with what a chat site left" in texts(app)
        assert app.session_state.loaded.records[0].instruction == "Name a prime.Share Prompt"
        app.toggle(key="load_chat_leftovers").set_value(True).run()
        app.button[-1].click().run()
        assert not app.exception and "taken off" in texts(app)
        assert [r.instruction for r in app.session_state.loaded.records] == [
            "Name a prime.",
            "Name a colour.",
            "Name a city.",
        ]
        assert app.session_state.loaded.report.chat_leftovers_policy == "strip"

    def test_conversations_kept_whole_say_how_many_begin_mid_chat(self, app: AppTest, tmp_path: Path) -> None:
        """With multi-turn "keep", the page says how many conversations are kept whole, and how many of them are
        a later part of a split chat (FastChat's ``id_1``), which begins with turns answering others."""
        turns = [
            {"from": f, "value": v}
            for f, v in [("human", "Hi."), ("gpt", "Hello."), ("human", "Bye."), ("gpt", "Bye!")]
        ]
        single = [{"from": "human", "value": "Name a colour."}, {"from": "gpt", "value": "Red."}]
        chats = [{"id": "a_0", "conversations": turns}, {"id": "a_1", "conversations": turns}]
        chats += [{"id": f"s{i}", "conversations": single} for i in range(3)]
        (tmp_path / "chats.json").write_text(json.dumps(chats), encoding="utf-8")
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("chats.json").run()
        app.selectbox(key="load_multi_turn").set_value("keep").run()
        app.button[-1].click().run()
        said = texts(app)
        assert not app.exception and "2 multi-turn conversations are kept whole" in said
        assert "1 of them are later parts of a chat split into parts" in said

    def test_path_outside_data_folder_refused(self, app: AppTest) -> None:
        """Paths leading out of the data folder are refused with a clear message."""
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("../../etc/passwd").run()
        app.button[-1].click().run()
        assert app.error and "outside the data folder" in shown(app.error[0])


BAD = REPO / "tests" / "fixtures" / "bad"


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in BAD.iterdir() if p.name not in ("EXPECTED.json", "make_bad_fixtures.py", "__pycache__")),
)
def test_bad_input_shows_error_in_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Every broken fixture, loaded by path: st.error or a load report, never an exception."""
    import shutil

    monkeypatch.setenv("MOSAIC_DATA_DIR", str(tmp_path))
    source = BAD / name
    (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    expected = json.loads((BAD / "EXPECTED.json").read_text(encoding="utf-8"))[name]
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key="source_kind").set_value("Local path").run()
    at.text_input[-2].input(name).run()
    at.button[-1].click().run()
    assert not at.exception, [e.value for e in at.exception]
    if expected["skip"] == "error":
        assert at.error and name in shown(at.error[0])
        assert at.metric[0].value == "183"  # the demo stays loaded
    else:
        assert not at.error and at.session_state.source_label == f"path: {name}"


class TestSettingsPage:
    def test_changing_k_updates_recipe_and_chart(self, app: AppTest) -> None:
        """Maximum k goes into the recipe; the k chart shows k = 1..max."""
        visit(app, "settings")
        app.number_input(key="max_k").set_value(6).run()
        assert app.session_state.recipe["max_k"] == 6
        chart = next(h.proto.body for h in app.get("html") if 'class="bars"' in h.proto.body)
        bars = re.findall(r'data-key="(\d+)" data-share="([0-9.e-]+)"', chart)
        assert [int(k) for k, _ in bars] == [1, 2, 3, 4, 5, 6]
        assert sum(float(share) for _, share in bars) == pytest.approx(1.0, abs=1e-5)
        assert "k (items per mosaic)" in chart and "share of mosaics, estimated" in chart

    def test_preset_sets_shares(self, app: AppTest) -> None:
        """Choosing a preset shows the resulting shares and stores the mix."""
        visit(app, "settings")
        app.selectbox(key="preset").set_value("mask").run()
        assert app.session_state.recipe["mix"]["maskout"] == pytest.approx(0.5)
        assert "maskout 50%" in texts(app)

    def test_invalid_template_shows_error(self, app: AppTest) -> None:
        """A malformed custom template is refused with st.error."""
        visit(app, "settings")
        app.text_input(key="new_text").input("no capital letter here").run()
        assert app.error and "must end with" in shown(app.error[0])

    def test_size_mask_template_asks_for_its_singular_form(self, app: AppTest) -> None:
        """A size-mask template needs its one-instruction sentence; with it, the example renders and it is added."""
        visit(app, "settings")
        app.selectbox(key="new_family").set_value("maskout.longest_words").run()
        app.text_input(key="new_text").input("Skip the {m} longest {noun} by word count.").run()
        assert app.error and "singular" in shown(app.error[0])
        app.text_input(key="new_one").input("Skip the longest instruction by word count.").run()
        assert not app.error
        assert any("Example: Skip the 2 longest instructions by word count." in t.value for t in app.text)
        app.button[[b.label for b in app.button].index("Add to the library")].click().run()
        added = app.session_state.recipe["custom_templates"]
        assert added[-1]["one"] == "Skip the longest instruction by word count."

    def test_format_template_takes_its_form_for_one_answer(self, app: AppTest) -> None:
        """A custom wrapper sentence may give its form for one answer; a form that still says "each" is refused."""
        visit(app, "settings")
        app.selectbox(key="new_family").set_value("format.wrapper").run()
        app.text_input(key="new_text").input("Open each answer with {open} and shut it with {close}.").run()
        assert not app.error
        app.text_input(key="new_one").input("Open every answer with {open} and shut it with {close}.").run()
        assert app.error and "one answer only" in shown(app.error[0])
        app.text_input(key="new_one").input("Open your answer with {open} and shut it with {close}.").run()
        assert not app.error
        app.button[[b.label for b in app.button].index("Add to the library")].click().run()
        added = app.session_state.recipe["custom_templates"]
        assert added[-1]["one"] == "Open your answer with {open} and shut it with {close}."

    def test_custom_template_place_is_read_from_its_words(self, app: AppTest) -> None:
        """A custom sentence saying "above" is taken as one that stands after the instructions, without error."""
        visit(app, "settings")
        app.selectbox(key="new_family").set_value("permute.reverse").run()
        app.text_input(key="new_text").input("Answer the instructions above in reverse order.").run()
        assert not app.error  # its place is read from its words: after
        assert any("Example: Answer the instructions above" in t.value for t in app.text)


def test_untrusted_text_is_shown_literally() -> None:
    """A file name with Markdown and a right-to-left override is escaped and its control shown by name."""
    from pages.studio.html import literal

    shown = literal("![x](http://example.org/i.png)\u202etxt.exe")
    assert "![" not in shown and "\\[x\\]" in shown and "\u202e" not in shown and "U+202E" in shown


def test_the_app_folder_is_never_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from mosaic_core import ConfigError
    from pages.studio.folders import APP_DIR, data_dir

    monkeypatch.setenv("MOSAIC_DATA_DIR", str(APP_DIR / "pages"))
    with pytest.raises(ConfigError, match="code folder"):
        data_dir()


class TestLanguages:
    def test_data_page_shows_the_language_mix(self, app: AppTest) -> None:
        """The demo's records per detected language, English first, every record counted once."""
        mix = next(d.value for d in app.dataframe if "template pack" in d.value.columns)
        assert mix.iloc[0]["language"] == "en" and mix["records"].sum() == 183
        assert len(mix) > 1  # the demo holds a few records in other languages

    def test_fixed_meta_language_reaches_recipe_and_preview(self, app: AppTest) -> None:
        """Choosing German writes it into the recipe; every previewed mosaic says so."""
        visit(app, "settings")
        app.selectbox(key="meta_language").set_value("de").run()
        assert app.session_state.recipe["meta_language"] == "de"
        visit(app, "preview")
        titles = [m.value for m in app.markdown if "Mosaic #" in m.value]
        assert titles and all("meta-instructions in `de`" in t for t in titles)
        assert len(app.success) == len(titles)

    def test_custom_template_in_chinese(self, app: AppTest) -> None:
        """A custom sentence in Chinese is checked by the Chinese pack's rules and shown filled in."""
        visit(app, "settings")
        app.selectbox(key="new_language").set_value("zh").run()
        app.selectbox(key="new_family").set_value("maskout.fix").run()
        app.text_input(key="new_text").input("请不要回答第{positions}条指令，其余的都要回答。").run()
        assert not app.error
        assert any("Example: 请不要回答第2、4条指令" in t.value for t in app.text)
        app.text_input(key="new_text").input("请不要回答第{positions}条指令").run()
        assert app.error and "must end with '。'" in shown(app.error[0])


class TestPreviewPage:
    def test_shows_verified_mosaics(self, app: AppTest) -> None:
        """Ten mosaics with plan and a passing verdict."""
        visit(app, "preview")
        assert sum("Mosaic #" in m.value for m in app.markdown) == 10
        assert len(app.success) == 10 and not app.error

    def test_reroll_and_accept(self, app: AppTest) -> None:
        """Re-roll moves the seed on; Accept records the mosaic for curation."""
        visit(app, "preview")
        next(b for b in app.button if b.label == "Re-roll").click().run()
        assert app.session_state.recipe["seed"] == 1
        app.button(key="accept_3").click().run()
        assert 3 in app.session_state.accepted

    def test_filter_by_rule(self, app: AppTest) -> None:
        """Filtering by rule shows only mosaics of that rule."""
        visit(app, "preview")
        app.multiselect[1].set_value(["permute.reverse"]).run()
        titles = [m.value for m in app.markdown if "Mosaic #" in m.value]
        assert titles and all("permute.reverse" in t for t in titles)


class TestStatisticsPage:
    def test_charts_and_tables(self, app: AppTest) -> None:
        """Mosaic counts, token histograms of both sets, diversity and cost tables are shown."""
        from mosaic_core import MosaicConfig, MosaicRun, SourceTable, load_dataset
        from tests.conftest import DEMO

        visit(app, "statistics")
        run = MosaicRun(SourceTable.build(load_dataset(DEMO).records, "cl100k_base"), MosaicConfig())
        expected = sum(1 for _ in run.mosaics())
        metrics = {m.label: m.value for m in app.metric}
        assert metrics["Mosaics"] == f"{expected:,}" and metrics["Source records"] == "183"
        histogram = json.loads(app.get("plotly_chart")[0].proto.spec)
        assert [trace["name"] for trace in histogram["data"]] == ["original", "mosaic"]
        diversity = app.dataframe[-2].value
        assert {"original", "mosaic"} <= set(diversity.columns) and len(diversity) == 14
        cost = app.dataframe[-1].value
        assert list(cost["set"]) == ["original x 3 epoch(s)", "mosaic x 1 epoch(s)", "mosaic / original"]

    def test_cost_inputs_change_the_estimate(self, app: AppTest) -> None:
        """More epochs on the original raise its cost and lower the ratio."""
        visit(app, "statistics")
        before = app.dataframe[-1].value["steps"].tolist()
        app.number_input(key="cost_orig").set_value(6).run()
        after = app.dataframe[-1].value["steps"].tolist()
        assert after[0] == 2 * before[0] and after[2] < before[2]


class TestExportPage:
    def test_generate_and_save(self, app: AppTest, tmp_path: Path) -> None:
        """Generating writes the export inside the data folder and shows the manifest counts."""
        visit(app, "export")
        app.text_input[0].input("out/mosaics.jsonl").run()
        next(b for b in app.button if b.label == "Generate the export").click().run()
        assert not app.error, [e.value for e in app.error]
        saved = tmp_path / "out" / "mosaics.jsonl"
        rows = saved.read_text(encoding="utf-8").splitlines()
        metrics = {m.label: m.value for m in app.metric}
        assert metrics["Mosaics"] == f"{len(rows):,}" and (tmp_path / "out" / "mosaics.jsonl.manifest.json").exists()

    def test_a_users_file_is_replaced_only_after_confirmation(self, app: AppTest, tmp_path: Path) -> None:
        """An existing file that is not an earlier export stays as it is until the user confirms."""
        (tmp_path / "notes.jsonl").write_text("mine\n", encoding="utf-8")
        visit(app, "export")
        app.text_input[0].input("notes.jsonl").run()
        assert app.warning and "not an earlier export" in app.warning[0].value
        next(b for b in app.button if b.label == "Generate the export").click().run()
        assert app.error and "left alone" in shown(app.error[0])
        assert (tmp_path / "notes.jsonl").read_text(encoding="utf-8") == "mine\n"
        app.checkbox(key="force_replace").check().run()
        next(b for b in app.button if b.label == "Generate the export").click().run()
        assert not app.error and (tmp_path / "notes.jsonl.manifest.json").exists()

    def test_the_data_folder_itself_is_refused(self, app: AppTest, tmp_path: Path) -> None:
        """Saving onto the data folder would put the manifest outside it: refused, nothing written."""
        visit(app, "export")
        app.text_input[0].input(".").run()
        next(b for b in app.button if b.label == "Generate the export").click().run()
        assert app.error and sorted(p.name for p in tmp_path.iterdir()) == []

    def test_save_outside_refused(self, app: AppTest, tmp_path: Path) -> None:
        """Saving outside the data folder is refused and nothing is written."""
        visit(app, "export")
        app.text_input[0].input("/tmp/elsewhere.jsonl").run()
        next(b for b in app.button if b.label == "Generate the export").click().run()
        assert app.error and "outside the data folder" in shown(app.error[0])


class TestScreenIsTheRecipe:
    """The app never runs a configuration other than the one on screen (issue #16)."""

    def test_invalid_setting_is_reported_beside_it_and_stops_the_run(self, app: AppTest) -> None:
        """All permute rules off: the error stands under Rules, the toggles stay off, the recipe download is
        disabled, and Preview, Statistics and Export refuse to run instead of using the last valid recipe."""
        visit(app, "settings")
        permute = [t for t in app.toggle if str(t.key).startswith("rule_permute.")]
        assert len(permute) == 10
        for toggle in permute:
            toggle.set_value(False)
        app.run()
        assert app.error and "all its rules are off" in shown(app.error[0])
        errors = [i for i, e in enumerate(app.main) if getattr(e, "type", "") == "error"]
        assert errors
        app.run()  # another rerun: nothing switches itself back on
        assert all(not app.toggle(key=t.key).value for t in permute)
        download = app.get("download_button")[0]
        assert download.proto.disabled and download.proto.label == "Download recipe.json"
        assert app.session_state.recipe_error
        for page, absent in (("preview", "Mosaic #0"), ("statistics", "Token lengths"), ("export", "Rows written")):
            visit(app, page)
            assert app.error and "settings are not valid" in shown(app.error[0]), page
            assert absent not in texts(app) and not [m for m in app.metric if m.label == absent]

    def test_fixing_the_setting_runs_again(self, app: AppTest) -> None:
        """Switching one rule back on clears the error; Preview shows mosaics of the recipe on screen."""
        visit(app, "settings")
        permute = [t for t in app.toggle if str(t.key).startswith("rule_permute.")]
        for toggle in permute:
            toggle.set_value(False)
        app.run()
        app.toggle(key="rule_permute.reverse").set_value(True).run()
        assert not app.error and not app.session_state.recipe_error
        assert sorted(app.session_state.recipe["disabled_rules"]) == sorted(
            t.key[5:] for t in permute if t.key != "rule_permute.reverse"
        )
        visit(app, "preview")
        assert not app.error

    def test_export_of_another_dataset_is_not_shown(self, app: AppTest, tmp_path: Path) -> None:
        """An export made from one dataset is not shown (nor offered) once another dataset is loaded."""
        visit(app, "export")
        app.button[[b.label for b in app.button].index("Generate the export")].click().run()
        assert [m for m in app.metric if m.label == "Rows written"]
        lines = (REPO / "mosaic_core" / "data" / "demo.jsonl").read_text(encoding="utf-8").splitlines()[:40]
        (tmp_path / "small.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        visit(app, "data")
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("small.jsonl").run()
        app.button[-1].click().run()
        assert app.metric[0].value == "40"
        visit(app, "export")
        assert not [m for m in app.metric if m.label == "Rows written"]
        assert "another dataset" in texts(app)

    def test_self_defeating_settings_are_warned(self, app: AppTest) -> None:
        """Maximum k 1 with order and mask weights, and a budget beyond common context lengths, are warned."""
        visit(app, "settings")
        app.number_input(key="max_k").set_value(1).run()
        assert any("never apply" in shown(w) for w in app.warning)
        app.number_input(key="max_tokens").set_value(100_000).run()
        assert any("beyond common training context lengths" in shown(w) for w in app.warning)


class TestReplayAndDownloads:
    def export_in_app(self, app: AppTest, file_type: str, extras: list[str]) -> AppTest:
        visit(app, "export")
        app.selectbox[[s.label for s in app.selectbox].index("File type")].set_value(file_type).run()
        app.multiselect[[m.label for m in app.multiselect].index("Also write")].set_value(extras).run()
        app.button[[b.label for b in app.button].index("Generate the export")].click().run()
        assert not app.exception and not app.error, [e.value for e in app.error]
        return app

    def test_a_license_the_hub_does_not_know_is_an_error_beside_the_card(self, app: AppTest) -> None:
        visit(app, "export")
        app.multiselect[[m.label for m in app.multiselect].index("Also write")].set_value(
            ["dataset card (README.md)"]
        ).run()
        app.text_input(key="export_license").input("CC BY-NC 4.0").run()
        assert not app.exception and any("did you mean cc-by-nc-4.0" in e.value for e in app.error)
        app.text_input(key="export_license").input("cc-by-nc-4.0").run()
        assert not app.exception and not app.error

    def test_shown_command_replays_the_export_byte_for_byte(
        self, app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The command the Export page shows, run in a folder holding the export's manifest, writes the same
        bytes the app offered for download (issue #16, finding 6)."""
        import shlex

        from mosaic_core.cli import main

        source = REPO / "tests" / "fixtures" / "trainers" / "chat_tools.jsonl"
        (tmp_path / "chats.jsonl").write_bytes(source.read_bytes())  # tmp_path is the app's data folder
        visit(app, "data")
        app.selectbox[[s.label for s in app.selectbox].index("Multi-turn conversations")].set_value("keep").run()
        app.radio(key="source_kind").set_value("Local path").run()
        app.text_input[-2].input("chats.jsonl").run()
        app.button[-1].click().run()
        visit(app, "export")
        app.selectbox[[s.label for s in app.selectbox].index("Record format")].set_value("sharegpt").run()
        app = self.export_in_app(app, "jsonl", [])
        command = app.session_state.export_command
        assert command.startswith("mosaic-studio generate ") and "--multi-turn keep" in command
        assert str(tmp_path / "chats.jsonl") in command and "--to sharegpt" in command
        folder = tmp_path / "replay"
        folder.mkdir()
        (folder / "mosaics.jsonl.manifest.json").write_text(json.dumps(app.session_state.export_manifest))
        monkeypatch.chdir(folder)
        assert main(shlex.split(command)[1:]) == 0
        assert (folder / "mosaics.jsonl").read_bytes() == app.session_state.export_bytes

    def test_hf_and_sidecars_download_as_one_zip(self, app: AppTest) -> None:
        """Download mode: an hf export and every sidecar asked for arrive in one zip (finding 4)."""
        import io
        import zipfile

        extras = ["dataset card (README.md)", "trainer recipes (LLaMA-Factory, axolotl, TRL)"]
        app = self.export_in_app(app, "hf", extras)
        names = set(zipfile.ZipFile(io.BytesIO(app.session_state.export_zip)).namelist())
        assert {"mosaics.manifest.json", "README.md", "dataset_info.json", "mosaics.axolotl.yml"} <= names
        assert "mosaics/data-00000-of-00001.arrow" in names
        labels = [b.proto.label for b in app.get("download_button")]
        assert "Download everything (mosaics.zip)" in labels


class TestFirstContact:
    def test_landing_page_orients(self, app: AppTest) -> None:
        """The first page says what Mosaic-IT does and the flow, and offers no demo button while the demo is
        loaded (finding 9)."""
        said = texts(app)
        assert "Mosaic-IT" in said and "meta-instruction" in said
        flow = ["**Data**", "**Mosaic settings**", "**Preview**", "**Statistics**", "**Export**"]
        positions = [said.index(step) for step in flow]
        assert positions == sorted(positions)
        assert "Load the demo dataset" not in [b.label for b in app.button]
        assert "is the one loaded now" in said


class TestCurationLasts:
    def test_marks_survive_a_reroll_and_come_back(self, app: AppTest) -> None:
        """Marks belong to a recipe and seed: a re-roll starts a fresh set, the earlier marks are listed and
        come back with their seed (finding 5)."""
        visit(app, "preview")
        app.button(key="accept_1").click().run()
        app.button(key="reject_2").click().run()
        assert (app.session_state.accepted, app.session_state.rejected) == ({1}, {2})
        next(b for b in app.button if b.label == "Re-roll").click().run()
        assert app.session_state.recipe["seed"] == 1
        assert (app.session_state.accepted, app.session_state.rejected) == (set(), set())
        assert any("seed 0" in str(c.value) and "1 accepted, 1 rejected" in str(c.value) for c in app.caption)
        app.button(key="marks_0").click().run()
        assert app.session_state.recipe["seed"] == 0
        assert (app.session_state.accepted, app.session_state.rejected) == ({1}, {2})

    def test_rejected_mosaics_are_left_out_by_default(self, app: AppTest) -> None:
        """Once a mosaic is rejected, the export leaves it out unless the user says otherwise."""
        visit(app, "export")
        app.button[[b.label for b in app.button].index("Generate the export")].click().run()
        everything = app.session_state.export_bytes.decode("utf-8").splitlines()
        visit(app, "preview")
        app.button(key="reject_2").click().run()
        visit(app, "export")
        toggle = next(t for t in app.toggle if str(t.label).startswith("Leave out rejected mosaics"))
        assert toggle.value is True
        app.button[[b.label for b in app.button].index("Generate the export")].click().run()
        kept = app.session_state.export_bytes.decode("utf-8").splitlines()
        assert kept == everything[:2] + everything[3:]
        assert app.session_state.export_manifest["export"]["left_out"] == 1


class TestStatisticsReadAtAGlance:
    def test_shares_axis_titles_target_k_and_units(self, app: AppTest) -> None:
        """Charts show shares by default (raw counts on a toggle), every chart has axis titles, k has its target
        next to what was made with integer ticks, FLOPs carry a unit, and unusable items are split into sources
        over the budget and per-epoch leftovers (finding 8)."""
        visit(app, "statistics")
        charts = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
        for chart in charts:
            layout = chart["layout"]
            assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"], layout.get("title")
        histogram, k_chart = charts[0], charts[1]
        assert {t.get("histnorm") for t in histogram["data"]} == {"percent"}
        assert [t["name"] for t in k_chart["data"]] == ["realised", "target (before the budget)"]
        assert k_chart["layout"]["xaxis"]["dtick"] == 1
        assert sum(plotted(k_chart["data"][0]["y"])) == pytest.approx(100.0)
        assert sum(plotted(k_chart["data"][1]["y"])) == pytest.approx(100.0)
        metrics = {m.label: m.value for m in app.metric}
        assert {"Sources left out", "Left out in an epoch"} <= set(metrics)
        assert "Unusable items" not in metrics
        flops = app.dataframe[-1].value["FLOPs"].tolist()
        assert all(re.fullmatch(r"\d+\.\d\d [GTPEZY]FLOP", f) for f in flops[:2]), flops
        assert "-0.00" not in " ".join(str(c["layout"].get("title", {}).get("text", "")) for c in charts)
        app.toggle(key="raw_counts").set_value(True).run()
        histogram = json.loads(app.get("plotly_chart")[0].proto.spec)
        assert {t.get("histnorm") for t in histogram["data"]} == {None}


class TestPreviewReadsWell:
    def test_past_the_last_mosaic_says_so(self, app: AppTest) -> None:
        """Jumping past the last mosaic, with no filter set, says there is no such mosaic (finding 8)."""
        visit(app, "preview")
        app.number_input(key="jump").set_value(100_000).run()
        said = " ".join(str(i.value) for i in app.info)
        assert "There is no mosaic #100,000" in said and "filters" not in said

    def test_every_item_of_a_large_mosaic_has_its_own_colour(self) -> None:
        """Source colours stay distinct for any k: ten hand-picked, then hues a golden angle apart."""
        from pages.studio.html import colour

        colours = [colour(item) for item in range(100)]
        assert len(set(colours)) == 100


class TestCompare:
    def test_two_recipes_side_by_side(self, app: AppTest) -> None:
        """Recipe B (A with max k 3) is compared with A: its metrics with their differences, grouped k and
        strategy bars of both, token histograms, a diversity and cost table with B - A, two mosaics of each."""
        visit(app, "compare")
        app.number_input(key="b_max_k").set_value(3).run()
        assert not app.exception and not app.error
        assert "B differs from A in: max\\_k" in texts(app) or "B differs from A in: max_k" in texts(app)
        metrics = {m.label: m for m in app.metric}
        assert float(metrics["Mean k (B)"].value) <= 3.0
        assert metrics["Mosaics (B)"].proto.delta  # more mosaics with fewer items each: a difference is shown
        charts = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
        assert [t["name"] for t in charts[0]["data"]] == ["A", "B"]
        b_k = dict(zip(charts[0]["data"][1]["x"], plotted(charts[0]["data"][1]["y"]), strict=True))
        assert max(int(k) for k, share in b_k.items() if share > 0) <= 3
        table = app.dataframe[-1].value
        assert list(table.columns) == ["measure", "side", "A", "B", "B - A"]
        assert (table["B - A"] != 0).any()
        assert sum("Mosaic #" in str(c.value) for c in app.caption) == 4


class TestLiveExample:
    def test_example_redraws_with_the_settings(self, app: AppTest) -> None:
        """Settings shows mosaic #0 of the settings on screen, and redraws it when they change."""
        visit(app, "settings")
        first = next(str(c.value) for c in app.caption if "redraws as the settings change" in str(c.value))
        app.number_input(key="max_k").set_value(2).run()
        second = next(str(c.value) for c in app.caption if "redraws as the settings change" in str(c.value))
        assert first != second and int(re.search(r"k = (\d+)", second).group(1)) <= 2  # type: ignore[union-attr]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What each download button offers, by label (recorded as the page draws it)."""
    from streamlit.elements.widgets.button import ButtonMixin

    offered: dict[str, object] = {}
    original = ButtonMixin.download_button

    def record(self: object, label: str, data: object, *args: object, **kwargs: object) -> bool:
        offered[label] = data
        return original(self, label, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ButtonMixin, "download_button", record)
    return offered


class TestWholeRecipe:
    """The recipe file holds load options, export options and curation marks, and loading one sets them all
    (issue #16, "a complete recipe")."""

    def choose_export(self, app: AppTest) -> AppTest:
        visit(app, "preview")
        app.button(key="accept_1").click().run()
        app.button(key="reject_3").click().run()
        visit(app, "export")
        app.selectbox(key="export_to").set_value("messages").run()
        app.multiselect(key="export_extras").set_value(["dataset card (README.md)"]).run()
        return app

    def test_the_downloaded_recipe_holds_every_choice(self, app: AppTest, downloads: dict[str, object]) -> None:
        app = self.choose_export(app)
        before = dict(app.session_state.recipe)
        visit(app, "data")  # leaving the Export page must not forget its choices
        visit(app, "settings")
        assert dict(app.session_state.recipe) == before  # showing the settings changes nothing (1/3 stays 1/3)
        whole = json.loads(str(downloads["Download recipe.json"]))
        assert whole["export"]["to"] == "messages" and whole["export"]["card"] is True
        assert whole["export"]["license"] == "cc0-1.0"  # the demo's licence, prefilled
        assert whole["curation"] == {
            "accepted": [1],
            "rejected": [3],
            "only_accepted": False,
            "leave_out_rejected": True,
        }
        assert whole["load"]["multi_turn"] == "first" and whole["seed"] == 0
        assert whole["load"]["chat_leftovers"] == "keep"
        visit(app, "export")
        assert app.selectbox(key="export_to").value == "messages"

    def test_using_a_recipe_sets_export_options_marks_and_load_options(self, app: AppTest) -> None:
        recipe = {
            "seed": 4,
            "load": {"multi_turn": "keep", "chat_leftovers": "strip"},
            "export": {"to": "sharegpt", "file_type": "parquet", "provenance": False, "originals": 0.3},
            "curation": {"accepted": [0, 2], "only_accepted": True},
        }
        visit(app, "settings")
        self.use(app, recipe)
        assert app.session_state.recipe["seed"] == 4
        said = " ".join(str(i.value) for i in app.info)
        assert "multi-turn conversations: keep (the dataset was read with first)" in said
        assert "chat-site leftovers: strip (the dataset was read with keep)" in said
        visit(app, "export")
        assert app.selectbox(key="export_to").value == "sharegpt"
        assert app.selectbox(key="export_file_type").value == "parquet"
        assert app.toggle(key="export_provenance").value is False
        assert app.select_slider(key="export_originals").value == 0.3
        assert app.toggle(key="only_accepted").value is True
        assert (app.session_state.accepted, app.session_state.rejected) == ({0, 2}, set())
        visit(app, "data")
        assert app.selectbox(key="load_multi_turn").value == "keep"
        assert app.toggle(key="load_chat_leftovers").value is True

    def use(self, app: AppTest, recipe: dict[str, object]) -> None:
        """Paste ``recipe`` on the Settings page and press "Use this recipe"."""
        app.text_area(key="recipe_text").input(json.dumps(recipe)).run()
        next(b for b in app.button if b.label == "Use this recipe").click().run()
        assert not app.exception and not app.session_state.recipe_load_error

    def test_a_curated_export_replays_from_its_manifest(
        self, app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Curation is in the manifest, so the command shown replays a curated export byte for byte."""
        import shlex

        from mosaic_core.cli import main

        app = self.choose_export(app)
        app.button[[b.label for b in app.button].index("Generate the export")].click().run()
        manifest = app.session_state.export_manifest
        assert manifest["export"]["curation"] == {"accepted": None, "rejected": [3]}
        folder = tmp_path / "replay"
        folder.mkdir()
        (folder / "mosaics.jsonl.manifest.json").write_text(json.dumps(manifest))
        monkeypatch.chdir(folder)
        assert main(shlex.split(app.session_state.export_command)[1:]) == 0
        assert (folder / "mosaics.jsonl").read_bytes() == app.session_state.export_bytes
        assert (folder / "README.md").is_file()

    def test_a_bad_recipe_is_refused_in_one_line(self, app: AppTest) -> None:
        visit(app, "settings")
        app.text_area(key="recipe_text").input('{"export": {"to": "yaml"}}').run()
        next(b for b in app.button if b.label == "Use this recipe").click().run()
        assert any("export.to must be one of" in shown(e) for e in app.error)
        assert app.session_state.recipe["seed"] == 0


def _statistics_script() -> None:
    import streamlit as st

    from mosaic_core import MosaicConfig, MosaicRun, SampleSet, StatsOptions, TrainingSetup, core_stats
    from mosaic_core import dataset_fingerprint as fingerprint_of
    from pages.studio.cache import demo_dataset, mosaic_statistics, source_table

    loaded = demo_dataset()
    fingerprint = fingerprint_of(loaded.records)
    recipe = MosaicConfig(epochs=3, seed=11)
    seen: list[dict[str, object]] = []
    result = mosaic_statistics(fingerprint, recipe.to_json(), TrainingSetup(), loaded, None, seen.append)
    again: list[dict[str, object]] = []
    mosaic_statistics(fingerprint, recipe.to_json(), TrainingSetup(), loaded, None, again.append)
    run = MosaicRun(source_table(fingerprint, recipe.tokenizer, loaded), recipe)
    mosaics = list(run.mosaics())
    sets = [SampleSet.from_table(run.table, 2000), SampleSet.from_mosaics(mosaics, run.table, 0, config=recipe)]
    joint = core_stats(sets, 2000, StatsOptions(seed=11))
    st.session_state.found = (seen, again, result, joint, run.report.mosaics_per_epoch[0])


class TestStatisticsFirstEpoch:
    def test_the_first_epoch_is_shown_first_and_the_whole_run_matches(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Statistics of a run of several epochs show its first epoch at once, then the whole run; the whole
        run's numbers equal those of every mosaic worked out in one go (finding 10)."""
        monkeypatch.setenv("MOSAIC_DATA_DIR", str(tmp_path))
        at = AppTest.from_function(_statistics_script, default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        seen, again, result, joint, first_epoch_mosaics = at.session_state.found
        assert len(seen) == 1 and seen[0]["epochs_done"] == 1 and result["epochs_done"] == 3
        assert seen[0]["core"]["sets"]["mosaic"]["records"] == first_epoch_mosaics
        # The first look leaves the mosaics' diversity to the whole run (about a second on 52k records).
        assert seen[0]["core"]["sets"]["mosaic"]["lexical"] is None and "mosaic" not in seen[0]["bleu"]
        assert result["core"]["sets"]["mosaic"]["lexical"] is not None and "mosaic" in result["bleu"]
        assert again == []  # the second time the whole run comes from memory
        assert result["core"] == joint
