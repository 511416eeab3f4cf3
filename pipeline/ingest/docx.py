"""DOCX reader: body paragraphs and tables in document order (python-docx)."""

from __future__ import annotations

import io
import zipfile

from pipeline.errors import DamagedFileError, TooLargeError
from pipeline.ingest.limits import IngestLimits
from pipeline.ingest.text_clean import drop_controls
from pipeline.records import Table

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAIN_PART = "word/document.xml"
CELL_SEPARATOR = "\t"
CORE_PROPERTIES = (("author", "author"), ("title", "title"))


def _check_zip(data: bytes, limits: IngestLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if MAIN_PART not in names:
                raise DamagedFileError(
                    "DOCX文件缺少正文部分（word/document.xml），文件已损坏或不是Word文档。"
                    "The DOCX has no word/document.xml."
                )
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise DamagedFileError(
            "DOCX文件已损坏或不完整（ZIP结构无法读取，可能被截断）。The DOCX (zip) is damaged or truncated."
        ) from exc
    if unpacked > limits.max_unpacked_bytes:
        raise TooLargeError(
            f"DOCX解压后达{unpacked}字节，超过上限{limits.max_unpacked_bytes}字节。"
            f"The unpacked DOCX exceeds {limits.max_unpacked_bytes} bytes."
        )


def _paragraph_text(element, parent) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(element, parent).text


def _cell_text(tc, parent) -> str:
    # paragraphs of one cell stay on one line so that a row is one line of text
    parts = [_paragraph_text(p, parent) for p in tc.iter(W_NS + "p")]
    joined = " ".join(part.strip() for part in parts if part.strip())
    # tabs and newlines are the table's own separators in the text
    return drop_controls(joined.replace("\t", " ").replace("\n", " "))[0]


def _table_rows(tbl, parent) -> tuple[tuple[str | None, ...], ...]:
    rows: list[tuple[str | None, ...]] = []
    for tr in tbl.tr_lst:
        cells: list[str | None] = []
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if tc.vMerge == "continue":
                cells.extend([None] * span)
            else:
                cells.append(_cell_text(tc, parent))
                cells.extend([None] * (span - 1))
        rows.append(tuple(cells))
    return tuple(rows)


def _body_blocks(container):
    """Yield ("p", element) / ("tbl", element) in document order, unwrapping content controls."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == W_NS + "p":
            yield "p", child
        elif tag == W_NS + "tbl":
            yield "tbl", child
        elif tag == W_NS + "sdt":
            for content in child.iterchildren(W_NS + "sdtContent"):
                yield from _body_blocks(content)


def read_docx(
    data: bytes, limits: IngestLimits
) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...], tuple[Table, ...]]:
    """Return (text, metadata, warnings, tables)."""
    _check_zip(data, limits)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DamagedFileError(
            "DOCX文件已损坏，无法解析其内容。The DOCX is damaged and cannot be parsed."
        ) from exc
    except Exception as exc:  # lxml syntax errors and the like: the XML inside is broken
        raise DamagedFileError(
            "DOCX文件内部XML已损坏，无法解析。The DOCX contains broken XML."
        ) from exc

    pieces: list[str] = []
    tables: list[Table] = []
    offset = 0
    for kind, element in _body_blocks(document.element.body):
        if pieces:
            offset += 1  # the "\n" joining blocks
        if kind == "p":
            block = _paragraph_text(element, document)
        else:
            rows = _table_rows(element, document)
            block = "\n".join(CELL_SEPARATOR.join(cell or "" for cell in row) for row in rows)
        block, _ = drop_controls(block)
        if kind == "tbl":
            tables.append(Table(page=1, rows=rows, start=offset, end=offset + len(block)))
        pieces.append(block)
        offset += len(block)
    text = "\n".join(pieces)

    properties = document.core_properties
    metadata = tuple(
        sorted((key, str(getattr(properties, attr)).strip())
               for key, attr in CORE_PROPERTIES if getattr(properties, attr, None))
    )
    return text, metadata, (), tuple(tables)
