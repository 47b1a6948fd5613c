// The site as it is published: output/site/ alone, served over HTTP (no
// output/ around it, no `stepbook serve`). From index.html, every link and
// asset of every page is followed: pages, styles, scripts, images, the
// manifest and its icons, the files the service worker and the search
// index name, the EPUB download (which must be the EPUB beside the site,
// byte for byte), and each #fragment must name an id of its page. Then
// the same with base_url set and the site in a sub-folder (/book/), where
// the canonical and Open Graph URLs, robots.txt and sitemap.xml are
// followed too; and a --no-epub build, whose pages offer no EPUB.
//
//   node tests/cli/test_published.mjs        (STEPBOOK: the binary)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve, test, run, after, assert } from '../browser/lib.mjs';

const top = resolve(new URL('../..', import.meta.url).pathname);
const STEPBOOK = resolve(top, process.env.STEPBOOK || 'build/stepbook');
const work = mkdtempSync(join(tmpdir(), 'stepbook-published-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Copies the book in content/ to `dir`, with `yml` added to book.yml, and builds it. */
function build(dir, yml = '', args = [], from = 'content') {
  cpSync(join(top, from), join(dir, 'content'), { recursive: true });
  if (yml) writeFileSync(join(dir, 'content/book.yml'), readFileSync(join(dir, 'content/book.yml'), 'utf8') + yml);
  execFileSync(STEPBOOK, ['-C', dir, 'build', '-q', ...args], {
    stdio: 'pipe', env: { ...process.env, SOURCE_DATE_EPOCH: '1764115200' },
  });
  return join(dir, 'output');
}

const decode = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The URLs a file points at, by its kind. */
function references(url, type, text) {
  const out = [];
  if (type.startsWith('text/html')) {
    for (const m of text.matchAll(/<(a|link|script|img|source|iframe|meta)\b([^>]*)>/gi)) {
      const attrs = m[2];
      for (const a of attrs.matchAll(/\b(href|src|content)="([^"]*)"/gi)) {
        const name = a[1].toLowerCase();
        if (name === 'content' && !/\bproperty="og:(url|image)"/.test(attrs)) continue;
        out.push(decode(a[2]));
      }
      for (const a of attrs.matchAll(/\bsrcset="([^"]*)"/gi))
        for (const part of decode(a[1]).split(',')) out.push(part.trim().split(/\s+/)[0]);
    }
  } else if (type.startsWith('text/css')) {
    for (const m of text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)) out.push(m[1]);
  } else if (/manifest/.test(type) || url.endsWith('.webmanifest')) {
    const m = JSON.parse(text);
    for (const i of m.icons || []) out.push(i.src);
    if (m.start_url) out.push(m.start_url);
  } else if (url.endsWith('/sw.js')) {
    const b = JSON.parse(text.split('\n')[0].replace(/^self\.STEPBOOK_BUILD = /, '').replace(/;$/, ''));
    out.push(...b.core, ...b.files);
  } else if (/\/search-index(-\d+)?\.js$/.test(url)) {
    const parts = text.match(/"parts":\[([^\]]*)\]/);
    if (parts) for (const p of parts[1].matchAll(/"([^"]+)"/g)) out.push(p[1]);
  } else if (url.endsWith('/robots.txt')) {
    for (const m of text.matchAll(/^Sitemap:\s*(\S+)/gm)) out.push(m[1]);
  } else if (url.endsWith('/sitemap.xml')) {
    for (const m of text.matchAll(/<loc>([^<]+)<\/loc>/g)) out.push(decode(m[1]));
  }
  return out.filter((u) => u && !/^(mailto|javascript|data|tel):/i.test(u));
}

/**
 * Crawls the site at `base` (a folder URL) from index.html, robots.txt and
 * sw.js. Returns { files: Map(url -> {type, body}), broken: [...] }.
 */
