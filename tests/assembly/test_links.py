"""Personal links for every role (contract 5): facilitators, the secretariat and
lead-agency staff sign in as delegates do; staff get theirs by e-mail; a
password stays possible, never required; nothing keeps a usable token."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from assembly import accounts, links, services
from assembly.models import AuditEvent, SignInLink
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def use_link(client: Client, token: str):
    return client.post(reverse("assembly:token_sign_in"), {"token": token})


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


def every_text_in_the_database() -> str:
    """Every character and JSON value of every table of the project."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            columns = [
                f.column for f in model._meta.local_fields
                if f.get_internal_type() in ("CharField", "TextField", "JSONField",
                                             "EmailField", "GenericIPAddressField")
            ]
            if not columns:
                continue
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {cols} FROM {connection.ops.quote_name(table)}")
            chunks += [str(v) for row in cursor.fetchall() for v in row]
    return "\n".join(chunks)


def people(world):
    room = world.rooms[0]
    lead_org = world.partners[0].organisation
    return {
        "facilitator": world.facilitators[room.pk],
        "secretariat": world.secretariat,
        "staff": world.staff[lead_org.pk],
    }


LANDING = {
    "facilitator": lambda w: reverse("agenda:console",
                                     kwargs={"room_id": w.rooms[0].pk}),
    "secretariat": lambda w: reverse("assembly:secretariat",
                                     kwargs={"pk": w.assembly.pk}),
    "staff": lambda w: reverse("resolutions:mine"),
}


@pytest.mark.parametrize("role", ["facilitator", "secretariat", "staff"])
def test_every_role_signs_in_with_its_link_and_lands_on_its_work(world, role):
    person = people(world)[role]
    token = services.signin_link_issue(user=person, actor=world.secretariat)
    client = Client()
    response = use_link(client, token)
    assert response.status_code == 302
    assert response["Location"] == LANDING[role](world)
    assert signed_in_as(client) == str(person.pk)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.SIGN_IN, actor=person, detail__method="link").exists()


def test_only_the_digest_is_kept_of_any_accounts_link(world):
    tokens = [services.signin_link_issue(user=p) for p in people(world).values()]
    for token in tokens:
        use_link(Client(), token)
    stored = every_text_in_the_database()
    for token in tokens:
        assert token not in stored
        assert token[:20] not in stored  # not even a usable part of it
    assert SignInLink.objects.filter(
        token_digest__in=[links.token_digest(t) for t in tokens]).count() == 3


def test_a_new_link_stops_the_old_one_for_staff_too(world):
    staff = people(world)["staff"]
    old = services.signin_link_issue(user=staff)
    new = services.signin_link_issue(user=staff)
    assert use_link(Client(), old).status_code == 403
    assert use_link(Client(), new).status_code == 302
    assert SignInLink.objects.filter(user=staff, revoked_at__isnull=True).count() == 1


def test_a_deactivated_accounts_link_is_refused_like_a_forged_one(world):
    facilitator = people(world)["facilitator"]
    token = services.signin_link_issue(user=facilitator)
    accounts.account_deactivate(assembly=world.assembly, user=facilitator,
                                actor=world.secretariat)
    client = Client()
    refused = use_link(client, token)
    forged = use_link(Client(), "z" * 43)
    assert refused.status_code == forged.status_code == 403
    assert signed_in_as(client) is None
    with pytest.raises(ValidationError):
        services.signin_link_issue(user=facilitator)


def test_a_password_stays_possible_beside_the_link(world):
    """The factories' people have passwords: both ways in work, and revoking
    the link leaves the password's session alone."""
    facilitator = people(world)["facilitator"]
    token = services.signin_link_issue(user=facilitator)
    by_link, by_password = Client(), Client()
    use_link(by_link, token)
    by_password.post(reverse("assembly:login"),
                     {"username": facilitator.username, "password": PASSWORD})
    assert signed_in_as(by_link) == signed_in_as(by_password) == str(facilitator.pk)
    services.signin_link_revoke(user=facilitator)
    console = reverse("agenda:console", kwargs={"room_id": world.rooms[0].pk})
    assert by_password.get(console).status_code == 200
    assert by_link.get(console).status_code == 302  # sent to sign in again


