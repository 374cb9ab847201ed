import { describe, expect, it } from "vitest";
import {
  type Agreement,
  agreementUnitPrice,
  describeAgreement,
  isValidOn,
  levelOf,
  type PriceRequest,
  periodsOverlap,
  resolvePrice,
} from "./price-agreement.js";

let nextId = 1;
const agreement = (a: Partial<Agreement>): Agreement => ({
  id: nextId++,
  customerId: null,
  customerGroup: null,
  productId: null,
  productGroup: null,
  unitPriceCents: null,
  discountBp: null,
  minQuantityMilli: 0,
  validFrom: "2026-01-01",
  validTo: null,
  ...a,
});

const request: PriceRequest = {
  customerId: 7,
  customerGroup: "Händler",
  productId: 42,
  productGroup: "Werkzeug",
  listPriceCents: 1999,
  quantityMilli: 1000,
  onDate: "2026-06-15",
};

const customerProduct = agreement({ customerId: 7, productId: 42, unitPriceCents: 1500 });
const customerGroupOfProducts = agreement({ customerId: 7, productGroup: "Werkzeug", discountBp: 1000 });
const groupProduct = agreement({ customerGroup: "Händler", productId: 42, unitPriceCents: 1700 });
const groupOfProducts = agreement({ customerGroup: "Händler", productGroup: "Werkzeug", discountBp: 500 });

describe("resolvePrice", () => {
  it("takes the most specific level: customer + product, then + group, then customer group…, then the list price", () => {
    const all = [groupOfProducts, groupProduct, customerGroupOfProducts, customerProduct];
    expect(resolvePrice(all, request)).toMatchObject({ unitPriceCents: 1500, level: "customer_product" });
    expect(resolvePrice(all.slice(0, 3), request)).toMatchObject({
      unitPriceCents: 1799, // 1999 − 10 % = 1799.1 → 1799
      level: "customer_product_group",
    });
    expect(resolvePrice(all.slice(0, 2), request)).toMatchObject({
      unitPriceCents: 1700,
      level: "customer_group_product",
    });
    expect(resolvePrice(all.slice(0, 1), request)).toMatchObject({
      unitPriceCents: 1899, // 1999 − 5 % = 1899.05 → 1899
      level: "customer_group_product_group",
    });
    expect(resolvePrice([], request)).toEqual({ unitPriceCents: 1999, agreement: null, level: null });
  });

  it("a more specific agreement wins even when a less specific one is cheaper", () => {
    const cheapGroup = agreement({ customerGroup: "Händler", productGroup: "Werkzeug", unitPriceCents: 1 });
    expect(resolvePrice([cheapGroup, customerProduct], request).agreement).toBe(customerProduct);
  });

  it("ignores agreements of other customers, groups and products", () => {
    const others = [
      agreement({ customerId: 8, productId: 42, unitPriceCents: 1 }),
      agreement({ customerId: 7, productId: 43, unitPriceCents: 1 }),
      agreement({ customerGroup: "Endkunden", productId: 42, unitPriceCents: 1 }),
      agreement({ customerId: 7, productGroup: "Kaffee", unitPriceCents: 1 }),
    ];
    expect(resolvePrice(others, request).agreement).toBeNull();
    // Without a group on the customer or product, group agreements never match.
    expect(resolvePrice([groupOfProducts], { ...request, customerGroup: null }).agreement).toBeNull();
    expect(resolvePrice([customerGroupOfProducts], { ...request, productGroup: null }).agreement).toBeNull();
  });

  it("applies an agreement only on the days it is valid, both ends included", () => {
    const bounded = agreement({ customerId: 7, productId: 42, unitPriceCents: 1000, validTo: "2026-03-31" });
    const at = (onDate: string) => resolvePrice([bounded], { ...request, onDate }).unitPriceCents;
    expect(at("2025-12-31")).toBe(1999);
    expect(at("2026-01-01")).toBe(1000);
    expect(at("2026-03-31")).toBe(1000);
    expect(at("2026-04-01")).toBe(1999);
    expect(resolvePrice([customerProduct], { ...request, onDate: "2099-12-31" }).unitPriceCents).toBe(1500);
  });

  it("the highest minimum quantity the line reaches wins within a level; sign of the quantity ignored", () => {
    const from10 = agreement({ customerId: 7, productId: 42, unitPriceCents: 1400, minQuantityMilli: 10_000 });
    const from100 = agreement({ customerId: 7, productId: 42, unitPriceCents: 1200, minQuantityMilli: 100_000 });
    const all = [from100, customerProduct, from10];
    const at = (quantityMilli: number) => resolvePrice(all, { ...request, quantityMilli }).unitPriceCents;
    expect(at(9_999)).toBe(1500);
    expect(at(10_000)).toBe(1400);
    expect(at(150_000)).toBe(1200);
    expect(at(-150_000)).toBe(1200);
    // Where the only specific agreement is not reached, the next level applies.
    expect(resolvePrice([from10, groupOfProducts], request).level).toBe("customer_group_product_group");
  });

  it("breaks a tie the same way whatever the order of the candidates", () => {
    const older = agreement({ customerId: 7, productId: 42, unitPriceCents: 1, validFrom: "2026-01-01" });
    const newer = agreement({ customerId: 7, productId: 42, unitPriceCents: 2, validFrom: "2026-02-01" });
    expect(resolvePrice([older, newer], request).agreement).toBe(newer);
    expect(resolvePrice([newer, older], request).agreement).toBe(newer);
  });
});

