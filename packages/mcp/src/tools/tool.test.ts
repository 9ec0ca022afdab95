import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiProblem } from "../api/studio-api";
import { defineTool, describeInvalidArguments, describeProblem, runTool, type ToolContext } from "./tool";

const problem = (errors?: Array<{ path: string; message: string }>) =>
  new ApiProblem("POST", "/api/agents/agt_x/execute", 400, {
    type: "https://agentos.dev/problems/invalid",
    title: "Invalid request",
    status: 400,
    detail: "see errors",
    ...(errors ? { errors } : {}),
  });

const context = (): ToolContext => ({
  api: {} as ToolContext["api"],
  signal: new AbortController().signal,
  progress: async () => {},
});

describe("tool errors", () => {
  it("name the tool argument for each API field path", () => {
    const text = describeProblem(
      problem([
        { path: "body.model.providerId", message: "prov_x does not exist in this workspace" },
        { path: "path.id", message: "must be an id" },
        { path: "query.limit", message: "too big" },
      ]),
      { "path.id": "agentId" },
    );
    expect(text).toBe(
      "Invalid request (400). Fix these arguments:\n- model.providerId: prov_x does not exist in this workspace\n- agentId: must be an id\n- limit: too big",
    );
  });

  it("fall back to the problem's detail when no field is named", () => {
    expect(describeProblem(problem())).toBe("Invalid request (400): see errors");
  });

  it("list every invalid argument by its path", () => {
    const parsed = z.object({ a: z.object({ b: z.string() }), c: z.number() }).safeParse({ a: { b: 1 } });
    expect(parsed.success).toBe(false);
    const text = describeInvalidArguments("demo", parsed.error!);
    expect(text).toMatch(/^Invalid arguments for demo\. Fix these arguments:\n- a\.b: .*\n- c: /);
  });

  it("an unexpected failure becomes a tool error without internals", async () => {
    const tool = defineTool({
      name: "boom",
      title: "Boom",
      description: "Fails",
      input: z.object({}),
      run: async () => {
        throw new Error("secret internal detail");
      },
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const result = await runTool(tool, {}, context());
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result)).not.toContain("secret internal detail");
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });
});
