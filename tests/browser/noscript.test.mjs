// The website with JavaScript off: quizzes still show their choices and a
// "Show answer" that opens; task items read as a list with labels; the
// sidebar and the pages work; only controls that need script are hidden.
// Run by run.sh ($GOLDEN_SITE, $BOOK_SITE).
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const GOLDEN = process.env.GOLDEN_SITE;
const BOOK = process.env.BOOK_SITE;
if (!GOLDEN || !BOOK) {
  console.log('noscript: GOLDEN_SITE and BOOK_SITE are not set (run tests/browser/run.sh)');
  process.exit(2);
}

// Controls that only script can make work; everything else must show.
const SCRIPT_ONLY = ['.mode-switch', '.search-toggle', '.search-panel', '.search-results', '.offline', '.quiz-check', '.quiz-retry', '.clear-tasks', '.print-page'];

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

const noJs = (opts = {}) => newPage(browser, { javaScriptEnabled: false, ...opts });

test('quiz: choices show and work, "Show answer" opens on the explanation', async () => {
  const page = await noJs();
  await page.goto(golden.url + '02-practice.html');
  const qs = page.locator('fieldset.quiz-question');
  assert.equal(await qs.count(), 2);
  for (let i = 0; i < 2; i++) {
    const q = qs.nth(i);
    assert.ok(await q.locator('legend').isVisible());
    const choices = q.locator('.quiz-choice');
    for (let c = 0; c < (await choices.count()); c++) {
      assert.ok(await choices.nth(c).isVisible(), `q${i + 1} choice ${c + 1} visible`);
      assert.ok(await choices.nth(c).locator('input').isEnabled());
    }
    const details = q.locator('details.quiz-answer');
    assert.ok(await details.locator('summary').isVisible());
    assert.equal(await details.locator('summary').innerText(), 'Show answer');
    assert.ok(!(await details.evaluate((d) => d.open)), 'closed at first');
  }
  // Picking works without script (label click).
  await qs.nth(0).locator('.quiz-choice', { hasText: 'book.yml' }).click();
  assert.ok(await qs.nth(0).locator('input[value="1"]').isChecked());
  await qs.nth(1).locator('.quiz-choice', { hasText: 'a website' }).click();
  await qs.nth(1).locator('.quiz-choice', { hasText: 'an EPUB' }).click();
  assert.equal(await qs.nth(1).locator('input:checked').count(), 2, 'pick-all takes several');

  const q1 = qs.nth(0);
  assert.ok(!(await q1.locator('.quiz-explanation').isVisible()));
  await q1.locator('summary').click();
  assert.ok(await q1.locator('details').evaluate((d) => d.open));
  assert.ok(await q1.locator('.quiz-explanation').isVisible());
  assert.match(await q1.locator('.quiz-explanation').innerText(), /The settings live in book\.yml/);
  assert.match(await q1.locator('.quiz-key').innerText(), /Answer:\s*book\.yml/);
  await qs.nth(1).locator('summary').click();
  assert.deepEqual(await qs.nth(1).locator('.quiz-key-list li').allInnerTexts(), ['a website', 'an EPUB']);

  // The check button would do nothing: it stays hidden, so does the score.
  assert.ok(!(await page.locator('.quiz-check').isVisible()));
  assert.ok(!(await page.locator('.quiz-retry').isVisible()));
  // Submitting (Enter in a choice) must not leave the page for a broken URL.
  const before = page.url();
  await q1.locator('input[value="1"]').press('Enter');
  await page.waitForTimeout(200);
  assert.equal(new URL(page.url()).pathname, new URL(before).pathname, 'Enter does not navigate away');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('task items read as a list of labelled checkboxes', async () => {
  const page = await noJs();
  for (const [file, n] of [['01-start.html', 3], ['checklist.html', 4]]) {
    await page.goto(golden.url + file);
    const boxes = page.locator('main input.task-check');
    assert.equal(await boxes.count(), n, file);
    for (let i = 0; i < n; i++) {
      const b = boxes.nth(i);
      assert.ok(await b.isVisible(), `${file}: box ${i} visible`);
      assert.equal(await b.evaluate((e) => e.closest('li')?.parentElement.tagName), 'UL', 'in a list');
      // The accessible name is the item's text, from its <label>.
      const name = await b.evaluate((e) => e.labels?.[0]?.textContent.trim());
      assert.ok(name, `${file}: box ${i} has a label`);
      assert.ok(await page.getByRole('checkbox', { name, exact: true }).first().isVisible());
    }
    // The list is still a list for assistive tech.
    const roles = await page.locator('main ul:has(input.task-check)').first().evaluate((ul) =>
      [getComputedStyle(ul).display, ul.querySelectorAll(':scope > li').length]);
    assert.equal(roles[0], 'block');
    // Ticking works locally (not saved without script).
    await boxes.first().click();
    assert.ok(await boxes.first().isChecked());
  }
  // Without script the progress reads as a plain count.
  await page.goto(golden.url + '01-start.html');
  assert.match(await page.locator('.chapter-head .chapter-progress').innerText(), /^3 actions?$/);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('sidebar, prev/next and the index links work', async () => {
  const page = await noJs();
  await page.goto(book.url + 'index.html');
  const order = await page.locator('.chapter-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const at = (f) => (u) => u.pathname.endsWith(`/${f}`);
  await page.getByRole('link', { name: 'Start reading' }).click();
  await page.waitForURL(at(order[0]));
  await page.locator('.pager a[rel=next]').click();
  await page.waitForURL(at(order[1]));
  await page.locator('#sidebar a[href="checklist.html"]').click();
  await page.waitForURL(at('checklist.html'));
  assert.ok(await page.locator('#sidebar').isVisible());
  const last = order[order.length - 1];
  await page.locator(`#sidebar a[href="${last}"]`).click();
  await page.waitForURL(at(last));
  assert.equal(await page.locator('#sidebar [aria-current="page"]').getAttribute('href'), last);
  // The phone "Contents" link jumps to the sidebar.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.contents-link').click();
  await page.waitForFunction(() => location.hash === '#sidebar');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('every page: nothing but script-only controls is hidden', async () => {
  const page = await noJs();
  for (const [srv, dir] of [[golden, GOLDEN], [book, BOOK]]) {
    const { readdirSync } = await import('node:fs');
    const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length >= 5);
    for (const p of pages) {
      const resp = await page.goto(srv.url + p);
      assert.equal(resp.status(), 200, p);
      const bad = await page.evaluate((allowed) => {
        const out = [];
        for (const el of document.querySelectorAll('body [hidden]')) {
          if (!allowed.some((s) => el.matches(s))) out.push(el.outerHTML.slice(0, 120));
        }
        // Text in <main> that is not rendered, outside closed <details>
        // (display:none from a stylesheet, zero size, visibility hidden).
        for (const el of document.querySelectorAll('main *')) {
          if (el.closest('details:not([open])') && !el.closest('summary')) continue;
          if (el.closest('[hidden]') || el.closest('svg')) continue;
          if (!el.childNodes.length || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
          const s = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          if (s.display === 'none' || s.visibility === 'hidden' || r.width === 0 || r.height === 0) {
            out.push(`not shown: ${el.outerHTML.slice(0, 120)}`);
          }
        }
        return out;
      }, SCRIPT_ONLY);
      assert.deepEqual(bad, [], p);
      // The script-only controls are indeed out of sight.
      for (const s of SCRIPT_ONLY) {
        const loc = page.locator(s);
        for (let i = 0; i < (await loc.count()); i++) {
          assert.ok(!(await loc.nth(i).isVisible()), `${p}: ${s} should be hidden without script`);
        }
      }
    }
  }
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('dark preference applies without script', async () => {
  const page = await noJs({ dark: true });
  await page.goto(golden.url + '01-start.html');
  const lum = await page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
  assert.ok(lum < 0.2, `dark background (luminance ${lum.toFixed(2)})`);
  await page.context().close();
});

await run();
