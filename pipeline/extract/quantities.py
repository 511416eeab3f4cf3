"""Numeric mentions of a report: money, counts, percents, areas and the rest.

``find_quantities(text, reserved_spans)`` returns every numeric mention except
dates, years and the parts of document numbers (``pipeline.extract.dates`` and
``docnos`` emit those). Conventions follow ``../shared/gold/README.md``:

* the span holds an in-front bound word (约, 超过, 不低于 …), the number, 万/亿,
  余/多 and the unit; emphasis words before (高达, 最低, 仅有) and 以上/左右 after
  are recorded in ``qualifiers`` / ``approx`` but left out of the span;
* values are in base units (元, 平方米, the classifier); ``scale`` is the
  written 万/亿 multiplier;
* list markers (一、 （一） 1． 一是 第一) are kind ``ordinal``; numerals in
  slogans and names (五育并举, 十四五, 一票否决) are kind ``other``;
* a multiplier (增长1.5倍) is kind ``other`` with unit 倍: it is neither a count
  nor a percent, and checks must not add it to either;
* a per-unit figure keeps the denominator in the unit: ``500元/月`` -> 元/月,
  ``每生每年600元`` -> 元/生/年, also across a bound word or a short phrase
  (``每月不低于500元`` -> 元/月, ``每人每月最低300元`` -> 元/人/月); an average
  prefix right before the figure counts too (``月人均不低于2000元`` -> 元/人/月),
  but not a budget line named after it (``生均公用经费2103.74万元`` -> 元); a
  万/亿 sum after a period-only prefix is that period's total (``每年投入2700余万元``
  -> 元), a denominator written after the figure is always kept;
* a 万/亿 figure without 元 is money (``unit_implied``) when its clause speaks
  of money, and also when a spending word precedes it and a preposition or verb
  follows it, even one that reads like a classifier (``列支280余万对12所学校``:
  对 is "to", not "pairs"); counts keep their classifier (``2.3万名学生``);
* a numeral glossed right after by a list of exactly that many items counts
  them (``“四带”（带制度、思想、组织、队伍建设）`` -> count 4, unit None).

Matching runs on a folded view of the text (full-width digits and ％ become
ASCII; the Chinese comma is kept so that it never reads as a thousands
separator); every span is an offset range of the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pipeline.extract.numbers import CHINESE_NUMERAL_CHARS, parse_arabic_decimal, parse_chinese, to_number
from pipeline.extract.prefilter import DIGIT_RUN_START, NUMBER_START, Prefiltered, one_of
from pipeline.normalize import FOLD_TABLE, char_translator
from pipeline.records import Quantity

# --- data tables ------------------------------------------------------------

# unit as written -> (kind, base unit, factor to the base unit)
MEASURE_UNITS: dict[str, tuple[str, str, int]] = {
    "元": ("money", "元", 1),
    "平方米": ("area", "平方米", 1),
    "平米": ("area", "平方米", 1),
    "㎡": ("area", "平方米", 1),
    "平方公里": ("area", "平方米", 1_000_000),
    "公顷": ("area", "平方米", 10_000),
    "亩": ("area", "亩", 1),
    "%": ("percent", "%", 1),
    "个百分点": ("percentage_point", "百分点", 1),
    "百分点": ("percentage_point", "百分点", 1),
    "个月": ("duration", "月", 1),
    "年": ("duration", "年", 1),
    "周年": ("duration", "年", 1),
    "天": ("duration", "天", 1),
    "小时": ("duration", "小时", 1),
    "学时": ("duration", "学时", 1),
    "课时": ("duration", "课时", 1),
    "个学期": ("duration", "学期", 1),
    "年级": ("ordinal", "年级", 1),
    "倍": ("other", "倍", 1),
    "兆": ("other", "兆", 1),
    "M": ("other", "M", 1),
    "G": ("other", "G", 1),
    "‰": ("other", "‰", 1),
    "岁": ("other", "岁", 1),
}

# Classifiers after an Arabic number: kind count, unit = the classifier.
ARABIC_CLASSIFIERS: tuple[str, ...] = (
    "台件套", "人次", "场次", "批次", "台套", "个", "所", "名", "人", "位", "次", "场", "份", "册", "本",
    "间", "套", "台", "件", "块", "支", "项", "家", "座", "辆", "张", "条", "处", "户", "门", "篇",
    "节", "期", "批", "类", "种", "届", "轮", "园", "校", "班", "卷", "部", "幅", "棵", "架", "栋",
    "幢", "分", "课", "首", "组", "队", "对", "片", "点", "米", "公里", "千米", "吨", "册次", "学分",
)
# Classifiers after a Chinese numeral: fewer, because 一 + character is so often a word.
CHINESE_CLASSIFIERS: tuple[str, ...] = (
    "个", "所", "名", "位", "项", "支", "间", "套", "台", "件", "块", "次", "场", "份", "册", "本",
    "张", "条", "家", "座", "辆", "类", "批", "种", "届", "轮", "大", "人", "户", "处", "卷", "篇",
)

# Before the number and inside the span.
BOUND_WORDS: tuple[str, ...] = ("不低于", "不少于", "不超过", "超过", "不足", "不到", "大约", "将近", "至少", "约", "近", "逾")
# Before the number, outside the span (emphasis or part of the subject).
EMPHASIS_WORDS: tuple[str, ...] = ("高达", "多达", "最低", "最高", "仅有", "仅占", "只有", "仅")
# Words between a per-unit prefix and its figure that do not count towards MAX_PER_UNIT_GAP.
PER_UNIT_GAP_WORDS: tuple[str, ...] = BOUND_WORDS + EMPHASIS_WORDS + ("达到", "提高到", "提高至", "均")
# After the unit, outside the span.
TRAILING_WORDS: tuple[str, ...] = ("以上", "以下", "以内", "左右", "上下")
APPROX_WORDS: frozenset[str] = frozenset(
    {"余", "多", "约", "大约", "近", "将近", "逾", "超过", "以上", "以下", "以内", "不低于", "不少于", "不超过",
     "不足", "不到", "左右", "上下", "至少"}
)

# A number without a unit written before one of these nouns counts people.
PERSON_NOUNS: tuple[str, ...] = ("学生", "教师", "幼儿", "儿童", "师生", "老师", "职工", "干部", "家长", "学子", "人员")
PERSON_UNIT = "人"
# A 万/亿 figure without a unit is money when its clause speaks of money.
MONEY_CUES: tuple[str, ...] = (
    "投资", "投入", "资金", "经费", "拨付", "预算", "补助", "补贴", "奖励", "筹措", "支出", "耗资", "安排", "资助",
    "列支",
)
# Spending words that make a 万/亿 figure money when a MONEY_FOLLOWERS word comes
# right after it (列支280余万对12所学校…, 落实300万用于…). The follower is extra
# evidence, so this list may hold words (落实, 争取) too loose for a bare figure.
SPENDING_CUES: tuple[str, ...] = MONEY_CUES + (
    "落实", "下达", "划拨", "拨款", "筹集", "奖补", "争取", "统筹", "整合", "募集", "捐资",
)
# Prepositions and verbs that follow a sum of money whose 元 was left out. Some
# start with a character that is also a classifier (对: pairs, 支, 分): after a
# 万/亿 figure and a spending word, 280余万对12所学校 is 280余万(元) 对 …, not
# 2,800,000 pairs. Counts keep their classifier: 2.3万名学生, 1.2万人, 5万余册图书.
MONEY_FOLLOWERS: tuple[str, ...] = (
    "对", "用于", "用作", "用来", "专项用于", "分别用于", "主要用于", "全部用于", "改造", "改建", "扩建", "新建", "建设",
    "兴建", "修建", "维修", "修缮", "购置", "采购", "购买", "添置", "配备", "装备", "更新", "升级", "实施", "开展",
    "推进", "打造", "建成", "完成", "支持", "支付", "资助", "补助", "奖励", "保障", "解决", "聘请", "为", "给予",
    "帮助", "提升", "整治",
)
# Denominators of per-unit figures (每生每年600元, 500元/月).
PER_UNIT_WORDS: tuple[str, ...] = ("生", "人", "年", "月", "天", "日", "次", "学期", "课时", "学时", "小时", "校", "班", "所", "平方米")
# Denominators that are periods of time. A 万/亿 sum after a period-only prefix
# is that period's total, not a rate: 每年投入2700余万元 and 每年预算不低于1000万元
# keep unit 元 (as the gold does), while 每月补助420元 is 元/月 and 每生每年1.2万元
# (a per-head standard) is 元/生/年. A denominator written after the figure
# (500万元/年) is always kept.
PER_TIME_WORDS: frozenset[str] = frozenset({"年", "月", "天", "日", "学期"})
# 月人均 / 年生均 / 人均 / 月均 right before a figure: the averaged unit, head first
# (月人均不低于2000元 -> 元/人/月, like 每人每月). Only with nothing but bound or
# emphasis words between (生均公用经费2103.74万元 names a budget line: unit 元).
AVERAGE_PREFIX = re.compile(r"(?P<time>[年月日])?(?P<head>人|生)?均$")

# At most this many characters (a verb: 补助, 发放) between 每生每年 and its figure,
# not counting a bound or emphasis word right before the figure (每月不低于500元,
# 每生每年补助标准不低于600元).
MAX_PER_UNIT_GAP = 4

# Numerals in slogans, names and identifiers: kind other. Each group of a
# pattern is one item; its value is the numeral it starts with, or None where
# ``valued`` is False (一对一 names a form of tutoring, not a number).
SLOGAN_PATTERNS: tuple[tuple[str, bool], ...] = (
    (r"(十四五|十三五|十五五)", True),
    (r"(五育)(?=并举|融合)", True),
    (r"(五项)(?=管理)", True),
    (r"(三对口|两为主|两纳入|两免一补|三全育人|三通两平台)", True),
    (r"(五险)(一金)", True),
    (r"(?<=[“\"])(一金)(?=[”\"])", True),
    (r"(一票)(?=否决)", True),
    (r"(?<![一二三四五六七八九十])(一[生校人县村乡园班师])(一[册策案档幼园品])", True),
    (r"(一对一|一站式|一盘棋|一条龙|一张网|一张图)", False),
    # school names: 龙水二小, 城关一中 (two name characters before the numeral)
    (r"(?<=[\u4e00-\u9fff]{2})([一二三四五六七八九十]{1,2})(?=[中小](?![学时型心])|幼(?!儿))", True),
)
# Five-year plans are named by their ordinal: 十四五 -> 14.
PLAN_NAMES: tuple[str, ...] = ("十三五", "十四五", "十五五")

# A numeral + a short morpheme glossed right after by a list of exactly that many
# items counts those items: “四带”（带制度、思想、组织、队伍建设） -> count 4, unit None
# (the morpheme is not a classifier). The item count must equal the numeral; a
# slogan without such a gloss (“三对口”, 两为主) is not counted.
ENUMERATED_NUMERAL = re.compile(
    r"(?<![一二三四五六七八九十两百千万亿〇○零第初高周星礼])(?P<num>[二两三四五六七八九十])"
    r"(?P<morph>[\u4e00-\u9fff]{1,2})[”\"’]?[（(](?P<gloss>[^（）()\n]{1,80})[）)]"
)
ENUMERATION_SEPARATORS = re.compile(r"[、，,；;]")

# Characters that make a following 一 part of a word (统一, 进一步, 每一位, 初一, 周一 …).
WORD_BEFORE_ONE = frozenset("统单唯万之初高周第每进逐专划整同合归如均星礼")
WORD_BEFORE_NUMERAL = frozenset("初高周第星礼")
# Financial (大写) numerals written alone belong to words (队伍, 入伍, 陆续, 拾起), not to counts.
CAPITAL_NUMERALS = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")
# Words starting with a numeral + classifier that are not counts.
NOT_COUNT_WORDS: tuple[str, ...] = ("一次性", "一大批", "千家", "百家", "万家", "一大", "一家人", "一个人", "一名义")
TOP_DELIMITERS = "。；;！!？?\n"
CLAUSE_DELIMITERS = "。；;，,、：:！!？?\n（）()“”\"《》"

# --- regexes ----------------------------------------------------------------


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# Group counts are bounded so that hostile runs (111 111 111 …) stay linear.
_ARABIC_NUM = r"(?:\d{1,3}(?:,\d{3}){1,5}|\d{1,3}(?: \d{3}){1,4}(?= ?[万亿%]| ?[\u4e00-\u9fff])|\d+)(?:\.\d+)?"
# Bounded: a numeral longer than this is not a quantity, and an unbounded run
# would make the unit search quadratic on hostile input (一一一…).
MAX_CHINESE_NUMERAL = 12
_CN_NUM = f"(?<![{CHINESE_NUMERAL_CHARS}])[{CHINESE_NUMERAL_CHARS}]{{1,{MAX_CHINESE_NUMERAL}}}"
_UNITS = _alternation(list(MEASURE_UNITS) + list(ARABIC_CLASSIFIERS))
_PER = _alternation(PER_UNIT_WORDS)
ARABIC_QUANTITY = re.compile(
    rf"(?P<bound>{_alternation(BOUND_WORDS)})?"
    rf"(?<![\d.])(?P<num>{_ARABIC_NUM})(?![\d.]|,\d)"
    r"(?: ?(?P<approx1>余|多))?"
    r"(?: ?(?P<scale>千万|百万|万亿|万|亿))?"
    r"(?P<approx2>余|多)?"
    rf"(?: ?(?P<unit>{_UNITS}))?"
    rf"(?P<per>(?:/(?:{_PER}))+)?"
)
CHINESE_QUANTITY = re.compile(
    rf"(?P<bound>{_alternation(BOUND_WORDS)})?"
    rf"(?P<num>{_CN_NUM})"
    r"(?P<approx1>余|多)?"
    rf"(?P<unit>个月|个学期|年级|年|{_alternation(CHINESE_CLASSIFIERS)})"
)
CHINESE_PERCENT = re.compile(rf"百分之(?P<num>{_CN_NUM}|\d+(?:\.\d+)?)")
PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}|\d{3,4}-\d{7,8})(?!\d)")
RATIO = re.compile(r"(?<![\d.:])(?P<a>\d+(?:\.\d+)?) ?: ?(?P<b>\d+(?:\.\d+)?)(?![\d:])")
VERSION = re.compile(r"(?<![\d.])(?:[Vv](?P<v1>\d+(?:\.\d+)+)|(?P<v2>\d+\.\d+)(?=版|工程|时代|版本))")
CLOCK_TIME = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")
RANGE_CONNECTOR = re.compile(r" ?[-—–~至到] ?")
# Spans that belong to the dates and docno extractors (kept out even without reserved spans).
DOCNO_SHAPE = re.compile(r"[〔\[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]\s*第?\d+\s*号")
YEAR_SHAPE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)(?=\s*(?:年|[-—–~至到及、和与]\s*(?:19|20)\d{2}|[〕\]】]))"
)
DATE_SHAPE = re.compile(r"(?<![\d.])\d{1,2}月(?:\d{1,2}[日号])?|(?<=月)\d{1,2}[日号]")
CN_DATE_SHAPE = re.compile(r"[一二三四五六七八九十〇○零]{2,4}年|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{0,3}[日号]?")
# List markers and orders.
ORDINAL_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?m)^[ \t]*(?P<o>(?P<n>[一二三四五六七八九十]{1,3})、)"),
    re.compile(r"(?P<o>[(（](?P<n>[一二三四五六七八九十]{1,3})[)）])"),
    re.compile(r"(?P<o>[(（](?P<n>\d{1,2})[)）])"),
    re.compile(r"(?m)^[ \t]*(?P<o>(?P<n>\d{1,2})(?:\.|、)(?!\d))"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s“]))(?P<o>(?P<n>[一二三四五六七八九十]{1,3})是)", re.M),
    re.compile(r"(?P<o>第(?P<n>[一二三四五六七八九十百]{1,4}|\d{1,4}))"),
    re.compile(r"(?P<o>(?P<n>[一二三四五六七八九十]|\d{1,2})等)(?=奖)"),
)

# The scans above that begin with a look-behind or an optional word, tried only where a
# match can begin (pipeline.extract.prefilter): a bound word or a digit after no digit or
# point, a numeral, V. Patterns that begin with a literal or a class are fast as they are.
_BOUND_FIRST_CHARS = "".join(sorted({word[0] for word in BOUND_WORDS}))
ARABIC_SCAN = Prefiltered(ARABIC_QUANTITY, f"[\\d{re.escape(_BOUND_FIRST_CHARS)}](?<![\\d.]\\d)")
CHINESE_SCAN = Prefiltered(CHINESE_QUANTITY, one_of(_BOUND_FIRST_CHARS + CHINESE_NUMERAL_CHARS))
PHONE_SCAN = Prefiltered(PHONE, DIGIT_RUN_START)
RATIO_SCAN = Prefiltered(RATIO, r"\d(?<![\d.:]\d)")
VERSION_SCAN = Prefiltered(VERSION, r"[Vv\d](?<![\d.][Vv\d])")
ENUMERATED_SCAN = Prefiltered(ENUMERATED_NUMERAL, one_of("二两三四五六七八九十"))
# A slogan match begins with its numeral (十四五, 五育, 两为主, 一票, 龙水二小 …).
SLOGAN_SCANS: tuple[tuple[re.Pattern[str] | Prefiltered, bool], ...] = tuple(
    (Prefiltered(re.compile(pattern), one_of(CHINESE_NUMERAL_CHARS)) if pattern.startswith("(?<")
     else re.compile(pattern), valued)
    for pattern, valued in SLOGAN_PATTERNS
)
# 一是 / 二是 (after a line start or a clause mark) begins with the numeral.
ORDINAL_SCANS: tuple[re.Pattern[str] | Prefiltered, ...] = ORDINAL_PATTERNS[:4] + (
    Prefiltered(ORDINAL_PATTERNS[4], one_of("一二三四五六七八九十")),
) + ORDINAL_PATTERNS[5:]
PROTECTED_SCANS: tuple[re.Pattern[str] | Prefiltered, ...] = (
    DOCNO_SHAPE,
    Prefiltered(YEAR_SHAPE, r"[12](?<!\d[12])"),
    Prefiltered(DATE_SHAPE, NUMBER_START),  # also (?<=月)\d: a digit after 月
    Prefiltered(CN_DATE_SHAPE, one_of("一二三四五六七八九十〇○零")),
)

# --- helpers ----------------------------------------------------------------

_FOLD_KEEP_COMMA = {k: v for k, v in FOLD_TABLE.items() if k != ord("，")}
_translate_keep_comma = char_translator(_FOLD_KEEP_COMMA)


def fold_for_numbers(text: str) -> str:
    """``normalize.fold`` without the Chinese comma (never a thousands separator); same length."""
    folded = _translate_keep_comma(text)
    assert len(folded) == len(text)
    return folded


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    priority: int  # lower wins an overlap
    kind: str
    value: object
    unit: str | None = None
    approx_in_span: tuple[str, ...] = ()
    scale: int = 1
    unit_implied: bool = False


class _Occupied:
    """Non-overlapping spans taken so far, with an O(log n) overlap test."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _number_value(num: str, scale: int, factor: int = 1) -> int | float | None:
    if num[0].isdigit():
        exact = parse_arabic_decimal(num)
    else:
        parsed = parse_chinese(num)
        exact = None if parsed is None else Decimal(parsed)
    if exact is None:
        return None
    return to_number(exact * scale * factor)


