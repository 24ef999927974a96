import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "assembly"
    verbose_name = _("Assembly")

    def ready(self):
        from assembly import checks  # noqa: F401 - registers the deploy checks

        # live.py registers this app's parts of a room's snapshot, if it has any.
        if importlib.util.find_spec(f"{self.name}.live"):
            importlib.import_module(f"{self.name}.live")
