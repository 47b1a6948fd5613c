// A book in several languages, as its readers meet it: the language
// switcher in the top bar opens with the keyboard and leads to the same
// chapter in the other language, over HTTP and from file://; a reader
// whose browser asks for Spanish first and who arrives at the book's
// first page is sent to the Spanish one, a reader of English stays, and a
// language picked in the switcher is kept; the open switcher fits a phone's
// screen; axe finds no WCAG 2.1 AA violation with it open, both themes,
// light and dark. Builds its book with ${STEPBOOK:-build/stepbook} into a
// temporary folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, newPage, serve, test, run, after, assert, axe } from './lib.mjs';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stepbook = resolve(top, process.env.STEPBOOK || 'build/stepbook');
const work = mkdtempSync(join(tmpdir(), 'stepbook-translations-'));
after(() => rmSync(work, { recursive: true, force: true }));

const FILES = {
  'book.yml': ['title: Coffee at Home', 'language: en', 'translations: [es]', 'chapters:', '  - 01-beans.md', '  - 02-water.md'],
  '01-beans.md': ['---', 'step: 1', '---', '# Beans', '', 'Fresh beans taste better.', '', '- [ ] Buy fresh beans'],
  '02-water.md': ['---', 'step: 2', '---', '# Water', '', 'Hot, not boiling.'],
  'es/book.yml': ['title: Café en casa', 'language: es', 'chapters:', '  - 01-beans.md', '  - 02-water.md'],
  'es/01-beans.md': ['---', 'step: 1', '---', '# Granos', '', 'Los granos frescos saben mejor.', '', '- [ ] Compra granos frescos'],
  'es/02-water.md': ['---', 'step: 2', '---', '# Agua', '', 'Caliente, sin hervir.'],
};

function build(name, ...options) {
  const dir = join(work, name);
  for (const [file, lines] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, 'content', file)), { recursive: true });
    writeFileSync(join(dir, 'content', file), lines.join('\n') + '\n');
  }
  execFileSync(stepbook, ['-C', dir, 'build', '--no-epub', '-q', ...options], { stdio: 'pipe' });
  return join(dir, 'output', 'site');
}

const SITE = build('default');
const PAPER = build('paper', '--theme', 'paper');
const browser = await launch();
after(() => browser.close());
const server = await serve(SITE);
after(() => server.close());

for (const [name, base] of [['over HTTP', server.url], ['from file://', pathToFileURL(SITE).href + '/']]) {
  test(`${name}: the switcher opens with the keyboard and leads to the same chapter in Spanish`, async () => {
    const page = await newPage(browser, { locale: 'en-US' });
    await page.goto(base + '02-water.html');
    assert.equal(await page.locator('.language-list').isVisible(), false, 'closed at first');
    await page.locator('.language-switch summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.language-list').isVisible(), true, 'open after Enter');
    const current = page.locator('.language-list a[aria-current="page"]');
    assert.equal((await current.innerText()).trim(), 'English');
    await page.locator('.language-list a[hreflang="es"]').click();
    await page.waitForURL(/\/es\/02-water\.html$/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Agua');
    assert.equal((await page.locator('.language-switch-label').innerText()).trim(), 'Idiomas');
    // and back
    await page.locator('.language-switch summary').click();
    await page.locator('.language-list a[hreflang="en"]').click();
    await page.waitForURL(/\/02-water\.html$/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('a reader whose browser asks for Spanish is sent from the first page to the Spanish one', async () => {
  const page = await newPage(browser, { locale: 'es-MX' });
  await page.goto(server.url + 'index.html');
  await page.waitForURL(/\/es\/index\.html$/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  // a chapter's page sends no one anywhere
  await page.goto(server.url + '01-beans.html');
  await page.waitForTimeout(300);
  assert.match(page.url(), /\/01-beans\.html$/);
  await page.context().close();
});

test('a reader of English stays; a language picked in the switcher is kept', async () => {
  let page = await newPage(browser, { locale: 'en-GB' });
  await page.goto(server.url + 'index.html');
  await page.waitForTimeout(300);
  assert.match(page.url(), /\/index\.html$/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.context().close();
  // Spanish first in the browser, English picked in the switcher
  page = await newPage(browser, { locale: 'es-ES' });
  await page.goto(server.url + 'es/01-beans.html');
  await page.locator('.language-switch summary').click();
  await page.locator('.language-list a[hreflang="en"]').click();
  await page.waitForURL(/\/01-beans\.html$/);
  await page.goto(server.url + 'index.html');
  await page.waitForTimeout(300);
  assert.match(page.url(), /\/index\.html$/);
  assert.ok(!page.url().includes('/es/'), page.url());
  await page.context().close();
});

test('at 390 px the open switcher fits the screen', async () => {
  for (const path of ['index.html', 'es/01-beans.html']) {
    const page = await newPage(browser, { width: 390, height: 844, locale: 'en-US' });
    await page.goto(server.url + path);
    await page.locator('.language-switch summary').click();
    const box = await page.locator('.language-list').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `${path}: ${JSON.stringify(box)}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${path}: no sideways scroll`);
    await page.context().close();
  }
});

for (const [theme, site] of [['default', SITE], ['paper', PAPER]]) {
  for (const dark of [false, true]) {
    test(`axe: the switcher open, ${theme} theme, ${dark ? 'dark' : 'light'}`, async () => {
      const s = await serve(site);
      try {
        for (const path of ['index.html', 'es/01-beans.html']) {
          const page = await newPage(browser, { dark, locale: 'en-US' });
          await page.goto(s.url + path);
          await page.locator('.language-switch summary').click();
          const v = await axe(page);
          assert.deepEqual(v, [], `${path}\n${v.join('\n')}`);
          await page.context().close();
        }
      } finally {
        s.close();
      }
    });
  }
}

await run();
