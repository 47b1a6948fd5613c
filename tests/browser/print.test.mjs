// The whole book on one page (print.html) and the print styles of every
// page: every chapter in book order, cross-links that stay in the page and
// land on their heading, no id used twice, no navigation on paper and the
// address of each external link printed after it. Both themes. Run by
// run.sh ($BOOK_SITE, $PAPER_SITE).
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const BOOK = process.env.BOOK_SITE;
const PAPER = process.env.PAPER_SITE;
if (!BOOK || !PAPER) {
  console.log('print: BOOK_SITE and PAPER_SITE are not set (run tests/browser/run.sh)');
  process.exit(2);
}

const browser = await launch();
after(() => browser.close());
const sites = {};
for (const [theme, dir] of [['default', BOOK], ['paper', PAPER]]) {
  sites[theme] = await serve(dir);
  after(() => sites[theme].close());
}
const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::ERR_ABORTED\)$/.test(p));

/** Whether `sel` matches nothing visible on the page. */
async function hidden(page, sel) {
  return page.evaluate((s) => [...document.querySelectorAll(s)].every((e) => {
    const r = e.getBoundingClientRect();
    return getComputedStyle(e).display === 'none' || (r.width === 0 && r.height === 0);
  }), sel);
}

for (const theme of ['default', 'paper']) {
  test(`${theme}: print.html holds every chapter in order`, async () => {
    const { url } = sites[theme];
    const page = await newPage(browser);
    await page.goto(`${url}index.html`);
    const chapters = await page.$$eval('.chapter-list a', (as) => as.map((a) => ({
      slug: a.getAttribute('href').replace(/\.html$/, ''),
      title: (() => {
        const c = a.cloneNode(true);
        const label = c.querySelector('.step-no');
        if (label) label.remove();
        return c.textContent.trim();
      })(),
    })));
    assert.ok(chapters.length >= 2);
    // the sidebar links to it
    await page.click('.extra-list a[href="print.html"]');
    await page.waitForURL(/print\.html$/);
    const sections = await page.$$eval('section.print-chapter', (ss) => ss.map((s) => ({
      slug: s.id,
      title: s.querySelector('.chapter-title').textContent.trim(),
      body: s.querySelector('.body').textContent.length,
    })));
    assert.deepEqual(sections.map((s) => s.slug), chapters.map((c) => c.slug));
    assert.deepEqual(sections.map((s) => s.title), chapters.map((c) => c.title));
    for (const s of sections) assert.ok(s.body > 200, `${s.slug} has its text`);
    // the contents list links to each chapter
    const toc = await page.$$eval('.print-toc > ol > li > a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(toc, chapters.map((c) => `#${c.slug}`));
    // one h1, the book's title; chapters are h2, their sections h3...
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('section.print-chapter .body h2').count(), 0);
    assert.deepEqual(problems(page), []);
    await page.context().close();
  });

  test(`${theme}: print.html has unique ids and in-page cross-links`, async () => {
    const { url } = sites[theme];
    const page = await newPage(browser);
    await page.goto(`${url}print.html`);
    const ids = await page.$$eval('[id]', (es) => es.map((e) => e.id));
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    assert.deepEqual(dup, [], 'duplicate ids');
    // every same-document link has its target
    const local = await page.$$eval('a[href^="#"]', (as) => as.map((a) => a.getAttribute('href').slice(1)));
    const missing = local.filter((id) => !ids.includes(decodeURIComponent(id)));
    assert.deepEqual(missing, [], 'links to missing ids');
    // chapter text never links to another page of the site
    const away = await page.$$eval('.print-chapter .body a[href]', (as) => as.map((a) => a.getAttribute('href'))
      .filter((h) => /\.html(#|$)/.test(h) && !/^[a-z]+:/i.test(h)));
    assert.deepEqual(away, []);
    // a cross-link to another chapter's heading lands on it
    const cross = await page.evaluate(() => {
      for (const a of document.querySelectorAll('.print-chapter .body a[href^="#"]')) {
        const target = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
        const from = a.closest('.print-chapter');
        if (target && /^H[2-6]$/.test(target.tagName) && target.closest('.print-chapter') !== from) {
          a.setAttribute('data-probe', '1');
          return { href: a.getAttribute('href'), from: from.id, to: target.closest('.print-chapter').id };
        }
      }
      return null;
    });
    assert.ok(cross, 'a cross-link between chapters');
    assert.match(cross.href, new RegExp(`^#${cross.to}--`));
    await page.click('a[data-probe]');
    await page.waitForFunction((h) => location.hash === h, cross.href);
    // (scrolling may be smooth: wait for it to arrive)
    await page.waitForFunction((h) => {
      const r = document.getElementById(decodeURIComponent(h.slice(1))).getBoundingClientRect();
      return r.top >= -2 && r.top < innerHeight / 2;
    }, cross.href, { timeout: 5000 });
    assert.deepEqual(problems(page), []);
    await page.context().close();
  });

  test(`${theme}: print media hides navigation and shows link addresses`, async () => {
    const { url } = sites[theme];
    for (const file of ['print.html', '01-introduction.html', 'index.html', 'checklist.html']) {
      const page = await newPage(browser);
      await page.goto(`${url}${file}`);
      const nav = '.topbar, .sidebar, .site-footer, .pager, .skip-link, .offline, .mode-switch, .search-panel';
      assert.equal(await hidden(page, nav), false, `${file}: navigation shows on screen`);
      await page.emulateMedia({ media: 'print' });
      assert.ok(await hidden(page, nav), `${file}: navigation hidden in print`);
      assert.ok(await hidden(page, '.print-tools, .checklist-tools, .on-page'), `${file}: tools hidden in print`);
      // external links print their address
      const after = await page.evaluate(() => {
        const a = document.querySelector('.body a[href^="http"]');
        return a ? [a.getAttribute('href'), getComputedStyle(a, '::after').content] : null;
      });
      if (file === 'print.html' || file === '01-introduction.html') {
        assert.ok(after, `${file}: has an external link`);
        assert.ok(after[1].includes(after[0]), `${file}: ${after[1]} shows ${after[0]}`);
      }
      // in-page links print no address
      const inner = await page.evaluate(() => {
        const a = document.querySelector('.body a[href^="#"]');
        return a ? getComputedStyle(a, '::after').content : 'none';
      });
      assert.ok(inner === 'none' || inner === 'normal', `${file}: in-page link prints no address (${inner})`);
      if (file === 'print.html') {
        const breaks = await page.$$eval('section.print-chapter', (ss) => ss.map((s) => getComputedStyle(s).breakBefore));
        assert.ok(breaks.every((b) => b === 'page'), `each chapter starts a page: ${breaks}`);
        const pdf = await page.pdf({ format: 'A5' });
        assert.ok(pdf.length > 10000, 'prints to PDF');
      }
      assert.deepEqual(problems(page), []);
      await page.context().close();
    }
  });
}

await run();
