"""The admin is for repairs, not daily work: the secretariat pages are."""

from django.contrib import admin

from assembly import models


@admin.register(models.Assembly)
class AssemblyAdmin(admin.ModelAdmin):
    list_display = ["title_th", "edition", "starts_on", "status"]
    filter_horizontal = ["secretariat"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_th", "short_name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name_th", "name_en", "short_name"]
    filter_horizontal = ["staff"]


@admin.register(models.Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name_th", "assembly", "kind", "number"]
    filter_horizontal = ["facilitators"]


@admin.register(models.Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "assembly", "room"]
    list_filter = ["assembly", "room"]


@admin.register(models.Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["name_th", "partner", "kind", "checked_in_at"]
    list_filter = ["kind", "partner__assembly"]
    search_fields = ["name_th", "name_en"]
    raw_id_fields = ["user", "partner"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "actor", "address"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
