"""Thai text toolkit: word segmentation, word-level diffs, line breaks, clause splits.

Pure functions with no Django imports, so they are tested without a database. Thai is
written without spaces between words, so every operation that needs words (a diff a
delegate can read, a line break that does not cut a word, a PDF paragraph) goes
through :func:`words`, which wraps PyThaiNLP's ``newmm`` segmenter.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pythainlp.tokenize import word_tokenize

__all__ = [
    "DiffOp",
    "breakable",
    "diff_html",
    "diff_segments",
    "is_thai",
    "line_chunks",
    "split_numbered",
    "word_diff",
    "words",
]

DiffKind = Literal["equal", "insert", "delete"]

_THAI_FIRST, _THAI_LAST = "\u0e00", "\u0e7f"
# Vowel and tone marks that sit on a base consonant: a break before one would split a
# character cluster.
_THAI_COMBINING = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a") | {
    chr(c) for c in range(0x0E47, 0x0E4F)
}
# A line must not start with a repetition mark, an abbreviation mark or closing
# punctuation, nor end with opening punctuation.
_NO_BREAK_BEFORE = frozenset("ๆฯ)]}”’».,;:!?%")
_NO_BREAK_AFTER = frozenset("([{“‘«")
# Characters that already are a break opportunity (besides str.isspace()).
_ZERO_WIDTH_BREAKS = frozenset("\u200b")


def is_thai(char: str) -> bool:
    """Whether ``char`` (a single character) is in the Thai Unicode block."""
    return _THAI_FIRST <= char <= _THAI_LAST


def _is_space(char: str) -> bool:
    return char.isspace() or char in _ZERO_WIDTH_BREAKS


# ---------------------------------------------------------------------------
# Segmentation


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    tokens = tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))
    if "".join(tokens) != text:  # never seen; keep the promise of words() regardless
        tokens = tuple(re.findall(r"\s+|[\u0e00-\u0e7f]+|[^\s\u0e00-\u0e7f]+", text))
    return tokens


def words(text: str) -> list[str]:
    """Split ``text`` into words, keeping whitespace as tokens of its own.

    Thai is segmented by dictionary (PyThaiNLP ``newmm``); Latin words, numbers and
    punctuation come out as they are. Promises ``"".join(words(text)) == text``.
    Results are cached per string; the returned list is a fresh copy.
    """
    if not text:
        return []
    return list(_tokens(text))


# ---------------------------------------------------------------------------
# Word-level diff


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


# ---------------------------------------------------------------------------
# Line breaking


def _may_break(left: str, right: str) -> bool:
    """Whether a line may break between the tokens ``left`` and ``right``."""
    before, after = left[-1], right[0]
    if _is_space(before) or _is_space(after):
        return False  # the whitespace already is a break opportunity
    if not (is_thai(before) or is_thai(after)):
        return False  # Latin words, numbers, URLs: leave to the renderer
    if after in _THAI_COMBINING or after in _NO_BREAK_BEFORE:
        return False
    return before not in _NO_BREAK_AFTER


def line_chunks(text: str) -> list[str]:
    """Split ``text`` into the pieces between which a line may break.

    A break is allowed between two words where at least one side is Thai, never next
    to existing whitespace, never inside a Latin word or a number, never before
    ``ๆ``, ``ฯ`` or closing punctuation, never after opening punctuation.
    Promises ``"".join(line_chunks(text)) == text``.
    """
    chunks: list[str] = []
    for token in words(text):
        if chunks and _may_break(chunks[-1], token):
            chunks.append(token)
        elif chunks:
            chunks[-1] += token
        else:
            chunks.append(token)
    return chunks


def breakable(text: str, sep: str) -> str:
    """``text`` with ``sep`` inserted at each line-break opportunity between words.

    Use ``sep="\\u200b"`` (zero-width space) on screen; the PDF code passes its own.
    Promises that removing the inserted separators gives ``text`` back; nothing else
    changes. See :func:`line_chunks` for where separators go.
    """
    return sep.join(line_chunks(text))


# ---------------------------------------------------------------------------
# Numbered drafts

_DIGITS = "0-9๐-๙"
# Marker styles, tried in this order. The number must end the marker: "1.5 ล้าน" and
# "1.1" (a sub-item) are not clause starts.
_NUMBER = rf"([{_DIGITS}]+)(?![{_DIGITS}]|\.[{_DIGITS}])"
_MARKERS: dict[str, re.Pattern[str]] = {
    "kho": re.compile(rf"^ข้อ\s*{_NUMBER}[.):]?\s*"),
    "parenthesised": re.compile(rf"^\({_NUMBER}\)\s*"),
    "dot": re.compile(rf"^{_NUMBER}\.\s*"),
    "paren": re.compile(rf"^{_NUMBER}\)\s*"),
}


def _marker(line: str) -> tuple[str, str] | None:
    """(style, rest of line) if ``line`` starts with a clause number, else None."""
    for style, pattern in _MARKERS.items():
        match = pattern.match(line)
        if match:
            return style, line[match.end() :]
    return None


def _join(lines: list[str]) -> str:
    return "\n".join(stripped for line in lines if (stripped := line.strip()))


def split_numbered(text: str) -> tuple[str, list[str]]:
    """Split a pasted draft resolution into ``(preamble, clauses)``.

    A clause starts at a line (leading whitespace ignored) that begins with
    ``ข้อ 1``, ``1.``, ``1)`` or ``(1)``, in Arabic or Thai digits (``ข้อ ๑``, ``๑.``).
    The first marker found fixes the style: later lines in another style, such as
    ``(1)`` sub-items under ``ข้อ 1``, continue the current clause. The marker is
    removed; each line is stripped, blank lines are dropped, and a clause's lines are
    joined with ``"\\n"``. Lines before the first marker form the preamble. Clauses
    left empty are dropped.

    Text with no marker at all gives ``("", paragraphs)``: each block of lines
    separated by a blank line becomes one clause, so an unnumbered draft can still be
    pasted paragraph by paragraph.
    """
    lines = [line.strip() for line in text.splitlines()]
    style: str | None = None
    preamble: list[str] = []
    clauses: list[list[str]] = []
    for line in lines:
        found = _marker(line)
        if found and (style is None or found[0] == style):
            style = found[0]
            clauses.append([found[1].strip()])
        elif clauses:
            clauses[-1].append(line)
        else:
            preamble.append(line)
    if style is None:
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return "", [p for p in (_join(p.splitlines()) for p in paragraphs) if p]
    bodies = [_join(clause) for clause in clauses]
    return _join(preamble), [body for body in bodies if body]