def test_an_account_made_on_the_web_has_no_password_and_needs_none(world):
    person = accounts.account_create(
        assembly=world.assembly, actor=world.secretariat, username="kamon",
        first_name="กมล", last_name="ใจดี", rooms=[world.rooms[1]],
    )
    assert not person.has_usable_password()
    client = Client()
    use_link(client, services.signin_link_issue(user=person))
    assert signed_in_as(client) == str(person.pk)
    console = reverse("agenda:console", kwargs={"room_id": world.rooms[1].pk})
    assert client.get(console).status_code == 200


# --- By e-mail ------------------------------------------------------------------------


def test_staff_get_their_link_by_email_thai_first_then_english(world):
    staff = people(world)["staff"]
    staff.email = "somchai@kkpeo.go.th"
    staff.save()
    address = links.link_email(user=staff, base_url="https://samatcha.example/",
                               actor=world.secretariat, assembly=world.assembly)
    assert address == "somchai@kkpeo.go.th"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somchai@kkpeo.go.th"]
    body = message.body
    thai, english = body.index("ลิงก์"), body.index("personal link")
    assert thai < english
    assert message.subject.index("ลิงก์") < message.subject.index("sign-in link")
    url = next(w for w in body.split() if w.startswith("https://samatcha.example/s/#"))
    token = url.split("#", 1)[1]
    # The e-mailed link works, and the token lives nowhere but in the message.
    client = Client()
    assert use_link(client, token).status_code == 302
    assert signed_in_as(client) == str(staff.pk)
    assert token not in every_text_in_the_database()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_EMAILED).exists()


def test_no_address_no_email_and_no_link(world):
    staff = people(world)["staff"]
    assert not staff.email
    with pytest.raises(ValidationError):
        links.link_email(user=staff, base_url="https://x.example/")
    assert not mail.outbox
    assert not SignInLink.objects.filter(user=staff).exists()


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


def test_a_mail_that_cannot_be_sent_withdraws_the_new_link(world, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMail"
    staff = people(world)["staff"]
    staff.email = "staff@example.org"
    staff.save()
    earlier = services.signin_link_issue(user=staff)
    with pytest.raises(ValidationError) as refused:
        links.link_email(user=staff, base_url="https://x.example/")
    assert "e-mail" in str(refused.value).lower() or "อีเมล" in str(refused.value)
    assert not SignInLink.objects.filter(user=staff, revoked_at__isnull=True).exists()
    assert use_link(Client(), earlier).status_code == 403


def test_the_demo_prints_working_links_with_the_token_after_the_hash(world):
    """`make run` prints how to sign in: personal links, never a token in a path."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_links", base_url="http://127.0.0.1:8000", stdout=out)
    printed = out.getvalue()
    urls = re.findall(r"http://127\.0\.0\.1:8000/s/\S*", printed)
    assert len(urls) == 4  # the secretariat and three delegates
    for url in urls:
        assert re.fullmatch(r"http://127\.0\.0\.1:8000/s/#[A-Za-z0-9_-]{43}\)?", url)
        client = Client()
        assert use_link(client, url.split("#", 1)[1].rstrip(")")).status_code == 302


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_in_production_a_link_is_never_mailed_into_a_log(world, settings, backend):
    """The console and file back-ends write the message, token and all, to the
    server's output or disk: in production the link is not sent that way."""
    settings.DEBUG = False
    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    settings.EMAIL_FILE_PATH = "/nonexistent"
    staff = people(world)["staff"]
    staff.email = "staff@example.org"
    staff.save()
    with pytest.raises(ValidationError):
        links.link_email(user=staff, base_url="https://x.example/")
    assert not SignInLink.objects.filter(user=staff).exists()
