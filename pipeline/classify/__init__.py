"""Classify passages against an indicator scheme (the only place that imports scikit-learn).

Public API::

    load_scheme(id_or_path) -> Scheme
    load_classifier(scheme) -> PassageClassifier | None
    classify(document, structure, scheme, classifier, tokenize) -> Classification
"""

from __future__ import annotations

from pipeline.classify.labelling import classify
from pipeline.classify.model import PassageClassifier, load_classifier
from pipeline.classify.scheme import Aspect, Point, Scheme, load_scheme

__all__ = ["Aspect", "PassageClassifier", "Point", "Scheme", "classify", "load_classifier", "load_scheme"]
