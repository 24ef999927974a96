"""Every URL of the project × every role: allowed or refused as the rules say.

The URL patterns are enumerated from the resolver, so a URL added without a
line in ``RULES`` fails ``test_every_url_has_a_rule``. A refusal is a 403 or a
404 (or, for someone not signed in, a redirect to the sign-in page), and its body
holds no trace of room 1's private data: no partner or delegate name of the room
(other than the person's own, which every header shows) and no draft text.

Allowed means "not refused": a page answers 200, a form post may answer 400 or
409 for the empty data sent here; what matters is that the gate let them in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.conftest import MARK, ROLES

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
SECRETARIAT = frozenset({"secretariat"})
ROOM_1 = frozenset({"delegate", "alternate", "facilitator", "secretariat"})
# The secretariat runs any room as a backup facilitator.
RUNS_ROOM_1 = frozenset({"facilitator", "secretariat"})
# A partner's voice: voting delegates and alternates of room 1.
VOICE_1 = frozenset({"delegate", "alternate"})


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    kwargs: Callable = field(default=lambda c: {})
    method: str = "get"
    data: Callable = field(default=lambda c: {})
    # Roles that may see room 1's names and drafts anyway: a refusal of anyone
    # else must show none of them. An empty set: the page is public.
    sees_room: frozenset = ROOM_1
    note: str = ""


PUBLIC = EVERYONE  # a public page: nothing to hide

# URLs that only send a person on to another page (no markup of their own).
REDIRECT_ONLY = frozenset({"assembly:start"})


def a(c):
    return {"pk": c.assembly.pk}


def assembly_kw(c):
    return {"assembly_id": c.assembly.pk}


def room_kw(c):
    return {"room_id": c.room.pk}


def item_kw(c):
    return {"item_id": c.item.pk}


def delegate_kw(c):
    return {"pk": c.assembly.pk, "delegate_id": c.delegate.pk}


def account_kw(c):
    return {"pk": c.assembly.pk, "user_id": c.users["facilitator"].pk}


def token_data(c):
    from assembly import services

    return {"token": services.signin_link_issue(delegate=c.delegate)}


def amendment_kw(action):
    return lambda c: {
        "room_id": c.room.pk,
        "amendment_id": c.amendment.pk,
        "action": action,
    }


def amendment_kw_plain(c):
    return {"room_id": c.room.pk, "amendment_id": c.amendment.pk}


def poll_kw(c):
    return {"pk": c.poll.pk}


def resolution_kw(c):
    return {"pk": c.resolution.pk}


def board_resolution_kw(c):
    return {"assembly_id": c.assembly.pk, "pk": c.resolution.pk}


def agency_kw(c):
    return {"assembly_id": c.assembly.pk, "organisation_id": c.lead.pk}


def ballot_data(c):
    return {"poll": c.poll.pk, "choice": "yes"}


def proxy_kw(c):
    """A proxy between two partners of the assembly, made once per cast."""
    proxy = getattr(c, "_proxy", None)
    if proxy is None:
        from voting import services

        giver, holder = c.world.partners[-2:]
        proxy = c._proxy = services.proxy_give(
            assembly=c.assembly, giver=giver, holder=holder,
            actor=c.users["secretariat"],
        )
    return {"assembly_id": c.assembly.pk, "pk": proxy.pk}


# One line per URL name (several where a URL answers GET and POST differently).
# Keep it in the order of the urls.py files.
RULES: dict[str, Rule | tuple[Rule, ...]] = {
    # --- assembly: public pages and signing in ---
    "assembly:home": Rule(EVERYONE, sees_room=PUBLIC),
    "assembly:detail": Rule(EVERYONE, a, sees_room=PUBLIC),
    "assembly:login": Rule(EVERYONE, sees_room=PUBLIC),
    "assembly:logout": Rule(
        EVERYONE,
        method="post",
        sees_room=PUBLIC,
        note="signing out is harmless for anyone",
    ),
    "assembly:token_sign_in": (
        Rule(EVERYONE, sees_room=PUBLIC, note="GET only asks for the code"),
        Rule(
            EVERYONE,
            method="post",
            data=token_data,
            sees_room=PUBLIC,
            note="the token (in the body, never the URL) is the credential",
        ),
    ),
    "assembly:start": Rule(
        SIGNED_IN,
        sees_room=PUBLIC,
        note="a redirect to one's own work; anyone else is sent to sign in",
    ),
    "set_language": Rule(
        EVERYONE,
        method="post",
        sees_room=PUBLIC,
        data=lambda c: {"language": "en", "next": "/"},
    ),
    # --- assembly: the secretariat's pages ---
    "assembly:import": Rule(SECRETARIAT, a),
    "assembly:create": Rule(SECRETARIAT, note="the secretariat of some assembly"),
    "assembly:secretariat": Rule(SECRETARIAT, a),
    "assembly:edit": Rule(SECRETARIAT, a),
    "assembly:set_status": Rule(SECRETARIAT, a, method="post"),
    "assembly:items": Rule(SECRETARIAT, a),
    "assembly:item_create": Rule(SECRETARIAT, a),
    "assembly:item_edit": Rule(SECRETARIAT, lambda c: {**a(c), "item_id": c.item.pk}),
    "assembly:rooms": Rule(SECRETARIAT, a),
    "assembly:room_create": Rule(SECRETARIAT, a),
    "assembly:room_edit": Rule(SECRETARIAT, lambda c: {**a(c), "room_id": c.room.pk}),
    "assembly:partners": Rule(SECRETARIAT, a),
    "assembly:delegates": Rule(SECRETARIAT, a),
    "assembly:link_issue": Rule(SECRETARIAT, delegate_kw, method="post"),
    "assembly:link_revoke": Rule(SECRETARIAT, delegate_kw, method="post"),
    "assembly:checkins": Rule(SECRETARIAT, a),
    "assembly:badges": Rule(SECRETARIAT, a),
    "assembly:audit": Rule(SECRETARIAT, a),
    # --- assembly: people (C2): bulk links, the desk, accounts, one's own ---
    "assembly:delegates_bulk": Rule(
        SECRETARIAT, a, method="post", data=lambda c: {"action": "revoke",
                                                       "scope": "shown"}),
    "assembly:link_email": Rule(SECRETARIAT, delegate_kw, method="post"),
    "assembly:desk": Rule(SECRETARIAT, a, data=lambda c: {"q": MARK}),
    "assembly:desk_check_in": Rule(SECRETARIAT, delegate_kw, method="post"),
    "assembly:desk_check_out": Rule(SECRETARIAT, delegate_kw, method="post"),
    "assembly:desk_presence": Rule(
        SECRETARIAT, delegate_kw, method="post",
        data=lambda c: {"room": c.world.plenary.pk}),
    "assembly:desk_badge": Rule(SECRETARIAT, delegate_kw, method="post"),
    "assembly:accounts": Rule(SECRETARIAT, a),
    "assembly:account_create": Rule(SECRETARIAT, a),
    "assembly:account_edit": Rule(SECRETARIAT, account_kw),
    "assembly:account_link": Rule(SECRETARIAT, account_kw, method="post"),
    "assembly:account_link_email": Rule(SECRETARIAT, account_kw, method="post"),
    "assembly:account_link_revoke": Rule(SECRETARIAT, account_kw, method="post"),
    "assembly:account_deactivate": Rule(SECRETARIAT, account_kw, method="post"),
    "assembly:account_reactivate": Rule(SECRETARIAT, account_kw, method="post"),
    "assembly:account": Rule(SIGNED_IN, sees_room=PUBLIC,
                             note="one's own account page"),
    "assembly:password": Rule(
        SIGNED_IN - {"delegate", "alternate", "foreign_delegate"},
        sees_room=PUBLIC, note="delegates sign in by their badge only"),
    "assembly:screens": Rule(SECRETARIAT, a),
    # --- agenda: the delegates' room page and its per-person parts ---
    "agenda:room": Rule(ROOM_1, room_kw),
    "agenda:speak": Rule(
        VOICE_1,
        room_kw,
        method="post",
        note="delegates ask to speak; those who run it do not",
    ),
    "agenda:speak_withdraw": Rule(VOICE_1, room_kw, method="post"),
    "agenda:speak_controls": Rule(ROOM_1, room_kw),
    "agenda:amendment_form": Rule(ROOM_1, room_kw),
    "agenda:amendment_submit": Rule(
        VOICE_1,
        room_kw,
        method="post",
        data=lambda c: {"kind": "delete", "target_key": "1", "rationale": "x"},
    ),
    "agenda:my_amendments": Rule(ROOM_1, room_kw),
    "agenda:amendment_revise": (
        Rule(VOICE_1, amendment_kw_plain, note="the proposing organisation only"),
        Rule(
            VOICE_1,
            amendment_kw_plain,
            method="post",
            data=lambda c: {"text": "ข้อความที่ปรับปรุงแล้ว", "rationale": "x"},
        ),
    ),
    "agenda:my_amendment_action": Rule(
        VOICE_1,
        amendment_kw("consent"),
        method="post",
        note="the proposing organisation only",
    ),
    # --- agenda: the facilitator console ---
    "agenda:console": Rule(RUNS_ROOM_1, room_kw),
    "agenda:console_clause": Rule(RUNS_ROOM_1, room_kw),
    "agenda:console_amendments": Rule(RUNS_ROOM_1, room_kw),
    "agenda:console_speakers": Rule(RUNS_ROOM_1, room_kw),
    "agenda:console_presence": Rule(RUNS_ROOM_1, room_kw),
    "agenda:clause_set": Rule(
        RUNS_ROOM_1, room_kw, method="post", data=lambda c: {"clause": "1"}
    ),
    "agenda:item_agree": Rule(RUNS_ROOM_1, room_kw, method="post"),
    "agenda:amendment_action": Rule(RUNS_ROOM_1, amendment_kw("accept"), method="post"),
    "agenda:speaker_next": Rule(RUNS_ROOM_1, room_kw, method="post"),
    "agenda:speaker_finish": Rule(RUNS_ROOM_1, room_kw, method="post"),
    "agenda:speaker_time": Rule(
        RUNS_ROOM_1, room_kw, method="post", data=lambda c: {"seconds": "120"}
    ),
    # --- agenda: projector, drafts, plenary ---
    "agenda:projector": Rule(
        EVERYONE,
        lambda c: {"token": c.room.projector_token},
        sees_room=PUBLIC,
        note="the secret link is the credential",
    ),
    "agenda:draft_edit": Rule(SECRETARIAT, item_kw),
    "agenda:history": Rule(ROOM_1, item_kw),
    "agenda:plenary": Rule(
        frozenset(
            {"delegate", "alternate", "other_facilitator", "facilitator", "secretariat"}
        ),
        assembly_kw,
        note="everyone taking part in the assembly",
    ),
    "agenda:plenary_build": Rule(SECRETARIAT, assembly_kw, method="post"),
    "agenda:plenary_comment": Rule(
        VOICE_1,
        lambda c: {**assembly_kw(c), "item_id": c.item.pk},
        method="post",
        data=lambda c: {"text": "ความเห็น"},
        sees_room=frozenset(
            {"delegate", "alternate", "other_facilitator", "facilitator", "secretariat"}
        ),
        note="a voice of the assembly comments; the item need not be agreed yet "
        "for the gate (the service then says why not)",
    ),
    "agenda:plenary_comment_read": Rule(
        SECRETARIAT,
        lambda c: {**assembly_kw(c), "comment_id": c.plenary_comment.pk},
        method="post",
        sees_room=frozenset(
            {"delegate", "alternate", "other_facilitator", "facilitator", "secretariat"}
        ),
    ),
    # --- voting ---
    "voting:ballot": (
        Rule(ROOM_1, room_kw, note="GET: one's own ballot form"),
        Rule(
            VOICE_1,
            room_kw,
            method="post",
            data=ballot_data,
            note="POST: only a voice of a partner seated in the room",
        ),
    ),
    "voting:room_result": Rule(ROOM_1, room_kw),
    "voting:controls": Rule(RUNS_ROOM_1, room_kw),
    "voting:poll_create": Rule(
        RUNS_ROOM_1,
        room_kw,
        method="post",
        data=lambda c: {"kind": "consensus", "item": c.item.pk},
    ),
    "voting:poll_create_all_items": Rule(
        SECRETARIAT,
        room_kw,
        method="post",
        data=lambda c: {"kind": "consensus"},
        note="the plenary's round on all items: the secretariat alone (a "
        "breakout room is refused as bad input, 400)",
    ),
    "voting:poll_detail": Rule(ROOM_1, poll_kw),
    "voting:poll_open": Rule(RUNS_ROOM_1, poll_kw, method="post"),
    "voting:poll_close": Rule(RUNS_ROOM_1, poll_kw, method="post"),
    "voting:ballot_record": (
        Rule(RUNS_ROOM_1, poll_kw, note="GET: the form to record a paper ballot"),
        Rule(
            RUNS_ROOM_1,
            poll_kw,
            method="post",
            data=lambda c: {"partner": c.delegate.partner_id, "choice": "full"},
        ),
    ),
    "voting:proxies": (
        Rule(SECRETARIAT, assembly_kw),
        Rule(SECRETARIAT, assembly_kw, method="post"),
    ),
    "voting:proxy_end": Rule(SECRETARIAT, proxy_kw, method="post"),
    "resolutions:review": Rule(EVERYONE, assembly_kw, sees_room=PUBLIC),
    "resolutions:review_report": Rule(
        frozenset(), lambda c: {"pk": c.review.pk}, method="post",
        note="the reviewed resolution's owners' staff; the cast has none for it",
    ),
    "resolutions:review_decide": Rule(
        SECRETARIAT, lambda c: {"pk": c.review.pk}, method="post",
        data=lambda c: {"decision": "continue"},
    ),
    "assembly:next": Rule(SECRETARIAT, a),
    # --- records: the record of the day ---
    "records:page": Rule(SECRETARIAT, a),
    "records:minutes_docx": Rule(SECRETARIAT, a),
    "records:minutes_pdf": Rule(SECRETARIAT, a),
    "records:attendance_csv": Rule(SECRETARIAT, a),
    "records:attendance_xlsx": Rule(SECRETARIAT, a),
    "records:plenary_docx": Rule(
        frozenset(
            {"delegate", "alternate", "other_facilitator", "facilitator", "secretariat"}
        ),
        a,
        note="like the plenary document page",
    ),
    "records:plenary_pdf": Rule(
        frozenset(
            {"delegate", "alternate", "other_facilitator", "facilitator", "secretariat"}
        ),
        a,
    ),
    # --- resolutions: the public board and documents ---
    "resolutions:board": Rule(EVERYONE, assembly_kw, sees_room=PUBLIC),
    "resolutions:agency": Rule(EVERYONE, agency_kw, sees_room=PUBLIC),
    "resolutions:resolution": Rule(EVERYONE, board_resolution_kw, sees_room=PUBLIC),
    "resolutions:evidence": Rule(
        EVERYONE, lambda c: {"pk": c.evidence.pk}, sees_room=PUBLIC
    ),
    "resolutions:resolutions_pdf": Rule(EVERYONE, assembly_kw, sees_room=PUBLIC),
    "resolutions:progress_pdf": Rule(EVERYONE, assembly_kw, sees_room=PUBLIC),
    "resolutions:agency_progress_pdf": Rule(EVERYONE, agency_kw, sees_room=PUBLIC),
    "resolutions:resolutions_csv": Rule(EVERYONE, assembly_kw, sees_room=PUBLIC),
    "resolutions:updates_csv": Rule(EVERYONE, assembly_kw, sees_room=PUBLIC),
    # --- resolutions: agencies post, the secretariat plans and corrects ---
    "resolutions:mine": Rule(
        SIGNED_IN,
        sees_room=PUBLIC,
        note="each sees the resolutions of their own agencies",
    ),
    "resolutions:update": (
        Rule(frozenset({"staff"}), resolution_kw, note="the owner's staff"),
        Rule(frozenset({"staff"}), resolution_kw, method="post"),
    ),
    "resolutions:note": (
        Rule(frozenset(), resolution_kw, note="supporters' staff; the cast has none"),
        Rule(frozenset(), resolution_kw, method="post"),
    ),
    "resolutions:correction": (
        Rule(SECRETARIAT, resolution_kw),
        Rule(SECRETARIAT, resolution_kw, method="post"),
    ),
    "resolutions:plan": (
        Rule(SECRETARIAT, resolution_kw),
        Rule(SECRETARIAT, resolution_kw, method="post"),
    ),
    "resolutions:followup": Rule(SECRETARIAT, assembly_kw),
    "resolutions:remind": Rule(SECRETARIAT, assembly_kw, method="post"),
    "resolutions:weights": (
        Rule(SECRETARIAT, item_kw),
        Rule(SECRETARIAT, item_kw, method="post"),
    ),
}

# Patterns that are not the project's pages.
NOT_PAGES = {
    "^media/(?P<path>.*)$": "uploaded files, served by Django only with DEBUG on",
}


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(key, route) of every pattern: ``namespace:name``, or the route if unnamed."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), route
            else:
                yield route, route


def project_urls() -> dict[str, str]:
    return {
        key: route
        for key, route in url_patterns()
        if not key.startswith("admin:")
        and not route.startswith("admin/")
        and key not in NOT_PAGES
    }


def test_every_url_has_a_rule():
    missing = sorted(
        f"{key}  ({route})" for key, route in project_urls().items() if key not in RULES
    )
    assert not missing, (
        "URLs without a line in tests/security/test_url_matrix.py RULES "
        "(say who may use them):\n  " + "\n  ".join(missing)
    )


def test_no_rule_for_a_url_that_is_gone():
    gone = sorted(set(RULES) - set(project_urls()))
    assert not gone, f"RULES name URLs that no longer exist: {gone}"


def is_refused(response, role: str) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if role == "anonymous" and response.status_code == 302:
        return response["Location"].split("?")[0].endswith("/login/")
    return False


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def check(cast, key: str, rule: Rule) -> list[str]:
    from django.urls import reverse

    problems = []
    for role in ROLES:
        url = reverse(key, kwargs=rule.kwargs(cast))
        client = cast.client(role)
        if rule.method == "post":
            response = client.post(url, rule.data(cast))
        else:
            response = client.get(url, rule.data(cast))
        refused = is_refused(response, role)
        should = role in rule.allowed
        if should and refused:
            problems.append(
                f"{role}: refused ({response.status_code}) but the rules allow"
            )
        elif not should and not refused:
            problems.append(
                f"{role}: allowed ({response.status_code}) but the rules refuse"
            )
        elif refused and role not in rule.sees_room and response.status_code != 302:
            body = body_of(response)
            leaked = [w for w in cast.private_words(role) if w in body]
            if leaked:
                problems.append(f"{role}: refusal shows {leaked[:3]}")
        if response.status_code >= 500:
            problems.append(f"{role}: server error {response.status_code}")
    return problems


def rules_of(key: str) -> tuple[Rule, ...]:
    rule = RULES[key]
    return rule if isinstance(rule, tuple) else (rule,)


@pytest.mark.parametrize("key", sorted(RULES))
def test_url_allows_and_refuses_as_the_rules_say(cast, key):
    if key not in project_urls():
        pytest.skip(f"{key} is not a URL (test_no_rule_for_a_url_that_is_gone says so)")
    problems = []
    for rule in rules_of(key):
        problems += [f"{rule.method.upper()} {p}" for p in check(cast, key, rule)]
    assert not problems, f"{key}:\n  " + "\n  ".join(problems)


def test_the_admin_refuses_everyone_who_is_not_staff(cast):
    from django.urls import reverse

    names = [
        k
        for k, route in url_patterns()
        if k.startswith("admin:")
        and "<" not in route
        and "(?P" not in route
        and k != "admin:login"
        and k != "admin:logout"
        and k != "admin:jsi18n"
    ]
    assert "admin:index" in names
    for role in ROLES:
        client = cast.client(role)
        for name in names:
            response = client.get(reverse(name))
            assert response.status_code == 302, (role, name, response.status_code)
            assert "/admin/login/" in response["Location"], (role, name)


def test_a_forged_sign_in_link_is_refused_for_everyone(cast):
    from django.urls import reverse

    url = reverse("assembly:token_sign_in")
    for role in ROLES:
        response = cast.client(role).post(url, {"token": "x" * 43})
        assert response.status_code == 403, role
        body = body_of(response)
        assert not [w for w in cast.private_words(role) if w in body]
