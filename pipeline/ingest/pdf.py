"""PDF reader: pypdfium2 for text and character boxes, pdfplumber only for pages with ruled tables."""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import DamagedFileError, EncryptedError, NoTextError, TooLargeError
from pipeline.ingest.layout import LayoutLine, clean_spaces, line_joiner, rebuild
from pipeline.ingest.limits import IngestLimits
from pipeline.ingest.text_clean import CONTROL_CHARS, RADICAL_TO_IDEOGRAPH
from pipeline.records import Table

LINE_SEGMENTS = re.compile(r"[^\r\n]+")
VISIBLE_CHAR = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]")
INVISIBLE_CHAR = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")  # exactly the characters VISIBLE_CHAR does not match
# CONTROL_CHARS without pdfium's soft-hyphen mark \x02, which the line joiner needs
CONTROL_CHARS_BUT_SOFT_HYPHEN = re.compile("[\x00\x01\x03-\x08\x0b-\x1f\x7f-\x9f]")
# the characters RADICAL_TO_IDEOGRAPH maps: replacing the few found is cheaper than translating every character
RADICAL_CHARS = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(RADICAL_TO_IDEOGRAPH)) + "]")
ODD_CHAR = re.compile("[\ufffd\ue000-\uf8ff]")  # no Unicode map: replacement or private-use characters
METADATA_KEYS = (("Author", "author"), ("Producer", "producer"), ("Title", "title"))
EOF_MARKER_WINDOW = 2048  # %%EOF must sit near the end of a complete PDF

# ruling that makes a page worth the slow table pass
RULE_THICKNESS = 3.0  # a stroke thinner than this (pt) is a rule
RULE_MIN_LENGTH = 8.0
MIN_RULES_EACH_WAY = 2
MIN_CELL_BOXES = 3
CELL_BOX_MIN = (30.0, 10.0)  # width, height of a rectangle drawn as a table cell

PLAUSIBLE_FONT_SIZE = (3.0, 200.0)
GARBLED_SHARE = 0.3  # share of U+FFFD / private-use characters that means the font has no Unicode map
TABLE_CELL_SEPARATOR = "\t"

SCANNED_MESSAGE = (
    "PDF没有文字层：各页都是图像（扫描件），需要先做文字识别（OCR），例如 `ocrmypdf -l chi_sim 输入.pdf 输出.pdf`。"
    "The PDF is scanned (pages are images, no text layer): run OCR first, e.g. ocrmypdf -l chi_sim."
)
BLANK_MESSAGE = (
    "PDF没有任何文字，也没有图像：各页都是空白页。请确认导出的文件是否正确。"
    "The PDF is blank: no text and no images on any page."
)


@dataclass(frozen=True, slots=True)
class PdfContent:
    text: str
    page_starts: tuple[int, ...]
    metadata: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True, slots=True)
class _FoundTable:
    bbox: tuple[float, float, float, float]  # left, bottom, right, top in PDF space
    rows: tuple[tuple[str | None, ...], ...]


@dataclass(slots=True)
class _PageScan:
    lines: list[LayoutLine]
    visible_chars: int
    odd_chars: int
    images: int
    width: float
    rotated: bool


def _open(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            if password:
                raise EncryptedError(
                    "PDF文件已加密，提供的密码不正确。The PDF is encrypted and the password is wrong."
                ) from exc
            raise EncryptedError() from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedError(
                "PDF文件使用了不支持的加密方式，无法读取。The PDF uses an unsupported security handler."
            ) from exc
        raise DamagedFileError(
            "PDF文件已损坏或不完整（可能被截断：缺少交叉引用表或页面树），无法读取。"
            "The PDF is damaged or truncated (no readable xref/page tree)."
        ) from exc


def _metadata(document: pdfium.PdfDocument) -> tuple[tuple[str, str], ...]:
    try:
        info = document.get_metadata_dict()
    except pdfium.PdfiumError:
        return ()
    pairs = []
    for source, key in METADATA_KEYS:
        value, _ = CONTROL_CHARS.subn("", str(info.get(source) or ""))
        if value.strip():
            pairs.append((key, value.strip()))
    return tuple(sorted(pairs))


def _address_function(binding, restype, *argtypes):
    """The C function behind a pypdfium2 binding, with handles as plain addresses (ints).

    pypdfium2's bindings wrap every returned handle in a ctypes pointer object; a page holds hundreds of
    objects, and that wrapping cost more than the C calls themselves. Same function, same arguments.
    """
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(binding, ctypes.c_void_p).value)


