"""House rule 3: each third-party library is imported in one place only; records stay stdlib."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"

# library -> package-relative path prefixes allowed to import it
ALLOWED = {
    "pdfplumber": ("ingest/",),
    "pypdfium2": ("ingest/",),
    "docx": ("ingest/",),
    "spacy": ("nlp/",),
    "jieba": ("nlp/",),
    "sklearn": ("classify/",),
    "joblib": ("classify/",),
    "rapidfuzz": ("matching.py",),
    "openpyxl": ("export/",),
    "jinja2": ("export/",),
    "typer": ("cli.py",),
    "rich": ("cli.py", "batch.py"),
    "yaml": ("datafiles.py",),
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_third_party_imports_stay_in_their_place(path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    for library in imported_roots(path) & ALLOWED.keys():
        assert relative.startswith(ALLOWED[library]), f"{relative} imports {library}; allowed only in {ALLOWED[library]}"


def test_layers_records_and_errors_are_stdlib_only() -> None:
    for name in ("records.py", "errors.py"):
        roots = imported_roots(PACKAGE / name)
        assert roots <= {"__future__", "bisect", "dataclasses", "typing", "enum"}, (name, roots)


def test_layers_check_stage_does_not_see_library_objects() -> None:
    for path in (PACKAGE / "check").rglob("*.py"):
        assert not imported_roots(path) & {"spacy", "jieba", "sklearn", "pdfplumber", "pypdfium2"}, path
