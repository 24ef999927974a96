"""HTTP through Django, WebSockets through Channels, behind an Origin check.

Outermost, ``TrustedProxyMiddleware`` settles the client's address and scheme
for both (believing X-Forwarded-* only from ``DJANGO_TRUSTED_PROXIES``).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from assembly.origin import SameOriginValidator  # noqa: E402
from assembly.proxy import TrustedProxyMiddleware  # noqa: E402
from assembly.routing import websocket_urlpatterns  # noqa: E402

application = TrustedProxyMiddleware(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # Scheme, host and port of the Origin checked (assembly/origin.py).
            "websocket": SameOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
