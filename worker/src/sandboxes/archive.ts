import { posix } from "node:path";
import type { Readable } from "node:stream";
import { Invalid, NotFound } from "@agentos/core";
import type { SandboxFileEntry } from "@agentos/runtime/sandbox";
import tar from "tar-stream";

/** Normalises a sandbox path: absolute, no `..` escaping the root, no trailing slash. */
export function sandboxPath(path: string, field = "query.path"): string {
  if (!path.startsWith("/")) throw Invalid.field(field, "must be an absolute path such as /workspace/app.py");
  if (path.includes("\0")) throw Invalid.field(field, "must not contain NUL characters");
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}

async function collect(stream: AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

export interface Owner {
  uid: number;
  gid: number;
}

/** `uid:gid` as numbers (gid defaults to uid). */
export function ownerOf(user: string): Owner {
  const [uid, gid] = user.split(":").map(Number);
  return { uid: uid ?? 0, gid: gid ?? uid ?? 0 };
}

/**
 * A tar of one file at the relative path `parts` (e.g. `["src", "app.py"]`), naming each parent
 * directory so that missing ones are created owned by the sandbox user rather than by root.
 */
export async function tarOfFile(parts: string[], content: Uint8Array, owner: Owner): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date();
  const done = collect(pack as unknown as AsyncIterable<Buffer>);
  for (let i = 1; i < parts.length; i++) {
    pack.entry({ name: `${parts.slice(0, i).join("/")}/`, type: "directory", mode: 0o755, mtime, ...owner });
  }
  pack.entry(
    { name: parts.join("/"), size: content.byteLength, mode: 0o644, mtime, ...owner },
    Buffer.from(content),
  );
  pack.finalize();
  return done;
}

/** A tar of one directory entry, used to give a fresh volume's mount point to the sandbox user. */
export async function tarOfDirectory(path: string, owner: Owner, mode = 0o755): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack as unknown as AsyncIterable<Buffer>);
  pack.entry({ name: `${path.replace(/^\/+/, "")}/`, type: "directory", mode, mtime: new Date(), ...owner });
  pack.finalize();
  return done;
}

/** The bytes of the single file in a `GET archive` tar; a directory is refused. */
export async function fileFromTar(archive: Readable, path: string): Promise<Buffer> {
  const extract = tar.extract();
  archive.pipe(extract);
  for await (const entry of extract) {
    if (entry.header.type === "file" || entry.header.type === "contiguous-file") {
      const bytes = await collect(entry as unknown as AsyncIterable<Buffer>);
      archive.destroy();
      return bytes;
    }
    if (entry.header.type === "directory") {
      archive.destroy();
      throw Invalid.field("query.path", `${path} is a directory; list it instead of downloading it`);
    }
    if (entry.header.type === "symlink") {
      archive.destroy();
      throw Invalid.field(
        "query.path",
        `${path} is a symbolic link to ${entry.header.linkname}; download the target instead`,
      );
    }
    entry.resume();
  }
  throw new NotFound("file", path);
}

const TYPES: Record<string, SandboxFileEntry["type"]> = {
  file: "file",
  "contiguous-file": "file",
  directory: "directory",
  symlink: "symlink",
};

/**
 * The direct children of the directory at `path` from its `GET archive` tar (the archive names
 * entries after the directory's base name). Stops reading after `limit` entries.
 */
export async function entriesFromTar(
  archive: Readable,
  path: string,
  limit: number,
): Promise<SandboxFileEntry[]> {
  const extract = tar.extract();
  archive.pipe(extract);
  const entries: SandboxFileEntry[] = [];
  for await (const entry of extract) {
    const name = entry.header.name.replace(/\/$/, "");
    const slash = name.indexOf("/");
    if (slash >= 0 && name.indexOf("/", slash + 1) < 0) {
      const base = name.slice(slash + 1);
      entries.push({
        name: base,
        path: posix.join(path, base),
        type: TYPES[entry.header.type ?? "file"] ?? "other",
        size: entry.header.type === "directory" ? 0 : (entry.header.size ?? 0),
        modifiedAt: (entry.header.mtime ?? new Date(0)).toISOString(),
      });
    }
    entry.resume();
    if (entries.length >= limit) {
      archive.destroy();
      break;
    }
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}
