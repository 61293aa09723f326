// The storefront in a real browser: Debian's Chromium, headless, driven by playwright-core. The page and the API are on
// different origins, so CORS, cookies and CSRF are exercised as a shopper's browser would.
//
//   node e2e/storefront.e2e.mjs --mode same-site     --page http://localhost:5173 --api http://localhost:18080
//   node e2e/storefront.e2e.mjs --mode shared-domain --page http://www.shop.localhost:5173 --api http://api.shop.localhost:18082
//   node e2e/storefront.e2e.mjs --mode cross-site    --page http://127.0.0.1:5173 --api http://api.shop.localhost:18081
//   node e2e/storefront.e2e.mjs --mode cross-site-partitioned --page http://127.0.0.1:5173 --api http://api.shop.localhost:18083
//   node e2e/storefront.e2e.mjs --mode dev           --page http://localhost:5173 --api http://localhost:8080   (quarkus:dev)
//
// same-site: the page and the API share the site `localhost` (ports differ: cross-origin, same-site); the API runs with
//   its default cookies (__Host- names, SameSite=Lax, Strict for refresh and CSRF), and the page reads the CSRF cookie
//   (cookies ignore ports, so the page's host sees the API host's cookie).
// shared-domain: www.shop.localhost → api.shop.localhost (Chromium resolves *.localhost to loopback), API with
//   COOKIES_DOMAIN=shop.localhost: __Secure- names with Domain=shop.localhost; the page reads the CSRF cookie through it.
// cross-site: the page is on another site (127.0.0.1); the API runs with COOKIES_SAME_SITE=none and
//   COOKIES_DOMAIN=shop.localhost: __Secure- names, SameSite=None, Domain (Domain=localhost would not do: it is a public
//   suffix, so browsers store such a cookie host-only); the page cannot read the API's cookies and takes the CSRF token from the
//   X-CSRF-Token response header.
// cross-site-partitioned: the same with COOKIES_PARTITIONED=true (CHIPS), in a browser with default settings, which block
//   third-party cookies but keep partitioned ones, in a jar of the page's site.
// dev: quarkus:dev's plain-http cookies (COOKIES_SECURE=false): plain names, no Secure.
// Every step asserts what the shopper sees; the final page is saved to target/storefront/<mode>.png.
import { chromium } from "playwright-core";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    mode: { type: "string", default: "same-site" },
    page: { type: "string", default: "http://localhost:5173" },
    api: { type: "string", default: "http://localhost:18080" },
    chromium: { type: "string", default: process.env.CHROMIUM ?? "/usr/bin/chromium" },
    out: { type: "string", default: resolve(new URL("../../../../target/storefront", import.meta.url).pathname) },
    timeout: { type: "string", default: "15000" },
  },
});
// what each mode's cookies look like to the browser, and where the page finds the CSRF token
const MODES = {
  "same-site": { prefix: "__Host-", secure: true, sameSite: ["Lax", "Strict"], domain: null, csrfFrom: "cookie" },
  "shared-domain": { prefix: "__Secure-", secure: true, sameSite: ["Lax", "Strict"], domain: "shop.localhost", csrfFrom: "cookie" },
  "cross-site": { prefix: "__Secure-", secure: true, sameSite: ["None", "None"], domain: "shop.localhost", csrfFrom: "header", thirdParty: true },
  "cross-site-partitioned": { prefix: "__Secure-", secure: true, sameSite: ["None", "None"], domain: "shop.localhost", csrfFrom: "header",
    partitioned: true },
  dev: { prefix: "", secure: false, sameSite: ["Lax", "Strict"], domain: null, csrfFrom: "cookie" },
};
const mode = MODES[opts.mode];
if (!mode) throw new Error(`--mode must be one of ${Object.keys(MODES).join(", ")}, not ${opts.mode}`);
const TIMEOUT = Number(opts.timeout);
const PASSWORD = "correct horse battery staple";
const email = `storefront-${opts.mode}-${Date.now()}@example.com`;

let step = "start";
const log = (msg) => console.log(`[e2e ${opts.mode}] ${msg}`);
function check(condition, what) {
  if (!condition) throw new Error(`${step}: ${what}`);
}

/** Waits until the element's text matches, and returns it: what the shopper would read. */
async function seeText(page, selector, pattern) {
  const locator = page.locator(selector);
  try {
    await locator.filter({ hasText: pattern }).first().waitFor({ timeout: TIMEOUT });
  } catch {
    const shown = (await locator.allTextContents().catch(() => [])).join(" | ");
    const message = await page.locator("#message").textContent().catch(() => "");
    throw new Error(`${step}: expected ${selector} to show ${pattern}, it shows "${shown}" (status line: "${message}")`);
  }
  return (await locator.first().textContent()) ?? "";
}

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

/**
 * Reported, not asserted (browser policy is the browser's): whether this Chromium, with its default settings, keeps the
 * cookies the API sets for a page on another site. The README's "Third-party cookies" paragraph rests on this line.
 */
