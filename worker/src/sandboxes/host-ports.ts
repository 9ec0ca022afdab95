import { createServer } from "node:net";

/** Whether nothing on this host listens on `ip:port` (so Docker can publish it). */
export function isHostPortFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: ip, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
