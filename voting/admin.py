"""Admin: read-only records. Votes are run from the room console, never here,
and a secret poll's choices are never shown."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from voting import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "room", "item", "round_number", "status", "adopted"]
    list_filter = ["kind", "status", "secret"]
    list_select_related = ["room", "item"]


@admin.register(models.Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["poll", "partner", "shown_choice", "cast_by", "updated_at"]
    list_select_related = ["poll", "partner__organisation", "cast_by"]
    exclude = ["choice", "reason"]
    readonly_fields = ["shown_choice"]

    @admin.display(description=_("Choice"))
    def shown_choice(self, ballot):
        return "—" if ballot.poll.secret else ballot.choice


@admin.register(models.BallotEvent)
class BallotEventAdmin(ReadOnlyAdmin):
    list_display = ["poll", "partner", "delegate", "action", "choice", "at"]
    list_select_related = ["poll", "partner__organisation", "delegate"]
