// The README's "Build a frontend in five minutes" example, compiled with the storefront so it keeps matching the spec.
import createClient from "openapi-fetch";
import type { paths } from "../api/schema";

const api = createClient<paths>({ baseUrl: "http://localhost:8080", credentials: "include" });

export async function listProducts(q: string): Promise<string[]> {
  const { data, error } = await api.GET("/v1/products", { params: { query: { q, limit: 5 } } });
  if (error) throw new Error(`${error.status} ${error.title}`); // an RFC 9457 problem, typed
  return (data.data ?? []).map((p) => `${p.title} from ${p.price_range?.min?.amount_minor} ${p.price_range?.min?.currency}`);
}
