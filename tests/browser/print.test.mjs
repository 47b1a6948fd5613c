// The whole book on one page (print.html) and the print styles of every
// page: every chapter in book order, cross-links that stay in the page and
// land on their heading, no id used twice, no navigation on paper and the
// address of each external link printed after it. Then print.html printed
// to PDF by Chromium itself (--print-to-pdf) and read back with pdftotext:
// every quiz answer and explanation of the book on paper (with script,
// without, and through quiz.js where a browser cannot style
// ::details-content), a page number at the foot of every page but the
// first, an unnumbered contents list, no question or callout split between
// pages. Both themes. Run by run.sh ($BOOK_SITE, $PAPER_SITE); a page of
// quizzes of each printout goes to $SHOTS as PNG, to look at.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  launch, newPage, serve, test, run, after, assert, CHROMIUM, CHROMIUM_ARGS,
} from './lib.mjs';

const exec = promisify(execFile);

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
const SHOTS = process.env.SHOTS || '/tmp/stepbook-shots';
const CONTENT = new URL('../../content/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stepbook-print-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The questions of the shipped book's quizzes (content/*.md), each
 * {prompt, explained}: whether it has a `>` explanation. */
function bookQuestions() {
  const questions = [];
  for (const f of readdirSync(CONTENT).filter((n) => n.endsWith('.md')).sort()) {
    let inQuiz = false;
    for (const line of readFileSync(join(CONTENT, f), 'utf8').split('\n')) {
      if (/^```quiz\s*$/.test(line)) inQuiz = true;
      else if (inQuiz && /^```\s*$/.test(line)) inQuiz = false;
      else if (inQuiz && line.startsWith('? ')) questions.push({ prompt: line.slice(2), explained: false });
      else if (inQuiz && line.startsWith('>')) questions[questions.length - 1].explained = true;
    }
  }
  return questions;
}

/** Text as compared with pdftotext's: no white space, no hyphens (lines
 * wrap, and may be hyphenated), compatibility forms folded (ligatures). */
const squash = (t) => t.normalize('NFKC').replace(/[\s\u00ad\u2010-]+/g, '');

/** Prints `url` with Chromium's own --print-to-pdf, as saving the page
 * as a PDF does, without the browser's header and footer; returns the
 * file and the text of each page. */
async function chromiumPdf(url, name, extra = []) {
  const pdf = join(work, `${name}.pdf`);
  await exec(CHROMIUM, [
    ...CHROMIUM_ARGS, `--user-data-dir=${join(work, `${name}-profile`)}`,
    '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, ...extra, url,
  ], { timeout: 90000 });
  return { pdf, pages: await pdfPages(pdf) };
}

/** The text of each page of a PDF (pdftotext ends each with a form feed). */
async function pdfPages(pdf) {
  const { stdout } = await exec('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 1 << 26 });
  const pages = stdout.split('\f');
  if (pages.length && !pages[pages.length - 1].trim()) pages.pop();
  return pages;
}

/** What print.html shows of each quiz question and callout, from the page. */
async function printedParts(page) {
  return page.evaluate(() => {
    const text = (e) => (e ? e.textContent.replace(/\s+/g, ' ').trim() : '');
    return {
      questions: [...document.querySelectorAll('.print-chapter fieldset.quiz-question')].map((q) => {
        const legend = q.querySelector('legend').cloneNode(true);
        legend.querySelector('.quiz-number')?.remove();
        return {
          prompt: text(legend),
          key: text(q.querySelector('.quiz-key')),
          explanation: text(q.querySelector('.quiz-explanation')),
        };
      }),
      callouts: [...document.querySelectorAll('.print-chapter .callout')].map((c) => {
        const body = c.cloneNode(true);
        body.querySelector('.callout-title')?.remove();
        return text(body);
      }),
      chapters: [...document.querySelectorAll('.print-chapter .chapter-title')].map(text),
    };
  });
}

/** The page (0-based) whose text holds `t`, or -1. */
function pageOf(pages, t) {
  const want = squash(t);
  return pages.findIndex((p) => squash(p).includes(want));
}

/** Every explanation and answer of `parts` is in the printout. */
function assertAnswersPrinted(pages, parts, what) {
  const all = squash(pages.join('\n'));
  const missing = parts.questions.filter((q) => !all.includes(squash(q.explanation)) || !all.includes(squash(q.key)));
  assert.deepEqual(missing.map((q) => q.prompt), [], `${what}: questions printed without their answer or explanation`);
  assert.ok(!/Show answer/.test(pages.join('\n')), `${what}: "Show answer" is printed`);
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

  test(`${theme}: Chromium prints print.html with every answer, page numbers and an unnumbered contents list`, async () => {
    const { url } = sites[theme];
    const page = await newPage(browser);
    await page.goto(`${url}print.html`);
    const parts = await printedParts(page);
    await page.context().close();
    // every question of the book is in print.html, with its explanation
    const book = bookQuestions();
    assert.ok(book.length >= 10, `the book has quizzes (${book.length} questions)`);
    assert.deepEqual(parts.questions.length, book.length, 'questions in print.html');
    assert.equal(parts.questions.filter((q) => q.explanation).length, book.filter((q) => q.explained).length);
    assert.ok(parts.questions.every((q) => q.key && q.explanation), 'every question has an answer and an explanation');

    const { pdf, pages } = await chromiumPdf(`${url}print.html`, `${theme}-script`);
    assert.ok(pages.length > 10, `${pages.length} pages`);
    assertAnswersPrinted(pages, parts, 'with script');
    // a question and its answer, a callout, never split between pages
    for (const q of parts.questions) {
      const at = pageOf(pages, q.prompt);
      assert.ok(at >= 0, `printed: ${q.prompt}`);
      assert.equal(pageOf(pages.slice(at), q.explanation), 0, `"${q.prompt}" and its explanation on page ${at + 1}`);
    }
    assert.ok(parts.callouts.length >= 3);
    for (const c of parts.callouts) {
      // (a link's address is printed after it: the words of the page, not
      // of the callout, around it)
      const words = c.split(' ');
      const head = words.slice(0, 5).join(' ');
      const tail = words.slice(-3).join(' ');
      const at = pageOf(pages, head);
      assert.ok(at >= 0, `printed: ${head}`);
      assert.equal(pageOf(pages.slice(at), tail), 0, `the callout "${head} ... ${tail}" on one page (${at + 1})`);
    }
    // the page number at the foot of every page but the first
    const last = (p) => p.trim().split('\n').pop().trim();
    assert.notEqual(last(pages[0]), '1', 'no number on the first page');
    const unnumbered = pages.map((p, i) => [i + 1, last(p)]).slice(1).filter(([n, l]) => l !== String(n));
    assert.deepEqual(unnumbered, [], 'pages whose foot is not their number');
    // the contents list (before the chapters) gives the titles alone
    for (const title of parts.chapters) {
      const line = pages.join('\n').split('\n').find((l) => l.includes(title));
      assert.ok(line, `contents list: ${title}`);
      assert.equal(line.trim(), title, 'the contents list is unnumbered');
    }
    // a page of quizzes, for people to look at
    const quizPage = pageOf(pages, parts.questions[0].explanation) + 1;
    mkdirSync(SHOTS, { recursive: true });
    await exec('pdftoppm', ['-f', String(quizPage), '-l', String(quizPage), '-r', '70', '-png', '-singlefile',
      pdf, join(SHOTS, `print-${theme}-quiz-page`)]);
  }, { timeout: 150000 });

  test(`${theme}: without script, the print style sheet alone prints every answer`, async () => {
    const { url } = sites[theme];
    const page = await newPage(browser);
    await page.goto(`${url}print.html`);
    const parts = await printedParts(page);
    await page.context().close();
    // (Chromium's --print-to-pdf needs script: printed through the
    // DevTools protocol instead)
    const off = await newPage(browser, { javaScriptEnabled: false });
    await off.goto(`${url}print.html`);
    const pdf = join(work, `${theme}-noscript.pdf`);
    await off.pdf({ path: pdf, format: 'A4' });
    await off.context().close();
    assertAnswersPrinted(await pdfPages(pdf), parts, 'without script');
  }, { timeout: 150000 });

  test(`${theme}: where ::details-content is not styled, quiz.js opens the answers to print and closes them after`, async () => {
    const { url } = sites[theme];
    const page = await newPage(browser);
    await page.goto(`${url}print.html`);
    const parts = await printedParts(page);
    // as in a browser that does not know ::details-content: closed
    // answers stay closed whatever quiz.css says
    await page.addStyleTag({ content: '.quiz-answer:not([open])::details-content { content-visibility: hidden !important; }' });
    const pdf = join(work, `${theme}-fallback.pdf`);
    await page.pdf({ path: pdf, format: 'A4' });
    assertAnswersPrinted(await pdfPages(pdf), parts, 'through quiz.js');
    assert.equal(await page.locator('details.quiz-answer[open]').count(), 0, 'answers closed again after printing');
    assert.deepEqual(problems(page), []);
    await page.context().close();
  }, { timeout: 150000 });

  test(`${theme}: print media keeps questions, table rows and callouts whole`, async () => {
    const { url } = sites[theme];
    const page = await newPage(browser);
    await page.goto(`${url}print.html`);
    await page.emulateMedia({ media: 'print' });
    const style = await page.evaluate(() => {
      // a table row as a chapter would have one (the book has no table)
      const table = document.createElement('table');
      table.innerHTML = '<tbody><tr><td>a</td><td>b</td></tr></tbody>';
      document.querySelector('.print-chapter .body').append(table);
      const get = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
      return {
        question: get('.print-chapter .quiz-question', 'breakInside'),
        row: get('.print-chapter .body tr', 'breakInside'),
        callout: get('.print-chapter .callout', 'breakInside'),
        toc: get('.print-toc ol', 'listStyleType'),
        summary: get('.print-chapter .quiz-answer summary', 'display'),
      };
    });
    assert.deepEqual(style, { question: 'avoid', row: 'avoid', callout: 'avoid', toc: 'none', summary: 'none' });
    await page.context().close();
  });
}

await run();
