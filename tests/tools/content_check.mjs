#!/usr/bin/env node
// content_check.mjs: editorial checks for the book in content/.
//
//   node tests/tools/content_check.mjs CONTENT_DIR SOURCE_TXT
//
// Checks that every chapter listed in book.yml exists and has front matter
// with a title; that every step chapter (front matter `step:`) has at least
// 6 task items and a valid quiz block of at least 5 questions; that no run of
// 8 consecutive words from the source article appears anywhere in the
// content; that every link to another chapter (`NN-name.md#id`) or to a
// heading of the same chapter (`#id`) points to an existing file and heading
// id; and that the chapters together hold 7,500 to 9,500 words.
//
// No npm dependencies; Node 20. Exit status 0 when every check passes,
// 1 when one fails or the input cannot be read, 2 on a usage error.

import { readFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { join, relative, extname } from 'node:path';

const NGRAM = 8;
const MIN_TASKS = 6;
const MIN_QUESTIONS = 5;
const MIN_WORDS = 7500;
const MAX_WORDS = 9500;

const args = process.argv.slice(2);
if (args.length !== 2 || args.includes('--help') || args.includes('-h')) {
  console.error('usage: node tests/tools/content_check.mjs CONTENT_DIR SOURCE_TXT');
  process.exit(2);
}
const [contentDir, sourcePath] = args;

if (!existsSync(sourcePath) || !statSync(sourcePath).isFile()) {
  console.error(`content_check: error: source article '${sourcePath}' not found (second argument must be the source text file)`);
  process.exit(1);
}
if (!existsSync(contentDir) || !statSync(contentDir).isDirectory()) {
  console.error(`content_check: error: content directory '${contentDir}' not found`);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const failures = [];

function check(ok, what, why) {
  if (ok) {
    passed++;
  } else {
    failed++;
    failures.push(`FAIL: ${what}${why ? ': ' + why : ''}`);
    console.log(`FAIL: ${what}${why ? ': ' + why : ''}`);
  }
  return ok;
}

// ---------------------------------------------------------------- book.yml

function readBookYml(dir) {
  const path = join(dir, 'book.yml');
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const book = { chapters: [], fields: {} };
  let inChapters = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\s*$/.test(line)) continue;
    const item = line.match(/^\s*-\s+(.+?)\s*$/);
    if (inChapters && item) {
      book.chapters.push(unquote(item[1]));
      continue;
    }
    const kv = line.match(/^([A-Za-z_][\w-]*):\s*(.*)$/);
    if (kv) {
      inChapters = kv[1] === 'chapters' && kv[2] === '';
      if (!inChapters) book.fields[kv[1]] = unquote(kv[2].trim());
    }
  }
  return book;
}

