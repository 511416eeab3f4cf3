"""Section roles of headings: a data table of normalised section names, matched fuzzily.

The table lives in ``models/lexicon/section_roles.yaml``; matching goes through
``pipeline.matching`` (the one module that imports rapidfuzz).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import datafiles
from pipeline import matching
from pipeline.errors import ConfigError
from pipeline.normalize import fold
from pipeline.paths import models_dir
from pipeline.records import SECTION_ROLES

from .headings import DEFAULT_EXCLUDED_NEXT, DEFAULT_MAX_HEADING_CHARS

# Years, digits and punctuation carry no section meaning (2018年奉贤教育基本情况 → 奉贤教育基本情况).
_LABEL_NOISE = re.compile(r"\d{2,4}\s*[—\-~至]\s*\d{2,4}\s*年|\d{4}\s*年度?|\d+|[\s\W_]", re.UNICODE)


# A table match scoring this much is the name itself (a containment match scores 85-95, below it
# for any label longer than the name).
EXACT_SCORE = 95.0


def default_lexicon_path() -> Path:
    return models_dir() / "lexicon" / "section_roles.yaml"


@dataclass(frozen=True, slots=True)
class CompoundName:
    """A family of section names: one word from each group of ``all_of``, none of ``none_of``.

    ``主要工作及成效`` is no table name and too far from 主要做法及成效 for the fuzzy match, but it joins
    a practice word (工作) and an achievement word (成效): it names the achievement section.
    """

    role: str
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...] = ()

    def matches(self, normalized: str) -> bool:
        if any(word in normalized for word in self.none_of):
            return False
        return all(any(word in normalized for word in group) for group in self.all_of)


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
    compounds: tuple[CompoundName, ...] = ()  # name families, in order (see role_of_label)

    @classmethod
    def load(cls, path: Path | str | None = None) -> SectionLexicon:
        source = Path(path) if path is not None else default_lexicon_path()
        try:
            data = datafiles.read_file(source)
            unknown = sorted(set(data["roles"]) - set(SECTION_ROLES))
            if unknown:
                raise ConfigError(f"未知的章节角色：{unknown}。Unknown section roles in {source}.")
            names = []
            for role in sorted(data["roles"], key=SECTION_ROLES.index):
                for name in data["roles"][role]:
                    names.append((normalize_label(str(name)), role))
            compounds = tuple(_compound(entry) for entry in data.get("compound_names", ()))
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
                compounds=compounds,
            )
        except ConfigError:
            raise
        except (OSError, datafiles.YAMLError, KeyError, TypeError, ValueError, re.error) as exc:
            raise ConfigError(f"章节角色词表无效：{source}。Invalid section-role lexicon: {exc}") from exc


def _compound(entry: dict) -> CompoundName:
    role = str(entry["role"])
    if role not in SECTION_ROLES:
        raise ConfigError(f"未知的章节角色：{role}。Unknown section role in compound_names: {role}.")
    groups = tuple(tuple(normalize_label(str(word)) for word in group) for group in entry["all_of"])
    if not groups or not all(groups) or not all(all(group) for group in groups):
        raise ValueError(f"compound_names entry for {role} needs non-empty word groups")
    return CompoundName(
        role=role, all_of=groups, none_of=tuple(normalize_label(str(word)) for word in entry.get("none_of", ()))
    )


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


def compound_role(label: str, lexicon: SectionLexicon) -> str | None:
    """Role of the first name family (``compound_names``) the label belongs to, or None."""
    normalized = normalize_label(label)
    if not normalized:
        return None
    for compound in lexicon.compounds:
        if compound.matches(normalized):
            return compound.role
    return None


def role_of_label(label: str, lexicon: SectionLexicon) -> str | None:
    """Role of a heading label.

    In order: a table name matched (nearly) as a whole; the first name family the label belongs to
    (``compound_names``: 主要工作及成效, 重点工作推进情况 → achievement), which outranks a table name
    that is only contained in the label (经验做法及成效 holds 经验做法, but names the results);
    any other fuzzy table match; for a combined name (存在的问题和改进措施) whose parts both match,
    the first part's role.
    """
    whole = match_role(label, lexicon)
    if whole is not None and whole[1] >= EXACT_SCORE:
        return whole[0]
    compound = compound_role(label, lexicon)
    if compound is not None:
        return compound
    if whole is not None:
        return whole[0]
    for joiner in lexicon.combined_joiners:
        if joiner in label:
            first = match_role(label.split(joiner, 1)[0], lexicon)
            second = match_role(label.split(joiner, 1)[1], lexicon)
            if first is not None and second is not None:
                return first[0]
    return None
