// Phone layout (390x844): no horizontal scrolling on any page (both
// themes), the skip link shows when focused and moves focus to the
// content, tap targets are at least 24px high (or far enough apart), text
// is large enough. Also no horizontal scrolling at 1280x900. Run by run.sh
// ($BOOK_SITE, $PAPER_SITE, $GOLDEN_SITE).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const BOOK = process.env.BOOK_SITE;
const GOLDEN = process.env.GOLDEN_SITE;
const PAPER = process.env.PAPER_SITE;
if (!BOOK || !GOLDEN || !PAPER) {
  console.log('layout: BOOK_SITE, PAPER_SITE and GOLDEN_SITE are not set (run tests/browser/run.sh)');
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
const golden = await serve(GOLDEN);
const paper = await serve(PAPER);
after(() => paper.close());
after(() => browser.close());
after(() => book.close());
after(() => golden.close());

const PHONE = { width: 390, height: 844 };

/** Elements wider than the viewport, to say what overflows. */
async function overflow(page) {
  return page.evaluate(() => {
    const se = document.scrollingElement;
    if (se.scrollWidth <= innerWidth) return null;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 1 && getComputedStyle(el).position !== 'fixed') {
        // Report the outermost offenders only.
        if (!wide.some((w) => w.el.contains(el))) wide.push({ el, right: Math.round(r.right) });
      }
      if (wide.length > 5) break;
    }
    return `scrollWidth ${se.scrollWidth} > ${innerWidth}: ` +
      wide.map((w) => `${w.el.tagName.toLowerCase()}.${[...w.el.classList].join('.')} (right ${w.right})`).join(', ');
  });
}

async function pagesOf(srv, dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.html')).sort().map((f) => srv.url + f);
}

// Light and dark share every size, so one scheme each is enough.
for (const [size, dark] of [[PHONE, false], [{ width: 1280, height: 900 }, true]]) {
  test(`${size.width}x${size.height}: no horizontal scrolling on any page`, async () => {
    const urls = [...(await pagesOf(book, BOOK)), ...(await pagesOf(golden, GOLDEN)), ...(await pagesOf(paper, PAPER))];
    const bad = [];
    {
      const page = await newPage(browser, { ...size, dark });
      for (const url of urls) {
        await page.goto(url);
        const o = await overflow(page);
        if (o) bad.push(`${url} ${dark ? 'dark' : 'light'}: ${o}`);
      }
      // With a quiz answered (icons, feedback and answers showing).
      await page.goto(golden.url + '02-practice.html');
      await page.locator('.quiz-choice').first().click();
      await page.locator('.quiz-check').click();
      const o = await overflow(page);
      if (o) bad.push(`quiz answered: ${o}`);
      assert.deepEqual(problems(page), []);
      await page.context().close();
    }
    assert.deepEqual(bad, []);
  });
}

test('phone: the skip link shows on focus and moves focus to the content', async () => {
  const page = await newPage(browser, PHONE);
  for (const url of [book.url + 'index.html', book.url + CHAPTER, book.url + 'checklist.html']) {
    await page.goto(url);
    const link = page.locator('.skip-link');
    const hidden = await link.boundingBox();
    assert.ok(!hidden || hidden.y + hidden.height <= 0, `${url}: skip link out of sight before focus`);
    await page.keyboard.press('Tab');
    assert.ok(await link.evaluate((el) => el === document.activeElement), 'first Tab reaches the skip link');
    const box = await link.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height && box.x >= 0 && box.x + box.width <= PHONE.width,
      `${url}: skip link inside the viewport when focused (${JSON.stringify(box)})`);
    assert.ok(box.height >= 24, 'skip link at least 24px high');
    // Readable: its text contrasts with its own background.
    const [fg, bg] = await link.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    assert.notEqual(fg, bg);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'focus moved to <main>');
    assert.ok(new URL(page.url()).hash === '#main');
    // The next Tab goes into the content, not back to the header.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('main')), 'next Tab stays in <main>');
  }
  await page.context().close();
});

test('phone: tap targets are at least 24px high (or 24px apart)', async () => {
  const page = await newPage(browser, PHONE);
  const bad = [];
  // Controls that stand alone: at least 24x24 CSS px.
  const targets = [
    '#sidebar a', '.pager a', '.topbar a', '.topbar button', '.card a', '.button',
    '.quiz-choice', 'form.quiz button', 'details.quiz-answer summary',
    '.checklist-tools button', 'main input.task-check + label',
  ];
  // Links in lists of links: smaller is fine when their centres are at
  // least 24px apart (the spacing exception of WCAG 2.5.8).
  const lists = ['.on-page a', '.backlinks a', '.task-list a.task-source'];
  for (const url of [book.url + 'index.html', book.url + CHAPTER, book.url + 'checklist.html', book.url + '404.html']) {
    await page.goto(url);
    const small = await page.evaluate(([sels, lsels]) => {
      const out = [];
      const shown = (r) => r.width > 0 && r.height > 0;
      for (const sel of sels) {
        for (const el of document.querySelectorAll(sel)) {
          const r = el.getBoundingClientRect();
          if (!shown(r)) continue;
          if (r.height < 24 || r.width < 24) out.push(`${sel} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
        }
      }
      for (const sel of lsels) {
        const rs = [...document.querySelectorAll(sel)].map((el) => [el, el.getBoundingClientRect()]).filter(([, r]) => shown(r));
        rs.forEach(([el, r], i) => {
          if (r.height >= 24) return;
          const cy = r.top + r.height / 2;
          const near = rs.some(([, q], j) => j !== i && Math.abs(q.top + q.height / 2 - cy) < 24 &&
            q.left < r.right + 24 && r.left < q.right + 24);
          if (near) out.push(`${sel} "${el.textContent.trim().slice(0, 30)}" ${Math.round(r.height)}px high, less than 24px from the next`);
        });
      }
      return out;
    }, [targets, lists]);
    bad.push(...small.map((s) => `${url.split('/').pop()}: ${s}`));
  }
  // Sidebar links specifically: every one, on a chapter.
  await page.goto(book.url + CHAPTER);
  const heights = await page.locator('#sidebar a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height));
  assert.ok(heights.length >= 8);
  assert.ok(heights.every((h) => h >= 24), `sidebar link heights ${heights}`);
  assert.deepEqual(bad, []);
  await page.context().close();
});

test('phone: text is not too small and lines are not too long', async () => {
  const page = await newPage(browser, PHONE);
  await page.goto(book.url + CHAPTER);
  const { body, minSize } = await page.evaluate(() => {
    let min = Infinity;
    for (const el of document.querySelectorAll('main p, main li, main label, #sidebar a')) {
      if (!el.textContent.trim()) continue;
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
    }
    return { body: parseFloat(getComputedStyle(document.querySelector('main .body p')).fontSize), minSize: min };
  });
  assert.ok(body >= 16, `body text ${body}px`);
  assert.ok(minSize >= 12, `smallest text ${minSize}px`);
  // The viewport meta is there (else phones zoom out to 980px).
  assert.match(await page.locator('meta[name=viewport]').getAttribute('content'), /width=device-width/);
  await page.context().close();
});

await run();
