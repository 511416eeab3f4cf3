"""Report JSON: spec fields, offsets that index the text, deterministic bytes.

``make_result`` builds a small hand-made ReportResult; the other export tests import it.
"""

from __future__ import annotations

import json

from pipeline.export.report_json import SCHEMA, dumps_report, report_to_dict
from pipeline.records import (
    Classification,
    DocNumber,
    Document,
    Evidence,
    Extraction,
    Finding,
    Heading,
    Passage,
    PassageLabel,
    Quantity,
    ReportError,
    ReportMeta,
    ReportResult,
    Structure,
)

LINES = [
    "重庆市大足区人民政府",
    "关于2021年以来履行教育职责情况的自查自评报告",
    "一、基本情况",
    "全区投入教育经费12.5亿元，生均公用经费达到1200元，学前三年毛入园率达到92.5%。",
    "根据《关于加强教育工作的意见》（大足府发〔2022〕43号）要求，我区全面落实。",
    "=SUM(A1) <script>alert(1)</script> +1 -x @cmd",
    "2022年11月15日",
]


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def make_result(
    path: str = "/in/dazu.txt", lines: list[str] | None = None, issuer: str = "重庆市大足区人民政府", findings: bool = True
) -> ReportResult:
    lines = LINES if lines is None else lines
    text = "\n".join(lines)
    page2 = text.index(lines[min(4, len(lines) - 1)])
    doc = Document(path=path, media_type="txt", sha256="ab" * 32, text=text, page_starts=(0, page2))
    passages = []
    offset = 0
    for i, line in enumerate(lines):
        start, end = offset, offset + len(line)
        offset = end + 1
        passages.append(Passage(f"p{i:04d}", start, end, doc.page_at(start), "achievement", ("基本情况",)))
    quantities: list[Quantity] = []
    docnos: list[DocNumber] = []
    found: list[Finding] = []
    if lines is LINES:
        s, e = _span(text, "12.5亿元")
        quantities.append(Quantity("12.5亿元", s, e, doc.page_at(s), "money", 1250000000.0000002, "元", scale=100_000_000))
        s, e = _span(text, "1200元")
        quantities.append(Quantity("1200元", s, e, doc.page_at(s), "money", 1200, "元", subject="生均公用经费"))
        s, e = _span(text, "92.5%")
        quantities.append(Quantity("92.5%", s, e, doc.page_at(s), "percent", 92.5, "%", subject="学前三年毛入园率"))
        s, e = _span(text, "大足府发〔2022〕43号")
        ts, te = _span(text, "《关于加强教育工作的意见》")
        docnos.append(DocNumber("大足府发〔2022〕43号", s, e, doc.page_at(s), "大足府发", 2022, 43, "大足府发〔2022〕43号",
                                "关于加强教育工作的意见", ts, te))
        if findings:
            s1, e1 = _span(text, "生均公用经费达到1200元")
            s2, e2 = _span(text, "=SUM(A1) <script>alert(1)</script>")
            found.append(Finding("F-NUM-001-1", "NUM-001", "arithmetic", "error", "合计不符：12.5 ≠ 1200。",
                                 (Evidence(text[s1:e1], s1, e1, doc.page_at(s1)), Evidence(text[s2:e2], s2, e2, doc.page_at(s2))),
                                 expected=17663, observed=5299.5))
            s3, e3 = _span(text, "1200元，学前三年")  # overlaps the quantity 1200元 and the first evidence
            found.append(Finding("F-CLM-002-1", "CLM-002", "claim", "warning", "-x 说法存疑", (Evidence(text[s3:e3], s3, e3, doc.page_at(s3)),)))
            s4, e4 = _span(text, "@cmd")
            found.append(Finding("F-FMT-003-1", "FMT-003", "format", "info", "@cmd 提示", (Evidence(text[s4:e4], s4, e4, doc.page_at(s4)),)))
    headings = ()
    if "一、基本情况" in text:
        h_s, h_e = _span(text, "一、基本情况")
        headings = (Heading("一、基本情况", h_s, h_e, doc.page_at(h_s), 1, 1, "一、", "基本情况", "background", None),)
    structure = Structure(
        headings=headings,
        passages=tuple(passages),
        sentences=(),
        meta=ReportMeta(title=lines[1] if len(lines) > 1 else None, issuer=issuer, scheme_counts=((8, "评价重点"),)),
    )
    labels = tuple(
        PassageLabel(p.id, "A2" if i % 2 else None, "A2.1" if i % 2 else None, 0.123456789 * i / 7, (("A2.1", 0.5), ("A2.2", 0.25)))
        for i, p in enumerate(passages)
    )
    classification = Classification(
        "chongqing-2022", "zero_shot", labels,
        (("A2.1", tuple(p.id for i, p in enumerate(passages) if i % 2)), ("A2.2", ()), ("A2.10", ())),
    )
    date_s, date_e = _span(text, lines[-1])
    extraction = Extraction(tuple(quantities), tuple(docnos), report_date="2022-11-15", report_date_span=(date_s, date_e))
    return ReportResult(path, doc.sha256, "txt", doc.page_count, "ok", None, doc, structure, extraction, classification, tuple(found))


