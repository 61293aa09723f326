// A plain HTML + TypeScript storefront on the typed client: browse and search, a guest cart, register, sign in with
// cookies (the guest cart merges into the account's), check out with a test-mode card, see the order.
// The API's address comes from ?api=… (default: dev mode's http://localhost:8080).
import { apiClient, formatMoney, problemText, type Schemas } from "./api/client.js";

const API_BASE = new URLSearchParams(location.search).get("api") ?? "http://localhost:8080";
const GUEST_CART_KEY = "harmony.guestCartId";
const { api, csrf } = apiClient(API_BASE);

let account: Schemas["Account"] | null = null;
let nextCursor: string | null = null;
let lastQuery = "";

function el<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`#${id} is missing from the page`);
  }
  return found as T;
}

function say(text: string, error = false): void {
  const message = el("message");
  message.textContent = text;
  message.classList.toggle("error", error);
  el("csrf-source").textContent = csrf.current().source;
}

function li(testId: string, ...children: (Node | string)[]): HTMLLIElement {
  const item = document.createElement("li");
  item.dataset["testid"] = testId;
  item.append(...children);
  return item;
}

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement("span");
  s.className = className;
  s.textContent = text;
  return s;
}

// ---------------------------------------------------------------- catalog

async function loadProducts(q: string, more = false): Promise<void> {
  const { data, error, response } = await api.GET("/v1/products", {
    params: { query: { limit: 12, ...(q ? { q } : {}), ...(more && nextCursor ? { cursor: nextCursor } : {}) } },
  });
  if (!data) {
    say(`Could not load products: ${problemText(error, response.status)}`, true);
    return;
  }
  const list = el<HTMLUListElement>("products");
  if (!more) {
    list.replaceChildren();
  }
  for (const p of data.data ?? []) {
    list.append(productItem(p));
  }
  nextCursor = data.has_more ? data.next_cursor ?? null : null;
  el("more-products").hidden = nextCursor === null;
  lastQuery = q;
  if (!more) {
    const count = data.data?.length ?? 0;
    say(q ? `${count}${data.has_more ? "+" : ""} products match “${q}”` : `${count}${data.has_more ? "+" : ""} products`);
  }
}

function productItem(p: Schemas["ProductSummary"]): HTMLLIElement {
  const price = formatMoney(p.price_range?.min);
  const item = li("product", span("title", p.title ?? p.slug ?? "?"), span("price", price ? `from ${price}` : ""));
  item.dataset["slug"] = p.slug ?? "";
  if (p.in_stock === false) {
    item.append(span("sold-out", "Sold out"));
  } else {
    const add = document.createElement("button");
    add.type = "button";
    add.textContent = "Add to cart";
    add.dataset["testid"] = "add-to-cart";
    add.addEventListener("click", () => void addToCart(p.slug ?? p.id ?? "", add));
    item.append(add);
  }
  return item;
}

// ---------------------------------------------------------------- cart

async function addToCart(slug: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const product = await api.GET("/v1/products/{idOrSlug}", { params: { path: { idOrSlug: slug } } });
    const variant = product.data?.variants?.find((v) => v.in_stock !== false && v.status !== "archived");
    if (!product.data || !variant?.id) {
      say(product.data ? `${product.data.title ?? slug} is sold out` : `Could not load ${slug}: ${problemText(product.error, product.response.status)}`, true);
      return;
    }
    const body = { variant_id: variant.id, quantity: 1 };
    let cart: Schemas["Cart"] | undefined;
    if (account) {
      const r = await api.POST("/v1/me/cart/items", { body });
      cart = r.data;
      if (!cart) {
        say(`Could not add to the cart: ${problemText(r.error, r.response.status)}`, true);
        return;
      }
    } else {
      cart = await addToGuestCart(body);
      if (!cart) {
        return;
      }
    }
    renderCart(cart);
    say(`Added ${product.data.title ?? slug} to the cart`);
  } finally {
    button.disabled = false;
  }
}

