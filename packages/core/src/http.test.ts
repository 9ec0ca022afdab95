import { describe, expect, it } from "vitest";
import { stripStudioCredentials } from "./http";

/** The headers a proxy forwards after stripping, from what the client sent. */
function withoutStudioCredentials(sent: Headers): Record<string, string> {
  const headers: Record<string, string> = Object.fromEntries(sent);
  stripStudioCredentials(headers);
  return headers;
}

describe("requests forwarded to sandbox sites", () => {
  it("drop the Studio's session and connection cookies and its API tokens, keeping the site's own", () => {
    const headers = withoutStudioCredentials(
      new Headers({
        cookie:
          "agentos.session_token=abc; cart=3; __Secure-agentos.session_data=x; agentos-connection=%7B%7D; theme=dark",
        authorization: "Bearer agt_secret-token",
        accept: "text/html",
      }),
    );
    expect(headers.cookie).toBe("cart=3; theme=dark");
    expect(headers.authorization).toBeUndefined();
    expect(headers.accept).toBe("text/html");
  });

  it("keeps a site's own Authorization, and drops a cookie header left empty", () => {
    const headers = withoutStudioCredentials(
      new Headers({ cookie: "agentos.session_token=abc", authorization: "Basic dXNlcjpwYXNz" }),
    );
    expect(headers.cookie).toBeUndefined();
    expect(headers.authorization).toBe("Basic dXNlcjpwYXNz");
  });
});
