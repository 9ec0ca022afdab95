import { CpuIcon } from "lucide-react";
import type { Metadata } from "next";
import { AddModelDialog } from "../../components/models/add-model";
import { ModelRow } from "../../components/models/model-row";
import { OllamaPanel } from "../../components/models/ollama-panel";
import { ProviderDialog } from "../../components/models/provider-dialog";
import { ProviderTest } from "../../components/models/provider-test";
import { PageHeader } from "../../components/shell/page-header";
import { Badge } from "../../components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Table, TBody, THead, Th, Tr } from "../../components/ui/table";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const client = await serverClient();
  const loaded = await attempt(() =>
    Promise.all([
      client.llmProviders.list({ limit: 200, sort: "name" }),
      client.models.list({ limit: 200, sort: "name" }),
    ]),
  );
  if (!loaded.ok) return <ErrorAlert error={loaded.error} />;
  const [providers, models] = loaded.value;
  const providerNames = new Map(providers.items.map((p) => [p.id, p.name]));
  return (
    <>
      <PageHeader
        title="Models"
        description="Providers with their keys, the models agents use, and their prices."
        actions={<ProviderDialog />}
      />
      <section className="mb-8" aria-labelledby="providers-heading">
        <h2 id="providers-heading" className="mb-2 font-semibold text-lg">
          Providers
        </h2>
        {providers.items.length === 0 ? (
          <EmptyState icon={<CpuIcon />} title="No providers yet">
            Add one with its API key (OpenAI, Anthropic, Google, Azure) or the base URL of an
            OpenAI-compatible server, then test the connection.
          </EmptyState>
        ) : (
          <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
            {providers.items.map((p) => (
              <Card key={p.id} data-testid={`provider-${p.name}`}>
                <CardHeader className="flex-row items-start justify-between">
                  <div className="grid gap-1">
                    <CardTitle className="flex flex-wrap items-center gap-2">
                      {p.name} <Badge>{p.kind}</Badge>
                      {!p.enabled && <Badge tone="warning">disabled</Badge>}
                    </CardTitle>
                    <CardDescription className="break-all font-mono text-xs">
                      {p.baseUrl ?? "default API URL"} · {p.hasApiKey ? "key stored" : "no key"}
                    </CardDescription>
                  </div>
                  <ProviderDialog provider={p} />
                </CardHeader>
                <CardContent>
                  <ProviderTest providerId={p.id} />
                </CardContent>
              </Card>
            ))}
          </div>
        )}
      </section>
      <section className="mb-8" aria-labelledby="models-heading">
        <div className="mb-2 flex items-center justify-between">
          <h2 id="models-heading" className="font-semibold text-lg">
            Models and prices
          </h2>
          <AddModelDialog providers={providers.items} />
        </div>
        {models.items.length === 0 ? (
          <p className="text-muted-foreground text-sm">
            No models registered. Agents can still name any model of a provider; register it here to price its
            runs.
          </p>
        ) : (
          <div className="rounded-lg border">
            <Table>
              <THead>
                <Tr>
                  <Th>Model</Th>
                  <Th>Provider</Th>
                  <Th className="text-right">Context</Th>
                  <Th>Input $/M</Th>
                  <Th>Output $/M</Th>
                  <Th>Cached $/M</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </Tr>
              </THead>
              <TBody>
                {models.items.map((m) => (
                  <ModelRow
                    key={m.id}
                    model={m}
                    providerName={providerNames.get(m.providerId) ?? m.providerId}
                  />
                ))}
              </TBody>
            </Table>
          </div>
        )}
      </section>
      <section aria-labelledby="local-heading">
        <h2 id="local-heading" className="mb-2 font-semibold text-lg">
          Local models (Ollama)
        </h2>
        <OllamaPanel />
      </section>
    </>
  );
}
