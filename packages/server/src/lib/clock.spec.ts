import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { businessClock } from "./clock.js";

describe("business clock", () => {
  const at = (iso: string, zone = "Europe/Berlin") => businessClock(zone, () => new Date(iso));

  it("counts today in the business time zone, not in UTC or the machine's zone", () => {
    // Summer time begins at 01:00 UTC on 28 March 2027; 23:30 UTC that day is 01:30 on the 29th.
    expect(at("2027-03-28T00:30:00Z").today()).toBe("2027-03-28");
    expect(at("2027-03-28T23:30:00Z").today()).toBe("2027-03-29");
    // Winter time returns at 01:00 UTC on 31 October 2027; 23:30 UTC is 00:30 on 1 November.
    expect(at("2027-10-31T00:30:00Z").today()).toBe("2027-10-31");
    expect(at("2027-10-31T23:30:00Z").today()).toBe("2027-11-01");
    expect(at("2027-03-28T23:30:00Z", "America/Los_Angeles").today()).toBe("2027-03-28");
  });

  it("answers now as the stored UTC timestamp and names its zone", () => {
    const c = at("2027-03-28T23:30:00Z");
    expect(c.nowIso()).toBe("2027-03-28T23:30:00.000Z");
    expect(c.dayOf("2027-03-28T22:00:00.000Z")).toBe("2027-03-29");
    expect(c.timeZone).toBe("Europe/Berlin");
  });

  it("is configured by BUSINESS_TIME_ZONE: Europe/Berlin by default, an unknown zone stops start-up", () => {
    expect(loadConfig({}).businessTimeZone).toBe("Europe/Berlin");
    expect(loadConfig({ BUSINESS_TIME_ZONE: "Europe/Vienna" }).businessTimeZone).toBe("Europe/Vienna");
    expect(() => loadConfig({ BUSINESS_TIME_ZONE: "Mars/Olympus" })).toThrow(ConfigError);
    expect(() => loadConfig({ BUSINESS_TIME_ZONE: "Mars/Olympus" })).toThrow(/BUSINESS_TIME_ZONE/);
  });
});
