"""Runs the stages in order for one report. The only module that knows stage order.

ingest → (normalise inside the extractors) → segment → extract → classify → check.
Heavy resources (spaCy ``nlp``, scheme, classifier) live in a ``Context`` built once
per process and passed down; nothing is cached in module globals.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import DutyAuditError, TimeLimitError
from pipeline.records import AuditInput, Document, ReportError, ReportResult

log = logging.getLogger(__name__)

DEFAULT_SCHEME = "chongqing-2022"


@dataclass(frozen=True, slots=True)
class AuditSettings:
    scheme: str = DEFAULT_SCHEME
    password: str | None = None
    max_bytes: int = 64 * 2**20
    max_pages: int = 500
    max_seconds: float = 120.0  # per file; 0 = no limit
    classify: bool = True
    check: bool = True


@dataclass(frozen=True)
class Context:
    """Everything a worker needs to audit reports, built once per process."""

    settings: AuditSettings
    nlp: Any
    scheme: Any = None
    classifier: Any = None
    ranker: Any = None  # the scheme's zero-shot ranker, fitted once
    section_lexicon: Any = None
    claim_lexicon: Any = None
    rule_data: Any = None
    startup_seconds: float = field(default=0.0, compare=False)

    @classmethod
    def build(cls, settings: AuditSettings | None = None) -> Context:
        from pipeline import nlp as nlp_layer

        settings = settings or AuditSettings()
        began = time.perf_counter()
        from pipeline.check.engine import load_rule_data
        from pipeline.extract.claims import ClaimLexicon
        from pipeline.segment import SectionLexicon

        nlp = nlp_layer.load()
        scheme = classifier = ranker = None
        if settings.classify:
            from pipeline.classify import ZeroShotRanker, load_classifier, load_scheme

            scheme = load_scheme(settings.scheme)
            classifier = load_classifier(scheme)
            ranker = ZeroShotRanker.build(scheme, functools.partial(_words, nlp))
        return cls(
            settings, nlp, scheme, classifier, ranker,
            section_lexicon=SectionLexicon.load(),
            claim_lexicon=ClaimLexicon.load(),
            rule_data=load_rule_data(),
            startup_seconds=time.perf_counter() - began,
        )


def _ingest_limits(settings: AuditSettings) -> Any:
    from pipeline.ingest import IngestLimits

    return IngestLimits(max_bytes=settings.max_bytes, max_pages=settings.max_pages)


def _timer(timings: list[tuple[str, float]]) -> Any:
    def timed(name: str, func: Any, *args: Any) -> Any:
        began = time.perf_counter()
        value = func(*args)
        timings.append((name, round(time.perf_counter() - began, 4)))
        return value

    return timed


def _analyse(document: Document, ctx: Context, timings: list[tuple[str, float]]) -> AuditInput:
    """Segment, extract and (when the context has a scheme) classify: the checker's input."""
    from pipeline.extract import extract
    from pipeline.segment import segment

    timed = _timer(timings)
    structure = timed("segment", segment, document, ctx.section_lexicon)
    extraction = timed("extract", extract, document, structure, ctx.nlp, ctx.claim_lexicon)
    classification = None
    if ctx.settings.classify and ctx.scheme is not None:
        from pipeline.classify import classify

        tokenize = functools.partial(_words, ctx.nlp)
        classification = timed(
            "classify", classify, document, structure, ctx.scheme, ctx.classifier, tokenize, ctx.ranker,
            extraction.word_starts,
        )
    return AuditInput(document, structure, extraction, classification)


def analyse_document(document: Document, ctx: Context) -> ReportResult:
    """Segment, extract, classify and check an ingested document."""
    from pipeline.check import run_checks

    timings: list[tuple[str, float]] = []
    audit_input = _analyse(document, ctx, timings)
    findings: tuple = ()
    if ctx.settings.check:
        findings = _timer(timings)("check", functools.partial(run_checks, data=ctx.rule_data), audit_input)
    return ReportResult(
        path=document.path,
        sha256=document.sha256,
        media_type=document.media_type,
        pages=document.page_count,
        status="ok",
        document=document,
        structure=audit_input.structure,
        extraction=audit_input.extraction,
        classification=audit_input.classification,
        findings=tuple(findings),
        timings=tuple(timings),
    )


