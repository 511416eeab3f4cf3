"""TXT and DOCX ingestion: real fixtures and small synthetic files of our own."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.errors import DamagedFileError, NoTextError
from pipeline.ingest import load_document

# our own sample sentences (not from any fixture)
SAMPLE_LINES = (
    "某县人民政府关于履行教育职责情况的自查报告",
    "",
    "2023年全县教育经费投入12.5亿元，较上年增长3.4%。",
    "新建幼儿园6所，新增学位1800个。",
)


@pytest.mark.parametrize("name", ["dazu-2022.txt", "dazu-2022.gb18030.txt"])
def test_txt_fixtures_equal_the_original(corpus_dir: Path, dazu_text: str, name: str) -> None:
    document = load_document(corpus_dir / name)
    assert document.media_type == "txt"
    assert document.text == dazu_text
    assert document.page_starts == (0,)
    assert document.path == str(corpus_dir / name)


def test_docx_fixture_equals_the_original(corpus_dir: Path, dazu_text: str) -> None:
    document = load_document(corpus_dir / "dazu-2022.docx")
    assert document.media_type == "docx"
    ours = [line.rstrip() for line in document.text.split("\n")]
    original = [line.rstrip() for line in dazu_text.split("\n")]
    assert ours == original
    # the footer page number `— 1 —` is not body text
    assert "— 1 —" not in document.text
    assert dict(document.metadata)["title"].startswith("2021年")


def test_sha256_is_of_the_bytes(corpus_dir: Path) -> None:
    import hashlib

    path = corpus_dir / "dazu-2022.gb18030.txt"
    assert load_document(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_gb18030_file_detected_without_being_told(tmp_path: Path) -> None:
    text = "\n".join(SAMPLE_LINES)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("gb18030"))
    document = load_document(path)
    assert document.text == text
    assert any("GB18030" in warning for warning in document.warnings)


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    text = "\n".join(SAMPLE_LINES)
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    document = load_document(path)
    assert document.text == text
    assert not document.text.startswith("\ufeff")


@pytest.mark.parametrize("line_end", [b"\r\n", b"\r"])
def test_line_ends_become_newlines(tmp_path: Path, line_end: bytes) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(line_end.join(line.encode("utf-8") for line in SAMPLE_LINES))
    document = load_document(path)
    assert document.text == "\n".join(SAMPLE_LINES)
    assert "\r" not in document.text


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "controls.txt"
    path.write_bytes("新建幼儿园\x006所\x07。\t完成".encode("utf-8"))
    document = load_document(path)
    assert document.text == "新建幼儿园6所。\t完成"
    assert document.warnings


def test_whitespace_only_txt_is_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\r\n\t\n")
    with pytest.raises(NoTextError):
        load_document(path)


# --- a DOCX written by hand (zip + XML), so the test needs no Word library -------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _runs(*parts: str) -> str:
    return "".join(f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>' for part in parts)


def _cell(text: str, extra: str = "") -> str:
    return f"<w:tc><w:tcPr>{extra}</w:tcPr><w:p>{_runs(text) if text else ''}</w:p></w:tc>"


VMERGE_START = '<w:vMerge w:val="restart"/>'
VMERGE_CONTINUE = "<w:vMerge/>"
SPAN_TWO = '<w:gridSpan w:val="2"/>'


def _write_docx(path: Path) -> None:
    body = (
        f"<w:p>{_runs('新建', '2', '所学校')}</w:p>"
        "<w:p/>"
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{_cell('类别')}{_cell('项目')}{_cell('金额')}</w:tr>"
        f"<w:tr>{_cell('学前', VMERGE_START)}{_cell('公用经费')}{_cell('120.5')}</w:tr>"
        f"<w:tr>{_cell('', VMERGE_CONTINUE)}{_cell('资助资金')}{_cell('36')}</w:tr>"
        f"<w:tr>{_cell('合计', SPAN_TWO)}{_cell('156.5')}</w:tr>"
        "</w:tbl>"
        f"<w:p>{_runs('表后正文。')}</w:p>"
        '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/></w:sectPr>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/footer1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/footer" Target="footer1.xml"/></Relationships>'
        ),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {W} {R}><w:body>{body}</w:body></w:document>',
        "word/footer1.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:ftr {W}><w:p>{_runs("— 7 —")}</w:p></w:ftr>',
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)


def test_docx_tables_keep_their_place_and_merges(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.docx"
    _write_docx(path)
    document = load_document(path)
    assert document.media_type == "docx"
    lines = document.text.split("\n")
    assert lines[0] == "新建2所学校"  # runs joined without spaces
    assert lines[1] == ""
    assert lines[2:6] == ["类别\t项目\t金额", "学前\t公用经费\t120.5", "\t资助资金\t36", "合计\t\t156.5"]
    assert lines[6] == "表后正文。"
    assert "— 7 —" not in document.text  # footer is not body text
    (table,) = document.tables
    assert table.rows[1] == ("学前", "公用经费", "120.5")
    assert table.rows[2][0] is None  # covered by the vertical merge
    assert table.rows[3] == ("合计", None, "156.5")  # covered by the horizontal span
    assert document.text[table.start:table.end] == "\n".join(lines[2:6])


def test_truncated_docx_is_damaged(tmp_path: Path) -> None:
    whole = tmp_path / "whole.docx"
    _write_docx(whole)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(DamagedFileError):
        load_document(cut)
