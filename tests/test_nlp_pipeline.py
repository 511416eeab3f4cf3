"""The NLP layer: blank zh + private jieba + the extractor components."""

from __future__ import annotations

import importlib
import time

import pytest
from spacy import displacy
from spacy.language import Language

from pipeline.nlp import build_segmenter, load, records_of, words
from pipeline.nlp import components
from pipeline.nlp.components import PIPE_ORDER


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load()


def test_components_are_registered_and_in_order(nlp: Language) -> None:
    for name in PIPE_ORDER:
        assert Language.has_factory(name)
    assert nlp.pipe_names == list(PIPE_ORDER)


def test_registration_is_idempotent() -> None:
    importlib.reload(components)
    importlib.reload(components)
    assert Language.has_factory("dutyaudit_quantities")


def test_doc_text_is_the_input_text(nlp: Language) -> None:
    text = "一、基本情况\n全县投入１.５亿元，新建学校3所。\t联系电话：13812345678"
    assert nlp(text).text == text


def test_quantity_spans_and_records(nlp: Language) -> None:
    text = "全县投入教育经费3.5亿元，新建校舍2万平方米，入园率达92%。"
    doc = nlp(text)
    records = records_of(doc, "quantities")
    assert [r.text for r in records] == ["3.5亿元", "2万平方米", "92%"]
    assert [s.label_ for s in doc.spans["quantities"]] == ["money", "area", "percent"]
    for span, record in zip(doc.spans["quantities"], records):
        assert span.start_char <= record.start and record.end <= span.end_char
    html = displacy.render(doc, style="span", options={"spans_key": "quantities"}, page=False)
    assert "money" in html


def test_docno_and_title_spans_present(nlp: Language) -> None:
    text = "印发《关于加强教师队伍建设的实施意见》（黔教发〔2023〕12号），投入资金50万元。"
    doc = nlp(text)
    docnos = records_of(doc, "docnos")
    assert [d.serial for d in docnos] == [12]
    assert len(doc.spans["docnos"]) == 1
    assert [t.title for t in records_of(doc, "titles")] == ["关于加强教师队伍建设的实施意见"]
    # the number parts of the docno are not quantities
    assert [q.text for q in records_of(doc, "quantities")] == ["50万元"]


def test_words_use_the_user_dictionary(nlp: Language) -> None:
    tokens = words(nlp, "各校生均公用经费按时拨付，落实双减和五育并举，控辍保学成效明显。")
    for term in ("生均公用经费", "双减", "五育并举", "控辍保学"):
        assert term in tokens
    assert all(not t.isspace() for t in words(nlp, "课后 服务\n全覆盖"))


def test_without_user_dictionary_terms_split(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    segmenter = build_segmenter(empty)
    assert "生均公用经费" not in list(segmenter.cut("生均公用经费", HMM=False))


def test_user_dictionary_has_enough_domain_entries() -> None:
    from pipeline.nlp import default_user_dict

    lines = [line for line in default_user_dict().read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 150
    assert len({line.split()[0] for line in lines}) == len(lines)


def test_missing_user_dictionary_is_a_config_error(tmp_path) -> None:
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError):
        load(tmp_path / "nope.txt")


def test_tokenizer_only_pipeline(nlp: Language) -> None:
    start = time.perf_counter()
    bare = load(components=False)
    assert bare.pipe_names == []
    assert time.perf_counter() - start < 20
    assert words(bare, "课后服务") == ["课后服务"]


def test_jieba_is_imported_without_pkg_resources_and_still_reads_its_own_files(tmp_path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, pipeline.nlp as n\n"
        "assert 'pkg_resources' not in sys.modules, 'pkg_resources imported'\n"
        "t = n.jieba.Tokenizer(); t.tmp_dir = sys.argv[1]; t.initialize()\n"  # jieba's own dictionary, no cache
        "from jieba import finalseg\n"
        "print(len(t.FREQ) > 300000, list(finalseg.cut('学校教育')) != [])\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "True"]
