// Search (themes/default/assets/search.js over search-index.js): `/` or `s`
// opens it and focuses the input; a heading is found from part of its
// words, whatever the case and accents; results highlight the matched
// words with <mark>; arrow keys move through them, Enter opens one,
// Escape closes; the index loads only when the search opens; it all
// works from file:// as well as over HTTP.
//
// Run by run.sh ($BOOK_SITE, the real book). Run alone, it builds the
// book itself with ${STEPBOOK:-build/stepbook}. A small book with accented
// headings, and one of 250 chapters whose index comes in parts, are built
// into a temporary folder as well.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, newPage, serve, test, run, after, assert, axe } from './lib.mjs';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stepbook = resolve(top, process.env.STEPBOOK || 'build/stepbook');
const work = mkdtempSync(join(tmpdir(), 'stepbook-search-'));
after(() => rmSync(work, { recursive: true, force: true }));

function build(content, name) {
  const out = join(work, name);
  execFileSync(stepbook, ['-C', dirname(content), 'build', '--no-epub', '-q', '--out', out], { stdio: 'pipe' });
  return join(out, 'site');
}

let BOOK = process.env.BOOK_SITE;
if (!BOOK) {
  if (!existsSync(stepbook)) {
    console.log(`search: no stepbook binary at ${stepbook} (run make tool, or set STEPBOOK or BOOK_SITE)`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  // Build from a copy, so nothing is written into the repository.
  const copy = join(work, 'book');
  mkdirSync(copy);
  execFileSync('cp', ['-R', join(top, 'content'), join(copy, 'content')]);
  BOOK = build(join(copy, 'content'), 'book-out');
}

// A small book of our own: accents in headings and text, and text that
// would break a script tag if it were not escaped.
const small = join(work, 'small');
mkdirSync(join(small, 'content'), { recursive: true });
writeFileSync(join(small, 'content', 'book.yml'), 'title: Petit livre\nlanguage: fr\n');
writeFileSync(join(small, 'content', '01-un.md'), [
  '---', 'title: Premier chapitre', '---', '',
  'Ce chapitre parle de tout.', '',
  '## Crème brûlée à l’École', '', 'Une recette délicate. </script><script>window.PWNED = 1</script>', '',
  '## Straße und Öl', '', 'Ein Abschnitt über Ölfarben.', '',
].join('\n'));
writeFileSync(join(small, 'content', '02-deux.md'), [
  '---', 'title: Deuxième chapitre', '---', '',
  '## Autre section', '', 'Rien à voir, sauf la crème.', '',
].join('\n'));
const SMALL = build(join(small, 'content'), 'small-out');

// A book of 250 chapters, whose index comes in three parts: chapters 1
// to 100 in search-index.js, then search-index-2.js and -3.js.
const many = join(work, 'many');
mkdirSync(join(many, 'content'), { recursive: true });
const manyList = [];
for (let i = 1; i <= 250; i++) {
  const n = String(i).padStart(3, '0');
  manyList.push(`  - c${n}.md`);
  writeFileSync(join(many, 'content', `c${n}.md`), [
    '---', `title: Chapter ${n}`, '---', '',
    `## Harbour number ${n}`, '', `Boats and gulls, word${n}.`, '',
  ].join('\n'));
}
writeFileSync(join(many, 'content', 'book.yml'), ['title: Many harbours', 'chapters:', ...manyList, ''].join('\n'));
const MANY = build(join(many, 'content'), 'many-out');

const browser = await launch();
const http = await serve(BOOK);
const manyHttp = await serve(MANY);
after(() => browser.close());
after(() => http.close());
after(() => manyHttp.close());

const index = readFileSync(join(BOOK, 'search-index.js'), 'utf8');
const PREFIX = 'window.STEPBOOK_SEARCH = ';
assert.ok(index.startsWith(PREFIX) && index.endsWith(';\n'), 'search-index.js has the expected shape');
const data = JSON.parse(index.slice(PREFIX.length, -2));
const TARGET = { file: '02-accept.html', id: 'is-this-relationship-worth-winning-back', heading: 'Is this relationship worth winning back?' };

/** Opens `url`, checks the search is hidden until asked and the index not loaded. */
async function openPage(url, opts) {
  const page = await newPage(browser, opts);
  await page.goto(url);
  assert.ok(await page.locator('.search-toggle').isVisible(), 'search button shown with script');
  assert.ok(!(await page.locator('#search').isVisible()), 'panel closed at first');
  assert.equal(await page.evaluate(() => typeof window.STEPBOOK_SEARCH), 'undefined', 'index loaded lazily');
  return page;
}

// The results once they are those of the whole query: typing runs a search
// per key, and a list drawn for "s" may be replaced while the test reads it.
async function results(page) {
  await page.waitForFunction(() => {
    const q = document.querySelector('#search-input').value.trim();
    return document.querySelector('#search-results a') &&
      document.querySelector('#search-status').textContent.includes(`\u201c${q}\u201d`);
  });
  return page.locator('#search-results a');
}

for (const [how, base] of [['file://', () => pathToFileURL(BOOK).href + '/'], ['http', () => http.url]]) {
  test(`${how}: "/" focuses the search, a heading is found, Enter opens it`, async () => {
    const page = await openPage(base() + '04-radio-silence.html');
    await page.keyboard.press('/');
    assert.ok(await page.locator('#search').isVisible(), 'panel opens');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', '"/" focuses the input');
    assert.equal(await page.locator('#search-input').inputValue(), '', 'the "/" is not typed');
    assert.equal(await page.locator('.search-toggle').getAttribute('aria-expanded'), 'true');

    // Part of the heading's words, in other case and with accents.
    await page.keyboard.type('RELATIÓNS wÖrt');
    const hits = await results(page);
    const first = hits.first();
    assert.equal(await first.getAttribute('href'), `${TARGET.file}#${TARGET.id}`, 'the heading comes first');
    assert.equal(await first.locator('.search-hit-heading').innerText(), TARGET.heading);
    assert.deepEqual(await first.locator('.search-hit-heading mark').allInnerTexts(), ['relationship', 'worth']);
    assert.equal(await first.locator('.search-hit-chapter').innerText(), 'Step 1: Accept the breakup');
    assert.ok((await first.locator('.search-hit-text mark').count()) > 0, 'snippet marks the words');
    assert.match(await page.locator('#search-status').innerText(), /^\d+ results? for “RELATIÓNS wÖrt”/);
    assert.equal(await page.locator('#search-status').getAttribute('aria-live'), 'polite');
    assert.ok((await hits.count()) <= 10, 'at most 10 results');

    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.href.endsWith(`${TARGET.file}#${TARGET.id}`));
    assert.ok(await page.locator(`#${TARGET.id}`).isVisible());
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

for (const [how, base] of [['file://', () => pathToFileURL(MANY).href + '/'], ['http', () => manyHttp.url]]) {
  test(`${how}: a book of 250 chapters is searched in all three parts of its index`, async () => {
    assert.ok(existsSync(join(MANY, 'search-index-3.js')) && !existsSync(join(MANY, 'search-index-4.js')));
    const page = await openPage(base() + 'c001.html');
    await page.keyboard.press('/');
    for (const n of ['007', '150', '250']) {
      await page.locator('#search-input').fill(`word${n}`);
      await page.waitForFunction((want) => {
        const a = document.querySelector('#search-results a');
        return a && a.getAttribute('href') === want;
      }, `c${n}.html#harbour-number-${n}`);
      assert.equal(await page.locator('#search-results a').count(), 1, `one result for word${n}`);
    }
    // the parts load side by side: they register in whatever order they arrive
    assert.equal(await page.evaluate(() => Object.keys(window.STEPBOOK_SEARCH_PARTS).sort().join(' ')),
      'search-index-2.js search-index-3.js');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('every query word must match; no result says so', async () => {
  const page = await openPage(http.url + 'index.html');
  await page.keyboard.press('s');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', '"s" focuses the input');
  await page.keyboard.type('radio sil');
  const hits = await results(page);
  const n = await hits.count();
  assert.ok(n >= 1 && n <= 10);
  // Every result holds both words (in its heading, chapter or text).
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  for (let i = 0; i < n; i++) {
    const href = await hits.nth(i).getAttribute('href');
    const [file] = href.split('#');
    const entry = data.chapters.find((c) => c[1] === file);
    const id = href.split('#')[1] || '';
    const sec = entry[2].find((x) => x[0] === id);
    const all = fold([entry[0], sec[1], sec[2], sec[3] || ''].join(' '));
    assert.match(all, /\bradio/, href);
    assert.match(all, /\bsil/, href);
  }
  // The chapter itself (its title matches both words) comes first.
  assert.equal(await hits.first().getAttribute('href'), '04-radio-silence.html');
  await page.locator('#search-input').fill('radio zzzzqx');
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length === 0 &&
    document.querySelector('#search-status').textContent.startsWith('No results'));
  assert.ok(!(await page.locator('#search-results').isVisible()), 'empty list hidden');
  assert.equal(await page.locator('#search-status').innerText(), 'No results for “radio zzzzqx”.');
  await page.locator('#search-input').fill('');
  await page.waitForFunction(() => document.querySelector('#search-status').textContent === '');
  assert.equal(await page.locator('#search-status').innerText(), '');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('arrow keys move through results, Escape closes and gives focus back', async () => {
  const page = await openPage(http.url + '02-accept.html');
  await page.locator('.search-toggle').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', 'the button focuses the input');
  await page.keyboard.type('silence');
  const hits = await results(page);
  assert.ok((await hits.count()) >= 3);
  const active = () => page.evaluate(() => document.activeElement.getAttribute('href') || document.activeElement.id);
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), await hits.nth(0).getAttribute('href'));
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), await hits.nth(1).getAttribute('href'));
  // Focus is visible on the result.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focused result has an outline');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await active(), 'search-input', 'up from the first result goes back to the input');
  // Typing "/" or "s" in the input types them.
  await page.keyboard.type(' s/');
  assert.equal(await page.locator('#search-input').inputValue(), 'silence s/');
  await page.keyboard.press('Escape');
  assert.ok(!(await page.locator('#search').isVisible()), 'Escape closes');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'search-toggle', 'focus back on the button');
  assert.equal(await page.locator('.search-toggle').getAttribute('aria-expanded'), 'false');
  // Reopening keeps the query and its results.
  await page.keyboard.press('/');
  assert.equal(await page.locator('#search-input').inputValue(), 'silence s/');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a result on the same page scrolls to it and moves focus there', async () => {
  const page = await openPage(http.url + TARGET.file);
  await page.keyboard.press('/');
  await page.keyboard.type('worth winning');
  const hits = await results(page);
  await hits.first().click();
  await page.waitForFunction((id) => document.activeElement && document.activeElement.id === id, TARGET.id);
  assert.ok(page.url().endsWith(`#${TARGET.id}`));
  assert.ok(!(await page.locator('#search').isVisible()), 'panel closed');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('accents and case fold both ways; </script> in the text is harmless (file://)', async () => {
  const page = await openPage(pathToFileURL(SMALL).href + '/02-deux.html');
  await page.keyboard.press('/');
  await page.keyboard.type('creme BRULEE ecol');
  const hits = await results(page);
  assert.equal(await hits.count(), 1);
  assert.match(await hits.first().getAttribute('href'), /^01-un\.html#cr.me-br/u);
  assert.equal(await hits.first().locator('.search-hit-heading').innerText(), 'Crème brûlée à l’École');
  assert.deepEqual(await hits.first().locator('.search-hit-heading mark').allInnerTexts(), ['Crème', 'brûlée', 'École']);
  await page.locator('#search-input').fill('strasse ol');
  await page.waitForFunction(() => document.querySelector('#search-results .search-hit-heading')?.textContent === 'Straße und Öl');
  assert.deepEqual(await (await results(page)).first().locator('.search-hit-heading mark').allInnerTexts(), ['Straße', 'Öl']);
  await page.locator('#search-input').fill('script pwned');
  const text = (await results(page)).first().locator('.search-hit-text');
  assert.match(await text.innerText(), /<\/script><script>window\.PWNED = 1<\/script>/);
  assert.equal(await page.evaluate(() => window.PWNED), undefined, 'text is never run');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('dark mode: results use the page colours', async () => {
  const page = await openPage(http.url + '03-avoid.html', { dark: true });
  await page.keyboard.press('/');
  await page.keyboard.type('message');
  await results(page);
  const c = await page.evaluate(() => {
    const s = (el) => getComputedStyle(el);
    const list = document.getElementById('search-results');
    const mark = list.querySelector('.search-hit-text mark');
    return { list: s(list).backgroundColor, body: s(document.body).backgroundColor, mark: s(mark).backgroundColor, markFg: s(mark).color };
  });
  assert.equal(c.list, c.body, 'list background is the page background');
  assert.notEqual(c.mark, 'rgb(255, 255, 0)', 'mark is not the default yellow in dark mode');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

for (const dark of [false, true]) {
  for (const width of [390, 1280]) {
    test(`axe: no WCAG 2.1 AA violation with results shown (${dark ? 'dark' : 'light'}, ${width} px)`, async () => {
      const page = await openPage(http.url + '05-reconnect.html', { dark, width });
      await page.keyboard.press('/');
      await page.keyboard.type('meet sign');
      await results(page);
      await page.keyboard.press('ArrowDown');
      const found = await axe(page);
      assert.deepEqual(found, [], found.join('\n'));
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
}

test('without script the search is not shown', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(http.url + '02-accept.html');
  assert.ok(!(await page.locator('.search-toggle').isVisible()));
  assert.ok(!(await page.locator('#search').isVisible()));
  await page.context().close();
});

await run();
