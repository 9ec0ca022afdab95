import {
  type Agent,
  costOf,
  type JsonValue,
  type Message,
  type MessagePart,
  type Run,
  type Usage,
} from "@agentos/core";
import type { Repositories, RunStore } from "@agentos/db";
import { jsonSchema, type ModelMessage, Output, streamText, type ToolSet, tool } from "ai";
import { checkBudgets } from "../budgets/check";
import type { RunEventSink } from "../engine/event-sink";
import { RunCancelled, RunFailed } from "../engine/signals";
import type { ModelResolver, RateLimiter } from "../models/types";
import { memo, type Step } from "../step";
import { blockedFailure } from "../tools/tool-failure";
import type { RuntimeTool, ToolResolver } from "../tools/types";
import { inputText, toModelMessages, toolOutput } from "./messages";

export interface AgentRunDeps {
  repos: Repositories;
  store: RunStore;
  models: ModelResolver;
  tools: ToolResolver;
  rateLimiter?: RateLimiter;
  events: RunEventSink;
  /** Aborted when the run is cancelled; in-flight model calls and tools stop with it. */
  signal: AbortSignal;
}

/** What one model call returned; the memoised value of an `llm-N` step. */
interface ModelTurn {
  text: string;
  toolCalls: Array<{ toolCallId: string; toolName: string; input: JsonValue }>;
  finishReason: string;
  usage: Usage;
  costUsd: number;
  output: JsonValue | null;
}

interface ToolTurn {
  output: JsonValue;
  isError: boolean;
  durationMs: number;
}

interface AgentSetup {
  agent: Agent;
  instructions: string;
  messages: ModelMessage[];
}

const GUIDANCE_EXAMPLES = 5;

/** Loads the agent and the conversation as they are when the run starts; memoised, so a replay sees the same. */
async function loadSetup(
  deps: AgentRunDeps,
  run: Run,
  agentId: string,
  input: JsonValue,
): Promise<AgentSetup> {
  const agent = await deps.repos.agents.get(run.workspaceId, agentId);
  let history: Message[] = [];
  if (run.conversationId) {
    const page = await deps.repos.messages.list(run.workspaceId, run.conversationId, undefined, 200);
    history = page.items;
  }
  const messages = toModelMessages(history);
  // A chat run's user message is already stored in the conversation; other runs start from the input.
  if (!run.conversationId) messages.push({ role: "user", content: inputText(input) });
  let instructions = agent.instructions;
  if (agent.learnFromFeedback) instructions += await feedbackGuidance(deps, run.workspaceId, agent.id);
  return { agent, instructions, messages: JSON.parse(JSON.stringify(messages)) as ModelMessage[] };
}

/** Recent rated runs of the agent, as examples to follow and to avoid. */
async function feedbackGuidance(deps: AgentRunDeps, workspaceId: string, agentId: string): Promise<string> {
  const rated = await deps.repos.feedback.list(workspaceId, {
    limit: GUIDANCE_EXAMPLES * 2,
    filters: { agentId },
  });
  const examples: string[] = [];
  for (const item of rated.items) {
    if (!item.runId || examples.length >= GUIDANCE_EXAMPLES) continue;
    const run = await deps.repos.runs.findRow(workspaceId, item.runId);
    if (!run || run.output === null) continue;
    examples.push(
      `- ${item.rating === "up" ? "Liked" : "Disliked"}: input ${JSON.stringify(run.input)} → answer ${JSON.stringify(run.output)}${item.comment ? ` (user said: ${item.comment})` : ""}`,
    );
  }
  return examples.length === 0
    ? ""
    : `\n\nUsers rated some of your earlier answers. Do more of what they liked and less of what they disliked:\n${examples.join("\n")}`;
}

function toolSetOf(tools: RuntimeTool[]): ToolSet {
  return Object.fromEntries(
    tools.map((t) => [
      t.name,
      tool({ description: t.description, inputSchema: jsonSchema(t.inputSchema as never) }),
    ]),
  );
}

