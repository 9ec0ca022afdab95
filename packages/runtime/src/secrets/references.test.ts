import { describe, expect, it } from "vitest";
import { redactSecrets } from "./references";

describe("secret redaction", () => {
  it("replaces every echo of a secret value, however deep", () => {
    const secrets = new Map([["API_KEY", "s3cr3t-value"]]);
    expect(
      redactSecrets({ body: { echo: "Bearer s3cr3t-value", list: ["s3cr3t-value", 1] }, ok: true }, secrets),
    ).toEqual({ body: { echo: "Bearer [secret:API_KEY]", list: ["[secret:API_KEY]", 1] }, ok: true });
  });
});
