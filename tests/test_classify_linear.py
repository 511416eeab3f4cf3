"""The numpy prediction path (``classify/linear.py``) against scikit-learn, its file format, and
the document-words shortcut of ``classify``."""

from __future__ import annotations

import functools
import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline import nlp
from pipeline.classify import ZeroShotRanker, classify, load_classifier, load_scheme
from pipeline.classify.features import WORD_TOKEN_PATTERN, feature_text, remove_spaces
from pipeline.classify.linear import LinearTextModel, TfidfTable, char_ngrams, load_npz, save_npz, word_ngrams
from pipeline.classify.training import build_pipeline, export_linear_model, load_labelled_passages
from pipeline.extract import extract
from pipeline.records import Document
from pipeline.segment import segment

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def language():
    return nlp.load()


@pytest.fixture(scope="module")
def scheme():
    return load_scheme("chongqing-2022")


@pytest.fixture(scope="module")
def feature_texts(scheme, language):
    passages = load_labelled_passages(REPO / "corpora" / "labelled" / "passages", scheme)
    tokenize = functools.partial(nlp.words, language)
    return [feature_text(p.text, tokenize) for p in passages], [p.point for p in passages]


@pytest.fixture(scope="module")
def fitted(feature_texts):
    texts, points = feature_texts
    pipeline = build_pipeline()
    pipeline.fit(texts[::2], points[::2])  # half the corpus keeps the test quick; the other half is unseen
    return pipeline


def test_exported_model_gives_scikit_learns_probabilities(fitted, feature_texts):
    texts = feature_texts[0][1::2]
    ours = export_linear_model(fitted).predict_proba(texts)
    theirs = fitted.predict_proba(texts)
    assert ours.shape == theirs.shape == (len(texts), len(fitted.classes_))
    assert np.abs(ours - theirs).max() < 1e-12
    assert (ours.argmax(axis=1) == theirs.argmax(axis=1)).all()


def test_empty_and_unknown_texts_get_the_intercepts_softmax(fitted):
    model = export_linear_model(fitted)
    ours = model.predict_proba(["", "zzzz qqqq"])
    theirs = fitted.predict_proba(["", "zzzz qqqq"])
    assert np.abs(ours - theirs).max() < 1e-12


@pytest.mark.parametrize(
    ("analyzer", "ngram_range", "reference"),
    [
        ("word", (1, 1), lambda: TfidfVectorizer(token_pattern=WORD_TOKEN_PATTERN, lowercase=False, sublinear_tf=True)),
        ("word", (1, 2), lambda: TfidfVectorizer(token_pattern=WORD_TOKEN_PATTERN, lowercase=False, sublinear_tf=True, ngram_range=(1, 2))),
        ("char", (2, 3), lambda: TfidfVectorizer(analyzer="char", preprocessor=remove_spaces, ngram_range=(2, 3), sublinear_tf=True)),
    ],
)
def test_fitted_table_matches_tfidf_vectorizer(feature_texts, analyzer, ngram_range, reference):
    texts = feature_texts[0]
    train, unseen = texts[:60], texts[60:120]
    table = TfidfTable.fit(train, analyzer, ngram_range)
    vectorizer = reference()
    expected_train = vectorizer.fit_transform(train).toarray()
    assert table.vocabulary == vectorizer.vocabulary_
    assert np.abs(table.dense(train) - expected_train).max() < 1e-12
    assert np.abs(table.dense(unseen) - vectorizer.transform(unseen).toarray()).max() < 1e-12


def test_analyzers_match_scikit_learns_including_white_space_runs():
    text = "全区 共有 学校 0 所 \u3000\t\n 教师 队伍 稳定"
    words = TfidfVectorizer(token_pattern=WORD_TOKEN_PATTERN, lowercase=False, ngram_range=(1, 2)).build_analyzer()
    chars = TfidfVectorizer(analyzer="char", preprocessor=remove_spaces, ngram_range=(1, 3)).build_analyzer()
    assert word_ngrams(text, (1, 2)) == words(text)
    assert char_ngrams(text, (1, 3)) == chars(text)
    assert word_ngrams("一", (1, 2)) == ["一"] and char_ngrams("", (1, 3)) == []


def test_export_refuses_settings_the_numpy_path_does_not_apply(feature_texts):
    texts, points = feature_texts
    pipeline = build_pipeline()
    pipeline.set_params(features__words__lowercase=True)
    pipeline.fit(texts[:80], points[:80])
    with pytest.raises(ValueError, match="not supported"):
        export_linear_model(pipeline)


def test_saved_arrays_are_byte_stable_and_round_trip(tmp_path, fitted):
    model = export_linear_model(fitted)
    save_npz(tmp_path / "a.npz", model.to_arrays())
    save_npz(tmp_path / "b.npz", model.to_arrays())
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    again = LinearTextModel.from_arrays(load_npz(tmp_path / "a.npz"))
    assert again.classes == model.classes and np.array_equal(again.coef, model.coef)
    assert [b.vocabulary for b in again.branches] == [b.vocabulary for b in model.branches]
    assert np.array_equal(again.predict_proba(["学校 食堂"]), model.predict_proba(["学校 食堂"]))


def test_model_files_with_pickles_or_wrong_shapes_are_refused(tmp_path, fitted):
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, format=np.array([{"code": "runs on load"}], dtype=object))
    with pytest.raises(ValueError):
        LinearTextModel.from_arrays(load_npz(pickled))
    (tmp_path / "text.npz").write_text("not a zip", encoding="utf-8")
    with pytest.raises(ValueError):
        load_npz(tmp_path / "text.npz")
    arrays = export_linear_model(fitted).to_arrays()
    arrays["coef"] = arrays["coef"][:, :-1]
    with pytest.raises(ValueError, match="do not match"):
        LinearTextModel.from_arrays(arrays)


