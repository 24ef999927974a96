"""Is a secret key good enough for production? Pure: no Django imports.

Django signs sessions, CSRF tokens and password-reset links with
``SECRET_KEY``; a key that can be guessed lets anyone forge a session. The
rules are Django's own deployment check (50 characters, not ``django-insecure``)
made stricter: enough distinct characters that it was not typed by hand, and
none of the phrases that mark an example or a development key.
"""

from __future__ import annotations

MIN_LENGTH = 50
MIN_DISTINCT = 20

# Phrases found in example, placeholder and development keys, never in a
# random one (a 67-character token_urlsafe has about a one in 10^9 chance of
# containing any of these).
KNOWN_PHRASES = (
    "django-insecure",
    "insecure",
    "not-secret",
    "notsecret",
    "changeme",
    "change-me",
    "change_me",
    "replace-me",
    "example",
    "dev-only",
    "secret-key",
    "secretkey",
    "password",
    "samatcha",
    "0123456789",
    "abcdefghij",
)

GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def weak_key_reason(key: str) -> str | None:
    """Why ``key`` is too weak for production, or None when it is good."""
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters; at least {MIN_LENGTH} are needed"
    distinct = len(set(key))
    if distinct < MIN_DISTINCT:
        return (
            f"it uses only {distinct} different characters; a random key uses "
            f"at least {MIN_DISTINCT}"
        )
    lowered = key.lower()
    for phrase in KNOWN_PHRASES:
        if phrase in lowered:
            return f'it contains "{phrase}", the mark of an example or development key'
    return None
