"""The report JSON (``dutyaudit/report@1``, ``../shared/spec/report-json.md``).

``report_to_dict`` turns one ``ReportResult`` into plain JSON data (dicts,
lists, str, int, float, bool, None). Every batch output (CSV, XLSX, HTML,
summary) is derived from these dicts, so a cached dict is as good as a fresh
audit. ``dumps_report`` renders a dict deterministically.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import Any

from pipeline.records import ReportResult

SCHEMA = "dutyaudit/report@1"
FLOAT_DIGITS = 6  # floats are rounded to this many decimals: stable bytes across platforms


def plain(value: Any) -> Any:
    """Records, tuples and numbers -> JSON data (tuples become lists, floats rounded, NaN -> None)."""
    convert = _CONVERTERS.get(type(value))  # the common exact types first: a report has ~10,000 values
    if convert is not None:
        return convert(value)
    layout = _record_layout(type(value))
    if layout is not None:
        return _record(value, layout)
    return _plain_other(value)


def _plain_other(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    # numpy scalars and the like
    if hasattr(value, "item"):
        return plain(value.item())
    return str(value)


def _float(value: float) -> float | None:
    if not math.isfinite(value):
        return None
    rounded = round(value, FLOAT_DIGITS)
    return 0.0 if rounded == 0 else rounded


# exact types plain() returns unchanged: most values of a report are these, and checking the type
# inline spares a call per value
_ATOMS = frozenset({str, int, bool, type(None)})


def _record(value: Any, layout: tuple[tuple[str, ...], Callable[[Any], tuple]]) -> dict[str, Any]:
    names, read = layout
    return {name: v if type(v) in _ATOMS else plain(v) for name, v in zip(names, read(value))}


def _same(value: Any) -> Any:
    return value


def _sequence(value: Any) -> list[Any]:
    return [v if type(v) in _ATOMS else plain(v) for v in value]


_CONVERTERS: dict[type, Any] = {
    str: _same, int: _same, bool: _same, type(None): _same, float: _float, list: _sequence, tuple: _sequence,
    dict: lambda value: {str(k): plain(v) for k, v in value.items()},
}


@functools.cache
def record_field_names(cls: type) -> tuple[str, ...] | None:
    """Field names of a dataclass type (None for other types), looked up once per type."""
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


@functools.cache
def _record_layout(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple]] | None:
    """Field names of a dataclass type and a reader of all their values in one call (None for other types)."""
    names = record_field_names(cls)
    if names is None:
        return None
    if len(names) > 1:
        return names, attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return names, lambda value: (one(value),)
    return names, lambda value: ()


def _empty(result: ReportResult) -> dict[str, Any]:
    error = None
    if result.error is not None:
        error = {"code": result.error.code, "message": result.error.message}
    return {
        "schema": SCHEMA,
        "source": {
            "path": result.path,
            "sha256": result.sha256,
            "media_type": result.media_type,
            "pages": int(result.pages),
        },
        "status": result.status,
        "error": error,
        "text": "",
        "report_date": None,
        "report_date_span": None,
        "quantities": [],
        "docnos": [],
        "titles": [],
        "claims": [],
        "headings": [],
        "passages": [],
        "findings": [],
        "coverage": {},
        "classification_mode": None,
        "model_id": None,
        "scheme": None,
        "meta": None,
        "warnings": [],
        "tables": [],
    }


def report_to_dict(result: ReportResult) -> dict[str, Any]:
    """One audited report as the spec's JSON object (failed: status failed, error set, empty lists)."""
    out = _empty(result)
    if result.status != "ok" or result.document is None:
        return out
    doc = result.document
    out["text"] = doc.text
    out["source"]["pages"] = int(result.pages or doc.page_count)
    out["page_starts"] = list(doc.page_starts)
    out["warnings"] = list(doc.warnings)
    out["tables"] = [plain(t) for t in doc.tables]

    ext = result.extraction
    if ext is not None:
        out["report_date"] = ext.report_date
        out["report_date_span"] = plain(ext.report_date_span)
        out["quantities"] = [plain(q) for q in ext.quantities]
        out["docnos"] = [plain(d) for d in ext.docnos]
        out["titles"] = [plain(t) for t in ext.titles]
        out["claims"] = [plain(c) for c in ext.claims]

    cls = result.classification
    labels = {lab.passage_id: lab for lab in cls.labels} if cls is not None else {}
    structure = result.structure
    if structure is not None:
        out["headings"] = [plain(h) for h in structure.headings]
        out["meta"] = plain(structure.meta)
        passages = []
        for p in structure.passages:
            item = plain(p)
            lab = labels.get(p.id)
            item["aspect"] = lab.aspect if lab else None
            item["point"] = lab.point if lab else None
            item["score"] = plain(float(lab.score)) if lab else 0.0
            item["top"] = plain(lab.top) if lab else []
            passages.append(item)
        out["passages"] = passages
    if cls is not None:
        out["coverage"] = {point: list(ids) for point, ids in cls.coverage}
        out["coverage_order"] = [point for point, _ in cls.coverage]
        out["classification_mode"] = cls.mode
        out["model_id"] = cls.model_id
        out["scheme"] = cls.scheme_id
    out["findings"] = [plain(f) for f in result.findings]
    return out


def dumps_report(d: dict[str, Any]) -> str:
    """Deterministic text of a report dict: sorted keys, UTF-8 characters kept, compact, trailing newline.

    Compact because ``json`` uses its C encoder only without ``indent`` (three times faster on a
    report); the HTML page is the human view, ``python -m json.tool`` pretty-prints the file.
    """
    return json.dumps(d, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def district_of(d: dict[str, Any]) -> str:
    """The issuing government (structure meta issuer, else the title), or ""."""
    meta = d.get("meta") or {}
    return str(meta.get("issuer") or meta.get("title") or "")


def coverage_counts(d: dict[str, Any]) -> tuple[int, int]:
    """(points with at least one passage, points in the scheme)."""
    cov = d.get("coverage") or {}
    return sum(1 for ids in cov.values() if ids), len(cov)


def severity_counts(d: dict[str, Any]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in d.get("findings") or ():
        sev = f.get("severity")
        counts[sev] = counts.get(sev, 0) + 1
    return counts


def category_counts(d: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in d.get("findings") or ():
        counts[f.get("category") or "other"] = counts.get(f.get("category") or "other", 0) + 1
    return dict(sorted(counts.items()))


def finding_totals(reports: Iterable[dict[str, Any]]) -> tuple[dict[str, int], dict[str, int]]:
    """Findings of many report dicts counted by severity (error/warning/info always present) and by category."""
    by_severity = {"error": 0, "warning": 0, "info": 0}
    by_category: dict[str, int] = {}
    for d in reports:
        for key, count in severity_counts(d).items():
            by_severity[key] = by_severity.get(key, 0) + count
        for key, count in category_counts(d).items():
            by_category[key] = by_category.get(key, 0) + count
    return by_severity, dict(sorted(by_category.items()))


def natural_key(point: str) -> tuple:
    """Sort key for ids like ``A1.10`` (numbers compared as numbers)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|\D+", point))
