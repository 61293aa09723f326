#!/usr/bin/env python3
"""PostgreSQL restarted under checkout load (immediate, then fast): run by .ci/faults.

Buyers check out continuously, each retrying with its own Idempotency-Key. While the database is away
every answer must be a 503 problem with Retry-After (never a 500, never a hang); the service must be
ready again within 10 s of the database; no acknowledged order may be lost or duplicated, and the stock
sold must equal the units on order lines.
"""
import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from checks import Api, PREFIX, check, checkout_body, customer, finish, orders_and_stock, product, psql_on  # noqa: E402

PREFIX[0] = "faults"

HANG = 15  # seconds: an answer slower than this counts as a hang


def ready(management):
    api = Api(management)
    status, _, _ = api.call("GET", "/q/health/ready")
    return status == 200


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--management", required=True)
    p.add_argument("--admin-email", required=True)
    p.add_argument("--admin-password", required=True)
    p.add_argument("--database", required=True)
    p.add_argument("--restart", required=True, help="command restarting PostgreSQL, with {mode} for immediate or fast")
    args = p.parse_args()
    psql = psql_on(args.database)

    status, _, doc = Api(args.base).call("POST", "/v1/auth/sign-in", {"email": args.admin_email, "password": args.admin_password})
    assert status == 200, f"admin sign-in {status} {doc}"
    stock = 100_000
    _, variant = product(Api(args.base, doc["access_token"]), stock, "faults")
    buyers = [customer(args.base, f"faults{i}")[1] for i in range(6)]

    acknowledged = {}
    answers = {}
    bad = []  # 500s, 503s without Retry-After or a problem body, hangs
    lock = threading.Lock()
    running = [True]

    def note(status, headers, doc, took):
        with lock:
            answers[status] = answers.get(status, 0) + 1
            if took > HANG:
                bad.append(f"an answer took {took:.1f} s")
            elif status >= 500 and status != 503 and status != 502:
                bad.append(f"HTTP {status} {(doc or {}).get('type') if isinstance(doc, dict) else ''}")
            elif status == 503 and (not headers.get("Retry-After") or not isinstance(doc, dict) or "type" not in doc):
                bad.append(f"503 without Retry-After or problem body: {headers} {doc}")

    def call(api, method, path, body=None, headers=None):
        started = time.monotonic()
        status, h, d = api.call(method, path, body, headers)
        note(status, h, d, time.monotonic() - started)
        return status, h, d

    def buyer(token):
        api = Api(args.base, token)
        while running[0]:
            key = str(uuid.uuid4())
            cart = None
            for _ in range(400):  # retried with the same key until answered, for up to ~80 s
                if cart is None:
                    status, _, d = call(api, "POST", "/v1/me/cart/items", {"variant_id": variant, "quantity": 1})
                    cart = d["id"] if status == 200 and isinstance(d, dict) else None
                    if cart is None:
                        time.sleep(0.2)
                        continue
                status, _, d = call(api, "POST", "/v1/me/orders", checkout_body(cart), {"Idempotency-Key": key})
                if status == 201:
                    with lock:
                        if key in acknowledged and acknowledged[key] != d["id"]:
                            bad.append(f"key {key} made two orders")
                        acknowledged[key] = d["id"]
                    break
                time.sleep(0.2)

    def restart(mode):
        before = time.monotonic()
        subprocess.run(args.restart.format(mode=mode), shell=True, check=True, capture_output=True)
        db_up = time.monotonic()
        while not ready(args.management) and time.monotonic() - db_up < 30:
            time.sleep(0.2)
        back = time.monotonic() - db_up
        return db_up - before, back

    with ThreadPoolExecutor(max_workers=len(buyers)) as pool:
        futures = [pool.submit(buyer, t) for t in buyers]
        time.sleep(3)
        results = {}
        for mode in ("immediate", "fast"):
            down, back = restart(mode)
            results[mode] = (down, back)
            time.sleep(3)
        running[0] = False
        for f in futures:
            f.result()

    for mode, (down, back) in results.items():
        check(f"ready again within 10 s of the database (restart -m {mode})", back <= 10,
              f"the restart took {down:.1f} s; readiness was back {back:.1f} s after the database")
    ids = list(acknowledged.values())
    found, sold, lines = orders_and_stock(psql, ids, variant, stock)
    placed = int(psql(f"select count(distinct order_id) from order_line where variant_id = '{variant}'"))
    check("during the outages every answer is a success or a 503 problem with Retry-After, never a 500 or a hang",
          not bad, f"answers by status {dict(sorted(answers.items()))}; wrong: {bad[:5]}")
    check("no acknowledged order lost or duplicated, stock consistent, across both restarts",
          bool(ids) and found == len(ids) == len(set(ids)) and sold == lines,
          f"{len(ids)} orders acknowledged, {found} in the database, {len(set(ids))} distinct; stock down by {sold}, "
          f"{lines} units on order lines")
    check("every order in the database was acknowledged to its buyer (one committed as the database went away is "
          "answered with its order when retried with its key)", placed == len(set(ids)),
          f"{placed} orders of the buyers' product in the database, {len(set(ids))} acknowledged")
    finish()


if __name__ == "__main__":
    main()
