"""Schemes are data: both shipped schemes load; malformed ones raise ConfigError naming the field."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline import nlp
from pipeline.classify import classify, load_classifier, load_scheme
from pipeline.classify.model import classifier_dir
from pipeline.errors import ConfigError, ModelError
from pipeline.records import Document, Passage, Structure

REPO = Path(__file__).resolve().parents[1]
SCHEME_DIR = REPO / "models" / "schemes"

CHONGQING_ASPECTS = {
    "A1": "坚持党对教育工作的全面领导",
    "A2": "保障教育优先发展",
    "A3": "五育并举（落实立德树人根本任务）",
    "A4": "落实改革发展重点任务",
    "A5": "加强师资队伍建设",
    "A6": "促进教育公平",
    "A7": "确保校园安全稳定",
    "A8": "规范办学行为",
}

# Own example passages (not from any real report), one per topic, for the second scheme.
EXAMPLE_PARAGRAPHS = (
    "县委常委会专题研究教育工作三次，教育工作领导小组定期召开会议。",
    "全县中小学校党组织实现全覆盖，全面推行党组织领导的校长负责制。",
    "一般公共预算教育支出较上年增长4.2%，实现两个只增不减。",
    "学科类校外培训机构全部压减，课后服务实现全覆盖。",
    "专职保安配备、一键报警和视频监控全部达标，开展防溺水安全教育。",
    "2023年5月",
)


def write_scheme(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "scheme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture()
def chongqing_data() -> dict:
    with open(SCHEME_DIR / "chongqing-2022.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_chongqing_scheme_has_the_fixed_aspects_and_38_points():
    scheme = load_scheme("chongqing-2022")
    assert {a.id: a.name for a in scheme.aspects} == CHONGQING_ASPECTS
    assert len(scheme.points) == 38
    assert all(p.id.startswith(p.aspect + ".") for p in scheme.points)
    assert any(p.checkable_figure for p in scheme.points) and not all(p.checkable_figure for p in scheme.points)
    assert scheme.aspect_of("A5.2") == "A5"


def test_scheme_loads_by_path_as_well_as_by_id():
    by_id = load_scheme("national-2021")
    by_path = load_scheme(SCHEME_DIR / "national-2021.yaml")
    assert by_id.aspects == by_path.aspects
    assert len(by_id.aspects) == 9
    assert by_id.id == "national-2021"


def test_second_scheme_classifies_zero_shot_with_a_coverage_matrix():
    scheme = load_scheme("national-2021")
    assert load_classifier(scheme) is None  # no model shipped: zero-shot
    text = "\n".join(EXAMPLE_PARAGRAPHS)
    passages, offset = [], 0
    for index, line in enumerate(EXAMPLE_PARAGRAPHS):
        passages.append(Passage(id=f"p{index + 1:04d}", start=offset, end=offset + len(line), page=1, section="achievement", heading_path=()))
        offset += len(line) + 1
    document = Document(path="x.txt", media_type="txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)
    structure = Structure(headings=(), passages=tuple(passages), sentences=())
    result = classify(document, structure, scheme, None, functools.partial(nlp.words, nlp.load()))
    assert result.mode == "zero_shot" and result.scheme_id == "national-2021"
    assert [point for point, _ in result.coverage] == [p.id for p in scheme.points]
    aspects = [label.aspect for label in result.labels]
    assert aspects[:5] == ["N1", "N1", "N2", "N3", "N6"]
    assert aspects[5] is None  # a bare date carries no topic
    coverage = dict(result.coverage)
    assert "p0003" in coverage["N2.1"]
    assert coverage["N7.1"] == ()  # nothing about ideology in the examples
    assert all(label.point is None or label.point.startswith(label.aspect + ".") for label in result.labels)


def test_missing_field_is_named(tmp_path, chongqing_data):
    data = copy.deepcopy(chongqing_data)
    del data["aspects"][2]["points"][1]["checkable_figure"]
    with pytest.raises(ConfigError, match="checkable_figure"):
        load_scheme(write_scheme(tmp_path, data))
    data = copy.deepcopy(chongqing_data)
    del data["issuer"]
    with pytest.raises(ConfigError, match="issuer"):
        load_scheme(write_scheme(tmp_path, data))


def test_duplicate_id_is_rejected(tmp_path, chongqing_data):
    data = copy.deepcopy(chongqing_data)
    data["aspects"][0]["points"][1]["id"] = "A1.1"
    with pytest.raises(ConfigError, match="A1.1"):
        load_scheme(write_scheme(tmp_path, data))
    data = copy.deepcopy(chongqing_data)
    data["aspects"][1]["id"] = "A1"
    with pytest.raises(ConfigError, match="重复|Duplicate"):
        load_scheme(write_scheme(tmp_path, data))


def test_point_outside_its_aspect_is_rejected(tmp_path, chongqing_data):
    data = copy.deepcopy(chongqing_data)
    data["aspects"][0]["points"].append(dict(data["aspects"][0]["points"][0], id="A2.9"))
    with pytest.raises(ConfigError, match="A2.9"):
        load_scheme(write_scheme(tmp_path, data))


def test_valid_copy_loads_and_bad_yaml_or_missing_file_fail(tmp_path, chongqing_data):
    assert load_scheme(write_scheme(tmp_path, chongqing_data)).id == "chongqing-2022"
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_scheme(broken)
    with pytest.raises(ConfigError, match="not found|不存在"):
        load_scheme("no-such-scheme")


def copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(classifier_dir("chongqing-2022"), target)
    return target


def test_shipped_model_loads_from_a_copy(tmp_path):
    from pipeline.classify.model import load_classifier as load_from

    scheme = load_scheme("chongqing-2022")
    classifier = load_from(scheme, copy_model(tmp_path))
    assert classifier is not None and classifier.labels == tuple(p.id for p in scheme.points)


def test_model_file_of_another_format_raises_model_error_and_training_version_does_not_matter(tmp_path):
    import numpy as np

    from pipeline.classify.linear import load_npz, save_npz
    from pipeline.classify.model import file_sha256
    from pipeline.classify.model import load_classifier as load_from

    scheme = load_scheme("chongqing-2022")
    folder = copy_model(tmp_path)
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    major, minor = (int(x) for x in meta["sklearn_version"].split(".")[:2])
    meta["sklearn_version"] = f"{major}.{minor + 1}.0"  # arrays, not a pickle: any scikit-learn may have trained it
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert load_from(scheme, folder) is not None

    arrays = load_npz(folder / "model.npz")
    arrays["format"] = np.array(["some-other-format/9"])
    save_npz(folder / "model.npz", arrays)
    meta["model_sha256"] = file_sha256(folder / "model.npz")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="train_classifier"):
        load_from(scheme, folder)


def test_model_for_another_scheme_or_tampered_file_raises_model_error(tmp_path):
    from pipeline.classify.model import load_classifier as load_from

    folder = copy_model(tmp_path)
    with pytest.raises(ModelError):
        load_from(load_scheme("national-2021"), folder)
    with open(folder / "model.npz", "ab") as f:
        f.write(b"tampered")
    with pytest.raises(ModelError):
        load_from(load_scheme("chongqing-2022"), folder)
