import type { HostedRepositories } from "@agentos/db/auth";
import type { StudioAuth } from "./better-auth";
import type { SignInOptions } from "./mount";

/** What accounts, budgets, secrets and audit need in the API; built by `openStudio`. */
export interface TenancyDeps {
  repos: HostedRepositories;
  /** Better Auth, in hosted mode only: local mode has no accounts. */
  auth: StudioAuth | null;
  /** Takes one request from an API token's per-minute allowance. */
  takeRequest(
    subject: string,
    workspaceId: string,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
  /** The public origin (AGENTOS_PUBLIC_URL), when configured. */
  publicUrl: string | null;
  /** Sign-up policy and sign-in providers, for the sign-in page. */
  signIn: SignInOptions;
}
