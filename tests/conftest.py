import pytest


@pytest.fixture
def world(db):
    """A small assembly: 6 partners in 2 breakout rooms, delegates checked in."""
    from tests import factories

    return factories.world()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Tests sign people in with passwords a lot; PBKDF2's deliberate slowness
    costs minutes and proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_thai_vocabulary():
    """Each test starts with the Thai segmenter knowing only the agenda's terms;
    a test's data (or a page it renders) teaches it the rest."""
    from thai import segment
    from thai.vocabulary import vocabulary_of

    segment.set_vocabulary(vocabulary_of())
    yield


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Presence, lockout counters and other cached state never leak from one
    test to the next."""
    try:
        clear_our_cache()
        from assembly import thai_words

        # The database was rolled back: the Thai vocabulary is read again.
        thai_words.mark_stale()
    except Exception:  # noqa: BLE001 - pure tests run without Django settings
        pass
    yield


def clear_our_cache() -> None:
    """Empty this suite's cache. On Redis only our own keys go (our
    ``KEY_PREFIX``): Django's ``cache.clear()`` there is FLUSHDB, which would
    wipe every other suite, site or helper sharing that Redis database."""
    from django.conf import settings
    from django.core.cache import cache

    config = settings.CACHES["default"]
    if "redis" not in config["BACKEND"].lower():
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    pattern = f"{config.get('KEY_PREFIX', '')}:*"
    batch = []
    for key in client.scan_iter(match=pattern, count=500):
        batch.append(key)
        if len(batch) >= 500:
            client.delete(*batch)
            batch.clear()
    if batch:
        client.delete(*batch)


@pytest.fixture(autouse=True)
def _pool_outlives_no_test_loop():
    """On PostgreSQL (Django's psycopg pool), a test that ran its own event loop
    can end while a worker thread of that loop held a pooled connection: the loop
    and its threads are gone, the connection is never handed back, and after a
    few dozen such tests every later test waits 10 s for a connection and fails
    ("couldn't get a connection"). A server process has one loop for its life;
    a test has one each. So after a test whose loop left connections checked
    out, the process starts on a fresh pool."""
    yield
    import gc

    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql" or not connection.pool:
        return
    stats = connection.pool.get_stats()
    used = stats.get("pool_size", 0) - stats.get("pool_available", 0)
    if used > (1 if connection.connection is not None else 0):
        connection.close()
        connection.close_pool()
        gc.collect()  # the lost connections' sockets close with them
