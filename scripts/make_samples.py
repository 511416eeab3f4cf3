"""Build the bundled sample corpus ``corpora/samples/`` from the sources in ``corpora/sources/``.

Every sample report is written by hand as UTF-8 text in ``corpora/sources/<slug>.txt`` (fictitious districts and
counties; planted problems and their gold are in ``corpora/samples/gold/``). This script renders each source in
exactly one format, so that every report appears once in the batch:

* ``txt``      – a copy (LF line ends, no trailing newline), UTF-8 or GB18030 as listed in ``SAMPLES``;
* ``docx``     – python-docx: A4, GB/T 9704 margins, one paragraph per source line (blank lines included),
                 title 22 pt bold centred, body 16 pt at an exact 28.95 pt line pitch, runs split at ASCII/CJK
                 boundaries, signature and date right-aligned, odd/even footers ``— PAGE —`` (a Word field);
* ``pdf``      – the same DOCX converted by LibreOffice headless (``soffice --convert-to pdf``), so the PDF has a
                 real text layer and a ``— N —`` footer on every page.

The DOCX zip entries get a fixed timestamp so a rebuild gives the same bytes; PDFs carry LibreOffice's creation
date and document id, so their sha256 changes on every rebuild (the text does not). Generated files are committed:
CI does not need LibreOffice. ``--check`` verifies the committed outputs against the sources without writing.

Usage::

    python scripts/make_samples.py            # rebuild everything (needs soffice for the PDFs)
    python scripts/make_samples.py --no-pdf   # rebuild TXT/DOCX only
    python scripts/make_samples.py --check    # verify texts of the committed files, write nothing
    python scripts/make_samples.py --manifest # only rewrite the sha256/pages table in MANIFEST.md
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "corpora" / "sources"
SAMPLES = REPO / "corpora" / "samples"

# slug -> (format, encoding for txt)
SAMPLE_FORMATS: dict[str, tuple[str, str | None]] = {
    "qingchuanhu-2022": ("docx", None),
    "liutang-2020": ("docx", None),
    "songjian-2021": ("pdf", None),
    "tongxi-2023": ("pdf", None),
    "yunling-2019": ("txt", "gb18030"),
    "heting-2024": ("txt", "utf-8"),
    "zhitang-2022": ("docx", None),
    "chengpu-2018": ("pdf", None),
}

BODY_FONT = "Noto Sans CJK SC"  # stand-in for 仿宋_GB2312 (fonts-noto-cjk ships no serif face)
HEAD_FONT = "Noto Sans CJK SC"  # stand-in for 黑体
LATIN_FONT = "Times New Roman"
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)

FOOTER_RE = re.compile(r"^[—\-－]\s*\d+\s*[—\-－]$")
H1_RE = re.compile(r"^[一二三四五六七八九十]+、")
H2_RE = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def read_source(slug: str) -> str:
    text = (SOURCES / f"{slug}.txt").read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").rstrip("\n")


def output_path(slug: str) -> Path:
    fmt, _ = SAMPLE_FORMATS[slug]
    return SAMPLES / f"{slug}.{fmt}"


# --- TXT -------------------------------------------------------------------


def write_txt(slug: str, encoding: str) -> Path:
    out = output_path(slug)
    out.write_bytes(read_source(slug).encode(encoding))
    return out


# --- DOCX ------------------------------------------------------------------


def _split_runs(line: str) -> list[str]:
    """Split at ASCII / non-ASCII boundaries (as Word does when it applies two fonts)."""
    return [m.group(0) for m in re.finditer(r"[\x20-\x7e]+|[^\x20-\x7e]+", line)]


def _set_fonts(run, east_asian: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _add_page_field(paragraph, size_pt: float = 14) -> None:
    """``— PAGE —`` with a real PAGE field (result text 1)."""
    from docx.oxml.ns import qn

    def run(text=None):
        r = paragraph.add_run(text or "")
        _set_fonts(r, BODY_FONT, size_pt)
        return r

    run("— ")
    begin = run()
    fld = begin._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
    begin._element.append(fld)
    instr = run()
    it = instr._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
    it.text = " PAGE "
    instr._element.append(it)
    sep = run()
    sep._element.append(sep._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "separate"}))
    run("1")
    end = run()
    end._element.append(end._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))
    run(" —")


def _title_line_count(lines: list[str]) -> int:
    """Title = the non-empty lines before the first blank line."""
    n = 0
    for line in lines:
        if not line.strip():
            break
        n += 1
    return n


def build_docx(text: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.footer_distance = Mm(20)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        _add_page_field(p)

    lines = text.split("\n")
    n_title = _title_line_count(lines)
    last_nonblank = [i for i, line in enumerate(lines) if line.strip()]
    closing = set(last_nonblank[-2:]) if len(last_nonblank) >= 2 else set()

    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        pf = p.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(28.95)
        size, font, bold = 16.0, BODY_FONT, False
        if i < n_title:
            size, font, bold = 22.0, HEAD_FONT, True
            pf.line_spacing = Pt(36)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif i in closing and (DATE_RE.match(line) or line.endswith("人民政府")):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pf.right_indent = Pt(64 if DATE_RE.match(line) else 32)
        elif line.endswith("：") and len(line) < 30:  # addressee
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        else:
            # left aligned: LibreOffice 7.4 can drop a line-final "，" before a digit run when justifying
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            pf.first_line_indent = Pt(32)
            if H1_RE.match(line):
                font, bold = HEAD_FONT, True
            elif H2_RE.match(line):
                bold = True
        for chunk in _split_runs(line):
            r = p.add_run(chunk)
            _set_fonts(r, font, size, bold)

    buf = io.BytesIO()
    doc.save(buf)
    return _fix_zip_times(buf.getvalue())


def _fix_zip_times(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_docx(slug: str, out: Path | None = None) -> Path:
    out = out or output_path(slug)
    out.write_bytes(build_docx(read_source(slug)))
    return out


# --- PDF -------------------------------------------------------------------


def soffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out_dir), str(docx_path)],
            check=True, capture_output=True, timeout=300,
        )
    return out_dir / (docx_path.stem + ".pdf")


def write_pdf(slug: str) -> Path:
    out = output_path(slug)
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / f"{slug}.docx"
        write_docx(slug, docx_path)
        pdf = soffice_pdf(docx_path, Path(tmp))
        shutil.copyfile(pdf, out)
    return out


# --- reading back (used by --check, the manifest and tests) ----------------


def pdf_pages_text(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            tp = page.get_textpage()
            pages.append(tp.get_text_range())
            tp.close()
            page.close()
        return pages
    finally:
        pdf.close()


def read_back(path: Path) -> tuple[str, int | None]:
    """Text of a sample as a reader would see it (PDF: footers dropped) and its page count (None if unknown)."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        raw = path.read_bytes()
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            return raw.decode("gb18030"), None
    if suffix == ".docx":
        from docx import Document

        return "\n".join(p.text for p in Document(str(path)).paragraphs), None
    if suffix == ".pdf":
        pages = pdf_pages_text(path)
        kept = []
        for page in pages:
            lines = [ln for ln in page.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
            kept.extend(ln for ln in lines if not FOOTER_RE.match(ln.strip()))
        return "\n".join(kept), len(pages)
    raise ValueError(path)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_sample(slug: str) -> list[str]:
    path = output_path(slug)
    if not path.is_file():
        return [f"{path.name}: missing"]
    text, _ = read_back(path)
    src = read_source(slug)
    fmt, enc = SAMPLE_FORMATS[slug]
    problems = []
    if fmt == "txt":
        if text != src:
            problems.append(f"{path.name}: text differs from source")
        if enc == "gb18030":
            try:
                path.read_bytes().decode("utf-8")
                problems.append(f"{path.name}: should not be valid UTF-8")
            except UnicodeDecodeError:
                pass
    elif fmt == "docx":
        if text != src:
            problems.append(f"{path.name}: paragraphs differ from source lines")
    else:
        if squeeze(text) != squeeze(src):
            problems.append(f"{path.name}: PDF text layer differs from source (whitespace ignored)")
        pages = pdf_pages_text(path)
        for i, page in enumerate(pages, 1):
            foot = [ln.strip() for ln in page.replace("\r", "\n").split("\n") if FOOTER_RE.match(ln.strip())]
            if squeeze(foot[-1] if foot else "") != f"—{i}—":
                problems.append(f"{path.name}: page {i} has no footer — {i} —")
    return problems


def page_count_docx(path: Path) -> int | None:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        pdf = soffice_pdf(path, Path(tmp))
        return len(pdf_pages_text(pdf))


def manifest_rows() -> list[str]:
    rows = []
    for slug, (fmt, enc) in SAMPLE_FORMATS.items():
        path = output_path(slug)
        data = path.read_bytes()
        text, pages = read_back(path)
        if fmt == "docx":
            pages = page_count_docx(path)
        enc_s = enc or ("UTF-8 (XML)" if fmt == "docx" else "text layer")
        pages_s = "–" if fmt == "txt" or pages is None else (f"{pages}" if fmt == "pdf" else f"({pages} in LibreOffice)")
        rows.append(
            f"| `{path.name}` | {fmt} | {enc_s} | {len(data):,} | {pages_s} | {len(read_source(slug)):,} | "
            f"`{hashlib.sha256(data).hexdigest()}` |"
        )
    return rows


def update_manifest() -> None:
    manifest = SAMPLES / "MANIFEST.md"
    text = manifest.read_text(encoding="utf-8")
    start, end = "<!-- files:begin -->", "<!-- files:end -->"
    header = ("| file | format | encoding | bytes | pages | characters (source) | sha256 |\n"
              "|---|---|---|---:|---:|---:|---|")
    block = start + "\n" + header + "\n" + "\n".join(manifest_rows()) + "\n" + end
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    manifest.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice step")
    ap.add_argument("--check", action="store_true", help="verify committed outputs, write nothing")
    ap.add_argument("--manifest", action="store_true", help="only rewrite the file table in MANIFEST.md")
    ap.add_argument("slugs", nargs="*", help="limit to these reports")
    args = ap.parse_args(argv)
    slugs = args.slugs or list(SAMPLE_FORMATS)

    if args.check:
        problems = [p for s in slugs for p in check_sample(s)]
        for p in problems:
            print("FAIL", p)
        print("ok" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if args.manifest:
        update_manifest()
        return 0

    SAMPLES.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        fmt, enc = SAMPLE_FORMATS[slug]
        if fmt == "txt":
            out = write_txt(slug, enc or "utf-8")
        elif fmt == "docx":
            out = write_docx(slug)
        elif args.no_pdf:
            continue
        else:
            out = write_pdf(slug)
        print("wrote", out.relative_to(REPO))
    problems = [p for s in slugs for p in check_sample(s)]
    for p in problems:
        print("FAIL", p)
    if (SAMPLES / "MANIFEST.md").is_file():
        update_manifest()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
