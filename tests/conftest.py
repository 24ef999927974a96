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
    """Presence and other cached state never leak from one test to the next."""
    try:
        from django.core.cache import cache

        cache.clear()
        from assembly import thai_words

        # The database was rolled back: the Thai vocabulary is read again.
        thai_words.mark_stale()
    except Exception:  # noqa: BLE001 - pure tests run without Django settings
        pass
    yield
