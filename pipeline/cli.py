"""Command line: the only module that prints, reads argv and decides exit codes."""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from pipeline import __version__
from pipeline.errors import DutyAuditError, ExitCode

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="dutyaudit：审核履行教育职责自查自评报告，生成问题清单。Audit education-duty self-evaluation reports.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False)


class FailOn(str, Enum):
    error = "error"
    warning = "warning"


def _version_callback(value: bool) -> None:
    if value:
        stdout.print(f"dutyaudit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details to stderr.")] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pdfminer", "jieba"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


FileArg = Annotated[Path, typer.Argument(help="A report file: PDF, DOCX or TXT (UTF-8 or GB18030).")]
PasswordOpt = Annotated[Optional[str], typer.Option("--password", help="Password of an encrypted PDF.")]
SchemeOpt = Annotated[str, typer.Option("--scheme", help="Evaluation scheme: an id under models/schemes/ or a path to a scheme file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable view.")]


def _settings(**kwargs: object):
    from pipeline.runner import AuditSettings

    return AuditSettings(**{k: v for k, v in kwargs.items() if v is not None})


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


@app.command("text")
def text_command(file: FileArg, password: PasswordOpt = None, as_json: JsonOpt = False) -> None:
    """Print the normalised text of a report (with --json: text, page starts and metadata)."""
    from pipeline.ingest import IngestLimits, load_document

    document = load_document(file, password=password, limits=IngestLimits())
    if as_json:
        _print_json(
            {
                "path": document.path,
                "media_type": document.media_type,
                "sha256": document.sha256,
                "pages": document.page_count,
                "page_starts": list(document.page_starts),
                "metadata": dict(document.metadata),
                "warnings": list(document.warnings),
                "text": document.text,
            }
        )
    else:
        sys.stdout.write(document.text + "\n")


def _single_report(file: Path, settings) -> object:
    """Audit one file; a bad input raises so the CLI can exit with its own code."""
    from pipeline.runner import Context, analyse_document, load

    ctx = Context.build(settings)
    document = load(file, ctx)
    return analyse_document(document, ctx)


@app.command("extract")
def extract_command(file: FileArg, password: PasswordOpt = None) -> None:
    """Print the report JSON with quantities, document numbers, passages and dates (no classification, no findings)."""
    from pipeline.export.report_json import report_to_dict

    result = _single_report(file, _settings(password=password, classify=False, check=False))
    _print_json(report_to_dict(result))


@app.command("classify")
def classify_command(file: FileArg, scheme: SchemeOpt = "chongqing-2022", password: PasswordOpt = None, as_json: JsonOpt = False) -> None:
    """Classify the report's passages into the indicator points of a scheme and show the coverage."""
    from pipeline.export.report_json import report_to_dict

    result = _single_report(file, _settings(password=password, scheme=scheme, check=False))
    report = report_to_dict(result)
    if as_json:
        _print_json(report)
        return
    classification = result.classification
    stdout.print(f"scheme {classification.scheme_id} · mode {classification.mode}")
    table = RichTable("passage", "page", "section", "aspect", "point", "score", "text")
    text = result.document.text
    for passage in report["passages"]:
        table.add_row(
            passage["id"], str(passage["page"]), passage["section"], str(passage["aspect"]), str(passage["point"]),
            f"{passage['score']:.2f}", text[passage["start"] : passage["end"]][:40],
        )
    stdout.print(table)
    covered = sum(1 for _, ids in classification.coverage if ids)
    stdout.print(f"coverage: {covered}/{len(classification.coverage)} points have evidence")


@app.command("check")
def check_command(
    file: FileArg, scheme: SchemeOpt = "chongqing-2022", password: PasswordOpt = None, as_json: JsonOpt = False
) -> None:
    """Check a report and print its findings (rule, severity, page, quote, message); --json prints the report JSON."""
    from pipeline.export.report_json import report_to_dict

    result = _single_report(file, _settings(password=password, scheme=scheme))
    if as_json:
        _print_json(report_to_dict(result))
        return
    table = RichTable("rule", "severity", "page", "quote", "message", show_lines=True)
    for finding in result.findings:
        first = finding.evidence[0] if finding.evidence else None
        table.add_row(
            finding.rule, finding.severity, str(first.page) if first else "",
            " / ".join(e.quote for e in finding.evidence)[:120], finding.message,
        )
    stdout.print(table)
    stdout.print(f"{len(result.findings)} findings in {file}")


