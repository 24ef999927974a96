from django.contrib import admin

from resolutions import models


@admin.register(models.Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "method", "adopted_on"]
    list_filter = ["assembly", "method"]
