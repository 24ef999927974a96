"""Where a person starts after signing in: their own work, not the public page."""

from django.shortcuts import redirect

from assembly.navigation import landing_url


def start(request):
    """Send a signed-in person to their work (``navigation.landing_url``); anyone
    else to the sign-in page. ``LOGIN_REDIRECT_URL`` points here."""
    return redirect(landing_url(request.user))
