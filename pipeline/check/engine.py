"""The rule engine: rules, the context they read, and how hits become findings.

A rule is a pure function from a :class:`CheckContext` to :class:`Hit` objects
(message, evidence spans, expected/observed). The engine turns hits into
:class:`~pipeline.records.Finding` records with exact quotes, pages and stable
ids, and turns a rule that raises into a ``RULE-ERR`` finding so that one broken
rule never loses the report.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import datafiles
from pipeline.errors import ConfigError
from pipeline.records import CATEGORIES, SEVERITIES, AuditInput, Evidence, Finding, Passage, Quantity

RULE_DATA_PATH = Path(__file__).with_name("rules.yaml")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# One private-use character stands for one quantity in a sentence skeleton.
QUANTITY_MARK = "\ue000"
CLAUSE_BREAKS = "，,；;。！？!?\n"
_CLAUSE_BREAK = re.compile(f"[{re.escape(CLAUSE_BREAKS)}]")


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports before the engine makes it a finding."""

    message: str
    spans: tuple[tuple[int, int], ...]
    expected: float | int | None = None
    observed: float | int | None = None
    severity: str | None = None  # None: the rule's severity
    key: str = ""  # tells apart hits with the same evidence (e.g. the scheme point)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    severity: str
    check: Callable[[CheckContext], Iterable[Hit]]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


def rule(rule_id: str, category: str, severity: str) -> Callable[[Callable[[CheckContext], Iterable[Hit]]], Rule]:
    """Decorator: wrap a check function as a :class:`Rule` (nothing is registered globally)."""
    if category not in CATEGORIES or severity not in SEVERITIES:
        raise ConfigError(f"rule {rule_id}: bad category {category!r} or severity {severity!r}")

    def wrap(check: Callable[[CheckContext], Iterable[Hit]]) -> Rule:
        return Rule(rule_id, category, severity, check)

    return wrap


@dataclass(frozen=True, slots=True)
class RuleData:
    """Patterns, word lists, tolerances and severity overrides from ``rules.yaml``.

    ``values`` is read-only: word lists, alternations and patterns made from it are kept in
    ``_derived`` (rules ask for the same ones for every figure, hundreds of times per report).
    """

    values: dict[str, Any]
    _derived: dict[tuple[str, tuple[str, ...]], Any] = field(default_factory=dict, init=False, repr=False,
                                                               compare=False)

    def _memo(self, kind: str, keys: tuple[str, ...], build: Callable[[], Any]) -> Any:
        key = (kind, keys)
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def get(self, *keys: str, default: Any = None) -> Any:
        node: Any = self.values
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    def words(self, *keys: str) -> tuple[str, ...]:
        return self._memo("words", keys, lambda: tuple(self.get(*keys, default=()) or ()))

    def pattern(self, *keys: str) -> re.Pattern[str]:
        """A regex from the data; ``{Q}`` stands for one quantity of the skeleton."""
        return self._memo("pattern", keys, lambda: self._compile(keys))

    def _compile(self, keys: tuple[str, ...]) -> re.Pattern[str]:
        source = self.get(*keys)
        if not isinstance(source, str):
            raise ConfigError(f"rules.yaml: pattern {'.'.join(keys)} missing")
        try:
            return re.compile(source.replace("{Q}", QUANTITY_MARK))
        except re.error as exc:
            raise ConfigError(f"rules.yaml: pattern {'.'.join(keys)} invalid: {exc}") from exc

    def alternation(self, *keys: str) -> str:
        """The word list as a regex alternation, longest first."""
        return self._memo("alternation", keys, lambda: self._alternation(keys))

    def _alternation(self, keys: tuple[str, ...]) -> str:
        words = sorted(self.words(*keys), key=lambda w: (-len(w), w))
        return "|".join(re.escape(w) for w in words) or "(?!)"


