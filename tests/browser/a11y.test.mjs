// axe-core (WCAG 2.0 and 2.1, A and AA) on every page of the real book
// (its Spanish edition's included), in light and in dark mode, in both shipped themes; on a chapter with a quiz
// answered wrong (feedback and answers showing) and ticked task items;
// with the mode chosen by the switch against the system preference; at a
// phone's width; and visible keyboard focus. Run by run.sh ($BOOK_SITE,
// $PAPER_SITE: the same book with --theme paper, $GOLDEN_SITE).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, serve, test, run, after, assert, axe } from './lib.mjs';

const BOOK = process.env.BOOK_SITE;
const PAPER = process.env.PAPER_SITE;
const GOLDEN = process.env.GOLDEN_SITE;
if (!BOOK || !GOLDEN || !PAPER) {
  console.log('a11y: BOOK_SITE, PAPER_SITE and GOLDEN_SITE are not set (run tests/browser/run.sh)');
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
const book = await serve(BOOK);
const paper = await serve(PAPER);
const golden = await serve(GOLDEN);
after(() => browser.close());
after(() => book.close());
after(() => paper.close());
after(() => golden.close());
const THEMES = [['default', book], ['paper', paper]];

/** axe on `url` after `prepare(page)`, in the page `page` (or a fresh one). */
async function checkPage(url, { dark = false, prepare, page: given, ...opts } = {}) {
  const page = given || await newPage(browser, { dark, ...opts });
  await page.goto(url);
  if (prepare) await prepare(page);
  const v = await axe(page);
  assert.deepEqual(problems(page), [], url);
  if (!given) await page.context().close();
  return v;
}

// the book's own pages, then those of each translation (site/<tag>/)
const translations = readdirSync(BOOK, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(e.name))
  .map((e) => e.name).sort();
const pages = readdirSync(BOOK).filter((f) => f.endsWith('.html')).sort()
  .concat(...translations.map((t) => readdirSync(join(BOOK, t)).filter((f) => f.endsWith('.html')).sort().map((f) => `${t}/${f}`)));

// Every page in the default theme; one page of each type in the other
// (same templates, its own style sheet).
const TYPES = ['index.html', CHAPTER, 'checklist.html', '404.html', 'print.html'].filter((p) => pages.includes(p));

for (const [theme, srv] of THEMES) {
  const list = theme === 'default' ? pages : TYPES;
  for (const scheme of ['light', 'dark']) {
    test(`axe, ${theme} theme, ${scheme}: ${theme === 'default' ? 'every page' : 'each page type'} of the real book (${list.length} pages)`, async () => {
      const bad = {};
      const page = await newPage(browser, { dark: scheme === 'dark' });
      for (const p of list) {
        const v = await checkPage(srv.url + p, { page });
        if (v.length) bad[p] = v;
      }
      await page.context().close();
      assert.deepEqual(bad, {});
    }, { timeout: 240000 });
  }
}

/** Answers every quiz on the page wrong where it can, checks, ticks two tasks. */
async function answerWrongAndTick(page) {
  await page.evaluate(() => {
    for (const fs of document.querySelectorAll('fieldset.quiz-question')) {
      const right = fs.dataset.correct.trim().split(/\s+/);
      const inputs = [...fs.querySelectorAll('input')];
      const wrong = inputs.find((i) => !right.includes(i.value)) || inputs[0];
      wrong.checked = true;
    }
  });
  const checks = page.locator('.quiz-check');
  for (let i = 0; i < (await checks.count()); i++) await checks.nth(i).click();
  const boxes = page.locator('main input.task-check');
  for (let i = 0; i < Math.min(2, await boxes.count()); i++) await boxes.nth(i).check();
  assert.ok(await page.locator('.quiz-wrong').count() > 0, 'some question marked wrong');
  assert.ok(await page.locator('.quiz-explanation').first().isVisible(), 'explanation showing');
}

for (const [theme, srv] of THEMES) {
  for (const scheme of ['light', 'dark']) {
    test(`axe, ${theme} theme, ${scheme}: quiz answered wrong (feedback, answers, retry) and ticked tasks`, async () => {
      const bad = {};
      const page = await newPage(browser, { dark: scheme === 'dark' });
      const urls = [srv.url + CHAPTER];
      if (theme === 'default') urls.push(golden.url + '02-practice.html', golden.url + '01-start.html');
      for (const url of urls) {
        const v = await checkPage(url, {
          page,
          prepare: async (pg) => {
            if (await pg.locator('form.quiz').count()) await answerWrongAndTick(pg);
            else await pg.locator('main input.task-check').first().check();
          },
        });
        if (v.length) bad[url] = v;
      }
      const v = await checkPage(srv.url + 'checklist.html', {
        page,
        prepare: async (pg) => {
          const boxes = pg.locator('input.task-check');
          for (let i = 0; i < 5; i++) await boxes.nth(i).check();
        },
      });
      if (v.length) bad['checklist with ticks'] = v;
      await page.context().close();
      assert.deepEqual(bad, {});
    });
  }
}

test('axe: mode chosen with the switch against the system preference, both themes', async () => {
  const bad = {};
  for (const [theme, srv] of THEMES) {
    for (const dark of [false, true]) {
      const page = await newPage(browser, { dark });
      for (const p of ['index.html', CHAPTER]) {
        const v = await checkPage(srv.url + p, {
          page,
          prepare: async (pg) => {
            // The choice is kept: switch once, on the first page.
            if (p === 'index.html') await pg.locator('.mode-switch').click();
            const want = dark ? 'light' : 'dark';
            assert.equal(await pg.evaluate(() => document.documentElement.dataset.mode), want);
            if (await pg.locator('form.quiz').count()) await answerWrongAndTick(pg);
          },
        });
        if (v.length) bad[`${theme} ${p} (system ${dark ? 'dark' : 'light'}, switched)`] = v;
      }
      await page.context().close();
    }
  }
  assert.deepEqual(bad, {});
});

test('axe: the phone layout, both themes', async () => {
  const bad = {};
  for (const [theme, srv] of THEMES) {
    for (const dark of [false, true]) {
      const page = await newPage(browser, { dark, width: 390, height: 844 });
      for (const p of [CHAPTER, 'checklist.html']) {
        const v = await checkPage(srv.url + p, { page });
        if (v.length) bad[`${theme} ${p} ${dark ? 'dark' : 'light'}`] = v;
      }
      await page.context().close();
    }
  }
  assert.deepEqual(bad, {});
});

/** Tabs until `selector` is focused; returns its computed outline. */
async function focusStyle(page, selector) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || !el.matches(sel)) return null;
      const c = getComputedStyle(el);
      return { style: c.outlineStyle, width: parseFloat(c.outlineWidth), color: c.outlineColor, tag: el.tagName };
    }, selector);
    if (s) return s;
  }
  throw new Error(`Tab never reached ${selector}`);
}

