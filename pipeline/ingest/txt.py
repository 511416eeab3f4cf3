"""Plain-text reader: detect the encoding, normalise line ends."""

from __future__ import annotations

from pipeline.errors import UnsupportedFormatError
from pipeline.ingest.text_clean import drop_controls, normalise_line_ends

# tried in order; gb18030 is a superset of GBK/GB2312
TEXT_ENCODINGS = ("utf-8", "gb18030")
# decoded text with more control characters than this share is binary, not text
MAX_CONTROL_SHARE = 0.01


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise UnsupportedFormatError."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = TEXT_ENCODINGS
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnsupportedFormatError(
        "文件内容不是可识别的文本（既不是UTF-8也不是GB18030/GBK编码）。"
        "The file is not text in UTF-8 or GB18030/GBK."
    )


def read_txt(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decoded text with ``\\n`` line ends, and warnings."""
    raw, encoding = decode_text(data)
    text = normalise_line_ends(raw)
    text, removed = drop_controls(text)
    if removed > max(8, MAX_CONTROL_SHARE * len(raw)):
        raise UnsupportedFormatError(
            "文件含大量控制字符，看起来是二进制数据而不是文本。The file looks like binary data, not text."
        )
    warnings: list[str] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        warnings.append(f"文本编码识别为{encoding.upper()}。Text decoded as {encoding}.")
    if removed:
        warnings.append(f"已删除{removed}个控制字符。Removed {removed} control characters.")
    return text, tuple(warnings)