def load_rule_data(path: Path | str = RULE_DATA_PATH) -> RuleData:
    try:
        values = datafiles.read_file(path)
    except (OSError, datafiles.YAMLError) as exc:
        raise ConfigError(f"cannot read rule data {path}: {exc}") from exc
    if not isinstance(values, dict):
        raise ConfigError(f"rule data {path} is not a mapping")
    return RuleData(values)


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A span of text with each quantity replaced by :data:`QUANTITY_MARK`.

    Patterns match the skeleton; ``span`` maps skeleton characters back to their
    span in the document, ``quantity_at`` maps a mark to its quantity.
    Only the marks are stored: a plain character lies at a fixed distance from the
    mark before it (a table of one span per character cost more than the rules).
    """

    text: str
    quantity_at: dict[int, Quantity]
    start: int  # document offset of the first skeleton character
    mark_indices: tuple[int, ...]  # skeleton index of each mark, ascending

    def _char_span(self, index: int) -> tuple[int, int]:
        """Document span of skeleton character ``index`` (negative counts from the end, as for a sequence)."""
        if index < 0:
            index += len(self.text)
        if not 0 <= index < len(self.text):
            raise IndexError("skeleton index out of range")
        quantity = self.quantity_at.get(index)
        if quantity is not None:
            return quantity.start, quantity.end
        previous = bisect_left(self.mark_indices, index) - 1
        if previous < 0:
            offset = self.start + index
        else:
            mark = self.mark_indices[previous]
            offset = self.quantity_at[mark].end + index - mark - 1
        return offset, offset + 1

    @property
    def origin(self) -> tuple[tuple[int, int], ...]:
        """The document span of every skeleton character."""
        return tuple(self._char_span(i) for i in range(len(self.text)))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Document span of skeleton characters ``start:end``."""
        return self._char_span(start)[0], self._char_span(end - 1)[1]

    def quantities(self, start: int = 0, end: int | None = None) -> list[Quantity]:
        end = len(self.text) if end is None else end
        return [q for i, q in sorted(self.quantity_at.items()) if start <= i < end]


