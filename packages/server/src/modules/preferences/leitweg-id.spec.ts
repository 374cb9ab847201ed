import { describe, expect, it } from "vitest";
import { checkLeitwegId, leitwegCheckDigits } from "./leitweg-id.js";

describe("Leitweg-ID", () => {
  it("accepts published examples, with and without a fine address, in any case", () => {
    for (const id of ["04011000-1234512345-06", "992-90009-96", "09564000-NUE0001-49", "04011000-900x999-08"]) {
      expect(checkLeitwegId(id), id).toBeNull();
    }
  });

  it("computes the check digits of the KoSIT example", () => {
    expect(leitwegCheckDigits("04011000", "1234512345")).toBe("06");
    const digits = leitwegCheckDigits("991");
    expect(checkLeitwegId(`991-${digits}`)).toBeNull();
  });

  it("refuses a wrong check digit, a bad format and an unknown state", () => {
    expect(checkLeitwegId("04011000-1234512345-07")).toBe("check_digits");
    expect(checkLeitwegId("04011000-1234512345-60")).toBe("check_digits");
    expect(checkLeitwegId("04011000-12345_12345-06")).toBe("format");
    expect(checkLeitwegId("4-06")).toBe("format");
    expect(checkLeitwegId("0401100012345-06")).toBe("format");
    expect(checkLeitwegId(`17011000-${leitwegCheckDigits("17011000")}`)).toBe("state");
  });
});
