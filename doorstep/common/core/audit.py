"""The audit chain's hashing: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64


def entry_digest(*, previous: str, sequence: int, content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous}|{sequence}|{canonical}".encode()).hexdigest()
