// The Sandboxes & sites pages in a real browser against a real Docker engine: `next start` of the
// built web/, a worker on the same libSQL file creating containers from the busybox test image
// (scripts/test-prereqs.sh builds it), and Debian's Chromium driven by playwright-core.
import { readFileSync } from "node:fs";
import { createClient } from "@agentos/client";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApiTarget, freshDataDir, startWeb, startWorker } from "../../test/harness/processes";
import { docker, removeScope, scopeOfDataDir, TEST_IMAGE } from "../../worker/test/sandbox-harness";
import { launchBrowser, screenshot } from "./browser";

/** A port range of its own, so parallel test files never publish the same host port. */
const PORT_START = 18480;
const PORT_END = 18499;
const SITE = "shop.sandbox.test";
const PAGE = "<h1>hello from the sandbox page</h1>\n";

describe("Sandboxes & sites in Chromium, on a real Docker engine", () => {
  const dataDir = freshDataDir();
  let web: ApiTarget;
  let worker: ApiTarget;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let sandboxUrl = "";

  const output = () => page.getByRole("log", { name: "Command output" });
  async function run(command: string) {
    await page.getByLabel("Command", { exact: true }).fill(command);
    await page.getByLabel("Command", { exact: true }).press("Enter");
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    web = await startWeb({ AGENTOS_DATA_DIR: dataDir });
    worker = await startWorker(dataDir, {
      SANDBOX_POOL_SIZE: "0",
      SANDBOX_PORT_START: String(PORT_START),
      SANDBOX_PORT_END: String(PORT_END),
      WORKER_POLL_MS: "100",
    });
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    page.on("dialog", (dialog) => void dialog.accept());
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([web?.stop(), worker?.stop()]);
    // Containers and volumes this Studio made (their labels carry its scope), if it got that far.
    const scope = await scopeOfDataDir(dataDir);
    if (scope) await removeScope(scope);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && page) {
      await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => {});
    }
  });

  it("creates a sandbox from the list page and streams a command's output as it runs", async () => {
    await page.goto(`${web.baseUrl}/sandboxes`);
    await page.getByText("No sandboxes yet").waitFor();
    await page.getByRole("button", { name: "New sandbox" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Image").fill(TEST_IMAGE);
    await dialog.getByLabel("Memory (MB)").fill("128");
    await dialog.getByRole("switch", { name: /Network access/ }).click();
    await dialog.getByRole("button", { name: "Create sandbox" }).click();
    await page.waitForURL(/\/sandboxes\/sbx_/);
    sandboxUrl = page.url();
    await page.getByText("128 MB").first().waitFor();

    await run("for i in 1 2 3; do echo tick $i; sleep 1; done; echo to-stderr >&2");
    // The first line shows while the command still runs (it takes two more seconds).
    await output().getByText("tick 1").waitFor();
    expect(await output().textContent()).not.toContain("[exit");
    expect(await page.getByRole("button", { name: "Stop the command" }).isVisible()).toBe(true);
    await output()
      .getByText(/\[exit 0 · /)
      .waitFor();
    expect(await output().textContent()).toMatch(/tick 1\ntick 2\ntick 3\n/);
    expect(await output().locator(".text-red-300").getByText("to-stderr").count()).toBe(1);
  }, 120_000);

  it("uploads a file into /workspace, lists it and downloads it", async () => {
    await page.getByLabel("File to upload").setInputFiles({
      name: "index.html",
      mimeType: "text/html",
      buffer: Buffer.from(PAGE),
    });
    await page.getByRole("button", { name: "Download index.html" }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download index.html" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("index.html");
    expect(readFileSync(await download.path(), "utf8")).toBe(PAGE);
    // The file is in the container, where commands see it.
    await run("cat /workspace/index.html");
    await output().getByText("hello from the sandbox page").waitFor();
  }, 60_000);

  it("binds a host to a port, and shows the site down until a server listens, then answering", async () => {
    await page.getByLabel("Host name").fill(SITE);
    await page.getByLabel("Container port").fill("8080");
    await page.getByRole("button", { name: "Bind" }).click();
    const status = page.getByTestId(`site-status-${SITE}`);
    await status.getByText("not answering").waitFor();
    await page.getByText(/port 8080 \(host port 184\d\d\)/).waitFor();

    // Binding re-created the container to publish the port; the uploaded file is still there.
    // A CGI script shows which cookies reach code in the sandbox.
    const sandboxId = /sbx_\w+/.exec(sandboxUrl)?.[0] ?? "";
    await createClient({ baseUrl: web.baseUrl }).sandboxes.files.upload(
      sandboxId,
      "/workspace/cgi-bin/cookies",
      new Blob(['#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "cookie=$HTTP_COOKIE"\n']),
    );
    await run("chmod +x cgi-bin/cookies && httpd -p 8080 -h /workspace && echo started");
    await output().getByText("started").waitFor();
    // A down site is checked again every few seconds: it turns answering without a click.
    await status.getByText("answering · HTTP 200").waitFor();
    expect(await status.getAttribute("data-state")).toBe("answering");

    // What a reverse proxy in front of the Studio gets for the host: the page from the container.
    const site = await fetch(`${web.baseUrl}/api/sandbox-proxy/index.html`, {
      headers: { "x-sandbox-host": SITE },
    });
    expect(site.status).toBe(200);
    expect(await site.text()).toBe(PAGE);
    // The site gets its own cookies, never the Studio's session, connection choice or API token.
    const seen = await fetch(`${web.baseUrl}/api/sandbox-proxy/cgi-bin/cookies`, {
      headers: {
        "x-sandbox-host": SITE,
        cookie: "agentos.session_token=stolen; cart=3; agentos-connection=%7B%7D",
        authorization: "Bearer agt_not-for-sandboxes",
      },
    });
    expect(await seen.text()).toBe("cookie=cart=3\n");
    await screenshot(page, "sandbox");
  }, 120_000);

  it("stops the sandbox, lists it with its resources, and deletes it with its container", async () => {
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    await page.getByRole("button", { name: "Start", exact: true }).waitFor();
    await page.goto(`${web.baseUrl}/sandboxes`);
    const row = page.getByRole("row").filter({ hasText: TEST_IMAGE });
    await row.getByText("stopped").waitFor();
    expect(await row.textContent()).toContain("128 MB · 1 CPU");
    const id = /sbx_\w+/.exec(sandboxUrl)?.[0] ?? "";
    expect(await docker("ps", "-a", "--filter", `name=agentos-${id}`, "--format", "{{.State}}")).toBe(
      "exited",
    );

    await page.goto(sandboxUrl);
    await page.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(`${web.baseUrl}/sandboxes`);
    expect(await docker("ps", "-aq", "--filter", `name=agentos-${id}`)).toBe("");
  }, 120_000);
});
