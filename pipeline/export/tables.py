"""findings.csv and findings.xlsx, both fed by one column definition.

Input is a sequence of ``(name, report_dict)`` pairs (``report_json.report_to_dict``
output). Rows are ordered by source path, then name, then finding order. Every
text cell is neutralised against spreadsheet formula injection; numeric cells
stay numeric.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.export.report_json import coverage_counts, district_of, severity_counts

Reports = Sequence[tuple[str, dict[str, Any]]]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_CHARS = 32_000  # Excel's cell limit is 32,767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
QUOTE_SEPARATOR = " … "


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # CSV header and row key
    label: str  # XLSX header
    width: float  # XLSX column width (characters)
    kind: str = "text"  # "text" | "number"


FINDING_COLUMNS: tuple[Column, ...] = (
    Column("report", "报告", 18),
    Column("district", "区县", 22),
    Column("status", "状态", 10),
    Column("rule", "规则", 12),
    Column("category", "类别", 11),
    Column("severity", "严重程度", 10),
    Column("page", "页码", 7, "number"),
    Column("quote", "原文", 48),
    Column("message", "问题说明", 60),
    Column("expected", "应为", 12, "number"),
    Column("observed", "报告值", 12, "number"),
    Column("finding_id", "编号", 14),
)

SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("report", "报告", 18),
    Column("path", "文件", 36),
    Column("district", "区县", 24),
    Column("report_date", "成文日期", 12),
    Column("pages", "页数", 7, "number"),
    Column("status", "状态", 9),
    Column("error", "失败原因", 48),
    Column("errors", "错误", 7, "number"),
    Column("warnings", "警告", 7, "number"),
    Column("infos", "提示", 7, "number"),
    Column("findings", "问题合计", 9, "number"),
    Column("coverage", "要点覆盖", 10),
)

SEVERITY_FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
FAILED_FILL = "D9D9D9"
HEADER_FILL = "1F4E78"


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    text = text[:MAX_CELL_CHARS]
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _ordered(reports: Reports) -> list[tuple[str, dict[str, Any]]]:
    return sorted(reports, key=lambda item: (str((item[1].get("source") or {}).get("path") or ""), item[0]))


def _error_text(d: dict[str, Any]) -> str:
    err = d.get("error")
    if not err:
        return ""
    return f"{err.get('code')}: {err.get('message')}"


def finding_rows(reports: Reports) -> list[dict[str, Any]]:
    """One row per finding; a failed report is one row with the reason in ``message``."""
    rows: list[dict[str, Any]] = []
    for name, d in _ordered(reports):
        district = district_of(d)
        if d.get("status") != "ok":
            err = d.get("error") or {}
            rows.append(
                {
                    "report": name, "district": district, "status": "failed", "rule": "",
                    "category": err.get("code") or "internal", "severity": "", "page": None, "quote": "",
                    "message": err.get("message") or "", "expected": None, "observed": None, "finding_id": "",
                }
            )
            continue
        for f in d.get("findings") or ():
            evidence = f.get("evidence") or []
            pages = [e.get("page") for e in evidence if isinstance(e.get("page"), int)]
            rows.append(
                {
                    "report": name,
                    "district": district,
                    "status": "ok",
                    "rule": f.get("rule") or "",
                    "category": f.get("category") or "",
                    "severity": f.get("severity") or "",
                    "page": min(pages) if pages else None,
                    "quote": QUOTE_SEPARATOR.join(str(e.get("quote") or "") for e in evidence),
                    "message": f.get("message") or "",
                    "expected": f.get("expected"),
                    "observed": f.get("observed"),
                    "finding_id": f.get("id") or "",
                }
            )
    return rows


def summary_rows(reports: Reports) -> list[dict[str, Any]]:
    """One row per report (ok or failed)."""
    rows = []
    for name, d in _ordered(reports):
        sev = severity_counts(d)
        covered, total = coverage_counts(d)
        ok = d.get("status") == "ok"
        rows.append(
            {
                "report": name,
                "path": str((d.get("source") or {}).get("path") or ""),
                "district": district_of(d),
                "report_date": d.get("report_date") or "",
                "pages": (d.get("source") or {}).get("pages"),
                "status": d.get("status") or "",
                "error": _error_text(d),
                "errors": sev.get("error", 0) if ok else None,
                "warnings": sev.get("warning", 0) if ok else None,
                "infos": sev.get("info", 0) if ok else None,
                "findings": len(d.get("findings") or ()) if ok else None,
                "coverage": f"{covered}/{total}" if ok and total else "",
            }
        )
    return rows


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    return None


def _csv_number(value: Any) -> str:
    num = _number(value)
    if num is None:
        return ""
    if isinstance(num, float):
        if num.is_integer() and abs(num) < 1e15:
            return str(int(num))
        return repr(round(num, 6))
    return str(num)


def _cell_text(value: Any) -> str:
    return neutralise("" if value is None else str(value))


def _csv_text(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([_csv_number(row.get(c.key)) if c.kind == "number" else _cell_text(row.get(c.key)) for c in columns])
    return "\ufeff" + buf.getvalue()


def findings_csv_text(reports: Reports) -> str:
    """findings.csv content: UTF-8 BOM (prepended here), CRLF rows, header = column keys."""
    return _csv_text(FINDING_COLUMNS, finding_rows(reports))


def _xlsx_value(column: Column, value: Any) -> Any:
    if column.kind == "number":
        return _number(value)
    # strip the characters XML cannot hold before neutralising: "\x01=HYPERLINK(…)" must not become a formula
    return neutralise(_ILLEGAL_XML.sub("", "" if value is None else str(value)))


def _fill_sheet(ws: Any, columns: Sequence[Column], rows: Sequence[dict[str, Any]], colour_of: Any) -> None:
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    ws.append([c.label for c in columns])
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    fills: dict[str, PatternFill] = {}
    # A cell's style depends only on (text column, row colour). Setting .alignment/.fill hashes the
    # style objects on every cell (most of the sheet's time), so the first cell of each combination
    # is styled that way and later ones are built with a copy of its style ids (as openpyxl's sheet
    # copy does). Cells made directly and appended a row at a time skip ws.cell's lookups.
    styles: dict[tuple[bool, str | None], Any] = {}
    for row in rows:
        colour = colour_of(row)
        fill = fills.setdefault(colour, PatternFill("solid", fgColor=colour)) if colour else None
        cells = []
        for column in columns:
            style_key = (column.kind == "text", colour)
            cell = Cell(ws, value=_xlsx_value(column, row.get(column.key)), style_array=styles.get(style_key))
            if style_key not in styles:
                if column.kind == "text":
                    cell.alignment = wrap
                if fill is not None:
                    cell.fill = fill
                styles[style_key] = copy(cell._style)
            cells.append(cell)
        ws.append(cells)
    for idx, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = column.width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _finding_colour(row: dict[str, Any]) -> str | None:
    if row.get("status") != "ok":
        return FAILED_FILL
    return SEVERITY_FILLS.get(row.get("severity") or "")


def _summary_colour(row: dict[str, Any]) -> str | None:
    return FAILED_FILL if row.get("status") != "ok" else None


FIXED_TIME = datetime(2000, 1, 1)


def findings_workbook(reports: Reports) -> Workbook:
    """The workbook: sheet 汇总 (one row per report) and sheet 问题清单 (one row per finding)."""
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    _fill_sheet(summary, SUMMARY_COLUMNS, summary_rows(reports), _summary_colour)
    findings = wb.create_sheet("问题清单")
    _fill_sheet(findings, FINDING_COLUMNS, finding_rows(reports), _finding_colour)
    wb.properties.creator = "dutyaudit"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def findings_xlsx_bytes(reports: Reports) -> bytes:
    """findings.xlsx content: the same reports give the same bytes."""
    buf = io.BytesIO()
    findings_workbook(reports).save(buf)
    return pinned_times(buf.getvalue())


CORE_PROPERTIES = "docProps/core.xml"
MODIFIED_ELEMENT = re.compile(r"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")
ZIP_FIXED_TIME = (FIXED_TIME.year, FIXED_TIME.month, FIXED_TIME.day, 0, 0, 0)


def pinned_times(xlsx: bytes) -> bytes:
    """The workbook with its save time replaced by ``FIXED_TIME``.

    openpyxl writes the time of saving into ``docProps/core.xml`` (whatever the workbook's
    ``modified`` says) and into every zip member's date, so two runs would differ in bytes.
    """
    fixed = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == CORE_PROPERTIES:
                data = MODIFIED_ELEMENT.sub(rf"\g<1>{fixed}\g<2>", data.decode("utf-8")).encode("utf-8")
            pinned = zipfile.ZipInfo(member.filename, date_time=ZIP_FIXED_TIME)
            pinned.compress_type = member.compress_type
            pinned.external_attr = member.external_attr
            target.writestr(pinned, data)
    return out.getvalue()