async function newGuestCart(): Promise<string | null> {
  // the API sets the HttpOnly cart cookie and the CSRF cookie bound to it; the page keeps only the id
  const { data, error, response } = await api.POST("/v1/carts", {});
  if (!data?.id) {
    say(`Could not start a cart: ${problemText(error, response.status)}`, true);
    return null;
  }
  localStorage.setItem(GUEST_CART_KEY, data.id);
  return data.id;
}

async function addToGuestCart(body: Schemas["AddCartItemRequest"]): Promise<Schemas["Cart"] | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const cartId = localStorage.getItem(GUEST_CART_KEY) ?? (await newGuestCart());
    if (!cartId) {
      return undefined;
    }
    const r = await api.POST("/v1/carts/{cartId}/items", { params: { path: { cartId } }, body });
    if (r.data) {
      return r.data;
    }
    if (r.response.status !== 404) {
      say(`Could not add to the cart: ${problemText(r.error, r.response.status)}`, true);
      return undefined;
    }
    localStorage.removeItem(GUEST_CART_KEY); // expired or its cookie is gone: start a new one
  }
  // a new cart whose cookie did not come back: this browser refuses the API's cookies (third-party cookies blocked?)
  say("Could not add to the cart: this browser does not keep the shop's cookies", true);
  return undefined;
}

function renderCart(cart: Schemas["Cart"] | null): void {
  const lines = el<HTMLUListElement>("cart-lines");
  lines.replaceChildren(
    ...(cart?.lines ?? []).map((l) =>
      li("cart-line", `${l.quantity ?? 0} × ${l.product_title ?? l.title ?? l.sku ?? "?"}${l.title && l.product_title ? ` (${l.title})` : ""} — ${formatMoney(l.line_total ?? null)}`),
    ),
  );
  el("cart-count").textContent = String(cart?.item_count ?? 0);
  el("cart-subtotal").textContent = cart ? formatMoney(cart.subtotal) || "–" : "–";
  el("cart-owner").textContent = cart ? `(${cart.owner === "account" ? "your account's cart" : "guest cart"})` : "";
  el("checkout-form").hidden = !(account && (cart?.item_count ?? 0) > 0);
}

async function loadCart(): Promise<void> {
  if (account) {
    const r = await api.GET("/v1/me/cart", {});
    renderCart(r.data ?? null);
    return;
  }
  const cartId = localStorage.getItem(GUEST_CART_KEY);
  if (!cartId) {
    renderCart(null);
    return;
  }
  const r = await api.GET("/v1/carts/{cartId}", { params: { path: { cartId } } });
  if (!r.data) {
    localStorage.removeItem(GUEST_CART_KEY);
  }
  renderCart(r.data ?? null);
}

// ---------------------------------------------------------------- account

function field(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value.trim() : "";
}

async function register(form: HTMLFormElement): Promise<void> {
  const email = field(form, "email");
  const { error, response } = await api.POST("/v1/accounts", {
    body: {
      email,
      password: new FormData(form).get("password")?.toString() ?? "",
      name: field(form, "name"),
      address: {
        name: field(form, "name"),
        line1: field(form, "line1"),
        city: field(form, "city"),
        postal_code: field(form, "postal_code"),
        country: field(form, "country").toUpperCase(),
      },
      adult_confirmed: new FormData(form).get("adult_confirmed") === "on",
    },
  });
  if (response.status !== 202) {
    say(`Registration refused: ${problemText(error, response.status)}`, true);
    return;
  }
  const signIn = el<HTMLFormElement>("sign-in-form");
  (signIn.elements.namedItem("email") as HTMLInputElement).value = email;
  say(`Registered ${email}: sign in to continue`);
}

async function signIn(form: HTMLFormElement): Promise<void> {
  // use_cookies: HttpOnly session and refresh cookies, no token in the page; the guest cart cookie goes along and
  // the guest cart merges into the account's
  const { data, error, response } = await api.POST("/v1/auth/sign-in", {
    body: { email: field(form, "email"), password: new FormData(form).get("password")?.toString() ?? "", use_cookies: true },
  });
  if (!data) {
    say(`Sign-in refused: ${problemText(error, response.status)}`, true);
    return;
  }
  localStorage.removeItem(GUEST_CART_KEY);
  form.reset();
  await loadSession();
  say(`Signed in as ${account?.email ?? "?"}`);
}

