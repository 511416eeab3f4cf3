"""Shared fixtures. The real fixtures live in ../shared (beside the checkout).

When ``CI`` is set and ../shared is missing, tests that need it fail loudly
instead of skipping.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DUTYAUDIT_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"


def _require_shared() -> Path:
    if not (CORPUS / "dazu-2022.txt").is_file():
        message = f"../shared fixtures not found at {SHARED}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: failing, not skipping)")
        pytest.skip(message)
    return SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _require_shared()


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def gold_dir(shared_dir: Path) -> Path:
    return shared_dir / "gold"


@pytest.fixture(scope="session")
def dazu_text(corpus_dir: Path) -> str:
    with open(corpus_dir / "dazu-2022.txt", encoding="utf-8", newline="") as f:
        return f.read()


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def gold_quantities(gold_dir: Path) -> list[dict]:
    return read_jsonl(gold_dir / "dazu-2022.quantities.jsonl")


@pytest.fixture(scope="session")
def gold_docnos(gold_dir: Path) -> list[dict]:
    return read_jsonl(gold_dir / "dazu-2022.docnos.jsonl")


@pytest.fixture(scope="session")
def gold_titles(gold_dir: Path) -> list[dict]:
    return read_jsonl(gold_dir / "dazu-2022.titles.jsonl")


@pytest.fixture(scope="session")
def gold_findings(gold_dir: Path) -> dict:
    with open(gold_dir / "dazu-2022.findings.json", encoding="utf-8") as f:
        return json.load(f)
