"""summary.json: the cross-district view of a batch, derived from report dicts only.

* per report: status, district, findings by severity and category, coverage k/n;
* coverage matrix: reports x scheme points (passage counts) and reports x aspects;
* near-duplicate passages across different reports (text copied between districts);
* figures that are outliers across districts for the same indicator (robust z-score).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from statistics import median
from typing import Any

from pipeline.export.report_json import (
    category_counts,
    coverage_counts,
    district_of,
    finding_totals,
    natural_key,
    severity_counts,
)
from pipeline.matching import similar_pairs, similarity
from pipeline.normalize import fold

SUMMARY_SCHEMA = "dutyaudit/summary@1"
DUPLICATE_THRESHOLD = 90.0  # rapidfuzz fuzz.ratio (normalised Indel similarity), 0-100
DUPLICATE_MIN_CHARS = 30
MAX_PASSAGES_PER_REPORT = 600  # bound the work per report (longest passages kept)
SHINGLE_CHARS = 6  # blocking for the near-duplicate search: candidate pairs share rare 6-grams
MIN_SHARED_SHINGLES = 3
MAX_POSTING = 64  # a shingle in more passages than this says nothing about copying
EXCERPT_CHARS = 160
OUTLIER_MIN_REPORTS = 4
OUTLIER_Z = 3.5

# indicator -> (keywords found in the quantity's subject or just before it, comparable kinds, plausible
# range of a level in the base unit). Totals (17857万元 of 生均公用经费) fall outside the range.
INDICATORS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[float, float]], ...] = (
    ("生均公用经费", ("生均公用经费",), ("money",), (100, 50_000)),
    ("教师平均工资", ("教师平均工资", "教师年平均工资", "教师工资"), ("money",), (10_000, 1_000_000)),
    ("公务员平均工资", ("公务员平均工资", "公务员年平均工资", "公务员工资"), ("money",), (10_000, 1_000_000)),
    ("学前教育毛入园率", ("毛入园率",), ("percent",), (0, 100)),
    ("普惠性幼儿园覆盖率", ("普惠性幼儿园覆盖率", "普惠率"), ("percent",), (0, 100)),
    ("义务教育巩固率", ("巩固率",), ("percent",), (0, 100)),
    ("高中阶段毛入学率", ("毛入学率",), ("percent",), (0, 100)),
)
# the same indicators by the kind of quantity they compare (in INDICATORS order)
_INDICATORS_BY_KIND: dict[str, tuple[tuple[str, tuple[str, ...], tuple[float, float]], ...]] = {
    kind: tuple((name, keywords, bounds) for name, keywords, kinds, bounds in INDICATORS if kind in kinds)
    for kind in sorted({kind for _, _, kinds, _ in INDICATORS for kind in kinds})
}
# words between the indicator and the figure that make the figure a difference or a total, not a level
_NOT_A_LEVEL = ("高于", "低于", "高出", "超出", "增长", "增加", "减少", "下降", "提高", "提升", "总计", "合计", "共计", "差距")
_CONTEXT_CHARS = 24
_CLAUSE_BREAK = re.compile(r"[。；;！？!?\n]")
_SPACES = re.compile(r"\s+")

Reports = Sequence[tuple[str, dict[str, Any]]]


def _norm(text: str) -> str:
    return _SPACES.sub("", fold(text))


def _r(value: float) -> float:
    return round(float(value), 4)


# --- per report and coverage ---------------------------------------------------


def _report_entry(name: str, d: dict[str, Any]) -> dict[str, Any]:
    covered, total = coverage_counts(d)
    source = d.get("source") or {}
    err = d.get("error") or {}
    return {
        "name": name,
        "path": source.get("path"),
        "sha256": source.get("sha256"),
        "status": d.get("status"),
        "error_code": err.get("code"),
        "error_message": err.get("message"),
        "district": district_of(d),
        "report_date": d.get("report_date"),
        "pages": source.get("pages"),
        "findings": len(d.get("findings") or ()),
        "findings_by_severity": severity_counts(d),
        "findings_by_category": category_counts(d),
        "covered_points": covered,
        "total_points": total,
        "coverage": f"{covered}/{total}" if total else "",
    }


def _aspect_of(point: str) -> str:
    return point.split(".", 1)[0]


def coverage_matrix(reports: Reports) -> dict[str, Any]:
    """Reports x points (number of passages filed under each point) and reports x aspects [covered, total]."""
    points: set[str] = set()
    for _, d in reports:
        points.update((d.get("coverage") or {}).keys())
    ordered = sorted(points, key=natural_key)
    aspects = sorted({_aspect_of(p) for p in ordered}, key=natural_key)
    by_point: dict[str, dict[str, int]] = {}
    by_aspect: dict[str, dict[str, list[int]]] = {}
    for name, d in reports:
        cov = d.get("coverage") or {}
        if d.get("status") != "ok" or not cov:
            continue
        by_point[name] = {p: len(cov.get(p) or ()) for p in ordered}
        cells: dict[str, list[int]] = {a: [0, 0] for a in aspects}
        for p in ordered:
            cell = cells[_aspect_of(p)]
            cell[1] += 1
            cell[0] += 1 if cov.get(p) else 0
        by_aspect[name] = cells
    return {"points": ordered, "aspects": aspects, "passages_per_point": by_point, "points_covered_per_aspect": by_aspect}


# --- near-duplicate passages ---------------------------------------------------


def _candidates(d: dict[str, Any], min_chars: int, norms: dict[str, str]) -> list[dict[str, Any]]:
    """Passages long enough to compare; ``norms`` memoises ``_norm`` across the batch's reports."""
    text = d.get("text") or ""
    found = []
    for p in d.get("passages") or ():
        if p.get("kind") == "heading":
            continue
        start, end = int(p["start"]), int(p["end"])
        surface = text[start:end]
        norm = norms.get(surface)
        if norm is None:
            norm = norms[surface] = _norm(surface)
        if len(norm) < min_chars:
            continue
        found.append({"passage": p["id"], "start": start, "end": end, "page": p.get("page", 1), "surface": surface, "norm": norm})
    if len(found) > MAX_PASSAGES_PER_REPORT:
        keep = sorted(range(len(found)), key=lambda i: (-len(found[i]["norm"]), i))[:MAX_PASSAGES_PER_REPORT]
        found = [found[i] for i in sorted(keep)]
    return found


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _shingles(text: str) -> set[str]:
    return {text[i : i + SHINGLE_CHARS] for i in range(max(1, len(text) - SHINGLE_CHARS + 1))}


