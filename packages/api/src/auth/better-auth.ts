import { hkdfSync } from "node:crypto";
import { type HostedIdKind, newHostedId } from "@agentos/core";
import type { Database } from "@agentos/db";
import { parseSecretKey } from "@agentos/db";
import { AUTH_MODELS, type HostedRepositories } from "@agentos/db/auth";
import { mcp } from "@better-auth/mcp";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { genericOAuth, jwt, organization } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, memberAc, ownerAc } from "better-auth/plugins/organization/access";
import type { TenancyEnv } from "./env";
import type { SignInOptions } from "./mount";

const accessControl = createAccessControl(defaultStatements);

export const AUTH_BASE_PATH = "/api/auth";
export const MCP_RESOURCE_PATH = "/mcp";
/** Token scopes an MCP client may ask for (the API's own scopes). */
export const OAUTH_SCOPES = ["read", "write", "run", "admin"] as const;
export const WORKSPACE_CLAIM = "https://agentos.dev/workspace";

const ID_KINDS: Record<string, HostedIdKind> = {
  user: "user",
  session: "session",
  account: "account",
  verification: "verification",
  organization: "workspace",
  member: "member",
  invitation: "invitation",
};

export interface StudioAuthOptions {
  db: Database;
  repos: HostedRepositories;
  env: TenancyEnv & { AGENTOS_SECRET_KEY: string; CORS_ORIGINS: string[] };
  log?: (message: string) => void;
}

/** The Better Auth secret: AGENTOS_AUTH_SECRET, or a key derived from the Studio's master key. */
function authSecret(env: StudioAuthOptions["env"]): string {
  if (env.AGENTOS_AUTH_SECRET) return env.AGENTOS_AUTH_SECRET;
  const derived = hkdfSync("sha256", parseSecretKey(env.AGENTOS_SECRET_KEY), "", "agentos/better-auth", 32);
  return Buffer.from(derived).toString("base64url");
}

/**
 * Better Auth for a hosted Studio: email + password (scrypt) and optional GitHub, Google and OIDC
 * sign-in; sessions in HTTP-only cookies; workspaces as organizations with owner, admin, member
 * and viewer; sign-in throttling and lockout; and, when AGENTOS_PUBLIC_URL is set, the OAuth 2.1
 * authorization server MCP clients sign in through.
 */
