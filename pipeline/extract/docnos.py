"""Document numbers (发文字号, GB/T 9704 §7.2.5: 机关代字〔年份〕序号号) and the titles cited with them.

Matching runs on ``fold(text)`` (same length as the text), so spans index the
original text. Patterns are tried from the well-formed to the damaged; a later
pattern never takes characters an earlier one matched.

``problems`` codes:

* ``bracket``: the year is not in 〔〕 (﹝﹞ 【】 [] () or a bracketed serial);
* ``short_year``: a two-digit year (〔22〕);
* ``leading_zero``: a serial written 05;
* ``di_hao``: a serial written 第5号;
* ``repaired``: brackets or 号 lost in text extraction, read back (渝教2023464号 → 2023, 464);
* ``template``: a placeholder (x, X, *, _) in the issuer, year or serial: not a parse failure;
* ``no_issuer``: 〔2022〕5号 with no issuer code before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.extract.prefilter import DIGIT_RUN_START, NUMBER_START, Prefiltered
from pipeline.extract.titles import link_titles, scan_titles
from pipeline.normalize import fold
from pipeline.records import DocNumber, Quantity, Title

STANDARD_OPEN, STANDARD_CLOSE = "〔", "〕"
OPEN_BRACKETS = "〔﹝【〖[("  # after fold: （ -> (, ［ -> [
CLOSE_BRACKETS = "〕﹞】〗])"
PLACEHOLDER_CHARS = "xX*_"
HAO = "号號"
# Characters an issuer code is made of (CJK and placeholders); whitespace and punctuation end it.
ISSUER_CHAR = re.compile(r"[\u4e00-\u9fffxX*_]")
MAX_ISSUER_CHARS = 10
# Words that end the running text before an issuer code: the code starts after the last of them.
ISSUER_LEAD_WORDS: tuple[str, ...] = (
    "根据", "依据", "按照", "按", "据", "依", "依照", "遵照", "对照", "参照", "结合", "贯彻", "落实", "执行", "印发", "下发",
    "转发", "出台", "制定", "制发", "发布", "文件", "精神", "要求", "通过", "见", "以", "即", "和", "及",
    "与", "或", "的", "了", "由", "为", "是", "在", "将", "把", "被", "向", "等", "号", "號", "第",
)
# An issuer read without brackets (damaged number) must contain one of these organ/genre characters.
ISSUER_HINT_CHARS = frozenset("发函字办通督令文教府委厅局室财基政党人社卫建")
# Plausible years for reading a bracket-less digit run as year + serial.
REPAIR_YEAR = r"(?:199\d|20[0-3]\d)"

_S = r"\s{0,3}"  # spaces and line breaks text extraction leaves inside a number
_YEAR = r"(?:\d{4}|\d{2}|\d{0,3}[xX*_]{1,4})"
_SERIAL = r"(?:\d{1,5}|[xX*_]{1,4})"
_OPEN = f"[{re.escape(OPEN_BRACKETS)}]"
_CLOSE = f"[{re.escape(CLOSE_BRACKETS)}]"
_HAO = f"[{HAO}]"


@dataclass(frozen=True, slots=True)
class DocnoPattern:
    """One written form of a number; named groups: open, year, close, di, serial, hao."""

    name: str
    regex: re.Pattern[str]
    repaired: bool = False  # the form is a damaged one read back
    needs_issuer: bool = True  # without an issuer before it, the digits alone are not distinctive
    needs_hinted_issuer: bool = False  # and the issuer must look like an organ code (ISSUER_HINT_CHARS)
    # Where a match can begin, for a form starting with a look-behind (pipeline.extract.prefilter);
    # None for a form starting with a bracket, which re skips to fast.
    starts: str | None = None


# In priority order: a later form never takes characters an earlier one matched.
DOCNO_PATTERNS: tuple[DocnoPattern, ...] = (
    DocnoPattern("bracketed_year", re.compile(  # 〔2022〕5号 and every other bracket around the year
        f"(?P<open>{_OPEN}){_S}(?P<year>{_YEAR}){_S}(?P<close>{_CLOSE}){_S}(?P<di>第)?{_S}"
        f"(?P<serial>{_SERIAL}){_S}(?P<hao>{_HAO})"), needs_issuer=False),
    DocnoPattern("bracketed_serial", re.compile(  # 2007[18]号: bare year, bracketed serial
        f"(?<!\\d)(?P<year>\\d{{4}}){_S}(?P<open>{_OPEN}){_S}(?P<serial>\\d{{1,5}}){_S}"
        f"(?P<close>{_CLOSE}){_S}(?P<hao>{_HAO})"), starts=DIGIT_RUN_START),
    DocnoPattern("lost_close", re.compile(  # 〔20225号
        f"(?P<open>{_OPEN}){_S}(?P<year>{REPAIR_YEAR})(?P<serial>\\d{{1,4}}){_S}(?P<hao>{_HAO})"), repaired=True),
    DocnoPattern("lost_open", re.compile(  # 2022〕5号
        f"(?<!\\d)(?P<year>{REPAIR_YEAR}){_S}(?P<close>{_CLOSE}){_S}(?P<serial>\\d{{1,4}}){_S}(?P<hao>{_HAO})"),
        repaired=True, starts=DIGIT_RUN_START),
    DocnoPattern("lost_brackets", re.compile(  # 渝教2023464号
        f"(?<![\\d.])(?P<year>{REPAIR_YEAR})(?P<serial>\\d{{1,4}}){_S}(?P<hao>{_HAO})"),
        repaired=True, needs_hinted_issuer=True, starts=NUMBER_START),
    DocnoPattern("lost_close_and_hao", re.compile(  # 开州府发〔20229
        f"(?P<open>{_OPEN}){_S}(?P<year>{REPAIR_YEAR})(?P<serial>\\d{{1,4}})(?![\\d.%])"),
        repaired=True, needs_hinted_issuer=True),
)
# What scan_docnos runs: each form, prefiltered where it has ``starts``.
DOCNO_SCANS: tuple[tuple[DocnoPattern, re.Pattern[str] | Prefiltered], ...] = tuple(
    (form, form.regex if form.starts is None else Prefiltered(form.regex, form.starts)) for form in DOCNO_PATTERNS
)

# How a title and its number may stand together: 《…》（X〔2022〕5号）, 《…》X〔2022〕5号文件, X〔2022〕5号《…》.
TITLE_BEFORE_GAP = re.compile(r"\s*(?:文件)?\s*\(?\s*")
TITLE_AFTER_GAP = re.compile(r"\s*\)?\s*(?:印发的?|下发的?|发布的?|文件)?\s*")


def _issuer_before(folded: str, position: int) -> tuple[str, int] | None:
    """The issuer code ending at ``position`` and its start, or None.

    The code is the run of CJK/placeholder characters before the number (one line break
    and spaces from text extraction may sit inside it), cut after the last lead word
    (根据, 印发, 的 …). Returns the code without whitespace.
    """
    end = position
    while end > 0 and end > position - 3 and folded[end - 1] in " \t\r\n":
        end -= 1
    start, breaks = end, 0
    while start > 0 and end - start < 3 * MAX_ISSUER_CHARS:
        ch = folded[start - 1]
        if ch in "\r\n" and breaks == 0 and start - 2 >= 0 and ISSUER_CHAR.match(folded[start - 2]):
            breaks += 1
        elif not (ISSUER_CHAR.match(ch) or (ch in " \t" and breaks == 0)):
            break
        start -= 1
    while start < end and folded[start].isspace():
        start += 1
    run = folded[start:end]
    squeezed = "".join(run.split())
    cut = 0
    for word in ISSUER_LEAD_WORDS:
        found = squeezed.rfind(word)
        if found >= 0:
            cut = max(cut, found + len(word))
    code = squeezed[cut:]
    if len(code) > MAX_ISSUER_CHARS:
        code = run.split()[-1]  # a long run: the code is the part after the last break
    if not code or len(code) > MAX_ISSUER_CHARS:
        return None
    # Map the squeezed code back to its start in the text.
    code_start, kept = end, 0
    while kept < len(code):
        code_start -= 1
        if not folded[code_start].isspace():
            kept += 1
    return code, code_start


def _is_template(*parts: str | None) -> bool:
    return any(part and any(ch in PLACEHOLDER_CHARS for ch in part) for part in parts)


def _year_value(year_text: str | None) -> int | None:
    if not year_text or not year_text.isdigit():
        return None
    year = int(year_text)
    if len(year_text) == 2:
        return 1900 + year if year >= 50 else 2000 + year
    return year


def _problems(match: re.Match[str], text: str, repaired: bool, issuer: str | None) -> tuple[str, ...]:
    found: list[str] = []
    groups = match.groupdict()
    open_at, close_at = match.start("open") if groups.get("open") else -1, \
        match.start("close") if groups.get("close") else -1
    if open_at >= 0 and text[open_at] != STANDARD_OPEN or close_at >= 0 and text[close_at] != STANDARD_CLOSE:
        found.append("bracket")
    if open_at >= 0 and groups.get("year") and match.start("year") < open_at:
        found.append("bracket")  # 2007[18]号: the serial is bracketed, not the year
    year = groups.get("year") or ""
    if year.isdigit() and len(year) == 2:
        found.append("short_year")
    serial = groups.get("serial") or ""
    if serial.isdigit() and len(serial) > 1 and serial.startswith("0"):
        found.append("leading_zero")
    if groups.get("di"):
        found.append("di_hao")
    if repaired:
        found.append("repaired")
    if _is_template(issuer, year, serial):
        found.append("template")
    if issuer is None:
        found.append("no_issuer")
    return tuple(dict.fromkeys(found))


def _canonical(issuer: str | None, year_text: str | None, serial_text: str | None) -> str | None:
    """GB/T 9704 form; placeholders kept as written so template numbers still compare."""
    year = _year_value(year_text)
    year_part = str(year) if year is not None else year_text
    serial_part = str(int(serial_text)) if serial_text and serial_text.isdigit() else serial_text
    if not year_part or not serial_part:
        return None
    return f"{issuer or ''}{STANDARD_OPEN}{year_part}{STANDARD_CLOSE}{serial_part}号"


def scan_docnos(text: str, *, folded: str | None = None) -> tuple[DocNumber, ...]:
    """Every document number in ``text``, without title linkage, in text order (``folded``: ``fold(text)``
    when the caller has it)."""
    folded = fold(text) if folded is None else folded
    taken = bytearray(len(folded))  # 1 where an earlier pattern matched
    found: list[DocNumber] = []
    for form, scan in DOCNO_SCANS:
        for match in scan.finditer(folded):
            issuer_found = _issuer_before(folded, match.start())
            if issuer_found is None and (form.needs_issuer or folded[match.start()] in "(["):
                continue  # without an issuer only a 〔〕-style bracket is distinctive enough
            if form.needs_hinted_issuer and issuer_found is not None and not (
                    set(issuer_found[0]) & ISSUER_HINT_CHARS or _is_template(issuer_found[0])):
                continue
            start = issuer_found[1] if issuer_found else match.start()
            end = match.end()
            if any(taken[start:end]):
                continue
            issuer = "".join(text[start:match.start()].split()) if issuer_found else None
            year_text = match.group("year")
            serial_text = match.group("serial")
            problems = _problems(match, text, form.repaired, issuer)
            serial = int(serial_text) if serial_text and serial_text.isdigit() else None
            taken[start:end] = b"\x01" * (end - start)
            found.append(DocNumber(
                text=text[start:end], start=start, end=end, page=1,
                issuer_code=issuer,
                year=_year_value(year_text), serial=serial,
                canonical=_canonical(issuer, year_text, serial_text), problems=problems,
            ))
    found.sort(key=lambda d: d.start)
    return tuple(found)


def link_docnos(folded: str, docnos: tuple[DocNumber, ...], titles: tuple[Title, ...]) -> tuple[DocNumber, ...]:
    """Attach to each number the title cited with it: right before it (first choice) or right after it."""
    closed = sorted((t for t in titles if t.text.endswith(("》", "〉", ">"))), key=lambda t: (t.end, -t.start))
    closed_ends = [t.end for t in closed]
    outer = sorted((t for t in titles if t.nested_in is None), key=lambda t: t.start)
    outer_starts = [t.start for t in outer]
    claimed: set[int] = set()
    linked: dict[int, Title] = {}
    for k, docno in enumerate(docnos):
        at = bisect_right(closed_ends, docno.start)
        if at == 0:
            continue
        title = closed[at - 1]  # the title ending nearest before the number
        if title.start in claimed or not TITLE_BEFORE_GAP.fullmatch(folded, title.end, docno.start):
            continue
        claimed.add(title.start)
        linked[k] = title
    for k, docno in enumerate(docnos):
        at = bisect_left(outer_starts, docno.end)
        if k in linked or at == len(outer):
            continue
        title = outer[at]  # the title starting nearest after the number
        if title.start in claimed or not TITLE_AFTER_GAP.fullmatch(folded, docno.end, title.start):
            continue
        claimed.add(title.start)
        linked[k] = title
    return tuple(
        replace(docno, title=linked[k].title, title_start=linked[k].start, title_end=linked[k].end)
        if k in linked else docno
        for k, docno in enumerate(docnos)
    )


def find_docnos_and_titles(
    text: str, *, folded: str | None = None
) -> tuple[tuple[DocNumber, ...], tuple[Title, ...]]:
    """Document numbers and 《…》 titles, each number linked to the title cited with it and back
    (``folded``: ``fold(text)`` when the caller has it)."""
    folded = fold(text) if folded is None else folded
    titles = scan_titles(text, folded=folded)
    docnos = link_docnos(folded, scan_docnos(text, folded=folded), titles)
    return docnos, link_titles(titles, docnos)


def find_docnos(text: str) -> tuple[DocNumber, ...]:
    """Every document number with its parts, canonical form, cited title and GB/T 9704 problems."""
    return find_docnos_and_titles(text)[0]


def _part_spans(docno: DocNumber) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Spans, relative to the number's text, of its year and of its serial with 号."""
    folded = fold(docno.text)
    for form in DOCNO_PATTERNS:
        for match in form.regex.finditer(folded):
            if match.end() != len(folded):
                continue
            year = match.span("year")
            serial_start = match.start("serial")
            has_hao = "hao" in form.regex.groupindex and match.group("hao")
            return year, (serial_start, match.end("hao") if has_hao else match.end("serial"))
    return None, None


def docno_quantities(docnos: Sequence[DocNumber]) -> tuple[Quantity, ...]:
    """The year (value the year, no unit) and the serial ("5号", value 5, unit 号) of each number."""
    items: list[Quantity] = []
    for docno in docnos:
        subject = docno.canonical or docno.text
        year_at, serial_at = _part_spans(docno)
        if docno.year is not None and year_at is not None:
            items.append(Quantity(
                text=docno.text[year_at[0]:year_at[1]], start=docno.start + year_at[0],
                end=docno.start + year_at[1], page=docno.page, kind="docno", value=docno.year, subject=subject,
            ))
        if docno.serial is not None and serial_at is not None:
            items.append(Quantity(
                text=docno.text[serial_at[0]:serial_at[1]], start=docno.start + serial_at[0],
                end=docno.start + serial_at[1], page=docno.page, kind="docno", value=docno.serial,
                unit="号", subject=subject,
            ))
    return tuple(items)
