"""Importing partners and delegates: the plan against the database, and applying it.

``assembly.importing`` reads and checks the file without the database; here the
clean rows meet the database. ``partners_import_preview`` says what an import
would create and change (or why it cannot run) and changes nothing;
``partners_import`` applies it in one transaction, all or nothing.

Matching, so that importing the same file twice changes nothing:

* an organisation by its Thai name (``Organisation.name_th`` is unique across
  assemblies: next year's assembly reuses it); its English name and short name
  are filled in or corrected when the file gives them, its sector set when it
  differs, **but only when the importer runs every assembly that shows the
  organisation** (``selectors.organisations_not_editable_by``). An organisation
  another secretariat's assembly shows keeps its names and sector: a line that
  would change them is an error saying so, and the line imports once its cells
  are empty or equal to what is stored. Its names are one for every year and
  every page (the agency page, the public board); a site administrator changes
  them for all (issue 11, item 11);
* a partner by (assembly, organisation); its breakout room moved when it differs;
* a delegate by (partner, Thai name); role set when it differs, English name,
  phone and email when the file gives one that differs. An empty cell never
  erases what is stored. Delegates not in the file are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assembly import selectors, services, thai_words
from assembly.importing import COLUMN_LABELS, ImportRow, RowError, Table, validate_rows
from assembly.models import (
    Assembly,
    AuditEvent,
    Delegate,
    Organisation,
    Partner,
    Room,
    Sector,
)

CREATE = "create"
UPDATE = "update"
WHAT = {
    "organisation": pgettext_lazy("import", "Organisation"),
    "partner": pgettext_lazy("import", "Partner of this assembly"),
    "delegate": pgettext_lazy("import", "Delegate"),
}
FIELD_LABELS = {
    "name_en": pgettext_lazy("import", "English name"),
    "short_name": COLUMN_LABELS["short_name"],
    "sector": COLUMN_LABELS["sector"],
    "room": COLUMN_LABELS["room"],
    "kind": COLUMN_LABELS["role"],
    "phone": COLUMN_LABELS["phone"],
    "email": COLUMN_LABELS["email"],
}


@dataclass
class PlannedChange:
    """One thing the import creates or changes; ``fields`` lists what changes."""

    line: int
    what: str  # organisation / partner / delegate
    action: str  # create / update
    name: str
    organisation: str = ""
    # (field, old value, new value)
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def what_label(self) -> str:
        return str(WHAT[self.what])

    @property
    def shown_fields(self) -> list[tuple[str, str, str]]:
        """(label, old, new) with choices shown by their labels."""
        return [
            (str(FIELD_LABELS.get(name, name)), _shown(name, old), _shown(name, new))
            for name, old, new in self.fields
        ]


def _shown(name: str, value: str) -> str:
    choices = {"sector": Sector, "kind": Delegate.Kind}.get(name)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return value


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    errors: list[RowError]
    changes: list[PlannedChange] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(1 for c in self.changes if c.action == CREATE)

    @property
    def changed(self) -> int:
        return sum(1 for c in self.changes if c.action == UPDATE)

    def count(self, what: str, action: str) -> int:
        return sum(1 for c in self.changes if c.what == what and c.action == action)

    @property
    def summary(self) -> dict[str, int]:
        return {
            f"{what}_{action}": self.count(what, action)
            for what in WHAT for action in (CREATE, UPDATE)
        }


def breakout_room_numbers(assembly: Assembly) -> set[int]:
    return set(
        Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT)
        .values_list("number", flat=True)
    )


def partners_import_preview(*, assembly: Assembly, table: Table,
                            actor=None) -> ImportPlan:
    """Check every row and say what the import by ``actor`` would do. Changes
    nothing."""
    rows, errors = validate_rows(table, room_numbers=breakout_room_numbers(assembly))
    plan = partners_import_plan(assembly=assembly, rows=rows, actor=actor)
    plan.errors = sorted(errors + plan.errors, key=lambda e: e.line)
    plan.ignored_columns = table.ignored_columns
    return plan


def partners_import_plan(*, assembly: Assembly, rows: list[ImportRow],
                         actor=None) -> ImportPlan:
    """What importing these (already checked) rows would create and change, and
    the errors only the database can show: a room that no longer exists, a
    second voting delegate next to one already registered, a change to an
    organisation that an assembly ``actor`` does not run shows."""
    rooms = {
        r.number: r
        for r in Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT)
    }
    org_names = {row.organisation for row in rows}
    orgs = {o.name_th: o for o in Organisation.objects.filter(name_th__in=org_names)}
    partners = {
        p.organisation.name_th: p
        for p in Partner.objects.filter(
            assembly=assembly, organisation__name_th__in=org_names
        ).select_related("organisation", "room")
    }
    existing: dict[str, dict[str, Delegate]] = {}
    for d in Delegate.objects.filter(partner__in=partners.values()).select_related(
        "partner__organisation"
    ):
        existing.setdefault(d.partner.organisation.name_th, {})[d.name_th] = d

    blocked = selectors.organisations_not_editable_by(
        actor, [o.pk for o in orgs.values()]
    )
    plan = ImportPlan(rows=rows, errors=[])
    seen_orgs: set[str] = set()
    final_kinds: dict[str, dict[str, str]] = {
        name: {n: d.kind for n, d in ds.items()} for name, ds in existing.items()
    }
    for row in rows:
        if row.room not in rooms:
            plan.errors.append(RowError(row.line, _(
                "Room %(room)s no longer exists in this assembly."
            ) % {"room": row.room}, "room"))
            continue
        if row.organisation not in seen_orgs:
            seen_orgs.add(row.organisation)
            org = orgs.get(row.organisation)
            _plan_organisation(plan, row, org, blocked.get(org.pk) if org else None)
            _plan_partner(plan, row, partners.get(row.organisation), rooms[row.room])
        delegate = existing.get(row.organisation, {}).get(row.delegate)
        _plan_delegate(plan, row, delegate)
        final_kinds.setdefault(row.organisation, {})[row.delegate] = row.role
    for row in rows:
        kinds = final_kinds.get(row.organisation, {})
        voting = [n for n, k in kinds.items() if k == Delegate.Kind.VOTING]
        if row.role == Delegate.Kind.VOTING and len(voting) > 1:
            others = ", ".join(n for n in voting if n != row.delegate)
            plan.errors.append(RowError(row.line, _(
                "%(organisation)s already has a voting delegate in this assembly: "
                "%(others)s. Make one of them an alternate or an observer."
            ) % {"organisation": row.organisation, "others": others}, "role"))
    return plan


def _differences(obj, wanted: dict[str, str], *, keep_blank: bool = True):
    """(field, old, new) for each field whose wanted value differs; a blank
    wanted value leaves the stored one alone."""
    out = []
    for name, new in wanted.items():
        old = getattr(obj, name)
        if (new or not keep_blank) and old != new:
            out.append((name, old, new))
    return out


# The file's column for each of an organisation's fields.
ORGANISATION_COLUMNS = {
    "name_en": "organisation_en", "short_name": "short_name", "sector": "sector",
}


def _plan_organisation(plan: ImportPlan, row: ImportRow, org: Organisation | None,
                       shown_elsewhere: list[Assembly] | None):
    """``shown_elsewhere``: the assemblies showing ``org`` that the importer
    does not run (its names and sector are then not the import's to change)."""
    if org is None:
        plan.changes.append(
            PlannedChange(row.line, "organisation", CREATE, row.organisation)
        )
        return
    diff = _differences(org, {
        "name_en": row.organisation_en, "short_name": row.short_name,
        "sector": row.sector,
    })
    if diff and shown_elsewhere:
        plan.errors.append(_shared_organisation_error(row, org, diff, shown_elsewhere))
        return
    if diff:
        plan.changes.append(
            PlannedChange(
                row.line, "organisation", UPDATE, row.organisation, fields=diff
            )
        )


def _shared_organisation_error(row: ImportRow, org: Organisation, diff,
                               shown_elsewhere: list[Assembly]) -> RowError:
    titles = [a.title for a in shown_elsewhere[:2]]
    if len(shown_elsewhere) > 2:
        titles.append(_("%(n)s more") % {"n": len(shown_elsewhere) - 2})
    fields = ", ".join(str(FIELD_LABELS[name]) for name, _old, _new in diff)
    current = "; ".join(
        f"{FIELD_LABELS[name]}: {_shown(name, old) or '–'}" for name, old, _new in diff
    )
    return RowError(row.line, _(
        "%(organisation)s is also shown by %(assemblies)s, which you do not run, "
        "so this import cannot change its %(fields)s: they would change there too. "
        "Leave those cells empty or as they are now (%(current)s) to import this "
        "line. A site administrator can change them for every assembly."
    ) % {"organisation": org.name_th, "assemblies": ", ".join(titles),
         "fields": fields, "current": current},
        ORGANISATION_COLUMNS[diff[0][0]])


def _plan_partner(
    plan: ImportPlan, row: ImportRow, partner: Partner | None, room: Room
):
    if partner is None:
        plan.changes.append(PlannedChange(
            row.line, "partner", CREATE, row.organisation,
            fields=[("room", "", str(room.number))],
        ))
    elif partner.room_id != room.pk:
        old = str(partner.room.number) if partner.room else ""
        plan.changes.append(PlannedChange(
            row.line, "partner", UPDATE, row.organisation,
            fields=[("room", old, str(room.number))],
        ))


def _plan_delegate(plan: ImportPlan, row: ImportRow, delegate: Delegate | None):
    if delegate is None:
        plan.changes.append(PlannedChange(
            row.line, "delegate", CREATE, row.delegate, organisation=row.organisation,
        ))
        return
    diff = _differences(delegate, {
        "name_en": row.delegate_en, "kind": row.role, "phone": row.phone,
        "email": row.email,
    })
    if diff:
        plan.changes.append(PlannedChange(
            row.line, "delegate", UPDATE, row.delegate, organisation=row.organisation,
            fields=diff,
        ))


@transaction.atomic
def partners_import(*, assembly: Assembly, rows: list[ImportRow], actor,
                    filename: str = "") -> ImportPlan:
    """Create and update the organisations, partners and delegates of ``rows``.

    ``rows`` come from ``importing.validate_rows`` with no errors. The plan is
    made again under a lock on the assembly (two imports never interleave); if
    it has any error, nothing changes and ``ValidationError`` lists them all.
    Needs ``assembly.manage_assembly``. Records an ``IMPORT`` audit event.
    """
    if actor is None or not actor.has_perm("assembly.manage_assembly", assembly):
        raise PermissionDenied(
            _("Only the secretariat of this assembly can import partners.")
        )
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    plan = partners_import_plan(assembly=assembly, rows=rows, actor=actor)
    if plan.errors:
        raise ValidationError([
            _("Line %(line)s: %(message)s") % {"line": e.line, "message": e.message}
            for e in plan.errors
        ])
    _apply(assembly, rows)
    services.audit(
        AuditEvent.Kind.IMPORT, actor=actor, assembly=assembly, filename=filename[:200],
        rows=len(rows), **plan.summary,
    )
    return plan


def _apply(assembly: Assembly, rows: list[ImportRow]) -> None:
    """Write the rows: a few queries per kind of thing, then one or two per
    new or changed delegate (new ones through ``services.delegate_create``)."""
    firsts: dict[str, ImportRow] = {}
    for row in rows:
        firsts.setdefault(row.organisation, row)
    orgs = _organisations_save(firsts)
    partners = _partners_save(assembly, firsts, orgs)
    delegates = {
        (d.partner_id, d.name_th): d
        for d in Delegate.objects.filter(partner__in=partners.values())
    }
    for row in rows:
        partner = partners[row.organisation]
        delegate = delegates.get((partner.pk, row.delegate))
        if delegate is None:
            services.delegate_create(
                partner=partner, name_th=row.delegate, name_en=row.delegate_en,
                kind=row.role, phone=row.phone, email=row.email,
            )
        else:
            _update(delegate, {
                "name_en": row.delegate_en, "kind": row.role, "phone": row.phone,
                "email": row.email,
            }, exclude=["user"])


def _organisations_save(firsts: dict[str, ImportRow]) -> dict[str, Organisation]:
    orgs = {o.name_th: o for o in Organisation.objects.filter(name_th__in=list(firsts))}
    new = []
    for name, row in firsts.items():
        wanted = {"name_en": row.organisation_en, "short_name": row.short_name,
                  "sector": row.sector}
        if name in orgs:
            _update(orgs[name], wanted)
        else:
            org = Organisation(name_th=name, **wanted)
            org.full_clean(validate_unique=False, validate_constraints=False)
            new.append(org)
    if new:
        Organisation.objects.bulk_create(new)
        thai_words.vocabulary_changed()  # bulk_create sends no post_save
        orgs.update(
            (o.name_th, o)
            for o in Organisation.objects.filter(name_th__in=[o.name_th for o in new])
        )
    return orgs


def _partners_save(assembly: Assembly, firsts: dict[str, ImportRow],
                   orgs: dict[str, Organisation]) -> dict[str, Partner]:
    rooms = {r.number: r for r in Room.objects.filter(assembly=assembly)}
    by_org = {
        p.organisation_id: p
        for p in Partner.objects.filter(
            assembly=assembly, organisation__in=orgs.values()
        )
    }
    new = []
    for name, row in firsts.items():
        partner = by_org.get(orgs[name].pk)
        room = rooms[row.room]
        if partner is None:
            new.append(Partner(assembly=assembly, organisation=orgs[name], room=room))
        elif partner.room_id != room.pk:
            services.partner_add(assembly=assembly, organisation=orgs[name], room=room)
    if new:
        Partner.objects.bulk_create(new)
    return {
        p.organisation.name_th: p
        for p in Partner.objects.filter(
            assembly=assembly, organisation__in=orgs.values()
        ).select_related("organisation")
    }


def _update(obj, wanted: dict[str, str], exclude: list[str] | None = None) -> None:
    """Save the fields whose wanted value differs (a blank one changes nothing)."""
    diff = _differences(obj, wanted)
    if diff:
        for name, _old, new in diff:
            setattr(obj, name, new)
        # Names, the matching keys, never change here: no uniqueness to check.
        obj.full_clean(
            exclude=exclude, validate_unique=False, validate_constraints=False
        )
        obj.save(update_fields=[name for name, _old, _new in diff])
