from django.contrib import admin

from voting import models


@admin.register(models.Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["__str__", "room", "status", "adopted"]
    list_filter = ["kind", "status"]