describe("agreementUnitPrice", () => {
  it("rounds a discount half up to the cent", () => {
    expect(agreementUnitPrice({ unitPriceCents: null, discountBp: 1000 }, 1995)).toBe(1796); // 1795.5
    expect(agreementUnitPrice({ unitPriceCents: null, discountBp: 250 }, 349)).toBe(340); // 340.275
    expect(agreementUnitPrice({ unitPriceCents: null, discountBp: 10_000 }, 349)).toBe(0);
    expect(agreementUnitPrice({ unitPriceCents: 1234, discountBp: null }, 99_999)).toBe(1234);
    expect(agreementUnitPrice({ unitPriceCents: null, discountBp: 1 }, 1e12)).toBe(999_900_000_000);
  });
});

describe("validity", () => {
  it("tells overlapping periods, open ends included", () => {
    const p = (validFrom: string, validTo: string | null) => ({ validFrom, validTo });
    expect(periodsOverlap(p("2026-01-01", "2026-01-31"), p("2026-01-31", null))).toBe(true);
    expect(periodsOverlap(p("2026-01-01", "2026-01-31"), p("2026-02-01", null))).toBe(false);
    expect(periodsOverlap(p("2026-01-01", null), p("2020-01-01", "2025-12-31"))).toBe(false);
    expect(periodsOverlap(p("2026-01-01", null), p("2020-01-01", null))).toBe(true);
    expect(isValidOn(p("2026-01-01", null), "2025-12-31")).toBe(false);
  });

  it("knows the level of an agreement", () => {
    expect([customerProduct, customerGroupOfProducts, groupProduct, groupOfProducts].map(levelOf)).toEqual([
      "customer_product",
      "customer_product_group",
      "customer_group_product",
      "customer_group_product_group",
    ]);
  });
});

describe("describeAgreement", () => {
  it("says in German what the agreement is", () => {
    expect(describeAgreement(customerProduct)).toBe("Kundenpreis ab 01.01.2026");
    expect(describeAgreement({ ...customerGroupOfProducts, validTo: "2026-12-31" })).toBe(
      "Kundenrabatt 10 % auf Warengruppe Werkzeug ab 01.01.2026 bis 31.12.2026",
    );
    expect(describeAgreement({ ...groupProduct, minQuantityMilli: 2500 })).toBe(
      "Preis Kundengruppe Händler ab 01.01.2026, ab Menge 2,5",
    );
    expect(describeAgreement({ ...groupOfProducts, discountBp: 250 })).toBe(
      "Rabatt Kundengruppe Händler 2,5 % auf Warengruppe Werkzeug ab 01.01.2026",
    );
  });
});
