"""Who someone is at an assembly, as django-rules predicates.

Every predicate takes (user, obj) where obj is an Assembly or anything that leads
to one (a Room, Partner, Delegate, AgendaItem, Poll, Resolution ...), resolved by
``assembly_of``. Predicates never raise on a foreign object: they answer False.
"""

from __future__ import annotations

import rules

from assembly.models import Assembly, Delegate, Organisation, Partner, Room


def assembly_of(obj) -> Assembly | None:
    if obj is None:
        return None
    if isinstance(obj, Assembly):
        return obj
    for attr in ("assembly", "room", "partner", "item"):
        if hasattr(obj, attr + "_id") or hasattr(obj, attr):
            target = getattr(obj, attr, None)
            if target is not None and target is not obj:
                found = assembly_of(target)
                if found is not None:
                    return found
    return None


def room_of(obj) -> Room | None:
    if isinstance(obj, Room):
        return obj
    room = getattr(obj, "room", None)
    if isinstance(room, Room):
        return room
    item = getattr(obj, "item", None)
    if item is not None:
        return item.room
    return None


# Where ``delegate_of`` keeps a user's delegate for the rest of the request
# (``assembly.backends`` fills it when it loads the user).
DELEGATE_ATTR = "_samatcha_delegate"


def delegate_of(user) -> Delegate | None:
    """The delegate a signed-in person is, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, DELEGATE_ATTR, False)
    if cached is not False:
        return cached
    try:
        delegate = Delegate.objects.select_related(
            "partner__organisation", "partner__room", "partner__assembly"
        ).get(user=user)
    except Delegate.DoesNotExist:
        delegate = None
    setattr(user, DELEGATE_ATTR, delegate)
    return delegate


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_secretariat(user, obj) -> bool:
    assembly = assembly_of(obj)
    if assembly is None or not getattr(user, "is_authenticated", False):
        return False
    return assembly.secretariat.filter(pk=user.pk).exists()


@rules.predicate
def is_facilitator(user, obj) -> bool:
    """Facilitator of the room the object belongs to."""
    room = room_of(obj)
    if room is None or not getattr(user, "is_authenticated", False):
        return False
    return room.facilitators.filter(pk=user.pk).exists()


@rules.predicate
def is_delegate(user, obj) -> bool:
    """A delegate (of any kind) of a partner of the object's assembly."""
    delegate = delegate_of(user)
    assembly = assembly_of(obj)
    return bool(delegate and assembly and delegate.partner.assembly_id == assembly.pk)


@rules.predicate
def is_room_member(user, obj) -> bool:
    """A delegate seated in the object's room (every partner sits in the plenary)."""
    delegate = delegate_of(user)
    room = room_of(obj)
    if delegate is None or room is None:
        return False
    if delegate.partner.assembly_id != room.assembly_id:
        return False
    return room.is_plenary or delegate.partner.room_id == room.pk


@rules.predicate
def may_vote(user) -> bool:
    """A voting delegate or alternate (not an observer)."""
    delegate = delegate_of(user)
    return bool(delegate and delegate.may_vote)


@rules.predicate
def is_checked_in(user) -> bool:
    delegate = delegate_of(user)
    return bool(delegate and delegate.checked_in_at)


@rules.predicate
def is_staff_of(user, organisation) -> bool:
    if not isinstance(organisation, Organisation):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return organisation.staff.filter(pk=user.pk).exists()


def partner_of(user) -> Partner | None:
    delegate = delegate_of(user)
    return delegate.partner if delegate else None


@rules.predicate
def is_plenary_room(user, obj) -> bool:
    room = room_of(obj)
    return bool(room and room.is_plenary)


# Those who run a room: its facilitators; the secretariat runs the plenary and
# any breakout room as a backup facilitator (a facilitator falls ill, a laptop
# dies: the secretariat opens the room's console from its screens page).
runs_room = is_facilitator | is_secretariat


@rules.predicate
def is_secretariat_somewhere(user) -> bool:
    """On the secretariat of at least one assembly (may set up the next one)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Assembly.objects.filter(secretariat=user).exists()
