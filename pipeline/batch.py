"""Batch runs: many reports in, one output folder out.

``run_batch`` expands files and folders, audits every report (in worker processes,
each building its ``Context`` once), serves unchanged files from the result cache,
and writes, atomically:

* ``reports/<name>.json`` and ``reports/<name>.html`` as soon as each report is done;
* ``findings.csv``, ``findings.xlsx``, ``index.html``, ``summary.json`` at the end;
* ``run.json`` (tool version, timings, cache hits, timestamps: the only file with times).

Every batch output is derived from the report dicts (``export.report_json``), so a
cache hit and a fresh audit give byte-identical JSON and CSV. Progress goes to stderr.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pipeline
from pipeline.cache import ReportCache, default_cache_path, fingerprint_paths, pipeline_version
from pipeline.errors import DutyAuditError, UnsupportedFormatError
from pipeline.export.html import render_index_html, render_report_html
from pipeline.export.report_json import dumps_report, finding_totals, report_to_dict, severity_counts
from pipeline.paths import models_dir
from pipeline.records import ReportError, ReportResult

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt")
# failures that depend on the file bytes alone (not on a password, limits or a bug) are cached too
CACHEABLE_FAILURES = frozenset({"empty_file", "not_pdf", "damaged", "no_text", "unsupported"})
MAX_INPUT_FILES = 100_000
MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 200  # UTF-8: 80 CJK characters are 240 bytes, and the temp file beside an output adds ~20 (NAME_MAX 255)
# Windows device names: "CON.html" cannot be created or opened there (whatever follows the first dot)
_RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))})
_NAME_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
# Collector thresholds while a batch runs (the forked workers inherit them): the youngest
# generation is collected after 50,000 new container objects instead of 700.
BATCH_GC_THRESHOLDS = (50_000, 50, 100)


# --- inputs ------------------------------------------------------------------------


def _is_hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith(".") for part in parts)


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def expand_inputs(inputs: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Files as given, plus the .pdf/.docx/.txt files under each folder (recursive, sorted).

    Hidden files and folders and anything inside ``out_dir`` are skipped when a folder is
    searched; a file named explicitly is always kept (an unsupported one becomes a failed
    entry). Duplicates (same resolved file) are dropped. Raises FileNotFoundError for a
    missing input.
    """
    out_resolved = Path(out_dir).resolve() if out_dir is not None else None
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)
        if len(found) > MAX_INPUT_FILES:
            raise ValueError(f"输入文件超过 {MAX_INPUT_FILES} 个。More than {MAX_INPUT_FILES} input files.")

    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                root_path = Path(root)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _inside(root_path / d, out_resolved))
                for name in sorted(files):
                    candidate = root_path / name
                    if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES):
                        continue
                    if _inside(candidate, out_resolved) or not candidate.is_file():
                        continue
                    add(candidate)
        elif path.is_file():
            add(path)
        else:
            raise FileNotFoundError(f"输入文件或文件夹不存在：{path}。No such file or folder: {path}")
    return sorted(found, key=lambda p: (str(p), p.name))


def sanitise_name(stem: str) -> str:
    """A file-system-safe name from an input file's stem (never a path; never hidden)."""
    name = _NAME_UNSAFE.sub("_", stem).strip("._-")[:MAX_NAME_CHARS]
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.strip("._-")
    if name.split(".", 1)[0].upper() in _RESERVED_NAMES:
        name = "_" + name
    return name or "report"


def unique_names(paths: Sequence[Path]) -> list[str]:
    """``<name>`` per input: its sanitised stem, with ``-2``, ``-3`` … for later duplicates (case-insensitive)."""
    taken: set[str] = set()
    names = []
    for path in paths:
        base = sanitise_name(path.stem)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        names.append(name)
    return names


def file_sha256(path: Path, max_bytes: int | None = None) -> str | None:
    """sha256 of the file bytes; None when unreadable or over ``max_bytes`` (then it is not cached)."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            return None
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


# --- atomic writes -------------------------------------------------------------------


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` and rename it over ``path``; no partial file remains."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# --- workers -------------------------------------------------------------------------

# Per-worker-process slot for the Context, filled once by ``_init_worker`` in each pool
# process (ProcessPoolExecutor offers no other place to keep per-process state). The
# main process never writes it.
_WORKER: dict[str, Any] = {}


def _init_worker(settings: Any, ctx: Any = None) -> None:
    """Give this worker its Context: the parent's, inherited through fork, or a new one."""
    _ignore_interrupts()
    if ctx is not None:
        _WORKER["ctx"] = ctx
        return
    from pipeline.runner import Context

    try:
        _WORKER["ctx"] = Context.build(settings)
    except DutyAuditError as error:  # re-raised per task, so the main process sees the run-level error
        _WORKER["error"] = error


