"""Check that ``make serve``'s address is free before the build, which takes half a minute.

``mkdocs serve`` binds its port only after the first build; a busy port then ends that build with a long
traceback. The Makefile runs this first: one line that names the port and the way out, and exit status 1.

Usage::

    python tools/serve.py HOST PORT     # 0 if mkdocs serve can listen there; 1 and a message if not
"""

from __future__ import annotations

import errno
import socket
import sys

IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}


def address_problem(host: str, port: int) -> str | None:
    """Why a server cannot listen on ``host:port`` now (a one-line message), or None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        return f"make serve: HOST={host} is not an address of this machine ({error})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server binds: a port whose last connection is still closing (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno in IN_USE:
                return (
                    f"make serve: port {port} on {host} is in use (another make serve?); "
                    f"stop it or choose another port: make serve PORT={port + 1}"
                )
            return f"make serve: cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def main(argv: list[str]) -> int:
    """Command line: ``HOST PORT``; print the problem and return 1, or return 0."""
    if len(argv) != 2 or not argv[1].isdigit() or not 0 < int(argv[1]) < 65536:
        print(
            f"make serve: PORT must be a number from 1 to 65535; got {' '.join(argv[1:]) or 'nothing'}", file=sys.stderr
        )
        return 1
    problem = address_problem(argv[0], int(argv[1]))
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
