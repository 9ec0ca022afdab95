import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

/** One MCP session: its server and transport, and who opened it. */
export interface Session {
  id: string;
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  /** The principal that initialised it; every later request must be the same one. */
  owner: string;
  lastSeenAt: number;
}

/**
 * Open sessions of this process. Sessions live in memory, so a deployment with several web
 * instances needs sticky routing by Mcp-Session-Id, or clients that use stateless requests.
 * Idle sessions are closed lazily, when requests arrive, so no timer keeps a process alive.
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();
  #lastSweepAt = Date.now();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#sessions.size;
  }

  add(session: Session): void {
    this.#sessions.set(session.id, session);
  }

  /** The live session with this id, marked as used. */
  use(id: string): Session | undefined {
    this.sweepSometimes();
    const session = this.#sessions.get(id);
    if (session) session.lastSeenAt = this.now();
    return session;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  /** Closes sessions idle for longer than the idle limit. */
  async sweep(): Promise<void> {
    const now = this.now();
    this.#lastSweepAt = now;
    const idle = [...this.#sessions.values()].filter((s) => now - s.lastSeenAt > this.idleMs);
    await Promise.all(idle.map((s) => this.close(s)));
  }

  sweepSometimes(): void {
    if (this.now() - this.#lastSweepAt > Math.min(this.idleMs, 60_000)) void this.sweep();
  }

  async close(session: Session): Promise<void> {
    this.#sessions.delete(session.id);
    await session.server.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.values()].map((s) => this.close(s)));
  }
}
