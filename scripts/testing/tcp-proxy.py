#!/usr/bin/env python3
"""A loopback TCP forwarder for fault tests: tcp-proxy.py LISTEN_PORT TARGET_PORT.

Forwards 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT until killed; killing
it drops every forwarded connection at once, which is how the team-mode tests
take "the database" away mid-run and bring it back on the same port.
Loopback only, by construction."""
import asyncio
import sys


async def pump(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer, target):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pump(client_reader, server_writer), pump(server_reader, client_writer))


async def main(listen, target):
    server = await asyncio.start_server(lambda r, w: handle(r, w, target), "127.0.0.1", listen, reuse_address=True)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