_ADDRESS = ctypes.c_void_p
_FLOAT_OUT = ctypes.POINTER(ctypes.c_float)
_count_page_objects = _address_function(pdfium_c.FPDFPage_CountObjects, ctypes.c_int, _ADDRESS)
_page_object = _address_function(pdfium_c.FPDFPage_GetObject, _ADDRESS, _ADDRESS, ctypes.c_int)
_count_form_objects = _address_function(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, _ADDRESS)
_form_object = _address_function(pdfium_c.FPDFFormObj_GetObject, _ADDRESS, _ADDRESS, ctypes.c_ulong)
_object_type = _address_function(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, _ADDRESS)
_object_bounds = _address_function(
    pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, _ADDRESS, _FLOAT_OUT, _FLOAT_OUT, _FLOAT_OUT, _FLOAT_OUT
)


def _children(page_address: int, form: int | None) -> list[int | None]:
    """Object handles (addresses; None for a null handle) of the page, or of one form XObject on it."""
    if form is None:
        owner, count, get = page_address, _count_page_objects(page_address), _page_object
    else:
        owner, count, get = form, _count_form_objects(form), _form_object
    count = max(count, 0)
    return list(map(get, repeat(owner, count), range(count)))


def _raw_objects(page: pdfium.PdfPage, wanted: int, max_depth: int = 2) -> Iterator[int | None]:
    """Raw handles of page objects of one type, descending into form XObjects.

    Raw calls: wrapping each of the thousands of text objects of a page costs more than the text itself.
    """
    page_address = ctypes.cast(page.raw, _ADDRESS).value
    stack: list[tuple[int | None, int]] = [(None, 0)]
    while stack:
        form, depth = stack.pop()
        handles = _children(page_address, form)
        kinds = list(map(_object_type, handles))
        if wanted not in kinds and pdfium_c.FPDF_PAGEOBJ_FORM not in kinds:
            continue  # the usual case (only text objects): nothing to yield, nothing to descend into
        for handle, kind in zip(handles, kinds):
            if kind == wanted:
                yield handle
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                stack.append((handle, depth + 1))


def _bounds(handle: int | None) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not _object_bounds(handle, left, bottom, right, top):
        return (0.0, 0.0, 0.0, 0.0)
    return left.value, bottom.value, right.value, top.value


def _needs_table_pass(page: pdfium.PdfPage) -> bool:
    horizontal = vertical = boxes = 0
    for handle in _raw_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
        left, bottom, right, top = _bounds(handle)
        width, height = right - left, top - bottom
        if height < RULE_THICKNESS and width > RULE_MIN_LENGTH:
            horizontal += 1
        elif width < RULE_THICKNESS and height > RULE_MIN_LENGTH:
            vertical += 1
        elif width > CELL_BOX_MIN[0] and height > CELL_BOX_MIN[1]:
            boxes += 1
        if (horizontal >= MIN_RULES_EACH_WAY and vertical >= MIN_RULES_EACH_WAY) or boxes >= MIN_CELL_BOXES:
            return True
    return False


def _count_images(page: pdfium.PdfPage) -> int:
    return sum(1 for _ in _raw_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE))


def _clean_cell(cell: str | None) -> str | None:
    if cell is None:
        return None
    text = ""
    for part in CONTROL_CHARS.sub("", cell.replace("\t", " ")).split("\n"):
        cleaned = clean_spaces(part)
        text += line_joiner(text, cleaned) + cleaned
    return text


def _find_tables(data: bytes, password: str | None, page_indices: list[int]) -> tuple[dict[int, list[_FoundTable]], list[str]]:
    """Ruled tables on the given pages, via pdfplumber; failures become warnings."""
    import pdfplumber

    found: dict[int, list[_FoundTable]] = {}
    warnings: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data), password=password or "") as plumber:
            for index in page_indices:
                try:
                    page = plumber.pages[index]
                    height = float(page.height)
                    tables = []
                    for table in page.find_tables():
                        x0, top, x1, bottom = table.bbox
                        rows = tuple(tuple(_clean_cell(cell) for cell in row) for row in table.extract())
                        if rows:
                            tables.append(_FoundTable((x0, height - bottom, x1, height - top), rows))
                    found[index] = tables
                except Exception as exc:  # a table pass is an extra: keep the page's plain text
                    warnings.append(
                        f"第{index + 1}页表格识别失败，已按普通文字读取。Table detection failed on page {index + 1}: "
                        f"{type(exc).__name__}."
                    )
    except Exception as exc:
        warnings.append(f"表格识别不可用，已按普通文字读取。Table detection unavailable: {type(exc).__name__}.")
    return found, warnings


