"""What every page needs: the CSP nonce for htmx, and who you are."""

from django.utils.functional import SimpleLazyObject

from assembly.navigation import nav_links
from assembly.predicates import delegate_of


def site(request):
    user = getattr(request, "user", None)
    delegate = delegate_of(user) if user is not None else None
    return {
        # django-htmx's {% htmx_script %} reads "csp_nonce" from the context.
        "csp_nonce": getattr(request, "csp_nonce", None),
        "me_delegate": delegate,
        # Read only when a template shows it (base.html), never for a fragment.
        "nav": SimpleLazyObject(lambda: nav_links(request)) if user is not None else [],
    }
