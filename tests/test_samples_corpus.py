"""The bundled sample corpus corpora/samples/ and its gold (corpora/samples/gold/)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
GOLD_DIR = SAMPLES / "gold"
SOURCES = REPO / "corpora" / "sources"
INPUT_SUFFIXES = {".txt", ".docx", ".pdf"}
CATEGORIES = {"arithmetic", "claim", "reference", "duplicate", "temporal", "format"}
SEVERITIES = {"info", "warning", "error"}
FOOTER = re.compile(r"^[—\-－]\s*\d+\s*[—\-－]$")


def inputs() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)


def golds() -> dict[str, dict]:
    return {p.name[: -len(".findings.json")]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(GOLD_DIR.glob("*.findings.json"))}


def read_text(path: Path) -> str:
    """The report text as an ingest reader gets it (PDF: footer lines dropped)."""
    if path.suffix == ".txt":
        raw = path.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("gb18030")
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        lines = []
        for page in pdf:
            tp = page.get_textpage()
            lines += [ln for ln in re.split(r"\r\n|\r|\n", tp.get_text_range()) if not FOOTER.match(ln.strip())]
            tp.close()
            page.close()
        return "\n".join(lines)
    finally:
        pdf.close()


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {p.stem: read_text(p) for p in inputs()}


def test_only_report_inputs_at_top_level():
    assert inputs(), "no sample reports"
    for p in inputs():
        assert p.parent == SAMPLES, f"{p} would be audited as a report"
    assert not (SAMPLES / "src").exists(), "sources belong in corpora/sources/, not in the audited folder"
    assert len(inputs()) >= 8


def test_every_input_has_gold_and_every_gold_an_input():
    stems = [p.stem for p in inputs()]
    assert len(stems) == len(set(stems)), "two inputs share a name: report JSON names would collide"
    assert set(stems) == set(golds())


def test_formats_are_mixed_and_each_report_appears_once():
    suffixes = Counter(p.suffix for p in inputs())
    assert suffixes[".docx"] >= 3 and suffixes[".pdf"] >= 3 and suffixes[".txt"] >= 2
    assert len({p.stem for p in inputs()}) == len(inputs())


def test_one_txt_is_gb18030_not_utf8():
    gb = []
    for p in inputs():
        if p.suffix != ".txt":
            continue
        raw = p.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raw.decode("gb18030")  # must decode
            assert not raw.startswith(b"\xef\xbb\xbf")
            gb.append(p.name)
    assert len(gb) == 1, gb


def test_gold_schema():
    for slug, gold in golds().items():
        assert gold["document"] == slug
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold["report_date"])
        assert "info < warning < error" in gold["about"]
        ids = [i["id"] for i in gold["must_find"]] + [i["id"] for i in gold["must_not_flag"]]
        assert len(ids) == len(set(ids)), slug
        assert 3 <= len(gold["must_find"]) <= 6, slug
        assert len(gold["must_not_flag"]) >= 3, slug
        for item in gold["must_find"]:
            assert item["category"] in CATEGORIES or item["category"] is None, item
            assert item["min_severity"] in SEVERITIES, item
            assert item["anchors"] and all(isinstance(a, str) and a and not re.search(r"\s", a) for a in item["anchors"])
            assert item["why"]
            if item["category"] == "arithmetic":
                assert isinstance(item["expected_value"], (int, float)), item
        for item in gold["must_not_flag"]:
            assert item["category"] in CATEGORIES, item
            assert item["anchor"] and not re.search(r"\s", item["anchor"]) and item["why"]


def test_sources_and_make_samples_agree():
    """Every source is rendered by scripts/make_samples.py, in the format its committed file has."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", REPO / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.SAMPLE_FORMATS) == sorted(p.stem for p in SOURCES.glob("*.txt"))
    assert {f"{slug}.{fmt}" for slug, (fmt, _) in module.SAMPLE_FORMATS.items()} == {p.name for p in inputs()}


