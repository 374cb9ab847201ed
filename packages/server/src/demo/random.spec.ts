import { describe, expect, it } from "vitest";
import { Random } from "./random.js";

describe("Random", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = new Random(42);
    const b = new Random(42);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    expect(seqA).toEqual(seqB);
    expect(new Random("demo").digits(12)).toBe(new Random("demo").digits(12));
  });

  it("gives different sequences for different seeds", () => {
    expect(new Random(1).next()).not.toBe(new Random(2).next());
    expect(new Random("a").digits(10)).not.toBe(new Random("b").digits(10));
  });

  it("is pinned to mulberry32, so demo data stays the same across versions", () => {
    const rng = new Random(1);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it("stays within its ranges", () => {
    const rng = new Random(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const f = rng.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const n = rng.int(3, 6);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("digits, pick, chance, sample and weighted behave", () => {
    const rng = new Random(3);
    expect(rng.digits(8)).toMatch(/^\d{8}$/);
    expect(rng.digits(0)).toBe("");
    expect(["a", "b", "c"]).toContain(rng.pick(["a", "b", "c"]));
    expect(() => rng.pick([])).toThrow();
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
    const sample = rng.sample([1, 2, 3, 4, 5], 3);
    expect(sample).toHaveLength(3);
    expect(new Set(sample).size).toBe(3);
    expect(rng.sample([1, 2], 5)).toHaveLength(2);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (rng.chance(0.3)) hits++;
    expect(hits).toBeGreaterThan(2_700);
    expect(hits).toBeLessThan(3_300);
    let a = 0;
    const weights = [
      ["a", 9],
      ["b", 1],
    ] as const;
    for (let i = 0; i < 10_000; i++) if (rng.weighted(weights) === "a") a++;
    expect(a).toBeGreaterThan(8_700);
    expect(a).toBeLessThan(9_300);
  });
});
