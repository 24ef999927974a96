"""Making password guessing costly, and refused attempts cheap to store.

The policy (docs/deploy.md, "Signing in and guessing"), in the order a password
attempt meets it:

1. A **trusted device** (a browser that signed in with this username before: a
   signed cookie, ``samatcha_device``) is judged on its own: five wrong
   passwords from it and it is trusted no more. Nothing below applies to it, so
   nobody on the venue Wi-Fi can lock a facilitator out of the laptop they have
   used before.
2. **(username, address)**: five failures lock that username at that address
   for 15 minutes (django-axes, keyed by ``proxy.client_address``).
3. **The address**: 30 failed sign-ins (passwords or links, any username) in
   15 minutes and the address's further password attempts are refused without
   being checked until the window ends.
4. **The account**: after 10 failures on one username from anywhere within an
   hour, each further attempt must wait its turn: 1 s after the 10th, doubling
   with every failure up to 15 minutes; a turn is claimed atomically, so a
   burst of parallel attempts gets one try, not a hundred.

Refusals are written to the audit log through ``services.audit``, which asks
``refusal_recorded`` first: each signed-in person or address has 100 refusal
rows per 15 minutes, everyone together 300 per minute; past that one row says
recording is throttled and the rest are not written.

All counters live in the cache (Redis in production, shared by every process;
memory in one process otherwise). Losing the cache forgets counters, never
grants anything but a fresh allowance.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature

from assembly.proxy import client_address

DEVICE_COOKIE = "samatcha_device"
DEVICE_SALT = "samatcha.device"

DEFAULTS = {
    "device_failures": 5,
    "device_age": 365 * 24 * 3600,
    "address_failures": 30,
    "address_window": 15 * 60,
    "account_free_failures": 10,
    "account_delay_cap": 15 * 60,
    "account_memory": 60 * 60,
    "refusals_recorded": 100,
    "refusals_window": 15 * 60,
    "refusals_recorded_all": 300,
    "refusals_window_all": 60,
}


def limit(name: str) -> int:
    return int(getattr(settings, "THROTTLES", {}).get(name, DEFAULTS[name]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def network_of(address: str | None) -> str:
    """What one client controls: an IPv4 address, or an IPv6 /64 (a home or a
    phone gets a whole /64, so counting single IPv6 addresses counts nothing)."""
    if not address:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _count(key: str, timeout: int) -> int:
    """Add one to a counter whose window starts with its first event and lasts
    ``timeout`` seconds (incrementing keeps the expiry, in Redis and in memory).
    Windows per key, not fixed on the clock: nothing resets in the middle of a
    burst because the clock passed a round number."""
    if cache.add(key, 1, timeout=timeout):
        cache.set(f"{key}:t", time.time() + timeout, timeout=timeout)
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        return _count(key, timeout)


def _left(key: str, now: float) -> int:
    """Seconds until the window of counter ``key`` ends (at least 1)."""
    ends = cache.get(f"{key}:t") or now + 1
    return max(1, math.ceil(ends - now))


# --- Refusals -------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in attempt was refused before its password was checked."""

    reason: str  # "locked" (username at address), "address", "account"
    wait: int  # seconds until it may be tried again (at least 1)


# --- 1. Trusted devices ---------------------------------------------------------------


def _device_nonce(request, username: str) -> str | None:
    """The nonce of this browser's device cookie, if it is valid for
    ``username`` and has not been burnt by failures."""
    try:
        value = request.get_signed_cookie(
            DEVICE_COOKIE, salt=DEVICE_SALT, max_age=limit("device_age")
        )
    except (KeyError, BadSignature):
        return None
    user_hash, _, nonce = value.partition(":")
    if not nonce or user_hash != _digest(username):
        return None
    if cache.get(f"thr:device-burnt:{nonce}"):
        return None
    return nonce


def is_trusted_device(request, username: str | None) -> bool:
    return bool(username) and _device_nonce(request, username) is not None


def axes_whitelist(request, credentials) -> bool:
    """``AXES_WHITELIST_CALLABLE``: a trusted device is not locked by
    (username, address); its own failures are counted here instead."""
    username = (credentials or {}).get("username") or ""
    return is_trusted_device(request, username)


