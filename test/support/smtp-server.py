"""A real SMTP server for the mail tests, built on Debian's aiosmtpd (python3-aiosmtpd).

Run with /usr/bin/python3 (a pyenv python3 on PATH may lack aiosmtpd):

    smtp-server.py --mode starttls|smtps|plain --dir DIR [--cert PEM --key PEM] [--auth USER:PASS]

Listens on 127.0.0.1 on a free port and prints one JSON line, {"port": N}, once it accepts
connections. Every accepted message becomes DIR/message-<n>.json with what the server saw: the
envelope, the raw message, whether the session ran over TLS and which user authenticated. Every
AUTH and STARTTLS command is appended to DIR/commands.jsonl, with the TLS state at that moment, so a
test can prove that no credentials crossed a plaintext connection.
"""

import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def tls_state(server):
    ssl_object = server.transport.get_extra_info("ssl_object") if server.transport else None
    return {"tls": ssl_object is not None, "tlsVersion": ssl_object.version() if ssl_object else None}


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def command(self, server, name):
        with open(os.path.join(self.directory, "commands.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps({"command": name, **tls_state(server)}) + "\n")

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        login = session.auth_data
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "authenticatedAs": login.login.decode() if isinstance(login, LoginPassword) else None,
            **tls_state(server),
        }
        path = os.path.join(self.directory, f"message-{self.count}.json")
        # Written under a temporary name and renamed: a test polling the directory never reads half a file.
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(path + ".tmp", path)
        return "250 Message accepted for delivery"


class RecordingSMTP(SMTP):
    """Records AUTH and STARTTLS as they arrive, before aiosmtpd decides on them."""

    recorder: Recorder

    async def smtp_AUTH(self, arg):
        self.recorder.command(self, "AUTH")
        return await super().smtp_AUTH(arg)

    async def smtp_STARTTLS(self, arg):
        self.recorder.command(self, "STARTTLS")
        return await super().smtp_STARTTLS(arg)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["starttls", "smtps", "plain"], required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth")
    args = parser.parse_args()

    recorder = Recorder(args.dir)
    RecordingSMTP.recorder = recorder
    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    user, password = (args.auth.split(":", 1) + [""])[:2] if args.auth else (None, None)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        return RecordingSMTP(
            recorder,
            hostname="mail.test",
            tls_context=context if args.mode == "starttls" else None,
            require_starttls=args.mode == "starttls",
            authenticator=authenticator,
            auth_required=user is not None,
            # The plain server advertises AUTH without TLS on purpose: a client that would send its
            # password in clear gets the chance to, and commands.jsonl shows it. With implicit TLS
            # aiosmtpd does not know the socket is encrypted, so it must not insist on STARTTLS.
            auth_require_tls=args.mode == "starttls",
        )

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, "127.0.0.1", 0, ssl=context if args.mode == "smtps" else None)
        print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
