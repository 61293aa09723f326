// A tiny static server for the storefront page (no dependencies): `node server.mjs [port]` (default 5173, or PORT).
// Listens on loopback only, IPv4 and IPv6, so the page opens as http://localhost:5173 and as http://127.0.0.1:5173 —
// two different sites, which is how the e2e proves both cookie modes with one server.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const port = Number(process.argv[2] ?? process.env.PORT ?? 5173);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".map": "application/json; charset=utf-8" };
// URL prefix → folder; nothing else is served (no node_modules listing, no sources but the compiled ones)
const MOUNTS = [["/vendor/openapi-fetch/", "node_modules/openapi-fetch/dist/"], ["/dist/", "dist/"]];
const FILES = { "/": "index.html", "/index.html": "index.html", "/style.css": "style.css" };

async function handle(req, res) {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  let file = FILES[path];
  for (const [prefix, folder] of MOUNTS) {
    if (!file && path.startsWith(prefix)) {
      const rel = normalize(path.slice(prefix.length));
      if (!rel.startsWith("..") && !rel.includes(`${sep}..`)) file = join(folder, rel);
    }
  }
  if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
    res.writeHead(file ? 405 : 404, { "Content-Type": "text/plain" }).end(file ? "method not allowed" : "not found");
    return;
  }
  try {
    const body = await readFile(join(root, file));
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  }
}

for (const host of ["127.0.0.1", "::1"]) {
  const server = createServer((req, res) => void handle(req, res));
  server.on("error", (e) => {
    if (host === "127.0.0.1") throw e;
    console.warn(`[storefront] not listening on [::1]: ${e.message}`);
  });
  server.listen(port, host, () => console.log(`[storefront] http://${host.includes(":") ? `[${host}]` : host}:${port}/`));
}
