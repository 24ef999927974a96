"""The voice by proxy (issue 13): an absent partner gives its voice to another
partner for the day; the holder's voting delegate casts both ballots; quorum
counts the absent partner present when its holder is; the record says so."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assembly import presence
from assembly.models import AuditEvent
from tests import factories
from tests.voting.conftest import make_item, make_present
from voting import services
from voting.models import Ballot, BallotEvent, Poll, Proxy
from tests.readable import readable

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


@pytest.fixture
def plenary_poll(world, present):
    item = make_item(world, world.plenary, status="agreed")
    poll = services.poll_create(room=world.plenary, kind=Poll.Kind.CONSENSUS,
                                item=item, actor=world.secretariat)
    return services.poll_open(poll=poll, actor=world.secretariat)


def give(world, giver, holder, **kwargs) -> Proxy:
    return services.proxy_give(assembly=world.assembly, giver=giver, holder=holder,
                               actor=world.secretariat, **kwargs)


# --- Recording and ending a proxy ------------------------------------------------


def test_a_partner_gives_its_voice_for_the_day_and_the_secretariat_ends_it(world):
    giver, holder = world.partners[1], world.partners[0]
    proxy = give(world, giver, holder)
    assert (proxy.giver, proxy.holder, proxy.day) == (giver, holder,
                                                       timezone.localdate())
    assert proxy.is_active
    services.proxy_end(proxy=proxy, actor=world.secretariat)
    proxy.refresh_from_db()
    assert not proxy.is_active and proxy.ended_by == world.secretariat
    kinds = list(AuditEvent.objects.filter(
        kind__in=[AuditEvent.Kind.PROXY_GIVEN, AuditEvent.Kind.PROXY_ENDED]
    ).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["proxy_given", "proxy_ended"]
    with pytest.raises(ValidationError, match="already ended"):
        services.proxy_end(proxy=proxy, actor=world.secretariat)
    # Once ended, the partner may give its voice again the same day.
    assert give(world, giver, world.partners[2]).is_active


@pytest.mark.parametrize(
    "case, message",
    [
        ("itself", "cannot give its voice to itself"),
        ("second given", "has already given its voice"),
        ("second held", "already holds a proxy today"),
        ("giver holds", "no chains"),
        ("holder gave", "no chains"),
    ],
)
def test_no_proxy_to_itself_no_second_one_and_no_chains(world, case, message):
    a, b, c, d = world.partners[:4]
    give(world, a, b)  # a gave its voice to b
    attempt = {
        "itself": (c, c),
        "second given": (a, c),
        "second held": (c, b),
        "giver holds": (b, c),  # b holds a's voice: it cannot give its own
        "holder gave": (d, a),  # a gave its voice away: it cannot hold d's
    }[case]
    with pytest.raises(ValidationError, match=message):
        give(world, *attempt)
    assert Proxy.objects.count() == 1


def test_the_database_holds_one_proxy_per_partner_and_never_to_itself(world):
    a, b, c = world.partners[:3]
    day = timezone.localdate()
    Proxy.objects.create(assembly=world.assembly, giver=a, holder=b, day=day)
    for giver, holder in ((a, c), (c, b), (c, c)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Proxy.objects.create(assembly=world.assembly, giver=giver, holder=holder,
                                 day=day)


def test_only_the_secretariat_records_proxies(world):
    a, b = world.partners[:2]
    for actor in (world.facilitators[world.rooms[0].pk], world.delegates[0].user, None):
        with pytest.raises(PermissionDenied):
            services.proxy_give(assembly=world.assembly, giver=a, holder=b, actor=actor)
    other = factories.world(partners=2, rooms=1)
    with pytest.raises(ValidationError, match="partners of this assembly"):
        give(world, a, other.partners[0])
    assert not Proxy.objects.exists()


# --- Voting by proxy ----------------------------------------------------------------


def test_the_holder_casts_the_represented_partners_ballot_in_the_plenary(
    world, plenary_poll
):
    giver, holder = world.partners[1], world.partners[0]
    proxy = give(world, giver, holder)
    voter = world.delegate_of(holder)
    own = services.ballot_cast(poll=plenary_poll, delegate=voter, choice="full")
    theirs = services.ballot_cast(poll=plenary_poll, delegate=voter, choice="live",
                                  for_partner=giver)
    assert (own.partner_id, theirs.partner_id) == (holder.pk, giver.pk)
    rows = {b.partner_id: b for b in Ballot.objects.filter(poll=plenary_poll)}
    assert rows[giver.pk].choice == "live" and rows[giver.pk].cast_by == voter
    assert rows[giver.pk].proxy == proxy and rows[holder.pk].proxy is None
    event = BallotEvent.objects.get(poll=plenary_poll, partner=giver)
    assert (event.delegate, event.proxy) == (voter, proxy)


def test_in_a_breakout_room_only_where_both_partners_sit(world, item, present):
    room = world.rooms[0]
    holder = world.partners[0]  # room 1
    elsewhere, beside = world.partners[1], world.partners[2]  # room 2, room 1
    actor = world.facilitators[room.pk]
    poll = services.poll_open(
        poll=services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor),
        actor=actor,
    )
    give(world, elsewhere, holder)
    voter = world.delegate_of(holder)
    with pytest.raises(PermissionDenied, match="Your organisation does not vote"):
        services.ballot_cast(poll=poll, delegate=voter, choice="full",
                             for_partner=elsewhere)
    services.proxy_end(proxy=Proxy.objects.get(), actor=world.secretariat)
    give(world, beside, holder)
    cast = services.ballot_cast(poll=poll, delegate=voter, choice="full",
                                for_partner=beside)
    assert cast.partner_id == beside.pk


def test_no_one_votes_for_another_partner_without_its_proxy(world, plenary_poll):
    a, b, c = world.partners[:3]
    give(world, c, b)  # c's voice is b's, not a's
    before = Ballot.objects.count()
    for target in (b, c):
        with pytest.raises(PermissionDenied, match="gave your organisation its voice"):
            services.ballot_cast(poll=plenary_poll, delegate=world.delegate_of(a),
                                 choice="full", for_partner=target)
    yesterday = timezone.localdate() - timedelta(days=1)
    Proxy.objects.all().delete()
    give(world, c, a, day=yesterday)  # a proxy of another day does not apply
    with pytest.raises(PermissionDenied):
        services.ballot_cast(poll=plenary_poll, delegate=world.delegate_of(a),
                             choice="full", for_partner=c)
    assert Ballot.objects.count() == before


def test_a_partner_that_gave_its_voice_votes_again_once_the_proxy_ends(
    world, plenary_poll
):
    giver, holder = world.partners[1], world.partners[0]
    proxy = give(world, giver, holder)
    with pytest.raises(PermissionDenied, match="has given its voice to"):
        services.ballot_cast(poll=plenary_poll, delegate=world.delegate_of(giver),
                             choice="block", reason="ไม่เห็นด้วย")
    services.proxy_end(proxy=proxy, actor=world.secretariat)
    cast = services.ballot_cast(poll=plenary_poll, delegate=world.delegate_of(giver),
                                choice="full")
    assert cast.partner_id == giver.pk and cast.proxy_id is None


def test_quorum_counts_the_represented_partner_present_when_its_holder_is(world):
    plenary = world.plenary
    item = make_item(world, plenary, status="agreed")
    # Three of six partners connected: below a two-thirds quorum (4 needed).
    make_present(plenary, world.partners[:3])
    poll = services.poll_create(room=plenary, kind=Poll.Kind.CONSENSUS, item=item,
                                actor=world.secretariat, quorum_share=Fraction(2, 3))
    with pytest.raises(ValidationError, match="3 of 6 partners present; 4 needed"):
        services.poll_open(poll=poll, actor=world.secretariat)
    give(world, world.partners[5], world.partners[0])  # absent, holder present
    services.poll_open(poll=poll, actor=world.secretariat)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN
    # The holder leaves: its proxy's partner is no longer present either.
    presence.leave(plenary.pk, world.partners[0].pk)
    from voting import selectors

    assert selectors.quorum_state(plenary, Fraction(2, 3))["present"] == 2


def test_the_record_says_who_cast_a_ballot_by_proxy(world, plenary_poll, no_effects):
    giver, holder = world.partners[1], world.partners[0]
    give(world, giver, holder)
    voter = world.delegate_of(holder)
    services.ballot_cast(poll=plenary_poll, delegate=voter, choice="full",
                         for_partner=giver)
    services.poll_close(poll=plenary_poll, actor=world.secretariat)
    page = client_for(world.secretariat).get(
        reverse("voting:poll_detail", args=[plenary_poll.pk])
    ).content.decode()
    assert f"{voter.name_en} of {holder.organisation.label}, by proxy" in page


# --- The holder's phone ------------------------------------------------------------


def test_the_holders_ballot_area_offers_both_ballots(world, plenary_poll):
    giver, holder = world.partners[1], world.partners[0]
    give(world, giver, holder)
    url = reverse("voting:ballot", args=[world.plenary.pk])
    area = client_for(world.delegate_of(holder).user).get(url, **HX).content.decode()
    assert area.count('class="ballot-form"') == 2
    assert 'id="ballot-status"' in area and 'id="ballot-status-proxy"' in area
    assert f'name="for_partner" value="{giver.pk}"' in area
    assert f"Also for {giver.organisation.label}, by proxy" in area
    # The holder votes for the represented partner: the answer is its status.
    response = client_for(world.delegate_of(holder).user).post(
        url, {"poll": plenary_poll.pk, "choice": "support", "for_partner": giver.pk},
        **HX,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith('<div id="ballot-status-proxy"')
    assert f'data-partner="{giver.pk}"' in text and 'data-choice="support"' in text
    assert "by proxy" in text
    # Someone else's phone has one ballot, and a forged for_partner is refused.
    other = client_for(world.delegate_of(world.partners[2]).user)
    assert other.get(url, **HX).content.decode().count('class="ballot-form"') == 1
    forged = other.post(
        url, {"poll": plenary_poll.pk, "choice": "block", "reason": "x",
              "for_partner": giver.pk}, **HX,
    )
    assert forged.status_code == 403
    assert 'id="ballot-status-proxy"' in forged.content.decode()
    assert Ballot.objects.get(partner=giver).choice == "support"


def test_the_giving_partners_phone_says_who_holds_its_voice(world, plenary_poll):
    giver, holder = world.partners[1], world.partners[0]
    give(world, giver, holder)
    area = client_for(world.delegate_of(giver).user).get(
        reverse("voting:ballot", args=[world.plenary.pk]), **HX
    ).content.decode()
    assert f"has given its voice to {holder.organisation.label} today" in area
    assert "ballot-form" not in area


# --- The secretariat's page ---------------------------------------------------------


def proxies_url(world):
    return reverse("voting:proxies", args=[world.assembly.pk])


@pytest.mark.parametrize("language, heading", [
    ("en", "Voices given by proxy today"),
    ("th", "การมอบฉันทะให้ลงมติแทนวันนี้"),
])
def test_the_proxies_page_full_and_partial_in_both_languages(world, language,
                                                              heading):
    give(world, world.partners[1], world.partners[0])
    client = client_for(world.secretariat, language=language)
    page = client.get(proxies_url(world))
    assert page.status_code == 200 and b"<html" in page.content
    text = readable(page)
    assert heading in text
    assert world.partners[1].organisation.label in text
    partial = client.get(proxies_url(world), **HX)
    assert b"<html" not in partial.content and heading in readable(partial)


def test_the_secretariat_records_and_ends_a_proxy_on_the_page(world):
    client = client_for(world.secretariat)
    giver, holder = world.partners[3], world.partners[2]
    response = client.post(proxies_url(world),
                           {"giver": giver.pk, "holder": holder.pk}, **HX)
    assert response.status_code == 200
    assert (f"{giver.organisation.label} gives its voice to "
            f"{holder.organisation.label} today.") in response.content.decode()
    proxy = Proxy.objects.get()
    # A refusal appears in place and changes nothing.
    again = client.post(proxies_url(world), {"giver": giver.pk, "holder": giver.pk},
                        **HX)
    assert again.status_code == 400
    assert "cannot give its voice to itself" in again.content.decode()
    assert client.post(proxies_url(world), {"giver": "", "holder": "x"},
                       **HX).status_code == 400
    assert Proxy.objects.count() == 1
    ended = client.post(reverse("voting:proxy_end",
                                args=[world.assembly.pk, proxy.pk]), **HX)
    assert ended.status_code == 200 and "The proxy has ended." in ended.content.decode()
    proxy.refresh_from_db()
    assert not proxy.is_active


def test_only_the_secretariat_opens_the_proxies_page(world):
    for user in (world.facilitators[world.rooms[0].pk], world.delegates[0].user):
        assert client_for(user).get(proxies_url(world), **HX).status_code == 403
        assert client_for(user).post(
            proxies_url(world), {"giver": world.partners[0].pk,
                                 "holder": world.partners[1].pk}, **HX
        ).status_code == 403
    assert not Proxy.objects.exists()


def test_the_dashboard_links_to_the_proxies_page(world):
    page = client_for(world.secretariat).get(
        reverse("assembly:secretariat", args=[world.assembly.pk])
    )
    assert proxies_url(world) in page.content.decode()
