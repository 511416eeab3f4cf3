"""Paragraph decisions with each line cleaned once, against the decisions that clean it again, on real PDFs."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.ingest import layout, pdf
from pipeline.ingest.layout import (
    LayoutLine,
    clean_spaces,
    drop_furniture,
    ends_paragraph,
    first_run_width,
    line_output_text,
    measure,
    merge_fragments,
    paragraphs,
)

REPO = Path(__file__).resolve().parents[1]


def _reference_paragraphs(pages: list[list[LayoutLine]], geometry: layout.PageGeometry) -> list[list[LayoutLine]]:
    """``paragraphs`` before the speed-up: every decision cleans the following line itself."""
    result: list[list[LayoutLine]] = []
    previous: LayoutLine | None = None
    for lines in pages:
        for line in lines:
            if previous is None or ends_paragraph(previous, line, geometry):
                result.append([line])
            else:
                result[-1].append(line)
            previous = line
    return result


def _reference_output_text(line: LayoutLine) -> str:
    if line.table is not None:
        return line.text
    return clean_spaces(line.text.replace(layout.SOFT_HYPHEN_MARK, ""))


def _document_lines(path: Path) -> tuple[list[list[LayoutLine]], list[float]]:
    """The lines the reader hands to ``rebuild`` (tables found by pdfplumber where the reader would look)."""
    data = path.read_bytes()
    document = pdfium.PdfDocument(data)
    pages = [document[i] for i in range(len(document))]
    found, _ = pdf._find_tables(data, None, [i for i, page in enumerate(pages) if pdf._needs_table_pass(page)])
    scans, base = [], 0
    for index, page in enumerate(pages):
        tables = found.get(index, [])
        scans.append(pdf._scan_page(page, index, tables, base))
        base += len(tables)
    return [scan.lines for scan in scans], [scan.width for scan in scans]


@pytest.fixture(scope="module")
def documents(corpus_dir: Path) -> dict[str, tuple[list[list[LayoutLine]], list[float]]]:
    paths = [
        *(corpus_dir / name for name in ("dazu-2022.pdf", "dazu-2022.tables.pdf")),
        *sorted((REPO / "corpora" / "samples").glob("*.pdf")),
    ]
    return {path.name: _document_lines(path) for path in paths}


def test_inputs_include_tables_and_many_decisions(documents) -> None:
    lines = [line for pages, _ in documents.values() for page in pages for line in page]
    assert sum(line.table is not None for line in lines) >= 5
    assert len(lines) > 800


def test_line_output_text_and_run_width_match(documents) -> None:
    for pages, _ in documents.values():
        for line in (line for page in pages for line in page):
            output = line_output_text(line)
            assert output == _reference_output_text(line)
            if line.table is None:
                assert layout._cleaned_first_run_width(output) == first_run_width(line.text)


def test_paragraph_decisions_match(documents) -> None:
    for name, (pages, widths) in documents.items():
        kept, _ = drop_furniture([merge_fragments(lines) for lines in pages])
        geometry = measure([line for lines in kept for line in lines], sorted(widths)[len(widths) // 2])
        flat = [line for lines in kept for line in lines]
        for previous, following in zip(flat, flat[1:]):
            output = line_output_text(following) if following.table is None else None
            assert ends_paragraph(previous, following, geometry, output) == ends_paragraph(previous, following, geometry)
        expected = _reference_paragraphs(kept, geometry)
        assert paragraphs(kept, geometry) == expected, name
        assert layout._paragraphs_with_output(kept, geometry) == [
            [(line, _reference_output_text(line)) for line in paragraph] for paragraph in expected
        ], name


def _variants(previous: LayoutLine, following: LayoutLine, geometry: layout.PageGeometry):
    """The real pair, plus the pair moved onto the centre axis (display lines: the centred branch) and
    the following text with soft-hyphen marks, layout spaces and tabs put in (the cleaning branches)."""
    axis = (geometry.left + geometry.right) / 2
    texts = [
        following.text,
        "\x02" + following.text,
        following.text[:1] + "\x02 " + following.text[1:],
        following.text[:2] + " \t" + following.text[2:] + " \x02",
        "  " + following.text[:3] + "\u00a0" + following.text[3:],
    ]
    for text in texts:
        moved = LayoutLine(text=text, page=following.page, x0=following.x0, x1=following.x1, y=following.y,
                           size=following.size)
        yield previous, moved
        for half in (0.3, 0.45):
            span = (geometry.right - geometry.left) * half
            title = LayoutLine(text=previous.text, page=previous.page, x0=axis - span, x1=axis + span,
                               y=previous.y, size=previous.size * 1.3)
            narrow = 1.5 * following.size * len(text) / 4
            centred = LayoutLine(text=text, page=following.page, x0=axis - narrow, x1=axis + narrow,
                                 y=title.y - 1.5 * title.size, size=title.size)
            yield title, centred


def test_paragraph_decisions_match_on_varied_pairs(documents) -> None:
    decisions = {True: 0, False: 0}
    for pages, widths in documents.values():
        kept, _ = drop_furniture([merge_fragments(lines) for lines in pages])
        geometry = measure([line for lines in kept for line in lines], sorted(widths)[len(widths) // 2])
        flat = [line for lines in kept if lines for line in lines if line.table is None]
        for previous, following in zip(flat, flat[1:]):
            for before, after in _variants(previous, following, geometry):
                output = line_output_text(after)
                assert output == _reference_output_text(after)
                assert layout._cleaned_first_run_width(output) == first_run_width(after.text)
                decided = ends_paragraph(before, after, geometry, output)
                assert decided == ends_paragraph(before, after, geometry), (before, after)
                centred = layout._is_centred(after, geometry) and not layout._is_centred(before, geometry)
                decisions[decided] += centred
    assert min(decisions.values()) > 50  # the centred branch decided both ways
