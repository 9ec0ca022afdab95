import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";

// Runs before every route (Node.js runtime). A hosted Studio sends visitors without a session to
// the sign-in page; the session itself is checked by the API on every call (this is only the
// redirect, not the authorization). OAuth discovery documents live in the API under /api.
const ProxyEnv = z.object({ AGENTOS_MODE: z.enum(["local", "hosted"]).default("local") });
const { AGENTOS_MODE: mode } = ProxyEnv.parse({ AGENTOS_MODE: process.env.AGENTOS_MODE });

/** Pages anyone may open: signing in is how one gets a session. */
const OPEN_PAGES = ["/sign-in", "/sign-up", "/sign-out", "/consent", "/invitations/"];
const SESSION_COOKIE = /(^|;\s*)(__Secure-)?agentos\.session_token=/;

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/.well-known/")) {
    return NextResponse.rewrite(new URL(`/api${pathname}${search}`, request.url));
  }
  if (mode !== "hosted" || pathname.startsWith("/api/") || pathname === "/mcp" || pathname === "/metrics") {
    return NextResponse.next();
  }
  if (OPEN_PAGES.some((page) => pathname === page || pathname.startsWith(page))) return NextResponse.next();
  if (SESSION_COOKIE.test(request.headers.get("cookie") ?? "")) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