export function createStudioAuth({ db, repos, env, log = console.log }: StudioAuthOptions) {
  const publicUrl = env.AGENTOS_PUBLIC_URL?.replace(/\/+$/, "");
  const social: Record<string, { clientId: string; clientSecret: string }> = {};
  if (env.AGENTOS_GITHUB_CLIENT_ID && env.AGENTOS_GITHUB_CLIENT_SECRET)
    social.github = {
      clientId: env.AGENTOS_GITHUB_CLIENT_ID,
      clientSecret: env.AGENTOS_GITHUB_CLIENT_SECRET,
    };
  if (env.AGENTOS_GOOGLE_CLIENT_ID && env.AGENTOS_GOOGLE_CLIENT_SECRET)
    social.google = {
      clientId: env.AGENTOS_GOOGLE_CLIENT_ID,
      clientSecret: env.AGENTOS_GOOGLE_CLIENT_SECRET,
    };

  const mirror = async ({
    organization: org,
  }: {
    organization: { id: string; name: string; slug: string } | null;
  }) => {
    if (org) await repos.tenancy.mirrorWorkspace(org);
  };

  const plugins = [
    organization({
      ac: accessControl,
      roles: {
        owner: ownerAc,
        admin: adminAc,
        member: memberAc,
        viewer: accessControl.newRole({ organization: [] }),
      },
      creatorRole: "owner",
      invitationExpiresIn: 7 * 24 * 3600,
      // Studio sends no email, so none is verified: the unguessable invitation id, shared by the
      // inviter, is what proves the invitee.
      requireEmailVerificationOnInvitation: false,
      // Studio sends no email: the inviter shares the accept link the API answers with.
      sendInvitationEmail: async (data) =>
        log(
          `[auth] ${data.inviter.user.email} invited ${data.email} to ${data.organization.name} as ${data.role}`,
        ),
      organizationHooks: {
        afterCreateOrganization: mirror,
        afterUpdateOrganization: mirror,
      },
    }),
    ...(env.AGENTOS_OIDC_ISSUER && env.AGENTOS_OIDC_CLIENT_ID
      ? [
          genericOAuth({
            config: [
              {
                providerId: "oidc",
                name: env.AGENTOS_OIDC_NAME,
                discoveryUrl: `${env.AGENTOS_OIDC_ISSUER.replace(/\/+$/, "")}/.well-known/openid-configuration`,
                clientId: env.AGENTOS_OIDC_CLIENT_ID,
                ...(env.AGENTOS_OIDC_CLIENT_SECRET ? { clientSecret: env.AGENTOS_OIDC_CLIENT_SECRET } : {}),
                scopes: ["openid", "email", "profile"],
                pkce: true,
              },
            ],
          }),
        ]
      : []),
    ...(publicUrl
      ? [
          jwt(),
          mcp({
            resource: `${publicUrl}${MCP_RESOURCE_PATH}`,
            loginPage: "/sign-in",
            consentPage: "/consent",
            scopes: [...OAUTH_SCOPES, "offline_access"],
            allowDynamicClientRegistration: true,
            allowUnauthenticatedClientRegistration: true,
            clientRegistrationDefaultScopes: [...OAUTH_SCOPES, "offline_access"],
            postLogin: {
              page: "/sign-in",
              shouldRedirect: async () => false,
              consentReferenceId: async ({ session }) =>
                (session as { activeOrganizationId?: string | null }).activeOrganizationId ?? undefined,
            },
            customAccessTokenClaims: async ({ referenceId }) =>
              referenceId ? { [WORKSPACE_CLAIM]: referenceId } : {},
          }),
        ]
      : []),
  ];

  return betterAuth({
    appName: "AgentOS Studio",
    ...(publicUrl ? { baseURL: publicUrl } : {}),
    basePath: AUTH_BASE_PATH,
    secret: authSecret(env),
    trustedOrigins: [...(publicUrl ? [publicUrl] : []), ...env.CORS_ORIGINS],
    database: drizzleAdapter(db, { provider: "sqlite", schema: AUTH_MODELS }),
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 256, autoSignIn: true },
    socialProviders: social,
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 20 }, "/sign-up/email": { window: 60, max: 10 } },
    },
    telemetry: { enabled: false },
    advanced: {
      useSecureCookies: publicUrl?.startsWith("https://") ?? false,
      cookiePrefix: "agentos",
      database: {
        generateId: ({ model }) => newHostedId(ID_KINDS[model] ?? "oauth"),
      },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            if (await mayCreateAccount(repos, env, user.email)) return { data: user };
            throw new APIError("FORBIDDEN", {
              message:
                env.AGENTOS_SIGNUP === "invite" || env.AGENTOS_SIGNUP === "first"
                  ? "Sign-up needs an invitation: ask a workspace admin to invite this email."
                  : "Sign-up is closed on this Studio.",
            });
          },
          after: async (user) => {
            // Invited accounts join the inviting workspace when they accept; others get their own.
            if (!(await repos.tenancy.hasPendingInvitation(user.email))) {
              await repos.tenancy.createOwnWorkspace(user);
            }
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/oauth2/register") return nativeLoopbackClient(ctx.body);
        if (ctx.path !== "/sign-in/email") return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        const lockedMs = await repos.loginFailures.lockedForMs(email);
        if (lockedMs > 0) {
          throw new APIError("TOO_MANY_REQUESTS", {
            message: `Too many failed sign-ins for this account: try again in ${Math.ceil(lockedMs / 60_000)} minute(s), or reset the password.`,
          });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/sign-in/email") {
          const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
          if (isAPIError(ctx.context.returned)) {
            if ((ctx.context.returned as { statusCode?: number }).statusCode === 401) {
              await repos.loginFailures.recordFailure(email);
            }
            return;
          }
          await repos.loginFailures.clear(email);
        }
        const session = ctx.context.newSession;
        if (
          session &&
          (ctx.path.startsWith("/sign-in") ||
            ctx.path.startsWith("/callback") ||
            ctx.path.startsWith("/oauth2/callback") ||
            ctx.path.startsWith("/sign-up"))
        ) {
          for (const m of await repos.tenancy.memberships(session.user.id)) {
            await repos.audit.record({
              workspaceId: m.id,
              action: "auth.sign_in",
              actorKind: "user",
              actorId: session.user.id,
              detail: { method: ctx.path, email: session.user.email },
            });
          }
        }
      }),
    },
    plugins,
  });
}
export type StudioAuth = ReturnType<typeof createStudioAuth>;

