"""Reading the project's YAML data files (schemes, lexicons, rule data) in one way.

libyaml's C loader parses them about ten times faster than the pure-Python one, which
matters at start-up; the pure-Python loader is the fallback where libyaml is missing.
"""

from __future__ import annotations

import os
from typing import IO, Any

import yaml

YAMLError = yaml.YAMLError
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | IO[str]) -> Any:
    """``yaml.safe_load`` with the C loader when available (same safe subset of YAML)."""
    return yaml.load(stream, Loader=_SAFE_LOADER)  # noqa: S506 - a SafeLoader


def read_file(path: str | os.PathLike[str]) -> Any:
    """The parsed content of a UTF-8 YAML file (raises OSError, UnicodeDecodeError or ``YAMLError``)."""
    with open(path, encoding="utf-8") as handle:
        return safe_load(handle)
