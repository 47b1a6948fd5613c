// english_check: finds the English interface strings left in a book that
// is not in English (issue 17: "a test fails if any template, script or
// EPUB document shows English words in a non-English book, other than the
// book's own text").
//
//   node tests/tools/english_check.mjs I18N_DIR LANG CONTENT_DIR OUT_DIR...
//
// The strings looked for are the values of I18N_DIR/en.yml (each plural
// form, each stretch between placeholders), but those the LANG pack says
// the same way ("Notes" is French too) and those the book's own text
// (CONTENT_DIR) holds. They are looked for in what a reader meets in each
// OUT_DIR (a site folder, or an unpacked EPUB): the text and the shown
// attributes (aria-label, title, alt, placeholder, content, label) of
// every .html, .xhtml, .ncx and .opf file, the strings of every .js file (its
// string literals, comments aside), and the values of the JSON stepbook
// writes into strings.js and sw.js. A short string (one word) must match
// a whole text or value; a longer one is found inside one.
// Prints each find as FILE: "TEXT" (key) and exits 1 when there is any.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [i18nDir, lang, contentDir, ...outDirs] = process.argv.slice(2);
if (!outDirs.length) {
  console.error('usage: english_check.mjs I18N_DIR LANG CONTENT_DIR OUT_DIR...');
  process.exit(2);
}

// The packs are YAML of one shape: "key: value" or "key:" then
// "  category: value" lines; a value is plain or a double-quoted string.
function readPack(file) {
  const pack = {};
  let last = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const m = /^(\s*)([\w-]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[3] === '' ? null : m[3].startsWith('"') ? JSON.parse(m[3]) : m[3];
    if (m[1]) {
      if (last) pack[last].push(value);
    } else {
      last = m[2];
      pack[last] = value === null ? [] : [value];
    }
  }
  return pack;
}

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

const en = readPack(join(i18nDir, 'en.yml'));
let own = {};
try {
  own = readPack(join(i18nDir, `${lang}.yml`));
} catch {
  // a language without a pack: every English string is a find
}
const bookText = files(contentDir)
  .filter((f) => /\.(md|yml|yaml)$/.test(f))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

// the English stretches: [text, key, whole-match-only]
const wanted = [];
for (const [key, values] of Object.entries(en)) {
  const mine = new Set(own[key] || []);
  for (const v of values) {
    if (mine.has(v)) continue;
    for (let piece of v.split(/\{\w+\}/)) {
      piece = piece.replace(/^[\s:,.;()]+|[\s:,.;()]+$/g, '');
      if (!/[A-Za-z]{2}/.test(piece) || bookText.includes(piece)) continue;
      if ([...mine].some((m) => m.includes(piece))) continue;
      wanted.push([piece, key, !/\s/.test(piece)]);
    }
  }
}

const decode = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

// What a reader meets in a file, as a list of texts.
function texts(file) {
  const src = readFileSync(file, 'utf8');
  const out = [];
  if (/\.(x?html|ncx|opf)$/.test(file)) {
    const body = src.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<!--[\s\S]*?-->/g, ' ');
    for (const m of body.matchAll(/>([^<]+)</g)) out.push(decode(m[1]));
    for (const m of body.matchAll(/\s(?:aria-label|title|alt|placeholder|content|label)="([^"]*)"/g))
      out.push(decode(m[1]));
  } else if (/\.js$/.test(file)) {
    // stepbook's JSON first line(s): every string value in it
    for (const m of src.matchAll(/^self\.\w+ = (.*);$/gm)) {
      const walk = (v) => {
        if (typeof v === 'string') out.push(v);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(JSON.parse(m[1]));
    }
    const code = src
      .replace(/^self\.\w+ = .*;$/gm, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
    for (const m of code.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g))
      out.push(m[1] ?? m[2]);
  }
  return out.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

let finds = 0;
for (const dir of outDirs) {
  for (const file of files(dir)) {
    if (file.includes('search-index')) continue; // the book's own text
    const seen = new Set();
    for (const t of texts(file)) {
      const bare = t.replace(/^[\s:,.;()]+|[\s:,.;()]+$/g, '');
      for (const [piece, key, whole] of wanted) {
        if (whole ? bare !== piece : !t.includes(piece)) continue;
        if (seen.has(piece)) continue;
        seen.add(piece);
        console.log(`${file}: "${piece}" (${key})`);
        finds++;
      }
    }
  }
}
console.log(finds ? `${finds} English strings` : 'no English strings');
process.exit(finds ? 1 : 0);
