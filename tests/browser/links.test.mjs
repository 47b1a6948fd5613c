// Links on the website: cross-links between chapters land on the heading,
// "Referenced from" backlinks land on the linking section, prev/next walk
// the book in order, and the sidebar marks the current page. Run by
// run.sh: $GOLDEN_SITE is the golden book (02-practice links to
// 01-start.html#first, 01-start's "Why this matters" links to
// 02-practice.html#try-it), $BOOK_SITE the real book.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const GOLDEN = process.env.GOLDEN_SITE;
const BOOK = process.env.BOOK_SITE;
if (!GOLDEN || !BOOK) {
  console.log('links: GOLDEN_SITE and BOOK_SITE are not set (run tests/browser/run.sh)');
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

const file = (url) => new URL(url).pathname.split('/').pop();

/** Waits until the element with `id` is in the viewport, near its top. */
async function assertInView(page, id) {
  assert.ok(await page.evaluate((i) => !!document.getElementById(i), id), `#${id} exists`);
  await page.waitForFunction((i) => {
    const r = document.getElementById(i).getBoundingClientRect();
    return r.top >= -1 && r.top < innerHeight / 2 && r.height > 0;
  }, id, { timeout: 5000 }).catch(async () => {
    const top = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
    assert.fail(`#${id} not scrolled into view (top ${top}px)`);
  });
}

/** The heading section (from the heading to the next heading of its level or higher) holds `selector`. */
async function sectionHolds(page, id, selector) {
  return page.evaluate(({ id, selector }) => {
    const h = document.getElementById(id);
    const level = Number(h.tagName[1]);
    const heads = Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6'));
    const next = heads.find((x) => Number(x.tagName[1]) <= level &&
      (h.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING));
    return Array.from(document.querySelectorAll(selector)).some((el) =>
      (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) &&
      (!next || (el.compareDocumentPosition(next) & Node.DOCUMENT_POSITION_FOLLOWING)));
  }, { id, selector });
}

test('a cross-link lands on the other chapter\'s heading, in view', async () => {
  const page = await newPage(browser, { height: 700 });
  await page.goto(golden.url + '02-practice.html');
  await page.getByRole('link', { name: 'the first actions' }).click();
  await page.waitForURL(/01-start\.html#first$/);
  assert.equal(file(page.url()), '01-start.html');
  assert.equal(new URL(page.url()).hash, '#first');
  assert.equal(await page.locator('#first').innerText(), 'First actions');
  await assertInView(page, 'first');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('"Referenced from" lists the linking section and lands on its heading', async () => {
  const page = await newPage(browser, { height: 700 });
  await page.goto(golden.url + '01-start.html');
  // 01-start is linked from 02-practice's "Try it".
  let back = page.locator('section.backlinks a');
  assert.deepEqual(await back.allInnerTexts(), ['Practice: Try it']);
  await page.goto(golden.url + '02-practice.html');
  back = page.locator('section.backlinks a');
  assert.equal(await page.locator('section.backlinks h2').innerText(), 'Referenced from');
  assert.deepEqual(await back.allInnerTexts(), ['Getting started: Why this matters']);
  await back.first().click();
  await page.waitForURL(/01-start\.html#why-this-matters$/);
  await assertInView(page, 'why-this-matters');
  assert.ok(await sectionHolds(page, 'why-this-matters', 'a[href^="02-practice.html"]'),
    'the section holds the link back');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

/**
 * Checks every cross-link and backlink of a book in one go: the pages are
 * fetched and parsed in the browser (no navigation per link). Returns the
 * problems found and how many links of each kind there were.
 */
async function checkBookLinks(base) {
  const page = await newPage(browser);
  await page.goto(base + 'index.html');
  const result = await page.evaluate(async () => {
    const chapters = Array.from(document.querySelectorAll('.chapter-list a')).map((a) => a.getAttribute('href'));
    const docs = new Map();
    for (const ch of chapters) {
      const html = await (await fetch(ch)).text();
      docs.set(ch, new DOMParser().parseFromString(html, 'text/html'));
    }
    const FOLLOWING = Node.DOCUMENT_POSITION_FOLLOWING;
    // Does the section under heading #id of `doc` hold an element matching `sel`?
    const sectionHolds = (doc, id, sel) => {
      const h = doc.getElementById(id);
      if (!h) return false;
      if (!/^H[1-6]$/.test(h.tagName)) return false;
      const level = Number(h.tagName[1]);
      const next = Array.from(doc.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6'))
        .find((x) => Number(x.tagName[1]) <= level && (h.compareDocumentPosition(x) & FOLLOWING));
      return Array.from(doc.querySelectorAll(sel)).some((el) => (h.compareDocumentPosition(el) & FOLLOWING) &&
        (!next || (el.compareDocumentPosition(next) & FOLLOWING)));
    };
    const links = [];
    for (const [ch, doc] of docs) {
      for (const a of doc.querySelectorAll('main .body a[href]')) {
        const h = a.getAttribute('href');
        if (/^[^:/#?]+\.html(#|$)/.test(h)) links.push({ from: ch, href: h, kind: 'cross' });
      }
      for (const a of doc.querySelectorAll('section.backlinks a')) {
        links.push({ from: ch, href: a.getAttribute('href'), kind: 'back' });
      }
    }
    const bad = [];
    for (const l of links) {
      const [f, raw] = l.href.split('#');
      const id = raw && decodeURIComponent(raw);
      const doc = docs.get(f);
      if (!doc) { bad.push(`${l.from}: ${l.kind} ${l.href}: no such chapter`); continue; }
      if (id && !doc.getElementById(id)) { bad.push(`${l.from}: ${l.kind} ${l.href}: no such id`); continue; }
      if (l.kind === 'back') {
        // A backlink to a section means that section links here.
        if (!id) bad.push(`${l.from}: backlink ${l.href} names no section`);
        else if (!sectionHolds(doc, id, `main .body a[href^="${l.from}"]`)) {
          bad.push(`${l.from} is referenced from ${l.href}, but that section does not link to it`);
        }
      } else if (f !== l.from) {
        // And the target lists the linking chapter in "Referenced from".
        const back = Array.from(doc.querySelectorAll('section.backlinks a')).map((a) => a.getAttribute('href'));
        if (!back.some((h) => h.split('#')[0] === l.from)) {
          bad.push(`${l.from} links to ${l.href} but is not in its "Referenced from"`);
        }
      }
    }
    return {
      bad,
      cross: links.filter((l) => l.kind === 'cross').length,
      back: links.filter((l) => l.kind === 'back').length,
      chapters: chapters.length,
    };
  });
  assert.deepEqual(problems(page), []);
  await page.context().close();
  return result;
}

test('every cross-link and backlink resolves to its section (both books)', async () => {
  const g = await checkBookLinks(golden.url);
  assert.deepEqual(g.bad, []);
  assert.equal(g.chapters, 2);
  assert.equal(g.cross, 2, 'the golden book has two cross-links');
  assert.equal(g.back, 2);
  const b = await checkBookLinks(book.url);
  assert.deepEqual(b.bad, []);
  assert.ok(b.chapters >= 6, 'six chapters');
  assert.ok(b.cross > 10, `the real book has cross-links (${b.cross})`);
  assert.ok(b.back > 5, `the real book has backlinks (${b.back})`);
});

test('following a real cross-link lands on the heading, in view', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(book.url + CHAPTER);
  const link = page.locator('main .body a[href*=".html#"]').first();
  const href = await link.getAttribute('href');
  await link.click();
  const [f, id] = href.split('#');
  await page.waitForURL((u) => file(u.href) === f && u.hash === `#${id}`);
  await assertInView(page, decodeURIComponent(id));
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('prev/next walk the chapters in sidebar order', async () => {
  for (const srv of [golden, book]) {
    const page = await newPage(browser);
    await page.goto(srv.url + 'index.html');
    const order = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    // The index's "Start reading" goes to the first chapter.
    await page.getByRole('link', { name: 'Start reading' }).click();
    await page.waitForURL((u) => file(u.href) === order[0]);
    assert.equal(await page.locator('.pager a[rel=prev]').count(), 0, 'no prev on the first chapter');
    for (let i = 1; i < order.length; i++) {
      await page.locator('.pager a[rel=next]').click();
      await page.waitForURL((u) => file(u.href) === order[i]);
      // The pager names the page it goes to.
      const prev = page.locator('.pager a[rel=prev]');
      assert.equal(await prev.getAttribute('href'), order[i - 1]);
    }
    assert.equal(await page.locator('.pager a[rel=next]').count(), 0, 'no next on the last chapter');
    for (let i = order.length - 2; i >= 0; i--) {
      await page.locator('.pager a[rel=prev]').click();
      await page.waitForURL((u) => file(u.href) === order[i]);
    }
    // Pager labels match the target's title.
    const nextText = await page.locator('.pager a[rel=next]').innerText();
    await page.locator('.pager a[rel=next]').click();
    await page.waitForURL((u) => file(u.href) === order[1]);
    const h1 = (await page.locator('main h1').innerText()).trim();
    assert.ok(nextText.includes(h1), `next label "${nextText}" names "${h1}"`);
    assert.deepEqual(problems(page), []);
    await page.context().close();
  }
});

test('the sidebar marks the current page with aria-current', async () => {
  const page = await newPage(browser);
  await page.goto(book.url + 'index.html');
  const order = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(await page.locator('#sidebar [aria-current]').count(), 0, 'nothing current on the index');
  for (const p of [...order, 'checklist.html']) {
    await page.goto(book.url + p);
    const cur = page.locator('#sidebar [aria-current="page"]');
    assert.equal(await cur.count(), 1, `${p}: one current link`);
    assert.equal(await cur.getAttribute('href'), p, `${p}: the current link is itself`);
    // It is marked visibly too, not only for screen readers.
    const [mark, other] = await page.evaluate(() => {
      const a = document.querySelector('#sidebar [aria-current="page"]');
      const b = document.querySelector('#sidebar a:not([aria-current])');
      const s = (e) => { const c = getComputedStyle(e); return `${c.fontWeight}|${c.boxShadow}|${c.backgroundColor}`; };
      return [s(a), s(b)];
    });
    assert.notEqual(mark, other, `${p}: the current link looks different`);
  }
  // Following a sidebar link moves the mark.
  const target = order[Math.min(3, order.length - 1)];
  await page.locator(`#sidebar a[href="${target}"]`).click();
  await page.waitForURL((u) => file(u.href) === target);
  assert.equal(await page.locator('#sidebar [aria-current="page"]').getAttribute('href'), target);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

await run();
