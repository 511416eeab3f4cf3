"""dutyaudit: audit self-evaluation reports on education duties (履行教育职责自查自评报告)."""

__version__ = "0.1.0"
