#!/usr/bin/env python3
"""Export of a long history for .ci/bench: one customer with ORDERS orders asks for an export.

    python3 .ci/bench.d/export.py --base-url http://127.0.0.1:8080 --orders 1000 --pid 12345 \
        --admin-email bench-admin@harmony.local --admin-password bench-admin-password --database harmony_bench_app

1. A fresh customer buys one unit ORDERS times (real checkouts, one after another, 4 at a time).
2. They file an export. The bench instance sends no mail, so the confirmation the emailed link would
   make is made in SQL (psql on the service's database): the status and its trail entry, nothing else.
3. The service's job builds the document (every row of the customer, streamed through cursors into
   64 KiB chunks); the time is the request's confirmation to its completion, from its own trail.
   Meanwhile the service's resident memory (PID's VmRSS) is sampled every 50 ms.
4. The customer downloads the document (streamed chunk by chunk); its size and time are taken and the
   orders in it counted.

Prints one `export key=value ...` line; exit 0 when the document holds every order, 1 when not,
2 when the setup failed. Standard library only, loopback only.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checkout  # noqa: E402  (same folder: the Api client, sign-up and product helpers)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def psql(database, sql):
    env = dict(os.environ, PGPASSWORD=os.environ.get("PGPASSWORD", "harmony"))
    out = subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", os.environ.get("DB_PORT", "5432"), "-U", "harmony", "-d", database,
                          "-Atqc", sql], capture_output=True, text=True, env=env, timeout=60)
    if out.returncode != 0:
        raise checkout.SetupError(f"psql: {out.stderr.strip()}")
    return out.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", default="http://127.0.0.1:8080")
    ap.add_argument("--orders", type=int, default=1000)
    ap.add_argument("--pid", type=int, default=0)
    ap.add_argument("--admin-email", required=True)
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--database", default="harmony_bench_app")
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()
    run = uuid.uuid4().hex[:8]
    try:
        admin = checkout.Api(a.base_url, checkout.sign_in(a.base_url, a.admin_email, a.admin_password))
        _, variant = checkout.create_product(admin, run, "export", a.orders + 100)
        token = checkout.new_customer(a.base_url, f"bench-{run}-export@example.com")

        # one customer has one cart, so the purchases go one after another
        t0 = time.monotonic()
        buyer = checkout.Api(a.base_url, token)
        for _ in range(a.orders):
            step, status, doc, _ = checkout.buy_one(buyer, variant)
            if status != 201:
                raise checkout.SetupError(f"{step}: HTTP {status} {checkout.problem_type(doc)}")
        checkout.log(f"{a.orders} orders placed in {time.monotonic() - t0:.1f} s")

        api = checkout.Api(a.base_url, token, timeout=a.timeout)
        status, doc = api.call("POST", "/v1/privacy-requests", {"kind": "export"}, {"X-Forwarded-For": "127.0.0.2"})
        request = checkout.expect(status, doc, 202, "file the export")["id"]
        psql(a.database, f"""
            with r as (update privacy_request set status = 'confirmed', confirmed_at = now(), token_hash = null
                       where id = '{request}' and status = 'awaiting_confirmation' returning id)
            insert into privacy_request_event (request_id, status, note) select id, 'confirmed', 'bench: confirmed in SQL' from r""")

        rss_before = rss_mb(a.pid) if a.pid else None
        peak = [rss_before or 0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                m = rss_mb(a.pid)
                if m:
                    peak[0] = max(peak[0], m)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if a.pid:
            sampler.start()
        deadline = time.monotonic() + a.timeout
        while True:
            status, doc = api.call("GET", f"/v1/me/privacy-requests/{request}")
            checkout.expect(status, doc, 200, "read the request")
            if doc["status"] in ("completed", "rejected", "expired"):
                break
            if time.monotonic() > deadline:
                raise checkout.SetupError("the export was not ready in time")
            time.sleep(0.2)
        if doc["status"] != "completed":
            raise checkout.SetupError(f"the export ended {doc['status']}")
        build_s = float(psql(a.database, f"""
            select extract(epoch from (select occurred_at from privacy_request_event where request_id = '{request}' and status = 'completed')
                 - (select occurred_at from privacy_request_event where request_id = '{request}' and status = 'confirmed'))"""))

        t1 = time.monotonic()
        conn = checkout.Api(a.base_url, token, timeout=a.timeout)
        status, body = conn.call("GET", f"/v1/me/privacy-requests/{request}/document")
        download_s = time.monotonic() - t1
        stop.set()
        checkout.expect(status, body, 200, "download the export")
        orders = len(body["features"]["order"]["tables"]["orders"]["rows"])
        size = doc["document"]["bytes"]
        print(f"export orders={orders} wanted={a.orders} build_s={build_s:.2f} download_s={download_s:.2f} "
              f"bytes={size} rss_before_mb={rss_before or 0:.0f} rss_peak_mb={peak[0]:.0f}", flush=True)
        return 0 if orders == a.orders else 1
    except checkout.SetupError as e:
        checkout.log(f"setup failed: {e}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