def _candidate_text_pairs(texts: list[str], reports_of: list[set[str]], boiler_min: int) -> list[tuple[int, int]]:
    """Pairs of distinct texts worth comparing: they share rare shingles (blocking, not all pairs).

    A shingle found in ``boiler_min`` or more reports is shared wording and blocks nothing; a
    shingle with a very long posting list is skipped too, so the work grows with the batch, not
    with its square. Near-identical passages share many rare shingles, so no real copy is lost.
    """
    texts_with: dict[str, list[int]] = {}  # shingle -> the texts holding it, ascending
    for i, text in enumerate(texts):
        for shingle in _shingles(text):
            texts_with.setdefault(shingle, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in texts_with.values():
        # lengths first: most shingles are in one text, and then no report set needs merging
        if len(ids) < 2 or len(ids) > MAX_POSTING:
            continue
        if len(set().union(*(reports_of[i] for i in ids))) >= boiler_min:
            continue
        shared.update(combinations(ids, 2))
    return sorted(pair for pair, count in shared.items() if count >= MIN_SHARED_SHINGLES)


def _cross_report_pairs(left: list[int], right: list[int], nodes: list[tuple[str, Any]], same: bool) -> int:
    """How many passage pairs from different reports two groups make (counted, not listed)."""
    per_left: dict[str, int] = {}
    per_right: dict[str, int] = {}
    for k in left:
        per_left[nodes[k][0]] = per_left.get(nodes[k][0], 0) + 1
    for k in right:
        per_right[nodes[k][0]] = per_right.get(nodes[k][0], 0) + 1
    if same:
        total = len(left) * (len(left) - 1) // 2
        return total - sum(c * (c - 1) // 2 for c in per_left.values())
    return len(left) * len(right) - sum(c * per_right.get(r, 0) for r, c in per_left.items())


def near_duplicates(
    reports: Reports,
    reference_texts: Sequence[str] = (),
    threshold: float = DUPLICATE_THRESHOLD,
    min_chars: int = DUPLICATE_MIN_CHARS,
) -> dict[str, Any]:
    """Passages of different reports that are near-identical (after folding and removing whitespace).

    Identical passages are grouped by their text; distinct texts are compared (rapidfuzz ratio) only
    when they share rare shingles. A group of matching passages that spans at least
    ``max(3, ceil(n/2))`` reports is boilerplate (shared wording) and is ignored; so is a passage
    near-identical to one of ``reference_texts`` (the scheme's point names and descriptions).
    """
    ok = sorted(((n, d) for n, d in reports if d.get("status") == "ok"), key=lambda item: item[0])
    boiler_min = max(3, math.ceil(len(ok) / 2))
    refs = [_norm(t) for t in reference_texts if t and _norm(t)]
    norms: dict[str, str] = {}  # copied passages (and copied reports) are folded once
    candidates = [(name, c) for name, d in ok for c in _candidates(d, min_chars, norms)]
    scheme_like = 0
    if refs and candidates:
        # each distinct text is compared with the scheme once, however many reports repeat it
        distinct = sorted({c["norm"] for _, c in candidates})
        near_ref = {distinct[i] for i, _, _ in similar_pairs(distinct, refs, threshold)}
        scheme_like = sum(1 for _, c in candidates if c["norm"] in near_ref)
        candidates = [(name, c) for name, c in candidates if c["norm"] not in near_ref]
    nodes: list[tuple[str, dict[str, Any]]] = candidates  # (report, candidate)

    members: dict[str, list[int]] = {}  # distinct text -> its passages
    for k, (_, cand) in enumerate(nodes):
        members.setdefault(cand["norm"], []).append(k)
    texts = sorted(members)
    reports_of = [{nodes[k][0] for k in members[t]} for t in texts]
    edges = [(i, i, 100.0) for i in range(len(texts)) if len(reports_of[i]) > 1]  # identical across reports
    for i, j in _candidate_text_pairs(texts, reports_of, boiler_min):
        score = similarity(texts[i], texts[j])
        if score >= threshold:
            edges.append((i, j, score))

    parent = list(range(len(texts)))
    for i, j, _ in edges:
        ri, rj = _find(parent, i), _find(parent, j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    group_reports: dict[int, set[str]] = {}
    for i, reports_here in enumerate(reports_of):
        group_reports.setdefault(_find(parent, i), set()).update(reports_here)

    pairs = []
    boilerplate_pairs = 0
    for i, j, score in edges:
        left, right = members[texts[i]], members[texts[j]]
        if len(group_reports[_find(parent, i)]) >= boiler_min:
            boilerplate_pairs += _cross_report_pairs(left, right, nodes, same=i == j)
            continue
        cross = [(a, b) for a in left for b in right if nodes[a][0] != nodes[b][0] and (i != j or a < b)]
        for a, b in cross:
            first, second = sorted((a, b), key=lambda k: (nodes[k][0], nodes[k][1]["start"]))
            pairs.append({"score": _r(score), "a": _side(*nodes[first]), "b": _side(*nodes[second])})
    pairs.sort(key=lambda p: (p["a"]["report"], p["a"]["start"], p["b"]["report"], p["b"]["start"]))
    return {
        "method": "rapidfuzz fuzz.ratio over passages folded (full-width -> ASCII) with whitespace removed; "
        "identical passages grouped by text, other candidates blocked by shared rare 6-character shingles; "
        "pairs from different reports only; groups spanning >= boilerplate_min_reports reports are boilerplate; "
        "passages near-identical to the scheme's point names/descriptions are ignored",
        "threshold": _r(threshold),
        "min_chars": min_chars,
        "boilerplate_min_reports": boiler_min,
        "boilerplate_pairs_ignored": boilerplate_pairs,
        "scheme_like_passages_ignored": scheme_like,
        "max_passages_per_report": MAX_PASSAGES_PER_REPORT,
        "pairs": pairs,
    }


def _side(report: str, cand: dict[str, Any]) -> dict[str, Any]:
    surface = cand["surface"]
    excerpt = surface if len(surface) <= EXCERPT_CHARS else surface[:EXCERPT_CHARS] + "…"
    return {"report": report, "passage": cand["passage"], "start": cand["start"], "end": cand["end"], "page": cand["page"], "excerpt": excerpt}


# --- outliers ------------------------------------------------------------------


def _context_before(text: str, start: int) -> str:
    window = text[max(0, start - _CONTEXT_CHARS) : start]
    parts = _CLAUSE_BREAK.split(window)
    return parts[-1] if parts else ""


def _states_level(keywords: Sequence[str], subject: str, before: str) -> bool:
    for keyword in keywords:
        at = before.rfind(keyword)
        if at >= 0:
            return not any(word in before[at + len(keyword) :] for word in _NOT_A_LEVEL)
    return any(keyword in subject for keyword in keywords)


def indicator_values(d: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """First quantity in text order for each indicator of ``INDICATORS`` that the report states as a level."""
    text = d.get("text") or ""
    found: dict[str, dict[str, Any]] = {}
    # only kinds some indicator compares can state one; filtering before the stable sort keeps text order
    comparable = [q for q in d.get("quantities") or () if q.get("kind") in _INDICATORS_BY_KIND]
    for q in sorted(comparable, key=lambda q: (q["start"], q["end"])):
        value = q.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        # the context is read only for the few quantities whose kind and value fit an indicator
        fitting = [
            (indicator, keywords) for indicator, keywords, (low, high) in _INDICATORS_BY_KIND.get(q.get("kind"), ())
            if indicator not in found and low <= value <= high
        ]
        if not fitting:
            continue
        subject = q.get("subject") or ""
        before = _context_before(text, int(q["start"]))
        for indicator, keywords in fitting:
            if _states_level(keywords, subject, before):
                found[indicator] = {
                    "value": value, "unit": q.get("unit"), "kind": q.get("kind"), "text": q.get("text"),
                    "start": q["start"], "end": q["end"], "page": q.get("page", 1),
                }
    return found


def _robust_z(values: list[float]) -> tuple[float, float, list[float] | None, str]:
    med = median(values)
    deviations = [abs(v - med) for v in values]
    mad = median(deviations)
    if mad > 0:
        return med, mad, [0.6745 * (v - med) / mad for v in values], "mad"
    mean_ad = sum(deviations) / len(deviations)
    if mean_ad > 0:
        return med, mad, [(v - med) / (1.253314 * mean_ad) for v in values], "mean_ad"
    return med, mad, None, "none"


def outliers(reports: Reports, min_reports: int = OUTLIER_MIN_REPORTS, z_threshold: float = OUTLIER_Z) -> dict[str, Any]:
    """Per indicator: the values the reports give, robust z-scores and the outliers (|z| > threshold)."""
    values_by_indicator: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, d in sorted(reports, key=lambda item: item[0]):
        if d.get("status") != "ok":
            continue
        for indicator, item in indicator_values(d).items():
            values_by_indicator.setdefault(indicator, []).append((name, item))
    indicators = []
    for indicator, *_ in INDICATORS:
        given = values_by_indicator.get(indicator) or []
        entry: dict[str, Any] = {"indicator": indicator, "reports": len(given), "compared": len(given) >= min_reports}
        rows = [{"report": n, **item} for n, item in given]
        if entry["compared"]:
            med, mad, zs, scale = _robust_z([float(r["value"]) for r in rows])
            entry.update({"median": _r(med), "mad": _r(mad), "scale": scale})
            for row, z in zip(rows, zs or [0.0] * len(rows)):
                row["z"] = _r(z)
                row["outlier"] = zs is not None and abs(z) > z_threshold
        if given:
            entry["values"] = rows
            entry["outliers"] = [r["report"] for r in rows if r.get("outlier")]
            indicators.append(entry)
    return {
        "method": "robust z-score z = 0.6745 * (x - median) / MAD (MAD = median absolute deviation; "
        "when MAD is 0: (x - median) / (1.253314 * mean absolute deviation)); |z| > z_threshold is an outlier; "
        "an indicator is compared only when at least min_reports reports state it; each report's first "
        "figure stating that indicator as a level (named by its subject or the words just before it, within a "
        "plausible range, not a difference or a total) is used",
        "min_reports": min_reports,
        "z_threshold": z_threshold,
        "indicators": indicators,
    }


# --- the whole summary ---------------------------------------------------------


def build_summary(
    reports: Reports,
    *,
    scheme: str | None = None,
    reference_texts: Sequence[str] = (),
    threshold: float = DUPLICATE_THRESHOLD,
) -> dict[str, Any]:
    """summary.json content (deterministic: no timings, stable ordering)."""
    ordered = sorted(reports, key=lambda item: item[0])
    by_severity, by_category = finding_totals(d for _, d in ordered)
    return {
        "schema": SUMMARY_SCHEMA,
        "scheme": scheme,
        "reports": [_report_entry(n, d) for n, d in ordered],
        "counts": {
            "reports": len(ordered),
            "ok": sum(1 for _, d in ordered if d.get("status") == "ok"),
            "failed": sum(1 for _, d in ordered if d.get("status") != "ok"),
            "findings_by_severity": by_severity,
            "findings_by_category": dict(sorted(by_category.items())),
        },
        "coverage": coverage_matrix(ordered),
        "near_duplicates": near_duplicates(ordered, reference_texts, threshold),
        "outliers": outliers(ordered),
    }
