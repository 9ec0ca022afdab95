// A minimal OpenID Connect provider on loopback (the maintained `oidc-provider` package with its
// development login and consent screens), standing in for an identity provider such as Okta.
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface LoopbackOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** Starts the provider on `port` with one confidential client redirecting to `redirectUri`. */
export async function startLoopbackOidc(port: number, redirectUri: string): Promise<LoopbackOidc> {
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "agentos-studio";
  const clientSecret = "loopback-oidc-client-secret";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    // Whatever login the development screen is given becomes the account, with an email of its own.
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@oidc.test`, email_verified: true, name: `OIDC ${sub}` }),
    }),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
  });
  provider.proxy = false;
  const server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const actual = (server.address() as AddressInfo).port;
  if (actual !== port) throw new Error(`OIDC provider listens on ${actual}, not ${port}`);
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
