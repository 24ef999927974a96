from django.core.management.base import BaseCommand

from assembly.models import Assembly


class Command(BaseCommand):
    help = "Load the demo assembly (Khon Kaen, 24 November 2566)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="do nothing when the database already holds an assembly",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Assembly.objects.exists():
            self.stdout.write("The database already holds an assembly; not loading the demo.")
            return
        from assembly.demo import load

        assembly = load()
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo assembly: {assembly.title_th}"))
