"""Dates and years: gold on the Dazu report; forms, negatives and the report date on our own examples."""

from __future__ import annotations

import pytest

from pipeline.extract.dates import find_dates, find_report_date
from pipeline.extract.docnos import docno_quantities, find_docnos

KINDS = ("date", "year", "docno")


def items(text: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    found = find_dates(text)
    assert all(text[q.start:q.end] == q.text and q.page == 1 for q in found)
    return [(q.text, q.kind, q.value, q.qualifiers) for q in found]


def test_dazu_precision_recall(dazu_text, gold_quantities):
    found = find_dates(dazu_text) + docno_quantities(find_docnos(dazu_text))
    got = {(q.start, q.end, q.text, q.kind, q.value, tuple(q.qualifiers)) for q in found}
    want = {(g["start"], g["end"], g["text"], g["kind"], g["value"], tuple(g["qualifiers"]))
            for g in gold_quantities if g["kind"] in KINDS}
    hits = len(got & want)
    precision, recall = hits / len(got), hits / len(want)
    assert precision >= 0.95 and recall >= 0.95, (sorted(got - want), sorted(want - got))


def test_dazu_report_date(dazu_text):
    iso, start, end = find_report_date(dazu_text)
    assert iso == "2022-11-15" and dazu_text[start:end] == "2022年11月15日"


@pytest.mark.parametrize("text, expected", [
    ("2023年3月5日召开推进会", [("2023年3月5日", "date", "2023-03-05", ())]),
    ("2023年3月，全县启动", [("2023年3月", "date", "2023-03", ())]),
    ("4月12日至5月30日开展督查", [("4月12日", "date", "--04-12", ()), ("5月30日", "date", "--05-30", ())]),
    ("截至2023.6.30，", [("2023.6.30", "date", "2023-06-30", ())]),
    ("2019年以来累计投入", [("2019年", "year", "2019", ())]),
    ("2023年末完成", [("2023年末", "year", "2023", ("末",))]),
    ("2023年底前建成", [("2023年底", "year", "2023", ("底",))]),
    ("2023年初中毕业生升学率", [("2023年", "year", "2023", ())]),
    ("2020—2022年累计新增", [("2020—2022年", "year", "2020/2022", ())]),
    ("2019、2020年连续获评", [("2019", "year", "2019", ()), ("2020年", "year", "2020", ())]),
    ("2024 年 9 月 1 日秋季开学", [("2024 年 9 月 1 日", "date", "2024-09-01", ())]),
])
def test_arabic_dates_and_years(text, expected):
    assert items(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("二〇二二年四月，县政府召开会议", [("二〇二二年四月", "date", "2022-04", ())]),
    ("二○二三年十二月三十一日前完成", [("二○二三年十二月三十一日", "date", "2023-12-31", ())]),
    ("自二〇二一年起实施", [("二〇二一年", "year", "2021", ())]),
    ("利用“六一”、“五四”开展活动", [("六一", "date", "--06-01", ()), ("五四", "date", "--05-04", ())]),
    ("庆祝三八妇女节", [("三八", "date", "--03-08", ())]),
])
def test_chinese_numeral_dates(text, expected):
    assert items(text) == expected


@pytest.mark.parametrize("text", [
    "新建学位2023个", "投入2023万元", "2月30日", "13月5日", "联系电话13912345678",
    "第十一届运动会", "五四制学校", "三八线", "十一月份",
])
def test_not_dates(text):
    assert items(text) == []


def test_docno_years_are_left_to_docno_items():
    text = "2022年印发渝教发〔2022〕5号文件"
    assert items(text) == [("2022年", "year", "2022", ())]


def test_report_date_after_signature():
    text = "一、基本情况\n2023年5月1日，全县开展自查。\n\n某某县人民政府\n\n2023年11月8日\n\n（联系人：张三）"
    iso, start, end = find_report_date(text)
    assert iso == "2023-11-08" and text[start:end] == "2023年11月8日"


def test_report_date_in_chinese_numerals():
    text = "正文。\n\n某县人民政府教育督导委员会\n二〇二三年十月九日\n"
    iso, start, end = find_report_date(text)
    assert iso == "2023-10-09" and text[start:end] == "二〇二三年十月九日"


def test_no_report_date():
    assert find_report_date("2023年5月1日，全县开展自查。" + "正文" * 100) is None
    assert find_report_date("") is None
    assert find_report_date("某县人民政府\n2023年2月30日") is None  # not a real day


def test_dazu_pdf_dates_and_report_date(corpus_dir, gold_quantities):
    from pipeline.ingest import load_document

    text = load_document(str(corpus_dir / "dazu-2022.pdf")).text
    found = find_dates(text) + docno_quantities(find_docnos(text))
    got = sorted(("".join(q.text.split()), q.kind, str(q.value)) for q in found)
    want = sorted((g["text"], g["kind"], str(g["value"])) for g in gold_quantities if g["kind"] in KINDS)
    assert got == want
    iso, start, end = find_report_date(text)
    assert iso == "2022-11-15" and "".join(text[start:end].split()) == "2022年11月15日"


def _resolved(text: str, report_date: str | None) -> dict[str, str | None]:
    from pipeline.extract.dates import resolve_partial_dates

    return {q.text: q.resolved for q in resolve_partial_dates(find_dates(text), text, report_date) if q.kind == "date"}


def test_dates_month_day_takes_the_year_of_an_earlier_full_date_in_its_paragraph() -> None:
    text = "2023年3月，县政府部署2022年度自评工作；4月12日召开推进会，5月6日形成报告。"
    resolved = _resolved(text, "2023-05-20")
    assert resolved["4月12日"] == "2023-04-12" and resolved["5月6日"] == "2023-05-06"


def test_dates_month_day_falls_back_to_the_report_year_only_when_not_after_the_report_date() -> None:
    assert _resolved("全县于9月1日完成学位调配。", "2023-10-08")["9月1日"] == "2023-09-01"
    assert _resolved("全县于12月1日完成学位调配。", "2023-10-08")["12月1日"] is None  # may be last year
    assert _resolved("全县于9月1日完成学位调配。", None)["9月1日"] is None


def test_dates_bare_year_and_named_days_do_not_resolve() -> None:
    text = "围绕2022年履行教育职责情况，10月9日开展培训。\n“五四”青年节开展主题活动。"
    resolved = _resolved(text, "2022-09-30")
    assert resolved["10月9日"] is None  # 2022年 names the period, and 10-09 is after the report date
    assert resolved["五四"] is None


def test_given_fold_and_docnos_change_no_date(dazu_text):
    """The components pass their fold and document numbers; the dates are those found from the text alone."""
    from pipeline.extract.docnos import find_docnos_and_titles
    from pipeline.normalize import fold

    docnos, _ = find_docnos_and_titles(dazu_text)
    assert docnos
    alone = find_dates(dazu_text)
    assert find_dates(dazu_text, folded=fold(dazu_text), docnos=docnos) == alone
    assert find_report_date(dazu_text, folded=fold(dazu_text)) == find_report_date(dazu_text)
