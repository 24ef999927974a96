"""Print how to sign in to the demo: who, and with which link or password.

Links are stored only as digests, so each run issues fresh links for the people
it prints (their earlier links stop working, and the screens those signed in).
The token is after "#": it never reaches a server's log.
"""

from django.core.management.base import BaseCommand
from django.urls import NoReverseMatch, reverse

from assembly import links, services
from assembly.demo import DEMO_PASSWORD
from assembly.models import Assembly, Delegate, Room
from assembly.selectors import current_assembly


class Command(BaseCommand):
    help = "Print sign-in links for the demo assembly's people and the public board."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url, **options):
        base = base_url.rstrip("/")
        assembly = current_assembly()
        if assembly is None:
            self.stdout.write("No assembly loaded.")
            return
        login = base + reverse("assembly:login")
        out = [f"\nSamatcha: {assembly.title_th}", f"  Home: {base}/", ""]
        out.append(f"Staff sign in at {login} (demo password: {DEMO_PASSWORD})")
        secretariat = assembly.secretariat.order_by("username").first()
        if secretariat is not None:
            out.append(f"  secretariat:        {secretariat.username}")
            # Every role has a personal link too; the password is never required.
            token = services.signin_link_issue(user=secretariat)
            out.append(f"  (or the secretariat's personal link: "
                       f"{links.sign_in_url(base, token)})")
        for room in Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT):
            f = room.facilitators.order_by("username").first()
            if f:
                out.append(f"  facilitator, room {room.number}: {f.username}")
        item = assembly.agenda_items.select_related("lead_agency").first()
        if item is not None:
            staff = item.lead_agency.staff.order_by("username").first()
            if staff:
                out.append(f"  lead agency ({item.lead_agency.label}): {staff.username}")
        out.append("")
        out.append("Delegates sign in with a personal link (fresh links, issued now):")
        delegates = (
            Delegate.objects.filter(partner__assembly=assembly, kind=Delegate.Kind.VOTING)
            .select_related("partner__organisation", "partner__room")
            .order_by("partner__room__number", "pk")
        )
        shown = []
        for room_number in (1, 1, 2):
            pick = next(
                (d for d in delegates if d.partner.room and d.partner.room.number == room_number
                 and d not in shown), None,
            )
            if pick:
                shown.append(pick)
        for d in shown:
            token = services.signin_link_issue(delegate=d)
            url = links.sign_in_url(base, token)
            out.append(f"  {d.name_th} ({d.partner.organisation.label}, room "
                       f"{d.partner.room.number}): {url}")
        out.append("")
        try:
            board = base + reverse("resolutions:board", kwargs={"assembly_id": assembly.pk})
        except NoReverseMatch:
            board = base + reverse("assembly:detail", kwargs={"pk": assembly.pk})
        out.append(f"Public board: {board}")
        # Every assembly keeps its board: the earlier ones carry the resolutions
        # and their progress, the one in session reviews them.
        for other in Assembly.objects.exclude(pk=assembly.pk).order_by("-starts_on"):
            url = base + reverse("resolutions:board", kwargs={"assembly_id": other.pk})
            out.append(f"  {other.title_th}: {url}")
        if assembly.reviews.exists():
            url = base + reverse("resolutions:review", kwargs={"assembly_id": assembly.pk})
            out.append(f"Review of the earlier resolutions: {url}")
        for room in Room.objects.filter(assembly=assembly):
            try:
                url = base + reverse("agenda:projector", kwargs={"token": room.projector_token})
            except NoReverseMatch:
                break
            out.append(f"  projector, {room.name_en or room.name_th}: {url}")
        self.stdout.write("\n".join(out) + "\n")
