"""Permissions of the follow-up of resolutions. Named ``resolutions.<verb>_<model>``.

Who may do what to a resolution (the object of every permission here):

| action                                   | owner's staff | supporter's staff | secretariat |
|------------------------------------------|---------------|-------------------|-------------|
| post a progress update (status, percent) | yes           | no                | no          |
| add a note (no status, no percent)       | no            | yes               | no          |
| correct progress (with a reason)         | no            | no                | yes         |
| reassign, supporters, target, indicator  | no            | no                | yes         |

Everyone else (delegates, facilitators, other agencies, the public) reads only.
The follow-up desk of an assembly (stale list, reminders, weights) takes the
assembly (or anything leading to one) and is the secretariat's.
"""

import rules

from assembly.predicates import is_secretariat, is_staff_of, is_superuser


@rules.predicate
def is_owner_staff(user, resolution) -> bool:
    """Staff of the agency that owns the resolution."""
    owner = getattr(resolution, "owner", None)
    return bool(is_staff_of(user, owner))


@rules.predicate
def is_supporter_staff(user, resolution) -> bool:
    """Staff of one of the resolution's supporting agencies (not the owner)."""
    if resolution is None or not getattr(user, "is_authenticated", False):
        return False
    supporters = getattr(resolution, "supporters", None)
    if supporters is None:
        return False
    return supporters.filter(staff=user).exclude(pk=resolution.owner_id).exists()


rules.add_perm("resolutions.add_progressupdate", is_owner_staff)
rules.add_perm("resolutions.add_note", is_supporter_staff)
rules.add_perm("resolutions.correct_progressupdate", is_superuser | is_secretariat)
rules.add_perm("resolutions.change_resolution", is_superuser | is_secretariat)
rules.add_perm("resolutions.follow_up_assembly", is_superuser | is_secretariat)
