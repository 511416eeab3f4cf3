"""Section roles of headings: a data table of normalised section names, matched fuzzily.

The table lives in ``models/lexicon/section_roles.yaml``; matching goes through
``pipeline.matching`` (the one module that imports rapidfuzz).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline import matching
from pipeline.errors import ConfigError
from pipeline.normalize import fold
from pipeline.paths import models_dir
from pipeline.records import SECTION_ROLES

from .headings import DEFAULT_EXCLUDED_NEXT, DEFAULT_MAX_HEADING_CHARS

# Years, digits and punctuation carry no section meaning (2018年奉贤教育基本情况 → 奉贤教育基本情况).
_LABEL_NOISE = re.compile(r"\d{2,4}\s*[—\-~至]\s*\d{2,4}\s*年|\d{4}\s*年度?|\d+|[\s\W_]", re.UNICODE)


def default_lexicon_path() -> Path:
    return models_dir() / "lexicon" / "section_roles.yaml"


@dataclass(frozen=True, slots=True)
class SectionLexicon:
    """Section names per role and the closing/intro cues, loaded once and passed around."""

    names: tuple[tuple[str, str], ...]  # (normalised name, role), table order
    match_cutoff: float
    combined_joiners: tuple[str, ...]
    intro_process_cues: tuple[str, ...]
    intro_background_cues: tuple[str, ...]
    issuer_suffixes: tuple[str, ...]
    date_pattern: re.Pattern[str]
    contact_cues: tuple[str, ...]
    closing_max_chars: int
    no_mark_excluded_next: str = DEFAULT_EXCLUDED_NEXT
    max_heading_chars: int = DEFAULT_MAX_HEADING_CHARS

    @classmethod
    def load(cls, path: Path | str | None = None) -> SectionLexicon:
        source = Path(path) if path is not None else default_lexicon_path()
        try:
            with open(source, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
            unknown = sorted(set(data["roles"]) - set(SECTION_ROLES))
            if unknown:
                raise ConfigError(f"未知的章节角色：{unknown}。Unknown section roles in {source}.")
            names = []
            for role in sorted(data["roles"], key=SECTION_ROLES.index):
                for name in data["roles"][role]:
                    names.append((normalize_label(str(name)), role))
            closing = data["closing"]
            headings = data.get("headings", {})
            return cls(
                names=tuple(names),
                match_cutoff=float(data.get("match_cutoff", 80)),
                combined_joiners=tuple(str(j) for j in data.get("combined_joiners", ())),
                intro_process_cues=tuple(data.get("intro_process_cues", ())),
                intro_background_cues=tuple(data.get("intro_background_cues", ())),
                issuer_suffixes=tuple(closing["issuer_suffixes"]),
                date_pattern=re.compile(closing["date_pattern"]),
                contact_cues=tuple(closing["contact_cues"]),
                closing_max_chars=int(closing.get("max_line_chars", 60)),
                no_mark_excluded_next=str(headings.get("no_mark_excluded_next", DEFAULT_EXCLUDED_NEXT)),
                max_heading_chars=int(headings.get("max_heading_chars", DEFAULT_MAX_HEADING_CHARS)),
            )
        except ConfigError:
            raise
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as exc:
            raise ConfigError(f"章节角色词表无效：{source}。Invalid section-role lexicon: {exc}") from exc


def normalize_label(label: str) -> str:
    """Fold widths, drop years, digits, spaces and punctuation."""
    return _LABEL_NOISE.sub("", fold(label))


def _score(label: str, name: str) -> float:
    score = matching.similarity(label, name)
    if len(name) >= 4 and name in label:
        # containment (我区教育基本情况 ⊃ 基本情况): the longer the name's share, the better
        score = max(score, 85.0 + 10.0 * len(name) / len(label))
    return score


def match_role(label: str, lexicon: SectionLexicon) -> tuple[str, float] | None:
    """Best role for one section name, with its score, or None below the cutoff."""
    normalized = normalize_label(label)
    if not normalized:
        return None
    best: tuple[str, float] | None = None
    for name, role in lexicon.names:
        score = _score(normalized, name)
        if score >= lexicon.match_cutoff and (best is None or score > best[1]):
            best = (role, score)
    return best


def role_of_label(label: str, lexicon: SectionLexicon) -> str | None:
    """Role of a heading label; a combined name (存在的问题和改进措施) takes its first part's role."""
    whole = match_role(label, lexicon)
    if whole is not None:
        return whole[0]
    for joiner in lexicon.combined_joiners:
        if joiner in label:
            first = match_role(label.split(joiner, 1)[0], lexicon)
            second = match_role(label.split(joiner, 1)[1], lexicon)
            if first is not None and second is not None:
                return first[0]
    return None
