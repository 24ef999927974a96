"""HTTP through Django, WebSockets through Channels, behind an Origin check."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from assembly import thai_words  # noqa: E402
from assembly.routing import websocket_urlpatterns  # noqa: E402

# PyThaiNLP's dictionary takes a second or two to build: a server builds it while
# it starts, not on the first page a delegate opens (helper T).
thai_words.warm_up_in_background()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
