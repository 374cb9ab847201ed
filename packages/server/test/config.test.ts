import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration of the HTTP edge", () => {
  it.each([
    [undefined, false],
    ["false", false],
    ["0", false],
    ["true", true],
    ["TRUE", true],
    ["2", 2],
    ["127.0.0.1", ["127.0.0.1"]],
    ["10.0.0.0/8, 192.168.1.5 ,::1", ["10.0.0.0/8", "192.168.1.5", "::1"]],
    ["loopback,uniquelocal", ["loopback", "uniquelocal"]],
  ])("TRUST_PROXY=%s → %o", (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(["yes", "101", "10.0.0.1,proxy.local", "1.2.3.4/x", ""])("TRUST_PROXY=%s is refused", (value) => {
    if (value === "") expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(false);
    else expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
  });

  it("PUBLIC_URL is an absolute http(s) URL, kept without its trailing slash", () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: "https://crm.example.com/" }).publicUrl).toBe("https://crm.example.com");
    expect(loadConfig({ PUBLIC_URL: "http://10.0.0.5:3000/kunden" }).publicUrl).toBe("http://10.0.0.5:3000/kunden");
    for (const bad of ["crm.example.com", "ftp://x.de", "https://x.de/?a=1", "https://x.de/#top", "https://u:p@x.de"]) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(ConfigError);
    }
  });

  it("METRICS_TOKEN needs 16 printable characters; the shutdown timeout defaults to 10 s", () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: "0123456789abcdef" }).metricsToken).toBe("0123456789abcdef");
    expect(() => loadConfig({ METRICS_TOKEN: "0123456789abcde" })).toThrow(/at least 16/);
    expect(() => loadConfig({ METRICS_TOKEN: "0123456789 abcdef" })).toThrow(/without spaces/);
    expect(loadConfig({}).shutdownTimeoutSeconds).toBe(10);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_SECONDS: "30" }).shutdownTimeoutSeconds).toBe(30);
  });
});
