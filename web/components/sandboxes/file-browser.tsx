"use client";
import type { SandboxFileEntry } from "@agentos/client";
import { DownloadIcon, FileIcon, FolderIcon, RefreshCwIcon, UploadIcon } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatBytes, formatTime } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Input } from "../ui/input";

/** Browse a sandbox's files, download one, upload into the current directory. */
export function FileBrowser({ sandboxId }: { sandboxId: string }) {
  const client = useClient();
  const [path, setPath] = useState("/workspace");
  const [typed, setTyped] = useState("/workspace");
  const [entries, setEntries] = useState<SandboxFileEntry[] | null>(null);
  const { busy, error, setError, run } = useAction<"load" | "upload">();
  const upload = useRef<HTMLInputElement>(null);

  const load = useCallback(
    (target: string) =>
      run("load", async () => {
        setEntries((await client.sandboxes.files.list(sandboxId, target)).items);
        setPath(target);
        setTyped(target);
      }),
    [client, sandboxId, run],
  );
  useEffect(() => {
    void load("/workspace");
  }, [load]);

  async function download(entry: SandboxFileEntry) {
    try {
      const blob = await client.sandboxes.files.download(sandboxId, entry.path);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = entry.name;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setError(e);
    }
  }

  async function onUpload(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    await run("upload", async () => {
      await client.sandboxes.files.upload(sandboxId, `${path.replace(/\/$/, "")}/${file.name}`, file);
      await load(path);
    });
  }

  const parent = path === "/" ? null : path.replace(/\/[^/]+\/?$/, "") || "/";
  return (
    <div className="grid gap-2">
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void load(typed);
        }}
      >
        <Input
          aria-label="Directory"
          className="font-mono text-xs"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <Button type="submit" variant="outline" aria-label="Open directory">
          {busy ? <Spinner /> : <RefreshCwIcon />}
        </Button>
        <Button variant="outline" onClick={() => upload.current?.click()}>
          <UploadIcon /> Upload
        </Button>
        <input
          ref={upload}
          type="file"
          className="hidden"
          onChange={(e) => void onUpload(e.target.files)}
          aria-label="File to upload"
        />
      </form>
      <ErrorAlert error={error} />
      {entries && (
        <ul className="grid max-h-72 overflow-y-auto rounded-md border text-sm">
          {parent !== null && (
            <li>
              <button
                type="button"
                className="flex w-full cursor-pointer items-center gap-2 px-3 py-1.5 hover:bg-accent"
                onClick={() => void load(parent)}
              >
                <FolderIcon className="size-4 text-muted-foreground" /> ..
              </button>
            </li>
          )}
          {entries.length === 0 && <li className="px-3 py-2 text-muted-foreground">Empty directory.</li>}
          {entries.map((entry) => (
            <li key={entry.path} className="flex items-center gap-2 px-3 py-1.5 hover:bg-accent">
              {entry.type === "directory" ? (
                <button
                  type="button"
                  className="flex flex-1 cursor-pointer items-center gap-2 text-left"
                  onClick={() => void load(entry.path)}
                >
                  <FolderIcon className="size-4 text-primary" /> {entry.name}/
                </button>
              ) : (
                <span className="flex flex-1 items-center gap-2">
                  <FileIcon className="size-4 text-muted-foreground" /> {entry.name}
                </span>
              )}
              <span className="text-muted-foreground text-xs tabular-nums">
                {entry.type === "file" ? formatBytes(entry.size) : ""}
              </span>
              <span className="hidden text-muted-foreground text-xs md:inline">
                {formatTime(entry.modifiedAt)}
              </span>
              {entry.type === "file" && (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Download ${entry.name}`}
                  onClick={() => void download(entry)}
                >
                  <DownloadIcon />
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
