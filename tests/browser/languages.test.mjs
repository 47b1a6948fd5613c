// A book in another language, as its readers meet it: an Arabic book is
// laid out right to left (the sidebar on the right at 1280 px, the callout
// bar and the checkboxes on the right, code left to right), and what the scripts show (the
// quiz's feedback and score, the checklist's progress, the search's
// status) is in Arabic, plural forms included; a French book's too. Over
// HTTP and from file://. axe finds no WCAG 2.1 AA violation on any page of
// the Arabic book (both themes) or of a Japanese one, light and dark.
// Builds its books with ${STEPBOOK:-build/stepbook} into a temporary
// folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, newPage, serve, test, run, after, assert, axe } from './lib.mjs';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stepbook = resolve(top, process.env.STEPBOOK || 'build/stepbook');
const work = mkdtempSync(join(tmpdir(), 'stepbook-languages-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Builds a book of `files` (name -> lines) and returns its site folder. */
function book(name, files, ...options) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'content'), { recursive: true });
  for (const [file, lines] of Object.entries(files)) writeFileSync(join(dir, 'content', file), lines.join('\n') + '\n');
  execFileSync(stepbook, ['-C', dir, 'build', '--no-epub', '-q', ...options], { stdio: 'pipe' });
  return join(dir, 'output', 'site');
}

const chapter = (title, heading, task, tip, quiz) => [
  '---', `title: ${title}`, 'step: 1', '---', '',
  `## ${heading}`, '', `- [ ] ${task}`, `- [ ] ${task} 2`, '',
  '> [!TIP]', `> ${tip}`, '',
  '```sh', 'ls -l ~/coffee', '```', '',
  '```quiz', ...quiz, '```', '',
];

const BOOKS = {
  ar: book('ar', {
    'book.yml': ['title: فنجان قهوة', 'language: ar'],
    '01-grains.md': chapter('اختيار البن', 'الطحن', 'اطحن البن', 'خزّن البن بعيدًا عن الضوء.',
      ['? ما أفضل حرارة للماء؟', '- [x] نحو ٩٢ درجة', '- [ ] ماء مغلي']),
  }),
  fr: book('fr', {
    'book.yml': ['title: Une tasse de café', 'language: fr'],
    '01-grains.md': chapter('Choisir le café', 'Moudre', 'Moudre le café', 'Gardez le café à l’abri de la lumière.',
      ['? Quelle eau ?', '- [x] Chaude', '- [ ] Froide']),
  }),
};
// what each book's scripts must say (its language pack's strings)
const WANT = {
  ar: { wrong: 'ليس تمامًا.', score: '0 من 1 صحيحة', progress: 'أُنجز 1 من 2', none: 'لا نتائج لـ “zzzq”.', one: 'نتيجة واحدة لـ “الطحن”.' },
  fr: { wrong: 'Pas tout à fait.', score: '0 sur 1 justes', progress: '1 sur 2 actions faites', none: 'Aucun résultat pour “zzzq”.', one: '1 résultat pour “Moudre”.' },
};
const HEADING = { ar: 'الطحن', fr: 'Moudre' };
// for axe: the Arabic book, the same with the paper theme, and a Japanese one
const JA = book('ja', {
  'book.yml': ['title: コーヒーの本', 'language: ja'],
  '01-grains.md': chapter('豆を選ぶ', '挽く', '豆を挽く', '豆は光の当たらない場所に保管します。',
    ['? お湯の温度は？', '- [x] 約九十二度', '- [ ] 沸騰したお湯']),
});
const AR_PAPER = book('ar-paper', {
  'book.yml': ['title: فنجان قهوة', 'language: ar'],
  '01-grains.md': chapter('اختيار البن', 'الطحن', 'اطحن البن', 'خزّن البن بعيدًا عن الضوء.',
    ['? ما أفضل حرارة للماء؟', '- [x] نحو ٩٢ درجة', '- [ ] ماء مغلي']),
}, '--theme', 'paper');

const browser = await launch();
after(() => browser.close());
const bases = {};
for (const [lang, site] of Object.entries(BOOKS)) {
  const server = await serve(site);
  after(() => server.close());
  bases[`${lang} over HTTP`] = { lang, url: server.url };
  bases[`${lang} from file://`] = { lang, url: pathToFileURL(site).href + '/' };
}

