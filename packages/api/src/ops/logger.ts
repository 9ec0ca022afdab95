import type { MiddlewareHandler } from "hono";
import { type DestinationStream, type Logger, pino } from "pino";
import { z } from "zod";

/** Logging settings, part of every process's env schema. */
export const LOG_ENV = {
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("Least severe log level written"),
  LOG_FORMAT: z
    .enum(["json", "text"])
    .default("json")
    .describe("json: one JSON object per line (pino), for log collectors; text: one readable line"),
};

export type { Logger };

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** Renders pino's JSON lines as `time LEVEL name: msg key=value…` for people reading a terminal. */
function textDestination(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      const { time, level, name, msg, pid: _pid, hostname: _host, ...rest } = JSON.parse(line);
      const fields = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      out.write(
        `${time} ${LEVEL_NAMES[level as number] ?? level} ${name}: ${msg ?? ""}${fields ? ` ${fields}` : ""}\n`,
      );
    },
  };
}

/** A process's logger: JSON lines on stdout (pino), or readable text lines. */
export function createLogger(
  name: string,
  options: { level?: string; format?: "json" | "text"; destination?: NodeJS.WritableStream } = {},
): Logger {
  const out = options.destination ?? process.stdout;
  return pino(
    {
      name,
      level: options.level ?? "info",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (_label, number) => ({ level: number }) },
    },
    options.format === "text" ? textDestination(out) : (out as DestinationStream),
  );
}

/** Probes and scrapes arrive every few seconds; they are logged at debug level only. */
const PROBE_PATHS = new Set(["/api/health", "/api/ready", "/health", "/ready", "/metrics"]);

/**
 * One log line per request, with the request id (`X-Request-Id`, set by hono's requestId
 * middleware, which must run first), the route pattern, the status and the duration.
 */
export function accessLog(logger: Logger): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      reqId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) logger.error(line, "request failed");
    else if (PROBE_PATHS.has(line.path)) logger.debug(line, "request");
    else logger.info(line, "request");
  };
}
