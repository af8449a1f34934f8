import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("configuration", () => {
  it("starts with local defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: "127.0.0.1", webaseUrl: "http://127.0.0.1:5002/WeBASE-Front", groupId: "group0" });
    expect(c.deploymentFile).toMatch(/deploy\/addresses\/local\.json$/);
  });

  it("names every bad variable", () => {
    expect(() => loadConfig({ PORT: "eighty", DATABASE_URL: "not a url" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "not a url" });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/DATABASE_URL/);
    }
  });

  it("requires real secrets in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET[\s\S]*KMC_KEK/);
    const c = loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(32), KMC_KEK: "ab".repeat(32) });
    expect(c.kmcKek).toBe("ab".repeat(32));
  });
});
