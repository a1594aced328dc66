// Browsers: Debian's chromium (driven by playwright-core) and firefox-esr (driven by
// puppeteer-core over WebDriver BiDi), loading a page served from 127.0.0.1 (a secure context)
// that imports the packed ESM build and the suite. Neither tool downloads a browser of its own.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = "/usr/bin/chromium";
export const FIREFOX = "/usr/bin/firefox-esr";
const CHROMIUM_FLAGS = [
  ...["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  ...["--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // The page is on 127.0.0.1: no host name needs resolving, so none is (no calls home).
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
/** The same for Firefox: no DNS, and remote settings pointed nowhere. */
const FIREFOX_PREFS = {
  "network.dns.disabled": true,
  "services.settings.server": "data:,#remote-settings-off",
};
const INSTALL = "apt-get install -y --no-install-recommends";

/** Serves the test page, the packed ESM build, the suite and the fixtures on 127.0.0.1; resolves to { url, close }. */
const serve = (ctx) => {
  const files = {
    "/": ["browser.html", "text/html"],
    "/suite.mjs": ["suite.mjs", "text/javascript"],
    "/fixtures.json": [ctx.fixturesFile, "application/json"],
  };
  // The packed ESM build, a file per module: /asc-token/<path>.js is dist/<path>.js.
  const library = (path) =>
    /^\/asc-token\/[\w/-]+\.js$/.test(path) && !path.includes("//")
      ? [`node_modules/asc-token/dist/${path.slice("/asc-token/".length)}`, "text/javascript"]
      : undefined;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = files[path] ?? library(path);
    const local = file && (file[0].startsWith("/") ? file[0] : join(ctx.consumer, file[0]));
    if (!local || !existsSync(local)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": file[1], "cache-control": "no-store" });
    response.end(readFileSync(local));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${String(port)}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
};

/** Runs `drive(url, profileDir)` with the site up and a fresh, empty browser profile directory. */
const withServer = async (ctx, drive) => {
  const site = await serve(ctx);
  const profile = mkdtempSync(join(tmpdir(), "asc-token-profile-"));
  try {
    return await drive(site.url, profile);
  } finally {
    await site.close();
    rmSync(profile, { recursive: true, force: true });
  }
};

/** Opens the page (Playwright and Puppeteer pages share these calls) and reads the suite's outcome. */
const outcomeOf = async (page, url) => {
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error?.message ?? error)));
  await page.goto(url);
  try {
    await page.waitForFunction(() => "ascOutcome" in window, { timeout: 30_000 });
  } catch (error) {
    throw new Error(
      `the page never ran the suite: ${errors.join("; ") || String(error?.message ?? error)}`,
      { cause: error },
    );
  }
  const outcome = await page.evaluate(() => window.ascOutcome);
  const secure = await page.evaluate(() => window.isSecureContext);
  return {
    outcome,
    extra: [{ name: "page is a secure context (127.0.0.1)", ok: secure === true }],
  };
};

export const targets = [
  {
    name: "chromium",
    run: async (ctx) => {
      if (!existsSync(CHROMIUM)) return { skip: `install chromium (${INSTALL} chromium)` };
      const { chromium } = await import("playwright-core");
      return withServer(ctx, async (url, profile) => {
        const context = await chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          headless: true,
          args: CHROMIUM_FLAGS,
          timeout: 60_000,
        });
        try {
          return await outcomeOf(context.pages()[0] ?? (await context.newPage()), url);
        } finally {
          await context.close();
        }
      });
    },
  },
  {
    name: "firefox",
    run: async (ctx) => {
      if (!existsSync(FIREFOX)) return { skip: `install firefox-esr (${INSTALL} firefox-esr)` };
      const { default: puppeteer } = await import("puppeteer-core");
      return withServer(ctx, async (url, profile) => {
        const browser = await puppeteer.launch({
          browser: "firefox",
          executablePath: FIREFOX,
          protocol: "webDriverBiDi",
          headless: true,
          userDataDir: profile,
          extraPrefsFirefox: FIREFOX_PREFS,
          timeout: 60_000,
        });
        try {
          return await outcomeOf(await browser.newPage(), url);
        } finally {
          await browser.close();
        }
      });
    },
  },
];
