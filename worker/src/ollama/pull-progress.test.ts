import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyOllamaError } from "./errors";
import { type PullTally, startTally, tallyLine } from "./pull-progress";
import { OllamaPullLine } from "./wire";

// Lines as Ollama's /api/pull emits them (constructed from the Ollama source; see
// worker/test/ollama-standin/fixtures/SOURCES.md).
const FIXTURES = join(import.meta.dirname, "../../test/ollama-standin/fixtures");
const linesOf = (name: string) =>
  readFileSync(join(FIXTURES, name), "utf8")
    .trim()
    .split("\n")
    .map((line) => OllamaPullLine.parse(JSON.parse(line)));

/** Feeds lines one `stepMs` apart, starting at t = 0. */
function feed(lines: OllamaPullLine[], stepMs = 60, tally: PullTally = startTally("llama3.2:1b"), from = 0) {
  let t = from;
  for (const line of lines) {
    tally = tallyLine(tally, line, t);
    t += stepMs;
  }
  return tally;
}

const layer = (digest: string, total: number, completed?: number): OllamaPullLine => ({
  status: `pulling ${digest.slice(7, 19)}`,
  digest,
  total,
  ...(completed === undefined ? {} : { completed }),
});

const BIG = `sha256:${"a".repeat(64)}`;
const SMALL = `sha256:${"b".repeat(64)}`;

describe("pull progress", () => {
  it("adds up the layers of the recorded stream and ends succeeded at 100 %", () => {
    const { progress } = feed(linesOf("pull-stream.constructed.ndjson"));
    expect(progress.status).toBe("succeeded");
    expect(progress.message).toBe("success");
    expect(progress.layers).toEqual([
      {
        digest: "sha256:74701a8c35f6c8d9a4b91f3f3497643001d63e0c7a84e085bed452548fa88d45",
        totalBytes: 1321082688,
        completedBytes: 1321082688,
      },
      {
        digest: "sha256:966de95ca8a62200913e3f8bfbf84c8494536f1b94b49166851e76644e966396",
        totalBytes: 1429,
        completedBytes: 1429,
      },
    ]);
    expect(progress.totalBytes).toBe(1321082688 + 1429);
    expect(progress.completedBytes).toBe(progress.totalBytes);
    expect(progress.percent).toBe(100);
    expect(progress.error).toBeNull();
  });

  it("reports phases in Ollama's order: manifest, layers, verifying, writing", () => {
    const seen = new Set<string>();
    let tally = startTally("llama3.2:1b");
    for (const [i, line] of linesOf("pull-stream.constructed.ndjson").entries()) {
      tally = tallyLine(tally, line, i * 60);
      seen.add(`${tally.progress.status}:${tally.progress.message.split(" ")[0]}`);
    }
    expect([...seen]).toEqual([
      "pulling:pulling",
      "verifying:verifying",
      "writing:writing",
      "succeeded:success",
    ]);
  });

  it("takes a first line without `completed` (Ollama omits it while 0) as zero bytes", () => {
    const { progress } = feed([{ status: "pulling manifest" }, layer(BIG, 1000)]);
    expect(progress.layers).toEqual([{ digest: BIG, totalBytes: 1000, completedBytes: 0 }]);
    expect(progress.percent).toBe(0);
    expect(progress.etaSeconds).toBeNull();
  });

  it("computes percent across layers, speed over recent samples and the time left", () => {
    // 1 MB per 100 ms on the big layer: 10 MB/s.
    const lines = [layer(BIG, 20_000_000)];
    for (let done = 1_000_000; done <= 10_000_000; done += 1_000_000)
      lines.push(layer(BIG, 20_000_000, done));
    const { progress } = feed(lines, 100);
    expect(progress.completedBytes).toBe(10_000_000);
    expect(progress.percent).toBe(50);
    expect(progress.bytesPerSecond).toBe(10_000_000);
    expect(progress.etaSeconds).toBe(1);

    const withSmall = feed([layer(BIG, 20_000_000, 20_000_000), layer(SMALL, 5_000_000, 0)], 100, {
      ...startTally("m"),
    });
    expect(withSmall.progress.totalBytes).toBe(25_000_000);
    expect(withSmall.progress.percent).toBe(80);
  });

  it("counts bytes already on disk as resumed, not as speed", () => {
    // A pull resumed after an interruption: Ollama's first line already carries 600 MB.
    const lines = [layer(BIG, 1_000_000_000, 600_000_000)];
    for (let i = 1; i <= 5; i++) lines.push(layer(BIG, 1_000_000_000, 600_000_000 + i * 10_000_000));
    const { progress } = feed(lines, 100);
    expect(progress.resumedBytes).toBe(600_000_000);
    expect(progress.completedBytes).toBe(650_000_000);
    expect(progress.bytesPerSecond).toBe(100_000_000);
  });

  it("decays the speed to zero while bytes stand still (Ollama keeps sending the same line)", () => {
    const lines = [layer(BIG, 100, 10), layer(BIG, 100, 20)];
    for (let i = 0; i < 40; i++) lines.push(layer(BIG, 100, 20));
    const { progress } = feed(lines, 100);
    expect(progress.bytesPerSecond).toBe(0);
    expect(progress.etaSeconds).toBeNull();
  });

  it("ends failed with model_not_found for a name the registry does not know (the 200-stream error line)", () => {
    const { progress } = feed(linesOf("pull-missing-model.constructed.ndjson"));
    expect(progress.status).toBe("failed");
    expect(progress.error).toMatchObject({ code: "model_not_found", resumable: false });
    expect(progress.error?.message).toContain("pull model manifest: file does not exist");
    expect(progress.error?.message).toContain("https://ollama.com/library");
  });

  it("ends failed with disk_full, resumable, when a blob write hits ENOSPC", () => {
    const { progress } = feed([
      layer(BIG, 1000, 500),
      { error: `write /root/.ollama/models/blobs/sha256-${"a".repeat(64)}-partial: no space left on device` },
    ]);
    expect(progress.status).toBe("failed");
    expect(progress.error).toMatchObject({ code: "disk_full", resumable: true });
    expect(progress.error?.message).toMatch(/Free space .* pull again: the download resumes/);
    expect(progress.completedBytes).toBe(500);
  });

  it("ignores lines after the end", () => {
    const done = feed(linesOf("pull-stream.constructed.ndjson"));
    expect(tallyLine(done, { error: "late" }, 10_000)).toBe(done);
  });

  it("classifies Ollama's error texts", () => {
    expect(classifyOllamaError("write /x: no space left on device")).toBe("disk_full");
    expect(classifyOllamaError("pull model manifest: file does not exist")).toBe("model_not_found");
    expect(classifyOllamaError("max retries exceeded: unexpected EOF")).toBe("ollama_error");
  });
});