def _run_without(delimiters: str) -> re.Pattern[str]:
    """Matches the longest run of characters that are not ``delimiters``."""
    return re.compile("[^" + "".join(re.escape(c) for c in delimiters) + "]*")


_NO_CLAUSE_DELIMITER = _run_without(CLAUSE_DELIMITERS)
_NO_TOP_DELIMITER_OR_COMMA = _run_without(TOP_DELIMITERS + "，,")


def _after_last_delimiter(window: str, no_delimiter: re.Pattern[str]) -> str:
    # The delimiter-free run at the start of the reversed window is the window's tail after its last delimiter.
    tail = no_delimiter.match(window[::-1]).end()  # type: ignore[union-attr]
    return window[len(window) - tail:]


def _preceding(folded: str, start: int, width: int = 12) -> str:
    """Clause text right before ``start`` (at most ``width`` characters)."""
    return _after_last_delimiter(folded[max(0, start - width):start], _NO_CLAUSE_DELIMITER)


def _following(folded: str, end: int, width: int = 12) -> str:
    return _NO_CLAUSE_DELIMITER.match(folded, end, end + width).group()  # type: ignore[union-attr]


def _clause_before(folded: str, start: int, width: int = 30) -> str:
    return _after_last_delimiter(folded[max(0, start - width):start], _NO_TOP_DELIMITER_OR_COMMA)


