import { Invalid } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { buildLanguageModel, ollamaBaseUrlFromHost, type ProviderConnection } from "./providers";

const makeConnection = (overrides: Partial<ProviderConnection> = {}): ProviderConnection => ({
  id: "llm_1",
  name: "Test",
  kind: "openai",
  baseUrl: null,
  options: {},
  apiKey: "sk-test",
  ...overrides,
});

const describeModel = (model: unknown) => {
  const { provider, modelId } = model as { provider: string; modelId: string };
  return { provider, modelId };
};

describe("buildLanguageModel", () => {
  it("builds a model of the maintained package for each kind", () => {
    const cases: Array<[ProviderConnection, string]> = [
      [makeConnection({ kind: "openai" }), "openai.chat"],
      [makeConnection({ kind: "anthropic" }), "anthropic.messages"],
      [makeConnection({ kind: "google" }), "google.generative-ai"],
      [makeConnection({ kind: "azure", options: { azureResourceName: "contoso" } }), "azure.chat"],
      [makeConnection({ kind: "ollama", apiKey: null }), "ollama.responses"],
      [
        makeConnection({ kind: "openai-compatible", baseUrl: "http://127.0.0.1:1234/v1" }),
        "openai-compatible.chat",
      ],
    ];
    for (const [connection, provider] of cases) {
      expect(describeModel(buildLanguageModel(connection, "some-model"))).toEqual({
        provider,
        modelId: "some-model",
      });
    }
  });

  it("refuses an openai-compatible provider without a base URL, naming baseUrl", () => {
    const build = () => buildLanguageModel(makeConnection({ kind: "openai-compatible" }), "m");
    expect(build).toThrow(Invalid);
    expect(build).toThrow(/baseUrl/);
  });

  it("refuses hosted kinds without a key instead of reading the environment", () => {
    for (const kind of ["openai", "anthropic", "google", "azure"] as const) {
      const connection = makeConnection({ kind, apiKey: null, options: { azureResourceName: "contoso" } });
      expect(() => buildLanguageModel(connection, "m")).toThrow(/has no API key: set `apiKey`/);
    }
  });

  it("refuses an azure provider that says neither resource nor base URL", () => {
    expect(() => buildLanguageModel(makeConnection({ kind: "azure" }), "m")).toThrow(/azureResourceName/);
  });
});

describe("ollamaBaseUrlFromHost", () => {
  it("derives the API URL the way the ollama CLI reads OLLAMA_HOST", () => {
    expect(ollamaBaseUrlFromHost("127.0.0.1")).toBe("http://127.0.0.1:11434/api");
    expect(ollamaBaseUrlFromHost("0.0.0.0:8080")).toBe("http://0.0.0.0:8080/api");
    expect(ollamaBaseUrlFromHost("http://ollama:11434")).toBe("http://ollama:11434/api");
    expect(ollamaBaseUrlFromHost("https://ollama.example.com")).toBe("https://ollama.example.com/api");
    expect(ollamaBaseUrlFromHost("http://gpu-box:80")).toBe("http://gpu-box/api");
  });
});