def test_cross_district_gold(texts):
    """gold/cross-district.json: copied passages between two reports, each anchor once in its report."""
    cross = json.loads((GOLD_DIR / "cross-district.json").read_text(encoding="utf-8"))
    assert cross["about"] and cross["pairs"]
    ids = [item["id"] for item in cross["pairs"]]
    assert len(ids) == len(set(ids))
    reports = set()
    for item in cross["pairs"]:
        assert item["a"]["report"] != item["b"]["report"], item
        for side in (item["a"], item["b"]):
            assert side["report"] in texts, side
            assert not re.search(r"\s", side["anchor"]), side
            assert squeeze(texts[side["report"]]).count(side["anchor"]) == 1, side
            reports.add(side["report"])
    assert len(reports) >= 3  # one passage is copied into a third report


def test_every_category_planted_at_least_twice():
    counts = Counter(i["category"] for g in golds().values() for i in g["must_find"])
    for cat in CATEGORIES:
        assert counts[cat] >= 2, (cat, counts)


def test_every_anchor_occurs_in_its_report(texts):
    for slug, gold in golds().items():
        text = texts[slug]
        pdf = (SAMPLES / f"{slug}.pdf").is_file()
        hay = squeeze(text) if pdf else text
        for item in gold["must_find"]:
            for a in item["anchors"]:
                assert a in hay, (slug, item["id"], a)
        for item in gold["must_not_flag"]:
            assert item["anchor"] in hay, (slug, item["id"], item["anchor"])


def test_report_date_is_the_closing_date_line(texts):
    for slug, gold in golds().items():
        y, m, d = (int(x) for x in gold["report_date"].split("-"))
        lines = [squeeze(ln) for ln in texts[slug].splitlines() if ln.strip()]
        assert lines[-1] == f"{y}年{m}月{d}日", (slug, lines[-1])
        assert lines[-2].endswith("人民政府"), (slug, lines[-2])


def test_report_lengths(texts):
    for slug, text in texts.items():
        n = len(squeeze(text))
        assert 2500 <= n <= 6000, (slug, n)


def test_samples_match_their_sources(texts):
    """The committed renderings carry exactly the hand-written source text."""
    for p in inputs():
        src = (SOURCES / f"{p.stem}.txt").read_text(encoding="utf-8").rstrip("\n")
        got = texts[p.stem]
        if p.suffix == ".pdf":
            assert squeeze(got) == squeeze(src), p.name
        else:
            assert got == src, p.name


def test_pdf_text_layer_and_footers():
    import pypdfium2 as pdfium

    pdfs = [p for p in inputs() if p.suffix == ".pdf"]
    assert len(pdfs) >= 2
    for p in pdfs:
        pdf = pdfium.PdfDocument(str(p))
        try:
            assert len(pdf) >= 2
            for i, page in enumerate(pdf, 1):
                tp = page.get_textpage()
                text = tp.get_text_range()
                tp.close()
                page.close()
                assert re.search(r"[\u4e00-\u9fff]", text), (p.name, i)
                footers = [squeeze(ln) for ln in re.split(r"\r\n|\r|\n", text) if FOOTER.match(ln.strip())]
                assert footers == [f"—{i}—"], (p.name, i, footers)
        finally:
            pdf.close()


def test_docx_layout():
    import docx
    from docx.shared import Mm

    docs = [p for p in inputs() if p.suffix == ".docx"]
    assert len(docs) >= 2
    for p in docs:
        d = docx.Document(str(p))
        sec = d.sections[0]
        assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
        assert abs(sec.top_margin - Mm(37)) < Mm(1) and abs(sec.left_margin - Mm(28)) < Mm(1)
        footer_xml = sec.footer._element.xml
        assert "PAGE" in footer_xml and "— " in sec.footer.paragraphs[0].text


def test_manifest_lists_every_file_with_its_sha256():
    import hashlib

    manifest = (SAMPLES / "MANIFEST.md").read_text(encoding="utf-8")
    for p in inputs():
        assert f"`{p.name}`" in manifest, p.name
        if p.suffix != ".pdf":  # PDFs change bytes on every rebuild (LibreOffice timestamps)
            assert hashlib.sha256(p.read_bytes()).hexdigest() in manifest, p.name