def _mentions(clause: str, words: Sequence[str]) -> bool:
    return any(word in clause for word in words)


def _strip_trailing(text: str, words: Sequence[str]) -> str:
    """``text`` without the words of ``words`` it ends with (repeatedly: 均不低于 -> '')."""
    ordered = sorted(words, key=len, reverse=True)
    while True:
        word = next((w for w in ordered if text.endswith(w)), None)
        if word is None:
            return text
        text = text[: -len(word)]


def _per_unit_prefix(folded: str, start: int, scale: int) -> tuple[str, ...]:
    """Denominators written before the number in its clause.

    每生每年(补助)600元 -> ("生", "年"); 每月不低于500元 -> ("月",); 月人均不低于2000元
    -> ("人", "月"). A 万/亿 sum after a period-only prefix is a total: 每年投入2700余万元 -> ().
    ``start`` is where the figure's span begins (an in-span bound word included).
    """
    clause = _clause_before(folded, start, 16)
    found = None
    for found in re.finditer(rf"(?:每(?:{_PER}))+", clause):
        pass
    if found is not None:
        gap = _strip_trailing(clause[found.end():], PER_UNIT_GAP_WORDS)
        if len(gap) > MAX_PER_UNIT_GAP:
            return ()
        denominators = tuple(re.findall(rf"每({_PER})", found.group(0)))
    else:
        average = AVERAGE_PREFIX.search(_strip_trailing(clause, BOUND_WORDS + EMPHASIS_WORDS))
        if average is None or not (average.group("time") or average.group("head")):
            return ()
        denominators = tuple(g for g in (average.group("head"), average.group("time")) if g)
    if scale > 1 and all(d in PER_TIME_WORDS for d in denominators):
        return ()
    return denominators


