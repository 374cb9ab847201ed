import { beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

interface Item {
  id: number;
  name1: string;
  customerNumber: string;
  city: string | null;
}

const CUSTOMERS = [
  {
    name1: "Äpfel & Birnen KG",
    status: "active",
    customerGroup: "Handel",
    owner: "anna",
    tags: ["Export"],
    city: "Köln",
    postalCode: "50667",
  },
  {
    name1: "Zander Logistik",
    status: "prospect",
    customerGroup: "Logistik",
    owner: "ben",
    tags: [],
    city: "Hamburg",
    postalCode: "20095",
  },
  {
    name1: "Bäckerei Groß",
    status: "active",
    customerGroup: "Handel",
    owner: "ben",
    tags: ["Export", "Stammkunde"],
    city: "München",
    postalCode: "80331",
  },
  {
    name1: "Müller Metallbau",
    status: "inactive",
    customerGroup: "Industrie",
    owner: "anna",
    tags: [],
    city: "Köln",
    postalCode: "50668",
    block: { type: "delivery", reason: "Zahlungsverzug" },
  },
  {
    name1: "Elektro Weiß",
    status: "active",
    customerGroup: "Industrie",
    owner: "anna",
    tags: ["Stammkunde"],
    city: "Muenchen",
    postalCode: "80333",
  },
  {
    name1: "alpha IT",
    status: "active",
    customerGroup: null,
    owner: null,
    tags: [],
    city: "Berlin",
    postalCode: "10115",
  },
];

forEachEngine("customer list API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  const ids = new Map<string, number>();

  beforeAll(async () => {
    for (const c of CUSTOMERS) {
      const { city, postalCode, ...rest } = c;
      const res = await api.post("/customers", {
        kind: "company",
        ...rest,
        addresses: [
          { type: "billing", street: "Weg 1", postalCode, city },
          // A delivery address elsewhere must not make the customer match that city.
          { type: "delivery", street: "Lager 9", postalCode: "04109", city: "Leipzig" },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.set(c.name1, res.json().customer.id);
    }
  });

  const names = async (query: string) => {
    const res = await api.get(`/customers?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Item[]).map((i) => i.name1);
  };

  it("sorts by name ignoring case and umlauts (Ä as Ae), the same on both engines", async () => {
    expect(await names("sort=name")).toEqual([
      "Äpfel & Birnen KG",
      "alpha IT",
      "Bäckerei Groß",
      "Elektro Weiß",
      "Müller Metallbau",
      "Zander Logistik",
    ]);
    expect((await names("sort=-name"))[0]).toBe("Zander Logistik");
  });

  it("sorts by customer number and creation time", async () => {
    const res = (await api.get("/customers?sort=customerNumber")).json().items as Item[];
    const numbers = res.map((i) => i.customerNumber);
    expect(numbers).toEqual([...numbers].sort());
    expect((await names("sort=-createdAt"))[0]).toBe("alpha IT");
  });

  it.each([
    ["status=active", ["Äpfel & Birnen KG", "alpha IT", "Bäckerei Groß", "Elektro Weiß"]],
    ["group=Industrie", ["Elektro Weiß", "Müller Metallbau"]],
    ["owner=ben", ["Bäckerei Groß", "Zander Logistik"]],
    ["tag=Export", ["Äpfel & Birnen KG", "Bäckerei Groß"]],
    ["city=k%C3%B6ln", ["Äpfel & Birnen KG", "Müller Metallbau"]],
    ["city=M%C3%BCnchen", ["Bäckerei Groß", "Elektro Weiß"]],
    ["postalCode=80331", ["Bäckerei Groß"]],
    ["postalCode=5066*", ["Äpfel & Birnen KG", "Müller Metallbau"]],
    ["city=Leipzig", []],
    ["postalCode=04109", []],
    ["blocked=true", ["Müller Metallbau"]],
    ["blocked=false&group=Industrie", ["Elektro Weiß"]],
    ["status=active&tag=Stammkunde&owner=anna", ["Elektro Weiß"]],
  ])("filters %s", async (query, expected) => {
    expect(await names(`${query}&sort=name`)).toEqual(expected);
  });

  it("shows the default billing address in each row", async () => {
    const items = (await api.get("/customers?tag=Export&sort=name")).json().items as Item[];
    expect(items.map((i) => i.city)).toEqual(["Köln", "München"]);
  });

  it("pages with a cursor: no row twice, none left out, total counted", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api.get(`/customers?sort=name&limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      const body = res.json();
      expect(body.total).toBe(6);
      expect(body.totalExact).toBe(true);
      seen.push(...(body.items as Item[]).map((i) => i.name1));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(await names("sort=name"));
  });

  it("pages backwards-sorted lists too", async () => {
    const first = (await api.get("/customers?sort=-name&limit=2")).json();
    const second = (await api.get(`/customers?sort=-name&limit=2&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...second.items].map((i: Item) => i.name1)).toEqual(
      (await names("sort=-name")).slice(0, 4),
    );
  });

  it("the total follows creates and deletes at once (cached totals are dropped on writes)", async () => {
    const total = async () => (await api.get("/customers?group=Zuwachs&limit=1")).json().total;
    const a = (await api.post("/customers", { kind: "company", name1: "Zuwachs A", customerGroup: "Zuwachs" })).json();
    await api.post("/customers", { kind: "company", name1: "Zuwachs B", customerGroup: "Zuwachs" });
    expect(await total()).toBe(2);
    await api.post("/customers", { kind: "company", name1: "Zuwachs C", customerGroup: "Zuwachs" });
    expect(await total()).toBe(3);
    expect((await api.del(`/customers/${a.customer.id}`, 1)).statusCode).toBe(204);
    expect(await total()).toBe(2);
  });

  it("leaves the count out when asked", async () => {
    const body = (await api.get("/customers?count=false&limit=1")).json();
    expect(body.total).toBeNull();
    expect(body.items).toHaveLength(1);
  });

  it("refuses bad parameters with the field named", async () => {
    expect(fieldCodes(expectProblem(await api.get("/customers?sort=colour"), 400, "validation_failed"))[0]).toMatch(
      /^querystring\/sort:/,
    );
    expect(fieldCodes(expectProblem(await api.get("/customers?limit=0"), 400, "validation_failed"))[0]).toMatch(
      /^querystring\/limit:/,
    );
    expect(fieldCodes(expectProblem(await api.get("/customers?cursor=garbage"), 400, "bad_request"))).toEqual([
      "cursor:invalid_cursor",
    ]);
    expect(fieldCodes(expectProblem(await api.get("/customers?colour=red"), 400, "validation_failed"))).toEqual([
      "querystring/colour:unknown_field",
    ]);
  });
});
