"use client";
import { ApiError } from "@agentos/client";
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
 * Whether a bound site answers: a GET of `/` through /api/sandbox-proxy with X-Sandbox-Host, the
 * path a reverse proxy in front of the Studio takes. The proxy's own problems (502 `bad_gateway`:
 * nothing accepts connections on the port; 404 `not_found`: no such binding) mean the site is down;
 * any other answer, even the site's own 404, means it answers.
 */
export function SiteStatus({ host, containerPort }: { host: string; containerPort: number }) {
  const client = useClient();
  const [status, setStatus] = useState<Status>({ kind: "checking" });

  /** `quiet`: a background re-check, which keeps showing the last status until it knows better. */
  const check = useCallback(
    async (quiet = false) => {
      if (!quiet) setStatus({ kind: "checking" });
      const started = performance.now();
      try {
        const response = await client.send("GET", "/api/sandbox-proxy/", {
          headers: { "x-sandbox-host": host, accept: "*/*" },
        });
        await response.body?.cancel();
        setStatus({ kind: "answering", httpStatus: response.status, ms: performance.now() - started });
      } catch (error) {
        // The proxy's own answers: nothing listening (502 bad_gateway), or no such binding (404 not_found).
        const fromProxy =
          error instanceof ApiError &&
          (error.problem.code === "bad_gateway" || error.problem.code === "not_found");
        if (error instanceof ApiError && !fromProxy) {
          setStatus({ kind: "answering", httpStatus: error.status, ms: performance.now() - started });
        } else {
          setStatus({
            kind: "down",
            detail:
              error instanceof ApiError
                ? (error.problem.detail ?? error.problem.title)
                : `nothing answered on port ${containerPort}`,
          });
        }
      }
    },
    [client, host, containerPort],
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
