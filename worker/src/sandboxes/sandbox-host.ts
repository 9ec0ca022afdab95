import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import {
  AgentOsError,
  Conflict,
  Invalid,
  NotFound,
  type Sandbox,
  SandboxPolicy,
  type SiteBinding,
  type SiteBindingCreate,
  Unavailable,
} from "@agentos/core";
import type { Repositories, schema } from "@agentos/db";
import type {
  ExecChunk,
  ExecRequest,
  ExecResult,
  SandboxFileEntry,
  SandboxProvider,
} from "@agentos/runtime/sandbox";
import { fillSecretReferences } from "@agentos/runtime/secrets";
import type Docker from "dockerode";
import { entriesFromTar, fileFromTar, ownerOf, sandboxPath, tarOfDirectory, tarOfFile } from "./archive";
import type { SandboxSettings } from "./config";
import {
  type ContainerShape,
  containerSpec,
  type PortMapping,
  portsOf,
  samePorts,
  shapeKey,
  shapeOf,
  WORKDIR,
} from "./container-spec";
import { dockerMessageOf, dockerStatusOf, isDockerReachable } from "./docker";
import { execInContainer } from "./exec";
import { isHostPortFree } from "./host-ports";
import { KeyedLock } from "./keyed-lock";
import { LABEL, scopeFilter } from "./labels";
import { WarmPool } from "./pool";

type SandboxRow = typeof schema.sandboxes.$inferSelect;

/** Entries a directory listing returns at most. */
const LIST_LIMIT = 10_000;
/** Most shapes the warm pool keeps at once. */
const POOL_MAX_SHAPES = 4;

export interface SandboxHostDeps {
  docker: Docker;
  repos: Repositories;
  workerId: string;
  /** Names this Studio installation in container labels (see labels.ts); new containers carry it. */
  scope: string;
  /**
   * Scopes earlier releases derived from the secret key (see scope.ts): containers and volumes
   * labelled with them are reconciled as ours, until re-creation relabels them with `scope`.
   */
  legacyScopes?: readonly string[];
  settings: SandboxSettings;
  /** A worker whose heartbeat is older than this is dead: its sandboxes may be adopted. */
  workerStaleMs: number;
  /** Whether the engine runs on this host (then host ports can be probed before binding). */
  isDockerLocal: boolean;
  log(message: string): void;
  /**
   * Reaches sandboxes that another live worker hosts (over its internal API), for in-process
   * callers; without it such calls are a Conflict.
   */
  remote?: SandboxProvider;
  /** Called after bindings change, so the domain proxy drops cached routes. */
  onBindingsChanged?(): void;
}

export interface ReconcileReport {
  removedContainers: string[];
  removedVolumes: string[];
  adopted: string[];
  missing: string[];
}

export interface CreateSandboxInput {
  agentId: string | null;
  runId: string | null;
  policy: SandboxPolicy;
  env: Record<string, string>;
}

/**
 * Sandboxes on this worker's Docker engine: lifecycle, exec, files, site bindings, the warm pool,
 * idle reaping and reconciliation. It is the worker's `SandboxProvider`; the internal API and the
 * in-process run engine both call it. Every call takes the workspace of its caller and refuses
 * sandboxes of other workspaces.
 */
