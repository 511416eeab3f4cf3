"""Classify passages against an indicator scheme (scikit-learn: ``training.py`` only).

Public API::

    load_scheme(id_or_path) -> Scheme
    load_classifier(scheme) -> PassageClassifier | None
    classify(document, structure, scheme, classifier, tokenize, ranker=None, word_starts=()) -> Classification

Modes: "model" when a trained model for the scheme is shipped under
``models/classifier/<scheme id>/`` (its probabilities, blended with a quarter of
the zero-shot similarity; prediction in numpy from ``model.npz``, see ``linear.py``), else "zero_shot" (TF-IDF similarity between the
passage and each point's name, description and keywords, fitted on the
scheme's own text). A passage's aspect is the aspect whose points have the
highest total score; its point is the best point within that aspect.
Schemes: ``models/schemes/*.yaml`` (see ``scheme.py`` for the fields).
Training: ``scripts/train_classifier.py`` (``training.py``).
"""

from __future__ import annotations

from typing import Any

from pipeline.classify.scheme import Aspect, Point, Scheme, load_scheme

__all__ = [
    "Aspect", "PassageClassifier", "Point", "Scheme", "ZeroShotRanker", "classify", "load_classifier", "load_scheme",
]

# Schemes load without numpy and the model code: those are imported on first use.
_LAZY = {
    "classify": "pipeline.classify.labelling",
    "PassageClassifier": "pipeline.classify.model",
    "load_classifier": "pipeline.classify.model",
    "ZeroShotRanker": "pipeline.classify.zero_shot",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
