// Quizzes on the website: check, score, explain, retry the missed
// questions, saved results, pick-all questions, keyboard-only use and the
// live regions. Over http and over file://. Run by run.sh, which builds the
// golden book into $GOLDEN_SITE; its chapter 02-practice has one quiz:
//   q1 (radio):    "chapter.md" / "book.yml" (right), with an explanation
//   q2 (pick-all): "a website" (right) / "an EPUB" (right) / "a PDF"
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const SITE = process.env.GOLDEN_SITE;
const BOOK = process.env.BOOK_SITE;
if (!SITE || !BOOK) {
  console.log('quiz: GOLDEN_SITE and BOOK_SITE are not set (run tests/browser/run.sh)');
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
const PAGE = '02-practice.html';
const Q1 = 'fieldset[id="02-practice-quiz-1-q1"]';
const Q2 = 'fieldset[id="02-practice-quiz-1-q2"]';

// A request cut short because the test moved on (the page's icon, still
// loading when the next page.goto starts) is net::ERR_ABORTED: no fault of
// the page. Missing files still show, as "HTTP 404" or another net:: error.
const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::ERR_ABORTED\)$/.test(p));

const browser = await launch();
const server = await serve(SITE);
after(() => browser.close());
after(() => server.close());

const bases = {
  http: server.url,
  file: pathToFileURL(SITE).href + '/',
};

/** Picks the choices whose text is listed (label clicks), unpicks the rest. */
async function answer(page, q, texts) {
  const choices = page.locator(`${q} .quiz-choice`);
  for (let i = 0; i < (await choices.count()); i++) {
    const c = choices.nth(i);
    const want = texts.includes((await c.innerText()).trim());
    const input = c.locator('input');
    if ((await input.isChecked()) !== want) await c.click();
  }
}

async function state(page, q) {
  return page.locator(q).evaluate((fs) => ({
    right: fs.classList.contains('quiz-right'),
    wrong: fs.classList.contains('quiz-wrong'),
    feedback: fs.querySelector('.quiz-feedback').textContent.trim(),
    open: fs.querySelector('details.quiz-answer').open,
    checked: Array.from(fs.querySelectorAll('input')).map((i) => i.checked),
    disabled: Array.from(fs.querySelectorAll('input')).map((i) => i.disabled),
  }));
}

const score = (page) => page.locator('.quiz-score').innerText().then((s) => s.trim());

async function check(page) {
  await page.locator('.quiz-check').click();
}

