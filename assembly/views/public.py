"""Pages anyone can see: the home page and an assembly's overview."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from assembly.models import Assembly, Partner, Room
from assembly.selectors import current_assembly


def home(request):
    assembly = current_assembly()
    if assembly is None:
        return render(request, "assembly/empty.html")
    return assembly_detail(request, pk=assembly.pk)


def assembly_detail(request, pk: int):
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
        },
    )
