"""The consistency checker: records in, findings (the 问题清单) out.

``run_checks(audit_input)`` runs every rule of :data:`RULES` over the records of
one report and returns findings sorted by (first evidence start, rule id). Each
rule has a stable id (``ARITH-DIFF`` …), a category, a default severity and a
docstring with what it checks and one positive and one negative example.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.records import AuditInput, Finding

from . import arithmetic, claims, coverage, duplicates, formats, references, temporal
from .engine import Hit, Rule, RuleData, load_rule_data, run_rules

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (*arithmetic.RULES, *claims.RULES, *references.RULES, *duplicates.RULES, *temporal.RULES, *formats.RULES,
         *coverage.RULES),
        key=lambda r: r.id,
    )
)


def run_checks(
    audit_input: AuditInput, rules: Sequence[Rule] | None = None, data: RuleData | None = None
) -> tuple[Finding, ...]:
    """All findings for one report; a rule that raises becomes a ``RULE-ERR`` finding."""
    return run_rules(audit_input, RULES if rules is None else rules, data or load_rule_data())


__all__ = ["Hit", "RULES", "Rule", "RuleData", "load_rule_data", "run_checks"]
