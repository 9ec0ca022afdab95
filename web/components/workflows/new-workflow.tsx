"use client";
import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Textarea } from "../ui/input";

export function NewWorkflowButton() {
  const client = useClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const { busy, error, run } = useAction<"create">();
  async function create(event: React.FormEvent) {
    event.preventDefault();
    await run(
      "create",
      async () => {
        const workflow = await client.workflows.create({ name, description });
        router.push(`/workflows/${workflow.id}`);
      },
      { keepBusy: true },
    );
  }
  return (
    <Dialog
      title="New workflow"
      description="You will draw its graph next."
      trigger={
        <Button>
          <PlusIcon /> New workflow
        </Button>
      }
    >
      <form onSubmit={create} className="grid gap-3">
        <Field label="Name" htmlFor="new-workflow-name">
          <Input id="new-workflow-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Description" htmlFor="new-workflow-description">
          <Textarea
            id="new-workflow-description"
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy !== null}>
          {busy && <Spinner />} Create and open the editor
        </Button>
      </form>
    </Dialog>
  );
}