function usageOf(usage: {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  inputTokenDetails?: { cacheReadTokens: number | undefined };
}): Usage {
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The agent loop: model call → tool calls → model call …, each model call and each tool call its
 * own memoised step, until the model answers without tools or `maxSteps` is reached. Returns the
 * run output: the final text, or the structured object when the agent has an output schema.
 */
export async function runAgent(
  step: Step,
  deps: AgentRunDeps,
  run: Run,
  options: { agentId: string; input: JsonValue; prefix?: string },
): Promise<JsonValue> {
  const prefix = options.prefix ?? "";
  const setup = await memo(step, `${prefix}setup`, () =>
    loadSetup(deps, run, options.agentId, options.input),
  );
  const { agent } = setup;
  const tools = await deps.tools.toolsForAgent(run.workspaceId, agent);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const messages = [...setup.messages];
  const toolParts: MessagePart[] = [];

  for (let turn = 0; turn < agent.limits.maxSteps; turn++) {
    const key = `${prefix}llm-${turn}`;
    const result = await memo(step, key, () =>
      callModel(deps, run, agent, setup.instructions, messages, tools, key),
    );
    const assistant: Array<
      | { type: "text"; text: string }
      | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
    > = [];
    if (result.text) assistant.push({ type: "text", text: result.text });
    for (const call of result.toolCalls) assistant.push({ type: "tool-call", ...call });
    if (assistant.length > 0) messages.push({ role: "assistant", content: assistant });

    if (result.toolCalls.length === 0) {
      if (run.kind === "chat" && !prefix) {
        await step.run(`${prefix}save-reply`, async () => {
          const parts: MessagePart[] = [
            ...toolParts,
            ...(result.text ? [{ type: "text" as const, text: result.text }] : []),
          ];
          await deps.repos.messages.insert(run.workspaceId, {
            conversationId: run.conversationId!,
            role: "assistant",
            parts: parts.length > 0 ? parts : [{ type: "text", text: "" }],
            runId: run.id,
          });
        });
      }
      return agent.outputSchema ? result.output : result.text;
    }

    const outcomes = await Promise.all(
      result.toolCalls.map((call) =>
        memo(step, `${prefix}tool-${turn}-${call.toolCallId}`, () =>
          callTool(deps, run, agent, byName, call),
        ),
      ),
    );
    result.toolCalls.forEach((call, i) => {
      const outcome = outcomes[i]!;
      messages.push({
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: call.toolCallId,
            toolName: call.toolName,
            output: toolOutput(outcome.output, outcome.isError ? JSON.stringify(outcome.output) : undefined),
          },
        ],
      });
      toolParts.push({
        type: "tool",
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: call.input,
        ...(outcome.isError ? { errorText: JSON.stringify(outcome.output) } : { output: outcome.output }),
        durationMs: outcome.durationMs,
      });
    });
  }
  throw new RunFailed(
    "max_steps_exceeded",
    `The agent was still calling tools after ${agent.limits.maxSteps} model calls (limits.maxSteps). Raise the limit or simplify the task.`,
  );
}