def failed_result(path: str = "/in/zero.pdf", code: str = "empty_file") -> ReportResult:
    return ReportResult(path, None, "pdf", 0, "failed", ReportError(code, "文件为空（0字节）。"))


def test_export_json_spec_fields() -> None:
    d = report_to_dict(make_result())
    assert d["schema"] == SCHEMA
    assert set(d["source"]) == {"path", "sha256", "media_type", "pages"}
    assert d["source"]["pages"] == 2 and d["status"] == "ok" and d["error"] is None
    assert d["report_date"] == "2022-11-15"
    for key in ("text", "start", "end", "page", "kind", "value", "unit", "approx", "qualifiers", "subject"):
        assert key in d["quantities"][0]
    for key in ("text", "start", "end", "page", "issuer_code", "year", "serial", "canonical", "title", "problems"):
        assert key in d["docnos"][0]
    for key in ("id", "start", "end", "page", "section", "aspect", "point", "score", "top", "heading_path"):
        assert key in d["passages"][0]
    for key in ("id", "rule", "category", "severity", "message", "evidence", "expected", "observed"):
        assert key in d["findings"][0]
    assert d["coverage"]["A2.1"] == ["p0001", "p0003", "p0005"]
    assert d["docnos"][0]["title"] == "关于加强教育工作的意见"
    assert isinstance(d["passages"][0]["heading_path"], list)
    assert d["quantities"][0]["value"] == 1250000000.0  # float noise rounded away


def test_export_json_offsets_index_the_text() -> None:
    d = report_to_dict(make_result())
    text = d["text"]
    for key in ("quantities", "docnos", "headings"):
        for item in d[key]:
            assert text[item["start"] : item["end"]] == item["text"]
    for f in d["findings"]:
        for ev in f["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["quote"]
    for p in d["passages"]:
        assert 0 <= p["start"] <= p["end"] <= len(text)
        assert p["page"] == (2 if p["start"] >= d["page_starts"][1] else 1)


def test_export_json_deterministic_bytes_and_roundtrip() -> None:
    a = dumps_report(report_to_dict(make_result()))
    b = dumps_report(report_to_dict(make_result()))
    assert a == b
    assert dumps_report(json.loads(a)) == a  # a cached dict re-renders to the same bytes
    assert "<script>" in a  # raw text kept in JSON (escaping is the HTML writer's job)
    assert "\\u" not in a  # ensure_ascii off


def test_export_json_failed_report() -> None:
    d = report_to_dict(failed_result())
    assert d["status"] == "failed"
    assert d["error"] == {"code": "empty_file", "message": "文件为空（0字节）。"}
    assert d["text"] == ""
    for key in ("quantities", "docnos", "passages", "findings"):
        assert d[key] == []
    json.loads(dumps_report(d))
