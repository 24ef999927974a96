"""The assembly's own words, from the data, for the Thai segmenter (``thai.segment``).

Organisation names and short names, people's names (delegates and accounts),
venues and provinces are handed to the pure package as a ``Vocabulary``, so that
"เสมหิรัญ" and "มูลนิธิบ้านบอยส์ทาวน์" are never broken inside, and a person's full
name never at all.

Kept current cheaply: a save or delete of an organisation, delegate, assembly or
account name marks the vocabulary stale here and, on commit, changes a version in
the shared cache so that other processes notice too. :func:`ensure_current` (called
by every request and every push) rebuilds only when stale, and asks the cache at
most every ``REFRESH_SECONDS``; a rebuild is a few queries, and the segmenter's
dictionary is updated in place only when the words really changed.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SynchronousOnlyOperation
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save

from assembly.models import Assembly, Delegate, Organisation
from thai import segment
from thai.vocabulary import Vocabulary, vocabulary_of

log = logging.getLogger("samatcha")

CACHE_KEY = "thai:vocabulary"
REFRESH_SECONDS = 2.0
# The fields whose change changes the vocabulary, per model.
WATCHED = {
    Organisation: {"name_th", "short_name"},
    Delegate: {"name_th"},
    Assembly: {"venue_th", "province_th"},
}
USER_FIELDS = {"first_name", "last_name"}

_lock = threading.Lock()
_state = {"stale": True, "version": None, "checked": 0.0}


def vocabulary_from_data() -> Vocabulary:
    """The vocabulary of everything in the database now (a few queries)."""
    organisations, short_names = [], []
    for name, short in Organisation.objects.values_list("name_th", "short_name"):
        organisations.append(name)
        short_names.append(short)
    people = list(Delegate.objects.values_list("name_th", flat=True))
    people += [
        f"{first} {last}".strip()
        for first, last in get_user_model().objects.values_list("first_name", "last_name")
    ]
    places = [p for pair in Assembly.objects.values_list("venue_th", "province_th") for p in pair]
    return vocabulary_of(
        organisations=organisations,
        short_names=short_names,
        people=people,
        places=places,
    )


def ensure_current(*, clock=time.monotonic) -> None:
    """Make the segmenter know the data's words, if they may have changed.

    Cheap when nothing changed: no query, and a cache read at most every
    ``REFRESH_SECONDS``. A database that cannot be read keeps the words known.
    """
    now = clock()
    if not _state["stale"] and now - _state["checked"] < REFRESH_SECONDS:
        return
    with _lock:
        version = cache.get(CACHE_KEY)
        _state["checked"] = now
        if not _state["stale"] and version == _state["version"]:
            return
        try:
            segment.set_vocabulary(vocabulary_from_data())
        except (DatabaseError, SynchronousOnlyOperation):
            # Down, or asked from the event loop (a socket's snapshot): keep the
            # words known; the next request or push refreshes them.
            log.info("Thai vocabulary not refreshed now", exc_info=True)
            return
        _state.update(stale=False, version=version)


def warm_up_in_background(then: Callable[[], None] | None = None) -> None:
    """Build the segmenter's dictionary in a thread (at server start); then
    call ``then``, if given, in the same thread."""

    def warm_up() -> None:
        segment.warm_up()
        if then is not None:
            then()

    threading.Thread(target=warm_up, name="thai-warm-up", daemon=True).start()


def mark_stale() -> None:
    """Rebuild on this process's next :func:`ensure_current` (tests, after a rollback)."""
    _state["stale"] = True


def _publish() -> None:
    mark_stale()
    cache.set(CACHE_KEY, uuid.uuid4().hex, timeout=None)


def vocabulary_changed() -> None:
    """Call after writing names without ``save()`` (``bulk_create``, ``update``):
    every process learns the new words once the transaction commits."""
    transaction.on_commit(_publish)


def _changed(sender, instance, update_fields=None, **kwargs) -> None:
    watched = USER_FIELDS if sender is get_user_model() else WATCHED[sender]
    if update_fields is not None and not watched & set(update_fields):
        return  # a sign-in's last_login, a check-in: not a word
    vocabulary_changed()


def connect() -> None:
    """Listen to the saves that change the vocabulary (from ``AssemblyConfig.ready``)."""
    for model in [*WATCHED, get_user_model()]:
        uid = f"thai-words-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
