"""find_quantities on our own example sentences (styles of many provinces), both widths."""

from __future__ import annotations

import pytest

from pipeline.extract.quantities import find_quantities
from pipeline.records import Quantity


def one(text: str, surface: str) -> Quantity:
    """The single quantity whose span is ``surface``."""
    found = [q for q in find_quantities(text) if q.text == surface]
    assert len(found) == 1, [(q.text, q.kind) for q in find_quantities(text)]
    return found[0]


def surfaces(text: str) -> list[str]:
    return [q.text for q in find_quantities(text)]


def test_every_span_indexes_the_original_text() -> None:
    text = "全县投入教育经费３.５亿元，新建校舍１２,０００平方米，占比８５％。"
    quantities = find_quantities(text)
    assert quantities
    for q in quantities:
        assert text[q.start:q.end] == q.text
        assert q.page == 1


@pytest.mark.parametrize(
    ("text", "surface", "kind", "value", "unit", "scale"),
    [
        ("全县教育经费支出13.04亿元。", "13.04亿元", "money", 1304000000, "元", 100_000_000),
        ("全县教育经费支出１３.０４亿元。", "１３.０４亿元", "money", 1304000000, "元", 100_000_000),
        ("拨付专项资金169333万元。", "169333万元", "money", 1693330000, "元", 10_000),
        ("新建校舍18.06万平方米。", "18.06万平方米", "area", 180600, "平方米", 10_000),
        ("新增教育用地300亩。", "300亩", "area", 300, "亩", 1),
        ("发放资助申请表28,402份。", "28,402份", "count", 28402, "份", 1),
        ("发放资助申请表２８,４０２份。", "２８,４０２份", "count", 28402, "份", 1),
        ("共惠及9.76 万人。", "9.76 万人", "count", 97600, "人", 10_000),
        ("辍学率为0.85 %。", "0.85 %", "percent", 0.85, "%", 1),
        ("入园率达到９２.５％。", "９２.５％", "percent", 92.5, "%", 1),
        ("新增学位12450个。", "12450个", "count", 12450, "个", 1),
        ("采购设备527558台件套。", "527558台件套", "count", 527558, "台件套", 1),
    ],
)
def test_measured_quantities(text: str, surface: str, kind: str, value: float, unit: str, scale: int) -> None:
    q = one(text, surface)
    assert (q.kind, q.unit, q.scale) == (kind, unit, scale)
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "approx"),
    [
        ("累计投入1001万余元。", "1001万余元", 10010000, "元", "余"),
        ("印发告家长书19万余份。", "19万余份", 190000, "份", "余"),
        ("开展演练20余次。", "20余次", 20, "次", "余"),
        ("全省约320 多万师生参与。", "约320 多万", 3200000, "人", "约"),
        ("维修资金缺口约1000万元。", "约1000万元", 10000000, "元", "约"),
        ("新建校舍近130所。", "近130所", 130, "所", "近"),
        ("参训教师超过3000人次。", "超过3000人次", 3000, "人次", "超过"),
        ("每年预算不低于500万元。", "不低于500万元", 5000000, "元", "不低于"),
        ("每学期专题研究不少于2次。", "不少于2次", 2, "次", "不少于"),
        ("不足300名学生的村小。", "不足300名", 300, "名", "不足"),
    ],
)
def test_approximations_inside_the_span(text: str, surface: str, value: int, unit: str, approx: str) -> None:
    q = one(text, surface)
    assert (q.value, q.unit, q.approx) == (value, unit, approx)
    assert approx in q.qualifiers


@pytest.mark.parametrize(
    ("text", "surface", "approx", "qualifiers"),
    [
        ("招聘人员2000人以上。", "2000人", "以上", ("以上",)),
        ("补贴最低300元/月左右。", "300元/月", "左右", ("最低", "左右")),
        ("检查高达30余次。", "30余次", "余", ("高达", "余")),
        ("参与率仅有41.5%。", "41.5%", None, ("仅有",)),
    ],
)
def test_qualifiers_outside_the_span(text: str, surface: str, approx: str | None, qualifiers: tuple[str, ...]) -> None:
    q = one(text, surface)
    assert q.approx == approx
    assert q.qualifiers == qualifiers


