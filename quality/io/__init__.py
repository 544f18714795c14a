"""Reading articles in and writing reports out.

The names load on first use (PEP 562), so that importing one submodule (the CLI reads the
size limits from ``quality.io._stream``) does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quality.io.readers import RawRecord, iter_records, raw_records, read
    from quality.io.writers import open_writer

_LAZY = {
    "RawRecord": "quality.io.readers",
    "iter_records": "quality.io.readers",
    "raw_records": "quality.io.readers",
    "read": "quality.io.readers",
    "open_writer": "quality.io.writers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        from quality import _submodule

        value = _submodule(__name__, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = ["RawRecord", "iter_records", "open_writer", "raw_records", "read"]