@app.command("audit")
def audit_command(
    paths: Annotated[list[Path], typer.Argument(help="Report files and folders (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    scheme: SchemeOpt = "chongqing-2022",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: CPU cores).")] = None,
    password: PasswordOpt = None,
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="Exit 10 when findings of this severity (or worse) exist.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the result cache.")] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    max_seconds: Annotated[float, typer.Option("--max-seconds", min=0, help="Time limit per file in seconds (0: none).")] = 120.0,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Page limit per file.")] = 500,
) -> None:
    """Audit a batch of reports: per-report JSON and HTML, findings.csv/.xlsx, index.html, summary.json."""
    from pipeline.batch import run_batch

    result = run_batch(
        paths, out, _settings(password=password, scheme=scheme, max_seconds=max_seconds, max_pages=max_pages),
        jobs=jobs, use_cache=not no_cache, progress=not no_progress,
    )
    _print_batch_summary(result, out)
    code = ExitCode.OK
    if result.failed:
        code = ExitCode.PARTIAL_FAILURE
    if fail_on is not None:
        levels = ("error",) if fail_on is FailOn.error else ("error", "warning")
        if any(result.findings_by_severity.get(level, 0) for level in levels):
            code = ExitCode.FINDINGS_OVER_THRESHOLD
    raise typer.Exit(int(code))


def _print_batch_summary(result, out: Path) -> None:
    stderr.print(f"[bold]reports[/bold]: {result.ok} ok, {result.failed} failed")
    for path, code in getattr(result, "failures", ()):
        stderr.print(f"  failed: {escape(str(path))} ({code})")
    severities = ", ".join(f"{k} {v}" for k, v in sorted(result.findings_by_severity.items()))
    categories = ", ".join(f"{k} {v}" for k, v in sorted(result.findings_by_category.items()))
    stderr.print(f"[bold]findings[/bold]: {severities or 'none'}")
    stderr.print(f"[bold]by category[/bold]: {categories or 'none'}")
    stderr.print(f"[bold]outputs[/bold]: {out}/index.html, {out}/findings.xlsx, {out}/findings.csv, {out}/summary.json, {out}/reports/")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (see README's table)."""
    try:
        returned = app(args=argv, prog_name="dutyaudit", standalone_mode=False)
        # click returns the exit code of typer.Exit in non-standalone mode
        return int(returned) if isinstance(returned, int) else int(ExitCode.OK)
    except typer.Exit as exit_:
        return int(exit_.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        stderr.print("interrupted")
        return int(ExitCode.INTERRUPTED)
    except DutyAuditError as error:
        stderr.print(f"[red]错误[/red] ({error.code}): {escape(error.message)}")
        if error.hint:
            stderr.print(escape(error.hint))
        return int(error.exit_code)
    except OSError as error:
        stderr.print(f"无法读取或写入文件：{escape(str(error))}")
        return int(ExitCode.FILE_ACCESS)
    except Exception as error:
        # typer vendors click: its usage errors are recognised by shape, not by class
        if callable(getattr(error, "show", None)) and hasattr(error, "exit_code"):
            error.show()
            return int(ExitCode.BAD_ARGS)
        raise


# The classifier's matrix products are small (a few hundred rows): threads of a BLAS library
# cost more than they give, and with --jobs N each worker's threads would compete with the other
# workers for the cores (measured: --jobs 2 ran its reports 1.4x faster than --jobs 1 with
# OpenBLAS threads, 2.3x without). Read by the BLAS library when numpy loads; a value set by
# the user wins.
SINGLE_THREADED_BLAS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def limit_blas_threads(environ: Any) -> None:
    """Ask the BLAS library for one thread, unless the user chose; works only before numpy is imported."""
    for name, value in SINGLE_THREADED_BLAS.items():
        environ.setdefault(name, value)


def run() -> NoReturn:
    """Console entry point: ``main()``, then leave without tearing the interpreter down.

    Every output file is written and closed by then. Freeing the loaded dictionaries, vocabulary
    and models object by object at exit would add about 0.3 s to every run, for nothing.
    """
    limit_blas_threads(os.environ)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head) or a closed stream
            pass
    logging.shutdown()
    os._exit(code)
