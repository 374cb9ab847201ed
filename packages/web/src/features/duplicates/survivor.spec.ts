import type { Customer } from "@kundenakte/contract";
import { describe, expect, it } from "vitest";
import { recommendedSurvivor } from "./survivor";

const customer = (id: number, createdAt: string, extra: Partial<Customer> = {}) =>
  ({ id, createdAt, name1: `Kunde ${id}`, status: "active", language: "de", ...extra }) as Customer;

describe("recommendedSurvivor", () => {
  it("keeps the older customer, whichever side it is on", () => {
    const old = customer(9, "2020-01-01T00:00:00.000Z");
    const twin = customer(3, "2026-11-25T10:00:00.000Z", { vatId: "DE136695976", industry: "Bau" });
    expect(recommendedSurvivor(old, twin)).toBe(old);
    expect(recommendedSurvivor(twin, old)).toBe(old);
  });

  it("created in the same instant: the more complete one, then the lower id", () => {
    const at = "2026-11-25T10:00:00.000Z";
    const thin = customer(1, at);
    const rich = customer(2, at, { customerGroup: "Handel", owner: "vera@firma.de" });
    expect(recommendedSurvivor(thin, rich)).toBe(rich);
    expect(recommendedSurvivor(rich, thin)).toBe(rich);
    expect(recommendedSurvivor(customer(5, at), customer(4, at)).id).toBe(4);
  });
});
