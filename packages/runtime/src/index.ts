export type {
  ExecChunk,
  ExecRequest,
  ExecResult,
  SandboxFileEntry,
  SandboxProvider,
} from "./sandbox/provider";
export type { Step, StepEvent } from "./step";
