// Search in every script (themes/default/assets/search.js): a Japanese, a
// Chinese, an Arabic and a German book of our own, each searched from
// file:// and over HTTP.
//
// - Chinese and Japanese are written without spaces: a query run such as
//   "北京烤鸭做法" is cut into its words (北京 烤鸭 做法), each found anywhere
//   in the text, and only those words are marked in the results.
// - Full-width letters fold to plain ones ("ＥＰＵＢ" is found by "epub").
// - Arabic vowel marks and the tatweel are folded away, alef maqsura and
//   yeh are one letter, and a word is found without its article.
// - German ß is ss and ä ö ü are found as ae oe ue too; Turkish dotted and
//   dotless i are both i.
//
// Run by run.sh; alone, it builds the books with ${STEPBOOK:-build/stepbook}.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stepbook = resolve(top, process.env.STEPBOOK || 'build/stepbook');
const work = mkdtempSync(join(tmpdir(), 'stepbook-scripts-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Builds a book of `chapters` ({file: lines}) and returns its site folder. */
function book(name, yml, chapters) {
  const content = join(work, name, 'content');
  mkdirSync(content, { recursive: true });
  writeFileSync(join(content, 'book.yml'), yml);
  for (const [file, lines] of Object.entries(chapters)) {
    writeFileSync(join(content, file), lines.join('\n') + '\n');
  }
  const out = join(work, name + '-out');
  execFileSync(stepbook, ['-C', join(work, name), 'build', '--no-epub', '-q', '--out', out], { stdio: 'pipe' });
  return join(out, 'site');
}

const BOOKS = {
  ja: book('ja', 'title: 小さな旅の本\nlanguage: ja\n', {
    '01-tokyo.md': ['---', 'title: 東京を歩く', '---', '',
      '## 東京にある有名なタワー', '', '夜になると、赤く光るタワーが見えます。', '',
      '## 電子書籍', '', 'この本はＥＰＵＢでも読めます。', ''],
    '02-asakusa.md': ['---', 'title: 浅草の朝', '---', '', '## 朝ごはん', '', '浅草では早起きが大切です。', ''],
  }),
  zh: book('zh', 'title: 厨房小书\nlanguage: zh-Hans\n', {
    '01-duck.md': ['---', 'title: 北京的菜', '---', '',
      '## 烤鸭的做法', '', '烤鸭是北京的名菜，做法并不复杂。', ''],
    '02-tea.md': ['---', 'title: 喝茶', '---', '', '## 绿茶', '', '北京人也喜欢喝茶。', ''],
  }),
  ar: book('ar', 'title: كتاب صغير\nlanguage: ar\n', {
    '01-book.md': ['---', 'title: الفصل الأول', '---', '',
      '## الكِتَابُ المفتوح', '', 'نقرأ مـعـاً كل يوم.', '',
      '## على الطريق', '', 'نمشي إلى المدرسة.', ''],
  }),
  de: book('de', 'title: Kleines Buch\nlanguage: de\n', {
    '01-strasse.md': ['---', 'title: Auf der Straße', '---', '',
      '## Übungen für Ärzte', '', 'Jeden Morgen ein wenig Öl und Bewegung.', ''],
    '02-reise.md': ['---', 'title: Reise', '---', '',
      "## İstanbul'da bir gün", '', 'Ein Tag am Bosporus, mit Kırmızı Kalem.', ''],
  }),
};

const browser = await launch();
after(() => browser.close());
const servers = {};
for (const [lang, site] of Object.entries(BOOKS)) {
  servers[lang] = await serve(site);
  after(() => servers[lang].close());
}

/** Types `q` into the search of `page` and returns the results once they
 * are those of `q`. */
async function search(page, q) {
  if (!(await page.locator('#search').isVisible())) await page.keyboard.press('/');
  await page.locator('#search-input').fill(q);
  await page.waitForFunction((want) => {
    const s = document.querySelector('#search-status').textContent;
    return s.includes(`\u201c${want}\u201d`);
  }, q);
  const hits = page.locator('#search-results a');
  const all = [];
  for (let i = 0; i < (await hits.count()); i++) {
    const h = hits.nth(i);
    all.push({
      href: await h.getAttribute('href'),
      heading: await h.locator('.search-hit-heading').innerText(),
      marks: [...await h.locator('.search-hit-heading mark').allInnerTexts(),
        ...await h.locator('.search-hit-text mark').allInnerTexts()],
    });
  }
  return all;
}

/** [query, href of the first result, marks it must show] per book. */
const CASES = {
  ja: [
    ['タワー有名', '01-tokyo.html#東京にある有名なタワー', ['有名', 'タワー', 'タワー']],
    ['ｅｐｕｂ', '01-tokyo.html#電子書籍', ['ＥＰＵＢ']],
    ['EPUB', '01-tokyo.html#電子書籍', ['ＥＰＵＢ']],
    ['朝ごはん浅草', '02-asakusa.html#朝ごはん', ['朝ごはん', '浅草']],
  ],
  zh: [
    ['北京烤鸭做法', '01-duck.html#烤鸭的做法', ['烤鸭', '做法', '烤鸭', '北京', '做法']],
    ['喝茶', '02-tea.html', ['喝茶']],
  ],
  ar: [
    ['كتاب', '01-book.html#الكِتَابُ-المفتوح', ['الكِتَابُ']],
    ['الكتاب مفتوح', '01-book.html#الكِتَابُ-المفتوح', ['الكِتَابُ', 'المفتوح']],
    ['معا', '01-book.html#الكِتَابُ-المفتوح', ['مـعـاً']],
    ['علي الطريق', '01-book.html#على-الطريق', ['على', 'الطريق']],
  ],
  de: [
    ['strasse', '01-strasse.html', ['Straße']],
    ['uebungen aerzte', '01-strasse.html#übungen-für-ärzte', ['Übungen', 'Ärzte']],
    ['ubungen arzte', '01-strasse.html#übungen-für-ärzte', ['Übungen', 'Ärzte']],
    ['oel', '01-strasse.html#übungen-für-ärzte', ['Öl']],
    ['istanbul', '02-reise.html#İstanbulda-bir-gün', ['İstanbul']],
    ['ISTANBUL', '02-reise.html#İstanbulda-bir-gün', ['İstanbul']],
    ['kirmizi', '02-reise.html#İstanbulda-bir-gün', ['Kırmızı']],
  ],
};

for (const [lang, cases] of Object.entries(CASES)) {
  for (const [how, base] of [['file://', () => pathToFileURL(BOOKS[lang]).href + '/'], ['http', () => servers[lang].url]]) {
    test(`${lang} (${how}): ${cases.map((c) => c[0]).join(', ')}`, async () => {
      const page = await newPage(browser);
      await page.goto(base() + 'index.html');
      for (const [q, href, marks] of cases) {
        const hits = await search(page, q);
        assert.ok(hits.length >= 1, `"${q}" finds something`);
        assert.equal(decodeURIComponent(hits[0].href).normalize('NFC'), href.normalize('NFC'), `"${q}": first result`);
        assert.deepEqual(hits[0].marks, marks, `"${q}": marked words`);
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
}

// A query whose words are not all in one section finds nothing: cutting a
// run into words does not make the search match any of them alone.
test('zh: every word of a cut run must match', async () => {
  const page = await newPage(browser);
  await page.goto(servers.zh.url + 'index.html');
  assert.deepEqual(await search(page, '绿茶做法'), []);
  assert.equal(await page.locator('#search-status').innerText(), '没有与 “绿茶做法” 相关的结果。');
  await page.context().close();
});

// Without Intl.Segmenter (older browsers), a run is matched as typed.
test('zh without Intl.Segmenter: a run is matched whole', async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => { delete Intl.Segmenter; });
  await page.goto(servers.zh.url + 'index.html');
  assert.deepEqual(await search(page, '北京烤鸭做法'), []);
  const hits = await search(page, '烤鸭的做法');
  assert.equal(decodeURIComponent(hits[0].href), '01-duck.html#烤鸭的做法');
  assert.deepEqual(hits[0].marks, ['烤鸭的做法']);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

await run();
