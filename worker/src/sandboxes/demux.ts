/**
 * Splits Docker's multiplexed attach stream (non-TTY execs) into stdout and stderr. Each frame is
 * an 8-byte header — stream type (1 stdout, 2 stderr), three zero bytes, a big-endian uint32
 * length — then the payload. Chunks may cut frames anywhere, so partial frames are carried over.
 */
export class DockerStreamDemuxer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onFrame: (stream: "stdout" | "stderr", payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < 8) return;
    let buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
    let offset = 0;
    while (buffer.length - offset >= 8) {
      const type = buffer[offset];
      const length = buffer.readUInt32BE(offset + 4);
      if (buffer.length - offset - 8 < length) break;
      const payload = buffer.subarray(offset + 8, offset + 8 + length);
      offset += 8 + length;
      // Type 0 would be stdin echoed back; it never carries output.
      if (type === 1) this.onFrame("stdout", payload);
      else if (type === 2) this.onFrame("stderr", payload);
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer.length > 0 ? [buffer] : [];
    this.pendingBytes = buffer.length;
  }
}
