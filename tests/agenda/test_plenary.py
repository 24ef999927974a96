"""The plenary: delegates send written comments per item of the consolidated
document, the secretariat reads them, and the document shows each item's outcome
once the plenary decided it."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agenda import plenary, services
from agenda.models import AgendaItem, PlenaryComment
from assembly import services as assembly_services
from assembly.models import Delegate
from tests import factories
from tests.readable import readable

COMMENT = "ขอให้ระบุงบประมาณสนับสนุนจากองค์กรปกครองส่วนท้องถิ่นให้ชัดเจน"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def agreed(world):
    """Two items, each agreed by its room, in a built plenary document."""
    items = []
    for room in world.rooms:
        item = factories.agenda_item(world, room=room)
        services.item_agree(item=item, actor=world.facilitators[room.pk])
        items.append(item)
    services.plenary_document_build(assembly=world.assembly, actor=world.secretariat)
    return items


def client_for(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(response) -> str:
    """The page as read: Thai line-break marking removed, entities decoded."""
    return html.unescape(readable(response))


def comment_url(item):
    return reverse("agenda:plenary_comment", args=[item.assembly_id, item.pk])


# --- Services ---------------------------------------------------------------------------


def test_a_delegate_comments_on_any_item_for_their_organisation(world, agreed):
    # a delegate seated in room 2 comments on room 1's item: the plenary is everyone's
    delegate = world.delegates[1]
    comment = services.plenary_comment_send(item=agreed[0], delegate=delegate,
                                            text=f"  {COMMENT}  ")
    assert (comment.partner, comment.text, comment.read_at) == (
        delegate.partner, COMMENT, None)


@pytest.mark.parametrize("text, message", [
    ("   ", "Write your comment."),
    ("ก" * 2001, "The comment is too long: 2,001 characters; the limit is 2,000."),
])
def test_bad_comments_are_refused(world, agreed, text, message):
    with pytest.raises(ValidationError) as info:
        services.plenary_comment_send(item=agreed[0], delegate=world.delegates[0],
                                      text=text)
    assert message in " ".join(info.value.messages)
    assert not PlenaryComment.objects.exists()


def test_comments_are_open_only_while_the_plenary_considers_the_item(world, agreed):
    drafting = factories.agenda_item(world, room=world.plenary, number=9)
    with pytest.raises(ValidationError, match="Comments are open while"):
        services.plenary_comment_send(item=drafting, delegate=world.delegates[0],
                                      text=COMMENT)
    services.item_plenary_decide(item=agreed[0], adopted=True,
                                 actor=world.secretariat)
    with pytest.raises(ValidationError, match="Comments are open while"):
        services.plenary_comment_send(item=agreed[0], delegate=world.delegates[0],
                                      text=COMMENT)


def test_observers_and_other_assemblies_may_not_comment(world, agreed):
    observer = assembly_services.delegate_create(
        partner=world.partners[0], name_th="ผู้สังเกตการณ์", kind=Delegate.Kind.OBSERVER)
    with pytest.raises(PermissionDenied):
        services.plenary_comment_send(item=agreed[0], delegate=observer, text=COMMENT)
    other = factories.world(partners=1, rooms=1)
    with pytest.raises(PermissionDenied):
        services.plenary_comment_send(item=agreed[0], delegate=other.delegates[0],
                                      text=COMMENT)
    assert not PlenaryComment.objects.exists()


def test_only_the_secretariat_marks_comments_read(world, agreed):
    comment = services.plenary_comment_send(item=agreed[0],
                                            delegate=world.delegates[0], text=COMMENT)
    for actor in (world.delegates[0].user, world.facilitators[world.rooms[0].pk],
                  AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.plenary_comment_mark_read(comment=comment, actor=actor)
    comment = services.plenary_comment_mark_read(comment=comment,
                                                 actor=world.secretariat)
    assert comment.read_at is not None and comment.read_by == world.secretariat


# role x action (the object is the item)
MATRIX = {
    "voting delegate": {"agenda.add_plenarycomment"},
    "alternate": {"agenda.add_plenarycomment"},
    "observer": set(),
    "facilitator": set(),
    "secretariat": {"agenda.read_plenarycomment"},
    "anonymous": set(),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", ["agenda.add_plenarycomment",
                                    "agenda.read_plenarycomment"])
def test_plenary_comments_role_by_action(world, agreed, role, action):
    user = {
        "voting delegate": lambda: world.delegates[2].user,
        "alternate": lambda: world.alternates[0].user,
        "observer": lambda: assembly_services.delegate_create(
            partner=world.partners[1], name_th="ผู้สังเกตการณ์",
            kind=Delegate.Kind.OBSERVER).user,
        "facilitator": lambda: world.facilitators[world.rooms[0].pk],
        "secretariat": lambda: world.secretariat,
        "anonymous": AnonymousUser,
    }[role]()
    assert user.has_perm(action, agreed[0]) == (action in MATRIX[role])


# --- Outcomes ---------------------------------------------------------------------------


def test_outcomes_appear_once_decided(world, agreed):
    from voting.models import Poll

    assert plenary.item_outcome(agreed[0]) is None
    services.item_plenary_decide(item=agreed[0], adopted=True, actor=world.secretariat)
    from resolutions.services import resolutions_create_for_item

    resolutions_create_for_item(item=agreed[0])
    outcome = plenary.item_outcome(AgendaItem.objects.get(pk=agreed[0].pk))
    assert outcome.adopted and outcome.label == "Adopted by the plenary"
    assert outcome.method == "By consensus"
    poll = Poll.objects.create(
        room=world.plenary, kind=Poll.Kind.FALLBACK, item=agreed[1], status="closed",
        adopted=False, entitled_count=6, present_count=5, counts={"yes": 2, "no": 3})
    services.item_plenary_decide(item=agreed[1], adopted=False, poll=poll)
    outcome = plenary.item_outcome(AgendaItem.objects.get(pk=agreed[1].pk))
    assert not outcome.adopted and outcome.label == "Not adopted"
    assert "6 entitled" in outcome.figures and "no 3" in outcome.figures


# --- The page ----------------------------------------------------------------------------


def test_a_delegate_sends_a_comment_from_the_document(world, agreed):
    delegate = world.delegates[0]
    client = client_for(delegate.user)
    body = page(client.get(reverse("agenda:plenary", args=[world.assembly.pk])))
    assert "Comment on agenda item 1 (for the secretariat)" in body
    response = client.post(comment_url(agreed[0]), {"text": COMMENT},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = page(response)
    assert "Your comment is sent to the secretariat." in body
    assert COMMENT in body and f'id="comments-{agreed[0].pk}"' in body
    assert PlenaryComment.objects.get().partner == delegate.partner


def test_without_htmx_the_comment_goes_back_to_the_document(world, agreed):
    response = client_for(world.delegates[0].user).post(comment_url(agreed[1]),
                                                        {"text": COMMENT})
    assert response.status_code == 302
    assert response["Location"].endswith("#item-2")


def test_an_empty_comment_is_refused_in_place(world, agreed):
    response = client_for(world.delegates[0].user).post(
        comment_url(agreed[0]), {"text": " "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Write your comment." in page(response)
    assert not PlenaryComment.objects.exists()


def test_html_in_a_comment_is_shown_as_text(world, agreed):
    script = '<script>alert("x")</script>'
    client = client_for(world.delegates[0].user)
    client.post(comment_url(agreed[0]), {"text": script})
    raw = client_for(world.secretariat).get(
        reverse("agenda:plenary", args=[world.assembly.pk])).content.decode()
    assert script not in raw and "&lt;script&gt;" in raw


def test_delegates_see_only_their_organisations_comments(world, agreed):
    services.plenary_comment_send(item=agreed[0], delegate=world.delegates[0],
                                  text=COMMENT)
    body = page(client_for(world.delegates[1].user).get(
        reverse("agenda:plenary", args=[world.assembly.pk])))
    assert COMMENT not in body


def test_the_secretariat_reads_and_marks_comments(world, agreed):
    comment = services.plenary_comment_send(item=agreed[0],
                                            delegate=world.delegates[0], text=COMMENT)
    client = client_for(world.secretariat)
    body = page(client.get(reverse("agenda:plenary", args=[world.assembly.pk])))
    assert "1 written comment not yet read" in body and COMMENT in body
    assert "Send the comment" not in body  # the secretariat has no organisation
    response = client.post(reverse("agenda:plenary_comment_read",
                                   args=[world.assembly.pk, comment.pk]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "read" in page(response)
    comment.refresh_from_db()
    assert comment.read_at is not None


def test_a_delegate_cannot_mark_comments_read(world, agreed):
    comment = services.plenary_comment_send(item=agreed[0],
                                            delegate=world.delegates[0], text=COMMENT)
    response = client_for(world.delegates[0].user).post(
        reverse("agenda:plenary_comment_read", args=[world.assembly.pk, comment.pk]))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.read_at is None


def test_the_document_shows_the_outcome_in_both_languages(world, agreed):
    services.item_plenary_decide(item=agreed[0], adopted=True, actor=world.secretariat)
    from resolutions.services import resolutions_create_for_item

    resolutions_create_for_item(item=agreed[0])
    url = reverse("agenda:plenary", args=[world.assembly.pk])
    body = page(client_for(world.delegates[0].user).get(url))
    assert "Adopted by the plenary" in body and "By consensus" in body
    body = page(client_for(world.delegates[0].user, "th").get(url))
    assert "ที่ประชุมใหญ่รับรองแล้ว" in body and "โดยฉันทามติ" in body
    # the decided item takes no more comments; the other still does
    assert f'action="{comment_url(agreed[0])}"' not in body
    assert f'action="{comment_url(agreed[1])}"' in body


def test_comment_forms_in_thai(world, agreed):
    body = page(client_for(world.delegates[0].user, "th").get(
        reverse("agenda:plenary", args=[world.assembly.pk])))
    assert "ส่งความเห็น" in body


def test_without_htmx_a_refused_comment_shows_the_page_with_the_message(world, agreed):
    response = client_for(world.delegates[0].user).post(comment_url(agreed[1]),
                                                        {"text": ""})
    assert response.status_code == 422
    body = page(response)
    assert "Write your comment." in body and "Plenary document" in body


def test_people_without_an_organisation_cannot_comment(world, agreed):
    for user in (world.secretariat, world.facilitators[world.rooms[0].pk]):
        response = client_for(user).post(comment_url(agreed[0]), {"text": COMMENT})
        assert response.status_code == 403
        assert "Delegates send comments for their organisation." in page(response)
    assert not PlenaryComment.objects.exists()