_SUBJECT_TAIL = re.compile(r"(?:达到|达|为|是|共|计|约|有|了|的|共计|合计|累计|分别|投入|投资|给予|按)+$")


def _subject(folded: str, text: str, start: int, end: int, kind: str) -> str | None:
    """A short phrase naming what is measured, copied from the text."""
    before = _preceding(folded, start, 24)
    stripped = _SUBJECT_TAIL.sub("", before)
    for word in EMPHASIS_WORDS + BOUND_WORDS:
        if stripped.endswith(word):
            stripped = stripped[: -len(word)]
    stripped = _SUBJECT_TAIL.sub("", stripped)
    after = _following(folded, end, 16)
    for word in TRAILING_WORDS:
        if after.startswith(word):
            after = after[len(word):]
    after = after.lstrip("的")
    prefer_after = kind == "count" and len(after) >= 2 and not re.match(r"[\d%]", after)
    if prefer_after or len(stripped) < 2:
        candidate = after if len(after) >= 2 else stripped
    else:
        candidate = stripped
    candidate = candidate.strip()
    if len(candidate) < 2:
        return None
    offset = folded.find(candidate, max(0, start - 24), end + 16)
    return text[offset:offset + len(candidate)] if offset >= 0 else candidate


# --- candidate finders ------------------------------------------------------


