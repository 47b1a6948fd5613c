// Screenshots for people to look at (not compared with anything): index,
// a chapter, the checklist page with some ticks, a quiz before and after
// answering, the end of a chapter, the 404 page, at 390x844 and 1280x900,
// light and dark; a smaller set in the paper theme. Written to
// ${SHOTS:-/tmp/stepbook-shots} as [paper-]NAME-WIDTH-MODE.png, never into
// the repository. Run by run.sh ($BOOK_SITE, $PAPER_SITE).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const BOOK = process.env.BOOK_SITE;
const PAPER = process.env.PAPER_SITE;
if (!BOOK || !PAPER) {
  console.log('screenshots: BOOK_SITE and PAPER_SITE are not set (run tests/browser/run.sh)');
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
const SHOTS = process.env.SHOTS || '/tmp/stepbook-shots';
mkdirSync(SHOTS, { recursive: true });

// A request cut short because the test moved on (the page's icon, still
// loading when the next page.goto starts) is net::ERR_ABORTED: no fault of
// the page. Missing files still show, as "HTTP 404" or another net:: error.
const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::ERR_ABORTED\)$/.test(p));

const browser = await launch();
const book = await serve(BOOK);
const paper = await serve(PAPER);
after(() => browser.close());
after(() => book.close());
after(() => paper.close());

async function shoot(srv, prefix, size, mode, all) {
  const page = await newPage(browser, { ...size, dark: mode === 'dark' });
  // No smooth scrolling or caret blinking in the pictures.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const shot = (name, opts = {}) => page.screenshot({
    path: join(SHOTS, `${prefix}${name}-${size.width}-${mode}.png`),
    fullPage: !!opts.fullPage,
    animations: 'disabled',
    caret: 'hide',
  });
  // Viewport-sized pictures of a part of the page (a whole chapter or
  // quiz is too tall to look at).
  const scrollTo = (sel, off = 16) => page.evaluate(([s, o]) => {
    const el = document.querySelector(s);
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - o);
  }, [sel, off]);

  await page.goto(srv.url + 'index.html');
  await shot('index', { fullPage: true });

  await page.goto(srv.url + CHAPTER);
  await shot('chapter');
  if (all) {
    // A task list, one item ticked.
    const tasks = page.locator('main ul:has(input.task-check)').first();
    await tasks.locator('input.task-check').first().check();
    await scrollTo('main ul:has(input.task-check)', 120);
    await shot('chapter-tasks');
    await scrollTo('form.quiz');
    await shot('quiz-before');
  }
  // Answer: the first question right, the others wrong, then check.
  const quiz = page.locator('form.quiz').first();
  await quiz.evaluate((form) => {
    form.querySelectorAll('fieldset.quiz-question').forEach((fs, i) => {
      const right = fs.dataset.correct.trim().split(/\s+/);
      const inputs = [...fs.querySelectorAll('input')];
      const pick = i === 0 ? inputs.filter((x) => right.includes(x.value))
        : [inputs.find((x) => !right.includes(x.value)) || inputs[0]];
      pick.forEach((x) => { x.checked = true; });
    });
  });
  await quiz.locator('.quiz-check').click();
  await scrollTo('form.quiz');
  await shot('quiz-after');
  await scrollTo('form.quiz .quiz-score', size.height - 80);
  await shot('quiz-after-end');
  if (all) {
    // The page bottom: notes, backlinks and pager.
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
    await shot('chapter-end');
  }

  await page.goto(srv.url + 'checklist.html');
  const boxes = page.locator('input.task-check');
  const n = await boxes.count();
  for (const i of [0, 1, 3, 12].filter((x) => x < n)) await boxes.nth(i).check();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('checklist');

  if (all) {
    await page.goto(srv.url + '404.html');
    await shot('404');
  }
  assert.deepEqual(problems(page), []);
  await page.context().close();
}

for (const size of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
  for (const mode of ['light', 'dark']) {
    test(`screenshots ${size.width}x${size.height} ${mode}`, () => shoot(book, '', size, mode, true));
    test(`screenshots ${size.width}x${size.height} ${mode}, paper theme`, () => shoot(paper, 'paper-', size, mode, false));
  }
}

await run();
