// The Models page's local models in a real browser: `next start` of the built web/, a worker on
// the same libSQL file pointed at Ollama with OLLAMA_HOST, and Debian's Chromium driven by
// playwright-core. Ollama and its model registry cannot run here, so Ollama is the loopback
// stand-in of worker/test/ollama-standin/server.ts, which speaks Ollama's real wire format (NDJSON
// pull progress every 60 ms, /api/tags, /api/ps, /api/delete …, from recordings). Its `holdAt`
// stops a download at a byte count, so the test sees a pull mid-way without racing the clock.
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApiTarget, freshDataDir, startWeb, startWorker } from "../../test/harness/processes";
import { testRegistry } from "../../worker/test/ollama-standin/harness";
import { type OllamaStandin, startOllamaStandin } from "../../worker/test/ollama-standin/server";
import { launchBrowser, screenshot } from "./browser";

const MB = 1_000_000;
/** Recommended models the stand-in's registry can pull (the catalogue names them). */
const INSTALL = "llama3.2:3b";
const CANCEL = "qwen2.5:7b";

/** The number in a pull's `Downloading 42%` headline. */
async function percentOf(page: Page, model: string): Promise<number> {
  const text = await page.getByTestId(`ollama-pull-${model}`).getByTestId("pull-headline").textContent();
  const match = /(\d+)%/.exec(text ?? "");
  if (!match) throw new Error(`No percent in "${text}"`);
  return Number(match[1]);
}