def test_auditing_does_not_import_scikit_learn():
    """Prediction runs on the exported arrays: the ~1.3 s import of scikit-learn stays out of start-up."""
    code = (
        "import sys\n"
        "from pipeline.runner import Context, audit_file\n"
        "ctx = Context.build()\n"
        f"result = audit_file({str(REPO / 'corpora' / 'samples' / 'heting-2024.txt')!r}, ctx)\n"
        "assert result.status == 'ok' and result.classification.mode == 'model', result\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'joblib')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert run.stdout.strip() == "[]"


def test_document_words_give_the_same_labels_as_tokenising_each_passage(dazu_text, language, scheme):
    """``classify`` reads passages' words from the extract stage's tokenisation of the whole document;
    the labels must be those of tokenising every passage on its own."""
    document = Document(
        path="dazu-2022.txt", media_type="txt", sha256=hashlib.sha256(dazu_text.encode()).hexdigest(), text=dazu_text
    )
    structure = segment(document)
    extraction = extract(document, structure, language)
    assert len(extraction.word_starts) > 1000 and list(extraction.word_starts) == sorted(set(extraction.word_starts))
    classifier = load_classifier(scheme)
    ranker = ZeroShotRanker.build(scheme, functools.partial(nlp.words, language))
    calls: list[str] = []

    def counting_tokenize(text: str) -> list[str]:
        calls.append(text)
        return nlp.words(language, text)

    shortcut = classify(document, structure, scheme, classifier, counting_tokenize, ranker, extraction.word_starts)
    shortcut_calls = len(calls)  # heading labels without their numbers are the only texts left to tokenise
    calls.clear()
    alone = classify(document, structure, scheme, classifier, counting_tokenize, ranker)
    assert shortcut == alone
    assert shortcut_calls < len(calls) / 5


@pytest.mark.parametrize(
    ("analyzer", "ngram_range", "min_df_texts"),
    [("char", (1, 3), 200), ("char", (2, 3), 60), ("word", (1, 2), 200), ("word", (1, 1), 60)],
)
def test_batched_rows_equal_one_by_one_bit_for_bit(feature_texts, analyzer, ngram_range, min_df_texts):
    """``transform_rows`` counts and weighs a whole batch in numpy (and looks character n-grams up
    there too); every row must be the very arrays ``transform_row`` gives (columns in the same
    order, equal floats), or the model's sums would add in another order."""
    texts = feature_texts[0]
    table = TfidfTable.fit(texts[:min_df_texts], analyzer, ngram_range)
    hostile = ["", "a", "ab", "全", "\ud800孤立代理", "\U0001f600表情 符号", "0  0", "学 校\n\n教 师"]
    batch = texts[min_df_texts : min_df_texts + 150] + hostile + texts[:20]
    batched = table.transform_rows(batch)
    assert len(batched) == len(batch)
    for text, (columns, values) in zip(batch, batched):
        expected_columns, expected_values = table.transform_row(text)
        assert columns.tolist() == expected_columns.tolist(), text
        assert values.tobytes() == expected_values.tobytes(), text
    assert sum(len(columns) for columns, _ in batched) > 1000


def test_model_and_ranker_scores_are_unchanged_by_batching(fitted, feature_texts, scheme, language):
    texts = feature_texts[0][1::2][:80]
    model = export_linear_model(fitted)
    one_by_one = np.vstack([model.predict_proba([text]) for text in texts])
    assert model.predict_proba(texts).tobytes() == one_by_one.tobytes()
    ranker = ZeroShotRanker.build(scheme, functools.partial(nlp.words, language))
    raw = [t.replace(" ", "") for t in texts]
    tokenize = functools.partial(nlp.words, language)
    single = np.vstack([ranker.point_scores([text], tokenize) for text in raw])
    assert ranker.point_scores(raw, tokenize).tobytes() == single.tobytes()


def test_aspect_totals_of_all_rows_equal_row_by_row(scheme):
    from pipeline.classify.labelling import aspect_total_rows, aspect_totals

    point_ids = [p.id for p in scheme.points]
    aspect_columns = [[point_ids.index(p.id) for p in aspect.points] for aspect in scheme.aspects]
    rng = np.random.default_rng(7)
    for _ in range(200):
        rows = rng.random((int(rng.integers(1, 40)), len(point_ids))) ** int(rng.integers(1, 6))
        rows /= rows.sum(axis=1, keepdims=True)
        expected = np.array([aspect_totals(row, aspect_columns) for row in rows])
        assert aspect_total_rows(rows, aspect_columns).tobytes() == expected.tobytes()
    assert aspect_total_rows(np.zeros((0, len(point_ids))), aspect_columns).shape == (0, len(aspect_columns))


def test_top_points_keep_scheme_order_on_ties_as_a_stable_sort_does(scheme):
    from pipeline.classify.labelling import TOP_N, label_passage

    point_ids = tuple(p.id for p in scheme.points)
    aspect_columns = [[point_ids.index(p.id) for p in aspect.points] for aspect in scheme.aspects]
    limits = {"aspect": 0.0, "point": 0.0}
    rng = np.random.default_rng(11)
    for _ in range(300):
        row = rng.choice([0.0, 0.05, 0.1, 0.2, rng.random()], size=len(point_ids))  # many ties
        expected_order = sorted(range(len(point_ids)), key=lambda i: -row[i])[:TOP_N]
        expected = tuple((point_ids[i], round(float(row[i]), 4)) for i in expected_order if row[i] > 0)
        assert label_passage("p1", row, scheme, point_ids, aspect_columns, limits).top == expected
