"use client";
import type { Model, Settings } from "@agentos/core";
import { SaveIcon } from "lucide-react";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select } from "../ui/input";

export function WorkspaceSettings({ settings, models }: { settings: Settings; models: Model[] }) {
  const client = useClient();
  const [draft, setDraft] = useState(settings);
  const { busy, error, run } = useAction<"save">();
  const [saved, setSaved] = useState(false);
  const errors = fieldErrors(error);
  async function save(event: React.FormEvent) {
    event.preventDefault();
    await run("save", async () => {
      setDraft(
        await client.settings.update({
          defaultModelId: draft.defaultModelId,
          runRetentionDays: draft.runRetentionDays,
          fileMaxBytes: draft.fileMaxBytes,
        }),
      );
      setSaved(true);
    });
  }
  return (
    <form onSubmit={save} className="grid gap-3 md:grid-cols-3">
      <Field label="Default model for new agents" htmlFor="settings-model" error={errors.defaultModelId}>
        <Select
          id="settings-model"
          value={draft.defaultModelId ?? ""}
          onChange={(e) => setDraft({ ...draft, defaultModelId: e.target.value || null })}
        >
          <option value="">None</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.displayName || m.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Keep runs for (days)" htmlFor="settings-retention" error={errors.runRetentionDays}>
        <Input
          id="settings-retention"
          type="number"
          min={1}
          value={draft.runRetentionDays}
          onChange={(e) => setDraft({ ...draft, runRetentionDays: Number(e.target.value) })}
        />
      </Field>
      <Field label="Largest upload (MiB)" htmlFor="settings-file-max" error={errors.fileMaxBytes}>
        <Input
          id="settings-file-max"
          type="number"
          min={1}
          value={Math.round(draft.fileMaxBytes / 1024 / 1024)}
          onChange={(e) => setDraft({ ...draft, fileMaxBytes: Number(e.target.value) * 1024 * 1024 })}
        />
      </Field>
      <div className="flex items-center gap-3 md:col-span-3">
        <Button type="submit" disabled={busy !== null}>
          {busy ? <Spinner /> : <SaveIcon />} Save settings
        </Button>
        {saved && (
          <span role="status" className="text-sm text-success">
            Saved.
          </span>
        )}
      </div>
      <ErrorAlert error={error} className="md:col-span-3" />
    </form>
  );
}
