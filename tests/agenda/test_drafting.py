"""Pure clause arithmetic: applying amendments and keeping keys (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agenda.drafting import apply_change, changed_keys, keep_keys, normalise

DRAFT = [(1, "ข้อหนึ่ง"), (2, "ข้อสอง"), (3, "ข้อสาม")]


def test_replace_keeps_key_and_place():
    assert apply_change(DRAFT, kind="replace", target_key=2, text="ใหม่", new_key=9) == [
        (1, "ข้อหนึ่ง"), (2, "ใหม่"), (3, "ข้อสาม")]


def test_insert_after_and_at_start():
    assert [k for k, _ in apply_change(DRAFT, kind="insert", target_key=3, text="x",
                                       new_key=9)] == [1, 2, 3, 9]
    assert [k for k, _ in apply_change(DRAFT, kind="insert", target_key=None,
                                       text="x", new_key=9)] == [9, 1, 2, 3]


def test_delete_and_unknown_target():
    assert apply_change(DRAFT, kind="delete", target_key=1, text="", new_key=9) == DRAFT[1:]
    with pytest.raises(KeyError):
        apply_change(DRAFT, kind="delete", target_key=7, text="", new_key=9)


def test_normalise_ignores_spacing():
    assert normalise("  ให้ภาคี\n เครือข่าย\t ") == "ให้ภาคี เครือข่าย"


def test_keep_keys_follows_moved_and_edited_clauses():
    result = keep_keys(DRAFT, ["ข้อสาม", "ข้อหนึ่ง", "ข้อสองแก้ไข"], next_key=4)
    assert dict((t, k) for k, t in result)["ข้อสาม"] == 3
    assert [k for k, _ in keep_keys(DRAFT, ["ข้อหนึ่ง", "แทรก", "ข้อสอง", "ข้อสาม"],
                                    next_key=4)] == [1, 4, 2, 3]
    assert [k for k, _ in keep_keys(DRAFT, ["ข้อหนึ่ง", "ข้อสองแก้", "ข้อสาม"],
                                    next_key=4)] == [1, 2, 3]


def test_changed_keys():
    after = [(1, "ข้อหนึ่ง  "), (3, "ข้อสามแก้"), (4, "ใหม่")]
    assert changed_keys(DRAFT, after) == {2, 3}


@given(st.lists(st.sampled_from(["ก", "ข", "ค", "ง", "จ"]), max_size=8),
       st.lists(st.sampled_from(["ก", "ข", "ค", "ง", "ฉ"]), max_size=8))
def test_keep_keys_gives_unique_keys_in_order(old_texts, new_texts):
    old = [(i + 1, t) for i, t in enumerate(old_texts)]
    result = keep_keys(old, new_texts, next_key=len(old) + 1)
    keys = [k for k, _ in result]
    assert [t for _, t in result] == new_texts
    assert len(set(keys)) == len(keys)


@given(st.permutations(["ก", "ข", "ค", "ง", "จ"]), st.integers(0, 4))
def test_keep_keys_keeps_the_key_of_every_unchanged_clause(order, dropped):
    old = [(i + 1, t) for i, t in enumerate(["ก", "ข", "ค", "ง", "จ"])]
    texts = [t for t in order if t != order[dropped]] + ["ใหม่"]
    result = keep_keys(old, texts, next_key=6)
    assert all(key == dict((t, k) for k, t in old)[text]
               for key, text in result if text != "ใหม่")
    # the new text is a fresh clause, or the dropped one edited in place
    dropped_key = "กขคงจ".index(order[dropped]) + 1
    assert dict((t, k) for k, t in result)["ใหม่"] in (6, dropped_key)
