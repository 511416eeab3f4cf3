"""Claims: invented sentences per claim type (positive and negative) and the real Dazu report."""

from __future__ import annotations

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.claims import ClaimLexicon, find_claims
from pipeline.records import Document
from pipeline.segment import segment


def _claims(text: str, **kwargs):
    structure = segment(Document(path="c.txt", media_type="txt", sha256="", text=text))
    claims = find_claims(text, structure, **kwargs)
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        assert text[claim.cue_start : claim.cue_end] == claim.cue
        assert claim.start <= claim.cue_start < claim.cue_end <= claim.end
    return claims


def _in_section(section_heading: str, body: str) -> str:
    return f"一、{section_heading}\n{body}"


@pytest.mark.parametrize(
    ("body", "cue"),
    [
        ("全县实现义务教育学校党组织全覆盖。", "全覆盖"),
        ("无证幼儿园已全面清零。", "全面清零"),
        ("确保教育经费“两个只增不减”。", "只增不减"),
        ("教师平均工资均不低于当地公务员平均工资水平。", "均不低于"),
        ("年内新建的三所学校已全部竣工。", "全部竣工"),
        ("适龄残疾儿童入学率达到100%。", "达到100%"),
        ("适龄残疾儿童入学率达到１００％。", "达到１００％"),
        ("困难学生应助尽助。", "应助尽助"),
        ("未成年人保护工作站实现镇街全覆盖。", "全覆盖"),  # 未成年 is no negation
    ],
)
def test_achievement_claims(body, cue):
    claims = _claims(_in_section("工作成效", body))
    found = [c for c in claims if c.type == "achievement"]
    assert [c.cue for c in found] == [cue]
    assert found[0].polarity == "positive" and found[0].section == "achievement" and found[0].hedge is None


def test_hedge_and_subject():
    claims = _claims(_in_section("主要成效", "全县城区学校基本消除大班额现象。"))
    (claim,) = [c for c in claims if c.type == "achievement"]
    assert (claim.cue, claim.hedge) == ("消除", "基本")
    assert claim.subject == "全县城区学校"


def test_negated_achievement_is_a_problem():
    claims = _claims(_in_section("主要成效", "农村学校尚未实现网络全覆盖。"))
    assert [(c.type, c.polarity) for c in claims] == [("problem", "negative")]


@pytest.mark.parametrize(
    "body",
    [
        "全县学校覆盖面逐年扩大。",  # no full-coverage claim
        "对所有学校开展全覆盖检查。",  # an inspection, not a result
        "不足300名学生的学校按300名拨付公用经费。",  # 不足 + number is a bound
        "各校完成了日常检查。",  # plain 完成 claims nothing checkable
    ],
)
def test_sentences_without_claims(body):
    assert _claims(_in_section("主要成效", body)) == ()


def test_issued_document_with_title_and_number():
    text = _in_section("主要做法", "县教育局印发《关于加强课后服务管理的通知》（某教发〔2022〕12号），规范收费行为。")
    (claim,) = [c for c in _claims(text) if c.type == "doc_issued"]
    assert claim.target == "关于加强课后服务管理的通知"
    assert claim.text.endswith("12号）")
    assert claim.cue == "印发" and claim.section == "practice" and claim.subject == "县教育局"


def test_issued_document_by_number_only_with_parsed_docnos():
    from pipeline.records import DocNumber

    text = _in_section("主要成效", "县政府办公室印发某府办发〔2021〕3号文件，明确各部门职责。")
    number = "某府办发〔2021〕3号"
    start = text.index(number)
    docno = DocNumber(number, start, start + len(number), 1, "某府办发", 2021, 3, number)
    (claim,) = [c for c in _claims(text, docnos=(docno,)) if c.type == "doc_issued"]
    assert claim.target == number


def test_issue_verb_without_a_document_is_no_claim():
    text = _in_section("主要成效", "区教委制定“课后服务”“作业管理”等制度。")
    assert [c for c in _claims(text) if c.type == "doc_issued"] == []