@dataclass
class CheckContext:
    """Read-only view of one report's records with lookups the rules share."""

    audit: AuditInput
    data: RuleData
    # the document's text and passages, read thousands of times per report: attributes, not properties
    text: str = field(init=False, repr=False)
    passages: tuple[Passage, ...] = field(init=False, repr=False)
    quantities: tuple[Quantity, ...] = field(init=False)
    sentence_spans: tuple[tuple[int, int], ...] = field(init=False)
    _sentence_starts: list[int] = field(init=False, repr=False)
    _passage_starts: list[int] = field(init=False, repr=False)
    _quantity_starts: list[int] = field(init=False, repr=False)
    _clause_breaks: list[int] = field(init=False, repr=False)
    _skeletons: dict[tuple[int, int, tuple[str, ...]], Skeleton] = field(init=False, repr=False)
    _shared: dict[Hashable, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text = text = self.audit.document.text
        self.passages = self.audit.structure.passages
        self.quantities = tuple(sorted(self.audit.extraction.quantities, key=lambda q: (q.start, q.end)))
        spans = [(s.start, s.end) for s in self.audit.structure.sentences]
        self.sentence_spans = tuple(sorted(spans))  # the segmenter's sentences: rules never re-split text
        self._sentence_starts = [s for s, _ in self.sentence_spans]
        self._passage_starts = [p.start for p in self.passages]
        self._quantity_starts = [q.start for q in self.quantities]
        # offsets of the clause-breaking characters: clause_of bisects them instead of scanning the
        # text, which made rules quadratic on long clauses with many hits (10,000 unpaired 《)
        self._clause_breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
        self._skeletons = {}  # several rules read the same paragraph: build its skeleton once per run
        self._shared = {}

    # -- the records ---------------------------------------------------------
    @property
    def extraction(self):  # noqa: ANN201 - Extraction
        return self.audit.extraction

    # -- lookups ---------------------------------------------------------------
    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset`` (a one-character span if none does)."""
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0:
            start, end = self.sentence_spans[i]
            if start <= offset < end:
                return start, end
        return offset, offset + 1

    def passage_of(self, offset: int) -> Passage | None:
        i = bisect_right(self._passage_starts, offset) - 1
        if i >= 0:
            passage = self.passages[i]
            if passage.start <= offset < passage.end:
                return passage
        return None

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        """The passage span holding ``offset``, else the line."""
        passage = self.passage_of(offset)
        if passage is not None:
            return passage.start, passage.end
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end

    def section_of(self, offset: int) -> str:
        passage = self.passage_of(offset)
        return passage.section if passage is not None else "other"

    def clause_of(self, offset: int) -> tuple[int, int]:
        """The clause (between commas/semicolons, outside brackets) holding ``offset``."""
        breaks = self._clause_breaks
        i = bisect_left(breaks, offset)  # breaks[i - 1] < offset <= breaks[i]
        start = breaks[i - 1] + 1 if i > 0 else 0
        end = breaks[i] if i < len(breaks) else max(offset, len(self.text))
        return start, end

    def quantities_in(self, start: int, end: int, kinds: Sequence[str] | None = None) -> list[Quantity]:
        first = bisect_right(self._quantity_starts, start - 1)
        last = bisect_right(self._quantity_starts, end)
        return [q for q in self.quantities[first:last] if q.end <= end and (kinds is None or q.kind in kinds)]

    def shared(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per report for all the rules that ask with the same key.

        The value must be immutable (a tuple, a frozenset): every rule gets the same object.
        """
        if key not in self._shared:
            self._shared[key] = build()
        return self._shared[key]

    def skeleton(self, start: int, end: int, kinds: Sequence[str]) -> Skeleton:
        key = (start, end, tuple(kinds))
        if key not in self._skeletons:
            self._skeletons[key] = self._build_skeleton(start, end, kinds)
        return self._skeletons[key]

    def _build_skeleton(self, start: int, end: int, kinds: Sequence[str]) -> Skeleton:
        text = self.text
        pieces: list[str] = []
        length = 0  # of the skeleton so far
        quantity_at: dict[int, Quantity] = {}
        position = start
        for q in self.quantities_in(start, end, kinds):
            if q.start < position:
                continue  # overlapping record: keep the first
            pieces.append(text[position:q.start])
            length += q.start - position
            quantity_at[length] = q
            pieces.append(QUANTITY_MARK)
            length += 1
            position = q.end
        pieces.append(text[position:end])
        return Skeleton("".join(pieces), quantity_at, start, tuple(quantity_at))


# -- findings ------------------------------------------------------------------


def finding_id(rule_id: str, spans: Sequence[tuple[int, int]], observed: Any, key: str = "") -> str:
    key = f"{rule_id}|{';'.join(f'{s}-{e}' for s, e in spans)}|{observed!r}|{key}"
    return "F-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def make_finding(audit: AuditInput, rule_id: str, category: str, severity: str, hit: Hit) -> Finding:
    document = audit.document
    spans = sorted({(s, e) for s, e in hit.spans if 0 <= s < e <= len(document.text)})
    evidence = tuple(Evidence(document.text[s:e], s, e, document.page_at(s)) for s, e in spans)
    return Finding(
        id=finding_id(rule_id, spans, hit.observed, hit.key),
        rule=rule_id,
        category=category,
        severity=hit.severity or severity,
        message=hit.message,
        evidence=evidence,
        expected=hit.expected,
        observed=hit.observed,
    )


def finding_order(finding: Finding) -> tuple[int, str, str]:
    first = finding.evidence[0].start if finding.evidence else 1 << 62
    return first, finding.rule, finding.id


def run_rules(audit: AuditInput, rules: Sequence[Rule], data: RuleData) -> tuple[Finding, ...]:
    """Run every rule; a rule that raises becomes a ``RULE-ERR`` finding."""
    context = CheckContext(audit, data)
    severities = data.get("severity", default={}) or {}
    findings: dict[str, Finding] = {}
    for current in sorted(rules, key=lambda r: r.id):
        severity = severities.get(current.id, current.severity)
        try:
            hits = list(current.check(context))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not lose the report
            hit = Hit(f"检查规则{current.id}运行出错（{type(exc).__name__}: {exc}），该项未检查。", ())
            finding = make_finding(audit, "RULE-ERR", "other", "warning", Hit(hit.message, (), key=current.id))
            findings[finding.id] = finding
            continue
        for hit in hits:
            finding = make_finding(audit, current.id, current.category, severity, hit)
            findings.setdefault(finding.id, finding)
    return tuple(sorted(findings.values(), key=finding_order))
