"""Admin: read-only records. Votes are run from the room console, never here.

No column, filter or search of the admin reaches a ballot's choice: a named
poll's choices are on its record page (``voting:poll_detail``), a secret poll's
are never stored next to an organisation. Django's admin lets a query string
filter on any field (``?choice=block``); every admin here answers only the
lookups it lists (anything else is refused with 400).
"""

from django.contrib import admin

from voting import models


class ReadOnlyAdmin(admin.ModelAdmin):
    #: the query-string lookups this admin answers; every other is refused.
    allowed_lookups: frozenset[str] = frozenset()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.allowed_lookups


POLL_LOOKUPS = frozenset({"poll", "poll__id", "poll__id__exact", "poll__exact"})
PARTNER_LOOKUPS = frozenset({"partner", "partner__id", "partner__id__exact"})


@admin.register(models.Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "room", "item", "round_number", "status", "adopted"]
    list_filter = ["kind", "status", "secret"]
    list_select_related = ["room", "item"]
    allowed_lookups = frozenset(
        {"kind", "kind__exact", "status", "status__exact", "secret", "secret__exact",
         "room", "room__id__exact"}
    )


@admin.register(models.Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["poll", "partner", "cast_by", "recorded_by", "proxy"]
    list_select_related = ["poll", "partner__organisation", "cast_by", "recorded_by"]
    exclude = ["choice", "reason"]
    allowed_lookups = POLL_LOOKUPS | PARTNER_LOOKUPS


@admin.register(models.BallotEvent)
class BallotEventAdmin(ReadOnlyAdmin):
    list_display = ["poll", "partner", "delegate", "recorded_by", "proxy", "action"]
    list_select_related = ["poll", "partner__organisation", "delegate", "recorded_by"]
    exclude = ["choice"]
    allowed_lookups = POLL_LOOKUPS | PARTNER_LOOKUPS


@admin.register(models.Proxy)
class ProxyAdmin(ReadOnlyAdmin):
    list_display = ["giver", "holder", "day", "ended_at"]
    list_select_related = ["giver__organisation", "holder__organisation"]
    allowed_lookups = frozenset({"assembly", "assembly__id__exact"})