async function observeDefaultThirdPartyCookies() {
  const dir = await mkdtemp(join(tmpdir(), "harmony-storefront-defaults-"));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: opts.chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${opts.page}/?api=${encodeURIComponent(opts.api)}`);
    const status = await page.evaluate(async (api) => (await fetch(`${api}/v1/carts`, { method: "POST", credentials: "include" })).status, opts.api);
    const kept = (await ctx.cookies(opts.api)).filter((c) => c.name.endsWith("harmony_cart")).length > 0;
    log(`with Chromium's default settings, a guest cart (HTTP ${status}) gets its cookie: ${kept ? "yes" : "no, third-party cookies are blocked"}`);
  } finally {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await mkdir(opts.out, { recursive: true });
if (mode.thirdParty) {
  await observeDefaultThirdPartyCookies();
}
const profile = await mkdtemp(join(tmpdir(), "harmony-storefront-"));
// A persistent context is a normal profile (a fresh one per run), not Playwright's off-the-record browser.newContext().
// This Chromium blocks third-party cookies by default (the API's Set-Cookie answers to a page on another site are
// "blocked: UserPreferences"): the cross-site mode needs a browser that allows them, so its profile says so, as a
// shopper's "Allow third-party cookies" setting would. The other modes run with the default settings, the partitioned
// one (CHIPS) proving cookies for a page on another site under them.
if (mode.thirdParty) {
  await mkdir(join(profile, "Default"), { recursive: true });
  await writeFile(join(profile, "Default", "Preferences"),
    JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
}
const context = await chromium.launchPersistentContext(profile, {
  executablePath: opts.chromium,
  headless: true,
  args: CHROMIUM_ARGS,
  viewport: { width: 1280, height: 900 },
});
const pageErrors = [];
const failedCalls = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // the browser logs every non-2xx answer as a console error ("Failed to load resource"): /v1/me answers a guest 401
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && pageErrors.push(m.text()));
  page.on("requestfailed", (r) => failedCalls.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));

  step = "open the storefront";
  await page.goto(`${opts.page}/?api=${encodeURIComponent(opts.api)}`);
  await page.locator("body[data-ready=true]").waitFor();
  await seeText(page, "#session-status", /^Guest$/);
  const all = await page.locator("[data-testid=product]").count();
  check(all > 1, `the catalog shows ${all} products`);
  log(`catalog: ${all} products on the first page`);

  step = "search";
  await page.fill("#search-input", "linen");
  await page.click("#search-button");
  await seeText(page, "#message", /products match “linen”/);
  const titles = await page.locator("[data-testid=product] .title").allTextContents();
  check(titles.some((t) => /linen/i.test(t)), `a linen product among ${titles.join(", ")}`);
  check(!titles.includes("Cast iron skillet"), "no unrelated product in the results");
  log(`search "linen": ${titles.join(", ")}`);

  step = "add to the cart as a guest";
  // the first linen product of the sample catalog is sold out: the page says so and offers no button
  const soldOut = page.locator("[data-testid=product]").filter({ hasText: "Sold out" });
  check((await soldOut.getByTestId("add-to-cart").count()) === 0, "a sold-out product has no Add to cart button");
  await page.locator("[data-testid=product]").filter({ hasText: "Linen camp shirt" }).getByTestId("add-to-cart").click();
  await seeText(page, "#cart-count", /^1$/);
  await seeText(page, "#cart-owner", /guest cart/);
  await page.fill("#search-input", "skillet");
  await page.click("#search-button");
  await seeText(page, "#message", /products match “skillet”/);
  await page.locator("[data-testid=product]").filter({ hasText: "Cast iron skillet" }).getByTestId("add-to-cart").click();
  await seeText(page, "#cart-count", /^2$/);
  const guestLines = await page.locator("[data-testid=cart-line]").allTextContents();
  check(guestLines.length === 2, `two guest cart lines, got ${guestLines.join(" | ")}`);
  const guestCookies = await context.cookies(opts.api);
  check(guestCookies.some((c) => c.name.endsWith("harmony_cart") && c.httpOnly), "the browser holds the HttpOnly cart cookie");
  log(`guest cart: ${guestLines.join(" | ")}`);

  step = "register";
  await page.getByTestId("register-name").fill("Ada Lovelace");
  await page.getByTestId("register-email").fill(email);
  await page.getByTestId("register-password").fill(PASSWORD);
  await page.getByTestId("register-line1").fill("12 Analytical Way");
  await page.getByTestId("register-city").fill("Springfield");
  await page.getByTestId("register-postal-code").fill("62701");
  await page.getByTestId("register-country").fill("US");
  await page.getByTestId("register-adult").check();
  await page.getByTestId("register-button").click();
  await seeText(page, "#message", new RegExp(`Registered ${email.replace(/[.+]/g, "\\$&")}`));
  log(`registered ${email}`);

  step = "sign in with cookies";
  check((await page.getByTestId("sign-in-email").inputValue()) === email, "the sign-in form has the new email");
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-button").click();
  await seeText(page, "#session-status", new RegExp(`Signed in as Ada Lovelace <${email.replace(/[.+]/g, "\\$&")}>`));

  step = "the guest cart merged into the account's";
  await seeText(page, "#cart-owner", /your account's cart/);
  await seeText(page, "#cart-count", /^2$/);
  const merged = await page.locator("[data-testid=cart-line]").allTextContents();
  check(merged.length === 2 && merged.some((l) => /skillet/i.test(l)), `the merged cart shows both lines: ${merged.join(" | ")}`);
  log(`merged cart: ${merged.join(" | ")}`);

  step = "cookies as the mode says";
  const cookies = await context.cookies(opts.api);
  const byName = Object.fromEntries(cookies.map((c) => [c.name, c]));
  const prefix = mode.prefix;
  for (const name of ["harmony_session", "harmony_refresh", "harmony_csrf"]) {
    const c = byName[prefix + name];
    check(c, `the browser holds ${prefix}${name} (it holds ${Object.keys(byName).join(", ")})`);
    check(c.secure === mode.secure, `${c.name} Secure=${c.secure}`);
    check(c.httpOnly === (name !== "harmony_csrf"), `${c.name} HttpOnly=${c.httpOnly}`);
    const expected = mode.sameSite[name === "harmony_session" ? 0 : 1];
    check(c.sameSite === expected, `${c.name} SameSite=${c.sameSite}, expected ${expected}`);
    // Playwright shows a Domain cookie as ".domain", a host-only one as the bare host
    check(mode.domain ? c.domain === `.${mode.domain}` : !c.domain.startsWith("."), `${c.name} Domain=${c.domain}`);
    // a partitioned cookie lives in the jar of the top-level site: the page's
    check(Boolean(mode.partitioned) === Boolean(c.partitionKey), `${c.name} partitionKey=${c.partitionKey}`);
  }
  check(!byName[`${prefix}harmony_cart`], "the guest cart cookie is gone after the merge");
  const readable = await page.evaluate(() => document.cookie);
  check(!/harmony_session|harmony_refresh/.test(readable), "the page's script cannot read the session or refresh cookie");
  const readsCookie = mode.csrfFrom === "cookie";
  check(readsCookie === new RegExp(`(^|; )${prefix}harmony_csrf=`).test(readable),
    `document.cookie ${readsCookie ? "must" : "must not"} show the API's CSRF cookie: "${readable}"`);
  await seeText(page, "#csrf-source", new RegExp(`^${mode.csrfFrom}$`));
  log(`cookies: ${cookies.map((c) => `${c.name} (SameSite=${c.sameSite}${c.httpOnly ? ", HttpOnly" : ""}, Domain=${c.domain}${c.partitionKey ? `, partitioned for ${c.partitionKey}` : ""})`).join("; ")}`);

  step = "check out with the test card";
  await page.getByTestId("payment-token").selectOption("tok_visa");
  await page.getByTestId("checkout-button").click();
  const placed = await seeText(page, "#message", /Order .+ placed: paid/);
  check(/visa ending 4242/i.test(placed), `the card is named: ${placed}`);
  await seeText(page, "#cart-count", /^0$/);

  step = "see the order";
  const order = await seeText(page, "[data-testid=order]", /paid · 2 item\(s\)/);
  const number = await page.locator("[data-testid=order]").first().getAttribute("data-number");
  check(number && placed.includes(number), `the order list shows the placed order ${number}`);
  log(`order: ${order}`);

  step = "screenshot";
  const shot = join(opts.out, `${opts.mode}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  log(`screenshot: ${shot}`);

  step = "sign out";
  await page.getByTestId("sign-out").click();
  await seeText(page, "#message", /^Signed out$/);
  await seeText(page, "#session-status", /^Guest$/);
  const left = (await context.cookies(opts.api)).map((c) => c.name).filter((n) => /harmony_(session|refresh|csrf)/.test(n));
  check(left.length === 0, `sign-out cleared the credential cookies, left: ${left.join(", ")}`);

  step = "no errors";
  check(pageErrors.length === 0, `the page logged errors: ${pageErrors.join(" | ")}`);
  check(failedCalls.length === 0, `requests failed: ${failedCalls.join(" | ")}`);
  log("passed");
} catch (e) {
  const shot = join(opts.out, `${opts.mode}-failure.png`);
  await context.pages()[0]?.screenshot({ path: shot, fullPage: true }).catch(() => {});
  console.error(`[e2e ${opts.mode}] FAILED at "${step}": ${e instanceof Error ? e.message : e}`);
  if (pageErrors.length) console.error(`[e2e ${opts.mode}] page errors: ${pageErrors.join(" | ")}`);
  if (failedCalls.length) console.error(`[e2e ${opts.mode}] failed requests: ${failedCalls.join(" | ")}`);
  console.error(`[e2e ${opts.mode}] screenshot of the failure: ${shot}`);
  process.exitCode = 1;
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