def test_money_unit_implied_only_from_money_context() -> None:
    money = one("投资2300余万新建实训楼。", "2300余万")
    assert (money.kind, money.value, money.unit, money.unit_implied) == ("money", 23000000, "元", True)
    written = one("投资2300余万元新建实训楼。", "2300余万元")
    assert written.unit_implied is False
    people = one("全县常住人口68万。", "68万")
    assert people.kind != "money" and people.unit_implied is False


def test_person_noun_implies_people() -> None:
    q = one("不足200学生的学校按200名核定。", "不足200")
    assert (q.kind, q.value, q.unit, q.unit_implied) == ("count", 200, "人", True)


def test_percent_versus_percentage_points() -> None:
    text = "毛入园率下降0.48个百分点，巩固率提高到96.3%。"
    point = one(text, "0.48个百分点")
    assert (point.kind, point.value) == ("percentage_point", 0.48)
    assert one(text, "96.3%").kind == "percent"
    assert one("占比达到百分之五十。", "百分之五十").value == 50


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("小学师生比为1:13.5。", "1:13.5", (1, 13.5)), ("初中生师比为1∶15。", "1∶15", (1, 15)),
     ("生师比１：１２。", "１：１２", (1, 12))],
)
def test_ratios(text: str, surface: str, value: tuple) -> None:
    q = one(text, surface)
    assert (q.kind, q.value) == ("ratio", value)


def test_clock_time_is_not_a_ratio() -> None:
    q = one("会议于下午2:30召开。", "2:30")
    assert q.kind == "other" and q.value is None


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("每校配备3—4个功能室。", "3—4个", (3, 4), "个"),
        ("估算需投入9亿～16亿元。", "9亿～16亿元", (900_000_000, 1_600_000_000), "元"),
        ("覆盖0-18岁儿童。", "0-18岁", (0, 18), "岁"),
    ],
)
def test_ranges(text: str, surface: str, value: tuple, unit: str) -> None:
    q = one(text, surface)
    assert (q.kind, q.value, q.unit) == ("range", value, unit)


def test_per_unit_figures_keep_the_denominator() -> None:
    assert one("生活补助标准为500元/月。", "500元/月").unit == "元/月"
    assert one("寄宿生每生每年600元。", "600元").unit == "元/生/年"
    assert one("寄宿生每生每年补助1000元。", "1000元").unit == "元/生/年"
    assert one("共补助1000元。", "1000元").unit == "元"


def test_multiplier_is_other_with_unit_bei() -> None:
    q = one("在校生人数增长1.5倍。", "1.5倍")
    assert (q.kind, q.value, q.unit) == ("other", 1.5, "倍")


def test_n_times_100_percent_is_a_count_and_a_percent() -> None:
    text = "各校均达到6个100%的要求。"
    assert (one(text, "6个").kind, one(text, "6个").value) == ("count", 6)
    assert (one(text, "100%").kind, one(text, "100%").value) == ("percent", 100)


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("组建两支志愿服务队伍。", "两支", 2, "支"),
        ("建成七所寄宿制学校。", "七所", 7, "所"),
        ("实施四大提升工程。", "四大", 4, None),
        ("不让一个孩子掉队。", "一个", 1, "个"),
        ("新建学位一万二千个。", "一万二千个", 12000, "个"),
    ],
)
def test_chinese_numeral_counts(text: str, surface: str, value: int, unit: str | None) -> None:
    q = one(text, surface)
    assert (q.kind, q.value, q.unit) == ("count", value, unit)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("一、基本情况", "一、", 1), ("（三）存在问题", "（三）", 3), ("（２）完善制度", "（２）", 2),
     ("4．规范办学", "4．", 4), ("工作中，二是加强考核", "二是", 2), ("落实第一责任人", "第一", 1),
     ("获市级二等奖", "二等", 2)],
)
def test_list_markers_are_ordinals(text: str, surface: str, value: int) -> None:
    q = one(text, surface)
    assert (q.kind, q.value) == ("ordinal", value)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("编制“十四五”教育规划。", "十四五", 14), ("坚持“五育并举”。", "五育", 5),
     ("实行师德一票否决。", "一票", 1), ("城关一中扩建。", "一", 1)],
)
def test_numerals_in_names_are_other(text: str, surface: str, value: int) -> None:
    q = one(text, surface)
    assert (q.kind, q.value) == ("other", value)


