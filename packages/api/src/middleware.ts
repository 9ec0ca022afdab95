import { PayloadTooLarge, UnsupportedMediaType } from "@agentos/core";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { authenticate } from "./auth/principal";
import type { ApiDeps, ApiEnv } from "./context";

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\b/i;

/** 415 unless the body is declared JSON (validators would otherwise see an empty object). */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("content-type");
  if (!type || !JSON_TYPE.test(type)) {
    throw new UnsupportedMediaType(
      `This endpoint takes a JSON body: send Content-Type: application/json (got ${type ? `"${type}"` : "none"}).`,
    );
  }
  await next();
};

/** Most bytes read and thrown away after a 413, so that the client sees the answer. */
const MAX_DRAIN_BYTES = 32 * 1024 * 1024;

/**
 * Reads and discards what remains of a rejected body. Answering 413 while the client is still
 * sending makes the server close the socket, and most clients then report a broken connection
 * instead of the 413; draining a bounded amount lets the answer through.
 */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  try {
    for (let read = 0; read <= MAX_DRAIN_BYTES; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } catch {
    // The client went away; nothing left to drain.
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Rejects bodies over `limit` bytes with a 413 problem (hono's bodyLimit also counts chunked bodies). */
export function limitBody(limit: number, what: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: limit,
    onError: async (c) => {
      await drain(c.req.raw.body);
      throw new PayloadTooLarge(
        `The ${what} is larger than the limit of ${limit} bytes. Send a smaller one.`,
      );
    },
  });
}

/**
 * Resolves the principal (see `authenticate`): a bearer token must be valid wherever it is sent;
 * without one, a hosted Studio reads the session cookie, local mode acts for the local workspace.
 */
export function resolvePrincipal(deps: ApiDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    c.set("principal", await authenticate(deps, c.req.raw));
    await next();
  });
}
