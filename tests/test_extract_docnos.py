"""Document numbers: gold on the Dazu report, and every written form on our own examples."""

from __future__ import annotations

import pytest

from pipeline.extract.docnos import docno_quantities, find_docnos, find_docnos_and_titles
from pipeline.extract.titles import find_docnos_and_titles as find_docnos_and_titles_from_titles


def only(text: str):
    found = find_docnos(text)
    assert len(found) == 1, found
    number = found[0]
    assert text[number.start:number.end] == number.text
    return number


# --- gold ------------------------------------------------------------------


def test_dazu_gold(dazu_text, gold_docnos):
    found = find_docnos(dazu_text)
    got = [(d.start, d.end, d.text, d.issuer_code, d.year, d.serial, d.title) for d in found]
    want = [(g["start"], g["end"], g["text"], g["issuer_code"], g["year"], g["serial"], g["title"])
            for g in gold_docnos]
    assert got == want
    for number in found:
        assert number.problems == ()
        assert number.canonical == number.text
        assert dazu_text[number.title_start:number.title_end] == f"《{number.title}》"


def test_dazu_docno_quantities_match_gold(dazu_text, gold_quantities):
    items = docno_quantities(find_docnos(dazu_text))
    got = [(q.start, q.end, q.text, q.value, q.unit, q.subject) for q in items]
    want = [(g["start"], g["end"], g["text"], g["value"], g["unit"], g["subject"])
            for g in gold_quantities if g["kind"] == "docno"]
    assert got == want
    assert all(q.kind == "docno" and dazu_text[q.start:q.end] == q.text for q in items)


def test_linked_function_is_the_same_from_both_modules(dazu_text):
    assert find_docnos_and_titles(dazu_text) == find_docnos_and_titles_from_titles(dazu_text)


# --- bracket forms ---------------------------------------------------------


@pytest.mark.parametrize("text, written, problems", [
    ("按照苏教督〔2021〕6号文件要求", "苏教督〔2021〕6号", ()),
    ("根据常政教督通﹝2022﹞31号通知", "常政教督通﹝2022﹞31号", ("bracket",)),
    ("转发沪教委督【2020】8号文件", "沪教委督【2020】8号", ("bracket",)),
    ("依据闽教基[2019]44号精神", "闽教基[2019]44号", ("bracket",)),
    ("依据闽教基［2019］44号精神", "闽教基［2019］44号", ("bracket",)),
    ("执行鄂政办发（2020）17号规定", "鄂政办发（2020）17号", ("bracket",)),
    ("执行鄂政办发(2020)17号规定", "鄂政办发(2020)17号", ("bracket",)),
    ("对照甘教发〖2021〗2号", "甘教发〖2021〗2号", ("bracket",)),
])
def test_bracket_forms(text, written, problems):
    number = only(text)
    assert number.text == written
    assert number.year in (2019, 2020, 2021, 2022) and number.serial is not None
    assert number.problems == problems
    assert "〔" in number.canonical and "〕" in number.canonical


def test_bare_year_with_bracketed_serial():
    number = only("落实皖教督2008[21]号要求")
    assert (number.issuer_code, number.year, number.serial) == ("皖教督", 2008, 21)
    assert number.problems == ("bracket",)


def test_traditional_hao_spaces_and_line_breaks():
    number = only("参照黔教基〔2018〕63號执行")
    assert (number.year, number.serial, number.canonical) == (2018, 63, "黔教基〔2018〕63号")
    number = only("落实国办发〔2019〕12 号文件")
    assert number.text == "国办发〔2019〕12 号" and number.serial == 12
    number = only("印发滇教督委字〔\n2023\n〕\n4\n号，")
    assert (number.issuer_code, number.year, number.serial) == ("滇教督委字", 2023, 4)
    number = only("出台桂教\n发〔2022〕9号")  # a line break inside the issuer code
    assert number.issuer_code == "桂教发" and number.text.startswith("桂教\n发")


# --- damage repair ---------------------------------------------------------


@pytest.mark.parametrize("text, issuer, year, serial", [
    ("落实晋教财2019231号文件", "晋教财", 2019, 231),  # both brackets lost
    ("根据冀教督导室〔202315号要求", "冀教督导室", 2023, 15),  # 〕 lost
    ("按照陕教函2021〕7号", "陕教函", 2021, 7),  # 〔 lost
    ("按开州府发〔20229，", "开州府发", 2022, 9),  # 〕 and 号 lost
])
def test_damaged_numbers_are_repaired(text, issuer, year, serial):
    number = only(text)
    assert (number.issuer_code, number.year, number.serial) == (issuer, year, serial)
    assert "repaired" in number.problems
    assert number.canonical == f"{issuer}〔{year}〕{serial}号"


def test_repaired_parts_as_quantities():
    text = "落实晋教财2019231号文件"
    items = docno_quantities(find_docnos(text))
    assert [(q.text, q.value, q.unit) for q in items] == [("2019", 2019, None), ("231号", 231, "号")]
    assert all(text[q.start:q.end] == q.text for q in items)