async function crawl(base) {
  const root = new URL(base);
  const files = new Map();
  const broken = [];
  const anchors = [];
  const queue = ['index.html', 'robots.txt', 'sw.js'].map((f) => ({ url: new URL(f, root).href, from: '(start)' }));
  while (queue.length) {
    const { url, from } = queue.shift();
    const u = new URL(url);
    if (u.origin !== root.origin) continue;          // another site: not ours to check
    if (u.hash.length > 1) anchors.push({ page: u.origin + u.pathname, id: decodeURIComponent(u.hash.slice(1)), from });
    u.hash = '';
    const key = u.href;
    if (files.has(key)) continue;
    if (!key.startsWith(root.href)) {
      broken.push(`${key} (from ${from}): outside the site`);
      files.set(key, null);
      continue;
    }
    const res = await fetch(key);
    const body = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') || '';
    files.set(key, { type, body });
    if (res.status !== 200) {
      broken.push(`${key} (from ${from}): HTTP ${res.status}`);
      continue;
    }
    if (/^(text\/|application\/(manifest\+)?json|application\/xml)/.test(type) || /\.(js|webmanifest|txt|xml)$/.test(key))
      for (const ref of references(key, type, body.toString('utf8')))
        queue.push({ url: new URL(ref, key).href, from: key.slice(root.href.length) });
  }
  for (const a of anchors) {
    const f = files.get(a.page);
    if (!f || !f.type.startsWith('text/html')) continue;
    const html = f.body.toString('utf8');
    const id = a.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!new RegExp(`\\bid="${id}"`).test(html)) broken.push(`${a.page}#${a.id} (from ${a.from}): no such id`);
  }
  return { files, broken };
}

const pages = (files) => [...files].filter(([, f]) => f && f.type.startsWith('text/html'));

const EPUB = 'four-steps-to-get-your-ex-back.epub';

test('output/site/ alone over HTTP: every link and asset of every page, the EPUB download included', async () => {
  const out = build(join(work, 'plain'));
  const site = await serve(join(out, 'site'));
  after(() => site.close());
  const { files, broken } = await crawl(site.url);
  assert.deepEqual(broken, []);
  // every page of the site was reached, and the EPUB
  const htmlFiles = readdirSync(join(out, 'site')).filter((f) => f.endsWith('.html'));
  for (const f of htmlFiles) assert.ok(files.has(new URL(f, site.url).href), `${f} not reached`);
  const epub = files.get(new URL(EPUB, site.url).href);
  assert.ok(epub, 'no page links the EPUB');
  assert.equal(epub.type, 'application/epub+zip');
  assert.ok(epub.body.equals(readFileSync(join(out, EPUB))), 'the EPUB served is not output/' + EPUB);
  assert.equal(epub.body.subarray(30, 58).toString('latin1'), 'mimetypeapplication/epub+zip');
  console.log(`  ${pages(files).length} pages, ${files.size} files, 0 broken`);
});

test('base_url set and the site in a sub-folder: canonical URLs, sitemap and EPUB all reachable', async () => {
  const root = join(work, 'root');
  cpSync(join(top, 'tests/cli'), join(root, 'not-the-site'), { recursive: true });
  const server = await serve(root);
  after(() => server.close());
  const base = `${server.url}book/`;
  const out = build(join(work, 'sub'), `base_url: ${base}\n`);
  renameSync(join(out, 'site'), join(root, 'book'));
  const { files, broken } = await crawl(base);
  assert.deepEqual(broken, []);
  for (const f of ['sitemap.xml', 'robots.txt', EPUB, '02-accept.html'])
    assert.ok(files.get(new URL(f, base).href)?.body, `${f} not reached`);
  // the absolute URLs point into the sub-folder, never at the server's root
  const index = files.get(new URL('index.html', base).href).body.toString('utf8');
  assert.match(index, new RegExp(`<link rel="canonical" href="${base}"`));
  for (const [url] of files) assert.ok(url.startsWith(base), `${url} is outside /book/`);
  console.log(`  ${pages(files).length} pages, ${files.size} files, 0 broken`);
});

test('--no-epub: no page offers an EPUB, and nothing is broken', async () => {
  const out = build(join(work, 'noepub'), '', ['--no-epub']);
  const site = await serve(join(out, 'site'));
  after(() => site.close());
  const { files, broken } = await crawl(site.url);
  assert.deepEqual(broken, []);
  for (const [url, f] of pages(files)) assert.doesNotMatch(f.body.toString('utf8'), /\.epub"/, `${url} links an EPUB`);
  assert.ok(![...files.keys()].some((u) => u.endsWith('.epub')));
});

test('chapters in folders: every link and asset of the nested pages, from the pages above and below', async () => {
  const out = build(join(work, 'folders'), '', [], 'tests/golden/folders/content');
  const site = await serve(join(out, 'site'));
  after(() => site.close());
  const { files, broken } = await crawl(site.url);
  assert.deepEqual(broken, []);
  for (const f of ['guides/01-intro.html', 'guides/02-route.html', 'recipes/01-intro.html', 'guides/map.png', 'images/dot.png'])
    assert.ok(files.get(new URL(f, site.url).href)?.body, `${f} not reached`);
  console.log(`  ${pages(files).length} pages, ${files.size} files, 0 broken`);
});

await run();
