"""Reference rules on our own examples."""

from __future__ import annotations

from test_check_engine import findings_of

ISSUED = "一、主要成效\n区教委印发《关于落实〈县域教育质量提升方案〉的工作清单》（宁教发〔2021〕3号）。\n二、存在问题\n"


def test_ref_status_issued_then_not_issued_across_bracket_variants() -> None:
    text = ISSUED + "政策落实有待加强，暂未出台《关于落实<县域教育质量提升方案>的工作清单》。\n"
    (finding,) = findings_of(text, "REF-STATUS")
    quotes = "".join(e.quote for e in finding.evidence)
    assert "宁教发〔2021〕3号" in quotes and "暂未出台" in quotes
    assert finding.severity == "warning"


def test_ref_status_other_document_is_quiet() -> None:
    text = ISSUED + "政策落实有待加强，暂未出台《学校课后服务经费管理办法》。\n"
    assert findings_of(text, "REF-STATUS") == []


def test_ref_conflict_one_number_two_titles() -> None:
    text = "县政府印发《县域学前教育普及普惠实施方案》（青府发〔2021〕7号）和《义务教育优质均衡推进计划》（青府发〔2021〕7号）。"
    (finding,) = findings_of(text, "REF-CONFLICT")
    assert finding.severity == "error" and len(finding.evidence) >= 2
    same = "县政府印发《县域学前教育普及普惠实施方案》（青府发〔2021〕7号），后又重申《县域学前教育普及普惠实施方案》（青府发〔2021〕7号）。"
    assert findings_of(same, "REF-CONFLICT") == []


def test_ref_docno_format() -> None:
    (finding,) = findings_of("县教育局印发《课后服务工作指引》（青教发（2022）05号）。", "REF-DOCNO-FORMAT")
    assert finding.severity == "warning" and "青教发〔2022〕5号" in finding.message
    assert findings_of("县教育局印发《课后服务工作指引》（青教发〔2022〕5号）。", "REF-DOCNO-FORMAT") == []


SERVICE = "一、主要做法\n旗教育局制定印发《旗域中小学课后延时服务管理办法》（某教发〔2021〕12号）。\n二、存在的问题\n"


def test_ref_status_cue_after_the_title_and_shortened_title() -> None:
    for later in ("《旗域中小学课后延时服务管理办法》至今尚未印发，教师补助无据可依。",
                  "《课后延时服务管理办法》尚未出台，教师补助无据可依。"):
        (finding,) = findings_of(SERVICE + later, "REF-STATUS")
        quotes = "".join(e.quote for e in finding.evidence)
        assert "某教发〔2021〕12号" in quotes and ("尚未印发" in quotes or "尚未出台" in quotes)


def test_ref_status_other_or_enclosing_document_is_quiet() -> None:
    assert findings_of(SERVICE + "《旗域中小学研学实践管理办法》至今尚未印发。", "REF-STATUS") == []
    # the not-issued list is about the scheme, it is not the scheme
    nested = ("一、主要做法\n出台《县域教育质量提升方案》（某府发〔2021〕3号）。\n二、存在的问题\n"
              "暂未出台《关于落实〈县域教育质量提升方案〉的任务分工》。\n")
    assert findings_of(nested, "REF-STATUS") == []


def test_ref_docno_house_style_is_one_info_finding() -> None:
    house = "印发《课后服务指引》（某教发【2021】5号）和《研学实践办法》（某教发【2022】8号）。"
    (finding,) = findings_of(house, "REF-DOCNO-FORMAT")
    assert finding.severity == "info" and len(finding.evidence) == 2
    mixed = "印发《课后服务指引》（某教发〔2021〕5号）和《研学实践办法》（某教发[2022]8号）。"
    (finding,) = findings_of(mixed, "REF-DOCNO-FORMAT")
    assert finding.severity == "warning" and finding.evidence[0].quote == "某教发[2022]8号"


def test_ref_status_not_issued_cue_about_another_object_in_the_same_sentence() -> None:
    text = ("一、主要成效\n县政府印发《县域义务教育课程改革实施方案》（某府办发〔2022〕8号）。\n二、存在的问题\n"
            "《县域义务教育课程改革实施方案》印发后，部分学校的课程实施细则尚未出台。\n")
    assert findings_of(text, "REF-STATUS") == []
    back = text.replace("印发后，部分学校的课程实施细则尚未出台", "，至今尚未出台")
    (finding,) = findings_of(back, "REF-STATUS")
    assert "某府办发〔2022〕8号" in "".join(e.quote for e in finding.evidence)