export class DockerSandboxHost implements SandboxProvider {
  readonly pool: WarmPool;
  private readonly locks = new KeyedLock();
  private readonly store: Repositories["sandboxStore"];
  private readonly owner: { uid: number; gid: number };
  private isDockerUp = false;
  /** Whether a fresh volume at /workspace comes out owned by the sandbox user, per image. */
  private readonly workdirOwnership = new Map<string, "ok" | "needs-fix">();
  private reaper: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SandboxHostDeps) {
    this.store = deps.repos.sandboxStore;
    this.owner = ownerOf(deps.settings.user);
    this.pool = new WarmPool({
      size: deps.settings.poolSize,
      maxShapes: POOL_MAX_SHAPES,
      create: (shape) => this.createContainer(shape, { pool: "true" }, [], undefined, true),
      remove: (id) => this.removeContainer(id),
      log: deps.log,
    });
  }

  /** Whether the Docker engine answered at start. */
  get isDockerAvailable(): boolean {
    return this.isDockerUp;
  }

  /**
   * Pings Docker, prepares the sandbox network, reconciles containers with the database, warms
   * the configured images and starts the idle reaper. Without Docker the host stays usable for
   * nothing but answers every call with 503.
   */
  async init(): Promise<ReconcileReport | null> {
    this.isDockerUp = await isDockerReachable(this.deps.docker);
    if (!this.isDockerUp) {
      this.deps.log("Docker is not reachable: sandboxes are unavailable on this worker");
      return null;
    }
    await this.ensureNetwork();
    const report = await this.reconcile();
    for (const image of this.deps.settings.poolImages) {
      this.pool.warm(shapeOf(SandboxPolicy.parse({ image })));
    }
    if (this.deps.settings.idleStopMs > 0) {
      this.reaper = setInterval(() => {
        this.reapIdle().catch((error: unknown) => this.deps.log(`idle reaping failed: ${String(error)}`));
      }, this.deps.settings.reapIntervalMs);
      this.reaper.unref();
    }
    return report;
  }

  /** Stops the reaper and removes the warm pool's spare containers; sandboxes keep running. */
  async close(): Promise<void> {
    clearInterval(this.reaper);
    await this.pool.drain();
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────

  async create(workspaceId: string, input: CreateSandboxInput): Promise<Sandbox> {
    this.requireDocker();
    const row = await this.store.insert(workspaceId, {
      agentId: input.agentId,
      runId: input.runId,
      policy: input.policy,
      envSecret:
        Object.keys(input.env).length > 0 ? this.deps.repos.secrets.seal(JSON.stringify(input.env)) : null,
      workerId: this.deps.workerId,
    });
    const shape = shapeOf(input.policy);
    try {
      const containerId =
        (await this.takeWarm(shape, row.id)) ??
        (await this.createContainer(shape, this.ownerLabels(row), [], undefined, true, row.id));
      this.pool.warm(shape);
      await this.store.update(row.id, { state: "running", containerId });
      return this.store.toSandbox({ ...row, state: "running", containerId });
    } catch (error) {
      await this.store.update(row.id, { state: "error", stateReason: dockerMessageOf(error) });
      throw this.mapDockerError(error, "body.policy.image", input.policy.image);
    }
  }

  async get(workspaceId: string, id: string): Promise<Sandbox> {
    return this.store.toSandbox(await this.rowOf(workspaceId, id));
  }

  /** Starts a stopped sandbox; re-creates the container of a missing one (its files are gone). */
  async start(workspaceId: string, id: string): Promise<Sandbox> {
    await this.ownedRow(workspaceId, id);
    await this.locks.run(id, async () => this.ensureRunningLocked(await this.rowOf(workspaceId, id)));
    return this.get(workspaceId, id);
  }

  async stop(workspaceId: string, id: string): Promise<Sandbox> {
    await this.ownedRow(workspaceId, id);
    await this.locks.run(id, async () => {
      const row = await this.rowOf(workspaceId, id);
      if (row.state !== "running" || !row.containerId) return;
      try {
        await this.deps.docker.getContainer(row.containerId).stop({ t: 5 });
        await this.store.update(id, { state: "stopped", stateReason: null });
      } catch (error) {
        const status = dockerStatusOf(error);
        if (status === 304) await this.store.update(id, { state: "stopped", stateReason: null });
        else if (status === 404) await this.markMissing(id);
        else throw this.mapDockerError(error);
      }
    });
    return this.get(workspaceId, id);
  }

  /** Removes the container, its volume and its site bindings; the row stays as `removed`. */
  async destroy(workspaceId: string, id: string): Promise<void> {
    const row = await this.rowOf(workspaceId, id);
    if (row.state === "removed") return;
    await this.locks.run(id, async () => {
      const current = await this.rowOf(workspaceId, id);
      if (current.containerId) await this.removeContainer(current.containerId);
      await this.store.deleteBindingsOf(id);
      await this.store.update(id, { state: "removed", stateReason: null, containerId: null });
    });
    this.deps.onBindingsChanged?.();
  }

  // ── SandboxProvider ──────────────────────────────────────────────────────────────────────

  async sandboxForAgent(
    workspaceId: string,
    agentId: string,
    policy: SandboxPolicy,
  ): Promise<{ sandboxId: string }> {
    return this.locks.run(`agent:${workspaceId}:${agentId}`, async () => {
      const existing = await this.store.findForAgent(workspaceId, agentId);
      if (existing && (await this.isOwnedOrAdoptable(existing))) {
        await this.adopt(existing);
        await this.locks.run(existing.id, async () => {
          const row = await this.rowOf(workspaceId, existing.id);
          if (shapeKey(shapeOf(row.policy)) !== shapeKey(shapeOf(policy)) && row.containerId) {
            await this.recreate(row, policy, await this.desiredPorts(row.id), true);
          } else {
            await this.ensureRunningLocked(row);
          }
          if (JSON.stringify(row.policy) !== JSON.stringify(policy)) {
            await this.store.update(row.id, { policy });
          }
        });
        return { sandboxId: existing.id };
      }
      if (existing && this.deps.remote) return this.deps.remote.sandboxForAgent(workspaceId, agentId, policy);
      if (existing) {
        throw new Conflict(
          `Agent ${agentId}'s sandbox ${existing.id} is hosted by worker ${existing.workerId}; run the agent there.`,
        );
      }
      const created = await this.create(workspaceId, { agentId, runId: null, policy, env: {} });
      return { sandboxId: created.id };
    });
  }

  async exec(
    workspaceId: string,
    sandboxId: string,
    request: ExecRequest,
    options?: { onChunk?: (chunk: ExecChunk) => void; signal?: AbortSignal },
  ): Promise<ExecResult> {
    const remote = await this.remoteHostOf(workspaceId, sandboxId);
    if (remote) return remote.exec(workspaceId, sandboxId, request, options);
    const row = await this.ownedRow(workspaceId, sandboxId);
    // `{{secret:NAME}}` in the sandbox's env is filled from the vault at exec time (and audited):
    // only the reference is stored with the sandbox; the value reaches the process, nothing else.
    const env = await this.filledEnvOf(workspaceId, sandboxId, row);
    const run = async (containerId: string) =>
      execInContainer(this.deps.docker.getContainer(containerId), request, {
        user: this.deps.settings.user,
        env,
        onChunk: options?.onChunk,
        signal: options?.signal,
      });
    this.touch(sandboxId);
    const containerId = await this.runningContainer(row);
    try {
      return await run(containerId);
    } catch (error) {
      // The container stopped or vanished behind our back (OOM, docker rm, engine restart):
      // bring it back once and run again.
      const status = dockerStatusOf(error);
      if (status !== 404 && status !== 409) throw this.mapDockerError(error);
      await this.store.update(sandboxId, { state: status === 404 ? "missing" : "stopped" });
      return run(await this.runningContainer(await this.rowOf(workspaceId, sandboxId)));
    }
  }

  async writeFile(workspaceId: string, sandboxId: string, path: string, content: Uint8Array): Promise<void> {
    const remote = await this.remoteHostOf(workspaceId, sandboxId);
    if (remote) return remote.writeFile(workspaceId, sandboxId, path, content);
    const target = sandboxPath(path);
    const parts = target.split("/").filter(Boolean);
    const [top] = parts;
    if (!top || parts.length < 2) {
      throw Invalid.field("query.path", "must name a file inside a directory, such as /workspace/app.py");
    }
    const container = this.deps.docker.getContainer(await this.existingContainer(workspaceId, sandboxId));
    this.touch(sandboxId);
    try {
      // Extract into the top directory (the /workspace volume), not at /: Docker refuses any
      // extraction at / on a read-only rootfs, volumes included.
      await container.putArchive(await tarOfFile(parts.slice(1), content, this.owner), { path: `/${top}` });
    } catch (error) {
      if (dockerStatusOf(error) === 404) {
        await container
          .putArchive(await tarOfFile(parts, content, this.owner), { path: "/" })
          .catch((e: unknown) => {
            throw this.mapFileError(e, target);
          });
        return;
      }
      throw this.mapFileError(error, target);
    }
  }

  async readFile(workspaceId: string, sandboxId: string, path: string): Promise<Uint8Array> {
    const remote = await this.remoteHostOf(workspaceId, sandboxId);
    if (remote) return remote.readFile(workspaceId, sandboxId, path);
    const target = sandboxPath(path);
    const container = this.deps.docker.getContainer(await this.existingContainer(workspaceId, sandboxId));
    this.touch(sandboxId);
    try {
      const archive = (await container.getArchive({ path: target })) as unknown as Readable;
      return new Uint8Array(await fileFromTar(archive, target));
    } catch (error) {
      throw this.mapFileError(error, target);
    }
  }

  async listFiles(workspaceId: string, sandboxId: string, path: string): Promise<SandboxFileEntry[]> {
    const remote = await this.remoteHostOf(workspaceId, sandboxId);
    if (remote) return remote.listFiles(workspaceId, sandboxId, path);
    const target = sandboxPath(path);
    const container = this.deps.docker.getContainer(await this.existingContainer(workspaceId, sandboxId));
    this.touch(sandboxId);
    try {
      const archive = (await container.getArchive({ path: target })) as unknown as Readable;
      return await entriesFromTar(archive, target, LIST_LIMIT);
    } catch (error) {
      throw this.mapFileError(error, target);
    }
  }

  // ── site bindings ────────────────────────────────────────────────────────────────────────

  /**
   * Binds a host name to a container port: allocates a free host port, then re-creates the
   * container with the port published (its /workspace volume, and so its files, carry over).
   */
  async bindSite(
    workspaceId: string,
    sandboxId: string,
    input: Required<SiteBindingCreate>,
  ): Promise<SiteBinding> {
    const row = await this.ownedRow(workspaceId, sandboxId);
    if (!row.policy.network) {
      throw new Conflict(
        `Sandbox ${sandboxId} has network off (policy.network = false); publishing a site port needs the sandbox network. Create the sandbox with policy.network = true.`,
      );
    }
    const { publishIp, portRange } = this.deps.settings;
    const binding = await this.store.insertBinding(
      workspaceId,
      { sandboxId, host: input.host, containerPort: input.containerPort },
      portRange,
      this.deps.isDockerLocal ? (port) => isHostPortFree(publishIp, port) : undefined,
    );
    try {
      await this.locks.run(sandboxId, async () => this.syncPorts(await this.rowOf(workspaceId, sandboxId)));
    } catch (error) {
      await this.store.deleteBinding(workspaceId, binding.id);
      throw this.mapDockerError(error);
    } finally {
      this.deps.onBindingsChanged?.();
    }
    return binding;
  }

  async unbindSite(workspaceId: string, sandboxId: string, bindingId: string): Promise<void> {
    await this.ownedRow(workspaceId, sandboxId);
    const binding = await this.store.findBinding(workspaceId, bindingId);
    if (!binding || binding.sandboxId !== sandboxId) throw new NotFound("site binding", bindingId);
    await this.store.deleteBinding(workspaceId, bindingId);
    this.deps.onBindingsChanged?.();
    // Unpublish now, so the host port can be handed to another binding.
    await this.locks.run(sandboxId, async () => this.syncPorts(await this.rowOf(workspaceId, sandboxId)));
  }

  // ── maintenance ──────────────────────────────────────────────────────────────────────────

  /**
   * Makes Docker and the database agree: containers and volumes of this Studio (labelled with its
   * scope or a legacy one) that no sandbox
   * row knows are removed (pool spares of dead workers included); rows of this worker, or of dead
   * workers, whose container is gone become `missing`; the rest of a dead worker is adopted.
   */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { removedContainers: [], removedVolumes: [], adopted: [], missing: [] };
    const { docker } = this.deps;
    const alive = await this.aliveWorkers();
    const containers = await this.listOurs((filters) => docker.listContainers({ all: true, filters }));
    const rows = await this.store.listLive();
    const byContainer = new Map(rows.filter((r) => r.containerId).map((r) => [r.containerId, r]));
    const seen = new Set<string>();
    const poolIds = this.pool.readyIds();
    const mountedVolumes = new Set<string>();

    for (const container of containers) {
      const labels = container.Labels ?? {};
      const row = byContainer.get(container.Id);
      const isPool = labels[LABEL.pool] === "true" && !row;
      const keepPool = isPool && (poolIds.has(container.Id) || (labels[LABEL.worker] ?? "") in alive.others);
      if ((isPool && !keepPool) || (!isPool && !row)) {
        await this.removeContainer(container.Id);
        report.removedContainers.push(container.Id);
        continue;
      }
      for (const mount of container.Mounts ?? []) if (mount.Name) mountedVolumes.add(mount.Name);
      if (!row) continue;
      seen.add(row.id);
      if (row.workerId !== this.deps.workerId && !((row.workerId ?? "") in alive.others)) {
        // A dead worker's sandbox on this engine: take it over.
        await this.store.update(row.id, { workerId: this.deps.workerId });
        report.adopted.push(row.id);
      }
      const state = container.State === "running" ? "running" : "stopped";
      if (row.state !== state && row.state !== "creating") await this.store.update(row.id, { state });
    }

    const missing = rows.filter(
      (r) => !seen.has(r.id) && (r.workerId === this.deps.workerId || !((r.workerId ?? "") in alive.others)),
    );
    await this.store.markMissing(
      missing.map((r) => r.id),
      "Its container was gone when a worker reconciled; start it to get a new, empty one.",
    );
    report.missing = missing.map((r) => r.id);

    const volumes = await this.listOurs(
      async (filters) => (await docker.listVolumes({ filters })).Volumes ?? [],
    );
    for (const volume of volumes) {
      const worker = volume.Labels?.[LABEL.worker] ?? "";
      if (mountedVolumes.has(volume.Name) || worker in alive.others || worker === this.deps.workerId)
        continue;
      try {
        await docker.getVolume(volume.Name).remove();
        report.removedVolumes.push(volume.Name);
      } catch {
        // In use by a container of another scope, or already gone.
      }
    }
    if (report.removedContainers.length + report.missing.length + report.adopted.length > 0) {
      this.deps.log(
        `reconciled: removed ${report.removedContainers.length} orphan containers, marked ${report.missing.length} sandboxes missing, adopted ${report.adopted.length}`,
      );
    }
    const removed = new Set(report.removedContainers);
    const legacy = containers.filter(
      (c) => !removed.has(c.Id) && c.Labels?.[LABEL.scope] !== this.deps.scope,
    );
    if (legacy.length > 0) {
      this.deps.log(
        `${legacy.length} sandbox containers carry a scope label derived from a secret key (made before the installation id); they stay this Studio's and are relabelled when re-created`,
      );
    }
    return report;
  }

  /** Stops this worker's sandboxes unused for `idleStopMs` (sandboxes serving sites are kept). */
  async reapIdle(now = Date.now()): Promise<string[]> {
    const before = new Date(now - this.deps.settings.idleStopMs).toISOString();
    const idle = await this.store.listIdle(this.deps.workerId, before);
    for (const row of idle) await this.stop(row.workspaceId, row.id);
    return idle.map((r) => r.id);
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  private requireDocker(): void {
    if (!this.isDockerUp) {
      throw new Unavailable(
        `Docker is not reachable from worker ${this.deps.workerId}, so it cannot run sandboxes. Start dockerd (or set DOCKER_HOST) and restart the worker.`,
      );
    }
  }

  private async rowOf(workspaceId: string, id: string): Promise<SandboxRow> {
    const row = await this.store.find(workspaceId, id);
    if (!row) throw new NotFound("sandbox", id);
    return row;
  }

  /** The row of a live sandbox this worker hosts (adopting one of a dead worker). */
  private async ownedRow(workspaceId: string, id: string): Promise<SandboxRow> {
    this.requireDocker();
    const row = await this.rowOf(workspaceId, id);
    if (row.state === "removed") {
      throw new Conflict(`Sandbox ${id} was deleted; create a new one.`);
    }
    if (row.workerId !== this.deps.workerId) {
      if (!(await this.isOwnedOrAdoptable(row))) {
        throw new Conflict(`Sandbox ${id} is hosted by worker ${row.workerId}; call that worker.`);
      }
      await this.adopt(row);
    }
    return row;
  }

  /**
   * The provider of the live worker that hosts a sandbox, when that is another worker: the run
   * engine on this worker may run an agent whose sandbox lives elsewhere.
   */
  private async remoteHostOf(workspaceId: string, id: string): Promise<SandboxProvider | null> {
    if (!this.deps.remote) return null;
    const row = await this.rowOf(workspaceId, id);
    return row.state === "removed" || (await this.isOwnedOrAdoptable(row)) ? null : this.deps.remote;
  }

  private async isOwnedOrAdoptable(row: SandboxRow): Promise<boolean> {
    if (row.workerId === this.deps.workerId || row.workerId === null) return true;
    return !(row.workerId in (await this.aliveWorkers()).others);
  }

  private async adopt(row: SandboxRow): Promise<void> {
    if (row.workerId === this.deps.workerId) return;
    await this.store.update(row.id, { workerId: this.deps.workerId });
    row.workerId = this.deps.workerId;
  }

  private async aliveWorkers(): Promise<{ others: Record<string, true> }> {
    const cutoff = new Date(Date.now() - this.deps.workerStaleMs).toISOString();
    const others: Record<string, true> = {};
    for (const w of await this.deps.repos.workers.list()) {
      if (w.id !== this.deps.workerId && w.status !== "gone" && w.lastHeartbeatAt >= cutoff)
        others[w.id] = true;
    }
    return { others };
  }

  private async filledEnvOf(
    workspaceId: string,
    sandboxId: string,
    row: SandboxRow,
  ): Promise<Record<string, string>> {
    const entries = Object.entries(this.envOf(row));
    const filled = await Promise.all(
      entries.map(async ([name, value]) => [
        name,
        await fillSecretReferences(this.deps.repos, workspaceId, value, {
          by: `sandbox:${sandboxId} env ${name}`,
        }),
      ]),
    );
    return Object.fromEntries(filled);
  }

  private envOf(row: SandboxRow): Record<string, string> {
    if (!row.envSecret) return {};
    return JSON.parse(this.deps.repos.secrets.open(row.envSecret)) as Record<string, string>;
  }

  private touch(id: string): void {
    this.store
      .touch(id)
      .catch((error: unknown) => this.deps.log(`cannot record use of ${id}: ${String(error)}`));
  }

  /** The id of a running container for `row`: the fast path is a state check, no Docker call. */
  private async runningContainer(row: SandboxRow): Promise<string> {
    if (row.state === "running" && row.containerId) return row.containerId;
    return this.locks.run(row.id, async () =>
      this.ensureRunningLocked(await this.rowOf(row.workspaceId, row.id)),
    );
  }

  /** A container that exists (running or not) for file transfers, re-created when missing. */
  private async existingContainer(workspaceId: string, id: string): Promise<string> {
    const row = await this.ownedRow(workspaceId, id);
    if (row.containerId && (row.state === "running" || row.state === "stopped")) return row.containerId;
    return this.runningContainer(row);
  }

  private async ensureRunningLocked(row: SandboxRow): Promise<string> {
    if (row.containerId && row.state !== "missing" && row.state !== "error") {
      const container = this.deps.docker.getContainer(row.containerId);
      try {
        await container.start();
      } catch (error) {
        const status = dockerStatusOf(error);
        if (status !== 304 && status !== 404) throw this.mapDockerError(error);
        if (status === 404) return this.recreateMissing(row);
      }
      if (row.state !== "running") await this.store.update(row.id, { state: "running", stateReason: null });
      return row.containerId;
    }
    return this.recreateMissing(row);
  }

  private async recreateMissing(row: SandboxRow): Promise<string> {
    const containerId = await this.createContainer(
      shapeOf(row.policy),
      this.ownerLabels(row),
      await this.desiredPorts(row.id),
      undefined,
      true,
      row.id,
    ).catch((error: unknown) => {
      throw this.mapDockerError(error, "policy.image", row.policy.image);
    });
    await this.store.update(row.id, { state: "running", stateReason: null, containerId });
    return containerId;
  }

  private async desiredPorts(sandboxId: string): Promise<PortMapping[]> {
    return (await this.store.bindingsOf(sandboxId)).map(({ containerPort, hostPort }) => ({
      containerPort,
      hostPort,
    }));
  }

  /** Re-creates the container when its published ports differ from the bindings. */
  private async syncPorts(row: SandboxRow): Promise<void> {
    const desired = await this.desiredPorts(row.id);
    if (!row.containerId || row.state === "missing" || row.state === "error") {
      if (desired.length > 0) await this.recreateMissing(row);
      return;
    }
    let current: PortMapping[] = [];
    try {
      current = portsOf(await this.deps.docker.getContainer(row.containerId).inspect());
    } catch (error) {
      if (dockerStatusOf(error) !== 404) throw error;
      await this.recreateMissing(row);
      return;
    }
    if (!samePorts(current, desired)) await this.recreate(row, row.policy, desired, row.state === "running");
  }

  /**
   * Replaces a sandbox's container with one of `policy` and `ports`, on the same volume. The old
   * container goes first: it holds the host ports the new one publishes.
   */
  private async recreate(
    row: SandboxRow,
    policy: SandboxPolicy,
    ports: PortMapping[],
    shouldRun: boolean,
  ): Promise<string> {
    let volume: string | undefined;
    if (row.containerId) {
      const old = this.deps.docker.getContainer(row.containerId);
      try {
        volume = volumeOf(await old.inspect());
        await old.remove({ force: true });
      } catch (error) {
        if (dockerStatusOf(error) !== 404) throw error;
      }
    }
    try {
      const containerId = await this.createContainer(
        shapeOf(policy),
        this.ownerLabels(row),
        ports,
        volume,
        shouldRun,
        row.id,
      );
      await this.store.update(row.id, {
        containerId,
        policy,
        state: shouldRun ? "running" : "stopped",
        stateReason: null,
      });
      return containerId;
    } catch (error) {
      await this.store.update(row.id, {
        state: "error",
        stateReason: `Re-creating the container failed: ${dockerMessageOf(error)}`,
        containerId: null,
      });
      throw error;
    }
  }

  private ownerLabels(row: SandboxRow): Record<string, string> {
    return { [LABEL.sandbox]: row.id, [LABEL.workspace]: row.workspaceId };
  }

  /**
   * What `list` returns for this installation's scope and each legacy scope (Docker ANDs label
   * filters, so one call per scope), each item once.
   */
  private async listOurs<T extends { Id?: string; Name?: string }>(
    list: (filters: { label: string[] }) => Promise<T[]>,
  ): Promise<T[]> {
    const scopes = [...new Set([this.deps.scope, ...(this.deps.legacyScopes ?? [])])];
    const byId = new Map<string, T>();
    for (const scope of scopes) {
      for (const item of await list(scopeFilter(scope))) byId.set(item.Id ?? item.Name ?? "", item);
    }
    return [...byId.values()];
  }

  private scopeLabels(): Record<string, string> {
    return { [LABEL.managed]: "true", [LABEL.scope]: this.deps.scope, [LABEL.worker]: this.deps.workerId };
  }

  /** A warm container of `shape`, if the pool has one that is still running. */
  private async takeWarm(shape: ContainerShape, sandboxId: string): Promise<string | undefined> {
    for (let id = this.pool.take(shape); id; id = this.pool.take(shape)) {
      const container = this.deps.docker.getContainer(id);
      try {
        const info = await container.inspect();
        if (info.State.Running) {
          // A name makes `docker ps` readable; it is not worth waiting for.
          container.rename({ name: `agentos-${sandboxId}` }).catch(() => {});
          return id;
        }
      } catch {
        // Gone: try the next one.
      }
      void this.removeContainer(id);
    }
    return undefined;
  }

  private async createContainer(
    shape: ContainerShape,
    labels: Record<string, string>,
    ports: PortMapping[],
    existingVolume: string | undefined,
    shouldStart: boolean,
    sandboxId?: string,
  ): Promise<string> {
    const { docker, settings } = this.deps;
    const allLabels = { ...this.scopeLabels(), ...labels };
    const volume = existingVolume ?? `agentos-${randomBytes(8).toString("hex")}`;
    let container: Docker.Container;
    try {
      container = await docker.createContainer(
        containerSpec({
          shape,
          ...(sandboxId ? { name: `agentos-${sandboxId}` } : {}),
          labels: allLabels,
          volume,
          user: settings.user,
          networkName: settings.networkName,
          ports,
          publishIp: settings.publishIp,
        }),
      );
    } catch (error) {
      if (!existingVolume)
        await docker
          .getVolume(volume)
          .remove()
          .catch(() => {});
      throw error;
    }
    try {
      // Images without /workspace get a root-owned mount point; hand it to the sandbox user.
      // The archive call costs ~50 ms, so it is skipped for images known to ship it right.
      // (On a read-only rootfs Docker refuses it; such images must ship /workspace.)
      const ownership = this.workdirOwnership.get(shape.image);
      if (!existingVolume && ownership === "needs-fix") await this.giveWorkdirToUser(container);
      if (shouldStart) await container.start();
      if (!existingVolume && shouldStart && ownership === undefined) {
        const isOwned = await this.isWorkdirOwnedByUser(container);
        this.workdirOwnership.set(shape.image, isOwned ? "ok" : "needs-fix");
        if (!isOwned) await this.giveWorkdirToUser(container);
      }
    } catch (error) {
      await container.remove({ force: true }).catch(() => {});
      if (!existingVolume)
        await docker
          .getVolume(volume)
          .remove()
          .catch(() => {});
      throw error;
    }
    return container.id;
  }

  private async giveWorkdirToUser(container: Docker.Container): Promise<void> {
    await container.putArchive(await tarOfDirectory(WORKDIR, this.owner), { path: "/" }).catch(() => {});
  }

  private async isWorkdirOwnedByUser(container: Docker.Container): Promise<boolean> {
    try {
      const result = await execInContainer(
        container,
        { command: ["stat", "-c", "%u", WORKDIR], timeoutMs: 10_000, outputLimitBytes: 64 },
        { user: this.deps.settings.user, env: {} },
      );
      return result.exitCode === 0 && Number(result.stdout.trim()) === this.owner.uid;
    } catch {
      return false;
    }
  }

  /** Removes a container (whatever its state) and its sandbox volume. */
  private async removeContainer(containerId: string): Promise<void> {
    const container = this.deps.docker.getContainer(containerId);
    let volume: string | undefined;
    try {
      volume = volumeOf(await container.inspect());
      await container.remove({ force: true });
    } catch (error) {
      if (dockerStatusOf(error) !== 404) throw this.mapDockerError(error);
    }
    if (volume)
      await this.deps.docker
        .getVolume(volume)
        .remove()
        .catch(() => {});
  }

  private async markMissing(id: string): Promise<void> {
    await this.store.markMissing(
      [id],
      "Its container was removed outside Studio; start it to get a new one.",
    );
  }

  private async ensureNetwork(): Promise<void> {
    const { docker, settings } = this.deps;
    const existing = await docker.listNetworks({ filters: { name: [settings.networkName] } });
    if (existing.some((n) => n.Name === settings.networkName)) return;
    try {
      await docker.createNetwork({
        Name: settings.networkName,
        Driver: "bridge",
        CheckDuplicate: true,
        // Sandboxes with network reach the outside, never each other.
        Options: { "com.docker.network.bridge.enable_icc": "false" },
        Labels: { [LABEL.managed]: "true" },
      });
    } catch (error) {
      if (dockerStatusOf(error) !== 409) throw error;
    }
  }

  private mapDockerError(error: unknown, imageField?: string, image?: string): unknown {
    if (AgentOsError.isInstance(error)) return error;
    const status = dockerStatusOf(error);
    const message = dockerMessageOf(error);
    if (status === 404 && imageField && /no such image|not found/i.test(message)) {
      return Invalid.field(
        imageField,
        `image ${image} is not on this worker's Docker engine; build or pull it there first (docker pull ${image})`,
      );
    }
    if (status === undefined) return error;
    return new Unavailable(`The Docker engine refused the operation: ${message}`, { cause: error });
  }

  private mapFileError(error: unknown, path: string): unknown {
    const status = dockerStatusOf(error);
    const message = dockerMessageOf(error);
    if (status === 404) return new NotFound("file", path);
    if (/read-only/i.test(message)) {
      return Invalid.field(
        "query.path",
        `the sandbox's root filesystem is read-only; write under ${WORKDIR} (its volume) instead`,
      );
    }
    if (/not a directory/i.test(message)) return Invalid.field("query.path", `${path}: ${message}`);
    return this.mapDockerError(error);
  }
}

function volumeOf(info: Docker.ContainerInspectInfo): string | undefined {
  return info.Mounts.find((m) => m.Destination === WORKDIR && m.Type === "volume")?.Name;
}
