"""Thai word segmentation: PyThaiNLP's ``newmm`` with a dictionary that also knows
the assembly's own words.

Thai is written without spaces between words, so every operation that needs words
(a line break that does not cut a word, a diff a delegate can read, a PDF line)
goes through :func:`words`. One segmenter serves the process: its dictionary is
PyThaiNLP's plus the current :class:`~thai.vocabulary.Vocabulary`, which
:func:`set_vocabulary` replaces (cheaply: PyThaiNLP's trie is built once per process
and the vocabulary's words sit in a small one beside it; results are cached per text
until the vocabulary changes).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from pythainlp.corpus.common import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from thai.chars import THAI_FIRST, THAI_LAST, has_thai
from thai.vocabulary import (
    GENERIC,
    Vocabulary,
    anchors_pattern,
    name_parts,
    vocabulary_of,
)

__all__ = [
    "generation",
    "inside_own_words",
    "is_name",
    "set_vocabulary",
    "vocabulary",
    "warm_up",
    "words",
]

# Own words shorter than this are not looked for inside other text: a two-letter
# given name would be found inside unrelated words.
OWN_WORD_LENGTH = 3

_FALLBACK = re.compile(r"\s+|[\u0e00-\u0e7f]+|[^\s\u0e00-\u0e7f]+")


class _Dictionary:
    """PyThaiNLP's dictionary with the vocabulary's words on top.

    newmm asks a dictionary only for ``prefixes(text, start)``. The large trie is
    built once per process and never changed; the vocabulary's small one is built
    anew each time, so a new vocabulary never edits a trie another thread reads.
    """

    __slots__ = ("base", "extra")

    def __init__(self, base: Trie, extra: Trie) -> None:
        self.base, self.extra = base, extra

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = self.base.prefixes(text, start)
        for word in self.extra.prefixes(text, start):
            if word not in found:
                found.append(word)
        return found

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class _State:
    """One immutable snapshot of the segmenter: replaced whole, never edited."""

    base_words: frozenset[str]
    base: Trie
    dictionary: _Dictionary
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # phrase -> parts
    first: dict[str, tuple[str, ...]] = field(default_factory=dict)  # token -> names
    names: frozenset[str] = frozenset()
    own: Trie = field(default_factory=lambda: Trie([]))  # the vocabulary's words
    generation: int = 0


_lock = threading.Lock()
_state: _State | None = None


def _current() -> _State:
    """The process's segmenter, built on first use (PyThaiNLP's dictionary: ~1 s;
    ``warm_up`` builds it ahead)."""
    global _state
    if _state is None:
        with _lock:
            if _state is None:
                words = frozenset(thai_words())
                base = Trie(words)
                empty = _State(words, base, _Dictionary(base, Trie([])))
                _state = _build(empty, vocabulary_of())  # the agenda's terms, always
    return _state


def warm_up() -> None:
    """Build the dictionary now (in a server's start-up thread), not on the first
    page a delegate opens."""
    _current()


def _newmm(text: str, dictionary: _Dictionary) -> list[str]:
    tokens = word_tokenize(
        text, engine="newmm", custom_dict=dictionary, keep_whitespace=True  # type: ignore[arg-type]
    )
    if "".join(tokens) != text:  # never seen; keep the promise of words() regardless
        tokens = _FALLBACK.findall(text)
    return tokens


def _split_phrases(tokens: list[str], state: _State) -> list[str]:
    if not state.parts:
        return tokens
    out: list[str] = []
    for token in tokens:
        out.extend(state.parts.get(token, (token,)))
    return out


def _join_names(text: str, tokens: list[str], state: _State) -> list[str]:
    """Merge the tokens of each known name in ``text`` into one token."""
    out: list[str] = []
    i = pos = 0
    while i < len(tokens):
        token = tokens[i]
        for name in state.first.get(token, ()):
            if not text.startswith(name, pos):
                continue
            j, end = i, pos
            while j < len(tokens) and end < pos + len(name):
                end += len(tokens[j])
                j += 1
            if end == pos + len(name):  # the name ends where a token ends
                out.append(name)
                i, pos = j, end
                break
        else:
            out.append(token)
            i += 1
            pos += len(token)
    return out


@lru_cache(maxsize=16384)
def _segment(text: str, generation: int) -> tuple[str, ...]:
    state = _current()
    tokens = _split_phrases(_newmm(text, state.dictionary), state)
    if state.first:
        tokens = _join_names(text, tokens, state)
    return tuple(tokens)


def words(text: str) -> list[str]:
    """Split ``text`` into words, keeping whitespace as tokens of its own.

    Thai is segmented by dictionary (PyThaiNLP ``newmm`` plus the vocabulary); a
    known name ("นางกฤษณา เสมหิรัญ") comes out as one token, spaces included; a long
    organisation name as its parts. Latin words, numbers and punctuation come out
    as they are. Promises ``"".join(words(text)) == text``. Results are cached per
    string; the returned list is a fresh copy.
    """
    if not text:
        return []
    return list(_segment(text, _current().generation))


@lru_cache(maxsize=16384)
def _inside_own_words(text: str, generation: int) -> frozenset[int]:
    own = _current().own
    inside: set[int] = set()
    for start, char in enumerate(text):
        if THAI_FIRST <= char <= THAI_LAST:
            for word in own.prefixes(text, start):
                inside.update(range(start + 1, start + len(word)))
    return frozenset(inside)


def inside_own_words(text: str) -> frozenset[int]:
    """The offsets of ``text`` that fall inside one of the assembly's own words
    (the agenda's terms, places, people's given and family names, the parts of
    organisation names), wherever it occurs.

    Where the dictionary allows the same letters to be split two ways
    ("เป็น|ฐานข้อมูล", "เป็นฐาน|ข้อมูล"; "หน่วย|งานหลัก", "หน่วยงาน|หลัก"), ``words``
    takes one; a line must not break inside either reading's own word, so
    ``thai.breaks`` keeps these offsets unbroken.
    """
    if not has_thai(text):
        return frozenset()
    return _inside_own_words(text, _current().generation)


def generation() -> int:
    """A number that changes whenever the vocabulary does (for callers' caches)."""
    return _current().generation


def is_name(token: str) -> bool:
    """Whether ``token`` (from :func:`words`) is a name that never breaks."""
    return token in _current().names


def vocabulary() -> Vocabulary:
    """The vocabulary the segmenter uses now."""
    return _current().vocabulary


def set_vocabulary(new: Vocabulary) -> None:
    """Make the segmenter know ``new`` (and forget the previous vocabulary).

    Builds a new snapshot beside the current one and swaps it in: the cost grows
    with the vocabulary (hundreds of names: a fraction of a second), not with
    PyThaiNLP's dictionary, and readers are never disturbed.
    """
    global _state
    current = _current()
    if new == current.vocabulary:
        return
    with _lock:
        _state = _build(_current(), new)


def _build(previous: _State, new: Vocabulary) -> _State:
    """A snapshot knowing ``new``, on ``previous``'s dictionary."""
    base_words, base = previous.base_words, previous.base
    # Names: each space-separated piece is a word; the whole is one token.
    vocab_words = set(new.words)
    for name in new.names:
        vocab_words.update(name.split())
    extra = {w for w in vocab_words if w not in base_words}
    parts: dict[str, tuple[str, ...]] = {}
    anchors = anchors_pattern(GENERIC | vocab_words)
    for phrase in new.phrases:
        for segment in phrase.split():
            if has_thai(segment) and segment not in base_words:
                parts[segment] = tuple(name_parts(segment, anchors))
    for segment, pieces in parts.items():
        extra.add(segment)
        extra.update(p for p in pieces if p not in base_words)
    own = {w for w in vocab_words if has_thai(w) and len(w) >= OWN_WORD_LENGTH}
    for pieces in parts.values():
        own.update(p for p in pieces if has_thai(p) and len(p) >= OWN_WORD_LENGTH)
    dictionary = _Dictionary(base, Trie(extra))
    partial = _State(base_words, base, dictionary, parts=parts)
    first: dict[str, list[str]] = {}
    for name in new.names:
        tokens = _split_phrases(_newmm(name, dictionary), partial)
        if len(tokens) > 1:
            first.setdefault(tokens[0], []).append(name)
    return _State(
        base_words,
        base,
        dictionary,
        vocabulary=new,
        parts=parts,
        first={t: tuple(sorted(n, key=len, reverse=True)) for t, n in first.items()},
        names=new.names,
        own=Trie(own),
        generation=previous.generation + 1,
    )
