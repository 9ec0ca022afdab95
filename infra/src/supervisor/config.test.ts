import { LOG_ENV } from "@agentos/api/node";
import { describe, expect, it } from "vitest";
import { SupervisorEnv } from "./config";

describe("the studio image's supervisor config", () => {
  it("takes the same log settings as every other process", () => {
    for (const name of ["LOG_LEVEL", "LOG_FORMAT"] as const) {
      expect(SupervisorEnv.shape[name].def.innerType.options).toEqual(LOG_ENV[name].def.innerType.options);
      expect(SupervisorEnv.shape[name].description).toBe(LOG_ENV[name].description);
    }
  });

  it("points at the files the image holds", () => {
    const config = SupervisorEnv.parse({});
    expect(config).toMatchObject({
      AGENTOS_WEB_SERVER: "/app/standalone/web/server.js",
      AGENTOS_WORKER_ENTRY: "/app/bin/worker.mjs",
      PORT: 3000,
      HOST: "0.0.0.0",
    });
  });
});
