"""Thai first: the language is Thai unless the person chose English.

Django's LocaleMiddleware also follows the browser's Accept-Language, which
would show most visitors' phones English; here only the explicit choice made
with the language switch (kept in the language cookie for the browser session)
counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
