/**
 * The HTML report in a real browser: headless Chromium (Debian's `chromium`, installed by .ci/run when missing)
 * driven by playwright-core. One browser for the file; each report is opened from disk as a file:// URL.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHtmlReport, type GradientReport } from "../../src/index.js";
import { optimizeReport, refineOutputsReport, refinePromptsReport } from "./report-runs.js";

const OUT = path.resolve("test-output/report");
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  profile = mkdtempSync(path.join(tmpdir(), "tracegrad-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Opens the written report, collecting console errors, page errors and every request the page made. */
async function open(report: GradientReport, name: string): Promise<{ page: Page; errors: string[]; requests: string[]; url: string }> {
  const { html } = await writeHtmlReport(report, path.join(OUT, `${name}.html`));
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  const url = pathToFileURL(html).href;
  await page.goto(url);
  return { page, errors, requests, url };
}

async function check(report: GradientReport, name: string): Promise<void> {
  const { page, errors, requests, url } = await open(report, name);
  try {
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]); // the page itself, nothing else
    expect(await page.locator("#tg-graph .tg-node").count()).toBe(report.nodes.length);
    expect(await page.locator("#tg-graph .tg-edge").count()).toBe(report.edges.filter((e) => e.from !== e.to).length);

    // a click shows that node's feedback text
    const node = [...report.nodes].sort((a, b) => b.feedback.length - a.feedback.length)[0]!;
    expect(node.feedback.length).toBeGreaterThan(0);
    await page.locator(`#tg-graph .tg-node[data-id="${node.id}"]`).click();
    const panel = page.locator("#tg-panel");
    await expect.poll(() => panel.getAttribute("data-node")).toBe(node.id);
    const shown = await panel.locator(".tg-feedback .tg-text").allTextContents();
    expect(shown).toEqual(node.feedback.map((f) => f.text));
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });

    // search dims every node whose name does not match
    const term = node.name.slice(0, Math.min(6, node.name.length)).toLowerCase();
    await page.locator("#tg-search").fill(term);
    const expected = report.nodes.filter((n) => n.name.toLowerCase().includes(term) || n.id.toLowerCase().includes(term)).map((n) => n.id).sort();
    const matching = await page.locator('#tg-graph .tg-node[data-match="true"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-id")!));
    expect(matching.sort()).toEqual(expected);
    expect(await page.locator("#tg-graph .tg-node.tg-dim").count()).toBe(report.nodes.length - expected.length);
    await page.locator("#tg-search").fill("");
    expect(await page.locator("#tg-graph .tg-node.tg-dim").count()).toBe(0);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}

// a real browser and three real runs: generous under a loaded CI machine
describe("renderHtmlReport in Chromium", { timeout: 60_000 }, () => {
  it("refine (outputs) of a Chameleon run: loads offline, every node drawn, a click shows its feedback, search filters", async () => {
    const { report } = await refineOutputsReport();
    await check(report, "refine-outputs");
  });

  it("refine (prompts) of a Chameleon run, with its prompt lineage", async () => {
    const { report } = await refinePromptsReport();
    await check(report, "refine-prompts");
  });

  it("optimize on the simulated task: the score curve has a point per scored step, and a version click shows its diff", async () => {
    const { report } = await optimizeReport();
    await check(report, "optimize");
    const { page, errors } = await open(report, "optimize");
    try {
      expect(await page.locator("#tg-score .tg-step").count()).toBe(report.run.steps.filter((s) => s.score !== null).length);
      const changed = report.run.parameters.find((p) => p.versions.length > 1)!;
      const child = changed.versions.findIndex((v) => v.diff !== undefined);
      await page.locator(`.tg-version[data-index="${child}"]`).first().click();
      const added = changed.versions[child]!.diff!.filter((d) => d.op === "+").map((d) => d.text);
      expect(await page.locator("#tg-panel .tg-diff ins").allTextContents()).toEqual(added);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
