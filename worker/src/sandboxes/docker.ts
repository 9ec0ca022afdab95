import Docker from "dockerode";

/** A Docker client for `DOCKER_HOST` (unix:///path or tcp://host:port), or the local socket. */
export function connectDocker(dockerHost: string | undefined): Docker {
  if (!dockerHost) return new Docker({ socketPath: "/var/run/docker.sock" });
  const url = new URL(dockerHost);
  if (url.protocol === "unix:") return new Docker({ socketPath: url.pathname });
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
}

/** Whether the engine answers a ping within `timeoutMs`. */
export async function isDockerReachable(docker: Docker, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      docker.ping().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of a Docker engine error (404 no such container, 409 conflict …), if any. */
export function dockerStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The engine's own message of a Docker error, without dockerode's prefix. */
export function dockerMessageOf(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === "string") return json.message;
  return error instanceof Error ? error.message : String(error);
}
