"""Measure ingestion speed and quality on the Dazu fixtures.

Usage: .venv/bin/python scripts/measure_ingest.py [path/to/shared/corpus] [--repeat N]

Prints pages/s for ``load_document`` against raw pdfplumber ``extract_text`` and raw
pypdfium2 ``get_text_range``, then the quality figures of the rebuilt text against
``dazu-2022.txt``: characters recovered in order (LCS, whitespace removed),
layout spaces left, page-number lines left, paragraph count.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.ingest import load_document  # noqa: E402

WIDE = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
LATIN_OR_DIGIT = r"[0-9A-Za-z]"
PAGE_NUMBER_LINE = re.compile(r"(?m)^\s*[—-]\s*\d+\s*[—-]\s*$")
WIDE_WIDE_SPACE = re.compile(f"(?<={WIDE}) +(?={WIDE})")
MIXED_SPACE = re.compile(f"(?<={LATIN_OR_DIGIT}) +(?={WIDE})|(?<={WIDE}) +(?={LATIN_OR_DIGIT})")


def lcs_length(a: str, b: str) -> int:
    """Longest common subsequence length via Myers' O((N+M)·D) diff: fast when D (the edits) is small."""
    n, m = len(a), len(b)
    offset = n + m + 1
    furthest = [0] * (2 * offset + 1)
    for edits in range(n + m + 1):
        for k in range(-edits, edits + 1, 2):
            if k == -edits or (k != edits and furthest[offset + k - 1] < furthest[offset + k + 1]):
                x = furthest[offset + k + 1]
            else:
                x = furthest[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            furthest[offset + k] = x
            if x >= n and y >= m:
                return (n + m - edits) // 2
    return 0


def timed(function, repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds over ``repeat`` runs (CPU time is fair on a shared machine)."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    pdf_path = corpus / "dazu-2022.pdf"

    import pdfplumber
    import pypdfium2 as pdfium

    def ours() -> None:
        load_document(pdf_path)

    def raw_pdfium() -> None:
        document = pdfium.PdfDocument(str(pdf_path))
        for page in document:
            page.get_textpage().get_text_range()
        document.close()

    def raw_plumber() -> None:
        with pdfplumber.open(pdf_path) as document:
            for page in document.pages:
                page.extract_text()

    document = load_document(pdf_path)
    pages = document.page_count
    for name, function, repeat in (
        ("dutyaudit load_document", ours, args.repeat),
        ("raw pypdfium2 get_text_range", raw_pdfium, args.repeat),
        ("raw pdfplumber extract_text", raw_plumber, 1),
    ):
        wall, cpu = timed(function, repeat)
        print(f"{name:30s} {pages / wall:7.1f} pages/s wall, {pages / cpu:7.1f} pages/s CPU"
              f"  ({wall * 1000:.0f} ms wall for {pages} pages)")

    original = (corpus / "dazu-2022.txt").read_text(encoding="utf-8")
    text = document.text
    print(f"paragraphs (non-empty lines): {sum(1 for line in text.split(chr(10)) if line.strip())}"
          f" (txt: {sum(1 for line in original.split(chr(10)) if line.strip())})")
    print(f"page-number lines left: {len(PAGE_NUMBER_LINE.findall(text))}")
    print(f"CJK–CJK spaces: {len(WIDE_WIDE_SPACE.findall(text))}")
    print(f"digit/Latin–CJK spaces: {len(MIXED_SPACE.findall(text))}")
    a = "".join(original.split())
    b = "".join(text.split())
    common = lcs_length(a, b)
    print(f"recovered in order: {common}/{len(a)} = {100 * common / len(a):.3f}%  (extra chars: {len(b) - common})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
