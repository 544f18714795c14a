"""Resumable batches: what ``quality score -o OUT --resume`` keeps beside OUT, and reads back.

A resumable run keeps two hidden files beside its output ``NAME`` (hidden, like the lock and
the partial file, so that a folder being scored never reads them as input):

- ``.NAME.resume.json``, the state: what the rows are made from (every input file's path,
  size and SHA-256, in the order read; the options that change the rows; the package version
  and the model's SHA-256), the output format and its columns. Written before any row.
- ``.NAME.resume.jsonl``, the rows written so far, one JSON line each (the JSONL output's
  lines), whatever the output format: a line is appended whole or not at all, so a run killed
  at any moment leaves a file of whole rows and at most one torn last line.

A run that is resumed checks the state against its own (any difference is refused, naming it),
discards a torn last line, and goes on after the rows already written; when the batch ends, the
rows become ``NAME`` in its format (the file is renamed for plain JSONL) and both files go.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quality._files import file_sha256

__all__ = ["Recovered", "differences", "fingerprint", "read_state", "recover", "state_paths", "write_state"]

#: The version of the state file's layout; a state of another version is refused.
SCHEMA = 1


def state_paths(final: Path) -> tuple[Path, Path]:
    """The state file and the rows file of the output ``final``.

    Examples
    --------
    >>> [p.name for p in state_paths(Path("out/scores.csv"))]
    ['.scores.csv.resume.json', '.scores.csv.resume.jsonl']
    """
    stem = f".{final.name[:100]}.resume"
    return final.parent / f"{stem}.json", final.parent / f"{stem}.jsonl"


def fingerprint(files: Iterable[Path], options: Mapping[str, Any]) -> dict[str, Any]:
    """What a batch's rows are made from: each input file (its absolute path, size and
    SHA-256, in the order read; None for a file that cannot be read, which is an error row) and
    ``options`` (JSON values)."""
    inputs = []
    size: int | None
    digest: str | None
    for p in files:
        try:
            size, digest = os.stat(p).st_size, file_sha256(Path(p))
        except OSError:
            size = digest = None
        inputs.append({"path": os.path.abspath(p), "bytes": size, "sha256": digest})
    return {"inputs": inputs, "options": dict(options)}


def write_state(path: Path, state: Mapping[str, Any]) -> None:
    """Write the state file whole (a temporary file renamed over it), with its `SCHEMA`."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    text = json.dumps({"schema": SCHEMA, **state}, indent=1, ensure_ascii=False)
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, path)


def read_state(path: Path) -> dict[str, Any]:
    """The state in the file (without its schema); `ValueError` when it is not a state this
    version wrote."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"quality: cannot read the resume state {str(path)!r}: {exc}") from None
    if not isinstance(state, dict) or state.get("schema") != SCHEMA:
        raise ValueError(
            f"quality: the resume state {str(path)!r} is not one this version writes "
            f"(schema {state.get('schema') if isinstance(state, dict) else None!r}, expected {SCHEMA}); "
            "run without --resume to start over"
        )
    return {k: v for k, v in state.items() if k != "schema"}


def differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What changed between the state of the run that stopped (``old``) and this one's, in
    words; empty when they are the same.

    Examples
    --------
    >>> a = {"inputs": [{"path": "/d/a.jsonl", "bytes": 10, "sha256": "1"}], "options": {"explain": False}}
    >>> b = {"inputs": [{"path": "/d/a.jsonl", "bytes": 12, "sha256": "2"}], "options": {"explain": True}}
    >>> differences(a, b)
    ["input '/d/a.jsonl' changed (10 bytes, now 12)", 'explain was False, now True']
    """
    said: list[str] = []
    before = {i["path"]: i for i in old.get("inputs", [])}
    now = {i["path"]: i for i in new.get("inputs", [])}
    for path, item in now.items():
        if path not in before:
            said.append(f"input {path!r} is new")
        elif item != before[path]:
            was = before[path]
            size = (
                f"{was['bytes']} bytes, now {item['bytes']}" if was["bytes"] != item["bytes"] else "same size"
            )
            said.append(f"input {path!r} changed ({size})")
    said += [f"input {path!r} is gone" for path in before if path not in now]
    if not said and list(before) != list(now):
        said.append("the inputs are read in another order")
    for name in sorted(set(old.get("options", {})) | set(new.get("options", {}))):
        was, is_ = old.get("options", {}).get(name), new.get("options", {}).get(name)
        if was != is_:
            said.append(f"{name} was {was!r}, now {is_!r}")
    for name in sorted((set(old) | set(new)) - {"inputs", "options"}):
        if old.get(name) != new.get(name):
            said.append(f"{name} was {old.get(name)!r}, now {new.get(name)!r}")
    return said


@dataclass(frozen=True, slots=True)
class Recovered:
    """The rows a stopped run left: their ids in order (as written, renamed repeats included),
    how many are error rows, the labels of the others, and the bytes of a torn last line that
    were discarded."""

    ids: list[str] = field(default_factory=list)
    errors: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    discarded: int = 0


def recover(path: Path) -> Recovered:
    """Read the rows file of a stopped run and cut it after its last whole row: a last line
    without its line break was being written when the run was killed, and goes (it is
    written again). A whole line that is not a row means the file was changed by hand:
    `ValueError`."""
    ids: list[str] = []
    errors = 0
    labels: Counter[str] = Counter()
    end = 0
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.endswith(b"\n"):
                break
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise ValueError(
                    f"quality: cannot resume from {str(path)!r}: line {number} is not a row of "
                    "quality score; run without --resume to start over"
                )
            ids.append(row["id"])
            if row.get("error") is not None:
                errors += 1
            else:
                labels[str(row.get("label"))] += 1
            end += len(line)
        size = fh.seek(0, os.SEEK_END)
    if size != end:
        os.truncate(path, end)
    return Recovered(ids, errors, labels, size - end)
