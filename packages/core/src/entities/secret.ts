import { z } from "zod";
import { Id } from "../ids";
import { Description, Stored, Timestamp } from "./common";

/** Secret names are what `{{secret:NAME}}` references: letters, digits and underscores. */
export const SecretName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be letters, digits and _ (e.g. GITHUB_TOKEN)");

/** `{{secret:NAME}}` in a provider key, a tool header or a sandbox env value. */
export const SECRET_REFERENCE = /\{\{\s*secret:([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;

/** Names of the secrets a text references, in order of first use. */
export function secretReferences(text: string): string[] {
  return [...new Set([...text.matchAll(SECRET_REFERENCE)].map((m) => m[1]!))];
}

export const SecretCreate = z.object({
  name: SecretName,
  value: z
    .string()
    .min(1)
    .max(64 * 1024)
    .describe("Write-only: never returned"),
  description: Description.default(""),
});
export type SecretCreate = z.input<typeof SecretCreate>;

export const SecretUpdate = z.object({
  value: z
    .string()
    .min(1)
    .max(64 * 1024)
    .optional(),
  description: Description.optional(),
});
export type SecretUpdate = z.input<typeof SecretUpdate>;

/** A workspace secret as the API shows it: never its value. */
export const Secret = z.object({
  id: Id,
  workspaceId: Id,
  name: SecretName,
  description: z.string(),
  keyId: z.string().describe("Id of the master key that sealed the value"),
  lastUsedAt: Timestamp.nullable(),
  ...Stored,
});
export type Secret = z.infer<typeof Secret>;
