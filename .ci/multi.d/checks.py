#!/usr/bin/env python3
"""What must hold across instances, checked against several running instances and the nginx in front.

Run by .ci/multi, which starts the instances, nginx and this script. Each check prints one line and
the script exits non-zero when any fails. Standard library only.
"""
import argparse
import http.client
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

PASSWORD = "a multi-instance passphrase"
SHIP_TO = {"name": "Multi Instance", "line1": "1 Loop St", "city": "Localhost", "postal_code": "12345", "country": "US"}
FAILURES = []
PREFIX = ["multi"]


class Api:
    """One keep-alive connection to one base URL; answers (status, headers, json)."""

    def __init__(self, base_url, token=None, client=None):
        u = urlsplit(base_url)
        self.host, self.port, self.token, self.client = u.hostname, u.port, token, client
        self.conn = None

    def call(self, method, path, body=None, headers=None, form=None):
        h = {"Accept": "application/json"}
        data = None
        if body is not None:
            h["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        if form is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
            data = form.encode()
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.client:
            h["X-Forwarded-For"] = self.client
        h.update(headers or {})
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.conn.request(method, path, body=data, headers=h)
                resp = self.conn.getresponse()
                raw = resp.read()
                try:
                    doc = json.loads(raw) if raw else None
                except ValueError:
                    doc = None
                return resp.status, dict(resp.getheaders()), doc
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 1:
                    return 0, {}, None
        return 0, {}, None


def check(name, ok, detail):
    print(f"[{PREFIX[0]}] {'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        FAILURES.append(name)


def psql_on(database):
    """A function running one SQL statement on the database as the harmony role, answering its text."""
    def psql(sql):
        return subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-U", "harmony", "-d", database, "-Atqc", sql],
                              env={**os.environ, "PGPASSWORD": "harmony"}, check=True, capture_output=True, text=True).stdout.strip()
    return psql


def orders_and_stock(psql, ids, variant, stock):
    """How many of the acknowledged order ids exist, the units sold from the variant, the units on its order lines."""
    found = int(psql(f"select count(*) from orders where id in ({','.join(repr(i) for i in ids)})")) if ids else 0
    sold = int(psql(f"select {stock} - stock_on_hand from catalog_variant where id = '{variant}'"))
    lines = int(psql(f"select coalesce(sum(quantity), 0) from order_line where variant_id = '{variant}'"))
    return found, sold, lines


def finish():
    if FAILURES:
        print(f"[{PREFIX[0]}] {len(FAILURES)} check(s) failed: {', '.join(FAILURES)}")
        sys.exit(1)
    print(f"[{PREFIX[0]}] every check passed")


def customer(base, label):
    email = f"multi-{label}-{uuid.uuid4().hex[:8]}@example.com"
    status, _, doc = Api(base).call("POST", "/v1/accounts", {
        "email": email, "password": PASSWORD, "name": "Multi", "birth_date": "1990-01-01", "address": SHIP_TO})
    assert status == 202, f"register {status} {doc}"
    status, _, doc = Api(base).call("POST", "/v1/auth/sign-in", {"email": email, "password": PASSWORD})
    assert status == 200, f"sign-in {status} {doc}"
    return email, doc["access_token"]


def product(admin, stock, label):
    slug = f"multi-{label}-{uuid.uuid4().hex[:8]}"
    status, _, doc = admin.call("POST", "/v1/admin/products", {
        "slug": slug, "title": f"Multi {label}", "variants": [{"sku": slug.upper(), "options": {}, "price_minor": 1000,
                                                             "currency": "USD", "stock_on_hand": stock}]})
    assert status == 201, f"product {status} {doc}"
    return doc["id"], doc["variants"][0]["id"]


def checkout_body(cart_id):
    return {"cart_id": cart_id, "shipping_address": SHIP_TO, "billing_postal_code": "12345", "payment_token": "tok_visa",
            "email": "multi@example.com"}


def cart_with(api, variant, quantity=1):
    status, _, doc = api.call("POST", "/v1/me/cart/items", {"variant_id": variant, "quantity": quantity})
    assert status == 200, f"add to cart {status} {doc}"
    return doc["id"]


def idempotency_across_instances(instances, admin_token):
    _, token = customer(instances[0], "idem")
    _, variant = product(Api(instances[0], admin_token), 10, "idem")
    cart = cart_with(Api(instances[0], token), variant)
    key = str(uuid.uuid4())
    answers = [Api(base, token).call("POST", "/v1/me/orders", checkout_body(cart), {"Idempotency-Key": key}) for base in instances]
    ids = {doc.get("id") for _, _, doc in answers if doc}
    replayed = [h.get("Idempotent-Replayed") for _, h, _ in answers[1:]]
    check("idempotency keys hold across instances", [s for s, _, _ in answers] == [201] * len(instances) and len(ids) == 1
          and replayed == ["true"] * (len(instances) - 1),
          f"one key sent to {len(instances)} instances: statuses {[s for s, _, _ in answers]}, order ids {len(ids)}, replayed {replayed}")


def sign_out_across_instances(instances):
    """Every instance trusts a live session from memory (ACCOUNT_CACHE_TTL is 30 s here), so a refusal within
    a second elsewhere can only come from the NOTIFY the sign-out's commit sent."""
    _, token = customer(instances[0], "signout")
    before = [Api(base, token).call("GET", "/v1/me")[0] for base in instances + instances]
    out = Api(instances[-1], token).call("POST", "/v1/auth/sign-out")[0]
    started = time.monotonic()
    here = Api(instances[-1], token).call("GET", "/v1/me")[0]
    waited = []
    for base in instances[:-1]:
        while Api(base, token).call("GET", "/v1/me")[0] != 401 and time.monotonic() - started < 5:
            time.sleep(0.02)
        waited.append(round((time.monotonic() - started) * 1000))
    others = [Api(base, token).call("GET", "/v1/me")[0] for base in instances[:-1]]
    check("sign-out takes effect at once on the instance that handled it and within a second on every other",
          before == [200] * len(before) and out in (200, 204) and here == 401 and others == [401] * len(others)
          and all(ms < 1000 for ms in waited),
          f"/v1/me before {before}, sign-out on the last {out}, there right after {here}, refused elsewhere after {waited} ms")


def rate_limit_across_instances(instances, limit):
    email, _ = customer(instances[0], "throttle")
    client = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
    statuses = []
    for i in range(limit * len(instances)):
        status, _, _ = Api(instances[i % len(instances)], client=client).call(
            "POST", "/v1/auth/sign-in", {"email": email, "password": f"wrong {i}"})
        statuses.append(status)
        if status == 429:
            break
    first_429 = statuses.index(429) + 1 if 429 in statuses else None
    check("a throttle counts every instance's attempts", first_429 is not None and first_429 <= limit + 1,
          f"wrong passwords round-robin over {len(instances)} instances: first 429 at attempt {first_429} (limit {limit})")


def cache_across_instances(instances, admin_token):
    product_id, _ = product(Api(instances[0], admin_token), 5, "cache")
    readers = [Api(base) for base in instances]
    titles = [r.call("GET", f"/v1/products/{product_id}")[2]["title"] for r in readers]  # every instance caches it
    status, _, _ = Api(instances[0], admin_token).call("PATCH", f"/v1/admin/products/{product_id}", {"title": "Multi cache after"})
    started = time.monotonic()
    seen = {}
    while len(seen) < len(readers) and time.monotonic() - started < 5:
        for i, r in enumerate(readers):
            if i not in seen and r.call("GET", f"/v1/products/{product_id}")[2].get("title") == "Multi cache after":
                seen[i] = round((time.monotonic() - started) * 1000)
        time.sleep(0.02)
    slowest = max(seen.values()) if len(seen) == len(readers) else None
    check("a catalog write is visible on every instance within one second", status == 200 and slowest is not None and slowest <= 1000,
          f"cached {titles[0]!r} on {len(readers)} instances (TTL 30 s); after a write on the first, seen in ms: {seen}")


class Receiver(http.server.BaseHTTPRequestHandler):
    seen = {}
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with Receiver.lock:
            Receiver.seen[self.headers.get("webhook-id")] = Receiver.seen.get(self.headers.get("webhook-id"), 0) + 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def jobs_once_across_instances(instances, admin_token, lb, orders):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    admin = Api(instances[0], admin_token)
    status, _, created = admin.call("POST", "/v1/admin/partner-clients", {
        "name": f"multi {uuid.uuid4().hex[:6]}", "contact_email": "multi@partner.example", "scopes": ["orders:read", "webhooks:manage"]})
    assert status == 201, f"partner client {status} {created}"
    import base64
    basic = base64.b64encode(f"{created['client']['id']}:{created['client_secret']}".encode()).decode()
    status, _, token_doc = Api(lb).call("POST", "/v1/oauth/token", form="grant_type=client_credentials",
                                        headers={"Authorization": "Basic " + basic})
    assert status == 200, f"partner token {status} {token_doc}"
    partner = Api(lb, token_doc["access_token"])
    status, _, sub = partner.call("POST", "/v1/partner/webhooks", {
        "url": f"http://127.0.0.1:{server.server_address[1]}/hook", "event_types": ["order.paid"]})
    assert status == 201, f"subscription {status} {sub}"
    _, token = customer(lb, "jobs")
    _, variant = product(admin, orders + 5, "jobs")
    api = Api(lb, token)
    placed = 0
    for _ in range(orders):
        cart = cart_with(api, variant)
        placed += api.call("POST", "/v1/me/orders", checkout_body(cart), {"Idempotency-Key": str(uuid.uuid4())})[0] == 201
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(Receiver.seen) < placed:
        time.sleep(0.5)
    time.sleep(3)  # any duplicate would arrive now
    server.shutdown()
    twice = {k: v for k, v in Receiver.seen.items() if v > 1}
    check("the outbox and the webhook worker deliver each event once across instances",
          placed == orders and len(Receiver.seen) == placed and not twice,
          f"{placed} orders paid through the balancer; the receiver got {len(Receiver.seen)} distinct events, "
          f"{sum(Receiver.seen.values())} deliveries, {len(twice)} duplicated")


def killing_an_instance_loses_nothing(lb, admin_token, instances, victim_pid, psql):
    stock = 10_000
    _, variant = product(Api(instances[0], admin_token), stock, "kill")
    buyers = [customer(lb, f"kill{i}")[1] for i in range(8)]
    acknowledged = {}  # idempotency key -> order id
    errors = {"duplicates": 0}
    stop = time.monotonic() + 8
    lock = threading.Lock()

    def buyer(token):
        api = Api(lb, token)
        while time.monotonic() < stop:
            key = str(uuid.uuid4())
            cart = None
            for _ in range(50):  # a client retries with the same key until it gets an answer it can trust
                if cart is None:
                    status, _, doc = api.call("POST", "/v1/me/cart/items", {"variant_id": variant, "quantity": 1})
                    cart = doc["id"] if status == 200 and doc else None
                    if cart is None:
                        time.sleep(0.1)
                        continue
                status, _, doc = api.call("POST", "/v1/me/orders", checkout_body(cart), {"Idempotency-Key": key})
                if status == 201:
                    with lock:
                        if key in acknowledged and acknowledged[key] != doc["id"]:
                            errors["duplicates"] += 1  # one key, two orders
                        acknowledged[key] = doc["id"]
                    break
                with lock:
                    kind = "network" if status in (0, 502, 503, 504) else f"http {status}"
                    errors[kind] = errors.get(kind, 0) + 1
                time.sleep(0.2)

    with ThreadPoolExecutor(max_workers=len(buyers)) as pool:
        futures = [pool.submit(buyer, t) for t in buyers]
        time.sleep(3)
        os.kill(victim_pid, signal.SIGKILL)
        killed_at = len(acknowledged)
        for f in futures:
            f.result()
    ids = list(acknowledged.values())
    found, sold, lines = orders_and_stock(psql, ids, variant, stock)
    buyers_orders = int(psql(f"select count(*) from orders o join order_line l on l.order_id = o.id where l.variant_id = '{variant}'"))
    check("killing one instance under load loses no acknowledged order, duplicates none, keeps stock right",
          bool(ids) and found == len(ids) == len(set(ids)) and sold == lines and errors["duplicates"] == 0,
          f"{len(ids)} orders acknowledged ({killed_at} before the kill), all {found} in the database, {len(set(ids))} distinct; "
          f"{buyers_orders - len(ids)} placed but never acknowledged (the client gave up retrying); stock down by {sold}, "
          f"{lines} units on order lines; answers retried: {errors}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lb", required=True)
    p.add_argument("--instances", required=True)
    p.add_argument("--admin-email", required=True)
    p.add_argument("--admin-password", required=True)
    p.add_argument("--victim-pid", type=int, required=True)
    p.add_argument("--database", required=True)
    p.add_argument("--throttle-limit", type=int, default=5)
    args = p.parse_args()
    instances = args.instances.split(",")
    psql = psql_on(args.database)

    status, _, doc = Api(instances[0]).call("POST", "/v1/auth/sign-in", {"email": args.admin_email, "password": args.admin_password})
    assert status == 200, f"admin sign-in {status} {doc}"
    admin_token = doc["access_token"]
    idempotency_across_instances(instances, admin_token)
    sign_out_across_instances(instances)
    rate_limit_across_instances(instances, args.throttle_limit)
    cache_across_instances(instances, admin_token)
    jobs_once_across_instances(instances, admin_token, args.lb, 30)
    killing_an_instance_loses_nothing(args.lb, admin_token, instances, args.victim_pid, psql)
    finish()


if __name__ == "__main__":
    main()
