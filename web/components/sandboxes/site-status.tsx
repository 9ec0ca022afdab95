"use client";
import type { SiteBinding } from "@agentos/core";
import { RefreshCwIcon } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatDuration } from "../../lib/format";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Spinner } from "../ui/feedback";

/** A site that is down is checked again this often, so it turns green once its server listens. */
const RECHECK_DOWN_MS = 3000;

type Status =
  | { kind: "checking" }
  | { kind: "answering"; httpStatus: number; ms: number }
  | { kind: "down"; detail: string };

/**
 * Whether a bound site answers: the server sends `GET /` to it as a visitor's request would
 * arrive, without the browser's cookies or token (GET …/site-bindings/{id}/status). Any HTTP
 * answer, even the site's own 404, means it answers.
 */
export function SiteStatus({ sandboxId, binding }: { sandboxId: string; binding: SiteBinding }) {
  const client = useClient();
  const [status, setStatus] = useState<Status>({ kind: "checking" });

  /** `quiet`: a background re-check, which keeps showing the last status until it knows better. */
  const check = useCallback(
    async (quiet = false) => {
      if (!quiet) setStatus({ kind: "checking" });
      try {
        const answer = await client.sandboxes.siteBindings.status(sandboxId, binding.id);
        setStatus(
          answer.answering && answer.httpStatus !== null
            ? { kind: "answering", httpStatus: answer.httpStatus, ms: answer.ms }
            : { kind: "down", detail: answer.detail ?? `nothing answered on port ${binding.containerPort}` },
        );
      } catch (error) {
        setStatus({ kind: "down", detail: (error as Error).message });
      }
    },
    [client, sandboxId, binding.id, binding.containerPort],
  );

  useEffect(() => {
    void check();
  }, [check]);

  const isDown = status.kind === "down";
  useEffect(() => {
    if (!isDown) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void check(true);
    }, RECHECK_DOWN_MS);
    return () => clearInterval(timer);
  }, [isDown, check]);

  const { host } = binding;
  return (
    <span className="flex items-center gap-1" data-testid={`site-status-${host}`} data-state={status.kind}>
      {status.kind === "checking" && <Spinner label={`Checking ${host}`} />}
      {status.kind === "answering" && (
        <Badge tone="success" title={`GET / answered in ${formatDuration(status.ms)}`}>
          answering · HTTP {status.httpStatus}
        </Badge>
      )}
      {status.kind === "down" && (
        <Badge tone="warning" title={status.detail}>
          not answering
        </Badge>
      )}
      <Button
        size="sm"
        variant="ghost"
        onClick={() => void check()}
        disabled={status.kind === "checking"}
        aria-label={`Check ${host}`}
      >
        <RefreshCwIcon />
      </Button>
    </span>
  );
}
