from django.contrib import admin

from agenda import models

admin.site.register(models.AgendaItem)
admin.site.register(models.DraftVersion)
admin.site.register(models.Amendment)
admin.site.register(models.SpeakerRequest)
