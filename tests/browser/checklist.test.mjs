// Checklist ticks on the website: ticking on a chapter, saved across
// reloads and pages, chapter, per-step and overall progress, the checklist
// page, "Clear all ticks", and the links from the checklist to each item's
// section. Run by run.sh: $GOLDEN_SITE is the golden book (01-start has
// three task items under "First actions" {#first}, 02-practice one under
// "Try it"), $BOOK_SITE the real book.
import { readdirSync, readFileSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const GOLDEN = process.env.GOLDEN_SITE;
const BOOK = process.env.BOOK_SITE;
if (!GOLDEN || !BOOK) {
  console.log('checklist: GOLDEN_SITE and BOOK_SITE are not set (run tests/browser/run.sh)');
  process.exit(2);
}

// The real book's chapters, found in the built site, so that the tests
// follow the book as it changes: QUIZ_CHAPTERS have a quiz, CHAPTER (the
// first with a quiz, task items and cross-links) stands for "a chapter".
const chapterPages = readdirSync(BOOK).filter((f) => f.endsWith('.html')).sort()
  .map((f) => ({ file: f, html: readFileSync(join(BOOK, f), 'utf8') }))
  .filter((p) => /<body class="[^"]*\bpage-chapter\b/.test(p.html));
const QUIZ_CHAPTERS = chapterPages.filter((p) => p.html.includes('<form class="quiz"')).map((p) => p.file);
const CHAPTER = chapterPages.find((p) => p.html.includes('<form class="quiz"') &&
  p.html.includes('class="task-check"') && /<a href="[^":#]+\.html#/.test(p.html))?.file;
if (!CHAPTER) {
  console.log('the real book has no chapter with a quiz, task items and cross-links');
  process.exit(2);
}

// A request cut short because the test moved on (the page's icon, still
// loading when the next page.goto starts) is net::ERR_ABORTED: no fault of
// the page. Missing files still show, as "HTTP 404" or another net:: error.
const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::ERR_ABORTED\)$/.test(p));

const browser = await launch();
const golden = await serve(GOLDEN);
const book = await serve(BOOK);
after(() => browser.close());
after(() => golden.close());
after(() => book.close());

const box = (page, id) => page.locator(`input[data-task="${id}"]`);
const text = async (loc) => (await loc.innerText()).trim();
const READ = '01-start-read-the-introduction';
const OPEN = '01-start-open-the-book';
const ASK = '01-start-ask-a-friend';
const QUIZ = '02-practice-take-the-quiz';

async function ticks(page) {
  return page.evaluate(() => Object.fromEntries(
    Array.from(document.querySelectorAll('input.task-check')).map((b) => [b.dataset.task, b.checked])));
}

