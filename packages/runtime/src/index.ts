export { type AgentRunDeps, runAgent } from "./agent/run-agent";
export { createRunEventSink, type RunEventSink } from "./engine/event-sink";
export { executeRun } from "./engine/execute-run";
export { LocalEngine, type LocalEngineOptions, type RunOutcome } from "./engine/local-engine";
export { createLocalStep } from "./engine/local-step";
export { durationMs, RunCancelled, RunFailed, RunSuspended } from "./engine/signals";
export type { ModelResolver, RateLimiter, ResolvedModel } from "./models/types";
export type {
  ExecChunk,
  ExecRequest,
  ExecResult,
  SandboxFileEntry,
  SandboxProvider,
} from "./sandbox/provider";
export type { Step, StepEvent } from "./step";
export type { RuntimeTool, ToolContext, ToolResolver } from "./tools/types";
export { APPROVAL_EVENT, evaluateCondition, runWorkflow } from "./workflow/run-workflow";
