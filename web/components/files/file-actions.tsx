"use client";
import type { File as StoredFile } from "@agentos/core";
import { DownloadIcon, Trash2Icon, UploadIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";

function saveBlob(blob: Blob, name: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function FileActions({ file }: { file: StoredFile }) {
  const client = useClient();
  const router = useRouter();
  const { busy, error, run } = useAction<"download" | "delete">();
  return (
    <div className="inline-grid justify-items-end gap-1">
      <div className="flex gap-1">
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Download ${file.name}`}
          disabled={busy !== null}
          onClick={() =>
            run("download", async () => {
              const bytes = await client.files.download(file.id);
              saveBlob(new Blob([bytes], { type: file.mediaType }), file.name);
            })
          }
        >
          {busy === "download" ? <Spinner /> : <DownloadIcon />}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Delete ${file.name}`}
          disabled={busy !== null}
          onClick={() =>
            confirm(`Delete ${file.name}?`) &&
            run("delete", async () => {
              await client.files.delete(file.id);
              router.refresh();
            })
          }
        >
          {busy === "delete" ? <Spinner /> : <Trash2Icon />}
        </Button>
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}

export function UploadFileButton() {
  const client = useClient();
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction<"upload">();
  async function upload(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    await run("upload", async () => {
      await client.files.upload(file, file.name);
      router.refresh();
    });
    if (input.current) input.current.value = "";
  }
  return (
    <div className="grid justify-items-end gap-2">
      <Button onClick={() => input.current?.click()} disabled={busy !== null}>
        {busy ? <Spinner /> : <UploadIcon />} {busy ? "Uploading…" : "Upload file"}
      </Button>
      <input
        ref={input}
        type="file"
        className="hidden"
        aria-label="File to upload"
        onChange={(e) => void upload(e.target.files)}
      />
      <ErrorAlert error={error} />
    </div>
  );
}
