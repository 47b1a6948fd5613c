// Reading offline: the service worker (sw.js) and the web manifest. Over
// http, a visited page is cached once the worker controls it and reloads
// with the network gone; a page not visited yet is not, until "Save the
// book for offline reading" caches every file; a new build replaces the
// cache (and its pages) and deletes the old one; from file:// nothing is
// registered and nothing breaks. Run by run.sh ($BOOK_SITE, $PAPER_SITE,
// $STEPBOOK); builds its own copies of the book where it changes them.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const BOOK = process.env.BOOK_SITE;
const PAPER = process.env.PAPER_SITE;
if (!BOOK || !PAPER) {
  console.log('offline: BOOK_SITE and PAPER_SITE are not set (run tests/browser/run.sh)');
  process.exit(2);
}
const TOP = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STEPBOOK = resolve(TOP, process.env.STEPBOOK || 'build/stepbook');

const browser = await launch();
after(() => browser.close());
const work = mkdtempSync(join(tmpdir(), 'stepbook-offline-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Offline, the browser's own requests that the worker does not answer
// (the icon it asks for by itself, a prefetch) fail; that is expected.
const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::(ERR_ABORTED|ERR_INTERNET_DISCONNECTED)\)$/.test(p));

/** Waits until a service worker is active and controls the page. */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller
    && navigator.serviceWorker.controller.state === 'activated', null, { timeout: 20000 });
}

/** The names of the page's caches and the URLs in each. */
async function cacheInfo(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      const c = await caches.open(name);
      out[name] = (await c.keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });
}

for (const [theme, dir] of [['default', BOOK], ['paper', PAPER]]) {
  test(`${theme}: a visited page reads offline`, async () => {
    const site = await serve(dir);
    const page = await newPage(browser);
    try {
      const first = await page.goto(`${site.url}02-accept.html`);
      assert.equal(first.status(), 200);
      const title = await page.locator('h1').first().textContent();
      await controlled(page);
      const caches = await cacheInfo(page);
      const names = Object.keys(caches);
      assert.equal(names.length, 1, `one cache: ${names}`);
      assert.match(names[0], /^stepbook:[a-z0-9-]+:[0-9a-f]{16}$/);
      assert.ok(caches[names[0]].includes('/02-accept.html'), 'the open page is cached');
      assert.ok(caches[names[0]].includes('/assets/site.css'), 'the styles are cached');
      // the offline button shows over http
      assert.ok(await page.locator('.offline').isVisible());

      await page.context().setOffline(true);
      await site.close();
      const again = await page.reload();
      assert.ok(again.fromServiceWorker(), 'answered by the service worker');
      assert.equal(await page.locator('h1').first().textContent(), title);
      // styled: the page's style sheet came from the cache too
      const styled = await page.evaluate(() => getComputedStyle(document.body).marginTop === '0px');
      assert.ok(styled, 'site.css applied offline');
      // the index was cached on install
      const index = await page.goto(`${site.url}`);
      assert.ok(index.fromServiceWorker());
      assert.equal(index.status(), 200);
      assert.ok(await page.locator('.hero h1').count(), 'the index offline');
      assert.deepEqual(problems(page), []);
    } finally {
      await page.context().close();
      await site.close();
    }
  });
}

test('save for offline caches a page not visited yet', async () => {
  const site = await serve(BOOK);
  const page = await newPage(browser);
  try {
    await page.goto(`${site.url}index.html`);
    await controlled(page);
    const before = await cacheInfo(page);
    assert.ok(!Object.values(before)[0].includes('/05-reconnect.html'), 'not cached before');

    // not visited, offline: the worker's offline page says so
    await page.context().setOffline(true);
    const miss = await page.goto(`${site.url}05-reconnect.html`);
    assert.equal(miss.status(), 503);
    assert.match(await page.locator('h1').textContent(), /offline/i);
    page.problems.length = 0; // the 503 just checked
    await page.context().setOffline(false);

    await page.goto(`${site.url}index.html`);
    await controlled(page);
    const button = page.locator('.save-offline');
    assert.ok(await button.isVisible());
    await button.click();
    await page.waitForFunction(() => /^Saved/.test(document.querySelector('.offline-status').textContent), null, { timeout: 30000 });
    assert.equal(await page.locator('html').getAttribute('data-offline'), 'saved');
    const after = Object.values(await cacheInfo(page))[0];
    const build = readFileSync(join(BOOK, 'sw.js'), 'utf8').split('\n')[0];
    const files = JSON.parse(build.replace(/^self\.STEPBOOK_BUILD = /, '').replace(/;$/, '')).files;
    for (const f of files) assert.ok(after.includes(`/${f.split('/').map(encodeURIComponent).join('/')}`), `cached: ${f}`);

    await page.context().setOffline(true);
    await site.close();
    const resp = await page.goto(`${site.url}05-reconnect.html`);
    assert.equal(resp.status(), 200);
    assert.ok(resp.fromServiceWorker());
    assert.match(await page.locator('h1').textContent(), /Reconnect/);
    const printPage = await page.goto(`${site.url}print.html`);
    assert.equal(printPage.status(), 200);
    // a later visit says it is saved, without announcing it
    await page.goto(`${site.url}06-after.html`);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-offline') === 'saved');
    assert.equal(await page.locator('.offline-status').textContent(), '');
    assert.deepEqual(problems(page), []);
  } finally {
    await page.context().close();
    await site.close();
  }
});

