import { z } from "zod";

const optional = () => z.string().min(1).optional();

/** Settings of accounts, sign-in, budgets and secrets; part of every API process's StudioEnv. */
export const TENANCY_ENV = {
  AGENTOS_PUBLIC_URL: z
    .url()
    .optional()
    .describe(
      "Origin users reach the Studio at (https://studio.example.com): trusted for CSRF, Secure cookies when https, and enables MCP OAuth",
    ),
  AGENTOS_AUTH_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe(
      "Signs sessions and encrypts the OAuth signing keys; derived from AGENTOS_SECRET_KEY when unset",
    ),
  AGENTOS_PREVIOUS_SECRET_KEYS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .describe(
      "Comma-separated older AGENTOS_SECRET_KEY values, still accepted to open secrets while rotating",
    ),
  AGENTOS_SIGNUP: z
    .enum(["first", "invite", "open"])
    .default("first")
    .describe("Hosted sign-up: first (only while no account exists), invite (invited emails only), open"),
  AGENTOS_ADMIN_EMAIL: z.email().optional().describe("Hosted: the first admin, created at start-up"),
  AGENTOS_ADMIN_PASSWORD: z.string().min(10).optional().describe("Password of AGENTOS_ADMIN_EMAIL"),
  AGENTOS_GITHUB_CLIENT_ID: optional().describe("GitHub OAuth app for sign-in"),
  AGENTOS_GITHUB_CLIENT_SECRET: optional(),
  AGENTOS_GOOGLE_CLIENT_ID: optional().describe("Google OAuth client for sign-in"),
  AGENTOS_GOOGLE_CLIENT_SECRET: optional(),
  AGENTOS_OIDC_ISSUER: z
    .url()
    .optional()
    .describe("Generic OpenID Connect provider for sign-in (issuer URL)"),
  AGENTOS_OIDC_CLIENT_ID: optional(),
  AGENTOS_OIDC_CLIENT_SECRET: optional(),
  AGENTOS_OIDC_NAME: z
    .string()
    .min(1)
    .default("Single sign-on")
    .describe("Button label of the OIDC provider"),
  AGENTOS_LOGIN_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .default(5)
    .describe("Failed sign-ins in a row that lock an account"),
  AGENTOS_LOGIN_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000)
    .describe("How long a locked account waits"),
  AGENTOS_TOKEN_REQUESTS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe("API requests per minute per token (429 with Retry-After beyond)"),
};
const TenancyEnvSchema = z.object(TENANCY_ENV);
export type TenancyEnv = z.output<typeof TenancyEnvSchema>;
