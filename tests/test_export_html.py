"""HTML pages: hostile text escaped, evidence marks equal their quotes, self-contained."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.export.html import Span, highlight, render_index_html, render_report_html
from pipeline.export.report_json import report_to_dict
from pipeline.export.summary import build_summary
from test_export_json import failed_result, make_result


class _Marks(HTMLParser):
    """Collects the text of every element with an id, and checks tags nest properly."""

    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: dict[str, str] = {}
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self.scripts += 1
        if tag in self.VOID:
            return
        ident = dict(attrs).get("id")
        self.stack.append((tag, ident))
        if ident:
            self.texts.setdefault(ident, "")

    def handle_endtag(self, tag: str) -> None:
        open_tag, _ = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"

    def handle_data(self, data: str) -> None:
        for _, ident in self.stack:
            if ident:
                self.texts[ident] += data


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    return parser


def test_export_html_report_escapes_and_marks_evidence() -> None:
    d = report_to_dict(make_result())
    html = render_report_html("dazu", d)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    parsed = _parse(html)
    assert parsed.scripts == 0
    for fi, f in enumerate(d["findings"]):
        assert f'href="#ev-{fi}-0"' in html  # linked from the findings list
        assert f'href="#f-{fi}"' in html  # and back
        for k, ev in enumerate(f["evidence"]):
            assert f'id="ev-{fi}-{k}"' in html
    # non-crossing evidence: the mark holds exactly its quote
    assert parsed.texts["ev-0-0"] == d["findings"][0]["evidence"][0]["quote"]
    assert parsed.texts["ev-0-1"] == d["findings"][0]["evidence"][1]["quote"]
    assert parsed.texts["ev-2-0"] == "@cmd"
    # the crossing evidence (starts inside ev-0-0, ends after it) is split but its pieces add up
    pieces = re.findall(r'<mark class="ev sev-warning[^"]*" (?:id="ev-1-0" )?data-f="1"[^>]*>(.*?)</mark>', html)
    assert pieces
    assert 'id="page-1"' in html and 'id="page-2"' in html
    assert 'class="ent q q-money"' in html and 'class="ent docno"' in html
    assert 'data-point="A2.1"' in html


def test_export_html_self_contained() -> None:
    reports = [("dazu", report_to_dict(make_result())), ("zero", report_to_dict(failed_result()))]
    pages = [render_report_html(n, d) for n, d in reports] + [render_index_html(reports, build_summary(reports))]
    for html in pages:
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
        assert "<link" not in html and "@import" not in html
        assert "<style>" in html
        _parse(html)
    index = pages[-1]
    assert 'href="reports/dazu.html"' in index and 'href="reports/zero.html"' in index
    assert "empty_file" in index and "0字节" in index
    assert "empty_file" in pages[1]


def test_export_html_highlight_nests_overlaps() -> None:
    text = "<a>0123456789&"
    spans = [
        Span(0, 8, 2, "span", "q", "t1"),
        Span(5, 14, 0, "mark", "ev", "t2", anchor="e1"),
        Span(6, 10, 1, "span", "d", "t3"),
    ]
    html = str(highlight(text, spans, [(3, '<span class="pg"></span>')]))
    parsed = _parse("<div>" + html + "</div>")
    assert parsed.texts["e1"] == text[5:14]
    stripped = re.sub(r"<[^>]+>", "", html)
    assert stripped == "&lt;a&gt;0123456789&amp;"
    assert str(highlight(text, [])) == "&lt;a&gt;0123456789&amp;"
