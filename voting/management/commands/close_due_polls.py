"""Close every poll whose countdown has run out (once, or every N seconds), and
finish cleaning a closed secret poll's choices out of the database's pages when
the close could not (``voting.scrub``)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from voting import scrub
from voting.services import close_due_polls


class Command(BaseCommand):
    help = "Close open polls whose countdown has run out."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="keep running, checking every this many seconds (0: once)",
        )

    def handle(self, *args, every: float = 0, **options):
        while True:
            closed = close_due_polls()
            if closed:
                self.stdout.write(f"closed {closed} poll(s)")
            scrub.scrub_pending()
            if not every:
                return
            close_old_connections()
            time.sleep(every)
