"""HTML pages: ``index.html`` for a batch and one self-contained page per report.

Pages are rendered with jinja2 (autoescape on) from report dicts. The report text
with its highlights is built here by splitting the text at every span boundary and
escaping each piece; only the tags this module writes are markup. Pages have inline
CSS, no scripts and no external resources: they open offline from file://.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote as url_quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from pipeline.export.report_json import (
    category_counts,
    coverage_counts,
    district_of,
    natural_key,
    severity_counts,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_LABELS = {
    "money": "金额", "count": "数量", "percent": "百分比", "percentage_point": "百分点", "area": "面积",
    "ratio": "比例", "range": "区间", "date": "日期", "year": "年份", "duration": "时长", "ordinal": "序数",
    "docno": "文号数字", "version": "版本", "other": "其他",
}
MAX_TITLE_CHARS = 300
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
HTML_SPECIAL = re.compile(r"""[&<>'"]""")  # the characters markupsafe.escape replaces

Reports = Sequence[tuple[str, dict[str, Any]]]


@functools.cache
def _environment() -> Environment:
    """Built once per process: jinja2 compiles each template once and keeps it in the environment."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_href(name: str) -> str:
    """Relative link from index.html to a report page."""
    return "reports/" + url_quote(name, safe="") + ".html"


def _safe_id(text: str) -> str:
    return _ID_UNSAFE.sub("_", text)


def _short(text: str) -> str:
    return text if len(text) <= MAX_TITLE_CHARS else text[:MAX_TITLE_CHARS] + "…"


# --- highlighting --------------------------------------------------------------


class Span(NamedTuple):
    """A highlighted stretch of the text. A named tuple: immutable and cheap to build (a report has ~400)."""

    start: int
    end: int
    rank: int  # nesting rank: lower is outer (evidence 0, docno 1, quantity 2)
    tag: str  # "mark" | "span"
    classes: str
    title: str
    anchor: str | None = None  # id on the first piece
    back: str | None = None  # href of a back link emitted inside the first piece
    data_f: str | None = None


def _attribute(value: str) -> str:
    """``str(escape(value))``; most values hold no special character and skip the call."""
    return str(escape(value)) if HTML_SPECIAL.search(value) else value


def _open_tag(span: Span, first: bool) -> str:
    classes = span.classes if first else span.classes + " cont"
    parts = [f'<{span.tag} class="{_attribute(classes)}"']
    if first and span.anchor:
        parts.append(f' id="{_attribute(span.anchor)}"')
    if span.data_f:
        parts.append(f' data-f="{_attribute(span.data_f)}"')
    if span.title:
        parts.append(f' title="{_attribute(span.title)}"')
    parts.append(">")
    if first and span.back:
        parts.append(f'<a class="back" href="{_attribute(span.back)}" title="回到问题"></a>')
    return "".join(parts)


def highlight(text: str, spans: Sequence[Span], points: Sequence[tuple[int, str]] = ()) -> Markup:
    """``text`` as HTML with ``spans`` wrapped in tags and ``points`` (offset, raw HTML) inserted.

    The text is split at every span boundary; each piece is escaped. In each piece the open
    spans are nested by (rank, start, -end); a span that must be closed early to keep the
    nesting valid is reopened after (its later pieces get the class ``cont`` and no id).
    """
    n = len(text)
    valid = [s for s in spans if 0 <= s.start < s.end <= n]
    order = sorted(range(len(valid)), key=lambda i: (valid[i].rank, valid[i].start, -valid[i].end, i))
    position = [0] * len(valid)
    for k, idx in enumerate(order):
        position[idx] = k
    inserts: dict[int, list[str]] = {}
    for offset, html in points:
        if 0 <= offset <= n:
            inserts.setdefault(offset, []).append(html)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, s in enumerate(valid):
        starts.setdefault(s.start, []).append(i)
        ends.setdefault(s.end, []).append(i)
    bounds = sorted({0, n, *starts, *ends, *inserts})
    # pieces (by the index of their first bound) holding a character to escape: most hold none,
    # and only those go through escape()
    needs_escape = {bisect_right(bounds, m.start()) - 1 for m in HTML_SPECIAL.finditer(text)}
    last = len(bounds) - 1
    out: list[str] = []
    stack: list[int] = []  # the open spans, outermost first
    active: set[int] = set()
    opened: set[int] = set()
    for k, a in enumerate(bounds):
        ending, starting = ends.get(a), starts.get(a)
        if ending is None and starting is None:
            # no span starts or ends here: the open spans stay as they are
            if a in inserts:
                out.extend(inserts[a])
        else:
            # every span ends at one of the bounds, so removing those ending here leaves exactly
            # the spans with start <= a < end
            if ending is not None:
                active.difference_update(ending)
            if starting is not None:
                active.update(starting)
            desired = sorted(active, key=position.__getitem__) if len(active) > 1 else list(active)
            keep = 0
            while keep < len(stack) and keep < len(desired) and stack[keep] == desired[keep]:
                keep += 1
            for i in reversed(stack[keep:]):
                out.append(f"</{valid[i].tag}>")
            del stack[keep:]
            out.extend(inserts.get(a, ()))
            for i in desired[keep:]:
                out.append(_open_tag(valid[i], i not in opened))
                opened.add(i)
                stack.append(i)
        if k < last:
            piece = text[a : bounds[k + 1]]
            out.append(str(escape(piece)) if k in needs_escape else piece)
    for i in reversed(stack):
        out.append(f"</{valid[i].tag}>")
    return Markup("".join(out))


def _value_text(q: dict[str, Any]) -> str:
    value = q.get("value")
    if isinstance(value, list):
        value = "–".join(str(v) for v in value)
    unit = q.get("unit") or ""
    approx = f"（{q['approx']}）" if q.get("approx") else ""
    subject = f" · {q['subject']}" if q.get("subject") else ""
    return f"{KIND_LABELS.get(q.get('kind') or 'other', q.get('kind'))}: {value}{unit}{approx}{subject}"


def report_spans(d: dict[str, Any]) -> tuple[list[Span], list[tuple[int, str]]]:
    """Spans (evidence, document numbers, quantities) and zero-width markers (pages, passages) of a report dict."""
    spans: list[Span] = []
    for fi, f in enumerate(d.get("findings") or ()):
        for k, ev in enumerate(f.get("evidence") or ()):
            severity = f.get("severity") or "info"
            spans.append(
                Span(int(ev["start"]), int(ev["end"]), 0, "mark", f"ev sev-{_safe_id(severity)}",
                     _short(f"[{f.get('rule')}] {f.get('message') or ''}"), anchor=f"ev-{fi}-{k}", back=f"#f-{fi}",
                     data_f=str(fi))
            )
    for dn in d.get("docnos") or ():
        title = "文号: " + str(dn.get("canonical") or dn.get("text"))
        if dn.get("problems"):
            title += "（" + "、".join(dn["problems"]) + "）"
        spans.append(Span(int(dn["start"]), int(dn["end"]), 1, "span", "ent docno", _short(title)))
    kind_classes: dict[str, str] = {}  # a report has ~400 quantities of ~10 kinds
    for q in d.get("quantities") or ():
        kind = q.get("kind")
        if kind == "docno":
            continue
        kind = kind or "other"
        classes = kind_classes.get(kind)
        if classes is None:
            classes = kind_classes[kind] = f"ent q q-{_safe_id(kind)}"
        spans.append(Span(int(q["start"]), int(q["end"]), 2, "span", classes, _short(_value_text(q))))
    points: list[tuple[int, str]] = []
    for n, start in enumerate(d.get("page_starts") or [0], start=1):
        points.append((int(start), f'<span class="pg" id="page-{n}" data-page="{n}"></span>'))
    for p in d.get("passages") or ():
        point = p.get("point")
        if point:
            point_text = _attribute(str(point))
            label = f' data-point="{point_text}" title="{point_text} · {_attribute(str(p.get("score")))}"'
        else:
            label = ""
        points.append((int(p["start"]), f'<span class="psg" id="psg-{_attribute(_safe_id(str(p["id"])))}"{label}></span>'))
    return spans, points


# --- pages -----------------------------------------------------------------------


def _findings_view(d: dict[str, Any]) -> list[dict[str, Any]]:
    items = []
    for fi, f in enumerate(d.get("findings") or ()):
        evidence = [
            {"anchor": f"ev-{fi}-{k}", "quote": _short(str(ev.get("quote") or "")), "page": ev.get("page")}
            for k, ev in enumerate(f.get("evidence") or ())
        ]
        items.append(
            {
                "anchor": f"f-{fi}", "id": f.get("id") or "", "rule": f.get("rule") or "", "category": f.get("category") or "",
                "severity": f.get("severity") or "info", "severity_label": SEVERITY_LABELS.get(f.get("severity") or "", ""),
                "message": f.get("message") or "", "expected": f.get("expected"), "observed": f.get("observed"),
                "evidence": evidence,
            }
        )
    return items


def _coverage_view(d: dict[str, Any]) -> list[dict[str, Any]]:
    cov = d.get("coverage") or {}
    aspects: dict[str, list[dict[str, Any]]] = {}
    for point in sorted(cov, key=natural_key):
        ids = list(cov[point] or ())
        aspects.setdefault(point.split(".", 1)[0], []).append(
            {"point": point, "count": len(ids), "href": f"#psg-{_safe_id(str(ids[0]))}" if ids else None, "level": min(len(ids), 4)}
        )
    return [{"aspect": a, "points": pts, "covered": sum(1 for p in pts if p["count"])} for a, pts in sorted(aspects.items(), key=lambda kv: natural_key(kv[0]))]


def _legend(d: dict[str, Any]) -> list[dict[str, str]]:
    kinds = sorted({q.get("kind") or "other" for q in d.get("quantities") or () if q.get("kind") != "docno"})
    legend = [{"cls": f"ent q q-{_safe_id(k)}", "label": KIND_LABELS.get(k, k)} for k in kinds]
    if d.get("docnos"):
        legend.append({"cls": "ent docno", "label": "发文字号"})
    for sev in SEVERITY_ORDER:
        legend.append({"cls": f"ev sev-{sev}", "label": f"问题依据（{SEVERITY_LABELS[sev]}）"})
    return legend


def render_report_html(name: str, d: dict[str, Any]) -> str:
    """The page ``reports/<name>.html`` for one report dict (ok or failed)."""
    spans, points = report_spans(d)
    text = d.get("text") or ""
    covered, total = coverage_counts(d)
    context = {
        "name": name,
        "source": d.get("source") or {},
        "status": d.get("status"),
        "error": d.get("error"),
        "district": district_of(d),
        "title": (d.get("meta") or {}).get("title") or "",
        "report_date": d.get("report_date"),
        "scheme": d.get("scheme"),
        "classification_mode": d.get("classification_mode"),
        "severity": severity_counts(d),
        "severity_labels": SEVERITY_LABELS,
        "categories": category_counts(d),
        "findings": _findings_view(d),
        "coverage": _coverage_view(d),
        "covered": covered,
        "total": total,
        "legend": _legend(d),
        "n_quantities": len(d.get("quantities") or ()),
        "n_docnos": len(d.get("docnos") or ()),
        "n_passages": len(d.get("passages") or ()),
        "pages": list(range(1, len(d.get("page_starts") or [0]) + 1)) if text else [],
        "body": highlight(text, spans, points) if text else Markup(""),
    }
    return _environment().get_template("report.html.jinja").render(**context)


def render_index_html(reports: Reports, summary: dict[str, Any]) -> str:
    """``index.html``: all reports with status, counts and links; the cross-district summary."""
    rows = []
    for name, d in sorted(reports, key=lambda item: item[0]):
        covered, total = coverage_counts(d)
        rows.append(
            {
                "name": name, "href": report_href(name), "path": str((d.get("source") or {}).get("path") or ""),
                "district": district_of(d), "status": d.get("status"), "error": d.get("error"),
                "report_date": d.get("report_date") or "", "pages": (d.get("source") or {}).get("pages"),
                "severity": severity_counts(d), "findings": len(d.get("findings") or ()),
                "coverage": f"{covered}/{total}" if total else "",
            }
        )
    coverage = summary.get("coverage") or {}
    aspect_rows = [
        {"name": name, "href": report_href(name), "cells": [cells.get(a, [0, 0]) for a in coverage.get("aspects") or ()]}
        for name, cells in sorted((coverage.get("points_covered_per_aspect") or {}).items())
    ]
    context = {
        "rows": rows,
        "counts": summary.get("counts") or {},
        "scheme": summary.get("scheme"),
        "aspects": coverage.get("aspects") or [],
        "aspect_rows": aspect_rows,
        "duplicates": summary.get("near_duplicates") or {"pairs": []},
        "outliers": summary.get("outliers") or {"indicators": []},
        "severity_labels": SEVERITY_LABELS,
        "href": report_href,
        "safe_id": _safe_id,
    }
    return _environment().get_template("index.html.jinja").render(**context)
