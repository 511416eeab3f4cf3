"""The faster export paths give exactly what the straightforward code they replaced gave.

Each reference below is the earlier implementation, kept here verbatim in behaviour; the
comparisons run on the audited Dazu report (and batches made from it), so a change that
alters a single value, key order or byte fails.
"""

from __future__ import annotations

import copy
import io
import json
import random
from collections.abc import Sequence
from typing import Any

import pytest
from markupsafe import Markup, escape

from pipeline.export import html, summary, tables
from pipeline.export.report_json import plain, record_field_names, report_to_dict

# --- references (the code before the speed-ups) ------------------------------------


def reference_plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return reference_float(value)
    names = record_field_names(type(value))
    if names is not None:
        return {name: reference_plain(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [reference_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): reference_plain(v) for k, v in value.items()}
    if hasattr(value, "item"):
        return reference_plain(value.item())
    return str(value)


def reference_float(value: float) -> float | None:
    import math

    if not math.isfinite(value):
        return None
    rounded = round(value, 6)
    return 0.0 if rounded == 0 else rounded


def reference_open_tag(span: html.Span, first: bool) -> str:
    classes = span.classes if first else span.classes + " cont"
    parts = [f'<{span.tag} class="{escape(classes)}"']
    if first and span.anchor:
        parts.append(f' id="{escape(span.anchor)}"')
    if span.data_f:
        parts.append(f' data-f="{escape(span.data_f)}"')
    if span.title:
        parts.append(f' title="{escape(span.title)}"')
    parts.append(">")
    if first and span.back:
        parts.append(f'<a class="back" href="{escape(span.back)}" title="回到问题"></a>')
    return "".join(parts)


def reference_highlight(text: str, spans: Sequence[html.Span], points: Sequence[tuple[int, str]] = ()) -> Markup:
    n = len(text)
    valid = [s for s in spans if 0 <= s.start < s.end <= n]
    order = sorted(range(len(valid)), key=lambda i: (valid[i].rank, valid[i].start, -valid[i].end, i))
    position = {idx: k for k, idx in enumerate(order)}
    inserts: dict[int, list[str]] = {}
    for offset, markup in points:
        if 0 <= offset <= n:
            inserts.setdefault(offset, []).append(markup)
    bounds = sorted({0, n, *(s.start for s in valid), *(s.end for s in valid), *inserts})
    starts: dict[int, list[int]] = {}
    for i, s in enumerate(valid):
        starts.setdefault(s.start, []).append(i)
    out: list[str] = []
    stack: list[int] = []
    active: set[int] = set()
    opened: set[int] = set()
    for k, a in enumerate(bounds):
        active = {i for i in active if valid[i].end > a}
        active.update(starts.get(a, ()))
        desired = sorted(active, key=position.__getitem__)
        keep = 0
        while keep < len(stack) and keep < len(desired) and stack[keep] == desired[keep]:
            keep += 1
        for i in reversed(stack[keep:]):
            out.append(f"</{valid[i].tag}>")
        del stack[keep:]
        out.extend(inserts.get(a, ()))
        for i in desired[keep:]:
            out.append(reference_open_tag(valid[i], i not in opened))
            opened.add(i)
            stack.append(i)
        if k + 1 < len(bounds):
            out.append(str(escape(text[a : bounds[k + 1]])))
    for i in reversed(stack):
        out.append(f"</{valid[i].tag}>")
    return Markup("".join(out))


def reference_report_spans(d: dict[str, Any]) -> tuple[list[tuple], list[tuple[int, str]]]:
    spans: list[tuple] = []
    for fi, f in enumerate(d.get("findings") or ()):
        for k, ev in enumerate(f.get("evidence") or ()):
            severity = f.get("severity") or "info"
            spans.append(
                (int(ev["start"]), int(ev["end"]), 0, "mark", f"ev sev-{html._safe_id(severity)}",
                 html._short(f"[{f.get('rule')}] {f.get('message') or ''}"), f"ev-{fi}-{k}", f"#f-{fi}", str(fi))
            )
    for dn in d.get("docnos") or ():
        title = "文号: " + str(dn.get("canonical") or dn.get("text"))
        if dn.get("problems"):
            title += "（" + "、".join(dn["problems"]) + "）"
        spans.append((int(dn["start"]), int(dn["end"]), 1, "span", "ent docno", html._short(title), None, None, None))
    for q in d.get("quantities") or ():
        if q.get("kind") == "docno":
            continue
        spans.append((int(q["start"]), int(q["end"]), 2, "span", f"ent q q-{html._safe_id(q.get('kind') or 'other')}",
                      html._short(html._value_text(q)), None, None, None))
    points: list[tuple[int, str]] = []
    for n, start in enumerate(d.get("page_starts") or [0], start=1):
        points.append((int(start), f'<span class="pg" id="page-{n}" data-page="{n}"></span>'))
    for p in d.get("passages") or ():
        point = p.get("point")
        label = f' data-point="{escape(point)}" title="{escape(point)} · {escape(str(p.get("score")))}"' if point else ""
        points.append((int(p["start"]), f'<span class="psg" id="psg-{escape(html._safe_id(str(p["id"])))}"{label}></span>'))
    return spans, points


def reference_candidate_text_pairs(texts: list[str], reports_of: list[set[str]], boiler_min: int) -> list[tuple[int, int]]:
    shingles_of = [summary._shingles(t) for t in texts]
    reports_with: dict[str, set[str]] = {}
    for shingles, reports in zip(shingles_of, reports_of):
        for shingle in shingles:
            reports_with.setdefault(shingle, set()).update(reports)
    postings: dict[str, list[int]] = {}
    for i, shingles in enumerate(shingles_of):
        for shingle in shingles:
            if len(reports_with[shingle]) < boiler_min:
                postings.setdefault(shingle, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for ids in postings.values():
        if len(ids) < 2 or len(ids) > summary.MAX_POSTING:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                key = (ids[x], ids[y])
                shared[key] = shared.get(key, 0) + 1
    return sorted(pair for pair, count in shared.items() if count >= summary.MIN_SHARED_SHINGLES)


def reference_indicator_values(d: dict[str, Any]) -> dict[str, dict[str, Any]]:
    text = d.get("text") or ""
    found: dict[str, dict[str, Any]] = {}
    for q in sorted(d.get("quantities") or (), key=lambda q: (q["start"], q["end"])):
        value = q.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        fitting = [
            (indicator, keywords) for indicator, keywords, (low, high) in summary._INDICATORS_BY_KIND.get(q.get("kind"), ())
            if indicator not in found and low <= value <= high
        ]
        if not fitting:
            continue
        subject = q.get("subject") or ""
        before = summary._context_before(text, int(q["start"]))
        for indicator, keywords in fitting:
            if summary._states_level(keywords, subject, before):
                found[indicator] = {
                    "value": value, "unit": q.get("unit"), "kind": q.get("kind"), "text": q.get("text"),
                    "start": q["start"], "end": q["end"], "page": q.get("page", 1),
                }
    return found


def reference_fill_sheet(ws: Any, columns: Sequence[tables.Column], rows: Sequence[dict[str, Any]], colour_of: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append([c.label for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=tables.HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row_number, row in enumerate(rows, start=2):
        colour = colour_of(row)
        for col_number, column in enumerate(columns, start=1):
            cell = ws.cell(row=row_number, column=col_number, value=tables._xlsx_value(column, row.get(column.key)))
            if column.kind == "text":
                cell.alignment = wrap
            if colour:
                cell.fill = PatternFill("solid", fgColor=colour)
    for idx, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = column.width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


# --- data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dazu_result(corpus_dir):
    from pipeline.runner import Context, audit_file

    return audit_file(corpus_dir / "dazu-2022.pdf", Context.build())


@pytest.fixture(scope="module")
def dazu(dazu_result) -> dict[str, Any]:
    d = report_to_dict(dazu_result)
    assert d["status"] == "ok" and len(d["quantities"]) > 100 and d["findings"]
    return d


def _variant(d: dict[str, Any], seed: int) -> dict[str, Any]:
    """A copy of the report whose passages are partly edited, dropped or shuffled: a batch of distinct reports."""
    rng = random.Random(seed)
    out = copy.deepcopy(d)
    chars = list(out["text"])
    for p in out["passages"]:
        if rng.random() < 0.3 and p["end"] - p["start"] > 10:
            at = rng.randrange(p["start"], p["end"])
            chars[at] = rng.choice("区县镇乡市")
    out["text"] = "".join(chars)
    out["passages"] = [p for p in out["passages"] if rng.random() > 0.2]
    rng.shuffle(out["quantities"])
    out["meta"] = dict(out.get("meta") or {}, issuer=f"区{seed}")
    return out


@pytest.fixture(scope="module")
def batch(dazu) -> list[tuple[str, dict[str, Any]]]:
    return [("dazu", dazu), ("dazu-copy", copy.deepcopy(dazu))] + [(f"v{k:02d}", _variant(dazu, k)) for k in range(8)]


# --- comparisons -------------------------------------------------------------------


def _exact(value: Any) -> str:
    """Text that tells apart 1, 1.0 and True and dicts with another key order."""
    return json.dumps(value, ensure_ascii=False) + repr(value)


def test_export_speed_plain_equals_reference_on_dazu(dazu_result) -> None:
    doc, ext, structure = dazu_result.document, dazu_result.extraction, dazu_result.structure
    records = [*doc.tables, *ext.quantities, *ext.docnos, *ext.titles, *ext.claims, *structure.headings,
               *structure.passages, structure.meta, *dazu_result.findings, *dazu_result.classification.labels]
    # and values that need the float, NaN, numpy and tuple handling
    import numpy as np

    from pipeline.records import Evidence, Finding, PassageLabel

    records += [
        PassageLabel("p1", "A1", "A1.1", 1 / 3, (("A1.2", 2 / 3), ("A1.3", float("nan")), ("A1.4", -1e-9))),
        Finding("F-1", "R", "c", "info", "m", (Evidence("q", 1, 2, 1),), expected=np.float64(1 / 7), observed=np.int64(3)),
    ]
    assert len(records) > 500
    for record in records:
        assert _exact(plain(record)) == _exact(reference_plain(record))


def test_export_speed_report_spans_equal_reference(dazu) -> None:
    spans, points = html.report_spans(dazu)
    ref_spans, ref_points = reference_report_spans(dazu)
    assert [tuple(s) for s in spans] == ref_spans
    assert points == ref_points


def test_export_speed_highlight_equals_reference_on_dazu(dazu) -> None:
    spans, points = html.report_spans(dazu)
    assert str(html.highlight(dazu["text"], spans, points)) == str(reference_highlight(dazu["text"], spans, points))


def test_export_speed_highlight_equals_reference_on_random_overlaps() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randrange(0, 60)
        text = "".join(rng.choice("ab教育<>&'\"\n ") for _ in range(n))
        spans = []
        for _ in range(rng.randrange(0, 12)):
            start, end = rng.randrange(-2, n + 3), rng.randrange(-2, n + 3)
            spans.append(
                html.Span(start, end, rng.randrange(3), rng.choice(("mark", "span")), rng.choice(("q", "ev <&>", "d'\"")),
                          rng.choice(("", "t", "标题<b>&")), anchor=rng.choice((None, "a1", "x\"y")),
                          back=rng.choice((None, "#f-1", "#<")), data_f=rng.choice((None, "0", "&")))
            )
        points = [(rng.randrange(-1, n + 2), f'<i id="p{k}"></i>') for k in range(rng.randrange(0, 5))]
        assert str(html.highlight(text, spans, points)) == str(reference_highlight(text, spans, points))


def test_export_speed_candidate_pairs_equal_reference(batch) -> None:
    # the texts and report sets near_duplicates builds, for the Dazu batch and for smaller slices of it
    pairs_found = 0
    for size in (2, 3, 5, len(batch)):
        reports = batch[:size]
        boiler_min = max(3, -(-len(reports) // 2))
        norms: dict[str, str] = {}
        members: dict[str, set[str]] = {}
        for name, d in reports:
            for c in summary._candidates(d, summary.DUPLICATE_MIN_CHARS, norms):
                members.setdefault(c["norm"], set()).add(name)
        texts = sorted(members)
        reports_of = [members[t] for t in texts]
        found = summary._candidate_text_pairs(texts, reports_of, boiler_min)
        assert found == reference_candidate_text_pairs(texts, reports_of, boiler_min)
        pairs_found += len(found)
    assert pairs_found > 10


def test_export_speed_indicator_values_equal_reference(batch) -> None:
    for _, d in batch:
        assert _exact(summary.indicator_values(d)) == _exact(reference_indicator_values(d))
    assert summary.indicator_values(batch[0][1])


def test_export_speed_xlsx_equals_reference_sheet_fill(batch, monkeypatch) -> None:
    failed = {"status": "failed", "error": {"code": "damaged", "message": "=HYPERLINK(\"x\")"}, "source": {"path": "/in/bad.pdf"}}
    reports = [*batch, ("bad", failed)]
    fast = tables.findings_xlsx_bytes(reports)
    monkeypatch.setattr(tables, "_fill_sheet", reference_fill_sheet)
    assert fast == tables.findings_xlsx_bytes(reports)
    # and the workbook opens with the rows it was given
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(fast))["问题清单"]
    assert sheet.max_row == 1 + len(tables.finding_rows(reports))