def axes_username(request, credentials) -> str:
    """``AXES_USERNAME_CALLABLE``: the username ending with a separator that
    no username or address contains, so that axes's cache key (username and
    address run together) cannot confuse ``bob1`` at 92.0.2.1 with ``bob19``
    at 2.0.2.1."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return f"{username or ''}|"


# --- The password attempt ------------------------------------------------------------


def password_refusal(request, username: str) -> Refusal | None:
    """Whether a password attempt for ``username`` from this request may be
    checked now; a ``Refusal`` says why not and for how long. Claims the
    account's turn when its failures call for one (so call it once, right
    before checking the password)."""
    if is_trusted_device(request, username):
        return None
    from axes.handlers.proxy import AxesProxyHandler

    if not AxesProxyHandler.is_allowed(request, {"username": username}):
        return Refusal("locked", lockout_seconds(request))
    now = time.time()
    key = _address_key(request)
    if (cache.get(key) or 0) >= limit("address_failures"):
        return Refusal("address", _left(key, now))
    return _account_turn(username, now)


def lockout_seconds(request) -> int:
    """How long django-axes locks a username at an address."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 15 * 60


def account_delay(failures: int) -> int:
    """Seconds between attempts on an account after ``failures`` failures."""
    over = failures - limit("account_free_failures")
    if over < 0:
        return 0
    return min(2 ** min(over, 30), limit("account_delay_cap"))


def _account_turn(username: str, now: float) -> Refusal | None:
    account = _digest(username)
    failures = cache.get(f"thr:acct:{account}") or 0
    delay = account_delay(failures)
    if not delay:
        return None
    turn = f"thr:acct-turn:{account}"
    if cache.add(turn, now + delay, timeout=delay):
        return None
    until = cache.get(turn) or now + 1
    return Refusal("account", max(1, math.ceil(until - now)))


def password_failed(request, username: str) -> None:
    """Count a wrong password (after ``password_refusal`` let it be checked)."""
    nonce = _device_nonce(request, username)
    if nonce is not None:
        failures = _count(f"thr:device-fail:{nonce}", limit("device_age"))
        if failures >= limit("device_failures"):
            cache.set(f"thr:device-burnt:{nonce}", 1, timeout=limit("device_age"))
        return
    address_failed(request)
    account = _digest(username)
    key = f"thr:acct:{account}"
    failures = _count(key, limit("account_memory"))
    cache.touch(key, limit("account_memory"))  # forgotten an hour after the last
    delay = account_delay(failures)
    if delay:  # the next turn comes ``delay`` seconds after this failure
        now = time.time()
        cache.set(f"thr:acct-turn:{account}", now + delay, timeout=delay)


def password_succeeded(request, response, username: str) -> None:
    """A right password: this browser becomes (or stays) a trusted device for
    ``username``. The account's failure count stays: an attacker guessing
    alongside the real person gains nothing from the person's success."""
    nonce = _device_nonce(request, username)
    if nonce is not None:
        cache.delete(f"thr:device-fail:{nonce}")
    else:
        nonce = secrets.token_urlsafe(16)
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{_digest(username)}:{nonce}",
        salt=DEVICE_SALT,
        max_age=limit("device_age"),
        path="/login/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- Links and other unauthenticated failures ----------------------------------------


def _address_key(request) -> str:
    return f"thr:addr:{network_of(client_address(request))}"


def address_failed(request) -> int:
    """Count a failed sign-in (password or link) from the client's address;
    returns how many in its window."""
    return _count(_address_key(request), limit("address_window"))


def link_failed(request) -> bool:
    """Count a refused sign-in link; True while the address is within its
    allowance (over it, the refusal is answered 429 and not recorded)."""
    return address_failed(request) <= limit("address_failures")


# --- What refusals may write ---------------------------------------------------------


def refusal_recorded(*, actor_id: int | None, address: str | None) -> str:
    """May one more refusal be written to the audit log? ``"yes"``; ``"last"``
    for the one row that says recording is now throttled; ``"no"``."""
    who = f"user:{actor_id}" if actor_id else f"net:{network_of(address)}"
    mine = _count(f"thr:audit:{who}", limit("refusals_window"))
    everyone = _count("thr:audit-all", limit("refusals_window_all"))
    mine_limit, all_limit = limit("refusals_recorded"), limit("refusals_recorded_all")
    if mine <= mine_limit and everyone <= all_limit:
        return "yes"
    if mine == mine_limit + 1 or everyone == all_limit + 1:
        return "last"
    return "no"
