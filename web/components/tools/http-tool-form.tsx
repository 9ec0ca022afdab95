"use client";
import type { JsonValue, Tool, ToolCreate, ToolTestResult } from "@agentos/core";
import { FlaskConicalIcon, PlusIcon, SaveIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Label, Select, Textarea } from "../ui/input";
import { SwitchField } from "../ui/switch";
import { ToolTestResultView } from "./tool-test-result";

type HttpConfig = Extract<Tool["config"], { kind: "http" }>;
const DEFAULT_SCHEMA = `{
  "type": "object",
  "properties": {
    "city": { "type": "string", "description": "City to look up" }
  },
  "required": ["city"]
}`;

/** Checks the input schema text: it must be a JSON object describing an object. */
export function checkInputSchema(text: string): {
  schema: Record<string, unknown> | null;
  problem: string | null;
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { schema: null, problem: `Not valid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { schema: null, problem: "The schema must be a JSON object." };
  const schema = value as Record<string, unknown>;
  if (schema.type !== "object")
    return { schema: null, problem: 'Tool input is an object: set "type": "object".' };
  if (
    schema.properties !== undefined &&
    (typeof schema.properties !== "object" || schema.properties === null)
  )
    return { schema: null, problem: '"properties" must be an object.' };
  return { schema, problem: null };
}

/** An example input from a schema: each property's example, default or an empty value of its type. */
function exampleOf(schema: Record<string, unknown> | null): Record<string, JsonValue> {
  const properties = (schema?.properties ?? {}) as Record<
    string,
    { type?: string; default?: JsonValue; examples?: JsonValue[] }
  >;
  return Object.fromEntries(
    Object.entries(properties).map(([name, p]) => [
      name,
      p.examples?.[0] ??
        p.default ??
        (p.type === "number" || p.type === "integer" ? 0 : p.type === "boolean" ? false : ""),
    ]),
  );
}

/** Create or edit an HTTP tool, and test a saved one for real (`POST /api/tools/{id}/test`). */
export function HttpToolForm({ tool }: { tool: Tool | null }) {
  const client = useClient();
  const router = useRouter();
  const config = tool?.config.kind === "http" ? tool.config : null;
  const [name, setName] = useState(tool?.name ?? "");
  const [description, setDescription] = useState(tool?.description ?? "");
  const [method, setMethod] = useState<HttpConfig["method"]>(config?.method ?? "GET");
  const [url, setUrl] = useState(config?.url ?? "");
  const [headers, setHeaders] = useState<Array<[string, string]>>(Object.entries(config?.headers ?? {}));
  const [bodyTemplate, setBodyTemplate] = useState(config?.bodyTemplate ?? "");
  const [timeoutMs, setTimeoutMs] = useState(config?.timeoutMs ?? 30000);
  const [allowPrivateNetwork, setAllowPrivateNetwork] = useState(config?.allowPrivateNetwork ?? false);
  const [schemaText, setSchemaText] = useState(
    tool ? JSON.stringify(tool.inputSchema, null, 2) : DEFAULT_SCHEMA,
  );
  const { busy, error, setError, run } = useAction<"save" | "delete">();
  const [saved, setSaved] = useState(false);
  const schemaCheck = useMemo(() => checkInputSchema(schemaText), [schemaText]);
  const [testInput, setTestInput] = useState(() => JSON.stringify(exampleOf(schemaCheck.schema), null, 2));
  const [testResult, setTestResult] = useState<ToolTestResult | null>(null);
  // The test keeps its own error beside its result; any action running holds every button.
  const testing = useAction<"test">();
  const isBusy = busy !== null || testing.busy !== null;
  const errors = fieldErrors(error);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    if (!schemaCheck.schema) return setError(new Error(`Input schema: ${schemaCheck.problem}`));
    const body: ToolCreate = {
      name,
      description,
      inputSchema: schemaCheck.schema as ToolCreate["inputSchema"],
      config: {
        kind: "http",
        method,
        url,
        headers: Object.fromEntries(headers.filter(([k]) => k.trim())),
        bodyTemplate: bodyTemplate.trim() ? bodyTemplate : null,
        timeoutMs,
        allowPrivateNetwork,
      },
    };
    await run("save", async () => {
      if (tool) {
        await client.tools.update(tool.id, body);
        setSaved(true);
        router.refresh();
      } else {
        const created = await client.tools.create(body);
        router.push(`/tools/${created.id}`);
      }
    });
  }

  async function remove() {
    if (!tool || !confirm(`Delete the tool “${tool.name}”? Agents that use it lose it.`)) return;
    await run(
      "delete",
      async () => {
        await client.tools.delete(tool.id);
        router.push("/tools");
        router.refresh();
      },
      { keepBusy: true },
    );
  }

  async function test() {
    if (!tool) return;
    testing.setError(null);
    setTestResult(null);
    let args: unknown;
    try {
      args = JSON.parse(testInput);
    } catch (e) {
      return testing.setError(new Error(`The test arguments are not valid JSON: ${(e as Error).message}`));
    }
    // The API checks the arguments (an object, matching the input schema) and says what is wrong.
    await testing.run("test", async () =>
      setTestResult(await client.tools.test(tool.id, { input: args as Record<string, JsonValue> })),
    );
  }

  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_24rem]">
      <form onSubmit={save} className="grid content-start gap-4" aria-label="HTTP tool">
        <Card>
          <CardHeader>
            <CardTitle>HTTP tool</CardTitle>
            <CardDescription>
              The model calls it by name with arguments that match the input schema.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            <Field label="Name" htmlFor="tool-name" hint="Letters, digits, _ or -" error={errors.name}>
              <Input
                id="tool-name"
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setSaved(false);
                }}
                required
              />
            </Field>
            <Field label="Timeout (ms)" htmlFor="tool-timeout" error={errors["config.timeoutMs"]}>
              <Input
                id="tool-timeout"
                type="number"
                min={100}
                value={timeoutMs}
                onChange={(e) => setTimeoutMs(Number(e.target.value))}
              />
            </Field>
            <Field
              label="Description"
              htmlFor="tool-description"
              className="md:col-span-2"
              hint="Tells the model when to use it."
              error={errors.description}
            >
              <Textarea
                id="tool-description"
                rows={2}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            </Field>
            <div className="grid gap-4 md:col-span-2 md:grid-cols-[8rem_minmax(0,1fr)]">
              <Field label="Method" htmlFor="tool-method">
                <Select
                  id="tool-method"
                  value={method}
                  onChange={(e) => setMethod(e.target.value as HttpConfig["method"])}
                >
                  {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </Select>
              </Field>
              <Field
                label="URL template"
                htmlFor="tool-url"
                hint="{field} is replaced by that input field, e.g. https://api.example.com/weather?q={city}"
                error={errors["config.url"]}
              >
                <Input
                  id="tool-url"
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                  required
                  className="font-mono text-xs"
                />
              </Field>
            </div>
            <div className="grid gap-2 md:col-span-2">
              <Label>Headers</Label>
              {headers.map(([key, value], i) => (
                <div key={i} className="flex gap-2">
                  <Input
                    aria-label={`Header ${i + 1} name`}
                    placeholder="Authorization"
                    value={key}
                    onChange={(e) =>
                      setHeaders(headers.map((h, j) => (j === i ? [e.target.value, h[1]] : h)))
                    }
                  />
                  <Input
                    aria-label={`Header ${i + 1} value`}
                    placeholder="Bearer …"
                    value={value}
                    onChange={(e) =>
                      setHeaders(headers.map((h, j) => (j === i ? [h[0], e.target.value] : h)))
                    }
                  />
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove header ${i + 1}`}
                    onClick={() => setHeaders(headers.filter((_, j) => j !== i))}
                  >
                    <Trash2Icon />
                  </Button>
                </div>
              ))}
              <Button
                variant="outline"
                size="sm"
                className="w-fit"
                onClick={() => setHeaders([...headers, ["", ""]])}
              >
                <PlusIcon /> Add header
              </Button>
            </div>
            <Field
              label="Body template"
              htmlFor="tool-body"
              className="md:col-span-2"
              hint="Empty sends the input as JSON (for POST, PUT, PATCH)."
              error={errors["config.bodyTemplate"]}
            >
              <Textarea
                id="tool-body"
                rows={3}
                className="font-mono text-xs"
                value={bodyTemplate}
                onChange={(e) => setBodyTemplate(e.target.value)}
              />
            </Field>
            <SwitchField
              id="tool-private"
              label="Allow private network (loopback, link-local and private addresses; off blocks SSRF)"
              className="md:col-span-2"
              checked={allowPrivateNetwork}
              onCheckedChange={setAllowPrivateNetwork}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Input schema</CardTitle>
            <CardDescription>JSON Schema of the arguments; checked as you type.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3 md:grid-cols-2">
            <Field
              label="JSON Schema"
              htmlFor="tool-schema"
              error={schemaCheck.problem ?? errors.inputSchema}
            >
              <Textarea
                id="tool-schema"
                rows={12}
                spellCheck={false}
                className="font-mono text-xs"
                value={schemaText}
                aria-invalid={schemaCheck.problem !== null}
                onChange={(e) => setSchemaText(e.target.value)}
              />
            </Field>
            <div className="grid content-start gap-1 text-sm">
              <p className="font-medium">Arguments</p>
              {schemaCheck.schema &&
                Object.keys((schemaCheck.schema.properties as object) ?? {}).length === 0 && (
                  <p className="text-muted-foreground">No arguments.</p>
                )}
              <ul className="grid gap-1">
                {Object.entries(
                  (schemaCheck.schema?.properties ?? {}) as Record<
                    string,
                    { type?: string; description?: string }
                  >,
                ).map(([key, p]) => (
                  <li key={key}>
                    <code>{key}</code>{" "}
                    <span className="text-muted-foreground text-xs">{p.type ?? "any"}</span>
                    {((schemaCheck.schema?.required as string[] | undefined) ?? []).includes(key) && (
                      <span className="text-destructive text-xs"> required</span>
                    )}
                    {p.description && <p className="text-muted-foreground text-xs">{p.description}</p>}
                  </li>
                ))}
              </ul>
            </div>
          </CardContent>
        </Card>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={isBusy}>
            {busy === "save" ? <Spinner /> : <SaveIcon />} {tool ? "Save changes" : "Create tool"}
          </Button>
          {tool && (
            <Button variant="ghost" className="text-destructive" onClick={remove} disabled={isBusy}>
              {busy === "delete" ? <Spinner /> : <Trash2Icon />} Delete
            </Button>
          )}
          {saved && (
            <span role="status" className="text-sm text-success">
              Saved.
            </span>
          )}
          <ErrorAlert error={error} className="basis-full" />
        </div>
      </form>
      <Card className="self-start">
        <CardHeader>
          <CardTitle>Test</CardTitle>
          <CardDescription>
            {tool
              ? "Calls the saved tool once for real, with the same templates, secrets, network guard and timeout an agent's call has. No run is recorded."
              : "Save the tool first, then test it here."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          <Field label="Arguments (JSON)" htmlFor="tool-test-input">
            <Textarea
              id="tool-test-input"
              rows={5}
              className="font-mono text-xs"
              value={testInput}
              onChange={(e) => setTestInput(e.target.value)}
              disabled={!tool}
            />
          </Field>
          <Button variant="secondary" onClick={test} disabled={!tool || isBusy}>
            {testing.busy ? <Spinner /> : <FlaskConicalIcon />}{" "}
            {testing.busy ? "Testing…" : "Test the saved tool"}
          </Button>
          <ErrorAlert error={testing.error} />
          {testResult && <ToolTestResultView result={testResult} />}
        </CardContent>
      </Card>
    </div>
  );
}
