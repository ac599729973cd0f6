"""One walk through the whole app in a real Chromium, as a user would."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser
# `make screenshots` points this at docs/screenshots for the README; test runs leave docs alone.
SHOTS = Path(os.environ.get("MOSAIC_SCREENSHOTS", REPO / "test-artifacts" / "screenshots"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        message = "no Chromium on this machine (make test installs Debian's chromium when run as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(data: Path) -> Iterator[str]:
    """The app in a server of its own, working in the data folder ``data``; yields its address."""
    port = free_port()
    env = {**os.environ, "MOSAIC_DATA_DIR": str(data)}
    # The server's output goes to a file beside the data folder. A pipe nobody reads fills after 64 KB
    # (warnings, datasets' progress bars) and then stops the server in the middle of a write: an hf export
    # late in the module hung that way in CI.
    log_path = data.with_name(f"{data.name}.server.log")
    log = log_path.open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()  # the server holds its own copy
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            output = log_path.read_text(encoding="utf-8")
            pytest.fail(f"the app did not answer /_stcore/health within 60 s; it printed:\n{output[-2000:]}")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a run still busy on a slow machine: do not leave it behind
            server.kill()
            server.wait(timeout=20)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("data")) as url:
        yield url


def choose(page: Any, box: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``box``, reopening it if a rerun closed the list."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(5):
        expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
        page.get_by_test_id("stSelectbox").filter(has_text=box).click()
        try:
            wanted.click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wanted.click()


def export_and_download(page: Any, folder: Path) -> Path:
    """On the Export page: generate, then download the export and its manifest into ``folder``."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Generate the export").click()
    button = page.get_by_role("button", name="Download mosaics.jsonl")
    expect(button).to_be_visible(timeout=180_000)  # a whole export: far longer than an assertion's 5 s
    with page.expect_download() as event:
        button.click()
    exported = folder / "mosaics.jsonl"
    event.value.save_as(exported)
    with page.expect_download() as event:
        page.get_by_role("button", name="Download the manifest").click()
    event.value.save_as(folder / "mosaics.jsonl.manifest.json")
    return exported


