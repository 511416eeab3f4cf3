"""Typed errors and the exit-code table. Library code raises; only the CLI exits."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Stable process exit codes (documented in README.md)."""

    OK = 0
    BAD_ARGS = 1  # usage error (typer/click also uses 2 for usage; we never reuse 2 for that)
    INPUT_FILE = 2  # single file: empty, not a PDF, damaged, unsupported, too large
    MISSING_DEPENDENCY = 3
    MODEL_ERROR = 4
    FILE_ACCESS = 5
    PARTIAL_FAILURE = 6  # batch: some inputs failed, the others were processed
    NO_TEXT = 7  # scanned or blank PDF: needs OCR
    ENCRYPTED = 8
    INVALID_CONFIG = 9  # bad scheme file or pattern data
    FINDINGS_OVER_THRESHOLD = 10  # --fail-on
    INTERNAL = 15
    INTERRUPTED = 130


class DutyAuditError(Exception):
    """Base of every error the package raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL
    code: str = "internal"  # the report JSON's error.code
    default_message: str = "内部错误。Internal error."

    def __init__(self, message: str | None = None, *, hint: str | None = None) -> None:
        self.message = message or self.default_message
        self.hint = hint
        super().__init__(self.message)


class InputFileError(DutyAuditError):
    exit_code = ExitCode.INPUT_FILE
    code = "damaged"


class EmptyFileError(InputFileError):
    code = "empty_file"
    default_message = "文件为空（0字节），没有可读取的内容。The file is empty (0 bytes)."


class NotPdfError(InputFileError):
    code = "not_pdf"
    default_message = "文件扩展名为.pdf，但内容不是PDF（缺少%PDF文件头）。The file is not a PDF."


class DamagedFileError(InputFileError):
    code = "damaged"
    default_message = "文件已损坏或不完整（可能被截断），无法读取。The file is damaged or truncated."


class UnsupportedFormatError(InputFileError):
    code = "unsupported"
    default_message = "不支持的文件类型，请提供PDF、DOCX或TXT文件。Unsupported file type (use PDF, DOCX or TXT)."


class TooLargeError(InputFileError):
    code = "too_large"
    default_message = "文件超过大小或页数上限。The file exceeds the size or page limit."


class TimeLimitError(TooLargeError):
    """Work on one file took longer than the configured limit (hostile or pathological input)."""

    default_message = "处理时间超过上限，已停止处理该文件。Processing this file exceeded the time limit."


class EncryptedError(DutyAuditError):
    exit_code = ExitCode.ENCRYPTED
    code = "encrypted"
    default_message = "PDF文件已加密，需要密码才能读取；请用 --password 提供密码。The PDF is encrypted: pass --password."


class NoTextError(DutyAuditError):
    exit_code = ExitCode.NO_TEXT
    code = "no_text"
    default_message = "PDF没有文字层，无法提取文字。The PDF has no text layer."


class ConfigError(DutyAuditError):
    """A scheme file, pattern file or other data file is invalid."""

    exit_code = ExitCode.INVALID_CONFIG
    code = "internal"
    default_message = "配置或数据文件无效。Invalid configuration or data file."


class ModelError(DutyAuditError):
    """A persisted model is missing or incompatible."""

    exit_code = ExitCode.MODEL_ERROR
    code = "internal"
    default_message = "分类模型缺失或不兼容。The classifier model is missing or incompatible."
