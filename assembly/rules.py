"""Permissions of the assembly app. Named ``assembly.<verb>_<model>``."""

import rules

from assembly.predicates import (
    is_delegate,
    is_facilitator,
    is_room_member,
    is_secretariat,
    is_secretariat_somewhere,
    is_superuser,
    runs_room,
)

# The secretariat sets up and runs the assembly; it sets up the next one too.
rules.add_perm("assembly.add_assembly", is_superuser | is_secretariat_somewhere)
rules.add_perm("assembly.manage_assembly", is_superuser | is_secretariat)
rules.add_perm("assembly.view_checkins", is_superuser | is_secretariat)
rules.add_perm("assembly.print_badges", is_superuser | is_secretariat)
rules.add_perm("assembly.issue_signinlink", is_superuser | is_secretariat)
# Accounts of the people who run it, and the check-in desk on the day.
rules.add_perm("assembly.manage_accounts", is_superuser | is_secretariat)
rules.add_perm("assembly.run_desk", is_superuser | is_secretariat)
# A room is run by its facilitators; the plenary by the secretariat.
rules.add_perm("assembly.run_room", runs_room)
# A room is followed by its seated delegates and by those who run it.
rules.add_perm(
    "assembly.view_room",
    is_superuser | is_room_member | is_facilitator | is_secretariat,
)
rules.add_perm(
    "assembly.view_assembly_private", is_superuser | is_secretariat | is_delegate
)
