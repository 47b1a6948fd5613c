// The EPUB as reading systems show it, in both themes: its documents
// opened in Chromium with the EPUB's own epub.css (the engine of calibre's
// viewer, Thorium and the web readers).
//   - callout titles are words, with no symbol that e-ink fonts lack;
//   - the links of the checklist appendix, of "Referenced from" and of the
//     contents are set quietly: the text's colour, not underlined.
// Builds the book in content/ with $STEPBOOK (run.sh sets it).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launch, newPage, serve, test, run, after, assert } from './lib.mjs';

const exec = promisify(execFile);
const SB = process.env.STEPBOOK;
if (!SB) {
  console.log('epub: STEPBOOK is not set (run tests/browser/run.sh)');
  process.exit(2);
}
const CONTENT = new URL('../../content/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stepbook-epub-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Builds content/ with `theme`; returns the EPUB's path and the folder
 * it is unpacked in. */
async function book(theme) {
  const dir = join(work, theme);
  cpSync(CONTENT, join(dir, 'content'), { recursive: true });
  await exec(SB, ['-C', dir, 'build', '-q', '--no-site', '--theme', theme],
    { env: { ...process.env, SOURCE_DATE_EPOCH: '1764115200' } });
  const epub = join(dir, 'output', readdirSync(join(dir, 'output')).find((f) => f.endsWith('.epub')));
  await exec('unzip', ['-q', '-o', epub, '-d', join(dir, 'unpacked')]);
  return { epub, root: join(dir, 'unpacked') };
}

const browser = await launch();
after(() => browser.close());
const books = {};
for (const theme of ['default', 'paper']) {
  const b = await book(theme);
  b.site = await serve(b.root);
  after(() => b.site.close());
  books[theme] = b;
}

/** The chapter documents of an unpacked EPUB, in its folder EPUB/. */
function chapters(root) {
  const opf = readFileSync(join(root, 'EPUB', 'package.opf'), 'utf8');
  return [...opf.matchAll(/<item id="ch-[^"]*" href="([^"]+)"/g)].map((m) => m[1]);
}

for (const theme of ['default', 'paper']) {
  test(`${theme}: callout titles are words, without symbols e-ink fonts lack`, async () => {
    const { root, site } = books[theme];
    const page = await newPage(browser);
    let seen = 0;
    for (const ch of chapters(root)) {
      await page.goto(`${site.url}EPUB/${ch}`);
      const titles = await page.$$eval('.callout-title', (ps) => ps.map((p) => p.textContent));
      for (const t of titles) assert.match(t, /^(Note|Tip|Important|Warning|Caution)$/, `${ch}: "${t}"`);
      assert.equal(await page.locator('.callout-icon').count(), 0, `${ch}: no icon`);
      seen += titles.length;
    }
    assert.ok(seen >= 5, `${seen} callouts`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test(`${theme}: links of the checklist appendix, "Referenced from" and the contents are quiet`, async () => {
    const { root, site } = books[theme];
    const page = await newPage(browser);
    const quiet = async (doc, sel) => {
      await page.goto(`${site.url}EPUB/${doc}`);
      const links = await page.$$eval(sel, (as) => as.map((a) => {
        const s = getComputedStyle(a);
        return {
          text: a.textContent,
          underline: s.textDecorationLine,
          color: s.color,
          around: getComputedStyle(a.parentElement).color,
        };
      }));
      assert.ok(links.length >= 2, `${doc}: ${sel}`);
      const loud = links.filter((l) => l.underline !== 'none' || l.color !== l.around);
      assert.deepEqual(loud, [], `${doc}: ${sel} underlined or coloured`);
    };
    await quiet('checklist.xhtml', 'ul.checklist a');
    const backlinked = chapters(root).find((ch) =>
      readFileSync(join(root, 'EPUB', ch), 'utf8').includes('class="backlinks"'));
    assert.ok(backlinked, 'a chapter has "Referenced from"');
    await quiet(backlinked, 'section.backlinks a');
    await quiet('nav.xhtml', 'nav#toc ol a');
    // links in the text itself still look like links
    await page.goto(`${site.url}EPUB/${backlinked}`);
    const inText = await page.$eval('p a[href]', (a) => getComputedStyle(a).textDecorationLine);
    assert.equal(inText, 'underline');
    await page.context().close();
  });
}

await run();
