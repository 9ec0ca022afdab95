/** Looks up the host port a host name is bound to, with a short cache in front of the database. */
export interface SiteRoutes {
  hostPortOf(host: string): Promise<number | null>;
  /** Drops cached answers (after a binding changed on this worker). */
  invalidate(): void;
}

/**
 * Bindings found by `lookup`, cached for `ttlMs`: a binding made or deleted by another process
 * takes effect within that time, one made here at once (`invalidate`). Only ports inside
 * `portRange` are ever answered, so a bad row can never point the proxy at another local service
 * (the worker's internal API, say).
 */
export function createSiteRoutes(
  lookup: (host: string) => Promise<{ hostPort: number } | undefined>,
  portRange: { start: number; end: number },
  ttlMs = 2000,
): SiteRoutes {
  const cache = new Map<string, { hostPort: number | null; expiresAt: number }>();
  return {
    async hostPortOf(host) {
      const now = Date.now();
      const hit = cache.get(host);
      if (hit && hit.expiresAt > now) return hit.hostPort;
      const binding = await lookup(host);
      const hostPort =
        binding && binding.hostPort >= portRange.start && binding.hostPort <= portRange.end
          ? binding.hostPort
          : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(host, { hostPort, expiresAt: now + ttlMs });
      return hostPort;
    },
    invalidate() {
      cache.clear();
    },
  };
}
