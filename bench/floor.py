"""The floor: a bare broadcast server written with the ``websockets`` library.

``python -m bench.floor PORT`` accepts any number of sockets on ``/ws`` and, when
a socket on ``/control`` sends ``push <html>``, sends that HTML to every other
socket at once (``websockets.broadcast``) and answers ``sent``. No framework, no
channel layer, no database: what pushing one fragment to N sockets costs in
Python on this machine. The benchmark measures our push latency against it.
"""

from __future__ import annotations

import asyncio
import resource
import sys

from websockets.asyncio.server import broadcast, serve

LOOPBACK = "127.0.0.1"


async def main(port: int) -> None:
    followers: set = set()

    async def handler(ws):
        if ws.request.path == "/control":
            async for message in ws:
                if isinstance(message, str) and message.startswith("push "):
                    broadcast(followers, message[5:])
                    await ws.send("sent")
            return
        followers.add(ws)
        try:
            await ws.wait_closed()
        finally:
            followers.discard(ws)

    async with serve(
        handler, LOOPBACK, port, ping_interval=None, max_size=2**20, compression=None
    ):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(main(int(sys.argv[1])))
