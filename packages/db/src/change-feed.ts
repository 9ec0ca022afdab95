import { existsSync, type FSWatcher, watch } from "node:fs";
import type { Database } from "./client";

/** Lets a reader wait for "something was committed" instead of polling on a fixed beat. */
export interface ChangeFeed {
  /**
   * A counter of commits seen so far: take it before reading, then pass it to `next`, so a commit
   * that lands between the read and the wait is not missed.
   */
  generation(): number;
  /**
   * Resolves at the next commit to the database by any process, or after `timeoutMs`; at once
   * when `since` (a `generation()`) is already behind.
   */
  next(timeoutMs: number, since?: number): Promise<void>;
  close(): void;
}

/**
 * For a database file, every commit (by this or another process: web, workers) appends to the
 * WAL file, which inotify reports at once; readers such as the run-event SSE stream wake on it
 * instead of waiting out a poll interval. For a libSQL server it is a plain timer.
 */
export function createChangeFeed(db: Database): ChangeFeed {
  const walPath = db.$filePath ? `${db.$filePath}-wal` : null;
  const waiters = new Set<() => void>();
  let watcher: FSWatcher | null = null;
  let commits = 0;

  const wakeAll = () => {
    for (const wake of waiters) wake();
    waiters.clear();
  };
  const ensureWatcher = () => {
    if (watcher || !walPath || !existsSync(walPath)) return;
    try {
      watcher = watch(walPath, { persistent: false }, (event) => {
        commits++;
        wakeAll();
        // A checkpoint may replace the file: watch the new one on the next wait.
        if (event === "rename") stopWatching();
      });
      watcher.on("error", stopWatching);
    } catch {
      watcher = null;
    }
  };
  const stopWatching = () => {
    watcher?.close();
    watcher = null;
  };

  return {
    generation() {
      ensureWatcher();
      return commits;
    },
    next(timeoutMs, since) {
      ensureWatcher();
      if (since !== undefined && since !== commits) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    },
    close() {
      stopWatching();
      wakeAll();
    },
  };
}