async function callModel(
  deps: AgentRunDeps,
  run: Run,
  agent: Agent,
  instructions: string,
  messages: ModelMessage[],
  tools: RuntimeTool[],
  stepKey: string,
): Promise<ModelTurn> {
  const resolved = await deps.models.resolve(run.workspaceId, agent.model);
  const estimatedTokens =
    Math.ceil(JSON.stringify(messages).length / 4) + (agent.limits.maxOutputTokens ?? 1024);
  await checkBudgets(deps, run, {
    agentId: agent.id,
    pricing: resolved.pricing,
    inputTokens: Math.ceil((instructions.length + JSON.stringify(messages).length) / 4),
    maxOutputTokens: agent.limits.maxOutputTokens ?? null,
  });
  await deps.rateLimiter?.acquire(
    {
      workspaceId: run.workspaceId,
      providerId: resolved.providerId,
      model: resolved.modelName,
      estimatedTokens,
    },
    deps.signal,
  );
  await deps.events.emit("step.start", { step: stepKey, kind: "llm", model: resolved.modelName });
  const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(agent.limits.stepTimeoutMs)]);
  const result = streamText({
    model: resolved.model,
    ...(instructions ? { system: instructions } : {}),
    messages,
    ...(tools.length > 0 ? { tools: toolSetOf(tools) } : {}),
    ...(agent.outputSchema
      ? { output: Output.object({ schema: jsonSchema(agent.outputSchema as never) }) }
      : {}),
    ...(agent.limits.maxOutputTokens ? { maxOutputTokens: agent.limits.maxOutputTokens } : {}),
    ...(agent.limits.temperature !== null ? { temperature: agent.limits.temperature } : {}),
    maxRetries: 2,
    abortSignal: signal,
  });
  let text = "";
  const toolCalls: ModelTurn["toolCalls"] = [];
  try {
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        text += part.text;
        deps.events.textDelta(part.text, { step: stepKey });
      } else if (part.type === "tool-call") {
        toolCalls.push({
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: (part.input ?? {}) as JsonValue,
        });
      } else if (part.type === "error") {
        throw part.error;
      } else if (part.type === "abort") {
        throw deps.signal.aborted
          ? new RunCancelled()
          : new RunFailed(
              "step_timeout",
              `The model call took longer than ${agent.limits.stepTimeoutMs} ms (limits.stepTimeoutMs).`,
            );
      }
    }
  } catch (error) {
    if (deps.signal.aborted) throw new RunCancelled();
    // The outbound policy refused the provider's address (hosted mode): final, not worth a retry.
    const blocked = blockedFailure(error);
    if (blocked) throw new RunFailed("outbound_blocked", blocked.message);
    throw error;
  }
  const usage = usageOf(await result.usage);
  const costUsd = resolved.pricing ? costOf(usage, resolved.pricing) : 0;
  await deps.events.flush();
  let output: JsonValue | null = null;
  if (agent.outputSchema && toolCalls.length === 0) {
    try {
      output = (await result.output) as JsonValue;
    } catch (error) {
      throw new RunFailed(
        "invalid_output",
        `The model's answer does not match the agent's output schema: ${errorMessage(error)}`,
      );
    }
  }
  await deps.events.flush();
  await deps.store.recordStepUsage(run, stepKey, resolved.modelName, usage, costUsd);
  await deps.store.addUsage(run.id, usage, costUsd);
  await deps.events.emit("usage", { step: stepKey, model: resolved.modelName, ...usage, costUsd });
  await deps.events.emit("step.end", { step: stepKey, kind: "llm", finishReason: await result.finishReason });
  return { text, toolCalls, finishReason: String(await result.finishReason), usage, costUsd, output };
}

async function callTool(
  deps: AgentRunDeps,
  run: Run,
  agent: Agent,
  byName: Map<string, RuntimeTool>,
  call: { toolCallId: string; toolName: string; input: JsonValue },
): Promise<ToolTurn> {
  await deps.events.emit("tool.call", {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.input,
  });
  const started = performance.now();
  const found = byName.get(call.toolName);
  let output: JsonValue;
  let isError = false;
  if (!found) {
    output = {
      error: `No tool named "${call.toolName}"; available: ${[...byName.keys()].join(", ") || "none"}.`,
    };
    isError = true;
  } else {
    try {
      output = await found.execute(call.input, {
        workspaceId: run.workspaceId,
        runId: run.id,
        agent,
        signal: AbortSignal.any([deps.signal, AbortSignal.timeout(agent.limits.stepTimeoutMs)]),
        log: (message) => deps.events.emit("log", { message, toolCallId: call.toolCallId }),
      });
    } catch (error) {
      if (deps.signal.aborted) throw new RunCancelled();
      output = { error: errorMessage(error) };
      isError = true;
    }
  }
  const durationMs = Math.round(performance.now() - started);
  await deps.events.emit("tool.result", {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    output,
    isError,
    durationMs,
  });
  return { output, isError, durationMs };
}
