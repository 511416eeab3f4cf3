"""Hostile and pathological inputs through the whole pipeline (``runner.audit_file`` and ``batch.run_batch``).

Report text is hostile input. Every case must end as an ``ok`` result or a ``failed`` one with a spec
error code (never ``internal``: that is a caught crash), with no ``RULE-ERR`` finding, exact evidence
quotes, a report dict that serialises and renders, within a generous time per case. The batch cases
check that text is escaped in HTML, neutralised in CSV/XLSX, and that hostile file names only ever
produce sanitised output names inside the output folder.

Cases that once broke (kept as regressions): 10,000 unpaired 《 (FMT-BRACKET quadratic in clause_of),
a 5,000-digit numeral (an int JSON could not write; DUP-AMOUNT OverflowError), one sentence pasted
thousands of times (DUP-SENTENCE n² pairs, ARITH-PARTS scanning the paragraph per total), one title
cited thousands of times (REF-STATUS inner keys and pair scoring quadratic).
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.export.html import render_report_html
from pipeline.export.report_json import dumps_report, report_to_dict
from pipeline.runner import AuditSettings, Context, audit_file

SPEC_ERROR_CODES = {"empty_file", "not_pdf", "damaged", "encrypted", "no_text", "unsupported", "too_large"}
# Work per file is bounded by the runner's own time limit: a case that blew up would come back
# as a failed "too_large" result and fail the expected-code check (no wall-clock assertions here).
CASE_TIME_LIMIT = 60.0
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context.build(AuditSettings(max_seconds=CASE_TIME_LIMIT))


# --- case generators ---------------------------------------------------------------------

_MIX = (
    list("的是在了教育学校督导评估区县政府经费投入教师学生") + list("0123456789") + list("０１２３４５６７８９")
    + list("〔〕《》〈〉<>()（）") + ["号", "万", "亿", "%", "％", "\n", "\n\n", "，", "。", "、", "年", "月", "日",
                                    "第", "一、", "（一）", "1．", "元", "所", "人", "增长", "比", "其中", "共", "印发", "暂未出台"]
)


def random_mix(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_MIX) for _ in range(n))


def heading_lines(n: int) -> str:
    numerals = "一二三四五六七八九十"
    lines = []
    for i in range(n):
        if i % 3 == 0:
            lines.append(f"{numerals[i % 10]}、标题{i}")
        elif i % 3 == 1:
            lines.append(f"（{numerals[i % 10]}）小标题{i}")
        else:
            lines.append(f"{i % 50 + 1}．条目{i}")
    return "\n".join(lines)


SAMPLE = "一、基本情况\n全县有学校10所，其中小学6所、中学3所。2022年投入经费1000万元，增长5%。\n"
HOSTILE_TEXT = (
    "<script>alert(1)</script>\n"
    "=HYPERLINK(\"http://x\",\"y\")\n"
    "+cmd|' /C calc'!A0\n"
    "@SUM(1)\n"
    "-2+3\n"
    "<img src=x onerror=alert(2)>《<script>alert(3)</script>》\n"
    "一、基本情况\n全县有学校10所，其中小学6所、中学3所、高中2所。暂未出台《=HYPERLINK(\"http://x\")》。\n"
)

# name -> text (UTF-8)
TEXT_CASES: dict[str, str] = {
    "random_mix_small": random_mix(1, 20_000),
    "random_mix_large": random_mix(2, 40_000),
    "one_line_200kb": ("教育督导评估区县政府" * 7000)[:68_000],  # 204 KB of UTF-8, no punctuation, no line end
    "short_lines_20000": "\n".join(("经", "费", "1", "一、", "号")[i % 5] for i in range(20_000)),
    "heading_lines_5000": heading_lines(5000),
    "nested_titles": "《" * 5000 + "标题" + "》" * 5000,
    "unbalanced_titles": "《" * 10_000,
    "unbalanced_titles_words": "《关于" * 5000,
    "unbalanced_brackets": "（" * 5000 + "(" * 5000 + "“" * 3000 + "〔" * 3000 + "<" * 3000 + "〈" * 3000,
    "yi_50000": "一" * 50_000,
    "comma_numbers": "1," * 20_000,
    "colon_numbers": "1:" * 20_000,
    "docno_years": "〔2022〕" * 10_000,
    "serials": "第1号" * 10_000,
    "bad_dates": "2022年13月45日，二〇二二年十三月，2022年2月30日，2022年0月0日。\n" * 200,
    "date_first": "2022年12月31日\n" + SAMPLE,
    "date_only": "2022年13月45日",
    "only_punctuation": "，。、；：？！“”‘’（）《》〔〕……——" * 1000,
    "long_numerals": (
        "经费" + "1" * 5000 + "万元，增长" + "9" * 400 + "%。学校" + "１" * 5000 + "所。投入" + "9" * 320 + ".5亿元，"
        + "其中" + "9" * 309 + "万元。比例0." + "3" * 5000 + "%。\n"
    ),
    "long_numbered_forms": (
        "1" * 5000 + "．标题\n（" + "1" * 5000 + "）标题\n第" + "1" * 5000 + "号\n渝教发〔" + "2" * 5000 + "〕" + "1" * 5000
        + "号\n" + "2" * 5000 + "年" + "1" * 5000 + "月" + "1" * 5000 + "日\n" + "二〇" * 5000 + "年\n第" + "一" * 5000
        + "名\n" + "1" * 5000 + "-" + "2" * 5000 + "人\n"
    ),
    "repeated_parts_sentence": "全县学校共10所，其中小学6所、中学3所、高中2所。" * 1500,
    "repeated_titles": "《关于印发〈规划〉的通知》（渝府发〔2022〕12号）" * 2000,
    "repeated_status_pairs": "印发《关于加强教育督导工作的实施意见》，暂未出台《关于加强教育督导工作的实施意见》。\n" * 1000,
    "controls": "一、基本情况\x01\x02\x7f\n全县\x00有学校\x1b10所。\x85\n",
    "bom_in_middle": "一、基本情况\n\ufeff全县有学校10所，\ufeff经费1000万元。\n",
    "rtl_zero_width": "一、基本\u202e情况\n全县有\u200b学校1\u200b0所，经费\u202e1000万元，增长\u200d5%。\n\u2066\u2067\u2069\ufeff",
    "astral_planes": "一、基本情况😀\n全县有𠀀𠀁𪚥学校10所😀，经费1000万元。𝟙𝟚𝟛\U000e0001\U0010fffd\n" * 100,
    "html_and_formulas": HOSTILE_TEXT,
}

# name -> (bytes, expected error code or None for ok)
BYTE_CASES: dict[str, tuple[bytes, str | None]] = {
    "only_whitespace": ((" \t\n\u3000\n  \r\n" * 100).encode("utf-8"), "no_text"),
    "empty": (b"", "empty_file"),
    "many_nul_bytes": (SAMPLE.encode("utf-8") + b"\x00" * 500, "unsupported"),
    "few_nul_bytes": (SAMPLE.encode("utf-8").replace("，".encode(), b"\x00", 2), None),
    "utf8_bom": (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), None),
    "utf16_bom": (SAMPLE.encode("utf-16"), None),
    "gb18030": (random_mix(3, 5000).encode("gb18030"), None),
    "invalid_bytes": (SAMPLE.encode("utf-8") + b"\x80\xff" * 200, "unsupported"),  # neither UTF-8 nor GB18030
    "high_bytes_as_gb18030": (bytes(random.Random(4).randrange(129, 255) for _ in range(4000)), None),
    "crlf_and_cr": (SAMPLE.replace("\n", "\r\n").encode("utf-8") + SAMPLE.replace("\n", "\r").encode("utf-8"), None),
}


# --- invariants ------------------------------------------------------------------------------


def check_result(path: Path, ctx: Context, expected_code: str | None = None) -> dict:
    result = audit_file(path, ctx)
    d = report_to_dict(result)
    json.loads(dumps_report(d))
    render_report_html(path.stem, d)

    assert result.status in ("ok", "failed")
    if result.status == "failed":
        assert result.error is not None and result.error.code in SPEC_ERROR_CODES, result.error
    assert (result.error.code if result.error else None) == expected_code, result.error
    assert not [f.message for f in result.findings if f.rule == "RULE-ERR"]
    if result.document is not None:
        text = result.document.text
        for finding in result.findings:
            for ev in finding.evidence:
                assert ev.quote == text[ev.start:ev.end], (finding.rule, ev)
                assert ev.page == result.document.page_at(ev.start)
        ext, structure = result.extraction, result.structure
        records = [*ext.quantities, *ext.docnos, *ext.titles, *ext.claims, *structure.headings]
        for record in records:
            assert record.text == text[record.start:record.end], record
    return d


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_hostile_text(name: str, ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_text(TEXT_CASES[name], encoding="utf-8", newline="")
    expected = "no_text" if not TEXT_CASES[name].strip() else None
    check_result(path, ctx, expected)


@pytest.mark.parametrize("name", sorted(BYTE_CASES))
def test_hostile_bytes(name: str, ctx: Context, tmp_path: Path) -> None:
    data, expected = BYTE_CASES[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    check_result(path, ctx, expected)


def test_report_date_line_at_start(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text("2022年12月31日\n" + SAMPLE, encoding="utf-8")
    d = check_result(path, ctx)
    assert d["status"] == "ok"


# --- batch: escaping, neutralising, file names ------------------------------------------------


HOSTILE_NAMES = (
    "a b;rm -rf",
    "报告<script>",
    "长" * 83 + "x" * 2,  # 85 characters here; with the tmp suffix a 250-character path component below
    ".hidden",
    "CON",
    "con.aux",
    "=HYPERLINK(1)",
    "-cmd",
    "name\nwith newline",
)


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    base = tmp_path_factory.mktemp("robust-batch")
    src = base / "in"
    src.mkdir()
    inputs = []
    for name in HOSTILE_NAMES:
        path = src / f"{name}.txt"
        path.write_text(HOSTILE_TEXT, encoding="utf-8")
        inputs.append(path)
    long_name = src / ("报" * 80 + "a" * 166 + ".txt")  # 250 characters, 406 bytes: over most limits
    try:
        long_name.write_text(HOSTILE_TEXT, encoding="utf-8")
        inputs.append(long_name)
    except OSError:  # the file system refuses a 250-character name in bytes: use 250 ASCII characters
        long_name = src / ("a" * 246 + ".txt")
        long_name.write_text(HOSTILE_TEXT, encoding="utf-8")
        inputs.append(long_name)
    out = base / "out"
    result = run_batch(inputs, out, AuditSettings(max_seconds=CASE_TIME_LIMIT), jobs=1, use_cache=False, progress=False)
    return src, out, result


def test_batch_hostile_names_stay_inside_out_dir(hostile_batch) -> None:
    src, out, result = hostile_batch
    assert result.ok == len(HOSTILE_NAMES) + 1 and result.failed == 0
    written = [p for p in out.rglob("*")]
    resolved_out = out.resolve()
    for path in written:
        assert path.resolve().is_relative_to(resolved_out)
        assert not path.name.startswith("."), path  # no hidden output, no leftover temp file
        assert len(path.name.encode("utf-8")) <= 255
    reports = sorted(p.name for p in (out / "reports").iterdir())
    assert len(reports) == 2 * (len(HOSTILE_NAMES) + 1)
    reserved = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
    for name in reports:
        stem = name.rsplit(".", 1)[0]
        assert all(c.isalnum() or c in "._-" for c in stem), name
        assert stem.split(".")[0].upper() not in reserved, name  # Windows device names
    # nothing was written beside the inputs or above the output folder
    assert sorted(p.name for p in src.iterdir()) == sorted(Path(i).name for i in (e.path for e in result.entries))
    assert sorted(p.name for p in out.parent.iterdir()) == ["in", "out"]


def test_batch_html_escapes_report_text(hostile_batch) -> None:
    _, out, _ = hostile_batch
    pages = [out / "index.html", *(out / "reports").glob("*.html")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), page.name
        assert "<img" not in html.lower(), page.name
    report_pages = list((out / "reports").glob("*.html"))
    assert all("&lt;script&gt;alert(1)&lt;/script&gt;" in p.read_text(encoding="utf-8") for p in report_pages)


def _text_cells(rows: list[list[object]]) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str)]


def test_batch_csv_cells_neutralised(hostile_batch) -> None:
    _, out, _ = hostile_batch
    text = (out / "findings.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    numeric = {i for i, key in enumerate(rows[0]) if key in ("page", "expected", "observed")}
    cells = [cell for row in rows[1:] for i, cell in enumerate(row) if i not in numeric]
    assert any("HYPERLINK" in cell for cell in cells)  # the hostile text is quoted somewhere
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), cell


def test_batch_xlsx_cells_neutralised(hostile_batch) -> None:
    from openpyxl import load_workbook

    _, out, _ = hostile_batch
    wb = load_workbook(out / "findings.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (ws.title, cell.coordinate, cell.value)


def test_xlsx_control_character_before_formula_is_neutralised() -> None:
    from pipeline.export.tables import FINDING_COLUMNS, _xlsx_value

    quote = next(c for c in FINDING_COLUMNS if c.key == "quote")
    assert _xlsx_value(quote, "\x01=HYPERLINK(\"http://x\")").startswith("'=")
