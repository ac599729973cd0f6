"""Shared fixtures: small hand-written records, and the optional shared datasets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mosaic_core.records import SourceRecord

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO = REPO / "mosaic_core" / "data" / "demo.jsonl"
TOKENIZERS = ["cl100k_base", "o200k_base", "llama3"]
"""The tokenizers every counting and budget property is checked with."""

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def shared_file(name: str) -> Path:
    """A file of ../shared/data, or a skip when this checkout has none beside it."""
    path = SHARED_DATA / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing under CI")
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture
def tiny_records() -> list[SourceRecord]:
    """Twelve short, varied records written for the tests."""
    rows = [
        ("Name a primary colour.", "", "Red."),
        ("Add the numbers.", "2 and 3", "2 + 3 = 5"),
        ("Translate to French: good morning", "", "Bonjour."),
        ("Write a haiku about rain.", "", "Soft rain on the roof\nthe garden drinks in silence\nevening settles in"),
        ("'Quoted' start: say hi", "", "Hi!"),
        ("42 is the answer to what?", "", "To life, the universe and everything, in a novel."),
        ("Sort these words.", "pear, apple, fig", "apple, fig, pear"),
        ("Explain recursion briefly.", "", "A function that calls itself on a smaller problem until a base case."),
        ("List two prime numbers", "", "2, 3"),
        ("Classify the sentiment.", "I love this!", "Positive"),
        ("give a synonym for big", "", "large"),
        ("Zip two lists in Python.", "", "```python\nlist(zip(a, b))\n```"),
    ]
    return [SourceRecord(f"t{i}", ins, inp, out) for i, (ins, inp, out) in enumerate(rows)]
