"""Each person lands on their own work and finds their pages in the navigation;
the secretariat has one page with every screen's link and QR code."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from assembly.navigation import landing_url
from tests import factories


def body(response) -> str:
    return response.content.decode()


def nav(html: str) -> list[tuple[str, bool]]:
    """(href, current) of every link of the main navigation."""
    found = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert found, "no main navigation"
    return [
        (href, bool(current))
        for href, current in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>', found.group(0)
        )
    ]


@pytest.fixture
def people(world):
    factories.agenda_item(world)
    plain = factories.user()
    return {
        "secretariat": world.secretariat,
        "facilitator": world.facilitators[world.rooms[0].pk],
        "staff": world.staff[world.partners[0].organisation_id],
        "delegate": world.delegates[1].user,
        "nobody in particular": plain,
    }


def expected_landing(world, who: str) -> str:
    return {
        "secretariat": reverse("assembly:secretariat", args=[world.assembly.pk]),
        "facilitator": reverse("agenda:console", args=[world.rooms[0].pk]),
        "staff": reverse("resolutions:mine"),
        "delegate": reverse("agenda:room", args=[world.delegates[1].partner.room_id]),
        "nobody in particular": reverse("assembly:home"),
    }[who]


@pytest.mark.parametrize(
    "who", ["secretariat", "facilitator", "staff", "delegate", "nobody in particular"]
)
def test_signing_in_with_a_password_lands_on_ones_own_work(world, people, who):
    user = people[who]
    if who == "delegate":  # delegates have no password: their link signs them in
        user.set_password(factories.PASSWORD)
        user.save()
    client = Client()
    response = client.post(
        reverse("assembly:login"),
        {"username": user.get_username(), "password": factories.PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == expected_landing(world, who)
    assert response.status_code == 200
    assert landing_url(user) == expected_landing(world, who)


def test_someone_not_signed_in_starting_is_sent_to_sign_in(db):
    response = Client().get(reverse("assembly:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("assembly:login")


def test_a_next_page_asked_for_still_wins_over_the_landing_page(world, people):
    client = Client()
    target = reverse("agenda:plenary", args=[world.assembly.pk])
    response = client.post(
        reverse("assembly:login") + f"?next={target}",
        {"username": people["secretariat"].get_username(),
         "password": factories.PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_the_navigation_marks_the_current_page_and_only_it(world, people):
    client = Client()
    client.force_login(people["secretariat"])
    dashboard = reverse("assembly:secretariat", args=[world.assembly.pk])
    screens = reverse("assembly:screens", args=[world.assembly.pk])
    links = nav(body(client.get(dashboard)))
    assert (dashboard, True) in links
    assert [href for href, current in links if current] == [dashboard]
    links = nav(body(client.get(screens)))
    assert [href for href, current in links if current] == [screens]
    # a page under the dashboard marks the dashboard
    links = nav(body(client.get(reverse("assembly:rooms", args=[world.assembly.pk]))))
    assert [href for href, current in links if current] == [dashboard]


def test_each_role_finds_its_pages_in_the_navigation(world, people):
    a = world.assembly.pk
    wanted = {
        "secretariat": [reverse("assembly:secretariat", args=[a]),
                        reverse("assembly:screens", args=[a]),
                        reverse("agenda:console", args=[world.plenary.pk]),
                        reverse("resolutions:followup", args=[a])],
        "facilitator": [reverse("agenda:console", args=[world.rooms[0].pk])],
        "staff": [reverse("resolutions:mine")],
        "delegate": [reverse("agenda:room", args=[world.delegates[1].partner.room_id]),
                     reverse("agenda:room", args=[world.plenary.pk])],
    }
    for who, hrefs in wanted.items():
        client = Client()
        client.force_login(people[who])
        links = [href for href, _current in nav(body(client.get("/")))]
        for href in hrefs:
            assert href in links, (who, href)
    # nobody else is offered the secretariat's pages
    for who in ("facilitator", "staff", "delegate"):
        client = Client()
        client.force_login(people[who])
        links = [href for href, _current in nav(body(client.get("/")))]
        assert reverse("assembly:screens", args=[a]) not in links, who


def test_a_fragment_answered_to_htmx_does_not_compute_the_navigation(
    world, people, django_assert_max_num_queries
):
    client = Client()
    client.force_login(people["facilitator"])
    url = reverse("agenda:console_presence", args=[world.rooms[0].pk])
    client.get(url, HTTP_HX_REQUEST="true")  # warm
    with django_assert_max_num_queries(12) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert 'class="site-nav"' not in body(response)
    assert not [q for q in queries.captured_queries
                if "assembly_assembly_secretariat" in q["sql"]]


def test_the_screens_page_lists_every_projector_with_its_qr_code(world):
    client = Client()
    client.force_login(world.secretariat)
    response = client.get(reverse("assembly:screens", args=[world.assembly.pk]))
    html = body(response)
    assert response["Cache-Control"] == "no-store, private"
    for room in [world.plenary, *world.rooms]:
        room.refresh_from_db()
        projector = "http://testserver" + reverse(
            "agenda:projector", args=[room.projector_token])
        assert f'value="{projector}"' in html
        assert reverse("agenda:console", args=[room.pk]) in html
        assert room.name_th in html
    assert html.count('src="data:image/svg+xml') == 2 * (1 + len(world.rooms))


def test_the_screens_page_is_the_secretariats_only(world):
    for user in (world.facilitators[world.rooms[0].pk], world.delegates[0].user):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("assembly:screens", args=[world.assembly.pk]))
        assert response.status_code == 403
        assert "projector" not in body(response).split('id="main"', 1)[1]


def test_the_secretariat_runs_a_breakout_rooms_console_as_a_backup(world):
    item = factories.agenda_item(world)
    client = Client()
    client.force_login(world.secretariat)
    response = client.get(reverse("agenda:console", args=[world.rooms[0].pk]))
    assert response.status_code == 200
    response = client.post(
        reverse("agenda:clause_set", args=[world.rooms[0].pk]),
        {"clause_key": "2"}, HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.current_clause_key == 2


def test_a_facilitator_of_another_room_still_cannot_run_it(world):
    factories.agenda_item(world)
    client = Client()
    client.force_login(world.facilitators[world.rooms[1].pk])
    response = client.get(reverse("agenda:console", args=[world.rooms[0].pk]))
    assert response.status_code == 403


def test_a_user_model_without_roles_has_no_navigation_but_the_public_pages(world):
    user = get_user_model().objects.create_user(username="walk-in", password="x" * 12)
    client = Client()
    client.force_login(user)
    links = [href for href, _ in nav(body(client.get("/")))]
    assert links == [reverse("resolutions:board", args=[world.assembly.pk])]