function unquote(s) {
  const m = s.match(/^(["'])(.*)\1$/);
  return m ? m[2] : s;
}

// ------------------------------------------------------------ front matter

function splitFrontMatter(text) {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== '---') return { meta: null, body: lines, bodyStart: 0 };
  const end = lines.indexOf('---', 1);
  if (end < 0) return { meta: null, body: lines, bodyStart: 0 };
  const meta = {};
  for (const l of lines.slice(1, end)) {
    const kv = l.match(/^([A-Za-z_][\w-]*):\s*(.*)$/);
    if (kv) meta[kv[1]] = unquote(kv[2].trim());
  }
  return { meta, body: lines.slice(end + 1), bodyStart: end + 1 };
}

// ------------------------------------------------------- Markdown scanning

// Walks the body lines, tracking fenced code blocks. Calls onLine(line, no,
// fence) where fence is null outside a fence, or {info} inside one; fence
// open and close lines themselves are reported with marker: 'open'/'close'.
function walk(lines, firstLineNo, onLine) {
  let fence = null;
  lines.forEach((line, i) => {
    const no = firstLineNo + i + 1;
    if (!fence) {
      const m = line.match(/^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)?.*$/);
      if (m) {
        fence = { ch: m[1][0], len: m[1].length, info: (m[2] || '').trim(), start: no };
        onLine(line, no, fence, 'open');
        return;
      }
      onLine(line, no, null, null);
    } else {
      const c = line.match(/^ {0,3}(`{3,}|~{3,})\s*$/);
      if (c && c[1][0] === fence.ch && c[1].length >= fence.len) {
        onLine(line, no, fence, 'close');
        fence = null;
        return;
      }
      onLine(line, no, fence, null);
    }
  });
}

// GitHub-style slug: lowercase, keep letters (any script), digits, spaces,
// hyphens and underscores, drop everything else, spaces become hyphens.
function slugify(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

// The visible text of a heading's inline Markdown.
function headingText(s) {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images
    .replace(/`([^`]*)`/g, '$1')               // code spans
    .replace(/(\*\*|__|\*|~~)/g, '')           // emphasis markers
    .trim();
}

function analyseChapter(text) {
  const { meta, body, bodyStart } = splitFrontMatter(text);
  const ids = new Set();
  const headings = [];
  const links = [];
  const tasks = [];
  const quizzes = [];
  const h1s = [];
  let quiz = null;

  walk(body, bodyStart, (line, no, fence, marker) => {
    if (fence) {
      if (marker === 'open' && fence.info === 'quiz') {
        quiz = { line: no, questions: [], errors: [] };
      } else if (marker === 'close' && quiz) {
        quizzes.push(quiz);
        quiz = null;
      } else if (!marker && quiz) {
        parseQuizLine(quiz, line, no);
      }
      return;
    }
    const h = line.match(/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (h) {
      let raw = h[2];
      let id;
      const explicit = raw.match(/^(.*?)\s*\{#([^}\s]+)\}$/);
      if (explicit) {
        raw = explicit[1];
        id = explicit[2];
      } else {
        const base = slugify(headingText(raw));
        id = base;
        for (let n = 1; ids.has(id); n++) id = `${base}-${n}`;
      }
      ids.add(id);
      headings.push({ level: h[1].length, text: headingText(raw), id, line: no });
      if (h[1].length === 1) h1s.push(no);
    }
    if (/^\s*(?:>\s*)*[-*+]\s+\[[ xX]\]\s+\S/.test(line)) tasks.push({ line: no, text: line.trim() });
    // Inline links [text](target); skip code spans first.
    const noCode = line.replace(/`[^`]*`/g, '');
    for (const m of noCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: m[1], line: no, col: m.index + 3 });
    }
  });
  if (quiz) {
    quiz.errors.push(`line ${quiz.line}: quiz block is not closed`);
    quizzes.push(quiz);
  }
  for (const q of quizzes) validateQuiz(q);
  return { meta, ids, headings, links, tasks, quizzes, h1s };
}

function parseQuizLine(quiz, line, no) {
  if (/^\s*$/.test(line)) return;
  const cur = quiz.questions[quiz.questions.length - 1];
  let m;
  if ((m = line.match(/^\?\s*(.*)$/))) {
    if (!m[1].trim()) quiz.errors.push(`line ${no}: empty question`);
    quiz.questions.push({ line: no, text: m[1].trim(), choices: [], explanation: '' });
  } else if ((m = line.match(/^- \[([ xX])\]\s*(.*)$/))) {
    if (!cur) return quiz.errors.push(`line ${no}: choice before any question`);
    if (!m[2].trim()) quiz.errors.push(`line ${no}: empty choice`);
    cur.choices.push({ correct: m[1] !== ' ', text: m[2].trim() });
  } else if ((m = line.match(/^>\s?(.*)$/))) {
    if (!cur) return quiz.errors.push(`line ${no}: explanation before any question`);
    cur.explanation += (cur.explanation ? ' ' : '') + m[1].trim();
  } else {
    quiz.errors.push(`line ${no}: stray line in quiz block: '${line.trim()}'`);
  }
}

function validateQuiz(quiz) {
  if (quiz.questions.length === 0) quiz.errors.push(`line ${quiz.line}: empty quiz block`);
  for (const q of quiz.questions) {
    if (q.choices.length < 2) quiz.errors.push(`line ${q.line}: question has fewer than 2 choices`);
    if (!q.choices.some((c) => c.correct)) quiz.errors.push(`line ${q.line}: question has no correct choice`);
  }
}

// ----------------------------------------------------------- word overlap

// Lowercase, drop apostrophes inside words, turn every other non-letter,
// non-digit character into a space, split on whitespace.
function normWords(text) {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/['\u2018\u2019\u02bc]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

// Markdown to prose for comparison: drop link targets and front matter keys'
// punctuation; the words of the text itself remain.
function proseOf(text) {
  return text.replace(/\]\([^)]*\)/g, '] ').replace(/\{#[^}]*\}/g, ' ');
}

function ngrams(words, n) {
  const set = new Set();
  for (let i = 0; i + n <= words.length; i++) set.add(words.slice(i, i + n).join(' '));
  return set;
}

// Longest run of consecutive words shared by a and b (word-level longest
// common substring, rolling rows).
function longestSharedRun(a, b) {
  let best = 0;
  let bestAt = -1;
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        const v = prev[j - 1] + 1;
        cur[j] = v;
        if (v > best) { best = v; bestAt = i; }
      } else {
        cur[j] = 0;
      }
    }
    [prev, cur] = [cur, prev];
    cur.fill(0);
  }
  return { length: best, words: best ? a.slice(bestAt - best, bestAt).join(' ') : '' };
}

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

// ------------------------------------------------------------------- main

const book = readBookYml(contentDir);
if (!check(book !== null, `${join(contentDir, 'book.yml')} exists`, 'file not found')) {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(1);
}
check(book.chapters.length > 0, 'book.yml lists chapters', 'no chapters: list found');
check(!!book.fields.title, 'book.yml has a title', 'no title: field');
if (book.fields.cover) {
  check(existsSync(join(contentDir, book.fields.cover)), `cover '${book.fields.cover}' exists`, 'file not found');
}

const chapters = new Map(); // file -> analysis
for (const file of book.chapters) {
  const path = join(contentDir, file);
  if (!check(existsSync(path), `chapter '${file}' exists`, `listed in book.yml but ${path} not found`)) continue;
  const text = readFileSync(path, 'utf8');
  const a = analyseChapter(text);
  a.file = file;
  a.text = text;
  a.words = text.split(/\s+/).filter(Boolean).length; // as wc -w counts
  chapters.set(file, a);
  if (check(a.meta !== null, `${file}: front matter`, 'no front matter between --- lines at the top')) {
    check(!!a.meta.title, `${file}: front matter has a title`, 'title: is missing or empty');
  }
  check(a.h1s.length === 0, `${file}: no # heading in the body`, `h1 on line(s) ${a.h1s.join(', ')}; the title comes from front matter`);
  if (a.meta && a.meta.step !== undefined && a.meta.step !== '') {
    check(a.tasks.length >= MIN_TASKS, `${file}: at least ${MIN_TASKS} task items`, `found ${a.tasks.length}`);
    const nq = a.quizzes.reduce((s, q) => s + q.questions.length, 0);
    check(a.quizzes.length > 0, `${file}: has a quiz block`, 'no ```quiz fenced block');
    check(nq >= MIN_QUESTIONS, `${file}: quiz has at least ${MIN_QUESTIONS} questions`, `found ${nq}`);
    const errs = a.quizzes.flatMap((q) => q.errors);
    check(errs.length === 0, `${file}: quiz blocks are well formed`, errs.join('; '));
  }
}

// Links between chapters and to headings.
let linkCount = 0;
for (const a of chapters.values()) {
  for (const l of a.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(l.target)) continue; // external URL
    const [pathPart, frag] = l.target.split('#', 2);
    if (pathPart && !/\.md$/i.test(pathPart)) continue; // images and other files
    linkCount++;
    const where = `${a.file}:${l.line}:${l.col}: link '${l.target}'`;
    let target = a;
    if (pathPart) {
      target = chapters.get(pathPart);
      if (!target) {
        const exists = existsSync(join(contentDir, pathPart));
        check(false, where, exists ? `'${pathPart}' is not a chapter listed in book.yml` : `no file '${pathPart}'`);
        continue;
      }
    }
    if (frag !== undefined) {
      check(target.ids.has(frag), where, `no heading id '${frag}' in '${target.file}'`);
    } else {
      check(true, where);
    }
  }
}

// Overlap with the source: no shared run of NGRAM words, in any text file
// under content/.
const sourceWords = normWords(readFileSync(sourcePath, 'utf8'));
const sourceGrams = ngrams(sourceWords, NGRAM);
const textExt = new Set(['.md', '.yml', '.yaml', '.svg', '.txt', '.html']);
let longest = { length: 0, words: '', file: '' };
let overlapFiles = 0;
for (const path of listFiles(contentDir)) {
  if (!textExt.has(extname(path).toLowerCase())) continue;
  overlapFiles++;
  let text = readFileSync(path, 'utf8');
  if (extname(path).toLowerCase() === '.svg') text = text.replace(/<[^>]*>/g, ' ');
  const words = normWords(proseOf(text));
  const hits = [];
  for (let i = 0; i + NGRAM <= words.length; i++) {
    const g = words.slice(i, i + NGRAM).join(' ');
    if (sourceGrams.has(g)) hits.push(g);
  }
  const rel = relative(contentDir, path);
  check(hits.length === 0, `${rel}: no ${NGRAM}-word run from the source`,
    `${hits.length} shared ${NGRAM}-gram(s), first: "${hits[0]}"`);
  const run = longestSharedRun(words, sourceWords);
  if (run.length > longest.length) longest = { ...run, file: rel };
}

// Length of the whole book, counted as `wc -w` counts the chapter files.
const totalWords = [...chapters.values()].reduce((s, a) => s + a.words, 0);
check(totalWords >= MIN_WORDS && totalWords <= MAX_WORDS,
  `book length ${MIN_WORDS}..${MAX_WORDS} words`, `found ${totalWords}`);

// ---------------------------------------------------------------- summary

console.log('\nchapter                    words  step  tasks  questions');
for (const a of chapters.values()) {
  const nq = a.quizzes.reduce((s, q) => s + q.questions.length, 0);
  const step = a.meta && a.meta.step ? a.meta.step : '-';
  console.log(`${a.file.padEnd(25)} ${String(a.words).padStart(6)}  ${String(step).padStart(4)}  ${String(a.tasks.length).padStart(5)}  ${String(nq).padStart(9)}`);
}
const totalTasks = [...chapters.values()].reduce((s, a) => s + a.tasks.length, 0);
const totalQ = [...chapters.values()].reduce((s, a) => s + a.quizzes.reduce((t, q) => t + q.questions.length, 0), 0);
console.log(`${'total'.padEnd(25)} ${String(totalWords).padStart(6)}        ${String(totalTasks).padStart(5)}  ${String(totalQ).padStart(9)}`);
console.log(`\nlinks to chapters and headings checked: ${linkCount}`);
const overlapFailed = failures.some((f) => f.includes(`-word run from the source`));
console.log(`source overlap: ${overlapFailed ? 'FAILED' : 'none'} (${NGRAM}-word runs, ${overlapFiles} files against ${sourceWords.length} source words); ` +
  `longest shared run: ${longest.length} word(s)` + (longest.length ? ` in ${longest.file}: "${longest.words}"` : ''));
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
