"""Every refusal of a signed-in person is written to the audit log, whichever
app refused it: one place, so a new page cannot forget to."""

from __future__ import annotations

from django.apps import apps

from assembly import services
from assembly.proxy import client_address
from assembly.models import AuditEvent


def _assembly_id(match) -> int | None:
    """The assembly a URL is about, from its arguments."""
    if match is None:
        return None
    kwargs, namespace = match.kwargs, match.namespace
    if "assembly_id" in kwargs:
        return kwargs["assembly_id"]
    if namespace == "assembly" and "pk" in kwargs:
        return kwargs["pk"]
    lookups = [
        ("room_id", "assembly.Room"),
        ("item_id", "agenda.AgendaItem"),
    ]
    if namespace == "resolutions" and "pk" in kwargs:
        lookups.append(("pk", "resolutions.Resolution"))
    for key, model in lookups:
        if key in kwargs:
            found = (
                apps.get_model(model).objects.filter(pk=kwargs[key])
                .values_list("assembly_id", flat=True).first()
            )
            if found is not None:
                return found
    return None


class RefusalAuditMiddleware:
    """Records PERMISSION_REFUSED for a 403 answered to a signed-in person
    (CSRF failures included), unless the view already recorded the refusal
    (``request.refusal_audited``, e.g. a refused ballot)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code == 403
            and user is not None
            and user.is_authenticated
            and not getattr(request, "refusal_audited", False)
        ):
            assembly_id = _assembly_id(getattr(request, "resolver_match", None))
            services.audit(
                AuditEvent.Kind.PERMISSION_REFUSED, actor=user,
                assembly=apps.get_model("assembly.Assembly").objects.filter(
                    pk=assembly_id
                ).first() if assembly_id else None,
                address=client_address(request),
                path=request.path[:200], method=request.method,
            )
        return response
