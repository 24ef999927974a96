"""The two statements of a ballot: read under the poll lock, then write.

A ballot is the hottest write of the day (65 organisations in ten seconds), so
it costs what it must (docs/voting.md, "The ballot path"):

1. ``read_locked``: ONE statement reads, under a share lock on the poll row
   (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the one writer lock),
   everything the rules need: the poll's state, the room, the organisation whose
   ballot it is, the casting delegate as they are now (checked in? may vote?),
   whether that organisation gave its voice to a proxy today, whether it has a
   delegate checked in at the desk, and its current ballot.
2. ``write``: ONE statement on PostgreSQL, an upsert of the organisation's row
   (``INSERT … ON CONFLICT … DO UPDATE … WHERE`` the choice or reason differs)
   that for a named poll appends the log entry in the same statement (a data-
   modifying CTE). Two delegates of one organisation voting at once meet on the
   row (the upsert waits for the other's row lock), so no advisory lock is
   needed. On SQLite, which serialises writers, the current ballot read in 1
   decides between a plain INSERT and UPDATE, and a named poll's log entry is
   a second small INSERT (statements, not model instances: building two of
   those cost a ballot more than SQLite's writes).

A secret poll writes only ``voting_secretchoice`` here; nothing goes to the
ballot log before the poll closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from datetime import timezone as dt_timezone

from django.db import connection
from django.utils import timezone

from assembly.models import Delegate, Organisation, Room
from voting.models import Ballot, BallotEvent, SecretChoice

VOTING_KINDS = (Delegate.Kind.VOTING.value, Delegate.Kind.ALTERNATE.value)


@dataclass(frozen=True)
class Target:
    """A poll and the organisation whose ballot is cast, read under the lock."""

    poll_id: int
    room_id: int
    status: str
    kind: str
    secret: bool
    closes_at: datetime | None
    room_is_plenary: bool
    room_assembly_id: int
    partner_id: int
    partner_assembly_id: int
    partner_room_id: int | None
    organisation: Organisation
    given_proxy_holder_id: int | None  # it gave its voice today to this partner
    proxy_id: int | None
    delegate_kind: str | None  # the casting delegate now (None: recorded ballot)
    delegate_checked_in: bool
    delegate_partner_id: int | None
    checked_in_at_desk: bool  # a voting delegate or alternate is checked in
    current_choice: str | None  # None: no ballot yet
    current_reason: str | None

    @property
    def entitled(self) -> bool:
        """The organisation votes in the poll's room."""
        if self.partner_assembly_id != self.room_assembly_id:
            return False
        return self.room_is_plenary or self.partner_room_id == self.room_id


def _table(secret: bool) -> str:
    return (SecretChoice if secret else Ballot)._meta.db_table


def _read_sql(postgres: bool) -> str:
    # The current ballot is in one of two tables, by the poll's secrecy: both
    # are joined (each on its unique index), so the caller need not know it.
    return f"""
SELECT p.status, p.kind, p.secret, p.closes_at, r.kind, r.assembly_id,
       vp.assembly_id, vp.room_id, o.id, o.name_th, o.name_en, o.short_name,
       x.holder_id, x.id, d.kind, d.checked_in_at, d.partner_id,
       EXISTS (SELECT 1 FROM assembly_delegate dd
               WHERE dd.partner_id = vp.id AND dd.checked_in_at IS NOT NULL
                 AND dd.kind IN (%s, %s)),
       CASE WHEN p.secret THEN s.choice ELSE b.choice END,
       CASE WHEN p.secret THEN s.reason ELSE b.reason END
FROM voting_poll p
JOIN assembly_room r ON r.id = p.room_id
JOIN assembly_partner vp ON vp.id = %s
JOIN assembly_organisation o ON o.id = vp.organisation_id
LEFT JOIN assembly_delegate d ON d.id = %s
LEFT JOIN voting_proxy x
       ON x.giver_id = vp.id AND x.day = %s AND x.ended_at IS NULL
LEFT JOIN {_table(False)} b ON b.poll_id = p.id AND b.partner_id = vp.id
LEFT JOIN {_table(True)} s ON s.poll_id = p.id AND s.partner_id = vp.id
WHERE p.id = %s AND p.room_id = %s
{"FOR SHARE OF p" if postgres else ""}"""


def _aware(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):  # SQLite keeps UTC without the zone
        value = timezone.make_aware(value, dt_timezone.utc)
    return value


