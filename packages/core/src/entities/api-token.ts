import { z } from "zod";
import { Id } from "../ids";
import { Name, Timestamp } from "./common";

export const TokenScope = z.enum(["read", "write", "run", "admin"]);
export type TokenScope = z.infer<typeof TokenScope>;

export const ApiTokenCreate = z.object({
  name: Name,
  scopes: z.array(TokenScope).min(1).default(["read", "write", "run"]),
  expiresAt: Timestamp.nullable().default(null),
});
export type ApiTokenCreate = z.input<typeof ApiTokenCreate>;

export const ApiToken = z.object({
  id: Id,
  workspaceId: Id,
  name: Name,
  prefix: z.string().describe("First characters of the token, to recognise it"),
  scopes: z.array(TokenScope),
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Returned once, at creation: the only time the secret is shown. */
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;
