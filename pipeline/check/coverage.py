"""Coverage rule: scheme points the classifier found no passage for."""

from __future__ import annotations

from collections.abc import Iterator

from .engine import CheckContext, Hit, rule


@rule("COV-POINT", "coverage", "info")
def check_uncovered_points(ctx: CheckContext) -> Iterator[Hit]:
    """A point of the evaluation scheme with no passage of the report (one info finding per point).

    Positive: coverage ``("A3.4", ())``. Negative: coverage ``("A3.4", ("p0012",))``.
    """
    classification = ctx.audit.classification
    if classification is None:
        return
    title_span: tuple[tuple[int, int], ...] = ()
    meta_title = ctx.audit.structure.meta.title
    if meta_title:
        found = ctx.text.find(meta_title)
        if found >= 0:
            title_span = ((found, found + len(meta_title)),)
    for point, passages in classification.coverage:
        if not passages:
            yield Hit(f"评价要点{point}在报告中没有找到对应的段落。", title_span, key=point)


RULES = (check_uncovered_points,)
