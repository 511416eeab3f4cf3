"""The CLI maps typed errors to the documented exit codes, without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import __version__
from pipeline.cli import main
from pipeline.errors import ExitCode


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == ExitCode.OK
    assert __version__ in capsys.readouterr().out


def test_cli_usage_error_exits_bad_args(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == ExitCode.BAD_ARGS
    assert main(["text"]) == ExitCode.BAD_ARGS
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "exit_code", "code"),
    [
        ("broken/zero-bytes.pdf", ExitCode.INPUT_FILE, "empty_file"),
        ("broken/not-a-pdf.pdf", ExitCode.INPUT_FILE, "not_pdf"),
        ("broken/truncated.pdf", ExitCode.INPUT_FILE, "damaged"),
        ("broken/encrypted.pdf", ExitCode.ENCRYPTED, "encrypted"),
        ("broken/empty.pdf", ExitCode.NO_TEXT, "no_text"),
        ("dazu-2022.scanned.pdf", ExitCode.NO_TEXT, "no_text"),
    ],
)
def test_cli_text_bad_input_has_its_exit_code(
    corpus_dir: Path, name: str, exit_code: ExitCode, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["text", str(corpus_dir / name)]) == exit_code
    err = capsys.readouterr().err
    assert f"({code})" in err
    assert "Traceback" not in err


def test_cli_text_unsupported_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.rtf"
    path.write_text("{\\rtf1 x}", encoding="ascii")
    assert main(["text", str(path)]) == ExitCode.INPUT_FILE
    assert "(unsupported)" in capsys.readouterr().err


def test_cli_text_missing_file_is_file_access_or_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["text", str(tmp_path / "absent.pdf")])
    assert code in (ExitCode.FILE_ACCESS, ExitCode.INPUT_FILE)
    assert "Traceback" not in capsys.readouterr().err


def test_cli_text_encrypted_with_password_reads(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["text", str(corpus_dir / "broken/encrypted.pdf"), "--password", "secret", "--json"]) == ExitCode.OK
    payload = json.loads(capsys.readouterr().out)
    assert payload["pages"] == 22
    assert "自查自评报告" in payload["text"]


def test_console_entry_exits_with_main_code_and_flushed_output(corpus_dir: Path, tmp_path: Path) -> None:
    """``python -m pipeline`` (``cli.run``) leaves with ``os._exit``: the code and all output must survive it."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    bad = subprocess.run([sys.executable, "-m", "pipeline", "text", str(corpus_dir / "broken" / "encrypted.pdf")],
                         capture_output=True, text=True, cwd=repo)
    assert bad.returncode == ExitCode.ENCRYPTED and "encrypted" in bad.stderr and "Traceback" not in bad.stderr
    good = subprocess.run([sys.executable, "-m", "pipeline", "text", str(corpus_dir / "dazu-2022.txt")],
                          capture_output=True, text=True, cwd=repo)
    expected = (corpus_dir / "dazu-2022.txt").read_text(encoding="utf-8")
    assert good.returncode == ExitCode.OK and good.stdout.strip() == expected.strip()  # every byte flushed
    out = tmp_path / "out"
    audit = subprocess.run(
        [sys.executable, "-m", "pipeline", "audit", str(corpus_dir / "dazu-2022.txt"), "--out", str(out), "--no-progress"],
        capture_output=True, text=True, cwd=repo,
    )
    assert audit.returncode == ExitCode.OK
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]["ok"] == 1
    assert (out / "findings.xlsx").stat().st_size > 0 and not list(out.rglob("*.tmp"))


def test_console_entry_runs_blas_single_threaded_and_the_cli_import_leaves_numpy_unloaded() -> None:
    """``run()`` sets the BLAS thread count through the environment, which only works while numpy
    is not imported yet: importing the CLI must not import it."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys, os, pipeline.cli as cli\n"
        "assert 'numpy' not in sys.modules, 'the CLI import loaded numpy'\n"
        "if sys.argv[1] == 'limit': cli.limit_blas_threads(os.environ)\n"
        "import numpy, threadpoolctl\n"
        "print(max(i['num_threads'] for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas'))\n"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    limited = subprocess.run([sys.executable, "-c", probe, "limit"], capture_output=True, text=True, check=True, env=environ)
    assert limited.stdout.strip() == "1"
    if (os.cpu_count() or 1) > 1:
        free = subprocess.run([sys.executable, "-c", probe, "free"], capture_output=True, text=True, check=True, env=environ)
        assert int(free.stdout.strip()) > 1
    chosen = subprocess.run([sys.executable, "-c", probe, "limit"], capture_output=True, text=True, check=True,
                            env={**environ, "OPENBLAS_NUM_THREADS": "2"})
    assert chosen.stdout.strip() == ("2" if (os.cpu_count() or 1) > 1 else "1")
