"""Optional dependencies: imported when a feature needs them, with a one-line way out if absent.

``pip install quality`` installs what scoring text, JSONL and CSV needs. Reading HTML
(``html``), Parquet (``parquet``), the batch report's plots (``report``) and Dask (``dask``)
are extras; `require` imports one and, when it is missing, raises `MissingExtra` saying which
extra installs it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingExtra", "require"]


class MissingExtra(ImportError):
    """A feature needs an optional dependency that is not installed; the message names the extra."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise `MissingExtra`: ``quality: PURPOSE needs the 'EXTRA' extra: ...``.

    Examples
    --------
    >>> require("json", "none", "reading JSON").__name__
    'json'
    >>> require("no_such_module_here", "html", "reading .html")
    Traceback (most recent call last):
    ...
    quality._extras.MissingExtra: quality: reading .html needs the 'html' extra: pip install "quality[html]"
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # not installed, or installed without what it needs itself
        raise MissingExtra(
            f'quality: {purpose} needs the {extra!r} extra: pip install "quality[{extra}]"'
        ) from exc
