from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Username and password, for the secretariat, facilitators and agency staff."""

    error_messages = {
        "invalid_login": _(
            "The username or password is not right. After several failed tries "
            "this username is locked at this address for a while."
        ),
        "inactive": _("This account is inactive."),
    }