Audited = tuple[dict[str, Any], tuple[str, str], list[list[Any]], float]  # dict, (JSON, HTML), timings, seconds


# (document or None, seconds, (error code, message) of a bad file): a file ingested ahead by the prefetch
Ingested = tuple[Any, float, tuple[str, str] | None]


def _audit_with(ctx: Any, path: str, name: str, ingested: Ingested | None = None) -> Audited:
    """Audit one file and render its JSON and HTML (in the worker, so rendering runs in parallel too)."""
    from pipeline.runner import audit_file, audit_ingested, failed_result

    began = time.perf_counter()
    if ingested is None:
        result = audit_file(path, ctx)
    else:
        document, ingest_seconds, failure = ingested
        result = failed_result(path, *failure) if failure else audit_ingested(path, document, ingest_seconds, ctx)
        began -= ingest_seconds  # the report's seconds include its ingestion in the prefetch process
    try:
        d = report_to_dict(result)
        rendered = (dumps_report(d), render_report_html(name, d))
    except Exception as error:  # a bug in rendering fails this report, not the batch
        log.exception("internal error while rendering %s", path)
        d = _failed_dict(Path(path), result.sha256, "internal", f"内部错误：{type(error).__name__}: {error}")
        rendered = (dumps_report(d), render_report_html(name, d))
    return d, rendered, [list(t) for t in result.timings], round(time.perf_counter() - began, 4)


def _work(path: str, name: str, ingested: Ingested | None = None) -> Audited:
    if "error" in _WORKER:
        raise _WORKER["error"]
    return _audit_with(_WORKER["ctx"], path, name, ingested)


def _ingest_task(path: str, settings: Any) -> Ingested:
    """In the prefetch process: ingest one file; a bad file comes back as its error, not as an exception."""
    from pipeline.runner import ingest_file

    began = time.perf_counter()
    try:
        document = ingest_file(path, settings)
    except DutyAuditError as error:
        return None, time.perf_counter() - began, (error.code, error.message)
    return document, time.perf_counter() - began, None


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and stops the pools


@contextmanager
def _prefetch(paths: Sequence[Path], todo: Sequence[int], settings: Any) -> Iterator[Callable[[], dict[int, Ingested]]]:
    """One more process reads the first files while the caller loads the models (a single core's work).

    Yields a function that takes what is ready by then and stops the rest; files not read yet
    (or that failed in an unexpected way) are audited from their path as usual.
    """
    context = multiprocessing.get_context("fork")  # forked before the models load: a light process
    executor = cf.ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_ignore_interrupts)
    futures = {i: executor.submit(_ingest_task, str(paths[i]), settings) for i in todo}

    def ready() -> dict[int, Ingested]:
        done = {i: f for i, f in futures.items() if f.done() and not f.cancelled() and f.exception() is None}
        executor.shutdown(wait=True, cancel_futures=True)
        return {i: f.result() for i, f in done.items()}

    try:
        yield ready
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _failed_dict(path: Path, sha256: str | None, code: str, message: str) -> dict[str, Any]:
    suffix = path.suffix.lower().lstrip(".")
    media = suffix if suffix in ("pdf", "docx", "txt") else None
    return report_to_dict(ReportResult(str(path), sha256, media, 0, "failed", ReportError(code, message)))


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchEntry:
    name: str
    path: str
    status: str
    error_code: str | None
    cached: bool
    seconds: float
    findings_by_severity: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchResult:
    out_dir: Path
    entries: tuple[BatchEntry, ...]
    ok: int
    failed: int
    findings_by_severity: dict[str, int]
    findings_by_category: dict[str, int]
    failures: tuple[tuple[str, str], ...]  # (path, error code)
    cache_hits: int
    outputs: tuple[Path, ...]
    seconds: float

    @property
    def findings(self) -> int:
        return sum(self.findings_by_severity.values())


# --- the run ---------------------------------------------------------------------------


def _settings_fingerprint(settings: Any) -> str:
    """What in the settings changes an ok result (not the password or the size limits)."""
    try:
        values = asdict(settings)
    except TypeError:
        values = dict(vars(settings))
    for key in ("password", "max_bytes", "max_pages", "max_seconds"):
        values.pop(key, None)
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:8]


