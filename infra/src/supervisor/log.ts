/**
 * The supervisor's log lines, in the format of the processes' pino logs (JSON: level, time, pid,
 * name, msg) or as text. Deliberately not pino or the API package: the supervisor stays a few MB.
 */
export type SupervisorLog = (
  level: "info" | "warn" | "error",
  fields: Record<string, unknown>,
  msg: string,
) => void;

const LEVELS = { info: 30, warn: 40, error: 50 } as const;

export function createSupervisorLog(format: "json" | "text", minLevel: string): SupervisorLog {
  const threshold =
    { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 99 }[minLevel] ?? 30;
  return (level, fields, msg) => {
    if (LEVELS[level] < threshold) return;
    const time = new Date().toISOString();
    if (format === "text") {
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      process.stdout.write(`${time} ${level.toUpperCase()} supervisor: ${msg}${extra ? ` ${extra}` : ""}\n`);
    } else {
      process.stdout.write(
        `${JSON.stringify({ level: LEVELS[level], time, pid: process.pid, name: "supervisor", ...fields, msg })}\n`,
      );
    }
  };
}
