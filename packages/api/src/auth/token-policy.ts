import { Forbidden, Invalid, type TokenScope } from "@agentos/core";
import type { Principal } from "../context";

/**
 * A new API token may not outlive the present or outrank its creator: its expiry is in the
 * future and its scopes are ones the creator holds (a token cannot mint a stronger token).
 */
export function checkTokenGrant(
  creator: Principal,
  input: { scopes: TokenScope[]; expiresAt: string | null },
): void {
  if (input.expiresAt !== null && Date.parse(input.expiresAt) <= Date.now()) {
    throw Invalid.field("body.expiresAt", "is in the past; give a future time, or null for no expiry");
  }
  const beyond = input.scopes.filter((s) => !creator.scopes.includes(s));
  if (beyond.length > 0) {
    throw new Forbidden(
      `A token can only be given scopes its creator holds; you lack ${beyond.join(", ")}. Ask a workspace admin.`,
    );
  }
}