def code_and_data_fingerprint(settings: Any) -> str:
    """Fingerprint of the package code, the models/ data and the result-relevant settings."""
    return fingerprint_paths([Path(pipeline.__file__).resolve().parent, models_dir()]) + "-" + _settings_fingerprint(settings)


def scheme_reference_texts(scheme_id: str) -> list[str]:
    """Names and descriptions of the scheme's aspects and points (boilerplate for the duplicate search)."""
    from pipeline.classify.scheme import load_scheme  # the scheme alone, without the model code

    scheme = load_scheme(scheme_id)
    texts: list[str] = []
    for aspect in scheme.aspects:
        texts.extend([aspect.name, aspect.description])
        for point in aspect.points:
            texts.extend([point.name, point.description])
    return [t for t in texts if t]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _Progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar: Any = None
        self.ok = self.failed = self.cached = 0
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("[bold]审核[/bold]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("ok {task.fields[ok]} · failed {task.fields[failed]} · cached {task.fields[cached]}"),
            TimeElapsedColumn(), TextColumn("{task.fields[current]}"),
            console=Console(stderr=True), transient=False,
        )
        self._task = self._bar.add_task("audit", total=total, ok=0, failed=0, cached=0, current="")

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, name: str, status: str, cached: bool) -> None:
        self.ok += status == "ok"
        self.failed += status != "ok"
        self.cached += cached
        if self._bar is not None:
            from rich.markup import escape

            self._bar.update(self._task, advance=1, ok=self.ok, failed=self.failed, cached=self.cached, current=escape(name))


