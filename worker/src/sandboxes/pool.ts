import { type ContainerShape, shapeKey } from "./container-spec";

/** A started container waiting to become a sandbox, with the volume mounted at /workspace. */
export interface PooledContainer {
  containerId: string;
  shape: ContainerShape;
}

export interface WarmPoolDeps {
  /** Containers kept ready per shape; 0 disables the pool. */
  size: number;
  /** Most shapes kept warm at once; the least recently used one is dropped beyond it. */
  maxShapes: number;
  create(shape: ContainerShape): Promise<string>;
  remove(containerId: string): Promise<void>;
  log(message: string): void;
}

interface ShapePool {
  shape: ContainerShape;
  ready: string[];
  filling: number;
  /** After a failed fill, no retry before this time (a missing image must not loop). */
  retryAt: number;
}

const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * Started containers per shape (image + limits + network + rootfs mode), so that acquiring a
 * sandbox is a handover instead of a create + start. A shape is kept warm once configured or used;
 * each `take` refills in the background.
 */
export class WarmPool {
  private readonly shapes = new Map<string, ShapePool>();
  private closed = false;

  constructor(private readonly deps: WarmPoolDeps) {}

  /** Keeps `shape` warm from now on and starts filling it. */
  warm(shape: ContainerShape): void {
    if (this.deps.size === 0 || this.closed) return;
    const key = shapeKey(shape);
    let pool = this.shapes.get(key);
    if (pool) {
      // Refresh recency: Map iteration order is insertion order.
      this.shapes.delete(key);
    } else {
      pool = { shape, ready: [], filling: 0, retryAt: 0 };
    }
    this.shapes.set(key, pool);
    this.evictBeyondLimit();
    this.fill(pool);
  }

  /** A ready container of `shape`, if one is waiting; the pool refills behind it. */
  take(shape: ContainerShape): string | undefined {
    const pool = this.shapes.get(shapeKey(shape));
    const containerId = pool?.ready.shift();
    if (pool) this.fill(pool);
    return containerId;
  }

  /** Container ids waiting in the pool (reconciliation keeps them). */
  readyIds(): Set<string> {
    return new Set([...this.shapes.values()].flatMap((p) => p.ready));
  }

  /** Resolves when no fill is under way (tests and the benchmark wait for a warm pool). */
  async settled(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.shapes.values()].some((p) => p.filling > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops filling and removes every waiting container. */
  async drain(): Promise<void> {
    this.closed = true;
    await this.settled(10_000);
    const ids = [...this.readyIds()];
    this.shapes.clear();
    await Promise.all(ids.map((id) => this.deps.remove(id).catch(() => {})));
  }

  private fill(pool: ShapePool): void {
    if (this.closed || Date.now() < pool.retryAt) return;
    while (pool.ready.length + pool.filling < this.deps.size) {
      pool.filling++;
      this.deps
        .create(pool.shape)
        .then(
          (id) => {
            if (this.closed || this.shapes.get(shapeKey(pool.shape)) !== pool) {
              void this.deps.remove(id).catch(() => {});
            } else {
              pool.ready.push(id);
            }
          },
          (error: unknown) => {
            pool.retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
            this.deps.log(`warm pool: cannot prepare a ${pool.shape.image} container: ${String(error)}`);
          },
        )
        .finally(() => {
          pool.filling--;
        });
    }
  }

  private evictBeyondLimit(): void {
    while (this.shapes.size > this.deps.maxShapes) {
      const [oldestKey, oldest] = this.shapes.entries().next().value as [string, ShapePool];
      this.shapes.delete(oldestKey);
      for (const id of oldest.ready) void this.deps.remove(id).catch(() => {});
    }
  }
}