def test_digit_runs_without_issuer_or_hao_are_not_numbers():
    assert find_docnos("新增学位2022个，咨询电话13912345678，2022年完成") == ()
    assert find_docnos("全县投入2021315元") == ()
    assert find_docnos("《关于〔2022〕年度工作安排的通知》") == ()  # 〔2022〕 with no serial
    assert find_docnos("见表（2）3号楼") == ()  # round brackets need an issuer
    assert find_docnos("持有教师资格证第2021003号") == ()  # a certificate serial, not 代字+年+号
    assert find_docnos("住在幸福小区2021105号") == ()  # no organ or genre character in the "issuer"


def test_bracketed_number_without_issuer():
    number = only("以〔2022〕5号文件印发")
    assert number.issuer_code is None and number.problems == ("no_issuer",)


# --- templates and GB/T 9704 violations -------------------------------------


@pytest.mark.parametrize("text, year, serial", [
    ("印发xx督委字〔2022〕x号", 2022, None),
    ("印发x政教督办函〔xxxx〕x号", None, None),
    ("印发*〔2022〕*号", 2022, None),
    ("印发__政教督委办〔20__〕__号", None, None),
    ("印发XX教发〔202X〕3号", None, 3),
])
def test_placeholders_are_templates(text, year, serial):
    number = only(text)
    assert "template" in number.problems
    assert (number.year, number.serial) == (year, serial)


def test_template_with_lost_bracket():
    number = only("印发X教督委〔20214号")
    assert set(number.problems) == {"template", "repaired"}
    assert (number.year, number.serial) == (2021, 4)


@pytest.mark.parametrize("text, problem, year, serial", [
    ("印发琼教基〔21〕3号", "short_year", 2021, 3),
    ("印发赣教发〔2022〕07号", "leading_zero", 2022, 7),
    ("印发粤教督〔2022〕第6号", "di_hao", 2022, 6),
])
def test_gbt9704_violations(text, problem, year, serial):
    number = only(text)
    assert number.problems == (problem,)
    assert (number.year, number.serial) == (year, serial)
    assert number.canonical.endswith(f"〔{year}〕{serial}号")


def test_well_formed_number_has_no_problems():
    assert only("印发浙教办〔2022〕9号").problems == ()


# --- titles cited with numbers ---------------------------------------------


def test_title_before_in_parentheses_and_bare_and_after():
    docnos, titles = find_docnos_and_titles(
        "印发《甲县校外培训监管办法》（甲教发〔2021〕3号）、《甲县课后服务方案》甲教发〔2021〕4号文件，"
        "又以甲府办发〔2022〕8号《关于加强学校食堂管理的通知》部署。"
    )
    assert [(d.serial, d.title) for d in docnos] == [
        (3, "甲县校外培训监管办法"), (4, "甲县课后服务方案"), (8, "关于加强学校食堂管理的通知")]
    assert [t.docno for t in titles] == ["甲教发〔2021〕3号", "甲教发〔2021〕4号", "甲府办发〔2022〕8号"]


def test_title_not_linked_across_other_words():
    docnos, titles = find_docnos_and_titles("学习《乡村教师支持计划》，并根据乙教发〔2020〕11号要求")
    assert docnos[0].title is None and titles[0].docno is None


def test_each_title_links_to_one_number():
    docnos, _ = find_docnos_and_titles("《丙县教育督导规程》（丙教督〔2022〕1号）（丙教督〔2022〕2号）")
    assert [d.title for d in docnos] == ["丙县教育督导规程", None]


def test_many_numbers_stay_linear_and_exact():
    text = "印发丁教发〔2023〕12号《丁县课后服务方案》；" * 2000
    docnos, titles = find_docnos_and_titles(text)
    assert len(docnos) == len(titles) == 2000
    assert all(d.title == "丁县课后服务方案" and d.title_start == d.end for d in docnos)


# --- PDF text (ingest output: offsets differ from the TXT) --------------------


@pytest.fixture(scope="module")
def dazu_pdf_text(corpus_dir):
    from pipeline.ingest import load_document

    return load_document(str(corpus_dir / "dazu-2022.pdf")).text


def squeeze(text: str | None) -> str | None:
    return None if text is None else "".join(text.split())


def test_dazu_pdf_gold(dazu_pdf_text, gold_docnos, gold_titles):
    docnos, titles = find_docnos_and_titles(dazu_pdf_text)
    got = [(squeeze(d.text), d.issuer_code, d.year, d.serial, squeeze(d.title)) for d in docnos]
    want = [(g["text"], g["issuer_code"], g["year"], g["serial"], g["title"]) for g in gold_docnos]
    assert got == want
    assert all(dazu_pdf_text[d.start:d.end] == d.text for d in docnos)
    got = [(squeeze(t.title), t.type, squeeze(t.nested_in), t.docno) for t in titles]
    want = [(g["title"], g["type"], g["nested_in"], g["docno"]) for g in gold_titles]
    assert got == want