def test_phone_numbers_and_versions() -> None:
    text = "联系电话：13812345678，实施能力提升2.0工程。"
    phone = one(text, "13812345678")
    assert (phone.kind, phone.value) == ("other", None)
    version = one(text, "2.0")
    assert (version.kind, version.value) == ("version", "2.0")


@pytest.mark.parametrize(
    "text",
    [
        "进一步统一思想，深入一线调研，一般性支出压减。",
        "校外培训机构已全面清零，落实“双减”要求。",
        "组织建设、队伍建设和制度建设一体推进。",
        "发放一次性补助，关心每一位教师，形成单一模式。",
        "由区长王一清牵头。",
    ],
)
def test_numerals_inside_words_are_not_quantities(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind not in ("ordinal",)] == []


def test_dates_years_and_docnos_are_left_to_their_extractors() -> None:
    text = "按照2021-2025年规划，于2022年9月印发（渝教发〔2022〕18号），10月8日召开。"
    assert surfaces(text) == []


def test_reserved_spans_are_not_emitted() -> None:
    text = "共有学校35所，教师800名。"
    start = text.index("35所")
    assert "35所" in surfaces(text)
    kept = [q.text for q in find_quantities(text, reserved_spans=[(start, start + 3)])]
    assert kept == ["800名"]


def test_subject_is_copied_from_the_text() -> None:
    text = "全区新增学位3000个。"
    q = one(text, "3000个")
    assert q.subject is not None and q.subject in text


def test_output_is_deterministic_and_sorted() -> None:
    text = "一是投入资金500万元，二是新建校舍2万平方米，覆盖率100%。"
    first, second = find_quantities(text), find_quantities(text)
    assert first == second
    assert [q.start for q in first] == sorted(q.start for q in first)


@pytest.mark.parametrize(
    "hostile",
    ["一" * 20000, "111 " * 5000, "1:" * 8000, "（一）" * 4000, "1,111" * 4000, "每生" * 8000 + "600元"],
)
def test_hostile_input_stays_fast(hostile: str) -> None:
    import time

    started = time.perf_counter()
    find_quantities(hostile)
    assert time.perf_counter() - started < 3.0


@pytest.mark.parametrize("text", ["加强青年教师队伍年龄结构调整", "鼓励退伍军人到校任教", "各项工作陆续推开"])
def test_quantities_lone_capital_numeral_is_part_of_a_word(text: str) -> None:
    assert [q for q in find_quantities(text) if q.kind in ("duration", "count", "money")] == []


def test_quantities_ordinary_numeral_before_the_same_unit_still_counts() -> None:
    (duration,) = [q for q in find_quantities("实施五年行动计划") if q.kind == "duration"]
    assert duration.value == 5 and duration.text == "五年"


def test_clause_windows_end_at_the_nearest_delimiter():
    """_preceding/_clause_before keep what follows the last delimiter, _following what precedes the first."""
    import random

    from pipeline.extract import quantities as q

    def after_last(window: str, delimiters: str) -> str:
        return window[max(window.rfind(c) for c in delimiters) + 1:]

    rng = random.Random(3)
    alphabet = q.CLAUSE_DELIMITERS + q.TOP_DELIMITERS + "，,ab中文"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for at in range(len(text) + 1):
            assert q._preceding(text, at, 12) == after_last(text[max(0, at - 12):at], q.CLAUSE_DELIMITERS)
            assert q._clause_before(text, at) == after_last(text[max(0, at - 30):at], q.TOP_DELIMITERS + "，,")
            window = text[at:at + 12]
            firsts = [i for i in (window.find(c) for c in q.CLAUSE_DELIMITERS) if i >= 0]
            assert q._following(text, at) == (window[:min(firsts)] if firsts else window)
