import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories give every person a password; hashing it for real dominates the
    run time. What the tests prove does not depend on the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
