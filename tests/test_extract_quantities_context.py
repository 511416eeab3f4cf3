"""find_quantities where context decides the reading: money without 元 before a
preposition or verb, per-unit prefixes across bound words, enumerated numerals.

Our own example sentences (phrasing of several provinces), in both widths.
"""

from __future__ import annotations

import pytest

from pipeline.extract.quantities import find_quantities
from pipeline.records import Quantity


def one(text: str, surface: str) -> Quantity:
    """The single quantity whose span is ``surface``."""
    found = [q for q in find_quantities(text) if q.text == surface]
    assert len(found) == 1, [(q.text, q.kind, q.unit) for q in find_quantities(text)]
    return found[0]


def spans_hold(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


# --- 1. a 万/亿 sum without 元 before a preposition or verb --------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "approx"),
    [
        ("县财政列支350余万对9所村小进行改造。", "350余万", 3_500_000, "余"),
        ("县财政列支３５０余万对９所村小进行改造。", "３５０余万", 3_500_000, "余"),
        ("市级拨付1.2亿对薄弱学校实施改薄工程。", "1.2亿", 120_000_000, None),
        ("落实资金600万用于购置课桌椅。", "600万", 6_000_000, None),
        ("落实６００万用于购置课桌椅。", "６００万", 6_000_000, None),
        ("安排450万支持乡村学校少年宫建设。", "450万", 4_500_000, None),
        ("筹措800多万新建学生食堂。", "800多万", 8_000_000, "多"),
        ("支出90万分别用于两所幼儿园。", "90万", 900_000, None),
    ],
)
def test_money_implied_before_a_preposition_or_verb(text: str, surface: str, value: int, approx: str | None) -> None:
    q = one(text, surface)
    assert (q.kind, q.value, q.unit, q.unit_implied, q.approx) == ("money", value, "元", True, approx)
    spans_hold(text)


def test_the_classifier_after_the_money_is_not_swallowed() -> None:
    text = "县财政列支350余万对9所村小进行改造。"
    assert [q.text for q in find_quantities(text)] == ["350余万", "9所"]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("全县2.3万名学生享受营养改善计划。", "2.3万名", 23_000, "名"),
        ("投入资金资助２.３万名学生。", "２.３万名", 23_000, "名"),
        ("拨付资金惠及1.2万人。", "1.2万人", 12_000, "人"),
        ("投入经费购买5万余册图书。", "5万余册", 50_000, "册"),
        ("发放防疫物资，配发手套3万对。", "3万对", 30_000, "对"),  # no spending word: pairs
        ("开展结对帮扶1.5万对。", "1.5万对", 15_000, "对"),
    ],
)
def test_counts_stay_counts(text: str, surface: str, value: int, unit: str) -> None:
    q = one(text, surface)
    assert (q.kind, q.value, q.unit, q.unit_implied) == ("count", value, unit, False)


def test_money_written_with_yuan_is_not_implied() -> None:
    q = one("列支350余万元对9所村小进行改造。", "350余万元")
    assert (q.kind, q.unit, q.unit_implied) == ("money", "元", False)


def test_without_a_scale_the_follower_rule_does_not_apply() -> None:
    q = one("投入经费为帮扶家庭购置300对护膝。", "300对")
    assert (q.kind, q.unit) == ("count", "对")


# --- 2. per-unit prefixes across bound words and short verb phrases -----------


