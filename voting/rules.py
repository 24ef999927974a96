"""Permissions of the voting app. Named ``voting.<verb>_<model>``.

The object is a Room or a Poll (``assembly.predicates`` resolves either).
"""

import rules

from assembly.predicates import (
    is_checked_in,
    is_facilitator,
    is_room_member,
    is_secretariat,
    is_superuser,
    may_vote,
    runs_room,
)

# Only those who run the room prepare, open and close its votes: the facilitator;
# in the plenary, the secretariat.
rules.add_perm("voting.run_poll", runs_room)
# The plenary's consensus round on all items (prepare, open, close): the
# secretariat, which runs the plenary; a plenary facilitator runs item rounds.
# (Only the plenary holds one: the service refuses a breakout room.)
rules.add_perm("voting.run_all_items_poll", is_superuser | is_secretariat)
# A checked-in voting delegate or alternate seated in the room casts the
# organisation's ballot. The service checks the same again under the poll lock.
rules.add_perm("voting.cast_ballot", is_room_member & may_vote & is_checked_in)
# The room's result panel and a poll's record.
rules.add_perm(
    "voting.view_poll",
    is_superuser | is_room_member | is_facilitator | is_secretariat,
)
# The secretariat records which absent partner gives its voice to which other.
rules.add_perm("voting.manage_proxy", is_superuser | is_secretariat)