test('a new build replaces the cache and its pages', async () => {
  const book = join(work, 'update');
  cpSync(join(TOP, 'content'), join(book, 'content'), { recursive: true });
  const build = () => execFileSync(STEPBOOK, ['-C', book, 'build', '--no-epub', '-q', '--out', join(book, 'out')]);
  build();
  const siteDir = join(book, 'out', 'site');
  const site = await serve(siteDir);
  const page = await newPage(browser);
  try {
    await page.goto(`${site.url}03-avoid.html`);
    await controlled(page);
    const [oldCache] = Object.keys(await cacheInfo(page));

    // same input, same bytes: the worker does not change
    const sw1 = readFileSync(join(siteDir, 'sw.js'));
    build();
    assert.ok(readFileSync(join(siteDir, 'sw.js')).equals(sw1), 'rebuild is byte-identical');

    const md = join(book, 'content', '03-avoid.md');
    writeFileSync(md, readFileSync(md, 'utf8').replace(/^title: .*$/m, 'title: Avoid, revised'));
    build();
    assert.ok(!readFileSync(join(siteDir, 'sw.js')).equals(sw1), 'a change gives a new worker');

    const changed = page.evaluate(() => new Promise((done) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => done(true), { once: true });
      navigator.serviceWorker.getRegistration().then((r) => r.update());
    }));
    assert.ok(await changed);
    await controlled(page);
    const names = Object.keys(await cacheInfo(page));
    assert.equal(names.length, 1, `only the new cache is left: ${names}`);
    assert.notEqual(names[0], oldCache);
    await page.reload();
    assert.equal(await page.locator('h1').first().textContent(), 'Avoid, revised');
    await page.context().setOffline(true);
    await page.reload();
    assert.equal(await page.locator('h1').first().textContent(), 'Avoid, revised');
    assert.deepEqual(problems(page), []);
  } finally {
    await page.context().close();
    await site.close();
  }
});

test('from file:// no worker is registered', async () => {
  const page = await newPage(browser);
  try {
    await page.goto(pathToFileURL(join(BOOK, '02-accept.html')).href);
    await page.waitForTimeout(300);
    // file:// pages cannot even ask (SecurityError): none there
    const regs = await page.evaluate(() => (navigator.serviceWorker
      ? navigator.serviceWorker.getRegistrations().then((r) => r.length, () => 0) : 0));
    assert.equal(regs, 0);
    assert.equal(await page.locator('.offline').isVisible(), false);
    assert.deepEqual(problems(page), []);
  } finally {
    await page.context().close();
  }
});

test('under stepbook serve no worker runs (live reload stays live)', async () => {
  const book = join(work, 'serve');
  cpSync(join(TOP, 'content'), join(book, 'content'), { recursive: true });
  const child = spawn(STEPBOOK, ['-C', book, 'serve', '--port', '0', '--no-epub'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const page = await newPage(browser);
  try {
    const url = await new Promise((ok, fail) => {
      let text = '';
      const timer = setTimeout(() => fail(new Error(`no URL from stepbook serve: ${text}`)), 20000);
      const look = (chunk) => {
        text += chunk;
        const m = text.match(/http:\/\/127\.0\.0\.1:\d+\//);
        if (m) { clearTimeout(timer); ok(m[0]); }
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      child.on('exit', (code) => fail(new Error(`stepbook serve exited (${code}): ${text}`)));
    });
    await page.goto(`${url}02-accept.html`);
    await page.waitForFunction(() => document.readyState === 'complete');
    assert.equal(await page.locator('script[src*="/__stepbook/"]').count(), 1, 'the live-reload script is there');
    await page.waitForTimeout(500);
    const regs = await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length));
    assert.equal(regs, 0);
    assert.equal(await page.locator('.offline').isVisible(), false);
    assert.deepEqual(problems(page), []);
  } finally {
    await page.context().close();
    child.kill('SIGINT');
  }
});

test('the web manifest and its icon', async () => {
  const site = await serve(PAPER);
  const page = await newPage(browser);
  try {
    await page.goto(`${site.url}index.html`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const url = new URL(href, page.url()).href;
    const res = await page.request.get(url);
    assert.equal(res.status(), 200);
    const m = await res.json();
    assert.equal(m.name, await page.locator('.hero h1').textContent());
    assert.ok(m.short_name && m.short_name.length <= 12, `short_name ${m.short_name}`);
    assert.equal(m.start_url, './');
    assert.equal(m.display, 'standalone');
    assert.match(m.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(m.background_color, /^#[0-9a-f]{6}$/i);
    assert.ok(m.icons.length >= 1);
    for (const icon of m.icons) {
      const r = await page.request.get(new URL(icon.src, url).href);
      assert.equal(r.status(), 200, icon.src);
      assert.match(await r.text(), /<svg[\s>]/);
    }
    assert.deepEqual(problems(page), []);
  } finally {
    await page.context().close();
    await site.close();
  }
});

await run();
