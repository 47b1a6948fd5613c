// Shared helpers for stepbook's browser tests and tools.
//
//   import { launch, newPage, serve, test, run, assert } from './lib.mjs';
//
// launch()          Debian's Chromium through playwright-core, headless,
//                   with the flags this root, closed-network machine needs.
// newPage(b, opts)  a page in a fresh context: {width, height, dark, scale};
//                   page.problems collects page errors, console errors,
//                   failed requests and HTTP responses >= 400.
// serve(dir)        a static HTTP server on 127.0.0.1 with an ephemeral
//                   port: { url, port, close() }.
// test(name, fn)    registers a test; run() runs them in order, prints
//                   "ok - name" / "FAIL - name" and the error, then
//                   "N passed, N failed", and sets the exit code.
// after(fn)         cleanup run after all tests (e.g. close the browser).
// axe(page)         axe-core's WCAG 2.0/2.1 A and AA rules on the page as it
//                   is now: one readable line per violation, [] when none.
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { resolve, join, extname, sep } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

export { assert };

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM || '/usr/lib/chromium/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Absolute path of a file inside an installed npm package of tests/. */
export function modulePath(spec) {
  return require.resolve(spec);
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let axeSource = null;

/**
 * Runs axe-core on `page` (evaluated in it, not loaded as a <script>, so the
 * page's Content-Security-Policy cannot block it). Returns each violation
 * as "impact id: help" and its first targets with why they fail.
 */
export async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) {
    axeSource ??= readFileSync(modulePath('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)}`).join('\n'));
  }, AXE_TAGS);
}

/**
 * Launches Chromium. Playwright gives every non-persistent launch its own
 * new temporary user-data dir and removes it on close (it refuses a
 * --user-data-dir argument), so each launch starts from an empty profile.
 */
export async function launch(opts = {}) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is not installed (run npm ci in tests/): ${e.message}`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.args || [])],
    timeout: opts.timeout ?? 30000,
  });
}

/** A page in its own context. opts: width, height, dark, scale, ...context options. */
export async function newPage(browser, opts = {}) {
  const { width = 1280, height = 800, dark = false, scale = 1, ...rest } = opts;
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: scale,
    colorScheme: dark ? 'dark' : 'light',
    ...rest,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // "Failed to load resource" repeats, without its URL, what the
    // requestfailed and response listeners below report with it.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      page.problems.push(`console.error: ${m.text()}`);
    }
  });
  // Chromium asks for /favicon.ico by itself when a page names no icon.
  const favicon = (url) => /\/favicon\.ico$/.test(new URL(url).pathname);
  const badStatus = new Set();
  page.on('response', (r) => {
    if (r.status() >= 400 && !favicon(r.url())) {
      badStatus.add(r.url());
      page.problems.push(`HTTP ${r.status()}: ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => {
    // A subresource answered with 404 is also "aborted"; report it once.
    if (badStatus.has(r.url()) || favicon(r.url())) return;
    page.problems.push(`requestfailed: ${r.url()} (${r.failure()?.errorText})`);
  });
  return page;
}

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.opf': 'application/oebps-package+xml; charset=utf-8',
  '.ncx': 'application/x-dtbncx+xml; charset=utf-8',
  '.epub': 'application/epub+zip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

/**
 * Serves `dir` on http://127.0.0.1:<ephemeral>/. GET and HEAD only; a
 * directory serves its index.html; paths outside `dir` are refused.
 * opts.routes: { '/path': absoluteFile } extra files mapped in (e.g. a
 * script from node_modules). Resolves to { url, port, close() }.
 */
export function serve(dir, opts = {}) {
  const root = resolve(dir);
  const routes = opts.routes || {};
  const server = createServer((req, res) => {
    const send = (code, msg) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `${code} ${msg}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    let file = routes[path];
    if (!file) {
      file = join(root, path);
      if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden');
    }
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) {
        if (!path.endsWith('/')) {
          res.writeHead(301, { location: `${path}/` });
          return res.end();
        }
        file = join(file, 'index.html');
        st = statSync(file);
      }
    } catch {
      return send(404, 'not found');
    }
    if (!st.isFile()) return send(404, 'not found');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({
        url: `http://127.0.0.1:${port}/`,
        port,
        server,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

// ---- a minimal sequential test runner ----

const tests = [];
const cleanups = [];
let ran = false;

/** Registers a test. opts.timeout in ms (default 60000, TEST_TIMEOUT env). */
export function test(name, fn, opts = {}) {
  tests.push({ name, fn, timeout: opts.timeout ?? Number(process.env.TEST_TIMEOUT || 60000) });
}

/** Registers cleanup run after all tests, even when some failed. */
export function after(fn) {
  cleanups.push(fn);
}

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`timed out after ${ms} ms: ${name}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs the registered tests in order. TEST_FILTER (a substring) selects
 * tests by name. Returns { passed, failed } and sets process.exitCode.
 */
export async function run() {
  ran = true;
  const filter = process.env.TEST_FILTER || '';
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    if (filter && !t.name.includes(filter)) continue;
    const start = Date.now();
    try {
      await withTimeout(Promise.resolve().then(() => t.fn()), t.timeout, t.name);
      passed++;
      console.log(`ok - ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL - ${t.name}`);
      const text = (e && e.stack) || String(e);
      console.log(text.split('\n').map((l) => `    ${l}`).join('\n'));
    }
  }
  for (const fn of cleanups) {
    try {
      await fn();
    } catch (e) {
      console.log(`cleanup failed: ${e.message}`);
      failed++;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
  return { passed, failed };
}

process.on('exit', (code) => {
  if (tests.length > 0 && !ran) {
    console.log(`lib.mjs: ${tests.length} tests registered but run() was never called`);
    console.log('0 passed, 1 failed');
    process.exitCode = code || 1;
  }
});
