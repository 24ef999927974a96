"""HTTP through Django (admitted a few at a time), WebSockets through Channels
behind an Origin check, pushes written by each process's hub."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from assembly.admission import Admission  # noqa: E402
from assembly.fanout import ServerWebSocket  # noqa: E402
from assembly.routing import websocket_urlpatterns  # noqa: E402

# ServerWebSocket (outermost) lets each process's hub write a push, framed once,
# straight to daphne's sockets (assembly/fanout.py). Admission queues HTTP
# requests beyond what the database pool serves at once (assembly/admission.py).
application = ServerWebSocket(
    ProtocolTypeRouter(
        {
            "http": Admission(django_asgi_app),
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
