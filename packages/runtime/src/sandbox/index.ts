export type {
  ExecChunk,
  ExecEvent,
  ExecRequest,
  ExecResult,
  SandboxFileEntry,
  SandboxProvider,
} from "./provider";
