"""Thai word segmentation: PyThaiNLP's ``newmm`` with a dictionary that also knows
the assembly's own words.

Thai is written without spaces between words, so every operation that needs words
(a line break that does not cut a word, a diff a delegate can read, a PDF line)
goes through :func:`words`. One segmenter serves the process: its dictionary is
PyThaiNLP's plus the current :class:`~thai.vocabulary.Vocabulary`, which
:func:`set_vocabulary` replaces (cheaply: the dictionary is updated in place, and
results are cached per text until the vocabulary changes).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from pythainlp.corpus.common import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie

from thai.chars import has_thai
from thai.vocabulary import (
    GENERIC,
    Vocabulary,
    anchors_pattern,
    name_parts,
    vocabulary_of,
)

__all__ = ["generation", "is_name", "set_vocabulary", "vocabulary", "words"]

_FALLBACK = re.compile(r"\s+|[\u0e00-\u0e7f]+|[^\s\u0e00-\u0e7f]+")


@dataclass
class _State:
    """The segmenter's dictionary and what the vocabulary adds to it."""

    trie: Trie
    base: frozenset[str]
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    added: set[str] = field(default_factory=set)  # in the trie, not in ``base``
    words: frozenset[str] = frozenset()  # the vocabulary's words, name parts included
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # phrase -> parts
    first: dict[str, tuple[str, ...]] = field(default_factory=dict)  # token -> names
    names: frozenset[str] = frozenset()
    generation: int = 0


_lock = threading.Lock()
_state: _State | None = None


def _current() -> _State:
    """The process's segmenter, built on first use (PyThaiNLP's dictionary: ~1 s)."""
    global _state
    if _state is None:
        with _lock:
            if _state is None:
                base = frozenset(thai_words())
                _state = _State(trie=Trie(base), base=base)
                _apply(_state, vocabulary_of())  # the agenda's terms, always
    return _state


def _newmm(text: str, trie: Trie) -> list[str]:
    tokens = word_tokenize(text, engine="newmm", custom_dict=trie, keep_whitespace=True)
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
    tokens = _split_phrases(_newmm(text, state.trie), state)
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

    Updates the dictionary in place: the cost grows with the vocabulary (a few
    hundred words: milliseconds), not with PyThaiNLP's dictionary.
    """
    state = _current()
    with _lock:
        _apply(state, new)


def _apply(state: _State, new: Vocabulary) -> None:
    """Make ``state`` know ``new``; the caller holds ``_lock``."""
    if new == state.vocabulary:
        return
    trie = state.trie
    for word in state.added:
        trie.remove(word)
    state.added = set()

    def add(word: str) -> None:
        if word not in state.base and word not in state.added:
            trie.add(word)
            state.added.add(word)

    # Names: each space-separated piece is a word, the whole a single token.
    vocab_words = set(new.words)
    for name in new.names:
        vocab_words.update(name.split())
    for word in vocab_words:
        add(word)
    parts: dict[str, tuple[str, ...]] = {}
    anchors = anchors_pattern(GENERIC | vocab_words)
    for phrase in new.phrases:
        for segment in phrase.split():
            if not has_thai(segment) or segment in state.base:
                continue
            pieces = name_parts(segment, anchors)
            parts[segment] = tuple(pieces)
            for piece in pieces:
                add(piece)
    for segment in parts:
        add(segment)
    state.parts = parts
    state.words = frozenset(vocab_words)
    state.names = new.names
    first: dict[str, list[str]] = {}
    for name in new.names:
        tokens = _split_phrases(_newmm(name, trie), state)
        if len(tokens) > 1:
            first.setdefault(tokens[0], []).append(name)
    state.first = {
        token: tuple(sorted(names, key=len, reverse=True))
        for token, names in first.items()
    }
    state.vocabulary = new
    state.generation += 1
