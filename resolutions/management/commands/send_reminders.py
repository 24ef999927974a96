"""The scheduled reminders: run daily by a systemd timer (deploy/
samatcha-reminders.timer, docs/deploy.md)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef

from assembly.models import Assembly
from resolutions import selectors
from resolutions.models import Resolution
from resolutions.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the owning agencies of stale resolutions, with a link to each "
        "update page, and list the owners no reminder can reach."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--assembly", type=int, action="append", dest="assemblies",
            help="only this assembly (by id); repeatable. Default: every assembly "
            "with adopted resolutions.",
        )
        parser.add_argument(
            "--base-url", default=os.environ.get("SAMATCHA_BASE_URL", ""),
            help="the site's address for the links, e.g. https://samatcha.example.org "
            "(default: $SAMATCHA_BASE_URL)",
        )
        parser.add_argument(
            "--min-days", type=int, default=7,
            help="do not write again to an agency reminded less than this many days "
            "ago (default 7)",
        )

    def handle(self, *args, assemblies=None, base_url="", min_days=7, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(
                "Give the site's address for the links: --base-url "
                "https://... or SAMATCHA_BASE_URL."
            )
        queryset = Assembly.objects.annotate(
            has_resolutions=Exists(Resolution.objects.filter(assembly=OuterRef("pk")))
        ).filter(has_resolutions=True)
        if assemblies:
            queryset = queryset.filter(pk__in=assemblies)
        total, unreachable = 0, 0
        for assembly in queryset.order_by("starts_on", "pk"):
            sent = reminders_send(assembly=assembly, base_url=base_url,
                                  min_days_between=max(min_days, 0))
            total += sent
            self.stdout.write(f"{assembly.title_th}: {sent} reminder(s) sent")
            for contact in selectors.owner_contacts(assembly):
                if contact.reachable:
                    continue
                unreachable += 1
                why = ("no staff account" if contact.reason == "no_staff"
                       else "no staff e-mail address")
                numbers = ", ".join(r.number for r in contact.resolutions)
                self.stderr.write(
                    f"  cannot reach {contact.organisation.name_th} ({why}): "
                    f"resolutions {numbers}"
                )
        self.stdout.write(
            f"{total} reminder(s) sent; {unreachable} owner(s) cannot be reached "
            "(listed on the follow-up desk)"
        )