def _font_size(textpage: pdfium.PdfTextPage, index: int, loose_box: tuple[float, float, float, float]) -> float:
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    if PLAUSIBLE_FONT_SIZE[0] <= size <= PLAUSIBLE_FONT_SIZE[1]:
        return float(size)
    left, bottom, right, top = loose_box
    return max(top - bottom, right - left, 1.0)


def _page_text(textpage: pdfium.PdfTextPage, count: int) -> str:
    text = textpage.get_text_range()
    if len(text) == count:
        return text
    # one string index per character index, so that boxes line up with the text
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD) for i in range(count))


def _inside(box: tuple[float, float, float, float], bbox: tuple[float, float, float, float]) -> bool:
    x = (box[0] + box[2]) / 2
    y = (box[1] + box[3]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _visible_span(line: str) -> tuple[int, int, int] | None:
    """(first, last, count) of the visible characters of ``line``; None when there are none."""
    first = VISIBLE_CHAR.search(line)
    if first is None:
        return None
    last = len(line) - 1
    while not VISIBLE_CHAR.match(line, last):
        last -= 1
    # count the few invisible characters rather than list the many visible ones
    return first.start(), last, len(line) - len(INVISIBLE_CHAR.findall(line))


def _radicals_to_ideographs(text: str) -> str:
    """``text.translate(RADICAL_TO_IDEOGRAPH)``, touching only the (rare) radicals."""
    return RADICAL_CHARS.sub(lambda match: RADICAL_TO_IDEOGRAPH[ord(match.group())], text)


def _loose_box_reader(textpage: pdfium.PdfTextPage) -> Callable[[int], tuple[float, float, float, float]]:
    """``textpage.get_charbox(index, loose=True)`` with one reused rectangle instead of one per call."""
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()

    def loose_box(index: int) -> tuple[float, float, float, float]:
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
            raise pdfium.PdfiumError("Failed to get charbox.")
        return rect.left, rect.bottom, rect.right, rect.top

    return loose_box


def _scan_page(page: pdfium.PdfPage, page_index: int, tables: list[_FoundTable], table_base: int) -> _PageScan:
    textpage = page.get_textpage()
    count = textpage.count_chars()
    text = _radicals_to_ideographs(_page_text(textpage, count)) if count else ""
    loose_box = _loose_box_reader(textpage)
    lines: list[LayoutLine] = []
    visible = odd = 0
    for segment in LINE_SEGMENTS.finditer(text):
        indices: Sequence[int] = range(segment.start(), segment.end())
        if tables:
            indices = [i for i in indices if not any(_inside(loose_box(i), t.bbox) for t in tables)]
            kept = "".join(text[i] for i in indices)
        else:
            kept = segment.group()
        found = _visible_span(kept)
        if found is None:
            continue
        first, last, visible_here = found
        visible += visible_here
        odd += len(ODD_CHAR.findall(kept))  # odd characters are all visible
        first_box = loose_box(indices[first])
        last_box = loose_box(indices[last])
        # keep pdfium's soft-hyphen mark (\x02) for the joiner, drop other controls
        line_text = CONTROL_CHARS_BUT_SOFT_HYPHEN.sub("", kept)
        lines.append(
            LayoutLine(
                text=line_text,
                page=page_index,
                x0=first_box[0],
                x1=last_box[2],
                y=first_box[1],
                size=_font_size(textpage, indices[first], first_box),
            )
        )
    for offset, table in enumerate(tables):
        left, bottom, right, top = table.bbox
        rows = [
            LayoutLine(
                text=TABLE_CELL_SEPARATOR.join(cell or "" for cell in row),
                page=page_index, x0=left, x1=right, y=top, size=0.0, table=table_base + offset,
            )
            for row in table.rows
        ]
        position = next((i for i, line in enumerate(lines) if line.y < top), len(lines))
        lines[position:position] = rows
    images = _count_images(page) if visible == 0 else 0
    textpage.close()
    return _PageScan(
        lines=lines, visible_chars=visible, odd_chars=odd, images=images, width=page.get_width(),
        rotated=page.get_rotation() % 360 != 0,
    )


def read_pdf(data: bytes, *, password: str | None, limits: IngestLimits) -> PdfContent:
    document = _open(data, password)
    try:
        return _read_document(document, data, password, limits)
    finally:
        document.close()


def _read_document(document: pdfium.PdfDocument, data: bytes, password: str | None, limits: IngestLimits) -> PdfContent:
    page_count = len(document)
    if page_count == 0:
        raise DamagedFileError(
            "PDF文件已损坏或不完整（没有可读的页面，可能被截断）。The PDF is damaged or truncated: no readable pages."
        )
    if page_count > limits.max_pages:
        raise TooLargeError(
            f"PDF共{page_count}页，超过上限{limits.max_pages}页。The PDF has {page_count} pages (limit {limits.max_pages})."
        )
    warnings: list[str] = []
    truncated = b"%%EOF" not in data[-EOF_MARKER_WINDOW:]

    try:
        pages = [document[i] for i in range(page_count)]
        table_pages = [i for i, page in enumerate(pages) if _needs_table_pass(page)]
        found: dict[int, list[_FoundTable]] = {}
        if table_pages:
            found, table_warnings = _find_tables(data, password, table_pages)
            warnings.extend(table_warnings)
        scans: list[_PageScan] = []
        table_base = 0
        page_tables: list[tuple[int, _FoundTable]] = []
        for index, page in enumerate(pages):
            tables = found.get(index, [])
            scans.append(_scan_page(page, index, tables, table_base))
            page_tables.extend((index, table) for table in tables)
            table_base += len(tables)
            page.close()
    except pdfium.PdfiumError as exc:
        raise DamagedFileError(
            "PDF文件部分页面已损坏，无法读取。Some pages of the PDF are damaged."
        ) from exc

    visible = sum(scan.visible_chars for scan in scans)
    if visible == 0:
        if truncated:
            raise DamagedFileError(
                "PDF文件不完整（可能被截断），读不到任何文字。The PDF is truncated: no text could be read."
            )
        if any(scan.images for scan in scans):
            raise NoTextError(SCANNED_MESSAGE)
        raise NoTextError(BLANK_MESSAGE)

    if truncated:
        warnings.append("PDF文件末尾缺少%%EOF标记，文件可能不完整。The PDF may be truncated (no %%EOF).")
    rotated = [i + 1 for i, scan in enumerate(scans) if scan.rotated]
    if rotated:
        warnings.append(
            f"第{'、'.join(map(str, rotated))}页是旋转页面，段落可能拼接不准确。"
            f"Pages {', '.join(map(str, rotated))} are rotated: paragraphs may be rebuilt imperfectly."
        )
    image_only = [i + 1 for i, scan in enumerate(scans) if scan.visible_chars == 0 and scan.images]
    if image_only:
        listed = "、".join(str(p) for p in image_only)
        warnings.append(
            f"第{listed}页只有图像没有文字层（可能是扫描页），这些页的内容未读取，需要OCR。"
            f"Pages {', '.join(map(str, image_only))} are images without a text layer (need OCR)."
        )
    odd = sum(scan.odd_chars for scan in scans)
    if odd > GARBLED_SHARE * visible:
        warnings.append(
            "PDF中大量字符缺少Unicode映射，提取的文字可能是乱码。Many characters have no Unicode mapping (garbled text)."
        )

    rebuilt = rebuild([scan.lines for scan in scans], [scan.width for scan in scans])
    spans = {table: (start, end) for table, start, end in rebuilt.table_spans}
    tables = tuple(
        Table(page=page_index + 1, rows=table.rows, start=spans.get(i, (-1, -1))[0], end=spans.get(i, (-1, -1))[1])
        for i, (page_index, table) in enumerate(page_tables)
    )
    return PdfContent(
        text=rebuilt.text,
        page_starts=rebuilt.page_starts,
        metadata=_metadata(document),
        warnings=tuple(warnings),
        tables=tables,
    )