@pytest.mark.parametrize(
    ("text", "surface", "unit", "approx"),
    [
        ("乡村教师生活补助每月不低于500元。", "不低于500元", "元/月", "不低于"),
        ("乡村教师生活补助每月不低于５００元。", "不低于５００元", "元/月", "不低于"),
        ("乡村教师生活补助每月补助420元。", "420元", "元/月", None),
        ("寄宿生每生每年不少于1250元。", "不少于1250元", "元/生/年", "不少于"),
        ("寄宿生每生每年补助标准不低于1000元。", "不低于1000元", "元/生/年", "不低于"),
        ("寄宿生每生每年均不低于1000元。", "不低于1000元", "元/生/年", "不低于"),
        ("送教上门每人每次至少100元。", "至少100元", "元/人/次", "至少"),
        ("课后服务补贴每人每月最低300元。", "300元", "元/人/月", None),
        ("绩效工资每人每月达到800元。", "800元", "元/人/月", None),
        ("每校每年公用经费不低于5万元。", "不低于5万元", "元/校/年", "不低于"),
    ],
)
def test_per_unit_prefix_across_bound_words(text: str, surface: str, unit: str, approx: str | None) -> None:
    q = one(text, surface)
    assert (q.kind, q.unit, q.approx) == ("money", unit, approx)


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        # 月人均 / 人均 / 月均 right before the figure: the averaged unit, head first (like 每人每月)
        ("特岗教师工资月人均不低于4200元。", "不低于4200元", "元/人/月"),
        ("特岗教师工资月人均４２００元。", "４２００元", "元/人/月"),
        ("农村学生人均1500元。", "1500元", "元/人"),
        ("保育员工资月均3000元。", "3000元", "元/月"),
    ],
)
def test_average_prefix_gives_the_denominators(text: str, surface: str, unit: str) -> None:
    assert one(text, surface).unit == unit


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # a period-only prefix before a 万/亿 sum: the period's total, not a rate
        ("县财政每年投入3100余万元聘请保安。", "3100余万元"),
        ("每年预算不低于800万元的维修资金。", "不低于800万元"),
        ("每年至少安排200万元专项经费。", "200万元"),
        # a named budget line after 生均, not a rate
        ("生均公用经费1860.5万元。", "1860.5万元"),
        # too long a phrase between 每月 and the figure
        ("每月按时发放乡村教师生活补助不低于500元。", "不低于500元"),
        # no prefix at all
        ("补助标准均为500元。", "500元"),
    ],
)
def test_no_denominator_without_a_per_unit_prefix(text: str, surface: str) -> None:
    q = one(text, surface)
    assert (q.kind, q.unit) == ("money", "元")


def test_written_denominator_is_kept_on_a_scaled_sum() -> None:
    assert one("每年投入500万元/年。", "500万元/年").unit == "元/年"
    assert one("每生每年补助1.2万元。", "1.2万元").unit == "元/生/年"
    assert one("生活补助每月500元/月。", "500元/月").unit == "元/月"


def test_per_unit_prefix_applies_to_money_only() -> None:
    q = one("每学期专题研究不少于3次。", "不少于3次")
    assert (q.kind, q.unit) == ("count", "次")


# --- 3. a numeral glossed by a list of as many items ---------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("推行“三定”（定岗、定编、定员）管理。", "三定", 3),
        ("落实\"三定\"(定岗，定编，定员)管理。", "三定", 3),
        ("做到四到位（人员到位、经费到位、场地到位、责任到位）。", "四到位", 4),
        ("开展“五爱”（爱祖国、爱人民、爱劳动、爱科学、爱社会主义）教育。", "五爱", 5),
        ("坚持“两抓”（抓党建；抓业务）。", "两抓", 2),
    ],
)
def test_numeral_glossed_by_its_items_is_a_count(text: str, surface: str, value: int) -> None:
    q = one(text, surface)
    assert (q.kind, q.value, q.unit) == ("count", value, None)


@pytest.mark.parametrize(
    "text",
    [
        "推行“三定”（定岗、定编）管理。",  # two items for 三
        "推行“三定”管理。",  # no gloss
        "坚持“三对口”原则。",  # a slogan without a gloss
        "落实第四批（城东、城西、城南、城北）项目。",  # an ordinal
    ],
)
def test_numeral_without_a_matching_gloss_is_not_an_enumerated_count(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind == "count" and q.unit is None] == []


def test_classifier_before_a_gloss_keeps_its_unit() -> None:
    q = one("建成三个（城东、城西、城南）学区。", "三个")
    assert (q.kind, q.value, q.unit) == ("count", 3, "个")
