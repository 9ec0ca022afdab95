import { describe, expect, it } from "vitest";
import { auditedAction } from "./audit-trail";
import { requiredScope } from "./scopes";

describe("scopes per route", () => {
  it("needs read to read, write to change, run to execute, admin to administer", () => {
    expect(requiredScope("GET", "/api/agents")).toBe("read");
    expect(requiredScope("PATCH", "/api/agents/agt_1")).toBe("write");
    expect(requiredScope("DELETE", "/api/runs/run_1")).toBe("write");
    expect(requiredScope("POST", "/api/agents/agt_1/execute")).toBe("run");
    expect(requiredScope("POST", "/api/runs")).toBe("run");
    expect(requiredScope("POST", "/api/runs/run_1/approve")).toBe("run");
    expect(requiredScope("POST", "/api/conversations/conv_1/chat")).toBe("run");
    expect(requiredScope("POST", "/api/conversations/conv_1/messages")).toBe("write");
    expect(requiredScope("POST", "/api/tools/tool_1/test")).toBe("run");
    expect(requiredScope("POST", "/api/mcp-servers/mcp_1/refresh")).toBe("write");
    expect(requiredScope("GET", "/api/tokens")).toBe("admin");
    expect(requiredScope("GET", "/api/settings")).toBe("read");
    expect(requiredScope("PATCH", "/api/settings")).toBe("admin");
    expect(requiredScope("GET", "/api/secrets")).toBe("read");
    expect(requiredScope("POST", "/api/secrets")).toBe("admin");
    expect(requiredScope("GET", "/api/budgets/spend")).toBe("read");
    expect(requiredScope("PATCH", "/api/budgets/bdg_1")).toBe("admin");
    expect(requiredScope("GET", "/api/audit")).toBe("admin");
  });
});

describe("audit actions", () => {
  it("names each mutation by entity and verb", () => {
    expect(auditedAction("POST", "/api/agents")?.action).toBe("agent.create");
    expect(auditedAction("PATCH", "/api/llm/providers/prov_1")).toMatchObject({
      action: "provider.update",
      targetId: "prov_1",
    });
    expect(auditedAction("DELETE", "/api/tokens/tok_1")?.action).toBe("token.revoke");
    expect(auditedAction("POST", "/api/runs")).toMatchObject({ action: "run.start", startsRun: true });
    expect(auditedAction("POST", "/api/agents/agt_1/execute")).toMatchObject({
      action: "run.start",
      startsRun: true,
    });
    expect(auditedAction("POST", "/api/runs/run_1/cancel")?.action).toBe("run.cancel");
    expect(auditedAction("POST", "/api/runs/run_1/approve")?.action).toBe("run.approve");
    expect(auditedAction("GET", "/api/agents")).toBeNull();
  });
});
