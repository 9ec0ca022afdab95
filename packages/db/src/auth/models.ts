import * as t from "../schema";

/**
 * Better Auth's models (core, organization, jwt and oauth-provider plugins) and the tables that
 * hold them, for its drizzle adapter: the keys are Better Auth's model names.
 */
export const AUTH_MODELS = {
  user: t.authUsers,
  session: t.authSessions,
  account: t.authAccounts,
  verification: t.authVerifications,
  organization: t.authOrganizations,
  member: t.authMembers,
  invitation: t.authInvitations,
  jwks: t.authJwks,
  oauthClient: t.oauthClients,
  oauthResource: t.oauthResources,
  oauthClientResource: t.oauthClientResources,
  oauthRefreshToken: t.oauthRefreshTokens,
  oauthAccessToken: t.oauthAccessTokens,
  oauthConsent: t.oauthConsents,
  oauthClientAssertion: t.oauthClientAssertions,
};
