"""Pages anyone can see: the home page and an assembly's overview."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from assembly.models import Assembly, Partner, Room
from assembly.selectors import current_assembly


def home(request):
    """Every assembly, the current one first (in session, else the latest); each
    with its public page and its board of resolutions."""
    current = current_assembly()
    if current is None:
        return render(request, "assembly/empty.html")
    assemblies = list(
        Assembly.objects.annotate(
            resolution_count=Count("resolutions", distinct=True),
            review_count=Count("reviews", distinct=True),
            partner_count=Count("partner_set", distinct=True),
        ).order_by("-starts_on", "-pk")
    )
    assemblies.sort(key=lambda a: a.pk != current.pk)  # stable: the rest by date
    return assembly_detail(request, pk=current.pk, assemblies=assemblies)


def assembly_detail(request, pk: int, *, assemblies=None):
    """An assembly's public page; the home page adds the list of every assembly
    (``assemblies``, the current one first) above it."""
    assembly = get_object_or_404(Assembly, pk=pk)
    rooms = (
        Room.objects.filter(assembly=assembly)
        .select_related("agenda_item__lead_agency")
        .annotate(partner_count=Count("partners"))
    )
    partners = (
        Partner.objects.filter(assembly=assembly)
        .select_related("organisation", "room")
        .order_by("organisation__sector", "organisation__name_th")
    )
    items = assembly.agenda_items.select_related("lead_agency", "room").prefetch_related(
        Prefetch("co_leads")
    )
    return render(
        request,
        "assembly/assembly_detail.html",
        {
            "assembly": assembly,
            "rooms": rooms,
            "partners": partners,
            "items": items,
            "can_manage": request.user.has_perm("assembly.manage_assembly", assembly),
            "assemblies": assemblies or [],
            "review_count": assembly.reviews.count(),
        },
    )
