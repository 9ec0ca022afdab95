import { monotonicFactory } from "ulid";
import { z } from "zod";

/** Prefixes make an id say what it names (`agt_…` is an agent) and keep ids of kinds apart. */
export const ID_PREFIXES = {
  workspace: "ws",
  agent: "agt",
  tool: "tool",
  mcpServer: "mcp",
  workflow: "wf",
  llmProvider: "prov",
  model: "mdl",
  run: "run",
  runStep: "step",
  conversation: "conv",
  message: "msg",
  feedback: "fb",
  file: "file",
  sandbox: "sbx",
  siteBinding: "site",
  worker: "wrk",
  apiToken: "tok",
  rateLimit: "rl",
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Random bytes for ids, drawn from a pool refilled 4 KiB at a time from the platform CSPRNG (Web
 * Crypto, in Node and browsers alike). ulid's default asks the CSPRNG for one byte per character,
 * sixteen calls an id, which showed as 6% of an API process's CPU under a burst of creates.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;
export function pooledRandom(): number {
  if (poolAt === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  // A byte / 256 is in [0, 1); ulid takes floor(x * 32): each of the 32 characters 8 bytes, unbiased.
  return (pool[poolAt++] as number) / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/** A new time-ordered id with the kind's prefix, e.g. `agt_01JH…`. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid().toLowerCase()}`;
}

export const Id = z
  .string()
  .regex(/^[a-z]{2,5}_[0-9a-z]{26}$/, "must be an id such as agt_01jh5x…")
  .max(40);

/** The workspace every local-mode request belongs to. */
export const LOCAL_WORKSPACE_ID = "ws_00000000000000000000000000";
