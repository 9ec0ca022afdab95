import { createMiddleware } from "hono/factory";
import type { ApiDeps, ApiEnv } from "../context";
import { problemJson } from "../problem";

/** 429 problem+json with Retry-After once a token has used its requests of the minute. */
export function limitTokenRequests(deps: ApiDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const principal = c.get("principal");
    const subject =
      principal.kind === "token"
        ? principal.tokenId
        : principal.kind === "oauth"
          ? `oauth:${principal.userId}`
          : null;
    if (!subject || !deps.tenancy) return next();
    const result = await deps.tenancy.takeRequest(subject, principal.workspaceId);
    if (result.allowed) return next();
    return problemJson(
      c,
      {
        type: "https://agentos.dev/problems/rate_limited",
        title: "Too many requests",
        status: 429,
        code: "rate_limited",
        detail: `This token made more API requests this minute than AGENTOS_TOKEN_REQUESTS_PER_MINUTE allows; retry in ${result.retryAfterSeconds} s.`,
      },
      { "retry-after": String(result.retryAfterSeconds) },
    );
  });
}