def read_locked(
    *, poll_id: int, room_id: int, partner_id: int, delegate_id: int | None, day: date
) -> Target | None:
    """The poll (of its room) and the organisation's ballot, locked for a ballot.

    Needs a transaction. On PostgreSQL the poll row is locked FOR SHARE:
    ballots proceed side by side while a close (FOR UPDATE) waits for those in
    flight, and a ballot arriving during a close waits for it, then reads the
    poll closed. None when the poll is not the room's, or the partner does not
    exist."""
    postgres = connection.vendor == "postgresql"
    params = [*VOTING_KINDS, partner_id, delegate_id, day, poll_id, room_id]
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(postgres), params)
        row = cursor.fetchone()
    if row is None:
        return None
    (status, kind, is_secret, closes_at, room_kind, room_assembly_id,
     partner_assembly_id, partner_room_id, org_id, name_th, name_en, short_name,
     holder_id, proxy_id, delegate_kind, checked_in_at, delegate_partner_id,
     at_desk, choice, reason) = row
    return Target(
        poll_id=poll_id, room_id=room_id, status=status, kind=kind,
        secret=bool(is_secret), closes_at=_aware(closes_at),
        room_is_plenary=room_kind == Room.Kind.PLENARY,
        room_assembly_id=room_assembly_id, partner_id=partner_id,
        partner_assembly_id=partner_assembly_id, partner_room_id=partner_room_id,
        organisation=Organisation(
            id=org_id, name_th=name_th, name_en=name_en, short_name=short_name
        ),
        given_proxy_holder_id=holder_id, proxy_id=proxy_id,
        delegate_kind=delegate_kind, delegate_checked_in=checked_in_at is not None,
        delegate_partner_id=delegate_partner_id, checked_in_at_desk=bool(at_desk),
        current_choice=choice, current_reason=reason,
    )


@dataclass(frozen=True)
class Row:
    """What is written: the organisation's ballot as it now stands."""

    poll_id: int
    partner_id: int
    cast_by_id: int | None
    recorded_by_id: int | None
    proxy_id: int | None
    choice: str
    reason: str


def _upsert_sql(table: str, log: bool) -> str:
    upsert = f"""
INSERT INTO {table}
    (poll_id, partner_id, cast_by_id, recorded_by_id, proxy_id, choice, reason)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (poll_id, partner_id) DO UPDATE SET
    cast_by_id = EXCLUDED.cast_by_id, recorded_by_id = EXCLUDED.recorded_by_id,
    proxy_id = EXCLUDED.proxy_id, choice = EXCLUDED.choice, reason = EXCLUDED.reason
WHERE ({table}.choice, {table}.reason)
      IS DISTINCT FROM (EXCLUDED.choice, EXCLUDED.reason)
RETURNING CASE WHEN xmax = 0 THEN 'cast' ELSE 'change' END AS action"""
    if not log:
        return upsert
    events = BallotEvent._meta.db_table
    return f"""
WITH b AS ({upsert})
INSERT INTO {events}
    (poll_id, partner_id, delegate_id, recorded_by_id, proxy_id, action, choice)
SELECT %s, %s, %s, %s, %s, b.action, %s FROM b
RETURNING action"""


_INSERT = """INSERT INTO {table}
    (poll_id, partner_id, cast_by_id, recorded_by_id, proxy_id, choice, reason)
VALUES (%s, %s, %s, %s, %s, %s, %s)"""
_UPDATE = """UPDATE {table} SET cast_by_id = %s, recorded_by_id = %s, proxy_id = %s,
    choice = %s, reason = %s
WHERE poll_id = %s AND partner_id = %s"""
_LOG = f"""INSERT INTO {BallotEvent._meta.db_table}
    (poll_id, partner_id, delegate_id, recorded_by_id, proxy_id, action, choice)
VALUES (%s, %s, %s, %s, %s, %s, %s)"""


def write(target: Target, row: Row) -> str | None:
    """Store ``row`` as the organisation's ballot; the action logged ("cast" or
    "change"), or None when the same choice and reason were already counted (a
    double tap, a resend: nothing changes, nothing is logged). A named poll's
    cast or change is appended to the ballot log; a secret poll's is not (its
    log is written at close). Needs the transaction of ``read_locked``."""
    named = not target.secret
    values = [row.poll_id, row.partner_id, row.cast_by_id, row.recorded_by_id,
              row.proxy_id, row.choice, row.reason]
    if connection.vendor == "postgresql":
        sql = _upsert_sql(_table(target.secret), log=named)
        params = values + (values[:5] + [row.choice] if named else [])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        return found[0] if found else None
    # SQLite: the one writer holds the database; the read decided between an
    # INSERT and an UPDATE, each one plain statement (no model instances).
    if target.current_choice is None:
        action = BallotEvent.Action.CAST
        sql = _INSERT.format(table=_table(target.secret))
        params = values
    elif (target.current_choice, target.current_reason) == (row.choice, row.reason):
        return None
    else:
        action = BallotEvent.Action.CHANGE
        sql = _UPDATE.format(table=_table(target.secret))
        params = values[2:] + values[:2]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if named:
            cursor.execute(_LOG, values[:5] + [action.value, row.choice])
    return action
