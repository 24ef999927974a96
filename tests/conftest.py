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
def _fresh_cache(request):
    """Presence, lockout counters and other cached state never leak from one
    test to the next."""
    try:
        clear_our_cache()
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
