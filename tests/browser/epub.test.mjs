// The EPUB as reading systems show it, in both themes: its documents
// opened in Chromium with the EPUB's own epub.css (the engine of calibre's
// viewer, Thorium and the web readers), and the cover in epub.js.
//   - the cover page fits the screen whole, phone to landscape desktop,
//     and epub.js lays it out on one page;
//   - callout titles are words, with no symbol that e-ink fonts lack;
//   - the links of the checklist appendix, of "Referenced from" and of the
//     contents are set quietly: the text's colour, not underlined.
// Builds the book in content/ with $STEPBOOK (run.sh sets it), as it is
// (its own SVG cover) and without `cover:` (the theme's cover template).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const SHOTS = process.env.SHOTS || '/tmp/stepbook-shots';
const CONTENT = new URL('../../content/', import.meta.url).pathname;
const EPUBJS = new URL('./epubjs.mjs', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stepbook-epub-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Builds content/ (without its `cover:` when `own` is false) with
 * `theme`; returns the EPUB's path and the folder it is unpacked in. */
async function book(theme, own) {
  const dir = join(work, `${theme}-${own ? 'own' : 'template'}`);
  cpSync(CONTENT, join(dir, 'content'), { recursive: true });
  // the book in its own language (the Spanish edition's EPUB is checked
  // by validate.sh): one EPUB, whose callouts say "Tip"
  rmSync(join(dir, 'content', 'es'), { recursive: true, force: true });
  const yml = join(dir, 'content', 'book.yml');
  let text = readFileSync(yml, 'utf8').replace(/^translations:.*\n/m, '');
  if (!own) text = text.replace(/^cover:.*\n/m, '');
  writeFileSync(yml, text);
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
  for (const own of [true, false]) {
    const b = await book(theme, own);
    b.site = await serve(b.root);
    after(() => b.site.close());
    books[`${theme}-${own ? 'own' : 'template'}`] = b;
  }
}

/** The chapter documents of an unpacked EPUB, in its folder EPUB/. */
function chapters(root) {
  const opf = readFileSync(join(root, 'EPUB', 'package.opf'), 'utf8');
  return [...opf.matchAll(/<item id="ch-[^"]*" href="([^"]+)"/g)].map((m) => m[1]);
}

const SCREENS = [
  { width: 600, height: 800 },    // a 6" e-ink reader
  { width: 1072, height: 1448 },  // a larger one
  { width: 390, height: 844 },    // a phone
  { width: 1280, height: 720 },   // a landscape desktop window
];

for (const theme of ['default', 'paper']) {
  for (const kind of ['own', 'template']) {
    const b = () => books[`${theme}-${kind}`];

    test(`${theme}, ${kind} cover: the cover page shows the whole cover on one screen`, async () => {
      for (const screen of SCREENS) {
        const page = await newPage(browser, screen);
        await page.goto(`${b().site.url}EPUB/cover.xhtml`);
        const got = await page.evaluate(() => {
          // (the image, however the page holds it)
          const img = document.querySelector('section.cover svg image, section.cover img');
          const r = img.getBoundingClientRect();
          const s = document.scrollingElement;
          return {
            box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
            scroll: { width: s.scrollWidth, height: s.scrollHeight },
          };
        });
        const { width, height } = screen;
        const where = `${width}x${height}: ${JSON.stringify(got)}`;
        assert.ok(got.box.left >= -1 && got.box.top >= -1 && got.box.right <= width + 1 &&
          got.box.bottom <= height + 1, `the cover inside the screen, ${where}`);
        // scaled to fit: as wide or as high as the screen
        assert.ok(got.box.right - got.box.left >= width - 2 || got.box.bottom - got.box.top >= height - 2,
          `the cover fills the screen one way, ${where}`);
        assert.ok(got.scroll.height <= height + 1 && got.scroll.width <= width + 1, `nothing to scroll, ${where}`);
        assert.deepEqual(page.problems, [], 'the cover image loads');
        await page.context().close();
      }
    });

    test(`${theme}, ${kind} cover: epub.js lays the cover out on one page`, async () => {
      const shot = join(SHOTS, `epub-${theme}-${kind}-cover.png`);
      const { stdout } = await exec('node', [EPUBJS, b().epub, '--chapter', '0', '--width', '600',
        '--height', '800', '--shot', shot]);
      const { rendered } = JSON.parse(stdout.slice(stdout.indexOf('{')));
      assert.equal(rendered.href, 'cover.xhtml');
      assert.equal(rendered.pages, 1, 'one page');
      const pic = rendered.picture;
      assert.ok(pic && pic.height <= rendered.page.height && pic.width <= rendered.page.width,
        `the cover within the page: ${JSON.stringify(rendered)}`);
    });
  }

  test(`${theme}: callout titles are words, without symbols e-ink fonts lack`, async () => {
    const { root, site } = books[`${theme}-own`];
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
    const { root, site } = books[`${theme}-own`];
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
