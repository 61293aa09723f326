#!/usr/bin/env python3
"""Body-memory squatting: can one client's slow uploads refuse every other client's bodies?

One client (198.51.100.7, named in X-Forwarded-For, so the service must trust 127.0.0.1 as its proxy:
TRUSTED_PROXIES=127.0.0.1/32) opens N uploads announcing 256 KiB that send only their first bytes, then uploads
announcing 4 KiB until one is refused; another client (198.51.100.8) then posts a two-byte body.

    python3 .ci/bench.d/body_squat.py PORT [N]      # N = 100 by default
"""
import socket
import sys
import time

port = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100


def head(client, length):
    return (f"POST /v1/feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"X-Forwarded-For: {client}\r\nContent-Length: {length}\r\n\r\n").encode()


def refused(sock, wait):
    """Whether the upload was answered 503 within wait seconds (one let in waits for the rest of its body)."""
    sock.settimeout(wait)
    try:
        return sock.recv(64).startswith(b"HTTP/1.1 503")
    except socket.timeout:
        return False


held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(head("198.51.100.7", 262144) + b'{"message":"')
    held.append(s)
small = 0
for _ in range(300):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(head("198.51.100.7", 4096) + b'{"message":"')
    held.append(s)
    if refused(s, 0.3):
        break
    small += 1
time.sleep(1.0)
big_refused = sum(refused(s, 0.2) for s in held[:n])
other = socket.create_connection(("127.0.0.1", port))
other.settimeout(5)
other.sendall(head("198.51.100.8", 2) + b"{}")
answer = other.recv(400).decode(errors="replace").splitlines()[0]
print(f"{n} slow uploads of 256 KiB from one client: {n - big_refused} let in, {big_refused} answered 503; "
      f"then {small} of 4 KiB let in before one was refused; another client's two-byte body: {answer}")
for s in held + [other]:
    s.close()
