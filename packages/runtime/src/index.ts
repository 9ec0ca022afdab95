export { type AgentRunDeps, runAgent } from "./agent/run-agent";
export { createRunEventSink, type RunEventSink } from "./engine/event-sink";
export { executeRun } from "./engine/execute-run";
export {
  cancelRunOnInngest,
  createInngestClient,
  createInngestRunFunction,
  type InngestSettings,
  markRunFailed,
  RUN_CANCELLED_EVENT,
  RUN_REQUESTED_EVENT,
  requestRunOnInngest,
  sendApprovalOnInngest,
} from "./engine/inngest";
export { LocalEngine, type LocalEngineOptions, type RunOutcome } from "./engine/local-engine";
export { createLocalStep } from "./engine/local-step";
export { durationMs, RunCancelled, RunFailed, RunSuspended } from "./engine/signals";
export * from "./models/index";
export { createRateLimiter, type RateLimiterOptions } from "./rate-limits/token-bucket";
export type {
  ExecChunk,
  ExecRequest,
  ExecResult,
  SandboxFileEntry,
  SandboxProvider,
} from "./sandbox/provider";
export type { Step, StepEvent } from "./step";
export * from "./tools/index";
export { APPROVAL_EVENT, evaluateCondition, runWorkflow } from "./workflow/run-workflow";