test('ticks on a chapter survive a reload, progress counts them', async () => {
  const page = await newPage(browser);
  await page.goto(golden.url + '01-start.html');
  const progress = page.locator('.chapter-head .chapter-progress');
  assert.equal(await text(progress), '0 of 3 actions done');
  // Ticking by the label (the bigger target).
  await page.locator(`label[for="task-${READ}"]`).click();
  assert.ok(await box(page, READ).isChecked());
  assert.equal(await text(progress), '1 of 3 actions done');
  await page.reload();
  assert.ok(await box(page, READ).isChecked(), 'still ticked after reload');
  assert.ok(!(await box(page, ASK).isChecked()));
  assert.equal(await text(progress), '1 of 3 actions done');
  // Unticking counts down and is saved too.
  await box(page, READ).click();
  assert.equal(await text(progress), '0 of 3 actions done');
  await page.reload();
  assert.ok(!(await box(page, READ).isChecked()), 'untick saved');
  // All three: the chapter is complete.
  for (const id of [READ, OPEN, ASK]) await box(page, id).check();
  assert.equal(await text(progress), '3 of 3 actions done');
  assert.ok(await progress.evaluate((el) => el.classList.contains('complete')));
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('checklist page shows the same ticks, per-step and overall progress; index too', async () => {
  const page = await newPage(browser);
  await page.goto(golden.url + '01-start.html');
  await box(page, READ).check();
  await page.goto(golden.url + '02-practice.html');
  await box(page, QUIZ).check();
  assert.equal(await text(page.locator('.chapter-head .chapter-progress')), '1 of 1 action done');

  await page.goto(golden.url + 'checklist.html');
  assert.deepEqual(await ticks(page), { [READ]: true, [OPEN]: false, [ASK]: false, [QUIZ]: true });
  assert.equal(await text(page.locator('[data-progress="01-start"]')), '1 of 3 actions done');
  assert.equal(await text(page.locator('[data-progress="02-practice"]')), '1 of 1 action done');
  assert.equal(await text(page.locator('.overall-progress')), '2 of 4 actions done');

  // Ticking on the checklist page reaches the chapter.
  await page.locator(`label[for="task-${ASK}"]`).click();
  assert.equal(await text(page.locator('.overall-progress')), '3 of 4 actions done');
  assert.equal(await text(page.locator('[data-progress="01-start"]')), '2 of 3 actions done');
  await page.goto(golden.url + '01-start.html');
  assert.ok(await box(page, ASK).isChecked(), 'tick from the checklist page shows on the chapter');
  assert.equal(await text(page.locator('.chapter-head .chapter-progress')), '2 of 3 actions done');

  await page.goto(golden.url + 'index.html');
  const overall = page.locator('.overall-progress');
  assert.match(await text(overall), /3 of 4 actions done/);
  assert.equal(await overall.locator('a').getAttribute('href'), 'checklist.html');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('"Clear all ticks" asks first, then clears everywhere', async () => {
  const page = await newPage(browser);
  await page.goto(golden.url + 'checklist.html');
  for (const id of [READ, ASK, QUIZ]) await box(page, id).check();
  const clear = page.getByRole('button', { name: 'Clear all ticks' });
  assert.ok(await clear.isVisible());

  // Cancel keeps the ticks.
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await clear.click();
  assert.match(asked, /clear/i);
  assert.equal(await text(page.locator('.overall-progress')), '3 of 4 actions done');

  page.once('dialog', (d) => d.accept());
  await clear.click();
  assert.deepEqual(await ticks(page), { [READ]: false, [OPEN]: false, [ASK]: false, [QUIZ]: false });
  assert.equal(await text(page.locator('.overall-progress')), '0 of 4 actions done');
  assert.equal(await text(page.locator('[data-progress="01-start"]')), '0 of 3 actions done');
  await page.reload();
  assert.deepEqual(Object.values(await ticks(page)), [false, false, false, false], 'cleared after reload');
  await page.goto(golden.url + '01-start.html');
  assert.deepEqual(Object.values(await ticks(page)), [false, false, false], 'cleared on the chapter');
  await page.goto(golden.url + 'index.html');
  assert.match(await text(page.locator('.overall-progress')), /0 of 4 actions done/);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

/**
 * Every checklist item links to the section it comes from: the href names
 * the chapter page and a heading id; that heading exists there, and the
 * same task item follows it before the next heading of its level or higher.
 */
async function checkSources(base, expectCount) {
  const page = await newPage(browser);
  await page.goto(base + 'checklist.html');
  const items = await page.evaluate(() => Array.from(document.querySelectorAll('.task-list li')).map((li) => ({
    task: li.querySelector('input.task-check').dataset.task,
    href: li.querySelector('a.task-source')?.getAttribute('href'),
  })));
  assert.equal(items.length, expectCount, 'number of checklist items');
  const byPage = new Map();
  for (const it of items) {
    assert.ok(it.href, `${it.task}: has a source link`);
    const m = /^([^/#?]+\.html)#(.+)$/.exec(it.href);
    assert.ok(m, `${it.task}: href ${it.href} names a page and an id`);
    if (!byPage.has(m[1])) byPage.set(m[1], []);
    byPage.get(m[1]).push({ ...it, id: decodeURIComponent(m[2]) });
  }
  for (const [file, list] of byPage) {
    const resp = await page.goto(base + file);
    assert.equal(resp.status(), 200, file);
    const bad = await page.evaluate((l) => l.map(({ task, id }) => {
      const target = document.getElementById(id);
      if (!target) return `${task}: no id "${id}"`;
      const m = /^H([1-6])$/.exec(target.tagName);
      if (!m) return `${task}: #${id} is a ${target.tagName}, not a heading`;
      const item = document.querySelector(`input.task-check[data-task="${task}"]`);
      if (!item) return `${task}: not on the page`;
      if (!(target.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        return `${task}: comes before #${id}`;
      }
      const level = Number(m[1]);
      for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
        if (h === target || Number(h.tagName[1]) > level) continue;
        if ((target.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) &&
            (h.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING)) {
          return `${task}: under "${h.textContent.trim()}", not under #${id}`;
        }
      }
      return null;
    }).filter(Boolean), list);
    assert.deepEqual(bad, [], file);
  }
  assert.deepEqual(problems(page), []);
  await page.context().close();
}

test('golden book: each checklist item links to its section', async () => {
  await checkSources(golden.url, 4);
});

test('real book: each checklist item links to its section', async () => {
  // As many items on the checklist page as task items in the chapters.
  let n = 0;
  for (const ch of chapterPages) n += (ch.html.match(/<input[^>]*class="task-check"/g) || []).length;
  assert.ok(n > 0, 'the real book has task items');
  await checkSources(book.url, n);
});

test('real book: a tick on a chapter shows on the checklist page and the index', async () => {
  const page = await newPage(browser);
  await page.goto(book.url + CHAPTER);
  const first = page.locator('main input.task-check').first();
  const id = await first.getAttribute('data-task');
  const counter = page.locator('.chapter-head .chapter-progress');
  const total = Number(await counter.getAttribute('data-total'));
  const slug = await counter.getAttribute('data-progress');
  await first.check();
  assert.equal(await text(page.locator('.chapter-head .chapter-progress')), `1 of ${total} actions done`);
  await page.goto(book.url + 'checklist.html');
  assert.ok(await box(page, id).isChecked());
  const all = Number(await page.locator('.overall-progress').getAttribute('data-total'));
  assert.equal(await text(page.locator('.overall-progress')), `1 of ${all} actions done`);
  assert.equal(await text(page.locator(`[data-progress="${slug}"]`)), `1 of ${total} actions done`);
  assert.equal(await page.locator('input.task-check:checked').count(), 1);
  await page.goto(book.url + 'index.html');
  assert.match(await text(page.locator('.overall-progress')), new RegExp(`1 of ${all} actions done`));
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a chapter whose slug starts another\'s does not count that one\'s ticks', async () => {
  // Task ids are "<chapter slug>-<text>": chapter "radio" must not count
  // the items of chapter "radio-silence".
  const stepbook = process.env.STEPBOOK || 'build/stepbook';
  const dir = mkdtempSync(join(tmpdir(), 'stepbook-slugs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'content'));
  writeFileSync(join(dir, 'content', 'book.yml'), 'title: Slugs\nlanguage: en\nchapters:\n  - a.md\n  - b.md\n');
  writeFileSync(join(dir, 'content', 'a.md'), '---\ntitle: Radio\nslug: radio\n---\n\n## Do\n\n- [ ] One\n');
  writeFileSync(join(dir, 'content', 'b.md'), '---\ntitle: Radio silence\nslug: radio-silence\n---\n\n## Do\n\n- [ ] Two\n- [ ] Three\n');
  execFileSync(stepbook, ['-C', dir, 'build', '--no-epub', '-q', '--out', join(dir, 'out')], { stdio: 'pipe' });
  const srv = await serve(join(dir, 'out', 'site'));
  try {
    const page = await newPage(browser);
    await page.goto(srv.url + 'radio-silence.html');
    await page.locator('main input.task-check').first().check();
    assert.equal(await text(page.locator('.chapter-head .chapter-progress')), '1 of 2 actions done');
    await page.goto(srv.url + 'radio.html');
    assert.equal(await text(page.locator('.chapter-head .chapter-progress')), '0 of 1 action done');
    await page.goto(srv.url + 'checklist.html');
    assert.equal(await text(page.locator('[data-progress="radio"]')), '0 of 1 action done');
    assert.equal(await text(page.locator('[data-progress="radio-silence"]')), '1 of 2 actions done');
    assert.equal(await text(page.locator('.overall-progress')), '1 of 3 actions done');
    assert.deepEqual(problems(page), []);
    await page.context().close();
  } finally {
    await srv.close();
  }
});

await run();
