"""Every unreadable input gets its own typed error, code and Chinese message: never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import (
    DamagedFileError,
    DutyAuditError,
    EmptyFileError,
    EncryptedError,
    ExitCode,
    NoTextError,
    NotPdfError,
    TooLargeError,
    UnsupportedFormatError,
)
from pipeline.ingest import FileAccessError, IngestLimits, load_document

CJK = range(0x4E00, 0xA000)


def _has_chinese(message: str) -> bool:
    return any(ord(char) in CJK for char in message)


@pytest.mark.parametrize(
    ("name", "error", "code", "words"),
    [
        ("broken/zero-bytes.pdf", EmptyFileError, "empty_file", ("0字节",)),
        ("broken/not-a-pdf.pdf", NotPdfError, "not_pdf", ("%PDF", "UTF-8")),
        ("broken/truncated.pdf", DamagedFileError, "damaged", ("截断",)),
        ("broken/encrypted.pdf", EncryptedError, "encrypted", ("加密", "密码")),
        ("broken/empty.pdf", NoTextError, "no_text", ("空白",)),
        ("dazu-2022.scanned.pdf", NoTextError, "no_text", ("扫描", "OCR", "chi_sim")),
    ],
)
def test_broken_fixture_has_its_own_error(
    corpus_dir: Path, name: str, error: type[DutyAuditError], code: str, words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as caught:
        load_document(corpus_dir / name)
    assert caught.value.code == code
    assert _has_chinese(caught.value.message)
    for word in words:
        assert word in caught.value.message


def test_scanned_and_blank_messages_differ(corpus_dir: Path) -> None:
    messages = []
    for name in ("dazu-2022.scanned.pdf", "broken/empty.pdf"):
        with pytest.raises(NoTextError) as caught:
            load_document(corpus_dir / name)
        messages.append(caught.value.message)
    assert messages[0] != messages[1]
    assert "扫描" not in messages[1]


def test_third_party_errors_are_chained(corpus_dir: Path) -> None:
    with pytest.raises(DamagedFileError) as caught:
        load_document(corpus_dir / "broken" / "truncated.pdf")
    assert caught.value.__cause__ is not None


def test_wrong_password_says_so(corpus_dir: Path) -> None:
    with pytest.raises(EncryptedError) as caught:
        load_document(corpus_dir / "broken" / "encrypted.pdf", password="not-it")
    assert "密码不正确" in caught.value.message
    assert caught.value.exit_code == ExitCode.ENCRYPTED


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_text("学校名称\t学生数", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as caught:
        load_document(path)
    assert ".xlsx" in caught.value.message and caught.value.code == "unsupported"


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("old-word.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        ("noise.txt", bytes(range(256)) * 8),
    ],
)
def test_unsupported_content(tmp_path: Path, name: str, payload: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(payload)
    with pytest.raises(UnsupportedFormatError):
        load_document(path)


def test_pdf_named_txt_is_read_by_content(corpus_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "tables.txt"
    shutil.copyfile(corpus_dir / "dazu-2022.tables.pdf", renamed)
    document = load_document(renamed)
    assert document.media_type == "pdf"
    assert "2522.934" in document.text
    assert document.warnings


def test_too_many_bytes(corpus_dir: Path) -> None:
    with pytest.raises(TooLargeError) as caught:
        load_document(corpus_dir / "dazu-2022.txt", limits=IngestLimits(max_bytes=1000))
    assert caught.value.code == "too_large" and "1000" in caught.value.message
    # at the limit it still reads
    size = (corpus_dir / "dazu-2022.txt").stat().st_size
    assert load_document(corpus_dir / "dazu-2022.txt", limits=IngestLimits(max_bytes=size)).text


def test_too_many_pages(corpus_dir: Path) -> None:
    with pytest.raises(TooLargeError) as caught:
        load_document(corpus_dir / "dazu-2022.pdf", limits=IngestLimits(max_pages=5))
    assert "22" in caught.value.message
    assert load_document(corpus_dir / "dazu-2022.tables.pdf", limits=IngestLimits(max_pages=1)).page_count == 1


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError) as caught:
        load_document(tmp_path / "nowhere.pdf")
    assert caught.value.exit_code == ExitCode.FILE_ACCESS


def test_truncated_synthetic_pdf_is_damaged(corpus_dir: Path, tmp_path: Path) -> None:
    data = (corpus_dir / "dazu-2022.tables.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 5])
    with pytest.raises(DamagedFileError):
        load_document(path)