def _slogans(folded: str) -> list[_Candidate]:
    found = []
    for scan, valued in SLOGAN_SCANS:
        for match in scan.finditer(folded):
            for group in range(1, (match.lastindex or 0) + 1):
                surface = match.group(group)
                if not valued:
                    value = None
                elif surface in PLAN_NAMES:
                    value = parse_chinese(surface[:-1])
                else:
                    value = parse_chinese(surface[0])
                unit = surface[-1] if len(surface) > 1 and surface[-1] in CHINESE_CLASSIFIERS + ("票", "项") else None
                found.append(_Candidate(match.start(group), match.end(group), 0, "other", value, unit))
    return found


def _enumerated(folded: str) -> list[_Candidate]:
    """Numerals whose items are listed right after them: “四带”（带制度、思想、组织、队伍建设）."""
    found = []
    for match in ENUMERATED_SCAN.finditer(folded):
        morph = match.group("morph")
        if morph[0] in CHINESE_CLASSIFIERS or morph in MEASURE_UNITS:
            continue  # 三个 / 三年 are read by _chinese
        if any(c in CHINESE_NUMERAL_CHARS for c in morph):
            continue  # 三通两平台 is a slogan
        value = parse_chinese(match.group("num"))
        items = [item for item in ENUMERATION_SEPARATORS.split(match.group("gloss")) if item.strip()]
        if len(items) != value:
            continue
        found.append(_Candidate(match.start("num"), match.end("morph"), 1, "count", value))
    return found


