// The typed Harmony Commerce API client for browsers: openapi-fetch over the types openapi-typescript generates from
// openapi/openapi.yaml (`npm run generate`). Cookies carry the session and the guest cart (credentials: "include");
// every unsafe request echoes the CSRF token in X-CSRF-Token.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type ApiClient = ReturnType<typeof createClient<paths>>;

const CSRF_HEADER = "X-CSRF-Token";
// __Host- over HTTPS (the default), __Secure- with COOKIES_DOMAIN, plain with COOKIES_SECURE=false
const CSRF_COOKIES = ["__Host-harmony_csrf", "__Secure-harmony_csrf", "harmony_csrf"];
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Where the page found the CSRF token it last sent: the API's readable cookie (same site) or a response header (another site). */
export type CsrfSource = "cookie" | "header" | "none";

export interface Csrf {
  /** The token to echo, and where it came from. */
  current(): { token: string | null; source: CsrfSource };
}

/** The API's CSRF cookie, when this page can read it: only when the page is on the API's host (cookies ignore ports). */
function csrfCookie(): string | null {
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    if (eq > 0 && CSRF_COOKIES.includes(name)) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return null;
}

/**
 * A client for the API at baseUrl. The CSRF middleware remembers the token the API announces in the X-CSRF-Token
 * response header (set with the cookie: guest cart creation, sign-in, refresh, a reissue) and prefers the cookie when
 * the page can read it, so both cookie modes work: a page on the same site reads the cookie, one on another site
 * cannot and relies on the header, which CORS lets only the configured origins read.
 */
export function apiClient(baseUrl: string): { api: ApiClient; csrf: Csrf } {
  let announced: string | null = null;
  const csrf: Csrf = {
    current() {
      const cookie = csrfCookie();
      if (cookie) {
        return { token: cookie, source: "cookie" };
      }
      return announced ? { token: announced, source: "header" } : { token: null, source: "none" };
    },
  };
  const middleware: Middleware = {
    onRequest({ request }) {
      if (UNSAFE.has(request.method)) {
        const { token } = csrf.current();
        if (token) {
          request.headers.set(CSRF_HEADER, token);
        }
      }
      return request;
    },
    onResponse({ response }) {
      const token = response.headers.get(CSRF_HEADER);
      if (token) {
        announced = token;
      }
      return response;
    },
  };
  const api = createClient<paths>({ baseUrl, credentials: "include" });
  api.use(middleware);
  return { api, csrf };
}

/** "$19.99" from integer minor units and an ISO 4217 code. */
export function formatMoney(money: Schemas["Money"] | null | undefined): string {
  if (!money || money.amount_minor === undefined || !money.currency) {
    return "";
  }
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat("en", { style: "currency", currency: money.currency }).format(money.amount_minor / 10 ** digits);
}

/** A problem document's message, for the page's status line. */
export function problemText(error: unknown, status: number): string {
  if (error && typeof error === "object") {
    const p = error as { title?: unknown; detail?: unknown; errors?: unknown };
    const fields = Array.isArray(p.errors)
      ? p.errors.map((e: { field?: unknown; message?: unknown }) => `${String(e.field)} ${String(e.message)}`).join("; ")
      : "";
    const text = [p.title, p.detail].filter((x) => typeof x === "string").join(": ");
    return `${status} ${text}${fields ? ` (${fields})` : ""}`;
  }
  return `HTTP ${status}`;
}
