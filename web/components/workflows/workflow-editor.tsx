"use client";
import "@xyflow/react/dist/style.css";
import {
  type Agent,
  findGraphIssues,
  type NodeKind,
  type Tool,
  type Workflow,
  type WorkflowNode,
} from "@agentos/core";
import {
  Background,
  type Connection,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
} from "@xyflow/react";
import { CheckCircle2Icon, ExternalLinkIcon, PlayIcon, PlusIcon, SaveIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { isFinal } from "../../lib/run-status";
import { useAction } from "../../lib/use-action";
import {
  type FlowEdge,
  type FlowNode,
  flowEdge,
  fromFlow,
  makeNode,
  NODE_KINDS,
  nodeStates,
  toFlow,
  validateGraph,
} from "../../lib/workflow-graph";
import { JsonBlock } from "../runs/json-block";
import { RunStatusBadge } from "../runs/status-badge";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select, Textarea } from "../ui/input";
import { StepNode } from "./step-node";
import { useWatchedRun } from "./use-watched-run";

const NODE_TYPES = { step: StepNode };

type Props = { workflow: Workflow; agents: Agent[]; tools: Tool[]; watchRunId: string | null };

export default function WorkflowEditor(props: Props) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

/** Parses the execute box: JSON when it is JSON, otherwise the text itself. */
function parseInput(text: string): unknown {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function Editor({ workflow, agents, tools, watchRunId }: Props) {
  const client = useClient();
  const router = useRouter();
  const { deleteElements, fitView } = useReactFlow();
  const agentNames = useMemo(() => new Map(agents.map((a) => [a.id, a.name])), [agents]);
  const toolNames = useMemo(() => new Map(tools.map((t) => [t.id, t.name])), [tools]);
  const initial = useMemo(() => toFlow(workflow.graph), [workflow.graph]);
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<FlowEdge>(initial.edges);
  const [name, setName] = useState(workflow.name);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [showIssues, setShowIssues] = useState(false);
  const { busy, error, setError, run } = useAction<"save" | "run">();
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [input, setInput] = useState("");
  const [runId, setRunId] = useState<string | null>(watchRunId);
  const [isDark, setIsDark] = useState(false);
  const watched = useWatchedRun(runId);

  useEffect(() => setIsDark(document.documentElement.classList.contains("dark")), []);

  const graph = useMemo(() => fromFlow(nodes, edges), [nodes, edges]);
  const validation = useMemo(() => validateGraph(graph, findGraphIssues), [graph]);
  const states = useMemo(
    () => (watched.run ? nodeStates(graph, watched.steps, watched.run.status) : {}),
    [graph, watched.run, watched.steps],
  );
  const titleOf = (node: WorkflowNode) =>
    node.label ||
    (node.kind === "agent"
      ? agentNames.get(node.agentId)
      : node.kind === "tool"
        ? toolNames.get(node.toolId)
        : null) ||
    node.id;
  const shownNodes: FlowNode[] = nodes.map((n) => ({
    ...n,
    data: {
      ...n.data,
      title: titleOf(n.data.node),
      state: states[n.id] ?? "idle",
      issues: showIssues ? (validation.byNode[n.id] ?? []) : [],
    },
  }));
  const shownEdges: FlowEdge[] = edges.map((e) => ({
    ...e,
    animated:
      states[e.source] === "succeeded" && (states[e.target] === "running" || states[e.target] === "waiting"),
    ...(showIssues && validation.byEdge[e.id] ? { style: { stroke: "var(--destructive)" } } : {}),
  }));
  const selected = nodes.find((n) => n.id === selectedId)?.data.node ?? null;
  const apiErrors = fieldErrors(error);

  function addNode(kind: NodeKind) {
    // New nodes line up left to right, wrapping every four, so they never land on each other.
    const position = { x: 40 + (nodes.length % 4) * 260, y: 60 + Math.floor(nodes.length / 4) * 140 };
    const node = makeNode(
      kind,
      nodes.map((n) => n.id),
      position,
    );
    setNodes((ns) => [
      ...ns.map((n) => ({ ...n, selected: false })),
      {
        id: node.id,
        type: "step",
        position: node.position,
        selected: true,
        data: { node, state: "idle", issues: [], title: node.id },
      },
    ]);
    setSelectedId(node.id);
    // Keep every node in view once React Flow has measured the new one.
    setTimeout(() => void fitView({ maxZoom: 1, padding: 0.25, duration: 150 }), 50);
  }

  function patchSelected(patch: Partial<WorkflowNode>) {
    setNodes((ns) =>
      ns.map((n) =>
        n.id === selectedId
          ? { ...n, data: { ...n.data, node: { ...n.data.node, ...patch } as WorkflowNode } }
          : n,
      ),
    );
  }

  function onConnect(connection: Connection) {
    const source = nodes.find((n) => n.id === connection.source)?.data.node;
    const branch =
      source?.kind === "condition" &&
      (connection.sourceHandle === "true" || connection.sourceHandle === "false")
        ? connection.sourceHandle
        : null;
    const edge = flowEdge(connection.source, connection.target, branch);
    setEdges((es) => (es.some((e) => e.id === edge.id) ? es : [...es, edge]));
  }

  async function save(): Promise<boolean> {
    setShowIssues(true);
    setError(null);
    if (validation.issues.length > 0) return false;
    return run("save", async () => {
      await client.workflows.update(workflow.id, { name, graph });
      setSavedAt(new Date().toISOString().slice(11, 19));
    });
  }

  async function execute() {
    if (!(await save())) return;
    await run("run", async () => {
      const started = await client.workflows.execute(workflow.id, parseInput(input) as never);
      setRunId(started.id);
      router.replace(`/workflows/${workflow.id}?run=${started.id}`, { scroll: false });
    });
  }

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Name" htmlFor="workflow-name" error={apiErrors.name} className="w-64">
          <Input id="workflow-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <div className="flex flex-wrap gap-1" role="toolbar" aria-label="Add a node">
          {NODE_KINDS.map((kind) => (
            <Button key={kind} size="sm" variant="outline" onClick={() => addNode(kind)}>
              <PlusIcon /> {kind}
            </Button>
          ))}
        </div>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <Button size="sm" variant="outline" onClick={() => setShowIssues(true)}>
            <CheckCircle2Icon /> Validate
          </Button>
          <Button size="sm" onClick={() => void save()} disabled={busy !== null}>
            {busy === "save" ? <Spinner /> : <SaveIcon />} Save
          </Button>
          {savedAt && !error && (
            <span role="status" className="text-success text-xs">
              Saved at {savedAt}
            </span>
          )}
        </div>
      </div>
      {showIssues && (
        <div role="status" aria-live="polite">
          {validation.issues.length === 0 ? (
            <p className="text-sm text-success">The graph is valid.</p>
          ) : (
            <div className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm">
              <p className="font-medium">Fix these before saving:</p>
              <ul className="list-disc pl-5">
                {validation.issues.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>
                    <code>{issue.path.replace(/^graph\./, "")}</code>: {issue.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
      <ErrorAlert error={error} />
      <div className="grid gap-3 xl:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="h-[30rem] rounded-lg border" data-testid="workflow-canvas">
          <ReactFlow<FlowNode, FlowEdge>
            nodes={shownNodes}
            edges={shownEdges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onSelectionChange={({ nodes: picked }) => setSelectedId(picked[0]?.id ?? null)}
            deleteKeyCode={["Backspace", "Delete"]}
            colorMode={isDark ? "dark" : "light"}
            fitView
            fitViewOptions={{ maxZoom: 1.1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        <aside className="grid content-start gap-3">
          <section className="rounded-lg border p-3" aria-label="Node properties">
            {!selected ? (
              <p className="text-muted-foreground text-sm">
                {nodes.length === 0
                  ? "Add a node with the buttons above, then connect nodes by dragging from a right handle to a left one."
                  : "Select a node to edit it. Drag between handles to connect; Delete removes the selection."}
              </p>
            ) : (
              <NodeProperties
                node={selected}
                agents={agents}
                tools={tools}
                onChange={patchSelected}
                onDelete={() => void deleteElements({ nodes: [{ id: selected.id }] })}
              />
            )}
          </section>
          <section className="grid gap-2 rounded-lg border p-3" aria-label="Execute">
            <Field label="Run input" htmlFor="workflow-input" hint="JSON, or plain text">
              <Textarea
                id="workflow-input"
                rows={3}
                value={input}
                onChange={(e) => setInput(e.target.value)}
              />
            </Field>
            <Button
              onClick={() => void execute()}
              disabled={busy !== null || (watched.run !== null && !isFinal(watched.run.status))}
            >
              {busy === "run" ? <Spinner /> : <PlayIcon />} Save and execute
            </Button>
            {runId && (
              <div className="grid gap-2 text-sm" data-testid="watched-run">
                <div className="flex items-center gap-2">
                  {watched.run ? <RunStatusBadge status={watched.run.status} /> : <Spinner />}
                  <Link
                    href={`/runs/${runId}`}
                    className="inline-flex items-center gap-1 text-primary hover:underline"
                  >
                    open run <ExternalLinkIcon className="size-3" />
                  </Link>
                </div>
                {watched.run?.error && (
                  <p className="text-destructive text-xs">{watched.run.error.message}</p>
                )}
                {watched.run && isFinal(watched.run.status) && watched.run.output !== null && (
                  <JsonBlock value={watched.run.output} />
                )}
                {watched.error ? <ErrorAlert error={watched.error} /> : null}
              </div>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}

function NodeProperties({
  node,
  agents,
  tools,
  onChange,
  onDelete,
}: {
  node: WorkflowNode;
  agents: Agent[];
  tools: Tool[];
  onChange: (patch: Partial<WorkflowNode>) => void;
  onDelete: () => void;
}) {
  const [argsText, setArgsText] = useState(node.kind === "tool" ? JSON.stringify(node.args, null, 2) : "");
  const [argsError, setArgsError] = useState<string | undefined>();
  const id = node.id;
  return (
    <div className="grid gap-3" key={id}>
      <div className="flex items-center justify-between">
        <h2 className="font-medium text-sm">
          {node.kind} <span className="font-mono text-muted-foreground text-xs">{id}</span>
        </h2>
        <Button
          size="sm"
          variant="ghost"
          onClick={onDelete}
          aria-label={`Delete node ${id}`}
          className="text-destructive"
        >
          <Trash2Icon />
        </Button>
      </div>
      <Field label="Label" htmlFor={`${id}-label`}>
        <Input id={`${id}-label`} value={node.label} onChange={(e) => onChange({ label: e.target.value })} />
      </Field>
      {node.kind === "agent" && (
        <>
          <Field label="Agent" htmlFor={`${id}-agent`}>
            <Select
              id={`${id}-agent`}
              value={node.agentId}
              onChange={(e) => onChange({ agentId: e.target.value })}
            >
              <option value="">Choose an agent</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Prompt" htmlFor={`${id}-prompt`} hint="{{input}} is the value coming in.">
            <Textarea
              id={`${id}-prompt`}
              rows={4}
              value={node.prompt}
              onChange={(e) => onChange({ prompt: e.target.value })}
            />
          </Field>
        </>
      )}
      {node.kind === "tool" && (
        <>
          <Field label="Tool" htmlFor={`${id}-tool`}>
            <Select
              id={`${id}-tool`}
              value={node.toolId}
              onChange={(e) => onChange({ toolId: e.target.value })}
            >
              <option value="">Choose a tool</option>
              {tools.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Arguments (JSON)"
            htmlFor={`${id}-args`}
            hint="String values are templates: {{input}}."
            error={argsError}
          >
            <Textarea
              id={`${id}-args`}
              rows={4}
              className="font-mono text-xs"
              value={argsText}
              onChange={(e) => setArgsText(e.target.value)}
              onBlur={() => {
                try {
                  const args = JSON.parse(argsText || "{}") as Record<string, never>;
                  setArgsError(undefined);
                  onChange({ args });
                } catch (e) {
                  setArgsError(`Not valid JSON: ${(e as Error).message}`);
                }
              }}
            />
          </Field>
        </>
      )}
      {node.kind === "condition" && (
        <Field
          label="Expression"
          htmlFor={`${id}-expression`}
          hint="JSONata with `input` bound, e.g. input.score > 0.5"
        >
          <Input
            id={`${id}-expression`}
            value={node.expression}
            onChange={(e) => onChange({ expression: e.target.value })}
          />
        </Field>
      )}
      {node.kind === "approval" && (
        <>
          <Field label="Message" htmlFor={`${id}-message`}>
            <Textarea
              id={`${id}-message`}
              rows={2}
              value={node.message}
              onChange={(e) => onChange({ message: e.target.value })}
            />
          </Field>
          <Field label="Timeout (hours)" htmlFor={`${id}-timeout`}>
            <Input
              id={`${id}-timeout`}
              type="number"
              min={1}
              value={Math.round(node.timeoutMs / 3_600_000)}
              onChange={(e) => onChange({ timeoutMs: Math.max(1, Number(e.target.value)) * 3_600_000 })}
            />
          </Field>
        </>
      )}
      {node.kind === "output" && (
        <Field label="Template" htmlFor={`${id}-template`} hint="Empty returns the incoming value as it is.">
          <Textarea
            id={`${id}-template`}
            rows={3}
            value={node.template ?? ""}
            onChange={(e) => onChange({ template: e.target.value === "" ? null : e.target.value })}
          />
        </Field>
      )}
    </div>
  );
}