function contrast(c1, c2) {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(c1), lum(c2)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

for (const [theme, srv] of THEMES) {
  test(`visible focus, ${theme} theme: links, buttons, checkboxes and quiz choices show an outline`, async () => {
    for (const dark of [false, true]) {
      const page = await newPage(browser, { dark });
      await page.goto(srv.url + CHAPTER);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const targets = [
        '.skip-link', '.brand', '.mode-switch', '.on-page a', 'main .body a[href]',
        'main input.task-check', 'form.quiz input', 'form.quiz summary', '.quiz-check',
        '.pager a', '#sidebar a',
      ];
      for (const sel of targets) {
        const s = await focusStyle(page, sel);
        const where = `${dark ? 'dark' : 'light'}: ${sel}`;
        assert.notEqual(s.style, 'none', `${where}: outline-style`);
        assert.ok(s.width >= 2, `${where}: outline ${s.width}px`);
        const c = contrast(s.color, bg);
        assert.ok(c >= 3, `${where}: outline contrast ${c.toFixed(2)} against the page`);
      }
      // The skip link, focused from the top of the page, is on screen.
      await page.goto(srv.url + CHAPTER);
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement.matches('.skip-link')), 'Tab from the top: skip link');
      const r = await page.locator('.skip-link').evaluate((el) => {
        const b = el.getBoundingClientRect();
        return { top: b.top, bottom: b.bottom, outline: getComputedStyle(el).outlineStyle };
      });
      assert.ok(r.top >= 0 && r.bottom <= 900, `skip link on screen when focused (${r.top}..${r.bottom})`);
      assert.notEqual(r.outline, 'none');
      await page.context().close();
    }
  });
}

await run();