for (const [proto, base] of Object.entries(bases)) {
  test(`${proto}: wrong answer, explanation, score, saved, retry only the missed, right answer`, async () => {
    const page = await newPage(browser);
    await page.goto(base + PAGE);

    // Before checking: the check button shows, retry and score do not.
    assert.ok(await page.locator('.quiz-check').isVisible(), 'check button visible');
    assert.ok(!(await page.locator('.quiz-retry').isVisible()), 'retry hidden at first');
    assert.equal(await score(page), '');
    assert.ok(!(await page.locator(`${Q1} .quiz-explanation`).isVisible()), 'explanation closed at first');

    await answer(page, Q1, ['chapter.md']);
    await answer(page, Q2, ['a website', 'an EPUB']);
    await check(page);

    let s1 = await state(page, Q1);
    assert.ok(s1.wrong && !s1.right, 'q1 marked wrong');
    assert.equal(s1.feedback, 'Not quite.');
    assert.ok(s1.open, 'q1 answer opened');
    assert.ok(await page.locator(`${Q1} .quiz-explanation`).isVisible(), 'explanation visible');
    assert.match(await page.locator(`${Q1} .quiz-explanation`).innerText(), /The settings live in book\.yml/);
    assert.match(await page.locator(`${Q1} .quiz-key`).innerText(), /book\.yml/);
    assert.deepEqual(s1.disabled, [true, true], 'checked question locked');
    let s2 = await state(page, Q2);
    assert.ok(s2.right, 'q2 marked right');
    assert.equal(s2.feedback, 'Correct.');
    assert.equal(await score(page), '1 of 2 correct');
    assert.ok(await page.locator('.quiz-retry').isVisible(), 'retry offered');
    assert.ok(!(await page.locator('.quiz-check').isVisible()), 'nothing left to check');
    assert.ok(await page.evaluate(() => document.activeElement.matches('.quiz-retry')), 'focus on retry');
    // The wrong pick is marked by a class (icon + colour), the right one too.
    assert.equal(await page.locator(`${Q1} .quiz-chosen-wrong`).count(), 1);
    assert.equal(await page.locator(`${Q2} .quiz-chosen-right`).count(), 2);

    // Reload: the checked state comes back as it was.
    await page.reload();
    s1 = await state(page, Q1);
    assert.ok(s1.wrong, 'q1 still wrong after reload');
    assert.equal(s1.feedback, 'Not quite.');
    assert.deepEqual(s1.checked, [true, false]);
    s2 = await state(page, Q2);
    assert.ok(s2.right, 'q2 still right after reload');
    assert.deepEqual(s2.checked, [true, true, false]);
    assert.equal(await score(page), '1 of 2 correct');
    assert.ok(await page.locator('.quiz-retry').isVisible(), 'retry offered after reload');
    assert.ok(!(await page.locator('.quiz-check').isVisible()), 'check hidden after reload');

    // Retry: only the missed question is cleared and unlocked.
    await page.locator('.quiz-retry').click();
    s1 = await state(page, Q1);
    assert.ok(!s1.wrong && !s1.right, 'q1 ungraded');
    assert.equal(s1.feedback, '');
    assert.ok(!s1.open, 'q1 answer closed again');
    assert.deepEqual(s1.checked, [false, false]);
    assert.deepEqual(s1.disabled, [false, false]);
    s2 = await state(page, Q2);
    assert.ok(s2.right, 'q2 keeps its result');
    assert.deepEqual(s2.checked, [true, true, false]);
    assert.deepEqual(s2.disabled, [true, true, true], 'q2 stays locked');
    assert.equal(await score(page), '');
    assert.ok(!(await page.locator('.quiz-retry').isVisible()), 'retry hidden while retrying');
    assert.ok(await page.locator('.quiz-check').isVisible(), 'check offered again');
    assert.equal(await page.evaluate(() => document.activeElement.closest('fieldset')?.id),
      '02-practice-quiz-1-q1', 'focus moved to the retried question');

    await answer(page, Q1, ['book.yml']);
    await check(page);
    s1 = await state(page, Q1);
    assert.ok(s1.right, 'q1 right now');
    assert.equal(s1.feedback, 'Correct.');
    assert.equal(await score(page), '2 of 2 correct');
    assert.ok(!(await page.locator('.quiz-retry').isVisible()), 'no retry when all are right');
    assert.ok(!(await page.locator('.quiz-check').isVisible()), 'no check when all are right');
    assert.ok(await page.evaluate(() => document.activeElement.matches('.quiz-score')), 'focus on the score');

    await page.reload();
    assert.equal(await score(page), '2 of 2 correct');
    s1 = await state(page, Q1);
    assert.ok(s1.right);
    assert.deepEqual(s1.checked, [false, true]);
    assert.deepEqual(problems(page), []);
    await page.context().close();
  });
}

test('pick-all question: all right choices needed, no extra', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + PAGE);
  assert.equal(await page.locator(`${Q2} input[type=checkbox]`).count(), 3, 'pick-all uses checkboxes');
  assert.equal(await page.locator(`${Q1} input[type=radio]`).count(), 2, 'single answer uses radios');
  assert.match(await page.locator(`${Q2} legend`).innerText(), /Choose all that apply/);
  const cases = [
    [['a website'], 'Not quite.', '0 of 2 correct'],
    [['a website', 'an EPUB', 'a PDF'], 'Not quite.', '0 of 2 correct'],
    [[], 'No answer chosen.', '0 of 2 correct'],
    [['a website', 'an EPUB'], 'Correct.', '1 of 2 correct'],
  ];
  for (const [picks, feedback, total] of cases) {
    await answer(page, Q2, picks);
    await check(page);
    const s = await state(page, Q2);
    assert.equal(s.feedback, feedback, `picks ${JSON.stringify(picks)}`);
    assert.equal(await score(page), total, `score for ${JSON.stringify(picks)}`);
    // The answer lists both right choices.
    assert.deepEqual(await page.locator(`${Q2} .quiz-key-list li`).allInnerTexts(), ['a website', 'an EPUB']);
    if (feedback !== 'Correct.') {
      await page.locator('.quiz-retry').click();
    }
  }
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

