"""findings.csv / findings.xlsx: BOM, formula neutralisation, rows read back, summary sheet."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from pipeline.export.report_json import report_to_dict
from pipeline.export.tables import FINDING_COLUMNS, findings_csv_text, findings_xlsx_bytes, neutralise
from test_export_json import failed_result, make_result


def _reports() -> list[tuple[str, dict]]:
    # given out of order on purpose: rows come sorted by path
    return [
        ("zero", report_to_dict(failed_result("/in/zero.pdf"))),
        ("dazu", report_to_dict(make_result("/in/dazu.txt"))),
    ]


def test_export_tables_neutralise() -> None:
    for hostile in ("=SUM(A1)", "+1", "-x", "@cmd", "\tx", "\rx"):
        assert neutralise(hostile) == "'" + hostile
    assert neutralise("生均公用经费") == "生均公用经费"


def test_export_tables_csv_bom_rows_and_formulas() -> None:
    text = findings_csv_text(_reports())
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == [c.key for c in FINDING_COLUMNS]
    assert [r["report"] for r in rows] == ["dazu", "dazu", "dazu", "zero"]
    first = rows[0]
    assert first["district"] == "重庆市大足区人民政府"
    assert first["severity"] == "error" and first["page"] == "1"
    assert first["expected"] == "17663" and first["observed"] == "5299.5"
    assert first["quote"].endswith("… =SUM(A1) <script>alert(1)</script>")  # only a cell's start matters
    assert rows[1]["message"] == "'-x 说法存疑"
    assert rows[2]["quote"] == "'@cmd" and rows[2]["message"] == "'@cmd 提示"
    assert rows[3]["status"] == "failed" and rows[3]["category"] == "empty_file" and "0字节" in rows[3]["message"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))
    assert findings_csv_text(_reports()) == text  # deterministic


def test_export_tables_xlsx_reads_back() -> None:
    wb = load_workbook(io.BytesIO(findings_xlsx_bytes(_reports())))
    assert wb.sheetnames == ["汇总", "问题清单"]
    summary = wb["汇总"]
    values = list(summary.iter_rows(values_only=True))
    header = values[0]
    assert len(values) == 3
    dazu = dict(zip(header, values[1]))
    assert dazu["报告"] == "dazu" and dazu["状态"] == "ok" and dazu["页数"] == 2
    assert (dazu["错误"], dazu["警告"], dazu["提示"]) == (1, 1, 1)
    assert dazu["要点覆盖"] == "1/3" and dazu["成文日期"] == "2022-11-15"
    zero = dict(zip(header, values[2]))
    assert zero["状态"] == "failed" and zero["失败原因"].startswith("empty_file")
    assert summary.freeze_panes == "B2" and summary.auto_filter.ref

    sheet = wb["问题清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    head = rows[0]
    first = dict(zip(head, rows[1]))
    assert first["页码"] == 1 and first["应为"] == 17663 and first["报告值"] == 5299.5  # numbers stay numbers
    assert first["原文"].startswith("生均公用经费") and first["严重程度"] == "error"
    for row in rows[1:]:
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(("=", "+", "-", "@"))
    assert sheet["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:L5"


def test_export_tables_xlsx_bytes_do_not_depend_on_the_time_of_saving(monkeypatch) -> None:
    import zipfile
    from datetime import datetime

    import openpyxl.writer.excel

    first = findings_xlsx_bytes(_reports())

    class Later(datetime):  # openpyxl stamps the save time into docProps/core.xml
        @classmethod
        def now(cls, tz=None):
            return datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return datetime(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(openpyxl.writer.excel.datetime, "datetime", Later, raising=False)
    monkeypatch.setattr(zipfile.time, "time", lambda: 1_957_000_000.0)  # and zipfile each member's date
    assert findings_xlsx_bytes(_reports()) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {m.date_time for m in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "<dcterms:modified" in archive.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z</dcterms:modified>" in archive.read("docProps/core.xml").decode()