def assert_verifies(export: Path) -> None:
    """`python -m mosaic_core verify` passes on a downloaded export."""
    checked = subprocess.run(
        [sys.executable, "-m", "mosaic_core", "verify", str(export)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_walk_all_pages(app_url: str, tmp_path: Path) -> None:
    """Load, tune, re-roll, accept, measure, export and verify, with a screenshot of each page."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # a page's first draw on a busy 2-core machine can pass 5 s

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(60_000)

        def goto(title: str) -> None:
            page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
            expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible()

        page.goto(app_url)
        expect(page.get_by_role("heading", name="Data", exact=True).first).to_be_visible()
        expect(page.get_by_text("built-in demo dataset").first).to_be_visible()
        expect(page.get_by_text("183").first).to_be_visible()
        expect(page.get_by_text("Records loaded").first).to_be_visible()
        expect(page.get_by_role("heading", name="Token counts").first).to_be_visible()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "1-data.png"), full_page=False)

        goto("Mosaic settings")
        max_k = page.get_by_label("Maximum k")
        max_k.fill("4")
        max_k.press("Enter")
        choose(page, "Preset", "order")
        expect(page.get_by_text("permute 50%").first).to_be_visible()
        expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=30_000)
        page.wait_for_timeout(1000)
        expect(page.get_by_role("slider").first).to_have_value("0.5")  # the widget shows the recipe in effect
        page.screenshot(path=str(SHOTS / "2-settings.png"))

        goto("Preview")
        expect(page.get_by_text("Mosaic #0").first).to_be_visible()
        page.get_by_role("button", name="Re-roll").click()
        expect(page.get_by_text("Seed 1.").first).to_be_visible()
        page.get_by_role("button", name="Accept").first.click()
        expect(page.get_by_text("1 accepted").first).to_be_visible()
        expect(page.get_by_text("verified").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "3-preview.png"))

        goto("Statistics")
        expect(page.get_by_text("Token lengths (prompt + answer)").first).to_be_visible()
        expect(page.get_by_text("Training cost estimate").first).to_be_visible()
        expect(page.get_by_text("so far: the numbers below describe")).to_have_count(0)  # the whole run
        expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible()  # charts drawn
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "4-statistics.png"))

        goto("Compare recipes")
        b_max_k = page.get_by_label("B: maximum k", exact=True)
        b_max_k.fill("2")
        b_max_k.press("Enter")
        expect(page.get_by_text("B differs from A in: max_k").first).to_be_visible()
        expect(page.get_by_text("Mean k (B)").first).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "6-compare.png"))

        goto("Export")
        exported = export_and_download(page, tmp_path)
        page.screenshot(path=str(SHOTS / "5-export.png"))
        browser.close()

    manifest = json.loads((tmp_path / "mosaics.jsonl.manifest.json").read_text())
    assert manifest["recipe"]["max_k"] == 4 and manifest["recipe"]["seed"] == 1
    rows = exported.read_text(encoding="utf-8").splitlines()
    assert len(rows) == manifest["counts"]["mosaics"] > 0
    assert max(len(json.loads(json.loads(r)["mosaic"])["source_ids"]) for r in rows) <= 4  # provenance: JSON text
    assert_verifies(exported)


@pytest.mark.shared_data
def test_new_user_uploads_dolly(app_url: str, tmp_path: Path) -> None:
    """Upload Dolly 15k through the page, visit every page, export and verify."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # a page's first draw on a busy 2-core machine can pass 5 s

    from tests.conftest import shared_file

    dolly = shared_file("dolly_15k.jsonl")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(120_000)
        page.goto(app_url)
        page.get_by_text("Upload a file", exact=True).click()
        page.locator("input[type=file]").set_input_files(str(dolly))
        page.get_by_role("button", name="Load the uploaded file").click()
        expect(page.get_by_text("upload: dolly_15k.jsonl").first).to_be_visible()
        expect(page.get_by_text("15,015").first).to_be_visible()
        expect(page.get_by_text("dolly").first).to_be_visible()
        for title in ("Mosaic settings", "Preview", "Statistics"):
            page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
            expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible()
            if title == "Preview":
                expect(page.get_by_text("Mosaic #0").first).to_be_visible()
            page.wait_for_timeout(500)
            assert page.get_by_test_id("stException").count() == 0, title
        page.get_by_test_id("stSidebarNav").get_by_text("Export", exact=True).click()
        exported = export_and_download(page, tmp_path)
        assert page.get_by_test_id("stException").count() == 0
        browser.close()
    assert_verifies(exported)
    manifest = json.loads((tmp_path / "mosaics.jsonl.manifest.json").read_text())
    assert manifest["counts"]["sources"] == 15015 and manifest["input"]["name"] == "dolly_15k.jsonl"


def test_loading_a_recipe_sets_every_widget(app_url: str, tmp_path: Path) -> None:
    """Issue #16, finding 1: with max k 3 and seed 7 on screen, loading a recipe (max k 10, seed 0, a custom
    template) shows its values in every widget, and the next change (epochs) keeps them: the downloaded recipe
    is the loaded one plus that change."""
    from playwright.sync_api import expect, sync_playwright

    from mosaic_core import MosaicConfig

    expect.set_options(timeout=60_000)
    custom = {"id": "custom.en.permute.reverse.01", "family": "permute.reverse", "language": "en"}
    custom["text"] = "Answer the instructions above from the last one to the first."
    recipe = MosaicConfig(max_k=10, seed=0, custom_templates=(custom,)).to_recipe()
    (tmp_path / "recipe.json").write_text(json.dumps(recipe), encoding="utf-8")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(60_000)
        page.goto(app_url)
        expect(page.get_by_role("heading", name="Data", exact=True).first).to_be_visible()
        page.get_by_test_id("stSidebarNav").get_by_text("Mosaic settings", exact=True).click()
        for label, value in (("Maximum k", "3"), ("Seed", "7")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Enter")
            settle(page)
        expect(page.get_by_label("Maximum k", exact=True)).to_have_value("3")
        page.locator("input[type=file]").set_input_files(str(tmp_path / "recipe.json"))
        settle(page)  # the upload's run has drawn the button: a click during that run could be lost
        page.get_by_role("button", name="Use this recipe").click()
        expect(page.get_by_label("Maximum k", exact=True)).to_have_value("10")
        expect(page.get_by_label("Seed", exact=True)).to_have_value("0")
        epochs = page.get_by_label("Epochs (passes over the sources)", exact=True)
        epochs.fill("2")
        epochs.press("Enter")
        settle(page)  # the download below must hold the recipe of this run, not of the one before
        expect(page.get_by_label("Maximum k", exact=True)).to_have_value("10")
        expect(page.get_by_label("Epochs (passes over the sources)", exact=True)).to_have_value("2")
        with page.expect_download() as event:
            page.get_by_role("button", name="Download recipe.json").click()
        event.value.save_as(tmp_path / "downloaded.json")
        browser.close()
    downloaded = json.loads((tmp_path / "downloaded.json").read_text(encoding="utf-8"))
    assert (downloaded["max_k"], downloaded["seed"], downloaded["epochs"]) == (10, 0, 2)
    assert downloaded["custom_templates"] == [custom]


def pick(page: Any, box: str, options: list[str]) -> None:
    """Add ``options`` to the multiselect labelled ``box``, reopening it if a rerun closed the list."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for option in options:
        for attempt in range(5):
            settle(page)
            page.get_by_test_id("stMultiSelect").filter(has_text=box).click()
            try:
                page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
                break
            except PlaywrightTimeout:
                if attempt == 4:
                    raise
            finally:
                page.keyboard.press("Escape")


def settle(page: Any) -> None:
    """Wait for the run a key press or click started to end: no status widget, and no element of the page's
    last run still shown as stale (Streamlit keeps them, marked ``data-stale``, until the new run replaces
    them; they may hold the very text a test waits for)."""
    from playwright.sync_api import expect

    page.wait_for_timeout(700)  # the rerun starts after the event reaches the server
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=300_000)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=300_000)


def idle(page: Any) -> None:
    """Wait until the browser has finished drawing the last step (a second, then an idle moment), as a user
    would before the next click: clicking at once timed the rest of the previous page's drawing too."""
    page.wait_for_timeout(1000)
    page.evaluate("() => new Promise(done => requestIdleCallback(() => done(), {timeout: 10000}))")


SIDECARS = [
    "dataset card (README.md)",
    "LLaMA-Factory dataset_info.json",
    "trainer recipes (LLaMA-Factory, axolotl, TRL)",
]


def test_invalid_setting_every_file_type_and_the_replayed_command(app_url: str, tmp_path: Path) -> None:
    """Issue #16's walk: an invalid setting stops Preview until it is fixed; every file type is exported with
    every sidecar as one zip, each export verifies, and the command the page shows writes the same bytes."""
    import shlex
    import zipfile

    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)
    commands: dict[str, str] = {}
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        page.set_default_timeout(60_000)
        nav = page.get_by_test_id("stSidebarNav")
        page.goto(app_url)
        expect(page.get_by_role("heading", name="Data", exact=True).first).to_be_visible()

        nav.get_by_text("Mosaic settings", exact=True).click()
        for strategy in ("primary", "format", "permute", "maskout"):
            box = page.get_by_label(f"{strategy} weight", exact=True)
            box.fill("0")
            box.press("Enter")
            settle(page)
        expect(page.get_by_text("wait until this is fixed").first).to_be_visible()
        nav.get_by_text("Preview", exact=True).click()
        expect(page.get_by_text("The settings are not valid").first).to_be_visible()
        assert page.get_by_text("Mosaic #0").count() == 0
        nav.get_by_text("Mosaic settings", exact=True).click()
        box = page.get_by_label("permute weight", exact=True)
        box.fill("1")
        box.press("Enter")
        settle(page)
        assert page.get_by_text("wait until this is fixed").count() == 0
        nav.get_by_text("Preview", exact=True).click()
        expect(page.get_by_text("Mosaic #0").first).to_be_visible()
        expect(page.get_by_text("· permute").first).to_be_visible()

        nav.get_by_text("Export", exact=True).click()
        pick(page, "Also write", ["Select all"])
        for sidecar in SIDECARS:
            expect(page.get_by_test_id("stMultiSelect").get_by_text(sidecar).first).to_be_visible()
        for file_type in ("jsonl", "json", "parquet", "hf"):
            choose(page, "File type", file_type)
            settle(page)
            page.get_by_role("button", name="Generate the export").click()
            button = page.get_by_role("button", name="Download everything (mosaics.zip)")
            expect(button).to_be_visible(timeout=180_000)
            with page.expect_download() as event:
                button.click()
            folder = tmp_path / file_type
            event.value.save_as(tmp_path / f"{file_type}.zip")
            zipfile.ZipFile(tmp_path / f"{file_type}.zip").extractall(folder)
            commands[file_type] = (
                page.get_by_test_id("stCode").filter(has_text="mosaic-studio generate").first.inner_text()
            )
        browser.close()

    for file_type, command in commands.items():
        folder = tmp_path / file_type
        name = "mosaics" if file_type == "hf" else f"mosaics.{file_type}"
        found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert {f"{name}.manifest.json", "README.md", "dataset_info.json", f"{name}.axolotl.yml"} <= found, found
        manifest = json.loads((folder / f"{name}.manifest.json").read_text())
        assert manifest["recipe"]["mix"]["permute"] == 1.0 and manifest["export"]["file_type"] == file_type
        assert manifest["export"]["sidecars"]["card"] and manifest["export"]["sidecars"]["trainer_configs"]
        assert_verifies(folder / name)
        replay = tmp_path / f"replay-{file_type}"
        replay.mkdir()
        shutil.copy(folder / f"{name}.manifest.json", replay)
        words = shlex.split(command)
        assert words[:2] == ["mosaic-studio", "generate"] and f"--file-type {file_type}" in command
        done = subprocess.run(
            [sys.executable, "-m", "mosaic_core", *words[1:]],
            cwd=replay,
            env={**os.environ, "PYTHONPATH": str(REPO)},  # as `pip install .` would make it importable
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        if file_type == "hf":
            assert (replay / name / "data-00000-of-00001.arrow").read_bytes() == (
                folder / name / "data-00000-of-00001.arrow"
            ).read_bytes()
        else:
            assert (replay / name).read_bytes() == (folder / name).read_bytes()
        assert (replay / "README.md").read_text() == (folder / "README.md").read_text()


TIMINGS = Path(os.environ.get("MOSAIC_TIMINGS", REPO / "test-artifacts" / "app_timings.json"))
"""Where the speed walk writes what it measured (``bench/bench_app.py`` reads it for BENCHMARKS.md)."""


@pytest.mark.shared_data
def test_a_page_address_as_the_first_request_after_a_start(tmp_path: Path) -> None:
    """A tab left open on /settings while the app restarts: the page is drawn through app.py, with its
    navigation, not run alone in Streamlit's old multipage mode (which ended in an error)."""
    from playwright.sync_api import expect, sync_playwright

    with serve(tmp_path) as url, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{url}/settings")
        expect(page.get_by_role("heading", name="Mosaic settings", exact=True).first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("It redraws as the settings change").first).to_be_visible(timeout=60_000)
        settle(page)
        nav = page.get_by_test_id("stSidebarNav")
        assert nav.get_by_text("Compare recipes", exact=True).count() == 1  # the app's pages, by title
        assert page.get_by_test_id("stException").count() == 0
        assert page.get_by_text("This app has encountered an error").count() == 0
        browser.close()


def test_speed_on_52k_records(tmp_path: Path) -> None:
    """Issue #16's speed targets in browser time, on a fresh server: first Settings visit (demo, then Alpaca
    52k), first Statistics on 52k (its first epoch drawn, then the whole run), and a settings change seen on
    Preview. Each step is timed from the click until the page has drawn it and the run has ended."""
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import shared_file

    alpaca = shared_file("alpaca_cleaned_52k.json")
    shutil.copy(alpaca, tmp_path / alpaca.name)  # into the app's data folder, outside the project
    expect.set_options(timeout=300_000)
    found: dict[str, float] = {}
    with serve(tmp_path) as url, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(300_000)
        nav = page.get_by_test_id("stSidebarNav")

        def timed(name: str, click: Any, *shown: str, gone: str | None = None) -> None:
            idle(page)
            start = time.perf_counter()
            click()
            for text in shown:
                expect(page.get_by_text(text).first).to_be_visible()
            if gone is not None:
                expect(page.get_by_text(gone)).to_have_count(0)
            settle(page)
            found[name] = time.perf_counter() - start - 0.7  # settle's wait for a rerun to start

        page.goto(url)
        expect(page.get_by_role("heading", name="Data", exact=True).first).to_be_visible()
        settle(page)
        example = "It redraws as the settings change"  # the live example: the last thing Settings draws
        timed("first_settings_demo", lambda: nav.get_by_text("Mosaic settings", exact=True).click(), example)
        nav.get_by_text("Data", exact=True).click()
        settle(page)
        page.get_by_text("Local path", exact=True).click()
        settle(page)
        box = page.get_by_role("textbox", name="Path")
        box.fill(alpaca.name)
        box.press("Enter")
        settle(page)
        timed(
            "load_52k",
            lambda: page.get_by_role("button", name="Load this path").click(),
            f"path: {alpaca.name}",
            "51,941",
            "Detected offline from each instruction",  # the language mix: the token table is built
        )
        timed("first_settings_52k", lambda: nav.get_by_text("Mosaic settings", exact=True).click(), example)
        idle(page)
        start = time.perf_counter()
        nav.get_by_text("Statistics", exact=True).click()
        expect(page.get_by_text("Token lengths (prompt + answer)").first).to_be_visible()
        found["first_statistics_52k_first_epoch"] = time.perf_counter() - start
        expect(page.get_by_text("so far: the numbers below describe")).to_have_count(0)
        settle(page)
        found["first_statistics_52k_whole_run"] = time.perf_counter() - start - 0.7
        nav.get_by_text("Mosaic settings", exact=True).click()
        settle(page)
        max_k = page.get_by_label("Maximum k", exact=True)
        timed("settings_change_live_example", lambda: (max_k.fill("5"), max_k.press("Enter")), "k = ")
        timed("preview_after_change", lambda: nav.get_by_text("Preview", exact=True).click(), "Mosaic #9", "verified")
        assert page.get_by_test_id("stException").count() == 0
        browser.close()
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(found, indent=2))
    # Generous bounds (this machine is shared and noisy): a regression by several times still fails here;
    # the figures themselves go to BENCHMARKS.md through `make bench`.
    assert found["first_settings_demo"] < 10 and found["preview_after_change"] < 5, found
    assert found["first_statistics_52k_first_epoch"] < 30, found
