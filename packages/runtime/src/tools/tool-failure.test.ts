import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { guardedFetch } from "./guarded-fetch";
import { createInputValidator } from "./input";
import { vetUrl } from "./ssrf";
import { ToolFailure } from "./tool-failure";

async function failureOf(promise: Promise<unknown>): Promise<ToolFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!ToolFailure.isInstance(error)) throw new Error(`expected a ToolFailure, got ${String(error)}`);
  return error;
}

const strict = { allowPrivateNetwork: false, howToAllow: "allow it" };

describe("tool failures say what kind they are", () => {
  it("blocked: a private address or a scheme the guard refuses", async () => {
    expect((await failureOf(vetUrl("http://127.0.0.1/", strict))).reason).toBe("blocked");
    expect((await failureOf(vetUrl("file:///etc/passwd", strict))).reason).toBe("blocked");
  });

  it("network: a host that does not resolve, or a refused connection", async () => {
    const lookup = async () => {
      throw new Error("ENOTFOUND");
    };
    expect((await failureOf(vetUrl("http://nowhere.test/", { ...strict, lookup }))).reason).toBe("network");
    const refused = guardedFetch(
      { method: "GET", url: "http://127.0.0.1:9/", headers: new Headers(), timeoutMs: 5_000 },
      { allowPrivateNetwork: true, howToAllow: "" },
    );
    expect((await failureOf(refused)).reason).toBe("network");
  });

  it("timeout: no answer within timeoutMs", async () => {
    const server = createServer(() => {});
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const slow = guardedFetch(
        { method: "GET", url: `http://127.0.0.1:${port}/`, headers: new Headers(), timeoutMs: 100 },
        { allowPrivateNetwork: true, howToAllow: "" },
      );
      expect((await failureOf(slow)).reason).toBe("timeout");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("invalid_input: arguments that miss the input schema; anything else is tool_error", () => {
    const validator = createInputValidator();
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    let failure: unknown;
    try {
      validator.check("weather", schema, {});
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ reason: "invalid_input", details: { fields: [{ path: "city" }] } });
    expect(new ToolFailure("bad template").reason).toBe("tool_error");
  });
});
