"""Pure clause arithmetic for drafts: applying amendments, keeping keys.

No Django imports. A draft's clauses are handled as a list of ``(key, text)``
pairs in order; a clause's number (ข้อ) is its index + 1.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

Clauses = list[tuple[int, str]]

__all__ = [
    "Clauses",
    "apply_change",
    "changed_keys",
    "keep_keys",
    "normalise",
]


def normalise(text: str) -> str:
    """``text`` with runs of whitespace made one space and the ends stripped: two
    texts that differ only in spacing are the same text."""
    return re.sub(r"\s+", " ", text).strip()


def apply_change(
    clauses: Sequence[tuple[int, str]],
    *,
    kind: str,
    target_key: int | None,
    text: str,
    new_key: int,
) -> Clauses:
    """The clauses after one amendment.

    ``kind`` "replace": the target's text becomes ``text`` (key kept); "delete":
    the target goes; "insert": a clause ``(new_key, text)`` after the target, or
    first when ``target_key`` is None. Raises ``KeyError`` when the target is not
    among the clauses.
    """
    result = list(clauses)
    keys = [key for key, _ in result]
    if kind == "insert" and target_key is None:
        return [(new_key, text), *result]
    if target_key not in keys:
        raise KeyError(target_key)
    index = keys.index(target_key)
    if kind == "replace":
        result[index] = (target_key, text)
    elif kind == "delete":
        del result[index]
    elif kind == "insert":
        result.insert(index + 1, (new_key, text))
    else:
        raise ValueError(f"unknown amendment kind {kind!r}")
    return result


def keep_keys(
    old: Sequence[tuple[int, str]], texts: Sequence[str], *, next_key: int
) -> Clauses:
    """Give the clause texts of a re-entered draft their keys.

    A clause whose text is unchanged keeps its key wherever it moved to. Where a run
    of old clauses was replaced by a run of new ones, they are paired in order (a
    clause edited in place keeps its key); extra new clauses get fresh keys from
    ``next_key`` up.
    """
    old_texts = [normalise(text) for _, text in old]
    new_texts = [normalise(text) for text in texts]
    keys: list[int | None] = [None] * len(texts)
    used: set[int] = set()

    def give(new_index: int, old_index: int) -> None:
        keys[new_index] = old[old_index][0]
        used.add(old[old_index][0])

    matcher = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
    opcodes = matcher.get_opcodes()
    for tag, i1, _, j1, j2 in opcodes:  # 1. clauses kept in place
        if tag == "equal":
            for offset in range(j2 - j1):
                give(j1 + offset, i1 + offset)
    for j, text in enumerate(new_texts):  # 2. clauses kept but moved
        if keys[j] is None:
            for i, old_text in enumerate(old_texts):
                if old_text == text and old[i][0] not in used:
                    give(j, i)
                    break
    for tag, i1, i2, j1, j2 in opcodes:  # 3. clauses edited in place
        if tag == "replace":
            free_old = [i for i in range(i1, i2) if old[i][0] not in used]
            free_new = [j for j in range(j1, j2) if keys[j] is None]
            for i, j in zip(free_old, free_new, strict=False):
                give(j, i)
    result: Clauses = []
    for key, text in zip(keys, texts, strict=True):
        if key is None:
            key, next_key = next_key, next_key + 1
        result.append((key, text))
    return result


def changed_keys(
    old: Sequence[tuple[int, str]], new: Sequence[tuple[int, str]]
) -> set[int]:
    """Keys of clauses whose text changed or that are gone (inserted ones are not:
    nothing could target them yet)."""
    after = dict(new)
    return {
        key
        for key, text in old
        if key not in after or normalise(after[key]) != normalise(text)
    }
