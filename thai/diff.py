"""Word-level diffs of two texts: what an amendment changes, shown word by word.

A change is always made of whole words (``thai.segment``), never part of a Thai word.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass
from typing import Literal

from thai.segment import words

__all__ = ["DiffOp", "diff_html", "diff_segments", "word_diff"]

DiffKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of a diff: text kept (``equal``), added (``insert``) or removed."""

    kind: DiffKind
    text: str


def _raw_ops(old: list[str], new: list[str]) -> list[DiffOp]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp("equal", "".join(old[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            ops.append(DiffOp("delete", "".join(old[i1:i2])))
        if tag in ("replace", "insert"):
            ops.append(DiffOp("insert", "".join(new[j1:j2])))
    return ops


def _absorb_lone_spaces(ops: list[DiffOp]) -> list[DiffOp]:
    """Fold whitespace-only equal runs sandwiched between changes into the change.

    Without this, replacing "a b" by "c d" reads as four changes split by a kept
    space; with it, as one deletion and one insertion.
    """
    out: list[DiffOp] = []
    for index, op in enumerate(ops):
        inside = 0 < index < len(ops) - 1
        if op.kind == "equal" and inside and (not op.text.strip()):
            out.extend((DiffOp("delete", op.text), DiffOp("insert", op.text)))
        else:
            out.append(op)
    return out


def _merge(ops: list[DiffOp]) -> list[DiffOp]:
    """Merge each block of changes into one delete then one insert; merge equals."""
    merged: list[DiffOp] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            merged.append(DiffOp("delete", "".join(deleted)))
        if inserted:
            merged.append(DiffOp("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op in ops:
        if not op.text:
            continue
        if op.kind == "delete":
            deleted.append(op.text)
        elif op.kind == "insert":
            inserted.append(op.text)
        else:
            flush()
            if merged and merged[-1].kind == "equal":
                merged[-1] = DiffOp("equal", merged[-1].text + op.text)
            else:
                merged.append(op)
    flush()
    return merged


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Diff two texts word by word.

    Promises: joining the ``equal`` and ``delete`` texts in order gives ``old``;
    joining the ``equal`` and ``insert`` texts gives ``new``; a change is always made
    of whole words (never part of a Thai word); no two neighbouring ops have the same
    kind, and where a run was replaced its ``delete`` comes before its ``insert``.
    """
    return _merge(_absorb_lone_spaces(_raw_ops(words(old), words(new))))


def diff_html(old: str, new: str) -> str:
    """The diff as HTML: changed runs in ``<del>`` / ``<ins>``, all text escaped.

    Every piece of text is passed through :func:`html.escape`, so the result may be
    marked safe whatever ``old`` and ``new`` contain.
    """
    pieces: list[str] = []
    for op in word_diff(old, new):
        text = html.escape(op.text)
        if op.kind == "delete":
            pieces.append(f"<del>{text}</del>")
        elif op.kind == "insert":
            pieces.append(f"<ins>{text}</ins>")
        else:
            pieces.append(text)
    return "".join(pieces)


def diff_segments(old: str, new: str) -> list[list[str]]:
    """The diff as JSON-serialisable ``[[kind, text], ...]`` (for pushes and PDFs)."""
    return [[op.kind, op.text] for op in word_diff(old, new)]