def test_not_issued_document():
    text = _in_section("存在的问题", "配套文件尚未出台，《县域学前教育发展规划》仍在征求意见。")
    (claim,) = [c for c in _claims(text) if c.type == "doc_not_issued"]
    assert claim.polarity == "negative" and claim.cue == "尚未出台" and claim.section == "problem"
    assert claim.target == "县域学前教育发展规划"
    assert not [c for c in _claims(text) if c.type == "doc_issued"]


@pytest.mark.parametrize(
    ("body", "cue"),
    [
        ("乡村学校音体美教师配备不足。", "不足"),
        ("民办幼儿园党组织覆盖率不高。", "覆盖率不高"),
        ("校园安保力量有待加强。", "有待加强"),
        ("寄宿制学校建设滞后。", "滞后"),
        ("专任教师缺口较大。", "缺口"),
        ("城区学校操场面积尚未达标。", "尚未达标"),
        ("课后服务推进困难。", "推进困难"),
    ],
)
def test_problem_claims(body, cue):
    claims = _claims(_in_section("存在的问题", body))
    assert [(c.type, c.cue, c.polarity, c.section) for c in claims] == [("problem", cue, "negative", "problem")]


def test_problem_words_in_measures_are_not_problem_claims():
    text = _in_section("下一步工作打算", "补齐师资短板，力争三年内解决教师不足问题。")
    claims = _claims(text)
    assert [c.type for c in claims] == ["commitment"]
    assert claims[0].cue == "力争"


def test_commitments_only_in_measures_one_per_clause():
    text = _in_section("整改措施", "全县将进一步加大投入，确保财政教育经费只增不减。")
    claims = _claims(text)
    assert [(c.type, c.cue) for c in claims] == [("commitment", "将"), ("commitment", "确保")]
    assert all(c.section == "measure" for c in claims)
    # the same words in an achievement section are not commitments
    assert [c.type for c in _claims(_in_section("主要成效", "全县将经费用于校舍维修。"))] == []


