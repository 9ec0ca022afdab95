import type { JsonValue, Run } from "@agentos/core";
import { type AgentRunDeps, runAgent } from "../agent/run-agent";
import type { Step } from "../step";
import { runWorkflow } from "../workflow/run-workflow";

/** The run function every engine calls: the same code on the local engine and on Inngest. */
export async function executeRun(step: Step, deps: AgentRunDeps, run: Run): Promise<JsonValue> {
  switch (run.kind) {
    case "agent":
    case "chat":
      return runAgent(step, deps, run, { agentId: run.agentId!, input: run.input });
    case "workflow":
      return runWorkflow(step, deps, run);
  }
}
