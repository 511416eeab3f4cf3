"""Character-level cleaning shared by the readers (stdlib only)."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls other than tab and newline break exporters (XLSX refuses them) and mean nothing here
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _radical_table() -> dict[int, str]:
    # Kangxi radicals / CJK radical supplement look like ideographs but do not match them
    table: dict[int, str] = {}
    for cp in range(0x2E80, 0x2FE0):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table[cp] = folded
    return table


RADICAL_TO_IDEOGRAPH: dict[int, str] = _radical_table()


def drop_controls(text: str) -> tuple[str, int]:
    """Remove control characters (keeps ``\\t`` and ``\\n``); return the text and how many went."""
    cleaned, count = CONTROL_CHARS.subn("", text)
    return cleaned, count


def normalise_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_wide(char: str) -> bool:
    """CJK ideographs, kana, CJK and full-width punctuation, and the quotes/dashes Chinese text uses."""
    cp = ord(char)
    return (
        0x2E80 <= cp <= 0x9FFF  # radicals, CJK symbols and punctuation, kana, ext A, unified
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE10 <= cp <= 0xFE1F  # vertical forms
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x20000 <= cp <= 0x3FFFF
        or 0x2460 <= cp <= 0x24FF  # circled numbers ①
        or 0x2010 <= cp <= 0x2027  # ‐ – — ‘ ’ “ ” … as used in Chinese text
        or cp == 0x00B7  # middle dot in transliterated names
    )