/**
 * MCP clients (CLIs, IDEs) register loopback http redirect URIs without an application_type,
 * which OAuth treats as a web client and refuses; such a registration is a native client's.
 */
function nativeLoopbackClient(body: unknown) {
  const metadata = body as { application_type?: string; redirect_uris?: unknown } | undefined;
  const uris = Array.isArray(metadata?.redirect_uris) ? (metadata.redirect_uris as unknown[]) : [];
  const isLoopbackHttp = (uri: unknown) =>
    typeof uri === "string" && /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(uri);
  if (!metadata || metadata.application_type || uris.length === 0 || !uris.every(isLoopbackHttp)) return;
  return { context: { body: { ...metadata, application_type: "native" } } };
}

/** The sign-in providers the env configures, as the sign-in page lists them. */
export function signInProviders(env: TenancyEnv): SignInOptions["providers"] {
  const providers: SignInOptions["providers"] = [];
  if (env.AGENTOS_GITHUB_CLIENT_ID && env.AGENTOS_GITHUB_CLIENT_SECRET)
    providers.push({ id: "github", name: "GitHub", kind: "social" });
  if (env.AGENTOS_GOOGLE_CLIENT_ID && env.AGENTOS_GOOGLE_CLIENT_SECRET)
    providers.push({ id: "google", name: "Google", kind: "social" });
  if (env.AGENTOS_OIDC_ISSUER && env.AGENTOS_OIDC_CLIENT_ID)
    providers.push({ id: "oidc", name: env.AGENTOS_OIDC_NAME, kind: "oidc" });
  return providers;
}

/** The sign-up policy: who may create an account now. */
async function mayCreateAccount(
  repos: HostedRepositories,
  env: StudioAuthOptions["env"],
  email: string,
): Promise<boolean> {
  if (env.AGENTOS_SIGNUP === "open") return true;
  if (await repos.tenancy.hasPendingInvitation(email)) return true;
  if (env.AGENTOS_ADMIN_EMAIL && email.toLowerCase() === env.AGENTOS_ADMIN_EMAIL.toLowerCase()) return true;
  return env.AGENTOS_SIGNUP === "first" && (await repos.tenancy.userCount()) === 0;
}

/** Creates the admin named by AGENTOS_ADMIN_EMAIL/PASSWORD unless the account exists. */
export async function bootstrapAdmin(
  auth: StudioAuth,
  repos: HostedRepositories,
  env: StudioAuthOptions["env"],
): Promise<void> {
  if (!env.AGENTOS_ADMIN_EMAIL || !env.AGENTOS_ADMIN_PASSWORD) return;
  if (await repos.tenancy.userByEmail(env.AGENTOS_ADMIN_EMAIL)) return;
  try {
    await auth.api.signUpEmail({
      body: { email: env.AGENTOS_ADMIN_EMAIL, password: env.AGENTOS_ADMIN_PASSWORD, name: "Admin" },
    });
  } catch (error) {
    // Another process starting on the same database created it first.
    if (await repos.tenancy.userByEmail(env.AGENTOS_ADMIN_EMAIL)) return;
    throw error;
  }
}
