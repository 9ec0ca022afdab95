import { monotonicFactory } from "ulid";

/**
 * Prefixes of hosted-mode ids (accounts, budgets, secrets, audit), in the same `<prefix>_<ulid>`
 * shape as `newId`, so `Id` validates them too.
 */
export const HOSTED_ID_PREFIXES = {
  user: "usr",
  session: "ses",
  account: "acct",
  verification: "ver",
  workspace: "ws",
  member: "mem",
  invitation: "inv",
  oauth: "oa",
  budget: "bdg",
  secret: "sec",
  audit: "aud",
} as const;
export type HostedIdKind = keyof typeof HOSTED_ID_PREFIXES;

const nextUlid = monotonicFactory();

/** A new time-ordered hosted-mode id, e.g. `bdg_01jh…`. */
export function newHostedId(kind: HostedIdKind): string {
  return `${HOSTED_ID_PREFIXES[kind]}_${nextUlid().toLowerCase()}`;
}