def _ordinals(folded: str) -> list[_Candidate]:
    found = []
    for scan in ORDINAL_SCANS:
        for match in scan.finditer(folded):
            numeral = match.group("n")
            value = int(numeral) if numeral.isdigit() else parse_chinese(numeral)
            found.append(_Candidate(match.start("o"), match.end("o"), 1, "ordinal", value))
    return found


def _fixed_forms(folded: str) -> list[_Candidate]:
    found = [_Candidate(m.start(), m.end(), 0, "other", None) for m in PHONE_SCAN.finditer(folded)]
    for match in VERSION_SCAN.finditer(folded):
        group = "v1" if match.group("v1") else "v2"
        found.append(_Candidate(match.start(group), match.end(group), 1, "version", match.group(group)))
    for match in RATIO_SCAN.finditer(folded):
        a, b = match.group("a"), match.group("b")
        context = folded[max(0, match.start() - 8):match.start()]
        is_clock = "午" in context or "时间" in context or (len(b) == 2 and b.isdigit() and a != "1")
        if ("比" in context or a == "1") and not is_clock:
            found.append(_Candidate(match.start(), match.end(), 1, "ratio",
                                    (_number_value(a, 1), _number_value(b, 1))))
        elif CLOCK_TIME.fullmatch(match.group(0)):
            # A clock time (下午2:30): one mention of kind other, no number to check.
            found.append(_Candidate(match.start(), match.end(), 1, "other", None))
    for match in CHINESE_PERCENT.finditer(folded):
        value = _number_value(match.group("num"), 1)
        if value is not None:
            found.append(_Candidate(match.start(), match.end(), 1, "percent", value, "%"))
    return found


