import type { OllamaPull } from "@agentos/client";
import { describe, expect, it } from "vitest";
import {
  describePull,
  formatEta,
  formatRate,
  interruptedPull,
  isPullActive,
  mergePull,
  pullsToShow,
} from "./ollama-pulls";

const MiB = 1024 * 1024;

function pull(overrides: Partial<OllamaPull> = {}): OllamaPull {
  return {
    id: "pull_a",
    model: "llama3.2:1b",
    seq: 1,
    status: "pulling",
    message: "pulling 74701a8c35f6",
    layers: [],
    completedBytes: 0,
    totalBytes: 0,
    percent: null,
    bytesPerSecond: null,
    etaSeconds: null,
    resumedBytes: 0,
    error: null,
    startedAt: "2026-11-29T10:00:00.000Z",
    updatedAt: "2026-11-29T10:00:00.000Z",
    finishedAt: null,
    ...overrides,
  };
}

describe("mergePull", () => {
  it("replaces a pull by a newer snapshot and ignores an older one", () => {
    const shown = [pull({ seq: 5, percent: 50 })];
    expect(mergePull(shown, pull({ seq: 6, percent: 60 }))[0]?.percent).toBe(60);
    expect(mergePull(shown, pull({ seq: 4, percent: 40 }))[0]?.percent).toBe(50);
  });

  it("lists active pulls first, then the newest", () => {
    const failed = pull({ id: "pull_f", status: "failed", startedAt: "2026-11-29T10:05:00.000Z" });
    const old = pull({ id: "pull_o", startedAt: "2026-11-29T09:00:00.000Z" });
    const recent = pull({ id: "pull_r", startedAt: "2026-11-29T10:01:00.000Z" });
    const merged = [failed, old, recent].reduce<OllamaPull[]>(mergePull, []);
    expect(merged.map((p) => p.id)).toEqual(["pull_r", "pull_o", "pull_f"]);
  });
});

describe("pullsToShow", () => {
  it("keeps running and failed pulls, drops unwatched succeeded, dismissed and superseded ones", () => {
    const running = pull({ id: "pull_1", model: "a" });
    const failedThenRetried = pull({ id: "pull_2", model: "b", status: "failed" });
    const retry = pull({ id: "pull_3", model: "b", startedAt: "2026-11-29T10:02:00.000Z" });
    const done = pull({ id: "pull_4", model: "c", status: "succeeded" });
    const dismissed = pull({ id: "pull_5", model: "d", status: "cancelled" });
    const failed = pull({ id: "pull_6", model: "e", status: "failed" });
    const watchedDone = pull({ id: "pull_7", model: "f", status: "succeeded" });
    const shown = pullsToShow([running, failedThenRetried, retry, done, dismissed, failed, watchedDone], {
      dismissed: new Set(["pull_5"]),
      watched: new Set(["pull_1", "pull_7"]),
    });
    expect(shown.map((p) => p.id).sort()).toEqual(["pull_1", "pull_3", "pull_6", "pull_7"]);
  });
});

describe("describePull", () => {
  it("says percent, bytes, speed and time left while downloading", () => {
    const progress = describePull(
      pull({
        percent: 42.7,
        completedBytes: 820 * MiB,
        totalBytes: 1920 * MiB,
        bytesPerSecond: 35 * MiB,
        etaSeconds: 31.2,
      }),
    );
    expect(progress.percent).toBe(42);
    expect(progress.headline).toBe("Downloading 42%");
    expect(progress.detail).toBe("820.0 MiB of 1.9 GiB · 35.0 MiB/s · 32 s left");
  });

  it("has no bar value until the size is known, and names the phase", () => {
    const progress = describePull(pull({ message: "pulling manifest" }));
    expect(progress.percent).toBeNull();
    expect(progress.headline).toBe("Downloading");
    expect(progress.detail).toBe("");
  });

  it("shows a finished pull without speed or time left, and where a resumed pull started", () => {
    const failed = describePull(
      pull({
        status: "failed",
        percent: 30,
        completedBytes: 300,
        totalBytes: 1000,
        bytesPerSecond: 100,
        etaSeconds: 7,
        resumedBytes: 100,
      }),
    );
    expect(failed.headline).toBe("Failed");
    expect(failed.detail).toBe("300 B of 1000 B · resumed at 100 B");
    expect(describePull(pull({ status: "succeeded", percent: null })).percent).toBe(100);
  });
});

describe("formatting", () => {
  it("formats rates and times left, and says nothing while they are unknown", () => {
    expect(formatRate(null)).toBeNull();
    expect(formatRate(0)).toBeNull();
    expect(formatRate(2 * MiB)).toBe("2.0 MiB/s");
    expect(formatEta(null)).toBeNull();
    expect(formatEta(0.2)).toBe("1 s left");
    expect(formatEta(125)).toBe("about 2 min 5 s left");
    expect(formatEta(7260)).toBe("about 2 h 1 min left");
  });

  it("treats pulling, verifying and writing as active", () => {
    expect(
      ["pulling", "verifying", "writing"].map((status) => isPullActive({ status } as OllamaPull)),
    ).toEqual([true, true, true]);
    expect(isPullActive({ status: "cancelled" })).toBe(false);
  });
});

describe("interruptedPull", () => {
  it("turns a running pull the worker forgot into a resumable failure, newer than what was shown", () => {
    const running = pull({ seq: 7, percent: 40, bytesPerSecond: 1000, etaSeconds: 9 });
    const gone = interruptedPull(running);
    expect(gone).toMatchObject({ status: "failed", seq: 8, bytesPerSecond: null, etaSeconds: null });
    expect(gone.error).toMatchObject({ code: "interrupted", resumable: true });
    expect(gone.error?.message).toContain("llama3.2:1b");
    expect(mergePull([running], gone)[0]?.status).toBe("failed");
    const done = pull({ status: "succeeded" });
    expect(interruptedPull(done)).toBe(done);
  });
});
