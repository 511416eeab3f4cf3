"""Reading the project's YAML data files (schemes, lexicons, rule data) in one way.

libyaml's C loader parses them about ten times faster than the pure-Python one, which
matters at start-up; the pure-Python loader is the fallback where libyaml is missing.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

YAMLError = yaml.YAMLError
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | IO[str]) -> Any:
    """``yaml.safe_load`` with the C loader when available (same safe subset of YAML)."""
    return yaml.load(stream, Loader=_SAFE_LOADER)  # noqa: S506 - a SafeLoader
