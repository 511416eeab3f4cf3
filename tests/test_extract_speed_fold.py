"""``fold`` and ``fold_for_numbers`` give exactly ``str.translate`` of their tables, short and long text alike."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.extract.quantities import _FOLD_KEEP_COMMA, fold_for_numbers
from pipeline.ingest import load_document
from pipeline.normalize import FOLD_TABLE, char_translator, fold

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def _assert_as_translate(text: str) -> None:
    assert fold(text) == text.translate(FOLD_TABLE)
    assert fold_for_numbers(text) == text.translate(_FOLD_KEEP_COMMA)


def test_as_translate_on_the_sample_reports_and_dazu(dazu_text: str) -> None:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))
    assert len(paths) >= 8
    texts = [load_document(p).text for p in paths] + [dazu_text]
    for text in texts:
        _assert_as_translate(text)
        for cut in range(0, len(text), 997):  # pieces of every length around the switch to splitting
            _assert_as_translate(text[cut:cut + cut % 600])
    assert fold(dazu_text) != dazu_text


def test_as_translate_on_generated_text() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in FOLD_TABLE] + list("中文abc123，。 \n\u3000\u00a0\U0001f600")
    for length in (0, 1, 255, 256, 257, 2000):
        for _ in range(20):
            _assert_as_translate("".join(rng.choice(alphabet) for _ in range(length)))
    _assert_as_translate("，" * 1000)
    _assert_as_translate("，" + "中" * 500 + "，")


def test_a_table_must_map_one_character_to_one() -> None:
    assert char_translator({ord("a"): "b"})("a" * 300) == "b" * 300
    with pytest.raises(ValueError, match="one character"):
        char_translator({ord("a"): "bc"})
