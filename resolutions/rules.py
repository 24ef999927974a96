"""Permissions of the follow-up of resolutions. Named ``resolutions.<verb>_<model>``.

Who may do what to a resolution (the object of every permission here):

Owners are every owning agency: the one named first and the joint owners.

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
from django.db.models import Q

from assembly.models import Organisation
from assembly.predicates import is_secretariat, is_superuser
from resolutions.models import Resolution


@rules.predicate
def is_owner_staff(user, resolution) -> bool:
    """Staff of one of the agencies that own the resolution (the one named first
    or a joint owner)."""
    if not isinstance(resolution, Resolution) or resolution.pk is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return Organisation.objects.filter(
        Q(pk=resolution.owner_id) | Q(co_owned_resolutions=resolution), staff=user
    ).exists()


@rules.predicate
def is_supporter_staff(user, resolution) -> bool:
    """Staff of one of the resolution's supporting agencies (not an owner)."""
    if not isinstance(resolution, Resolution) or resolution.pk is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if is_owner_staff(user, resolution):
        return False
    return resolution.supporters.filter(staff=user).exists()


rules.add_perm("resolutions.add_progressupdate", is_owner_staff)
rules.add_perm("resolutions.add_note", is_supporter_staff)
rules.add_perm("resolutions.correct_progressupdate", is_superuser | is_secretariat)
rules.add_perm("resolutions.change_resolution", is_superuser | is_secretariat)
rules.add_perm("resolutions.follow_up_assembly", is_superuser | is_secretariat)
