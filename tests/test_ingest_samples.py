"""Every bundled sample report read back: its paragraphs are the lines of its hand-written source.

The sources (corpora/sources/<slug>.txt) hold one paragraph per line; the PDFs are LibreOffice renderings of
them, left-aligned (ragged right), so a paragraph rebuilt from a PDF must not end at a line that is merely short.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import load_document

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
SOURCES = REPO / "corpora" / "sources"
MAX_MISMATCHES = 1  # paragraphs per document that may differ from every source line


def squeeze(text: str) -> str:
    return "".join(text.split())


def sample_inputs() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))


def test_the_samples_include_pdfs() -> None:
    assert [p for p in sample_inputs() if p.suffix == ".pdf"]


@pytest.mark.parametrize("path", sample_inputs(), ids=lambda p: p.name)
def test_sample_paragraphs_are_the_source_lines(path: Path) -> None:
    source = (SOURCES / f"{path.stem}.txt").read_text(encoding="utf-8")
    expected = [squeeze(line) for line in source.split("\n") if line.strip()]
    document = load_document(path)
    paragraphs = [squeeze(line) for line in document.text.split("\n") if line.strip()]
    assert "".join(paragraphs) == "".join(expected)  # nothing lost, nothing added
    lines = set(expected)
    mismatched = [p for p in paragraphs if p not in lines]
    assert len(mismatched) <= MAX_MISMATCHES, mismatched
    assert abs(len(paragraphs) - len(expected)) <= MAX_MISMATCHES