/** Presses Tab until the focused element matches `selector` (at most 80 times). */
async function tabTo(page, selector, key = 'Tab') {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('keyboard only: Tab, arrows, Space and Enter answer, check and retry', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + PAGE);
  // From the top of the page to the first choice.
  await tabTo(page, `${Q1} input`);
  await page.keyboard.press('Space'); // chapter.md (wrong)
  await tabTo(page, `${Q2} input[value="0"]`);
  await page.keyboard.press('Space');
  await tabTo(page, `${Q2} input[value="1"]`);
  await page.keyboard.press('Space');
  await tabTo(page, '.quiz-check');
  await page.keyboard.press('Enter');
  assert.equal(await score(page), '1 of 2 correct');
  assert.equal((await state(page, Q1)).feedback, 'Not quite.');

  // Checking moved focus to "Retry missed questions".
  assert.ok(await page.evaluate(() => document.activeElement.matches('.quiz-retry')));
  await page.keyboard.press('Enter');
  // Focus is on the first choice of the missed question; arrows pick.
  assert.ok(await page.evaluate((q) => document.activeElement.matches(`${q} input`), Q1));
  await page.keyboard.press('ArrowDown'); // book.yml
  assert.deepEqual((await state(page, Q1)).checked, [false, true]);
  await tabTo(page, '.quiz-check');
  await page.keyboard.press('Space');
  assert.equal(await score(page), '2 of 2 correct');

  // "Show answer" opens with the keyboard too (on a fresh page).
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await tabTo(page, `${Q1} summary`);
  await page.keyboard.press('Enter');
  assert.ok((await state(page, Q1)).open, 'Enter opens Show answer');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('live regions: each question and the score are role=status', async () => {
  const page = await newPage(browser);
  await page.goto(server.url + PAGE);
  for (const q of [Q1, Q2]) {
    const fb = page.locator(`${q} .quiz-feedback`);
    assert.equal(await fb.getAttribute('role'), 'status');
    assert.equal(await fb.getAttribute('aria-live'), 'polite');
  }
  const sc = page.locator('.quiz-score');
  assert.equal(await sc.count(), 1);
  assert.equal(await sc.getAttribute('role'), 'status');
  // The regions exist before anything is announced (so the first
  // announcement is not lost) and are filled in place.
  assert.equal(await page.getByRole('status').count(), 3);
  await answer(page, Q1, ['book.yml']);
  await check(page);
  assert.equal(await page.getByRole('status').count(), 3);
  assert.deepEqual(await page.getByRole('status').allInnerTexts().then((t) => t.map((s) => s.trim())),
    ['Correct.', 'No answer chosen.', '1 of 2 correct']);
  await page.context().close();
});

test('the real book: every quiz checks and scores', async () => {
  assert.ok(QUIZ_CHAPTERS.length >= 4, `quizzes in ${QUIZ_CHAPTERS}`);
  const srv = await serve(BOOK);
  try {
    const page = await newPage(browser);
    for (const ch of QUIZ_CHAPTERS) {
      await page.goto(srv.url + ch);
      const forms = page.locator('form.quiz');
      assert.ok((await forms.count()) >= 1, `${ch} has a quiz`);
      for (let f = 0; f < (await forms.count()); f++) {
        const form = forms.nth(f);
        // Answer every question right from data-correct.
        const n = await form.evaluate((el) => {
          const qs = el.querySelectorAll('fieldset.quiz-question');
          qs.forEach((fs) => {
            const right = fs.dataset.correct.trim().split(/\s+/);
            fs.querySelectorAll('input').forEach((i) => { i.checked = right.includes(i.value); });
          });
          return qs.length;
        });
        await form.locator('.quiz-check').click();
        assert.equal((await form.locator('.quiz-score').innerText()).trim(), `${n} of ${n} correct`, ch);
        assert.equal(await form.locator('.quiz-wrong').count(), 0);
        // Every question has an explanation or an answer key to show.
        assert.equal(await form.locator('details.quiz-answer[open]').count(), n);
      }
    }
    assert.deepEqual(problems(page), []);
    await page.context().close();
  } finally {
    await srv.close();
  }
});

await run();