async function signOut(): Promise<void> {
  const { response } = await api.POST("/v1/auth/sign-out", {});
  account = null;
  await loadSession();
  say(response.status === 204 ? "Signed out" : `Sign-out answered ${response.status}`, response.status !== 204);
}

async function loadSession(): Promise<void> {
  const r = await api.GET("/v1/me", {});
  account = r.data ?? null;
  el("session-status").textContent = account ? `Signed in as ${account.name ?? ""} <${account.email ?? ""}>` : "Guest";
  el("sign-out-button").hidden = !account;
  el("account-forms").hidden = Boolean(account);
  el("orders-section").hidden = !account;
  await loadCart();
  if (account) {
    await loadOrders();
  }
}

// ---------------------------------------------------------------- checkout and orders

async function checkout(form: HTMLFormElement): Promise<void> {
  const button = el<HTMLButtonElement>("checkout-button");
  button.disabled = true;
  try {
    const [cart, addresses] = await Promise.all([api.GET("/v1/me/cart", {}), api.GET("/v1/me/addresses", {})]);
    const book = addresses.data?.data ?? [];
    const address = book.find((a) => a.default_shipping) ?? book[0];
    if (!cart.data?.id || !address?.id || !address.address) {
      say("Nothing to check out, or no address in the address book", true);
      return;
    }
    const { data, error, response } = await api.POST("/v1/me/orders", {
      // a new key per checkout: a retry of this very request replays the first answer instead of paying twice
      params: { header: { "Idempotency-Key": crypto.randomUUID() } },
      body: {
        cart_id: cart.data.id,
        shipping_address_id: address.id,
        billing_postal_code: address.address.postal_code,
        payment_token: field(form, "payment_token"),
      },
    });
    if (!data) {
      say(`Checkout refused: ${problemText(error, response.status)}`, true);
      return;
    }
    say(`Order ${data.number ?? data.id ?? ""} placed: ${data.status ?? ""}, ${formatMoney(data.total)} paid with ${data.payment?.brand ?? "card"} ending ${data.payment?.last4 ?? "?"}`);
    await Promise.all([loadCart(), loadOrders()]);
  } finally {
    button.disabled = false;
  }
}

async function loadOrders(): Promise<void> {
  const { data } = await api.GET("/v1/me/orders", { params: { query: { limit: 10 } } });
  el<HTMLUListElement>("orders").replaceChildren(
    ...(data?.data ?? []).map((o) => {
      const item = li("order", `${o.number ?? o.id ?? "?"} · ${o.status ?? ""} · ${o.item_count ?? 0} item(s) · ${formatMoney(o.total)}`);
      item.dataset["number"] = o.number ?? "";
      item.dataset["status"] = o.status ?? "";
      return item;
    }),
  );
}

// ---------------------------------------------------------------- wiring

function onSubmit(id: string, handler: (form: HTMLFormElement) => Promise<void>): void {
  const form = el<HTMLFormElement>(id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handler(form).catch((e: unknown) => say(`Network error: ${String(e)}`, true));
  });
}

async function start(): Promise<void> {
  el("api-base").textContent = API_BASE;
  onSubmit("search-form", (f) => loadProducts(field(f, "q")));
  onSubmit("register-form", register);
  onSubmit("sign-in-form", signIn);
  onSubmit("checkout-form", checkout);
  el("sign-out-button").addEventListener("click", () => void signOut());
  el("more-products").addEventListener("click", () => void loadProducts(lastQuery, true));
  await Promise.all([loadProducts(""), loadSession()]);
  document.body.dataset["ready"] = "true";
}

start().catch((e: unknown) => say(`The storefront could not start: ${String(e)}`, true));