def test_bad_cue_file_raises_config_error(tmp_path):
    bad = tmp_path / "cues.yaml"
    bad.write_text("types:\n  achievement:\n    patterns: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        ClaimLexicon.load(bad)


# --- the real report -----------------------------------------------------------------


@pytest.fixture(scope="module")
def dazu_claims(dazu_text):
    from pipeline.extract.docnos import find_docnos_and_titles

    structure = segment(Document(path="dazu-2022.txt", media_type="txt", sha256="", text=dazu_text))
    docnos, titles = find_docnos_and_titles(dazu_text)
    return find_claims(dazu_text, structure, docnos, titles)


def test_dazu_claims_required_by_the_checker(dazu_claims, dazu_text, gold_findings):
    for claim in dazu_claims:
        assert dazu_text[claim.start : claim.end] == claim.text
    by_cue = {}
    for claim in dazu_claims:
        by_cue.setdefault(claim.cue, []).append(claim)
    assert any(c.type == "achievement" and c.section == "achievement" for c in by_cue["只增不减"])
    coverage = [c for c in by_cue["全覆盖"] if c.type == "achievement" and c.section == "achievement"]
    assert len(coverage) >= 2
    cleared = [c for c in dazu_claims if c.type == "achievement" and "清零" in c.cue and c.section == "achievement"]
    assert len(cleared) == 1
    # F3 of the gold: issued in the achievements, not issued in the problems
    f3 = next(item for item in gold_findings["must_find"] if item["id"] == "F3")
    docno = next(anchor for anchor in f3["anchors"] if "〔" in anchor)
    issued = [c for c in dazu_claims if c.type == "doc_issued" and docno in c.text]
    assert len(issued) == 1 and issued[0].section == "achievement"
    assert issued[0].target and issued[0].target.endswith("工作清单的通知")
    not_issued = [c for c in dazu_claims if c.type == "doc_not_issued"]
    assert len(not_issued) == 1 and not_issued[0].section == "problem"
    assert not_issued[0].target and not_issued[0].target.endswith("工作清单")
    assert issued[0].target.replace("〈", "<").replace("〉", ">").startswith(not_issued[0].target)
    # F7: the coverage problem that qualifies the 全覆盖 claim
    assert any(c.type == "problem" and c.cue == "覆盖率不高" and c.section == "problem" for c in dazu_claims)


def test_dazu_claim_types_by_section(dazu_claims):
    assert {c.section for c in dazu_claims if c.type == "commitment"} == {"measure"}
    assert not [c for c in dazu_claims if c.type == "problem" and c.section == "measure"]
    assert sum(c.type == "problem" and c.section == "problem" for c in dazu_claims) >= 30
    hedged = [c for c in dazu_claims if c.hedge == "基本"]
    assert hedged and all(c.type == "achievement" for c in hedged)


def test_dazu_pdf_gives_the_same_claims(dazu_claims, corpus_dir):
    from pipeline.extract.docnos import find_docnos_and_titles
    from pipeline.ingest import load_document

    document = load_document(str(corpus_dir / "dazu-2022.pdf"))
    docnos, titles = find_docnos_and_titles(document.text)
    claims = find_claims(document.text, segment(document), docnos, titles)
    assert [(c.type, c.cue, c.section, c.target, c.hedge) for c in claims] == [
        (c.type, c.cue, c.section, c.target, c.hedge) for c in dazu_claims
    ]
    for claim in claims:
        assert document.text[claim.start : claim.end] == claim.text


def test_not_issued_cue_with_its_own_object_does_not_take_a_title_of_the_sentence():
    own = _in_section("存在的问题", "《县域课程改革实施方案》印发后，部分学校的课程实施细则尚未出台。")
    (claim,) = [c for c in _claims(own) if c.type == "doc_not_issued"]
    assert claim.target is None
    back = _in_section("存在的问题", "《县域课程改革实施方案》征求意见多轮，至今尚未出台。")
    (claim,) = [c for c in _claims(back) if c.type == "doc_not_issued"]
    assert claim.target == "县域课程改革实施方案"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a?b", {"a", "b"}),
        (r"(?:x|)y", {"x", "y"}),
        (r"(?<![\d.])不足(?!\s*\d)", {"不"}),
        (r"^a", {"a"}),
        (r"(?:ab){0,2}c", {"a", "c"}),
        (r"(?:a?){2}b", {"a", "b"}),
        (r"[a-c]x", {"a", "b", "c"}),
        (r"a*", None),  # may match the empty string
        (r"a|", None),
        (r".b", None),
        (r"[^a]", None),
        (r"\d", None),
        (r"(?i)a", None),
        (r"[\u4e00-\u9fff]", None),  # too wide to index
    ],
)
def test_leading_chars(pattern, expected):
    import re

    from pipeline.extract.claims import leading_chars

    found = leading_chars(re.compile(pattern))
    assert (None if found is None else set(found)) == expected


def test_cue_matches_start_with_their_leading_chars(dazu_text):
    from pipeline.normalize import fold

    folded = fold(dazu_text)
    for cue in ClaimLexicon.load().patterns:
        assert cue.first_chars is not None, cue.pattern.pattern
        for match in cue.pattern.finditer(folded):
            if match.end() > match.start():
                assert folded[match.start()] in cue.first_chars


def test_cue_index_changes_no_claim(dazu_text):
    """Skipping sentences without a cue's first character gives the claims of trying every cue everywhere."""
    import dataclasses

    from pipeline.extract.docnos import find_docnos_and_titles

    lexicon = ClaimLexicon.load()
    unindexed = dataclasses.replace(
        lexicon, patterns=tuple(dataclasses.replace(cue, first_chars=None) for cue in lexicon.patterns)
    )
    structure = segment(Document(path="dazu-2022.txt", media_type="txt", sha256="", text=dazu_text))
    docnos, titles = find_docnos_and_titles(dazu_text)
    indexed = find_claims(dazu_text, structure, docnos, titles, lexicon)
    assert indexed == find_claims(dazu_text, structure, docnos, titles, unindexed)
    assert len(indexed) > 100
