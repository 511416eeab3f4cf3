"""Length-preserving normalisation of report text for matching.

``fold(text)`` returns a string of exactly the same length in which full-width
ASCII forms (U+FF01–FF5E) become ASCII, the ideographic space becomes a space
and a few look-alike characters become their common form. Because the mapping is
one character to one character, an offset in the folded view *is* an offset in
``Document.text``: the offset map is the identity, and extractors can run their
patterns on the folded text and report spans of the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_EXTRA = {
    "\u3000": " ",  # ideographic space
    "\u2236": ":",  # ∶ ratio colon
    "\u00a0": " ",
    "\u2014": "—",
    "\u3007": "〇",
}


def _build_table() -> dict[int, str]:
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({ord(k): v for k, v in _EXTRA.items()})
    return table


FOLD_TABLE: dict[int, str] = _build_table()

# Below this length str.translate is as fast (and all-ASCII text has its own fast path there).
_SPLIT_FROM = 256


def char_translator(table: dict[int, str]) -> Callable[[str], str]:
    """``lambda text: text.translate(table)`` for a table of one character to one character, faster on long text.

    ``str.translate`` looks up every character of a non-ASCII text in the table; a report
    (11k characters, ~500 of them foldable) is cut at the table's characters by re instead,
    and the pieces are joined with the characters' replacements. A short text with none of
    the table's characters is returned as it is.
    """
    replacement = {chr(code): value for code, value in table.items()}
    if any(len(value) != 1 for value in replacement.values()):
        raise ValueError("char_translator needs a table of one character to one character")
    in_table = re.compile("[" + re.escape("".join(replacement)) + "]")
    replace = replacement.__getitem__

    def translate(text: str) -> str:
        if len(text) < _SPLIT_FROM:
            # most short texts (a figure, a clause) hold nothing to replace: one search beats translate
            return text.translate(table) if in_table.search(text) else text
        kept = in_table.split(text)
        pieces = [""] * (2 * len(kept) - 1)
        pieces[0::2] = kept
        pieces[1::2] = map(replace, in_table.findall(text))
        return "".join(pieces)

    return translate


_translate_fold = char_translator(FOLD_TABLE)


def fold(text: str) -> str:
    """Fold full-width forms to ASCII, one character for one character."""
    folded = _translate_fold(text)
    assert len(folded) == len(text)
    return folded
