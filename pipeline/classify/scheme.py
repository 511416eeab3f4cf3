"""Indicator schemes as data: load and validate ``models/schemes/<id>.yaml``.

A scheme names its aspects (评价重点) and their points (评价要点). Every point id
starts with its aspect id and a dot (``A3`` -> ``A3.2``), so a point's aspect is
never ambiguous.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import datafiles
from pipeline.errors import ConfigError
from pipeline.paths import models_dir

SCHEME_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
ITEM_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MAX_SCHEME_BYTES = 2_000_000  # a scheme is a few kilobytes; refuse anything absurd


@dataclass(frozen=True, slots=True)
class Point:
    id: str
    aspect: str
    name: str
    description: str
    keywords: tuple[str, ...]
    checkable_figure: bool


@dataclass(frozen=True, slots=True)
class Aspect:
    id: str
    name: str
    description: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    name: str
    year: int
    issuer: str
    aspects: tuple[Aspect, ...]
    document: str | None = None
    source: str = ""  # the file it was loaded from

    @property
    def points(self) -> tuple[Point, ...]:
        return tuple(p for a in self.aspects for p in a.points)

    def point(self, point_id: str) -> Point:
        for candidate in self.points:
            if candidate.id == point_id:
                return candidate
        raise KeyError(point_id)

    def aspect_of(self, point_id: str) -> str:
        return self.point(point_id).aspect


def scheme_path(id_or_path: str | os.PathLike) -> Path:
    """A bare id resolves under ``models/schemes/``; anything path-like is taken as a file."""
    text = os.fspath(id_or_path)
    if SCHEME_ID_PATTERN.match(text) and not text.endswith((".yaml", ".yml")):
        return models_dir() / "schemes" / f"{text}.yaml"
    return Path(text)


def load_scheme(id_or_path: str | os.PathLike) -> Scheme:
    """Load and validate a scheme by id (``chongqing-2022``) or by file path."""
    path = scheme_path(id_or_path)
    if not path.is_file():
        raise ConfigError(f"评价方案文件不存在：{path}。Scheme file not found: {path}")
    if path.stat().st_size > MAX_SCHEME_BYTES:
        raise ConfigError(f"评价方案文件过大：{path}。Scheme file too large: {path}")
    try:
        data = datafiles.read_file(path)
    except (datafiles.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"评价方案文件无法解析：{path}（{exc}）。Scheme file is not valid YAML.") from exc
    return scheme_from_dict(data, source=str(path))


def scheme_from_dict(data: object, *, source: str = "<dict>") -> Scheme:
    """Validate a parsed scheme; every error names the offending field."""
    where = source
    mapping = _mapping(data, "scheme", where)
    scheme_id = _text(mapping, "id", "scheme", where)
    if not SCHEME_ID_PATTERN.match(scheme_id):
        raise ConfigError(f"{where}: 字段 id 不合法：{scheme_id!r}。Field 'id' must be letters, digits, '-', '_' or '.'.")
    year = mapping.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ConfigError(f"{where}: 字段 year 缺失或不是年份。Field 'year' must be an integer year.")
    issuer = _text(mapping, "issuer", "scheme", where)
    name = _text(mapping, "name", "scheme", where)
    document = mapping.get("document")
    if document is not None and not isinstance(document, str):
        raise ConfigError(f"{where}: 字段 document 必须是文字。Field 'document' must be a string.")
    raw_aspects = mapping.get("aspects")
    if not isinstance(raw_aspects, list) or not raw_aspects:
        raise ConfigError(f"{where}: 字段 aspects 缺失或为空。Field 'aspects' must be a non-empty list.")

    seen: set[str] = set()
    aspects = []
    for a_index, raw_aspect in enumerate(raw_aspects):
        label = f"aspects[{a_index}]"
        aspect_map = _mapping(raw_aspect, label, where)
        aspect_id = _item_id(aspect_map, label, where, seen)
        raw_points = aspect_map.get("points")
        if not isinstance(raw_points, list) or not raw_points:
            raise ConfigError(f"{where}: {label}（{aspect_id}）的字段 points 缺失或为空。Field '{label}.points' must be a non-empty list.")
        points = []
        for p_index, raw_point in enumerate(raw_points):
            p_label = f"{label}.points[{p_index}]"
            point_map = _mapping(raw_point, p_label, where)
            point_id = _item_id(point_map, p_label, where, seen)
            if not point_id.startswith(aspect_id + ".") or len(point_id) == len(aspect_id) + 1:
                raise ConfigError(
                    f"{where}: 要点 {point_id} 不属于所在方面 {aspect_id}（应为 {aspect_id}.<序号>）。"
                    f"Field '{p_label}.id' must start with '{aspect_id}.'."
                )
            keywords = point_map.get("keywords", [])
            if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
                raise ConfigError(f"{where}: {p_label}.keywords 必须是文字列表。Field '{p_label}.keywords' must be a list of strings.")
            checkable = point_map.get("checkable_figure")
            if not isinstance(checkable, bool):
                raise ConfigError(
                    f"{where}: {p_label}.checkable_figure 缺失或不是 true/false。Field '{p_label}.checkable_figure' must be a boolean."
                )
            points.append(
                Point(
                    id=point_id,
                    aspect=aspect_id,
                    name=_text(point_map, "name", p_label, where),
                    description=_text(point_map, "description", p_label, where),
                    keywords=tuple(k.strip() for k in keywords),
                    checkable_figure=checkable,
                )
            )
        aspects.append(
            Aspect(
                id=aspect_id,
                name=_text(aspect_map, "name", label, where),
                description=_text(aspect_map, "description", label, where),
                points=tuple(points),
            )
        )
    return Scheme(
        id=scheme_id, name=name, year=year, issuer=issuer, aspects=tuple(aspects), document=document, source=source
    )


def _mapping(value: object, label: str, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {label} 必须是键值表。'{label}' must be a mapping.")
    return value


def _text(mapping: dict, key: str, label: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {label} 缺少字段 {key}（或为空）。Field '{label}.{key}' is missing or empty.")
    return value.strip()


def _item_id(mapping: dict, label: str, where: str, seen: set[str]) -> str:
    value = mapping.get("id")
    if not isinstance(value, str) or not ITEM_ID_PATTERN.match(value):
        raise ConfigError(f"{where}: {label} 缺少字段 id 或格式不合法：{value!r}。Field '{label}.id' is missing or invalid.")
    if value in seen:
        raise ConfigError(f"{where}: 编号 {value} 重复（{label}）。Duplicate id '{value}' at '{label}.id'.")
    seen.add(value)
    return value