@contextmanager
def _pool(jobs: int, settings: Any, ctx: Any) -> Iterator[cf.ProcessPoolExecutor]:
    # With fork, the workers inherit the parent's loaded Context (no pickling, no rebuilding,
    # pages shared copy-on-write); elsewhere each worker builds its own.
    if "fork" in multiprocessing.get_all_start_methods():
        context, initargs = multiprocessing.get_context("fork"), (settings, ctx)
    else:
        context, initargs = None, (settings, None)
    executor = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=initargs)
    try:
        yield executor
    except BaseException:
        # interrupted or failed: cancel what has not started and stop the running workers
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def run_batch(
    inputs: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    settings: Any,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: bool = True,
    *,
    force_progress: bool = False,
    cache_path: str | os.PathLike[str] | None = None,
    fingerprint: str | None = None,
) -> BatchResult:
    """Audit every input and write the batch outputs to ``out_dir`` (see the module doc).

    ``jobs`` worker processes (default: CPU cores; 1 runs in this process). ``progress``
    shows a bar on stderr when stderr is a terminal (or ``force_progress``). Run-level
    problems (bad scheme, missing model, unwritable output) raise; a bad input never does.
    On KeyboardInterrupt the workers are stopped, finished reports stay on disk and
    in the cache, no partial file is left, and the interrupt is re-raised.
    """
    began = time.perf_counter()
    started = _now()
    out = Path(out_dir)
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    paths = expand_inputs(inputs, out)
    names = unique_names(paths)
    scheme = str(getattr(settings, "scheme", ""))
    references: list[str] = []
    if getattr(settings, "classify", True) and scheme:
        references = scheme_reference_texts(scheme)  # also validates the scheme before any work
    fingerprint = code_and_data_fingerprint(settings) if fingerprint is None else fingerprint
    version = pipeline_version(fingerprint)
    cache = ReportCache(cache_path or default_cache_path(out), version) if use_cache else None
    max_bytes = getattr(settings, "max_bytes", None)
    password_given = bool(getattr(settings, "password", None))

    dicts: dict[int, dict[str, Any]] = {}
    info: dict[int, dict[str, Any]] = {}
    todo: list[int] = []
    shas: list[str | None] = []
    for i, path in enumerate(paths):
        sha = file_sha256(path, max_bytes)
        shas.append(sha)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            dicts[i] = _failed_dict(path, sha, UnsupportedFormatError.code, UnsupportedFormatError.default_message)
            info[i] = {"cached": False, "seconds": 0.0, "timings": []}
            continue
        hit = cache.get(sha, scheme, path.suffix) if cache is not None else None
        if hit is not None and _cacheable(hit, password_given):
            hit["source"]["path"] = str(path)
            dicts[i] = hit
            info[i] = {"cached": True, "seconds": 0.0, "timings": []}
        else:
            todo.append(i)

    show = progress and (force_progress or _stderr_is_tty())
    try:
        with _Progress(len(paths), show) as bar:

            def finish(
                i: int, d: dict[str, Any], timings: list, seconds: float, cached: bool,
                rendered: tuple[str, str] | None = None,
            ) -> None:
                dicts[i] = d
                info[i] = {"cached": cached, "seconds": seconds, "timings": timings}
                _write_report(reports_dir, names[i], d, rendered)
                if cache is not None and not cached and _cacheable(d, password_given):
                    cache.put(shas[i], scheme, d, paths[i].suffix, text=rendered[0] if rendered else None)
                bar.advance(names[i], d.get("status") or "failed", cached)

            for i in sorted(dicts):
                finish(i, dicts[i], [], 0.0, info[i]["cached"])
            phases = _run_todo(paths, names, todo, settings, jobs, finish)
    finally:
        if cache is not None:
            cache.close()

    outputs_began = time.perf_counter()
    ordered = [(names[i], dicts[i]) for i in range(len(paths))]
    tables_paths = (out / "findings.csv", out / "findings.xlsx")
    # with several jobs, a forked process writes the two tables while this one builds the summary
    tables_writer = _start_tables_writer(tables_paths, ordered) if _effective_jobs(jobs, len(todo)) > 1 else None
    # imported here: the batch files are written at the end, and these imports (openpyxl, rapidfuzz)
    # need not delay the first report
    from pipeline.export.summary import build_summary

    summary = build_summary(ordered, scheme=scheme or None, reference_texts=references)
    atomic_write_bytes(
        out / "summary.json", (json.dumps(summary, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    )
    atomic_write_bytes(out / "index.html", render_index_html(ordered, summary).encode("utf-8"))
    if tables_writer is not None:
        tables_writer.join()
    if tables_writer is None or tables_writer.exitcode != 0:  # not forked, or it failed: write them here
        _write_tables(tables_paths, ordered)
    outputs = (*tables_paths, out / "summary.json", out / "index.html")
    phases["outputs"] = round(time.perf_counter() - outputs_began, 3)

    entries = tuple(
        BatchEntry(
            names[i], str(paths[i]), dicts[i].get("status") or "failed", (dicts[i].get("error") or {}).get("code"),
            bool(info[i]["cached"]), float(info[i]["seconds"]), severity_counts(dicts[i]),
        )
        for i in range(len(paths))
    )
    by_severity, by_category = finding_totals(d for _, d in ordered)
    seconds = round(time.perf_counter() - began, 3)
    result = BatchResult(
        out_dir=out,
        entries=entries,
        ok=sum(1 for e in entries if e.status == "ok"),
        failed=sum(1 for e in entries if e.status != "ok"),
        findings_by_severity=by_severity,
        findings_by_category=by_category,
        failures=tuple((e.path, e.error_code or "internal") for e in entries if e.status != "ok"),
        cache_hits=sum(1 for e in entries if e.cached),
        outputs=(*outputs, out / "run.json", reports_dir),
        seconds=seconds,
    )
    run = {
        "tool": "dutyaudit",
        "version": pipeline.__version__,
        "cache_version": version,
        "scheme": scheme,
        "settings": {
            "max_bytes": max_bytes, "max_pages": getattr(settings, "max_pages", None),
            "password_given": bool(getattr(settings, "password", None)),
        },
        "jobs": _effective_jobs(jobs, len(todo)),
        "started": started,
        "finished": _now(),
        "seconds": seconds,
        # where the time went: loading the models (Context), auditing the reports, writing the batch files
        "phases": {key: phases.get(key, 0.0) for key in ("context", "reports", "outputs")},
        "prefetched": phases.get("prefetched", 0),  # files read while the models loaded (--jobs > 1)
        "cache": {"enabled": cache is not None, "path": str(cache.path) if cache is not None else None, "hits": result.cache_hits, "misses": len(todo)},
        "counts": {"reports": len(entries), "ok": result.ok, "failed": result.failed,
                   "findings_by_severity": by_severity, "findings_by_category": result.findings_by_category},
        "reports": [
            {"name": names[i], "path": str(paths[i]), "sha256": shas[i], "status": entries[i].status,
             "error_code": entries[i].error_code, "cached": entries[i].cached, "seconds": entries[i].seconds,
             "timings": info[i]["timings"]}
            for i in range(len(paths))
        ],
    }
    atomic_write_text(out / "run.json", json.dumps(run, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
    return result


def _cacheable(d: dict[str, Any], password_given: bool) -> bool:
    """Results that depend on the file bytes alone; ``encrypted`` only while no password is given."""
    code = (d.get("error") or {}).get("code")
    return d.get("status") == "ok" or code in CACHEABLE_FAILURES or (code == "encrypted" and not password_given)


def _stderr_is_tty() -> bool:
    import sys

    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def prepare_outputs() -> None:
    """Import what writing the batch files needs (openpyxl, rapidfuzz): done while a core is idle."""
    import pipeline.export.summary  # noqa: F401
    import pipeline.export.tables  # noqa: F401


def _write_tables(paths: tuple[Path, Path], ordered: list[tuple[str, dict[str, Any]]]) -> None:
    from pipeline.export.tables import findings_csv_text, findings_xlsx_bytes

    csv_path, xlsx_path = paths
    atomic_write_bytes(csv_path, findings_csv_text(ordered).encode("utf-8"))
    atomic_write_bytes(xlsx_path, findings_xlsx_bytes(ordered))


def _start_tables_writer(paths: tuple[Path, Path], ordered: list[tuple[str, dict[str, Any]]]) -> Any:
    """A forked process writing findings.csv and findings.xlsx (None where fork is unavailable).

    It inherits the report dicts instead of receiving them pickled; on failure its exit code
    says so and the caller writes the tables itself (atomic writes leave no partial file).
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    process = multiprocessing.get_context("fork").Process(target=_write_tables, args=(paths, ordered), daemon=True)
    process.start()
    return process


def _effective_jobs(jobs: int | None, todo: int) -> int:
    wanted = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, todo))


def _write_report(reports_dir: Path, name: str, d: dict[str, Any], rendered: tuple[str, str] | None = None) -> None:
    json_text, html_text = rendered if rendered is not None else (dumps_report(d), render_report_html(name, d))
    atomic_write_text(reports_dir / f"{name}.json", json_text)
    atomic_write_text(reports_dir / f"{name}.html", html_text)


def _run_todo(
    paths: Sequence[Path], names: Sequence[str], todo: Sequence[int], settings: Any, jobs: int | None,
    finish: Callable[..., None],
) -> dict[str, float]:
    """Audit the reports not taken from the cache; seconds spent loading the Context and auditing."""
    if not todo:
        return {}
    workers = _effective_jobs(jobs, len(todo))
    from pipeline.runner import Context

    began = time.perf_counter()
    prefetched: dict[int, Ingested] = {}
    default_thresholds = gc.get_threshold()
    # A report makes tens of thousands of small records and lists and almost no reference cycles,
    # and the batch keeps every report's dict: at the default thresholds the collector ran so often,
    # over a heap that grows report by report, that the reports took about 15 % longer.
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    try:
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            with _prefetch(paths, todo, settings) as take_ready:
                ctx = Context.build(settings)
                prefetched = take_ready()
        else:
            ctx = Context.build(settings)  # once: used here, or inherited by the forked workers
        built = time.perf_counter()
        # The Context (jieba's dictionary, spaCy's vocabulary, the model) lives as long as the batch:
        # moving it out of the collector's generations spares every collection from re-scanning it,
        # and keeps forked workers from writing to the pages they share with this process.
        gc.freeze()
        try:
            _audit_todo(ctx, paths, names, todo, settings, workers, finish, prefetched)
        finally:
            gc.unfreeze()  # a caller running several batches in one process gets its collector back
    finally:
        gc.set_threshold(*default_thresholds)
    return {
        "context": round(built - began, 3), "reports": round(time.perf_counter() - built, 3),
        "prefetched": len(prefetched),
    }


def _audit_todo(
    ctx: Any, paths: Sequence[Path], names: Sequence[str], todo: Sequence[int], settings: Any, workers: int,
    finish: Callable[..., None], prefetched: dict[int, Ingested],
) -> None:
    if workers == 1:
        for i in todo:
            d, rendered, timings, seconds = _audit_with(ctx, str(paths[i]), names[i])
            finish(i, d, timings, seconds, False, rendered)
        return
    with _pool(workers, settings, ctx) as executor:
        futures = {executor.submit(_work, str(paths[i]), names[i], prefetched.get(i)): i for i in todo}
        for finished, future in enumerate(cf.as_completed(futures), start=1):
            if len(futures) - finished == workers - 1:  # from now on a core is idle: use it
                prepare_outputs()
            i = futures[future]
            rendered = None
            try:
                d, rendered, timings, seconds = future.result()
            except DutyAuditError:
                raise  # run-level (scheme, model): stop the batch
            except Exception as error:  # a crashed worker fails this report, not the batch
                d = _failed_dict(paths[i], None, "internal", f"内部错误：{type(error).__name__}: {error}")
                timings, seconds = [], 0.0
            finish(i, d, timings, seconds, False, rendered)