for (const [name, { lang, url }] of Object.entries(bases)) {
  test(`${name}: the scripts speak the book's language`, async () => {
    const page = await newPage(browser);
    await page.goto(url + '01-grains.html');
    const want = WANT[lang];
    // the quiz, answered wrong
    const quiz = page.locator('form.quiz');
    await quiz.locator('.quiz-choice').nth(1).click();
    await quiz.locator('button[type="submit"], .quiz-check').first().click();
    await page.waitForFunction(() => document.querySelector('.quiz-feedback')?.textContent !== '');
    assert.equal((await page.locator('.quiz-feedback').first().innerText()).trim(), want.wrong);
    assert.equal((await page.locator('.quiz-score').innerText()).trim(), want.score);
    // a tick: the chapter's progress
    await page.locator('main input.task-check').first().check();
    assert.equal((await page.locator('.chapter-head .chapter-progress').innerText()).trim(), want.progress);
    // the search: nothing, then one result
    await page.keyboard.press('Escape');
    await page.locator('.search-toggle').click();
    await page.locator('#search-input').fill('zzzq');
    await page.waitForFunction((w) => document.querySelector('#search-status').textContent === w, want.none);
    await page.locator('#search-input').fill(HEADING[lang]);
    await page.waitForFunction((w) => document.querySelector('#search-status').textContent === w, want.one);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('ar: right to left at 1280 px: the sidebar on the right, the callout bar and the checkboxes too', async () => {
  const page = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(bases['ar over HTTP'].url + '01-grains.html');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  const main = await page.locator('main').boundingBox();
  const side = await page.locator('#sidebar').boundingBox();
  assert.ok(side.x > main.x + main.width - 1, `sidebar (x=${side.x}) right of the text (ends at ${main.x + main.width})`);
  const callout = page.locator('.callout').first();
  const bars = await callout.evaluate((el) => {
    const s = getComputedStyle(el);
    return { right: parseFloat(s.borderRightWidth), left: parseFloat(s.borderLeftWidth) };
  });
  assert.ok(bars.right > bars.left, `the callout's bar on the right: ${JSON.stringify(bars)}`);
  const box = await page.locator('main input.task-check').first().boundingBox();
  const item = await page.locator('main li:has(> input.task-check)').first().boundingBox();
  assert.ok(box.x > item.x + item.width / 2, 'the checkbox at the start (right) of its item');
  // the current chapter's bar in the sidebar is on its right, where its line starts
  const shadow = await page.locator('.chapter-list li.current a').evaluate((el) => getComputedStyle(el).boxShadow);
  assert.match(shadow, /inset$|^inset/, shadow);
  assert.match(shadow, /-3px 0px 0px/, `the bar on the right: ${shadow}`);
  // code reads left to right, starting at the block's left edge
  const code = await page.locator('main pre').evaluate((el) => {
    const r = document.createRange();
    r.selectNodeContents(el.querySelector('code'));
    return { dir: getComputedStyle(el).direction, text: r.getBoundingClientRect().left - el.getBoundingClientRect().left };
  });
  assert.equal(code.dir, 'ltr');
  assert.ok(code.text < 40, `the code starts at the left: ${JSON.stringify(code)}`);
  await page.context().close();
});

test('ar: right to left at 390 px: the text starts on the right', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(bases['ar over HTTP'].url + '01-grains.html');
  const h1 = await page.locator('main h1').evaluate((el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    const t = r.getBoundingClientRect();
    return { right: t.right, width: document.documentElement.clientWidth };
  });
  assert.ok(h1.right > h1.width - 40, `the title ends near the right edge: ${JSON.stringify(h1)}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll');
  await page.context().close();
});

for (const [name, site] of [['ar', BOOKS.ar], ['ar, paper theme', AR_PAPER], ['ja', JA]]) {
  for (const dark of [false, true]) {
    test(`axe: no WCAG 2.1 AA violation, ${name}, ${dark ? 'dark' : 'light'}, every page`, async () => {
      const server = await serve(site);
      try {
        for (const file of readdirSync(site).filter((f) => f.endsWith('.html')).sort()) {
          const page = await newPage(browser, { dark });
          await page.goto(server.url + file);
          const v = await axe(page);
          assert.deepEqual(v, [], `${file}\n${v.join('\n')}`);
          await page.context().close();
        }
      } finally {
        server.close();
      }
    });
  }
}

await run();