def _arabic(folded: str) -> list[_Candidate]:
    found = []
    for match in ARABIC_SCAN.finditer(folded):
        num = match.group("num")
        scale_word = match.group("scale")
        scale = {"万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000,
                 "万亿": 1_000_000_000_000}.get(scale_word or "", 1)
        unit_written = match.group("unit")
        approx = tuple(a for a in (match.group("approx1"), match.group("approx2")) if a)
        end = match.end()
        unit_implied = False
        per = tuple(p for p in (match.group("per") or "").split("/") if p)
        # Where the number (with 万/亿 and 余/多) ends, before any unit.
        bare_end = match.end("approx2") if match.group("approx2") else match.end("scale") if scale_word else (
            match.end("approx1") if match.group("approx1") else match.end("num"))
        if unit_written in MEASURE_UNITS:
            kind, unit, factor = MEASURE_UNITS[unit_written]
        elif scale > 1 and folded.startswith(MONEY_FOLLOWERS, bare_end) and _mentions(
            _clause_before(folded, match.start()), SPENDING_CUES
        ):
            # 列支280余万对12所学校, 落实300万用于: money without 元 (对 is "to", not "pairs").
            kind, unit, factor, unit_implied = "money", "元", 1, True
            end, per = bare_end, ()
        elif unit_written:
            kind, unit, factor = "count", unit_written, 1
        else:
            kind, unit, factor = "other", None, 1
            end = bare_end
            if scale > 1 and _mentions(_clause_before(folded, match.start()), MONEY_CUES):
                kind, unit, unit_implied = "money", "元", True
            elif folded.startswith(PERSON_NOUNS, end):
                kind, unit, unit_implied = "count", PERSON_UNIT, True
            elif scale > 1:
                kind = "count"
            per = ()
        if kind == "duration" and unit == "年" and re.fullmatch(r"(?:19|20)\d{2}", num):
            continue  # a year: the dates extractor's
        value = _number_value(num, scale, factor)
        if value is None:
            continue
        prefix_per = _per_unit_prefix(folded, match.start(), scale) if kind == "money" else ()
        denominators = tuple(dict.fromkeys(prefix_per + per))  # 每月500元/月 -> 元/月, once
        if denominators and unit:
            unit = "/".join((unit,) + denominators)
            end = match.end() if per else end
        bound = match.group("bound")
        qualifiers = ((bound,) if bound else ()) + approx
        found.append(_Candidate(match.start(), end, 2, kind, value, unit, qualifiers, scale, unit_implied))
    return found


def _chinese(folded: str) -> list[_Candidate]:
    found = []
    for match in CHINESE_SCAN.finditer(folded):
        num, unit_written = match.group("num"), match.group("unit")
        start = match.start()
        before = folded[start - 1] if start > 0 else ""
        if match.group("bound") is None and (
            (num == "一" and before in WORD_BEFORE_ONE) or before in WORD_BEFORE_NUMERAL
        ):
            continue
        if any(folded.startswith(word, match.start("num")) for word in NOT_COUNT_WORDS):
            continue
        if len(num) == 1 and num in CAPITAL_NUMERALS:
            continue
        if unit_written == "大" and (num == "一" or not re.match(r"[\u4e00-\u9fff]", folded[match.end():match.end() + 1])):
            continue
        if unit_written == "年" and len(num) >= 2 and all(c in "〇○零一二三四五六七八九" for c in num):
            continue  # 二〇二二年: a year
        value = parse_chinese(num)
        if value is None:
            continue
        if unit_written in MEASURE_UNITS:
            kind, unit, _ = MEASURE_UNITS[unit_written]
        elif unit_written == "大":
            kind, unit = "count", None
        else:
            kind, unit = "count", unit_written
        approx = (match.group("approx1"),) if match.group("approx1") else ()
        bound = match.group("bound")
        found.append(_Candidate(start, match.end(), 2, kind, value, unit, ((bound,) if bound else ()) + approx))
    return found


