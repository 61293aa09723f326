#!/usr/bin/env python3
"""Checkout load for .ci/bench: orders per second, then the race for the last units.

    python3 .ci/bench.d/checkout.py --base-url http://127.0.0.1:8080 --warmup 5 --duration 20 \
        --admin-email bench-admin@harmony.local --admin-password bench-admin-password

1. Throughput: CUSTOMERS signed-in customers each loop "add 1 unit of a well-stocked variant to my
   cart, check out" for WARMUP + DURATION seconds; orders/s and the p99 of POST /v1/me/orders are
   taken over DURATION only.
2. Race: the admin creates a product whose single variant has RACE_STOCK units; BUYERS customers
   start together and each adds 1 unit and checks out until the answer is insufficient-stock. Then the
   variant's stock is read back: units sold + stock left must be RACE_STOCK, and nothing oversold.

Standard library only: threads and http.client, loopback only. Bounded: each phase ends by its
deadline and its order cap, every request has a timeout, and the script stops by itself.
Prints `key=value` lines the bench parses (see report()); exit 0 when all is well, 1 when the race
oversold or the stock does not add up, 2 when the setup failed.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

PROBLEM_PREFIX = "https://harmony.example/problems/"
SHIP_TO = {"name": "Bench", "line1": "1 Loop St", "city": "Localhost", "postal_code": "12345", "country": "US"}
PASSWORD = "a bench passphrase for checkout"


def log(msg):
    print(f"[checkout] {msg}", file=sys.stderr, flush=True)


class SetupError(Exception):
    pass


class Api:
    """One keep-alive connection (one per thread: http.client connections are not thread-safe)."""

    def __init__(self, base_url, token=None, timeout=30):
        u = urllib.parse.urlsplit(base_url)
        if u.hostname not in ("127.0.0.1", "localhost", "::1") and not u.hostname.startswith("127."):
            raise SetupError(f"loopback only, not {u.hostname}")
        self.host, self.port, self.timeout, self.token = u.hostname, u.port or 80, timeout, token
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        """Answers (status, parsed JSON or None); status 0 when the connection failed."""
        h = {"Accept": "application/json"}
        if body is not None:
            h["Content-Type"] = "application/json"
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        h.update(headers or {})
        data = None if body is None else json.dumps(body).encode()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=data, headers=h)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException):
            # a broken keep-alive connection: drop it, the caller counts the error and goes on
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return 0, None
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = None
        return resp.status, doc

    def close(self):
        if self.conn is not None:
            self.conn.close()


def problem_type(doc):
    t = (doc or {}).get("type", "") if isinstance(doc, dict) else ""
    return t[len(PROBLEM_PREFIX):] if t.startswith(PROBLEM_PREFIX) else (t or "-")


def expect(status, doc, wanted, what):
    if status != wanted:
        raise SetupError(f"{what}: HTTP {status} {problem_type(doc)} {json.dumps(doc)[:300] if doc else ''}")
    return doc


def sign_in(base_url, email, password):
    status, doc = Api(base_url).call("POST", "/v1/auth/sign-in", {"email": email, "password": password})
    return expect(status, doc, 200, f"sign-in {email}")["access_token"]


def new_customer(base_url, email):
    """Registers and signs in (both Argon2id, ~0.1 s each on the service's hashing pool)."""
    status, doc = Api(base_url).call("POST", "/v1/accounts", {
        "email": email, "password": PASSWORD, "name": "Bench", "birth_date": "1990-01-01", "address": SHIP_TO})
    expect(status, doc, 202, f"register {email}")
    return sign_in(base_url, email, PASSWORD)


def customers(base_url, run, role, n):
    # A few at a time: the service hashes on a small pool, more would only queue.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda i: new_customer(base_url, f"bench-{run}-{role}{i}@example.com"), range(n)))


def create_product(admin, run, name, stock):
    """A one-variant product of our own: the sample catalog's stock is too small to sell for long."""
    status, doc = admin.call("POST", "/v1/admin/products", {
        "slug": f"bench-{name}-{run}", "title": f"Bench {name} {run}",
        "variants": [{"sku": f"BENCH-{name}-{run}".upper(), "options": {}, "price_minor": 1000,
                      "currency": "USD", "stock_on_hand": stock}]})
    doc = expect(status, doc, 201, f"create product {name}")
    return doc["id"], doc["variants"][0]["id"]


def stock_of(admin, variant_id):
    status, doc = admin.call("GET", f"/v1/admin/variants/{variant_id}")
    return expect(status, doc, 200, "read variant stock")["stock_on_hand"]


def order_body(cart_id):
    return {"cart_id": cart_id, "shipping_address": SHIP_TO, "billing_postal_code": "12345", "payment_token": "tok_visa"}


def buy_one(api, variant_id):
    """Adds 1 unit to my cart and checks out. Answers (step, status, doc, checkout seconds or None)."""
    status, cart = api.call("POST", "/v1/me/cart/items", {"variant_id": variant_id, "quantity": 1})
    if status != 200:
        return "add", status, cart, None
    t0 = time.monotonic()
    # a fresh key per checkout: a reused one would replay the first answer
    status, doc = api.call("POST", "/v1/me/orders", order_body(cart["id"]), {"Idempotency-Key": str(uuid.uuid4())})
    return "checkout", status, doc, time.monotonic() - t0


def units_of(order, variant_id):
    return sum(line["quantity"] for line in order.get("lines", []) if line.get("variant_id") == variant_id)


class Tally:
    """Results shared by the worker threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []      # seconds, measured 201 checkouts
        self.orders = 0          # measured 201s
        self.units = 0
        self.errors = {}         # "step status type" -> count
        self.last_end = 0.0
        self.ended_by_stock = 0  # race: buyers told insufficient-stock

    def error(self, step, status, doc):
        key = f"{step} {status} {problem_type(doc)}"
        with self.lock:
            self.errors[key] = self.errors.get(key, 0) + 1

    def error_count(self):
        return sum(self.errors.values())


def clear_cart(api):
    # a failed checkout leaves the unit in the cart: start the next attempt from an empty one
    api.call("DELETE", "/v1/me/cart/items")


def p99(latencies):
    if not latencies:
        return None
    s = sorted(latencies)
    return s[min(len(s) - 1, int(0.99 * len(s)))]


def fmt_duration(seconds):
    """As wrk prints latencies: 950.00us, 12.34ms, 1.20s."""
    if seconds is None:
        return "?"
    if seconds < 0.001:
        return f"{seconds * 1e6:.2f}us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f}ms"
    return f"{seconds:.2f}s"


# ------------------------------------------------------------------ 1. throughput
def throughput(base_url, tokens, variant_id, warmup, duration, max_orders):
    tally = Tally()
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + duration

    def customer(token):
        api = Api(base_url, token)
        try:
            while time.monotonic() < stop_at and tally.orders < max_orders:
                step, status, doc, took = buy_one(api, variant_id)
                if step == "checkout" and status == 201:
                    now = time.monotonic()
                    if now - took >= measure_from:  # started in the measured window
                        with tally.lock:
                            tally.orders += 1
                            tally.latencies.append(took)
                            tally.last_end = max(tally.last_end, now)
                    continue
                tally.error(step, status, doc)
                clear_cart(api)
        finally:
            api.close()

    threads = [threading.Thread(target=customer, args=(t,), daemon=True) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=warmup + duration + 120)
    # the last checkouts may end a little after the deadline: divide by the time they took
    seconds = max(tally.last_end, stop_at) - measure_from
    return tally, seconds


# ------------------------------------------------------------------ 2. the race
def race(base_url, tokens, variant_id, stock, timeout):
    tally = Tally()
    gate = threading.Barrier(len(tokens))
    deadline = [0.0]
    # nobody can buy more than the stock: a buyer past that many attempts is looping, stop it
    max_attempts = stock + 20

    def buyer(token):
        api = Api(base_url, token)
        try:
            api.call("GET", "/v1/me/cart")  # open the connection and the cart before the start
            try:
                gate.wait(timeout=60)
            except threading.BrokenBarrierError:
                tally.error("start", 0, None)  # a buyer never got ready: no race to speak of
                return
            for _ in range(max_attempts):
                if time.monotonic() > deadline[0]:
                    break
                step, status, doc, _took = buy_one(api, variant_id)
                if step == "checkout" and status == 201:
                    with tally.lock:
                        tally.orders += 1
                        tally.units += units_of(doc, variant_id)
                    continue
                if step == "checkout" and status == 409 and problem_type(doc) == "insufficient-stock":
                    with tally.lock:
                        tally.ended_by_stock += 1
                    break
                tally.error(step, status, doc)
                clear_cart(api)
        finally:
            api.close()

    threads = [threading.Thread(target=buyer, args=(t,), daemon=True) for t in tokens]
    deadline[0] = time.monotonic() + timeout
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout + 60)
    return tally, time.monotonic() - started


def report(kind, **fields):
    """One parseable line: `kind key=value ...` (values never contain spaces)."""
    print(kind + " " + " ".join(f"{k}={v}" for k, v in fields.items()), flush=True)


def report_errors(kind, tally):
    for key, n in sorted(tally.errors.items()):
        step, status, ptype = key.split(" ")
        report(kind + "-error", step=step, status=status, type=ptype, count=n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base-url", default="http://127.0.0.1:8080")
    ap.add_argument("--warmup", type=float, default=5, help="seconds of throughput load before measuring")
    ap.add_argument("--duration", type=float, default=20, help="seconds of measured throughput load")
    ap.add_argument("--customers", type=int, default=16)
    ap.add_argument("--max-orders", type=int, default=200000, help="cap on measured orders")
    ap.add_argument("--buyers", type=int, default=64)
    ap.add_argument("--race-stock", type=int, default=100)
    ap.add_argument("--race-timeout", type=float, default=120)
    ap.add_argument("--admin-email", required=True)
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-race", action="store_true")
    a = ap.parse_args()

    run = f"{int(time.time())}-{uuid.uuid4().hex[:6]}"
    admin = Api(a.base_url, sign_in(a.base_url, a.admin_email, a.admin_password))
    products = []
    failed = False
    try:
        n_customers = 0 if a.skip_throughput else a.customers
        n_buyers = 0 if a.skip_race else a.buyers
        log(f"registering and signing in {n_customers} customers and {n_buyers} buyers")
        t0 = time.monotonic()
        tokens = customers(a.base_url, run, "c", n_customers + n_buyers)
        log(f"  done in {time.monotonic() - t0:.1f}s")
        shoppers, buyers = tokens[:n_customers], tokens[n_customers:]

        if shoppers:
            product, variant = create_product(admin, run, "checkout", 1_000_000)
            products.append(product)
            log(f"throughput: {len(shoppers)} customers, warm-up {a.warmup:g}s, then {a.duration:g}s")
            tally, seconds = throughput(a.base_url, shoppers, variant, a.warmup, a.duration, a.max_orders)
            report("checkout", customers=len(shoppers), orders=tally.orders, seconds=f"{seconds:.2f}",
                   orders_per_s=f"{tally.orders / seconds:.1f}", p99=fmt_duration(p99(tally.latencies)),
                   errors=tally.error_count())
            report_errors("checkout", tally)

        if buyers:
            product, variant = create_product(admin, run, "race", a.race_stock)
            products.append(product)
            log(f"race: {len(buyers)} buyers for {a.race_stock} units")
            tally, seconds = race(a.base_url, buyers, variant, a.race_stock, a.race_timeout)
            final = stock_of(admin, variant)
            oversold = tally.units - a.race_stock
            consistent = tally.units + final == a.race_stock
            report("race", buyers=len(buyers), stock=a.race_stock, sold=tally.units, orders=tally.orders,
                   final_stock=final, oversold=max(0, oversold), consistent="yes" if consistent else "no",
                   insufficient_stock=tally.ended_by_stock, errors=tally.error_count(), seconds=f"{seconds:.2f}")
            report_errors("race", tally)
            failed = oversold > 0 or not consistent
    finally:
        # archive what we created, so the catalog the read targets list stays the sample one
        for product in products:
            admin.call("POST", f"/v1/admin/products/{product}/archive")
        admin.close()
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SetupError as e:
        log(f"setup failed: {e}")
        sys.exit(2)
