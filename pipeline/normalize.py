"""Length-preserving normalisation of report text for matching.

``fold(text)`` returns a string of exactly the same length in which full-width
ASCII forms (U+FF01–FF5E) become ASCII, the ideographic space becomes a space
and a few look-alike characters become their common form. Because the mapping is
one character to one character, an offset in the folded view *is* an offset in
``Document.text``: the offset map is the identity, and extractors can run their
patterns on the folded text and report spans of the original.
"""

from __future__ import annotations

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


def fold(text: str) -> str:
    """Fold full-width forms to ASCII, one character for one character."""
    folded = text.translate(FOLD_TABLE)
    assert len(folded) == len(text)
    return folded
