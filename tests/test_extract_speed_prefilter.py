"""Prefiltered scans give exactly the matches of the patterns they stand for.

``Prefiltered`` tries a pattern only where its ``starts`` regex matches; that is
right only if ``starts`` matches at the start of every match. These tests run
every prefiltered scan of the extractors and the plain ``finditer`` of its
pattern on the sample reports, the Dazu report and generated text, and compare
spans and groups.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.extract import dates, docnos, quantities
from pipeline.extract.prefilter import DIGIT_RUN_START, NUMBER_START, Prefiltered, one_of
from pipeline.ingest import load_document
from pipeline.normalize import fold

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
# Digits, points, numerals, bound words, brackets, date and unit characters in short random runs.
PIECES = (
    list("0123456789０１２３.．,，:：-—~至到年月日号個个万亿元%％余多第是、（）()〔〕[]【】“”\"  \n")
    + list("一二三四五六七八九十百千两〇○零O壹贰VvX*_金育险票生校对中小幼")
    + ["不低于", "不少于", "超过", "约", "近", "逾", "大约", "将近", "至少", "渝教", "发", "五四", "三八", "十四五",
       "五育并举", "一对一", "龙水二小", "每生每年", "平方米", "人次", "比", "下午", "版", "等奖", "学生", "青年节"]
)


def _all_scans() -> list[tuple[str, Prefiltered]]:
    scans = [
        ("ARABIC_SCAN", quantities.ARABIC_SCAN),
        ("CHINESE_SCAN", quantities.CHINESE_SCAN),
        ("PHONE_SCAN", quantities.PHONE_SCAN),
        ("RATIO_SCAN", quantities.RATIO_SCAN),
        ("VERSION_SCAN", quantities.VERSION_SCAN),
        ("ENUMERATED_SCAN", quantities.ENUMERATED_SCAN),
        ("NAMED_DAY_SCAN", dates.NAMED_DAY_SCAN),
    ]
    scans += [(f"SLOGAN_SCANS[{k}]", scan) for k, (scan, _) in enumerate(quantities.SLOGAN_SCANS)]
    scans += [(f"ORDINAL_SCANS[{k}]", scan) for k, scan in enumerate(quantities.ORDINAL_SCANS)]
    scans += [(f"PROTECTED_SCANS[{k}]", scan) for k, scan in enumerate(quantities.PROTECTED_SCANS)]
    scans += [(f"DATE_SCANS {shape}", scan) for scan, shape in dates.DATE_SCANS]
    scans += [(f"DOCNO_SCANS {form.name}", scan) for form, scan in docnos.DOCNO_SCANS]
    return [(name, scan) for name, scan in scans if isinstance(scan, Prefiltered)]


SCANS = _all_scans()


def _found(matches) -> list[tuple]:
    return [(m.span(), m.groups(), tuple(m.span(g) for g in range(1, (m.re.groups or 0) + 1))) for m in matches]


def _assert_same(text: str, where: str) -> None:
    for view in (fold(text), quantities.fold_for_numbers(text), text):
        for name, scan in SCANS:
            assert _found(scan.finditer(view)) == _found(scan.pattern.finditer(view)), (name, where)


def test_the_scans_are_prefiltered() -> None:
    names = {name for name, _ in SCANS}
    assert {"ARABIC_SCAN", "CHINESE_SCAN", "DATE_SCANS year", "DOCNO_SCANS lost_brackets"} <= names
    assert len(SCANS) >= 20


def test_same_matches_on_the_sample_reports() -> None:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))
    assert len(paths) >= 8
    for path in paths:
        _assert_same(load_document(path).text, path.name)


def test_same_matches_on_the_dazu_report(dazu_text: str) -> None:
    _assert_same(dazu_text, "dazu")
    assert len(list(quantities.ARABIC_SCAN.finditer(quantities.fold_for_numbers(dazu_text)))) > 100


def test_same_matches_on_generated_text() -> None:
    rng = random.Random(20221115)
    for _ in range(600):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        _assert_same(text, repr(text))


@pytest.mark.parametrize(
    ("starts", "text", "expected"),
    [
        (DIGIT_RUN_START, "a12b3", [1, 4]),
        (NUMBER_START, "1.5 x27", [0, 5]),
        (one_of("约]"), "约]-", [0, 1]),
    ],
)
def test_start_regexes(starts: str, text: str, expected: list[int]) -> None:
    assert [m.start() for m in re.finditer(starts, text)] == expected


def test_look_behinds_see_the_text_before_the_candidate() -> None:
    scan = Prefiltered(re.compile(r"(?<![\d.])\d+"), r"\d")
    assert [m.group() for m in scan.finditer("1.5 and 23")] == ["1", "23"]


def test_a_pattern_that_matches_empty_is_refused() -> None:
    with pytest.raises(ValueError, match="empty string"):
        list(Prefiltered(re.compile(r"(?=\d)"), r"\d").finditer("a1"))
