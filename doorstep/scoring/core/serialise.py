"""Models as bytes and back: one JSON document with LightGBM's own model text and the calibrator's numbers.

No pickle: a model file must be readable by a person, diffable between versions and safe to load
(reading it runs no code). The registry outside the core adds its versioning around these bytes
and puts the training window, features and metrics in `metadata`, which must be plain JSON.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, cast

import lightgbm as lgb

from doorstep.scoring.core.calibration import calibrator_from_dict
from doorstep.scoring.core.features import FeatureError
from doorstep.scoring.core.training import PropensityModel
from doorstep.scoring.core.uplift import UpliftMethod, UpliftModel

FORMAT = "doorstep-scoring-model"
VERSION = 1
_UPLIFT_ROLES = {
    "t_learner": {"control", "treated"},
    "x_learner": {"control", "treated", "effect_control", "effect_treated"},
}


def _dump(document: dict[str, Any]) -> bytes:
    # allow_nan=False: NaN and Infinity are not JSON, and another reader of the registry would choke on them.
    return json.dumps(document, ensure_ascii=False, allow_nan=False, sort_keys=True, indent=1).encode("utf-8")


def _load(data: bytes, *, kind: str) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeatureError(f"not a model file: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FeatureError("not a doorstep scoring model file")
    if document.get("version") != VERSION:
        raise FeatureError(f"model file version {document.get('version')} is not supported (expected {VERSION})")
    if document.get("kind") != kind:
        raise FeatureError(f"model file holds a {document.get('kind')} model, not a {kind} model")
    return document


def _booster(text: str, feature_names: tuple[str, ...]) -> lgb.Booster:
    booster = lgb.Booster(model_str=text)
    if tuple(booster.feature_name()) != feature_names:
        raise FeatureError("the booster's features differ from the file's feature list")
    return booster


def propensity_to_bytes(model: PropensityModel, *, metadata: Mapping[str, Any] | None = None) -> bytes:
    return _dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "kind": "propensity",
            "feature_names": list(model.feature_names),
            "booster": model.booster.model_to_string(),
            "calibrator": None if model.calibrator is None else model.calibrator.to_dict(),
            "metadata": dict(metadata or {}),
        }
    )


def propensity_from_bytes(data: bytes) -> tuple[PropensityModel, dict[str, Any]]:
    document = _load(data, kind="propensity")
    names = tuple(document["feature_names"])
    calibrator = None if document["calibrator"] is None else calibrator_from_dict(document["calibrator"])
    model = PropensityModel(booster=_booster(document["booster"], names), calibrator=calibrator, feature_names=names)
    return model, document["metadata"]


def uplift_to_bytes(model: UpliftModel, *, metadata: Mapping[str, Any] | None = None) -> bytes:
    return _dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "kind": "uplift",
            "method": model.method,
            "treated_share": model.treated_share,
            "feature_names": list(model.feature_names),
            "boosters": {role: booster.model_to_string() for role, booster in model.boosters.items()},
            "metadata": dict(metadata or {}),
        }
    )


def uplift_from_bytes(data: bytes) -> tuple[UpliftModel, dict[str, Any]]:
    document = _load(data, kind="uplift")
    method = document["method"]
    if method not in _UPLIFT_ROLES or set(document["boosters"]) != _UPLIFT_ROLES[method]:
        raise FeatureError(f"uplift model file has method {method!r} with boosters {sorted(document['boosters'])}")
    names = tuple(document["feature_names"])
    model = UpliftModel(
        method=cast(UpliftMethod, method),
        boosters={role: _booster(text, names) for role, text in document["boosters"].items()},
        treated_share=float(document["treated_share"]),
        feature_names=names,
    )
    return model, document["metadata"]


def as_json_data(value: Any) -> Any:
    """A report (nested frozen dataclasses and lists) as plain JSON data, for metadata and bench output."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: as_json_data(item) for key, item in dataclasses.asdict(value).items()}
    if isinstance(value, list | tuple):
        return [as_json_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): as_json_data(item) for key, item in value.items()}
    return value