def _merge_ranges(folded: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """``3—4个``, ``9亿～16亿元``, ``0-18岁``: two numbers joined by a range mark become one range."""
    ordered = sorted(candidates, key=lambda c: (c.start, c.end))
    merged: list[_Candidate] = []
    skip = False
    for first, second in zip(ordered, ordered[1:] + [None]):
        if skip:
            skip = False
            continue
        if (
            second is not None
            and first.priority == second.priority == 2
            and first.unit in (None, second.unit)
            and not first.approx_in_span
            and second.unit is not None
            and RANGE_CONNECTOR.fullmatch(folded[first.end:second.start])
        ):
            low = first.value
            if first.unit is None and second.kind not in ("count", "other"):
                low = _number_value(folded[first.start:first.end].replace(" ", "").rstrip("万亿"),
                                    first.scale, 1) if first.scale > 1 else first.value
            merged.append(_Candidate(first.start, second.end, 2, "range", (low, second.value), second.unit,
                                     second.approx_in_span, second.scale))
            skip = True
            continue
        merged.append(first)
    return merged


def _select(candidates: list[_Candidate], blocked: Sequence[tuple[int, int]]) -> list[_Candidate]:
    """Non-overlapping choice: lower priority number first, then longer, then earlier."""
    chosen: list[_Candidate] = []
    taken = _Occupied(blocked)
    for candidate in sorted(candidates, key=lambda c: (c.priority, -(c.end - c.start), c.start)):
        if candidate.end <= candidate.start or taken.overlaps(candidate.start, candidate.end):
            continue
        chosen.append(candidate)
        taken.add(candidate.start, candidate.end)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def _outside_qualifiers(folded: str, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    before = next((w for w in EMPHASIS_WORDS if folded.endswith(w, 0, start)), None)
    after = next((w for w in TRAILING_WORDS if folded.startswith(w, end)), None)
    return ((before,) if before else ()), ((after,) if after else ())


def _protected_spans(folded: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for scan in PROTECTED_SCANS:
        spans.extend((m.start(), m.end()) for m in scan.finditer(folded))
    spans.extend((m.start(), m.end()) for m in re.finditer(r"“五四”", folded))
    return spans


# --- entry point ------------------------------------------------------------


def find_quantities(text: str, reserved_spans: Sequence[tuple[int, int]] = ()) -> tuple[Quantity, ...]:
    """Every numeric mention of ``text`` except dates, years and document-number parts.

    Numbers overlapping ``reserved_spans`` (dates, document numbers found by the
    other extractors) are not emitted. Records have ``page=1``.
    """
    folded = fold_for_numbers(text)
    blocked = list(reserved_spans) + _protected_spans(folded)
    regular = _merge_ranges(folded, _arabic(folded) + _chinese(folded))
    special = _slogans(folded) + _ordinals(folded) + _enumerated(folded) + _fixed_forms(folded)
    chosen = _select(special + regular, blocked)
    quantities = []
    for c in chosen:
        before, after = _outside_qualifiers(folded, c.start, c.end) if c.kind not in ("ordinal", "other") or c.unit == "倍" else ((), ())
        qualifiers = before + c.approx_in_span + after
        approx = next((q for q in qualifiers if q in APPROX_WORDS), None)
        subject = _subject(folded, text, c.start, c.end, c.kind) if c.kind not in ("ordinal",) else None
        quantities.append(
            Quantity(
                text=text[c.start:c.end], start=c.start, end=c.end, page=1, kind=c.kind, value=c.value,
                unit=c.unit, approx=approx, qualifiers=qualifiers, subject=subject, scale=c.scale,
                unit_implied=c.unit_implied,
            )
        )
    return tuple(quantities)
