// The light/dark switch: the default follows prefers-color-scheme; the
// switch changes the mode, its choice persists across reloads and pages,
// and aria-pressed says whether dark mode is on. Both themes. Run by
// run.sh ($GOLDEN_SITE; $PAPER_SITE, the real book with --theme paper).
import { pathToFileURL } from 'node:url';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const GOLDEN = process.env.GOLDEN_SITE;
const PAPER = process.env.PAPER_SITE;
if (!GOLDEN || !PAPER) {
  console.log('theme: GOLDEN_SITE and PAPER_SITE are not set (run tests/browser/run.sh)');
  process.exit(2);
}

// A request cut short because the test moved on (the page's icon, still
// loading when the next page.goto starts) is net::ERR_ABORTED: no fault of
// the page. Missing files still show, as "HTTP 404" or another net:: error.
const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::ERR_ABORTED\)$/.test(p));

const browser = await launch();
const golden = await serve(GOLDEN);
after(() => browser.close());
after(() => golden.close());

/** Relative luminance (WCAG) of the body's background and text. */
async function colours(page) {
  return page.evaluate(() => {
    const lum = (c) => {
      const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
        const s = Number(v) / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const s = getComputedStyle(document.body);
    const bg = lum(s.backgroundColor);
    const fg = lum(s.color);
    return { bg, fg, contrast: (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05), scheme: getComputedStyle(document.documentElement).colorScheme };
  });
}

async function assertMode(page, mode, where) {
  const c = await colours(page);
  const sw = page.locator('.mode-switch');
  assert.ok(await sw.isVisible(), `${where}: switch visible`);
  if (mode === 'dark') {
    assert.ok(c.bg < 0.05, `${where}: dark background (luminance ${c.bg.toFixed(3)})`);
  } else {
    assert.ok(c.bg > 0.8, `${where}: light background (luminance ${c.bg.toFixed(3)})`);
  }
  assert.ok(c.contrast >= 7, `${where}: body text contrast ${c.contrast.toFixed(1)}`);
  assert.equal(c.scheme, mode, `${where}: color-scheme (form controls, scrollbars)`);
  assert.equal(await sw.getAttribute('aria-pressed'), mode === 'dark' ? 'true' : 'false', `${where}: aria-pressed`);
  // The quiz follows the page's mode too (its own fallbacks follow only
  // the system preference).
  if (await page.locator('form.quiz').count()) {
    const [quiz, body] = await page.evaluate(() => [
      getComputedStyle(document.querySelector('form.quiz')).color, getComputedStyle(document.body).color]);
    assert.equal(quiz, body, `${where}: quiz text colour`);
  }
}

test('the default follows the system preference', async () => {
  for (const dark of [false, true]) {
    const page = await newPage(browser, { dark });
    await page.goto(golden.url + '02-practice.html');
    await assertMode(page, dark ? 'dark' : 'light', dark ? 'system dark' : 'system light');
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-mode')), null,
      'no choice stored until the reader makes one');
    // The switch is a real button with a name.
    const sw = page.getByRole('button', { name: 'Dark mode' });
    assert.equal(await sw.count(), 1);
    assert.deepEqual(problems(page), []);
    await page.context().close();
  }
});

for (const dark of [false, true]) {
  const from = dark ? 'dark' : 'light';
  const to = dark ? 'light' : 'dark';
  test(`system ${from}: the switch turns ${to} on, kept across reloads and pages`, async () => {
    const page = await newPage(browser, { dark });
    await page.goto(golden.url + '01-start.html');
    await assertMode(page, from, 'before');
    await page.locator('.mode-switch').click();
    await assertMode(page, to, 'after click');
    await page.reload();
    await assertMode(page, to, 'after reload');
    await page.locator('#sidebar a[href="02-practice.html"]').click();
    await page.waitForURL(/02-practice\.html$/);
    await assertMode(page, to, 'next page');
    await page.goto(golden.url + 'checklist.html');
    await assertMode(page, to, 'checklist');
    await page.goto(golden.url + 'index.html');
    await assertMode(page, to, 'index');
    // Switching back works and is kept too.
    await page.locator('.mode-switch').click();
    await assertMode(page, from, 'switched back');
    await page.goto(golden.url + '01-start.html');
    await assertMode(page, from, 'switched back, other page');
    assert.deepEqual(problems(page), []);
    await page.context().close();
  });
}

test('keyboard: the switch is reachable with Tab and toggles with Enter and Space', async () => {
  const page = await newPage(browser);
  await page.goto(golden.url + 'index.html');
  for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement.matches('.mode-switch'))); i++) {
    await page.keyboard.press('Tab');
  }
  assert.ok(await page.evaluate(() => document.activeElement.matches('.mode-switch')), 'focusable early in the page');
  await page.keyboard.press('Enter');
  await assertMode(page, 'dark', 'Enter');
  await page.keyboard.press('Space');
  await assertMode(page, 'light', 'Space');
  await page.context().close();
});

test('over file:// the choice is kept too', async () => {
  const page = await newPage(browser);
  const base = pathToFileURL(GOLDEN).href + '/';
  await page.goto(base + '01-start.html');
  await page.locator('.mode-switch').click();
  await assertMode(page, 'dark', 'file, clicked');
  await page.goto(base + '02-practice.html');
  await assertMode(page, 'dark', 'file, next page');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('paper theme: follows the system, the switch overrides it both ways', async () => {
  const paper = await serve(PAPER);
  try {
    for (const dark of [false, true]) {
      const from = dark ? 'dark' : 'light';
      const to = dark ? 'light' : 'dark';
      const page = await newPage(browser, { dark });
      await page.goto(paper.url + 'index.html');
      await page.getByRole('link', { name: 'Start reading' }).click();
      await page.waitForURL((u) => !u.pathname.endsWith('/index.html'));
      await assertMode(page, from, `paper, system ${from}`);
      await page.locator('.mode-switch').click();
      await assertMode(page, to, `paper, switched to ${to}`);
      await page.goto(paper.url + 'index.html');
      await assertMode(page, to, `paper, ${to} kept on the next page`);
      assert.deepEqual(problems(page), []);
      await page.context().close();
    }
  } finally {
    await paper.close();
  }
});

await run();
