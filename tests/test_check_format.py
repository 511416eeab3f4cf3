"""Format rules on our own examples."""

from __future__ import annotations

from test_check_engine import findings_of


def test_fmt_title_nest_ascii_angle() -> None:
    (finding,) = findings_of("印发《关于落实<县域规划>的实施方案》。", "FMT-TITLE-NEST")
    assert finding.severity == "info" and "<县域规划>" in finding.evidence[0].quote
    assert findings_of("印发《关于落实〈县域规划〉的实施方案》。", "FMT-TITLE-NEST") == []


def test_fmt_bracket_unbalanced() -> None:
    (finding,) = findings_of("全面落实“双减政策，减轻学生负担。", "FMT-BRACKET")
    assert "“" in finding.evidence[0].quote
    assert findings_of("全面落实“双减”政策（试行），减轻学生负担。", "FMT-BRACKET") == []


def test_fmt_percentage_points_written_as_percent() -> None:
    (finding,) = findings_of("体质健康合格率由80.5%提高到95.5%，提高15%。", "FMT-PCT-POINT")
    assert finding.category == "format"
    assert findings_of("体质健康合格率由80.5%提高到95.5%，提高15个百分点。", "FMT-PCT-POINT") == []


def test_fmt_range_missing_first_scale() -> None:
    (finding,) = findings_of("计划投入9～16亿元建设新校区。", "FMT-RANGE")
    assert "9～16亿元" in finding.evidence[0].quote
    assert findings_of("计划投入9亿～16亿元建设新校区，服务0-18岁儿童。", "FMT-RANGE") == []


def test_fmt_unit_missing() -> None:
    (finding,) = findings_of("投资600余万改造操场。", "FMT-UNIT-MISSING")
    assert finding.evidence[0].quote == "600余万"
    assert findings_of("投资600余万元改造操场。", "FMT-UNIT-MISSING") == []


def test_fmt_heading_gap() -> None:
    gap = "一、总体情况\n全县学校56所。\n二、主要做法\n加强保障。\n四、存在问题\n经费不足。\n"
    (finding,) = findings_of(gap, "FMT-HEADING-SEQ")
    assert (finding.expected, finding.observed) == (3, 4)
    assert findings_of(gap.replace("四、", "三、"), "FMT-HEADING-SEQ") == []
