"""HTTP through Django (admitted a few at a time), WebSockets through Channels
behind an Origin check, pushes written by each process's hub.

``TrustedProxyMiddleware`` settles the client's address and scheme
for both (believing X-Forwarded-* only from ``DJANGO_TRUSTED_PROXIES``).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from assembly.handler import ThreadedChainASGIHandler  # noqa: E402

django_asgi_app = ThreadedChainASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from django.conf import settings  # noqa: E402

from assembly import collector, templates_warm, thai_words  # noqa: E402
from assembly.admission import Admission  # noqa: E402
from assembly.fanout import ServerWebSocket  # noqa: E402
from assembly.origin import SameOriginValidator  # noqa: E402
from assembly.proxy import TrustedProxyMiddleware  # noqa: E402
from assembly.routing import websocket_urlpatterns  # noqa: E402


def _after_words() -> None:
    templates_warm.compile_all()
    if settings.SERVER_SETTLES_COLLECTOR:
        collector.settle()


# PyThaiNLP's dictionary takes a second or two to build: a server builds it while
# it starts, not on the first page a delegate opens (assembly/thai_words.py), and
# compiles the templates, not on the first ballot (assembly/templates_warm.py).
# Then what the process keeps for life is frozen out of the cycle collector's
# walks, which stopped the event loop for up to a second (assembly/collector.py).
thai_words.warm_up_in_background(then=_after_words)

# ServerWebSocket (outermost) lets each process's hub write a push, framed once,
# straight to daphne's sockets (assembly/fanout.py); TrustedProxyMiddleware gives
# every scope the one trusted client address (assembly/proxy.py). Admission
# queues HTTP requests beyond what the database pool serves at once
# (assembly/admission.py).
application = ServerWebSocket(
    TrustedProxyMiddleware(
        ProtocolTypeRouter(
            {
                "http": Admission(django_asgi_app),
                # Scheme, host and port of the Origin checked (assembly/origin.py).
                "websocket": SameOriginValidator(
                    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                ),
            }
        )
    )
)
