"""Tell what a file is from its bytes, whatever its name says."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import DutyAuditError, ExitCode

SUPPORTED_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", "": None}

# PDF readers accept a header a little way into the file (junk before %PDF)
PDF_HEADER_WINDOW = 1024

# (magic prefix, kind, Chinese description) for formats we recognise but cannot read
KNOWN_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "pdf", "PDF文档"),
    (b"PK\x03\x04", "zip", "ZIP压缩包（DOCX/XLSX等Office文档也是ZIP）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "旧版Office二进制文档（.doc/.xls）或加密的Office文档"),
    (b"{\\rtf", "rtf", "RTF富文本文档"),
    (b"\x89PNG\r\n\x1a\n", "image", "PNG图片"),
    (b"\xff\xd8\xff", "image", "JPEG图片"),
    (b"GIF8", "image", "GIF图片"),
    (b"II*\x00", "image", "TIFF图片"),
    (b"MM\x00*", "image", "TIFF图片"),
    (b"Rar!", "archive", "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "7z压缩包"),
    (b"\x1f\x8b", "archive", "gzip压缩包"),
    (b"<?xml", "xml", "XML文本"),
    (b"AT&TFORM", "djvu", "DjVu文档"),
)

MAX_NUL_SHARE = 0.1
OLE_ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class FileAccessError(DutyAuditError):
    """The file cannot be opened at all (missing, a directory, no permission)."""

    exit_code = ExitCode.FILE_ACCESS
    code = "internal"
    default_message = "无法打开文件（不存在或没有读取权限）。The file cannot be opened."


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str  # "pdf" | "docx" | "text" | "zip" | "ole" | "image" | ... | "binary"
    description: str  # what the bytes look like, in Chinese, for messages
    encrypted_office: bool = False


def _looks_like_docx(data: bytes) -> bool:
    # the zip's local file headers name their parts in the clear
    return b"word/document.xml" in data or (b"[Content_Types].xml" in data and b"word/" in data)


def _text_description(data: bytes) -> str | None:
    head = data[: 1 << 16]
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return "UTF-16文本" if encoding == "utf-16" else "UTF-8文本（带BOM）"
    if head.count(b"\x00") > MAX_NUL_SHARE * len(head):  # UTF-16 without BOM, or binary
        return None
    try:
        head.decode("utf-8")
        kind = "UTF-8文本"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut by the window
            kind = "UTF-8文本"
        else:
            try:
                head.decode("gb18030")
                kind = "GB18030/GBK编码的中文文本"
            except UnicodeDecodeError:
                return None
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "HTML网页"
    return kind


def sniff(data: bytes) -> Sniffed:
    """Classify ``data`` by content only."""
    if b"%PDF" in data[:PDF_HEADER_WINDOW]:
        return Sniffed("pdf", "PDF文档")
    for magic, kind, description in KNOWN_SIGNATURES:
        if data.startswith(magic):
            if kind == "zip" and _looks_like_docx(data):
                return Sniffed("docx", "DOCX文档")
            if kind == "ole" and OLE_ENCRYPTED_MARKER in data:
                return Sniffed("ole", "加密的Office文档", encrypted_office=True)
            return Sniffed(kind, description)
    text_kind = _text_description(data)
    if text_kind is not None:
        return Sniffed("html" if text_kind == "HTML网页" else "text", text_kind)
    return Sniffed("binary", "无法识别的二进制数据")