def _words(nlp: Any, text: str) -> list[str]:
    from pipeline.nlp import words

    return words(nlp, text)


def load(path: str | os.PathLike[str], ctx: Context) -> Document:
    """Ingest one file under the context's page and size limits; raises ``DutyAuditError``."""
    return _load(path, ctx.settings)


def _load(path: str | os.PathLike[str], settings: AuditSettings) -> Document:
    from pipeline.ingest import load_document

    return load_document(path, password=settings.password, limits=_ingest_limits(settings))


def audit_file(path: str | os.PathLike[str], ctx: Context) -> ReportResult:
    """Audit one file. A bad input becomes a failed result; this never raises for one."""
    return _audit(path, ctx, lambda: load(path, ctx))


def audit_ingested(path: str | os.PathLike[str], document: Document, ingest_seconds: float, ctx: Context) -> ReportResult:
    """``audit_file`` for a document ingested beforehand (by ``ingest_file``, in another process)."""
    return _audit(path, ctx, lambda: document, ingest_seconds)


def ingest_file(path: str | os.PathLike[str], settings: AuditSettings) -> Document:
    """Ingest one file under the settings' limits, the per-file time limit included; raises ``DutyAuditError``."""
    with time_limit(settings.max_seconds):
        return _load(path, settings)


def _audit(path: str | os.PathLike[str], ctx: Context, get_document: Any, earlier_seconds: float = 0.0) -> ReportResult:
    began = time.perf_counter()
    # the per-file limit covers ingestion done earlier elsewhere; 0 means no limit
    limit = max(ctx.settings.max_seconds - earlier_seconds, 1e-3) if ctx.settings.max_seconds else 0
    try:
        with time_limit(limit):
            document = get_document()
            ingest_seconds = round(earlier_seconds + time.perf_counter() - began, 4)
            result = analyse_document(document, ctx)
        return _with_timing(result, ("ingest", ingest_seconds))
    except DutyAuditError as error:
        return failed_result(path, error.code, error.message)
    except Exception as error:  # a bug must not stop a batch: report it as an internal failure
        log.exception("internal error while auditing %s", path)
        return failed_result(path, "internal", f"内部错误：{type(error).__name__}: {error}")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitError`` in this thread when the block runs longer than ``seconds``.

    Uses SIGALRM, so it applies in a process's main thread on POSIX (the CLI and the batch
    workers); elsewhere the block runs unbounded and only the page and size limits apply.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeLimitError(f"处理时间超过{seconds:g}秒上限，已停止处理该文件。Processing exceeded {seconds:g} s.")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _with_timing(result: ReportResult, timing: tuple[str, float]) -> ReportResult:
    from dataclasses import replace

    return replace(result, timings=(timing, *result.timings))


def failed_result(path: str | os.PathLike[str], code: str, message: str) -> ReportResult:
    sha256 = None
    try:
        import hashlib

        with open(path, "rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        pass
    return ReportResult(
        path=str(path), sha256=sha256, media_type=_media_type_guess(path), pages=0,
        status="failed", error=ReportError(code, message),
    )


def _media_type_guess(path: str | os.PathLike[str]) -> str | None:
    suffix = os.path.splitext(str(path))[1].lower().lstrip(".")
    return suffix if suffix in ("pdf", "docx", "txt") else None


def analyse_text(text: str, ctx: Context | None = None, *, path: str = "<text>") -> AuditInput:
    """Run segment and extract (and classify when the context has a scheme) on a plain text.

    Meant for tests and quick experiments: the checker's input for a text.
    """
    ctx = ctx or Context.build(AuditSettings(classify=False))
    return _analyse(Document(path=path, media_type="txt", sha256="", text=text), ctx, [])
