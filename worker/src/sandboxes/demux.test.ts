import { describe, expect, it } from "vitest";
import { DockerStreamDemuxer } from "./demux";

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("DockerStreamDemuxer", () => {
  it("separates stdout and stderr frames even when chunks cut headers and payloads", () => {
    const out = { stdout: "", stderr: "" };
    const demuxer = new DockerStreamDemuxer((stream, payload) => {
      out[stream] += payload.toString();
    });
    const bytes = Buffer.concat([frame(1, "hello "), frame(2, "oops"), frame(1, "world")]);
    for (let i = 0; i < bytes.length; i += 3) demuxer.push(bytes.subarray(i, i + 3));
    expect(out).toEqual({ stdout: "hello world", stderr: "oops" });
  });

  it("passes a frame whose payload is empty without stalling the next", () => {
    const seen: string[] = [];
    const demuxer = new DockerStreamDemuxer((stream, payload) => seen.push(`${stream}:${payload}`));
    demuxer.push(Buffer.concat([frame(1, ""), frame(2, "x")]));
    expect(seen).toEqual(["stdout:", "stderr:x"]);
  });
});
