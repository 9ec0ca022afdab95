"use client";
import { Handle, type NodeProps, Position } from "@xyflow/react";
import {
  BotIcon,
  CheckCircle2Icon,
  FlagIcon,
  GitBranchIcon,
  HandIcon,
  Loader2Icon,
  WrenchIcon,
  XCircleIcon,
} from "lucide-react";
import { cn } from "../../lib/cn";
import type { FlowNode, NodeState } from "../../lib/workflow-graph";

const ICONS = {
  agent: BotIcon,
  tool: WrenchIcon,
  condition: GitBranchIcon,
  approval: HandIcon,
  output: FlagIcon,
} as const;
const STATE_RING: Record<NodeState, string> = {
  idle: "border-border",
  running: "border-primary ring-2 ring-primary/30",
  waiting: "border-warning ring-2 ring-warning/30",
  succeeded: "border-success",
  failed: "border-destructive ring-2 ring-destructive/30",
};

/** One workflow node on the canvas: kind, title, run state and validation issues. */
export function StepNode({ data, selected }: NodeProps<FlowNode>) {
  const { node, state, issues, title } = data;
  const Icon = ICONS[node.kind];
  return (
    <div
      className={cn(
        "w-48 rounded-lg border-2 bg-card px-3 py-2 text-card-foreground text-xs shadow-sm",
        STATE_RING[state],
        selected && "outline-2 outline-ring outline-offset-2",
        issues.length > 0 && state === "idle" && "border-destructive border-dashed",
      )}
      data-testid={`node-${node.id}`}
      data-state={state}
    >
      <Handle type="target" position={Position.Left} />
      <div className="flex items-center gap-2">
        <Icon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
        <span className="truncate font-medium text-sm">{title}</span>
        <span className="ml-auto">
          {state === "running" && (
            <Loader2Icon className="size-3.5 animate-spin text-primary" aria-label="running" />
          )}
          {state === "succeeded" && (
            <CheckCircle2Icon className="size-3.5 text-success" aria-label="succeeded" />
          )}
          {state === "failed" && <XCircleIcon className="size-3.5 text-destructive" aria-label="failed" />}
          {state === "waiting" && <HandIcon className="size-3.5 text-warning" aria-label="waiting" />}
        </span>
      </div>
      <p className="mt-0.5 text-muted-foreground">
        {node.kind} · <span className="font-mono">{node.id}</span>
      </p>
      {issues.length > 0 && <p className="mt-1 text-destructive">{issues.join("; ")}</p>}
      {node.kind === "condition" ? (
        <>
          <Handle type="source" id="true" position={Position.Right} style={{ top: "35%" }} />
          <Handle type="source" id="false" position={Position.Right} style={{ top: "75%" }} />
          <span className="absolute top-[26%] -right-8 text-[10px] text-success">true</span>
          <span className="absolute top-[66%] -right-8 text-[10px] text-destructive">false</span>
        </>
      ) : node.kind !== "output" ? (
        <Handle type="source" position={Position.Right} />
      ) : null}
    </div>
  );
}
