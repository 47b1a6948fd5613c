// Opens an EPUB in epub.js inside headless Chromium, the way a web reader
// would, and reports what the reader sees.
//
//   node tests/browser/epubjs.mjs BOOK.epub [--chapter N] [--shot OUT.png]
//        [--width 800] [--height 1000] [--dark]
//
// Serves a small reader page, epub.min.js, jszip.min.js and the book from
// 127.0.0.1, waits for the book to open, and prints one JSON object:
//   { title, toc: [{label, href, depth, spineIndex}],
//     spine: [{index, href, idref, linear}],
//     rendered?: {index, href, textLength, images, title, pages, page,
//                 picture} }
// (pages: how many pages epub.js lays the item out on; page: the size of
// one, {width, height}; picture: the box of its first <img> or <svg>, or
// null)
// spineIndex is the spine item epub.js resolves the TOC href to (null when
// it cannot). --chapter N (a spine index) renders that item; --shot saves
// a screenshot of it (the first linear spine item when --chapter is not
// given). Diagnostics and a summary line go to stderr, before the JSON.
// Exit 1 when the book does not load, the TOC or the spine is empty, a TOC
// entry resolves to no spine item, or the item renders neither text nor an
// image; 2 on usage errors.
import { mkdtempSync, writeFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { launch, newPage, serve, modulePath } from './lib.mjs';

function usage(msg) {
  if (msg) console.error(`epubjs: ${msg}`);
  console.error('usage: node epubjs.mjs BOOK.epub [--chapter N] [--shot OUT.png] [--width N] [--height N] [--dark]');
  process.exit(2);
}

const o = { chapter: null, shot: null, width: 800, height: 1000, dark: false };
const pos = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  if (a === '--chapter') o.chapter = Number(val());
  else if (a === '--shot') o.shot = val();
  else if (a === '--width') o.width = Number(val());
  else if (a === '--height') o.height = Number(val());
  else if (a === '--dark') o.dark = true;
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else pos.push(a);
}
if (pos.length !== 1) usage();
if (o.chapter !== null && !(Number.isInteger(o.chapter) && o.chapter >= 0)) usage('--chapter takes a spine index (0, 1, ...)');
const epub = resolve(pos[0]);
if (!existsSync(epub)) usage(`no such file: ${pos[0]}`);

const READER = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>epub.js test reader</title>
<link rel="icon" href="data:,">
<style>
  html, body { margin: 0; height: 100%; background: Canvas; color: CanvasText; }
  #viewer { width: 100vw; height: 100vh; }
