"""The fused jieba cut gives exactly the words of ``jieba.Tokenizer.cut(text, HMM=False)``."""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest

from pipeline.ingest import load_document
from pipeline.nlp import build_segmenter
from pipeline.nlp.jieba_cut import cut_words
from pipeline.normalize import fold

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
# common characters, the domain's words, digits, letters and the punctuation and white space reports carry
ALPHABET = (
    "的一是在不了有和人中大为上个国以要时来用们生到作地于出分对成会可发年动同工能下过子说产种面"
    "学校教育县区经费生均公用师资队伍建设义务均衡优质发展控辍保学课后服务双减五育并举幼儿园入园率"
    "0123456789abcXYZ.%-+#&_，。、；：（）《》〔〕 \n\t\r"
)


@pytest.fixture(scope="module")
def segmenter() -> jieba.Tokenizer:
    return build_segmenter()


def test_same_words_as_jieba_on_the_sample_reports(segmenter: jieba.Tokenizer) -> None:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))
    assert len(paths) >= 8
    for path in paths:
        text = fold(load_document(path).text)
        assert list(cut_words(segmenter, text)) == list(segmenter.cut(text, HMM=False)), path.name


def test_same_words_as_jieba_on_the_dazu_report(segmenter: jieba.Tokenizer, dazu_text: str) -> None:
    text = fold(dazu_text)
    assert list(cut_words(segmenter, text)) == list(segmenter.cut(text, HMM=False))


def test_same_words_as_jieba_on_generated_text(segmenter: jieba.Tokenizer) -> None:
    rng = random.Random(20221115)
    for _ in range(400):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))
        assert list(cut_words(segmenter, text)) == list(segmenter.cut(text, HMM=False)), text


def test_ties_and_letters_follow_jieba(segmenter: jieba.Tokenizer) -> None:
    # letters and digits cut one by one run together; a run of unknown characters stays one by one
    for text in ("abc123学校", "A", "", "\r\n\r\n", "㐀㐁㐂", "1.5亿元", "５０％"):
        assert list(cut_words(segmenter, text)) == list(segmenter.cut(text, HMM=False)), text
    assert "生均公用经费" in list(cut_words(segmenter, "各校生均公用经费按时拨付"))


def test_a_different_dictionary_gives_different_words(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    plain = build_segmenter(empty)
    assert "生均公用经费" not in list(cut_words(plain, "各校生均公用经费按时拨付"))


def test_equal_scores_go_to_the_longer_word_as_in_jieba(tmp_path: Path) -> None:
    # with these counts (total 10) the routes 甲|乙 and 甲乙 score exactly the same float;
    # jieba's max over (score, end) tuples takes the later end, so the fused loop must too
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("甲 2\n乙 5\n甲乙 1\n丙 2\n", encoding="utf-8")
    tiny = jieba.Tokenizer(str(dictionary))
    tiny.tmp_dir = str(tmp_path)
    tiny.initialize()
    assert list(tiny.cut("甲乙", HMM=False)) == ["甲乙"]
    assert list(cut_words(tiny, "甲乙丙甲乙")) == list(tiny.cut("甲乙丙甲乙", HMM=False)) == ["甲乙", "丙", "甲乙"]
