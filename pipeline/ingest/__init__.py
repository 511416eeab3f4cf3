"""Ingestion: turn a PDF, DOCX or TXT file into a ``Document``.

``load_document`` sniffs the bytes (the extension only decides what the user
meant), bounds the work per file and raises the typed errors of
``pipeline.errors`` for every input it cannot read.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipeline.errors import (
    EmptyFileError,
    EncryptedError,
    NoTextError,
    NotPdfError,
    TooLargeError,
    UnsupportedFormatError,
)
from pipeline.ingest.limits import IngestLimits
from pipeline.ingest.sniff import SUPPORTED_EXTENSIONS, FileAccessError, Sniffed, sniff
from pipeline.records import Document

__all__ = ["FileAccessError", "IngestLimits", "load_document"]


def _read_bytes(path: Path, limits: IngestLimits) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileAccessError(f"不是普通文件：{path.name}。Not a regular file.")
        if size > limits.max_bytes:
            raise TooLargeError(
                f"文件大小{size}字节，超过上限{limits.max_bytes}字节。"
                f"The file has {size} bytes (limit {limits.max_bytes})."
            )
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError as exc:
        raise FileAccessError(f"文件不存在：{path.name}。File not found.") from exc
    except PermissionError as exc:
        raise FileAccessError(f"没有读取权限：{path.name}。Permission denied.") from exc
    except IsADirectoryError as exc:
        raise FileAccessError(f"这是一个目录，不是文件：{path.name}。Is a directory.") from exc
    except OSError as exc:
        raise FileAccessError(f"无法读取文件：{path.name}（{exc.strerror or type(exc).__name__}）。") from exc
    if len(data) > limits.max_bytes:  # grew while we looked
        raise TooLargeError(f"文件超过大小上限{limits.max_bytes}字节。The file exceeds {limits.max_bytes} bytes.")
    return data


def _refuse_mismatch(extension: str, sniffed: Sniffed) -> None:
    """Raise when the content cannot be what the extension (or nothing) promises."""
    if extension == ".pdf" and sniffed.kind != "pdf":
        raise NotPdfError(
            f"文件扩展名为.pdf，但内容不是PDF（缺少%PDF文件头），看起来是{sniffed.description}。"
            f"The file is not a PDF (no %PDF header); its bytes look like {sniffed.kind}."
        )
    if sniffed.encrypted_office:
        raise EncryptedError(
            "Office文档已加密（受密码保护），请先解除密码后另存为DOCX或PDF。The Office document is password-protected."
        )
    if sniffed.kind not in ("pdf", "docx", "text"):
        raise UnsupportedFormatError(
            f"不支持的文件内容：{sniffed.description}。请提供PDF、DOCX或TXT文件。"
            f"Unsupported content ({sniffed.kind}); use PDF, DOCX or TXT."
        )


def load_document(
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    limits: IngestLimits = IngestLimits(),
) -> Document:
    """Read ``path`` into a ``Document`` or raise a ``DutyAuditError`` subclass."""
    file_path = Path(path)
    extension = file_path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormatError(
            f"不支持的文件类型“{extension}”，请提供PDF、DOCX或TXT文件。"
            f"Unsupported file type {extension!r} (use PDF, DOCX or TXT)."
        )
    data = _read_bytes(file_path, limits)
    if not data:
        raise EmptyFileError()
    sniffed = sniff(data)
    _refuse_mismatch(extension, sniffed)
    sha256 = hashlib.sha256(data).hexdigest()

    page_starts: tuple[int, ...] = (0,)
    if sniffed.kind == "pdf":
        from pipeline.ingest.pdf import read_pdf

        content = read_pdf(data, password=password, limits=limits)
        media_type = "pdf"
        text, page_starts, metadata = content.text, content.page_starts, content.metadata
        warnings, tables = content.warnings, content.tables
    elif sniffed.kind == "docx":
        from pipeline.ingest.docx import read_docx

        text, metadata, warnings, tables = read_docx(data, limits)
        media_type = "docx"
    else:
        from pipeline.ingest.txt import read_txt

        text, warnings = read_txt(data)
        metadata, tables = (), ()
        media_type = "txt"
    if not text.strip():
        raise NoTextError(
            f"{media_type.upper()}文件没有文字内容（只有空白）。The {media_type} file contains no text."
        )
    expected = SUPPORTED_EXTENSIONS.get(extension)
    if expected and expected != media_type:
        warnings = warnings + (
            f"文件扩展名为{extension}，内容实际是{media_type.upper()}，已按内容读取。"
            f"Read as {media_type} by content despite the {extension} extension.",
        )
    return Document(
        path=str(path), media_type=media_type, sha256=sha256, text=text, page_starts=page_starts,
        metadata=metadata, warnings=warnings, tables=tables,
    )
