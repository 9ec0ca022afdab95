import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DockerPullEvent,
  type ImagePullTally,
  imagePullProgressOf,
  startImagePull,
  tallyImagePull,
} from "./image-pull-progress";
import { lines } from "./ndjson";

// Constructed Docker Engine pull streams (moby's jsonmessage shape, CRLF line ends as the engine
// writes them); see worker/test/ollama-standin/fixtures/SOURCES.md.
const FIXTURES = join(import.meta.dirname, "../../test/ollama-standin/fixtures");

async function eventsOf(name: string): Promise<DockerPullEvent[]> {
  const events: DockerPullEvent[] = [];
  const bytes = readFileSync(join(FIXTURES, name));
  // Chunks that split lines anywhere, as a socket delivers them.
  const chunks = [bytes.subarray(0, 100), bytes.subarray(100, 1234), bytes.subarray(1234)];
  for await (const line of lines(chunks)) events.push(DockerPullEvent.parse(JSON.parse(line)));
  return events;
}

describe("image pull progress", () => {
  it("follows a whole pull from 0 to 100 % across layers, leaving the cached layer out", async () => {
    const events = await eventsOf("docker-pull-progress.constructed.ndjson");
    expect(events).toHaveLength(27);
    let tally: ImagePullTally = startImagePull();
    const percents: number[] = [];
    for (const event of events) {
      tally = tallyImagePull(tally, event);
      percents.push(imagePullProgressOf(tally).percent);
    }
    expect(percents[0]).toBe(0);
    expect(Math.max(...percents)).toBe(100);
    expect(percents.at(-1)).toBe(100);
    expect(imagePullProgressOf(tally)).toEqual({
      status: "Status: Downloaded newer image for ollama/ollama:latest",
      layers: 4,
      layersDone: 4,
      downloadedBytes: 10485760 + 104857600 + 1024,
      totalBytes: 10485760 + 104857600 + 1024,
      percent: 100,
      error: null,
    });
  });

  it("weighs download 80 % and extraction 20 % per layer, by size, a layer of unknown size as the average", async () => {
    const events = await eventsOf("docker-pull-progress.constructed.ndjson");
    // Up to the first layer's "Extracting 5.2 MB of 10.5 MB" and the second's 2 MB download.
    let tally = startImagePull();
    for (const event of events.slice(0, 12)) tally = tallyImagePull(tally, event);
    const progress = imagePullProgressOf(tally);
    expect(progress.totalBytes).toBe(10485760 + 104857600);
    expect(progress.downloadedBytes).toBe(10485760 + 2097152);
    // The first layer is downloaded and half extracted; the second has 2 of 105 MB; the third's
    // size is unknown, so it counts as the average of the two.
    const average = (10485760 + 104857600) / 2;
    const done = (0.8 + 0.2 * 0.5) * 10485760 + 0.8 * 2097152;
    expect(progress.percent).toBe(Math.floor((done / (10485760 + 104857600 + average)) * 1000) / 10);
    expect(progress.layersDone).toBe(1);
  });

  it("keeps the engine's error message", async () => {
    let tally = startImagePull();
    for (const event of await eventsOf("docker-pull-error.constructed.ndjson"))
      tally = tallyImagePull(tally, event);
    expect(imagePullProgressOf(tally).error).toBe(
      "failed to register layer: write /usr/lib/ollama/libggml-base.so: no space left on device",
    );
  });
});
