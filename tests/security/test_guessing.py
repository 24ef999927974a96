"""Password guessing made costly, refused attempts made cheap (issue 11, items 6
and 12). The policy is in assembly/throttles.py and docs/deploy.md.

These drive the real sign-in views with Django's test client, which sets the
client address directly (``REMOTE_ADDR``); the same addresses arriving through
nginx are tested in test_proxy_addresses.py.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assembly import throttles
from tests import factories
from tests.readable import readable

pytestmark = pytest.mark.django_db

VENUE = "203.0.113.50"  # the venue's Wi-Fi: everyone there shares it


def attempt(username: str, password: str, address: str, client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(
        reverse("assembly:login"), {"username": username, "password": password},
        REMOTE_ADDR=address,
    )
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def password_checked(response) -> bool:
    """The wrong-password message: the password was checked, and was wrong."""
    return response.status_code == 200 and "errorlist" in response.content.decode()


def failed_sign_ins(**filters) -> int:
    from assembly.models import AuditEvent

    return AuditEvent.objects.filter(kind="sign_in_failed", **filters).count()


# --- Trusted devices: the venue cannot lock a facilitator out -----------------------


def test_someone_on_the_venue_wifi_cannot_lock_out_a_facilitators_own_laptop(db):
    facilitator = factories.user("facilitator-room-1")
    laptop = Client(REMOTE_ADDR=VENUE)
    attempt(facilitator.username, factories.PASSWORD, VENUE, laptop)
    assert signed_in(laptop)
    laptop.post(reverse("assembly:logout"))
    # Someone else at the venue tries the facilitator's username until locked.
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _, response = attempt(facilitator.username, "guess", VENUE)
    assert response.status_code == 429
    assert "personal sign-in link" in response.content.decode() or (
        "ลิงก์" in response.content.decode()
    )
    # A new browser at the venue is locked, the facilitator's laptop is not.
    stranger, response = attempt(facilitator.username, factories.PASSWORD, VENUE)
    assert response.status_code == 429 and not signed_in(stranger)
    _, response = attempt(facilitator.username, factories.PASSWORD, VENUE, laptop)
    assert response.status_code == 302 and signed_in(laptop)


def test_a_trusted_device_is_trusted_no_more_after_five_wrong_passwords(db):
    staff = factories.user("agency-staff")
    laptop = Client(REMOTE_ADDR=VENUE)
    attempt(staff.username, factories.PASSWORD, VENUE, laptop)
    laptop.post(reverse("assembly:logout"))
    for _ in range(throttles.limit("device_failures")):
        _, response = attempt(staff.username, "guess", VENUE, laptop)
        assert password_checked(response)
    # Now it is an ordinary browser: (username, address) counts from zero
    # and locks it like any other after five failures.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(staff.username, "guess", VENUE, laptop)
    _, response = attempt(staff.username, factories.PASSWORD, VENUE, laptop)
    assert response.status_code == 429 and not signed_in(laptop)


def test_a_device_cookie_is_good_only_for_its_own_username(db):
    alice = factories.user("alice-staff")
    bob = factories.user("bob-staff")
    laptop = Client(REMOTE_ADDR=VENUE)
    attempt(alice.username, factories.PASSWORD, VENUE, laptop)
    laptop.post(reverse("assembly:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(bob.username, "guess", VENUE, laptop)
    _, response = attempt(bob.username, factories.PASSWORD, VENUE, laptop)
    assert response.status_code == 429


def test_a_forged_device_cookie_is_ignored(db):
    victim = factories.user("victim-staff")
    forger = Client(REMOTE_ADDR=VENUE)
    forger.cookies[throttles.DEVICE_COOKIE] = "0" * 32 + ":whatever:signature"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(victim.username, "guess", VENUE, forger)
    _, response = attempt(victim.username, factories.PASSWORD, VENUE, forger)
    assert response.status_code == 429


# --- The account: guesses from many addresses meet growing delays -------------------


def test_the_account_delay_doubles_from_one_second_up_to_fifteen_minutes():
    free = throttles.limit("account_free_failures")
    delays = [throttles.account_delay(n) for n in range(free + 14)]
    assert delays[:free] == [0] * free
    assert delays[free : free + 5] == [1, 2, 4, 8, 16]
    assert max(delays) == 15 * 60 == delays[-1]


def test_guesses_spread_over_many_addresses_are_made_to_wait(db):
    target = factories.user("secretariat-lead")
    free = throttles.limit("account_free_failures")
    for n in range(free):  # two per address: never five at any one of them
        _, response = attempt(target.username, f"guess-{n}", f"198.51.100.{n // 2}")
        assert password_checked(response)
    # Now every attempt waits its turn, from any address, even with the right
    # password, which is not checked.
    client, response = attempt(target.username, factories.PASSWORD, "192.0.2.99")
    assert response.status_code == 429 and not signed_in(client)
    assert int(response["Retry-After"]) == throttles.account_delay(free) == 1
    html = readable(response)
    assert "1 วินาที" in html or "1 second" in html
    # Its turn come, the next guess is checked; the wait after it is doubled.
    response = when_its_turn_comes(
        lambda: attempt(target.username, "guess-next", "198.51.100.200")[1]
    )
    assert password_checked(response)
    _, response = attempt(target.username, factories.PASSWORD, "192.0.2.99")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == throttles.account_delay(free + 1) == 2


def when_its_turn_comes(try_once, timeout: float = 30.0):
    """Try until the answer is not "wait" (refused tries are not counted)."""
    deadline = time.monotonic() + timeout
    while True:
        response = try_once()
        if response.status_code != 429 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def test_a_burst_of_parallel_guesses_gets_one_turn_not_many(db):
    username = "burst-target"
    for _ in range(throttles.limit("account_free_failures")):
        throttles.password_failed(_request("198.51.100.7"), username)
    cache_key = f"thr:acct-turn:{throttles._digest(username)}"
    from django.core.cache import cache

    cache.delete(cache_key)  # the turn is free now: 20 attempts race for it
    barrier = threading.Barrier(20)
    outcomes = []

    def race():
        barrier.wait()
        outcomes.append(throttles._account_turn(username, time.time()))

    threads = [threading.Thread(target=race) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(outcome is None for outcome in outcomes) == 1


def _request(address: str):
    from django.test import RequestFactory

    return RequestFactory(REMOTE_ADDR=address).post("/login/")


# --- The address: spraying many usernames --------------------------------------------


def test_an_address_past_its_allowance_has_its_passwords_refused_unchecked(db):
    real = factories.user("real-person")
    allowance = throttles.limit("address_failures")
    for n in range(allowance):  # a different username each time
        _, response = attempt(f"sprayed-{n}", "Password1", VENUE)
        assert password_checked(response)
    client, response = attempt(real.username, factories.PASSWORD, VENUE)
    assert response.status_code == 429 and not signed_in(client)
    # Another address is not concerned.
    client, response = attempt(real.username, factories.PASSWORD, "192.0.2.10")
    assert signed_in(client)


def test_an_ipv6_client_is_one_client_across_its_whole_slash_64(db):
    allowance = throttles.limit("address_failures")
    for n in range(allowance):
        attempt(f"v6-{n}", "Password1", f"2001:db8:1:2::{n + 1:x}")
    _, response = attempt("v6-last", "Password1", "2001:db8:1:2:ffff::1")
    assert response.status_code == 429
    _, response = attempt("v6-last", "Password1", "2001:db8:1:3::1")
    assert password_checked(response)


# --- Refused attempts write a bounded number of rows (item 12) ------------------------


def random_token(n: int) -> str:
    return f"{n:043d}"


def test_three_hundred_random_tokens_from_one_address_write_a_bounded_number_of_rows(
    db,
):
    before = failed_sign_ins()
    answers = []
    for n in range(300):
        response = Client(REMOTE_ADDR=VENUE).post(
            reverse("assembly:token_sign_in"), {"token": random_token(n)}
        )
        answers.append(response.status_code)
    allowance = throttles.limit("address_failures")
    assert failed_sign_ins() - before <= allowance + 1
    assert answers[:allowance] == [403] * allowance
    assert set(answers[allowance:]) == {429}


def test_a_good_link_still_signs_in_from_an_address_past_its_allowance(cast):
    from assembly import services

    for n in range(throttles.limit("address_failures") + 5):
        Client(REMOTE_ADDR=VENUE).post(
            reverse("assembly:token_sign_in"), {"token": random_token(n)}
        )
    token = services.signin_link_issue(delegate=cast.delegate)
    client = Client(REMOTE_ADDR=VENUE)
    response = client.post(reverse("assembly:token_sign_in"), {"token": token})
    assert response.status_code == 302 and signed_in(client)


def test_refusals_from_many_addresses_write_a_bounded_number_of_rows(db, settings):
    settings.THROTTLES = {"refusals_recorded_all": 40}
    before = failed_sign_ins()
    for n in range(120):
        Client(REMOTE_ADDR=f"10.9.{n // 250}.{n % 250}").post(
            reverse("assembly:token_sign_in"), {"token": random_token(n)}
        )
    written = failed_sign_ins() - before
    assert written == 41  # 40, then one saying that recording is throttled
    from assembly.models import AuditEvent

    last = AuditEvent.objects.filter(kind="sign_in_failed").order_by("-pk").first()
    assert last.detail.get("throttled") is True


def test_a_signed_in_persons_refusals_write_a_bounded_number_of_rows(cast):
    from assembly.models import AuditEvent

    client = cast.client("delegate")
    url = reverse("assembly:secretariat", kwargs={"pk": cast.assembly.pk})
    before = AuditEvent.objects.filter(kind="permission_refused").count()
    allowance = throttles.limit("refusals_recorded")
    for _ in range(allowance + 30):
        assert client.get(url).status_code == 403
    written = AuditEvent.objects.filter(kind="permission_refused").count() - before
    assert written == allowance + 1
