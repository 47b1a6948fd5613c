// `stepbook serve` as the author uses it: a page open in the browser
// reloads by itself after a chapter is edited, shows the build error over
// the page when an edit breaks the book, and reloads again once it is
// fixed. Runs the real binary on a copy of content/ on a free loopback port.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch, newPage, test, run, after, assert } from './lib.mjs';

const SB = resolve(process.env.STEPBOOK || 'build/stepbook');
const dir = mkdtempSync(join(tmpdir(), 'sb-serve-'));
cpSync('content', join(dir, 'content'), { recursive: true });

const server = spawn(SB, ['serve', '--port', '0', '--no-epub'], { cwd: dir });
let out = '';
server.stdout.on('data', (d) => { out += d; });
server.stderr.on('data', () => {});
const url = await new Promise((res, rej) => {
  const timer = setTimeout(() => rej(new Error(`serve did not start: ${out}`)), 20000);
  server.stdout.on('data', () => {
    const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
    if (m) { clearTimeout(timer); res(m[0]); }
  });
});
const browser = await launch();
after(() => browser.close());
after(() => { server.kill('SIGINT'); rmSync(dir, { recursive: true, force: true }); });

const chapter = join(dir, 'content', '02-accept.md');
const original = readFileSync(chapter, 'utf8');
const edit = (fn) => writeFileSync(chapter, fn(readFileSync(chapter, 'utf8')));

test('an open page reloads after an edit, and shows a broken build', async () => {
  const page = await newPage(browser);
  await page.goto(`${url}02-accept.html`);
  const before = await page.locator('h1').innerText();
  assert.match(before, /Accept the breakup/);
  // the live-reload script is there; give its connection a moment
  assert.equal(await page.locator('script[src="/__stepbook/reload.js"]').count(), 1);
  await page.waitForTimeout(1000);
  await page.evaluate(() => { window.__marker = 1; });
  edit((t) => t.replace(/^title: .*$/m, 'title: "Step 1: Accept it, edited live"'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('edited live') &&
    !window.__marker, null, { timeout: 15000 });

  // a broken edit: the error shows over the page, which is not replaced
  await page.waitForTimeout(1000);
  edit(() => 'no front matter any more\n');
  const alert = page.locator('[role="alert"]');
  await alert.waitFor({ timeout: 15000 });
  assert.match(await alert.innerText(), /content\/02-accept\.md:1:1: error: missing title/);
  assert.match(await page.locator('h1').innerText(), /edited live/);

  // fixed again: the page reloads with the new text
  writeFileSync(chapter, original.replace(/^title: .*$/m, 'title: "Step 1: Accept it, fixed"'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('fixed'), null, { timeout: 15000 });
  assert.equal(await page.locator('[role="alert"]').count(), 0);
  await page.context().close();
});

await run();
