// The images' HEALTHCHECK: exit 0 when HEALTHCHECK_URL answers 2xx within 2 s.
const url = process.env.HEALTHCHECK_URL ?? "http://127.0.0.1:3000/api/health";
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
