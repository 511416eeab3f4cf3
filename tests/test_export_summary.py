"""summary.json: near-duplicates across reports, boilerplate ignored, outliers, determinism."""

from __future__ import annotations

import json

from pipeline.export.report_json import report_to_dict
from pipeline.export.summary import build_summary, indicator_values, near_duplicates, outliers
from pipeline.records import Document, Passage, Quantity, ReportResult, Structure
from test_export_json import failed_result, make_result

COPIED = "我区坚持把教育摆在优先发展的战略位置，建立健全教育投入稳定增长机制，确保一般公共预算教育支出逐年只增不减。"
COPIED_EDITED = "我县坚持把教育摆在优先发展的战略位置，建立健全教育投入稳定增长机制，确保一般公共预算教育支出逐年只增不减。"
BOILER = "全面贯彻党的教育方针，落实立德树人根本任务，发展素质教育，推进教育公平，培养德智体美劳全面发展的社会主义建设者和接班人。"
SCHEME_LIKE = "党委教育工作领导小组及其秘书机构运行，党委常委会、政府常务会专题研究教育工作，将教育纳入经济社会发展考核。"


OWN = {
    "甲区": "甲区今年新建改扩建学校5所，新增学位3200个，城乡学校办学条件持续改善。",
    "乙县乙县乙县": "乙县实施教师“县管校聘”管理改革，交流轮岗校长教师共计418人次，乡村教师生活补助按月足额发放。",
    "丙区": "丙区建成智慧校园示范学校12所，宽带网络接入率达到百分之百，教师信息技术应用能力培训全员完成。",
    "丁区丁区": "丁区校园安全“四个一百”全面达标，专职保安配备到位，食品安全实现“明厨亮灶”全覆盖。",
    "丁区丁区丁区丁区": "丁区深化集团化办学，组建教育集团7个，覆盖城乡学校45所，优质资源辐射带动作用明显。",
}


def _own(tag: str) -> str:
    return OWN[tag]


def _report(path: str, lines: list[str]) -> dict:
    return report_to_dict(make_result(path, lines, issuer=path.rsplit("/", 1)[-1]))


def test_export_summary_near_duplicate_between_two_reports() -> None:
    a = _report("/in/a.txt", [_own("甲区"), COPIED])
    b = _report("/in/b.txt", [COPIED_EDITED, _own("乙县乙县乙县")])
    dup = near_duplicates([("a", a), ("b", b)])
    assert dup["threshold"] == 90.0
    assert len(dup["pairs"]) == 1
    pair = dup["pairs"][0]
    assert pair["a"]["report"] == "a" and pair["b"]["report"] == "b" and pair["score"] >= 90
    assert a["text"][pair["a"]["start"] : pair["a"]["end"]] == COPIED
    assert b["text"][pair["b"]["start"] : pair["b"]["end"]] == COPIED_EDITED
    # the same report never pairs with itself
    same = _report("/in/c.txt", [COPIED, COPIED])
    assert near_duplicates([("c", same)])["pairs"] == []


def test_export_summary_boilerplate_and_scheme_text_ignored() -> None:
    reports = [
        ("a", _report("/in/a.txt", [BOILER, COPIED, SCHEME_LIKE])),
        ("b", _report("/in/b.txt", [BOILER, COPIED_EDITED, SCHEME_LIKE])),
        ("c", _report("/in/c.txt", [BOILER, _own("丙区"), SCHEME_LIKE])),
        ("d", _report("/in/d.txt", [_own("丁区丁区"), _own("丁区丁区丁区丁区")])),
    ]
    dup = near_duplicates(reports, reference_texts=[SCHEME_LIKE, "教育工作领导体制与议事机制"])
    assert dup["boilerplate_min_reports"] == 3
    assert dup["boilerplate_pairs_ignored"] == 3  # BOILER in a, b, c
    assert dup["scheme_like_passages_ignored"] == 3
    assert [(p["a"]["report"], p["b"]["report"]) for p in dup["pairs"]] == [("a", "b")]
    assert reports[0][1]["text"][dup["pairs"][0]["a"]["start"] :].startswith(COPIED)


def _money_report(name: str, amount: float) -> tuple[str, dict]:
    text = f"我区小学生均公用经费达到{amount:g}元，较上年增长。"
    start = text.index(f"{amount:g}元")
    end = start + len(f"{amount:g}元")
    doc = Document(path=f"/in/{name}.txt", media_type="txt", sha256=name * 8, text=text)
    q = Quantity(text[start:end], start, end, 1, "money", amount, "元")
    from pipeline.records import Extraction

    result = ReportResult(doc.path, doc.sha256, "txt", 1, "ok", None, doc,
                          Structure((), (Passage("p0000", 0, len(text), 1, "achievement", ()),), ()), Extraction((q,)))
    return name, report_to_dict(result)


def test_export_summary_outliers() -> None:
    reports = [_money_report(n, v) for n, v in (("a", 1000), ("b", 1050), ("c", 980), ("d", 1020), ("e", 9800))]
    found = indicator_values(reports[0][1])
    assert found["生均公用经费"]["value"] == 1000
    out = outliers(reports)
    entry = next(e for e in out["indicators"] if e["indicator"] == "生均公用经费")
    assert entry["compared"] and entry["median"] == 1020 and entry["outliers"] == ["e"]
    # fewer than 4 reports: listed, not compared
    few = outliers(reports[:3])
    entry = next(e for e in few["indicators"] if e["indicator"] == "生均公用经费")
    assert not entry["compared"] and entry["outliers"] == []
    assert "median" in out["method"] and out["min_reports"] == 4


def test_export_summary_whole_and_deterministic() -> None:
    reports = [("dazu", report_to_dict(make_result())), ("zero", report_to_dict(failed_result()))]
    summary = build_summary(reports, scheme="chongqing-2022")
    assert summary["counts"] == {
        "reports": 2, "ok": 1, "failed": 1,
        "findings_by_severity": {"error": 1, "warning": 1, "info": 1},
        "findings_by_category": {"arithmetic": 1, "claim": 1, "format": 1},
    }
    assert summary["coverage"]["points"] == ["A2.1", "A2.2", "A2.10"]
    assert summary["coverage"]["points_covered_per_aspect"]["dazu"] == {"A2": [1, 3]}
    assert summary["reports"][1]["error_code"] == "empty_file"
    text = json.dumps(summary, sort_keys=True, ensure_ascii=False)
    assert text == json.dumps(build_summary(list(reversed(reports)), scheme="chongqing-2022"), sort_keys=True, ensure_ascii=False)
