"""Per-file work bounds for ingestion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IngestLimits:
    """Refuse a file before parsing it all when it exceeds these bounds."""

    max_bytes: int = 64 * 2**20
    max_pages: int = 500
    # a DOCX is a zip: bound the unpacked main part too (zip bombs)
    max_unpacked_bytes: int = 256 * 2**20
