"use client";
import type { Sandbox } from "@agentos/core";
import { PlayIcon, PlusIcon, SquareIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input } from "../ui/input";
import { SwitchField } from "../ui/switch";

/** Start, stop and delete a sandbox; each waits for the worker and shows why it failed. */
export function SandboxControls({ sandbox }: { sandbox: Sandbox }) {
  const client = useClient();
  const router = useRouter();
  const { busy, error, run } = useAction<"start" | "stop" | "delete">();
  const isRemoved = sandbox.state === "removed";
  return (
    <div className="grid gap-2">
      <div className="flex gap-2">
        {sandbox.state !== "running" && !isRemoved && (
          <Button
            size="sm"
            variant="outline"
            disabled={busy !== null}
            onClick={() =>
              run("start", async () => {
                await client.sandboxes.start(sandbox.id);
                router.refresh();
              })
            }
          >
            {busy === "start" ? <Spinner /> : <PlayIcon />} Start
          </Button>
        )}
        {sandbox.state === "running" && (
          <Button
            size="sm"
            variant="outline"
            disabled={busy !== null}
            onClick={() =>
              run("stop", async () => {
                await client.sandboxes.stop(sandbox.id);
                router.refresh();
              })
            }
          >
            {busy === "stop" ? <Spinner /> : <SquareIcon />} Stop
          </Button>
        )}
        {!isRemoved && (
          <Button
            size="sm"
            variant="ghost"
            className="text-destructive"
            disabled={busy !== null}
            onClick={() =>
              confirm("Delete this sandbox with its files and site bindings?") &&
              run("delete", async () => {
                await client.sandboxes.delete(sandbox.id);
                router.push("/sandboxes");
              })
            }
          >
            {busy === "delete" ? <Spinner /> : <Trash2Icon />} Delete
          </Button>
        )}
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}

export function CreateSandboxButton() {
  const client = useClient();
  const router = useRouter();
  const [image, setImage] = useState("agentos/sandbox-base");
  const [memoryMb, setMemoryMb] = useState(512);
  const [cpus, setCpus] = useState(1);
  const [network, setNetwork] = useState(false);
  const { busy, error, run } = useAction<"create">();
  async function create(event: React.FormEvent) {
    event.preventDefault();
    await run(
      "create",
      async () => {
        const sandbox = await client.sandboxes.create({
          policy: {
            enabled: true,
            image,
            memoryMb,
            cpus,
            network,
            pidsLimit: 256,
            readOnlyRootfs: false,
            execTimeoutMs: 60000,
          },
        });
        router.push(`/sandboxes/${sandbox.id}`);
      },
      { keepBusy: true },
    );
  }
  return (
    <Dialog
      title="New sandbox"
      description="A container on a worker host with Docker; creating it can take a while the first time (image pull)."
      trigger={
        <Button>
          <PlusIcon /> New sandbox
        </Button>
      }
    >
      <form onSubmit={create} className="grid gap-3">
        <Field label="Image" htmlFor="sandbox-new-image">
          <Input id="sandbox-new-image" value={image} onChange={(e) => setImage(e.target.value)} required />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Memory (MB)" htmlFor="sandbox-new-memory">
            <Input
              id="sandbox-new-memory"
              type="number"
              min={16}
              value={memoryMb}
              onChange={(e) => setMemoryMb(Number(e.target.value))}
            />
          </Field>
          <Field label="CPUs" htmlFor="sandbox-new-cpus">
            <Input
              id="sandbox-new-cpus"
              type="number"
              min={0.1}
              step={0.1}
              value={cpus}
              onChange={(e) => setCpus(Number(e.target.value))}
            />
          </Field>
        </div>
        <SwitchField
          id="sandbox-new-network"
          label="Network access (needed for site bindings)"
          checked={network}
          onCheckedChange={setNetwork}
        />
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy !== null}>
          {busy ? (
            <>
              <Spinner /> Creating the container…
            </>
          ) : (
            "Create sandbox"
          )}
        </Button>
      </form>
    </Dialog>
  );
}
