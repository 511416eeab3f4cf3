"""Where the project's data lives: ``models/`` and ``corpora/`` beside the package.

dutyaudit runs from a checkout (``pip install -e .``); the data directories are
found relative to the package. ``DUTYAUDIT_HOME`` may point elsewhere (a copy of
the checkout's ``models/`` and ``corpora/``).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    home = os.environ.get("DUTYAUDIT_HOME")
    return Path(home) if home else Path(__file__).resolve().parents[1]


def models_dir() -> Path:
    return project_root() / "models"


def corpora_dir() -> Path:
    return project_root() / "corpora"
