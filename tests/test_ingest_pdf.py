"""PDF ingestion: the Dazu PDF against its TXT, the tables PDF, and the layout rules on lines of our own."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from pipeline.ingest import load_document
from pipeline.ingest.layout import LayoutLine, clean_spaces, is_page_number, line_joiner, rebuild
from pipeline.records import Document

WIDE = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
WIDE_WIDE_SPACE = re.compile(f"(?<={WIDE}) +(?={WIDE})")
DIGIT_WIDE_SPACE = re.compile(f"(?<=[0-9A-Za-z]) +(?={WIDE})|(?<={WIDE}) +(?=[0-9A-Za-z])")
PAGE_NUMBER_LINE = re.compile(r"(?m)^\s*[—\-－]\s*\d+\s*[—\-－]\s*$")


def _measure_script():
    """scripts/measure_ingest.py, whose LCS metric the acceptance figures use (one implementation)."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "measure_ingest.py"
    spec = importlib.util.spec_from_file_location("measure_ingest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lcs_length = _measure_script().lcs_length


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_lcs_helper() -> None:
    assert lcs_length("abcde", "abcde") == 5
    assert lcs_length("abcde", "axcye") == 3
    assert lcs_length("", "abc") == 0
    assert lcs_length("教育经费", "教育的经费投入") == 4


@pytest.fixture(scope="module")
def dazu_pdf(corpus_dir: Path) -> Document:
    return load_document(corpus_dir / "dazu-2022.pdf")


def test_dazu_pdf_recovers_the_text_in_order(dazu_pdf: Document, dazu_text: str) -> None:
    original = squeeze(dazu_text)
    ours = squeeze(dazu_pdf.text)
    common = lcs_length(original, ours)
    assert common / len(original) >= 0.999
    assert len(ours) - common <= 0.001 * len(original)  # nothing extra, e.g. page numbers


def test_dazu_pdf_invariant_whitespace_removed_equals_txt(dazu_pdf: Document, dazu_text: str) -> None:
    assert squeeze(dazu_pdf.text) == squeeze(dazu_text)


def test_dazu_pdf_has_no_page_number_lines(dazu_pdf: Document) -> None:
    assert dazu_pdf.media_type == "pdf"
    assert dazu_pdf.page_count == 22
    assert not PAGE_NUMBER_LINE.search(dazu_pdf.text)
    assert "— 1 —" not in dazu_pdf.text


def test_dazu_pdf_has_no_layout_spaces(dazu_pdf: Document, dazu_text: str) -> None:
    assert len(WIDE_WIDE_SPACE.findall(dazu_pdf.text)) <= len(WIDE_WIDE_SPACE.findall(dazu_text))
    assert len(DIGIT_WIDE_SPACE.findall(dazu_pdf.text)) <= len(DIGIT_WIDE_SPACE.findall(dazu_text))


def test_dazu_pdf_paragraphs_match_the_txt_lines(dazu_pdf: Document, dazu_text: str) -> None:
    ours = [line for line in dazu_pdf.text.split("\n") if line.strip()]
    original = [line.strip() for line in dazu_text.split("\n") if line.strip()]
    assert abs(len(ours) - len(original)) <= 2
    # most paragraphs are the original lines exactly (spaces aside)
    same = sum(1 for line in ours if squeeze(line) in {squeeze(o) for o in original})
    assert same >= len(original) - 4


def test_dazu_pdf_every_character_on_its_page(dazu_pdf: Document, corpus_dir: Path) -> None:
    import pypdfium2 as pdfium

    reference = pdfium.PdfDocument(str(corpus_dir / "dazu-2022.pdf"))
    bounds = list(dazu_pdf.page_starts) + [len(dazu_pdf.text)]
    for index in range(len(reference)):
        raw = reference[index].get_textpage().get_text_range()
        body = PAGE_NUMBER_LINE.sub("", raw.replace("\r\n", "\n"))
        ours = dazu_pdf.text[bounds[index]:bounds[index + 1]]
        assert squeeze(ours) == squeeze(body), f"page {index + 1}"
        # the first character of every page is the page's own first character
        assert dazu_pdf.text[bounds[index]] == squeeze(body)[0]
        assert dazu_pdf.page_at(bounds[index]) == index + 1
        if index:
            assert dazu_pdf.page_at(bounds[index] - 1) == index
    reference.close()


def test_paragraph_continued_across_a_page_is_joined(dazu_pdf: Document) -> None:
    # page 3 of the Dazu PDF ends mid-paragraph: no newline right before page 4 begins
    joined = [i for i, start in enumerate(dazu_pdf.page_starts[1:], 2) if dazu_pdf.text[start - 1] != "\n"]
    assert joined, "some pages continue the previous page's paragraph"
    for page in joined:
        start = dazu_pdf.page_starts[page - 1]
        assert dazu_pdf.page_at(start) == page
        assert dazu_pdf.page_at(start - 1) == page - 1


def test_dazu_pdf_metadata(dazu_pdf: Document) -> None:
    metadata = dict(dazu_pdf.metadata)
    assert metadata["producer"].startswith("LibreOffice")
    assert "title" in metadata
    assert list(dazu_pdf.metadata) == sorted(dazu_pdf.metadata)


def test_encrypted_pdf_with_password_reads_like_the_plain_one(corpus_dir: Path, dazu_pdf: Document) -> None:
    document = load_document(corpus_dir / "broken" / "encrypted.pdf", password="secret")
    assert document.text == dazu_pdf.text
    assert document.page_starts == dazu_pdf.page_starts


def test_tables_pdf_cells_in_text_and_two_tables(corpus_dir: Path) -> None:
    document = load_document(corpus_dir / "dazu-2022.tables.pdf")
    for value in ("2522.934", "-2.52", "3.29", "349.194", "70", "43.82", "11.82", "32", "2103.74", "5.36"):
        assert value in document.text
    assert len(document.tables) == 2
    first, second = document.tables
    assert first.rows[0][0] == "学段" and ("初中", "-2.52") in first.rows
    assert second.rows[1] == ("学前教育", "学前教育经费合计", "2522.934")
    assert second.rows[2][0] is None  # covered by the vertical merge
    for table in document.tables:
        assert table.page == 1
        block = document.text[table.start:table.end]
        assert block.split("\n") == ["\t".join(cell or "" for cell in row) for row in table.rows]
    # the note under the tables comes after them, the title before them
    assert document.text.index("数据摘录") < first.start < second.end < document.text.index("注：")


# --- the layout rules on lines of our own ------------------------------------------------

EM = 12.0
LEFT, RIGHT = 72.0, 522.0


def _line(text: str, page: int, y: float, x0: float = LEFT, x1: float = RIGHT, size: float = EM) -> LayoutLine:
    return LayoutLine(text=text, page=page, x0=x0, x1=x1, y=y, size=size)


def _page(page: int, body: list[tuple[str, float, float]], number: str | None = None) -> list[LayoutLine]:
    lines = [_line(text, page, 700 - 20 * i, x0=x0, x1=x1) for i, (text, x0, x1) in enumerate(body)]
    if number:
        lines.append(_line(number, page, 40, x0=280, x1=310, size=10))
    return lines


def test_rebuild_joins_lines_drops_page_numbers_and_keeps_pages() -> None:
    indent = LEFT + 2 * EM
    page_one = _page(0, [
        ("一、 基 本 情 况", indent, 200),
        ("全县共有中小学 45 所，在校学生 3.2 万人，专任", indent, RIGHT),
        ("教师 2600 人。", LEFT, 160),
        ("二、主要做法", indent, 190),
        ("县政府每年召开教育工作专题会议，研究解决", indent, RIGHT),
    ], number="— 1 —")
    page_two = _page(1, [
        ("学校建设中的困难。", LEFT, 180),
        ("三、存在问题", indent, 190),
    ], number="- 2 -")
    rebuilt = rebuild([page_one, page_two])
    assert rebuilt.text.split("\n") == [
        "一、基本情况",
        "全县共有中小学45所，在校学生3.2万人，专任教师2600人。",
        "二、主要做法",
        "县政府每年召开教育工作专题会议，研究解决学校建设中的困难。",
        "三、存在问题",
    ]
    assert rebuilt.dropped_furniture == 2
    second_page = rebuilt.page_starts[1]
    assert rebuilt.text[second_page:].startswith("学校建设")
    assert rebuilt.text[second_page - 1] == "决"  # joined, no newline inserted


def test_rebuild_drops_running_headers_repeated_on_most_pages() -> None:
    bodies = ("全面改薄工程已经完工。", "教师培训覆盖全员。", "控辍保学成效明显。", "营养改善计划全覆盖。")
    pages = []
    for page, body in enumerate(bodies):
        header = _line(f"某县教育督导报告（第{page + 1}期）", page, 800, x0=200, x1=400, size=9)
        pages.append([header] + _page(page, [(body, LEFT + 2 * EM, 250)]))
    rebuilt = rebuild(pages, [595.0] * len(pages))
    assert "督导报告" not in rebuilt.text
    assert rebuilt.text.split("\n") == list(bodies)
    # a line that appears only once near the top is kept
    pages[0][1:1] = [_line("附件说明", 0, 780, x0=200, x1=260, size=9)]
    assert "附件说明" in rebuild(pages, [595.0] * len(pages)).text


def test_short_line_and_indent_end_paragraphs_but_full_lines_join() -> None:
    lines = [
        _line("各校落实课后服务，参与率达", 0, 700, x0=LEFT + 2 * EM),
        _line("到95%。", 0, 680, x1=LEFT + 5 * EM),
        _line("下一段落以缩进开始，并且写满", 0, 660, x0=LEFT + 2 * EM),
        _line("紧接着的一行没有缩进。", 0, 640, x1=300),
    ]
    assert rebuild([lines]).text == "各校落实课后服务，参与率达到95%。\n下一段落以缩进开始，并且写满紧接着的一行没有缩进。"


def test_clean_spaces_removes_layout_spaces_only() -> None:
    assert clean_spaces("2022 年 9 月 ， 共 计 120 人") == "2022年9月，共计120人"
    assert clean_spaces("  采用 Windows 10 系统 ") == "采用Windows 10系统"
    assert clean_spaces("“双减” 工作") == "“双减”工作"
    assert clean_spaces("GDP growth 5.2 %") == "GDP growth 5.2 %"


def test_line_joiner_adds_a_space_only_between_latin_words() -> None:
    assert line_joiner("投入资金", "300万元") == ""
    assert line_joiner("the National", "Education Plan") == " "
    assert line_joiner("编号12", "34") == ""


@pytest.mark.parametrize("text", ["— 12 —", "-3-", "第 4 页", "第2页 共9页", "5/18", "Page 7", "17"])
def test_page_number_forms(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["一、总体情况", "2022年11月15日", "— 附件 —", "1．坚持党的领导"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)