describe("Models page: local models through the worker's Ollama, in Chromium", () => {
  const dataDir = freshDataDir();
  let standin: OllamaStandin;
  let web: ApiTarget;
  let worker: ApiTarget;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let workerEnv: Record<string, string> = {};

  beforeAll(async () => {
    [standin, browser] = await Promise.all([
      startOllamaStandin({
        registry: testRegistry({ [INSTALL]: 1500 * MB, [CANCEL]: 1500 * MB }),
        bytesPerSecond: 300 * MB,
      }),
      launchBrowser(),
    ]);
    web = await startWeb({ AGENTOS_DATA_DIR: dataDir });
    workerEnv = {
      OLLAMA_HOST: standin.url,
      OLLAMA_DETECT_URL: "",
      SANDBOX_POOL_SIZE: "0",
      WORKER_POLL_MS: "100",
    };
    worker = await startWorker(dataDir, workerEnv);
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    // Deleting a model asks for confirmation.
    page.on("dialog", (dialog) => void dialog.accept());
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([web?.stop(), worker?.stop()]);
    await standin?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => {});
    }
  });

  it("shows Ollama ready with its installed models and the recommended catalogue", async () => {
    await page.goto(`${web.baseUrl}/models`);
    await page.getByTestId("ollama-status").getByText("ready").waitFor();
    // The stand-in's recorded /api/tags: mistral:7b is installed, and the catalogue says so.
    await page.getByTestId("ollama-model-mistral:7b").waitFor();
    await page.getByTestId("ollama-recommended-mistral:7b").getByText("Installed").waitFor();
    await page
      .getByTestId(`ollama-recommended-${INSTALL}`)
      .getByRole("button", { name: `Install ${INSTALL}` })
      .waitFor();
    expect(
      await page.getByRole("list", { name: "Recommended local models" }).getByRole("listitem").count(),
    ).toBe(8);
  }, 60_000);

  it("installs a recommended model with a progress bar (percent, speed, time left) that survives a reload", async () => {
    standin.holdAt(900 * MB);
    await page.getByRole("button", { name: `Install ${INSTALL}` }).click();
    const card = page.getByTestId(`ollama-pull-${INSTALL}`);
    // While bytes move, the caption has bytes done of total, the speed and the time left.
    await card
      .getByTestId("pull-detail")
      .getByText(/MiB of 1\.4 GiB · [\d.]+ MiB\/s · .*s left/)
      .waitFor();
    await card.getByRole("progressbar").waitFor();
    const before = await percentOf(page, INSTALL);
    expect(before).toBeGreaterThan(0);
    const install = page
      .getByTestId(`ollama-recommended-${INSTALL}`)
      .getByRole("button", { name: `Install ${INSTALL}` });
    expect(await install.isDisabled()).toBe(true);
    await screenshot(page, "models-ollama-pull");

    // A reload finds the pull on the worker and follows it again from where it is.
    await page.reload();
    await card
      .getByTestId("pull-headline")
      .getByText(/Downloading \d+%/)
      .waitFor();
    expect(await percentOf(page, INSTALL)).toBeGreaterThanOrEqual(before);
    const bar = card.getByRole("progressbar");
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(before);

    standin.holdAt(null);
    await card.getByTestId("pull-headline").getByText("Installed").waitFor({ timeout: 30_000 });
    await page.getByTestId(`ollama-model-${INSTALL}`).waitFor();
    await page.getByTestId(`ollama-recommended-${INSTALL}`).getByText("Installed").waitFor();
    expect(standin.installedNames()).toContain(INSTALL);
    await card.getByRole("button", { name: `Dismiss the pull of ${INSTALL}` }).click();
    await card.waitFor({ state: "detached" });
  }, 90_000);

  it("cancels a pull, then resumes it from the bytes already downloaded", async () => {
    standin.holdAt(600 * MB);
    await page.getByRole("button", { name: `Install ${CANCEL}` }).click();
    const card = page.getByTestId(`ollama-pull-${CANCEL}`);
    await card
      .getByTestId("pull-headline")
      .getByText(/Downloading \d+%/)
      .waitFor();
    await card.getByRole("button", { name: `Cancel the pull of ${CANCEL}` }).click();
    await card.getByTestId("pull-headline").getByText("Cancelled").waitFor();
    expect(await card.getAttribute("data-status")).toBe("cancelled");

    standin.holdAt(null);
    await card.getByRole("button", { name: `Retry the pull of ${CANCEL}` }).click();
    await card
      .getByTestId("pull-detail")
      .getByText(/resumed at/)
      .waitFor();
    await card.getByTestId("pull-headline").getByText("Installed").waitFor({ timeout: 30_000 });
    await page.getByTestId(`ollama-model-${CANCEL}`).waitFor();
  }, 90_000);

  it("says so when a restarted worker no longer knows a pull, and resumes it on request", async () => {
    const RESTART = "llama3.2:1b";
    standin.holdAt(300 * MB);
    await page.getByLabel("Model name").fill(RESTART);
    await page.getByRole("button", { name: "Pull", exact: true }).click();
    const card = page.getByTestId(`ollama-pull-${RESTART}`);
    await card
      .getByTestId("pull-headline")
      .getByText(/Downloading \d+%/)
      .waitFor();
    await worker.stop();
    worker = await startWorker(dataDir, workerEnv);
    // The page's stream broke; the new worker answers 404 for the pull: failed, resumable.
    await card.getByText(/no longer knows the pull/).waitFor({ timeout: 30_000 });
    expect(await card.getAttribute("data-status")).toBe("failed");
    standin.holdAt(null);
    await card.getByRole("button", { name: `Retry the pull of ${RESTART}` }).click();
    await card.getByTestId("pull-headline").getByText("Installed").waitFor({ timeout: 30_000 });
  }, 120_000);

  it("says in words why a pull cannot start, naming the field", async () => {
    await page.getByLabel("Model name").fill("no-such-model:1b");
    await page.getByRole("button", { name: "Pull", exact: true }).click();
    const alert = page.getByRole("alert").filter({ hasText: "body.name" });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/no-such-model/);
    // Nothing is pulled, and the name stays in the field to correct it.
    expect(await page.getByLabel("Model name").inputValue()).toBe("no-such-model:1b");
    expect(await page.getByTestId("ollama-pull-no-such-model:1b").count()).toBe(0);
  }, 60_000);

  it("deletes a local model, and the catalogue offers to install it again", async () => {
    await page.getByRole("button", { name: `Delete ${INSTALL}` }).click();
    await page.getByTestId(`ollama-model-${INSTALL}`).waitFor({ state: "detached" });
    await page
      .getByTestId(`ollama-recommended-${INSTALL}`)
      .getByRole("button", { name: `Install ${INSTALL}` })
      .waitFor();
    expect(standin.installedNames()).not.toContain(INSTALL);
    await screenshot(page, "models-ollama");
  }, 60_000);

  it("offers the installed local models in the agent editor for the Ollama provider", async () => {
    await page.goto(`${web.baseUrl}/agents/new`);
    const provider = page.getByLabel("Provider");
    const ollama = provider.locator("option", { hasText: "(ollama)" });
    await page.waitForFunction(() => document.querySelector("#agent-provider option[value]") !== null);
    expect(await ollama.count()).toBe(1);
    await provider.selectOption((await ollama.getAttribute("value")) ?? "");
    const suggestion = page.locator(`#agent-model-options option[value="${CANCEL}"]`);
    await suggestion.waitFor({ state: "attached" });
    expect(await suggestion.textContent()).toContain("installed on the worker's Ollama");
    // The deleted model is not offered.
    expect(await page.locator(`#agent-model-options option[value="${INSTALL}"]`).count()).toBe(0);
  }, 60_000);
});
