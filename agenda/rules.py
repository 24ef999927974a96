"""Permissions of the agenda app. Named ``agenda.<verb>_<model>``.

The object is the agenda item (an amendment also works wherever the item does;
``build_plenarydocument``, ``view_plenarydocument`` and ``add_agendaitem`` take the
assembly). These rules say who someone is, not what state things are in: a
service refuses a closed item or a decided amendment with its own message.
"""

from __future__ import annotations

import rules

from agenda.models import AgendaItem, Amendment
from assembly.models import Room
from assembly.predicates import (
    assembly_of,
    delegate_of,
    is_delegate,
    is_room_member,
    is_secretariat,
    is_superuser,
    may_vote,
    runs_room,
)


def item_of(obj) -> AgendaItem | None:
    if isinstance(obj, AgendaItem):
        return obj
    if isinstance(obj, Amendment):
        return obj.item
    return None


@rules.predicate
def is_plenary_item(user, obj) -> bool:
    """An item discussed by the whole assembly: no breakout room of its own."""
    item = item_of(obj)
    return bool(item and (item.room_id is None or item.room.is_plenary))


@rules.predicate
def is_proposing_organisation(user, obj) -> bool:
    """A delegate of the organisation that proposed the amendment."""
    delegate = delegate_of(user)
    if delegate is None or not isinstance(obj, Amendment):
        return False
    return delegate.partner_id == obj.partner_id


@rules.predicate
def facilitates_in_assembly(user, obj) -> bool:
    """A facilitator of any room of the object's assembly."""
    assembly = assembly_of(obj)
    if assembly is None or not getattr(user, "is_authenticated", False):
        return False
    return Room.objects.filter(assembly=assembly, facilitators=user).exists()


# Seated in the item's room; every partner sits in the plenary.
is_item_member = is_room_member | (is_plenary_item & is_delegate)
# Those who run the item's room; the secretariat runs the plenary.
runs_item = runs_room | (is_plenary_item & is_secretariat)

# The secretariat prepares the drafts and consolidates them.
rules.add_perm("agenda.add_agendaitem", is_superuser | is_secretariat)
rules.add_perm("agenda.change_draft", is_superuser | is_secretariat)
rules.add_perm("agenda.build_plenarydocument", is_superuser | is_secretariat)
rules.add_perm("agenda.decide_item", is_superuser | is_secretariat)
# A delegate who may use the organisation's voice proposes in their own room.
rules.add_perm("agenda.propose_amendment", is_item_member & may_vote)
# The proposing organisation keeps control of its amendment.
rules.add_perm("agenda.change_amendment", is_proposing_organisation & may_vote)
rules.add_perm("agenda.withdraw_amendment", is_proposing_organisation & may_vote)
rules.add_perm("agenda.consent_amendment", is_proposing_organisation & may_vote)
# The facilitators run the room: the clause under discussion, the amendment
# queue, the room's agreement.
rules.add_perm("agenda.run_item", runs_item)
rules.add_perm("agenda.manage_amendment", runs_item)
rules.add_perm("agenda.agree_item", runs_item)
# A room's work is followed by its members, those who run it and the secretariat;
# the plenary document by everyone taking part in the assembly.
rules.add_perm(
    "agenda.view_item", is_superuser | is_item_member | runs_item | is_secretariat
)
rules.add_perm(
    "agenda.view_plenarydocument",
    is_superuser | is_secretariat | is_delegate | facilitates_in_assembly,
)
# In the plenary, a delegate who may use the organisation's voice sends written
# comments on an item of the consolidated document (object: the item); the
# secretariat reads them all (object: the assembly or the item).
rules.add_perm("agenda.add_plenarycomment", is_delegate & may_vote)
rules.add_perm("agenda.read_plenarycomment", is_superuser | is_secretariat)
