import { describe, expect, it } from "vitest";
import { AgentCreate, AgentUpdate } from "./entities/agent";
import { AgentOsError, Conflict, Invalid, NotFound } from "./errors";
import { Id, newId, pooledRandom } from "./ids";
import { costOf } from "./pricing";

describe("ids", () => {
  it("carry their kind's prefix, sort by creation and validate", () => {
    const ids = Array.from({ length: 50 }, () => newId("agent"));
    expect(ids.every((id) => id.startsWith("agt_") && Id.safeParse(id).success)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
  });

  it("draw their randomness from a pool that refills, spread over all 32 characters", () => {
    const counts = new Array<number>(32).fill(0);
    // More draws than the pool holds, so it refills on the way.
    for (let i = 0; i < 32 * 400; i++) {
      const x = pooledRandom();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      counts[Math.floor(x * 32)] = (counts[Math.floor(x * 32)] ?? 0) + 1;
    }
    // 400 expected per character; a broken pool (zeros, a stuck index) lands far outside this.
    expect(Math.min(...counts)).toBeGreaterThan(250);
    expect(Math.max(...counts)).toBeLessThan(560);
    const fresh = Array.from({ length: 2000 }, () => newId("run"));
    expect(new Set(fresh).size).toBe(2000);
  });
});

describe("errors", () => {
  it("are recognised across bundles by their marker, not their class", () => {
    const foreign = Object.assign(Object.create(null), { [Symbol.for("agentos.error")]: true });
    expect(AgentOsError.isInstance(foreign)).toBe(true);
    expect(AgentOsError.isInstance(new Error("x"))).toBe(false);
    expect(NotFound.isInstance(new NotFound("agent", "agt_1"))).toBe(true);
    expect(NotFound.isInstance(new Conflict("x"))).toBe(false);
    expect(AgentOsError.isInstance(new Conflict("x"))).toBe(true);
  });

  it("say what is missing and map to HTTP statuses", () => {
    const missing = new NotFound("agent", "agt_1");
    expect([missing.status, missing.title, missing.message]).toEqual([
      404,
      "Agent not found",
      "Agent agt_1 does not exist in this workspace.",
    ]);
    expect(new Conflict("x").status).toBe(409);
    expect(Invalid.field("body.name", "too long").errors).toEqual([
      { path: "body.name", message: "too long" },
    ]);
  });
});

describe("costOf", () => {
  it("bills cached input at the cached rate and the rest at full rate", () => {
    const cost = costOf(
      { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 },
      { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
    );
    expect(cost).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10, 10);
  });
});

describe("update schemas", () => {
  it("leave absent fields absent instead of resetting them to defaults", () => {
    expect(AgentUpdate.parse({ name: "x" })).toEqual({ name: "x" });
    expect(
      AgentCreate.parse({ name: "x", model: { providerId: newId("llmProvider"), model: "m" } }).limits
        .maxSteps,
    ).toBe(10);
  });
});