</style>
<script src="/jszip.min.js"></script>
<script src="/epub.min.js"></script>
</head>
<body>
<div id="viewer"></div>
<script>
(async () => {
  // A loading failure in epub.js is often only a rejected promise.
  window.addEventListener('unhandledrejection', (e) => {
    window.__error = window.__error || ('unhandled rejection: ' + (e.reason && (e.reason.stack || e.reason.message) || e.reason));
  });
  try {
    const book = ePub('/book.epub', { openAs: 'epub' });
    window.__book = book;
    // epub.js reports a book it cannot open only through this event.
    const failed = new Promise((_, fail) =>
      book.on('openFailed', (e) => fail(new Error((e && e.message) || 'openFailed'))));
    await Promise.race([book.ready, failed]);
    await book.loaded.navigation;
    const meta = await book.loaded.metadata;
    const toc = [];
    const walk = (items, depth) => {
      for (const it of items || []) {
        const sec = it.href ? book.spine.get(it.href) : null;
        toc.push({ label: (it.label || '').trim(), href: it.href, depth,
                   spineIndex: sec ? sec.index : null });
        walk(it.subitems, depth + 1);
      }
    };
    walk(book.navigation.toc, 0);
    const spine = book.spine.spineItems.map((s) => ({
      index: s.index, href: s.href, idref: s.idref, linear: s.linear }));
    window.__result = { title: meta.title, toc, spine };
  } catch (e) {
    window.__error = String((e && e.message) || e);
  }
})();
window.__render = async (index) => {
  const book = window.__book;
  const sec = book.spine.get(index);
  if (!sec) throw new Error('no spine item ' + index);
  const rendition = book.renderTo('viewer', { width: '100%', height: '100%',
    flow: 'paginated', spread: 'none', allowScriptedContent: false });
  await rendition.display(sec.href);
  const contents = rendition.getContents()[0];
  const doc = contents && contents.document;
  const loc = await Promise.resolve(rendition.currentLocation());
  const layout = rendition.manager && rendition.manager.layout;
  const pic = doc && doc.querySelector('img, svg');
  const box = pic ? pic.getBoundingClientRect() : null;
  return { index: sec.index, href: sec.href,
           textLength: doc && doc.body ? doc.body.textContent.trim().length : 0,
           images: doc ? doc.querySelectorAll('img, svg image').length : 0,
           title: doc ? doc.title : null,
           pages: loc && loc.start && loc.start.displayed ? loc.start.displayed.total : null,
           page: layout ? { width: layout.pageWidth || layout.width, height: layout.height } : null,
           picture: box ? { left: box.left, top: box.top, width: box.width, height: box.height } : null };
};
</script>
</body>
</html>
`;

const dir = mkdtempSync(join(tmpdir(), 'epubjs-'));
writeFileSync(join(dir, 'index.html'), READER);
let server;
let browser;
let code = 0;
try {
  server = await serve(dir, {
    routes: {
      '/book.epub': epub,
      '/epub.min.js': modulePath('epubjs/dist/epub.min.js'),
      '/jszip.min.js': modulePath('jszip/dist/jszip.min.js'),
    },
  });
  browser = await launch();
  const page = await newPage(browser, { width: o.width, height: o.height, dark: o.dark });
  await page.goto(server.url, { waitUntil: 'load' });
  try {
    await page.waitForFunction(() => window.__result || window.__error, null, { timeout: 30000 });
  } catch {
    throw new Error('the book did not open within 30 s');
  }
  const err = await page.evaluate(() => window.__error);
  if (err) throw new Error(`epub.js could not open the book: ${err}`);
  const result = await page.evaluate(() => window.__result);

  const problems = [];
  if (!result.toc.length) problems.push('the table of contents is empty');
  if (!result.spine.length) problems.push('the spine is empty');
  for (const t of result.toc) {
    if (t.spineIndex === null) problems.push(`TOC entry "${t.label}" (${t.href}) does not resolve to a spine item`);
  }

  let index = o.chapter;
  if (index === null && o.shot) {
    const first = result.spine.find((s) => s.linear);
    index = first ? first.index : 0;
  }
  if (index !== null && result.spine.length) {
    if (index >= result.spine.length) {
      problems.push(`--chapter ${index}: the spine has ${result.spine.length} items`);
    } else {
      result.rendered = await page.evaluate((i) => window.__render(i), index);
      if (!result.rendered.textLength && !result.rendered.images) problems.push(`spine item ${index} rendered no text and no image`);
      // Let layout and fonts settle before the picture.
      await page.evaluate(() => document.fonts && document.fonts.ready);
      await page.waitForTimeout(300);
      if (o.shot) {
        mkdirSync(dirname(resolve(o.shot)), { recursive: true });
        await page.screenshot({ path: o.shot });
      }
    }
  }
  // Diagnostics go to stderr first and the JSON to stdout last, so that a
  // caller that merges the two (2>&1) finds the JSON from the first "{" on.
  for (const p of page.problems) console.error(`epubjs: page problem: ${p}`);
  if (problems.length) {
    for (const p of problems) console.error(`epubjs: ${p}`);
    code = 1;
  } else {
    console.error(`epubjs: ${pos[0]}: ${result.toc.length} TOC entries, ${result.spine.length} spine items` +
      (result.rendered ? `, rendered spine item ${result.rendered.index} (${result.rendered.textLength} chars)` : '') +
      (o.shot && result.rendered ? `, shot ${o.shot}` : ''));
  }
  console.log(JSON.stringify(result, null, 2));
} catch (e) {
  console.error(`epubjs: ${e.message}`);
  code = 1;
} finally {
  if (browser) await browser.close();
  if (server) await server.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
