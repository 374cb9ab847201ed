/**
 * The segment part of `npm run bench`: saved segments over all the bench's customers (status,
 * group, region, tags, contacts, and — when the finance part loaded invoices — revenue band,
 * last purchase and products bought), each evaluated through HTTP as a user would:
 * `POST /segments/{id}/evaluate` gives the exact count and the first page. Target: p99 ≤ 1 s.
 *
 * Nothing is bulk-loaded: the segments read the seeded customers and the finance tables as
 * they are. The run logs in with a session (cookie + CSRF token, as the web UI does).
 */
import autocannon from "autocannon";

export interface SegmentMeasure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  count: number;
}

type Filter = Record<string, unknown>;

/** A date `days` before today, YYYY-MM-DD. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The measured segments; `products` are ids of products the finance part sold (empty: criteria left out). */
export function segmentCases(products: number[]): { name: string; target: "customers" | "contacts"; filter: Filter }[] {
  const cases: { name: string; target: "customers" | "contacts"; filter: Filter }[] = [
    {
      name: "segment: status + groups",
      target: "customers",
      filter: { statuses: ["active"], groups: ["Industrie", "Handwerk"] },
    },
    {
      name: "segment: tags + regions + postal codes",
      target: "customers",
      filter: {
        tags: ["Newsletter", "Stammkunde"],
        regions: ["Nordrhein-Westfalen", "Bayern", "Hessen"],
        postalCodePrefixes: ["4", "5", "8"],
      },
    },
    {
      name: "segment: revenue band, last 12 months",
      target: "customers",
      filter: { revenue: { minCents: 100_000, maxCents: 5_000_000 } },
    },
    {
      name: "segment: last purchase 1–3 years ago",
      target: "customers",
      filter: { lastPurchase: { after: daysAgo(3 * 365), before: daysAgo(365) } },
    },
    {
      name: "segment: primary contacts of active customers",
      target: "contacts",
      filter: { statuses: ["active", "prospect"], contacts: { primaryOnly: true } },
    },
  ];
  if (products.length > 0) {
    cases.push({
      name: "segment: bought products, combined",
      target: "customers",
      filter: {
        statuses: ["active"],
        productsBought: { productIds: products, since: daysAgo(2 * 365) },
        revenue: { minCents: 1 },
        lastPurchase: { after: daysAgo(5 * 365) },
      },
    });
  }
  return cases;
}

async function session(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@kundenakte.test", password: "benchmark password" }),
  });
  if (!res.ok) throw new Error(`login answered ${res.status}`);
  const body = (await res.json()) as { csrfToken: string };
  return {
    cookie: res.headers.get("set-cookie")!.split(";")[0]!,
    "x-csrf-token": body.csrfToken,
    "content-type": "application/json",
  };
}

async function post(base: string, headers: Record<string, string>, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

/**
 * Saves the segments, then evaluates each with one connection (the latency a user waits)
 * and with `connections` at once.
 */
export async function measureSegments(
  port: number,
  duration: number,
  connections: number,
  log: (line: string) => void,
): Promise<Record<string, SegmentMeasure>> {
  const base = `http://127.0.0.1:${port}`;
  const headers = await session(base);
  const products = (
    ((await (await fetch(`${base}/api/v1/products?limit=5`, { headers })).json()) as { items?: { id: number }[] })
      .items ?? []
  ).map((p) => p.id);
  const out: Record<string, SegmentMeasure> = {};
  for (const c of segmentCases(products)) {
    const segment = await post(base, headers, "/api/v1/segments", {
      name: `${c.name} ${Date.now()}`,
      target: c.target,
      filter: c.filter,
    });
    const path = `/api/v1/segments/${segment.id}/evaluate?limit=50`;
    const first = await post(base, headers, path, {});
    const count = Number(first.count);
    const run = (conns: number, seconds: number) =>
      autocannon({
        url: base,
        connections: conns,
        duration: seconds,
        requests: [{ method: "POST", path, headers, body: "{}" }],
      });
    await run(1, 2);
    for (const conns of [1, connections]) {
      const r = await run(conns, duration);
      const label = `${c.name} (${conns} conn.)`;
      out[label] = {
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
        count,
      };
      log(
        `${label.padEnd(56)} ${r.requests.average.toFixed(1).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   ${count.toLocaleString("en")} match${r.non2xx ? `   non-2xx ${r.non2xx}` : ""}`,
      );
    }
  }
  return out;
}
