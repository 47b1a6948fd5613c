#!/usr/bin/env node
// content_check.mjs: editorial checks for the book in content/.
//
//   node tests/tools/content_check.mjs CONTENT_DIR [--source-optional] SOURCE_TXT
//
// Checks that every chapter listed in book.yml exists and has front matter
// with a title; that every step chapter (front matter `step:`) has at least
// 6 task items and a valid quiz block of at least 5 questions; that no run of
// 8 consecutive words from the source article appears anywhere in the
// content; that every link to another chapter (`NN-name.md#id`) or to a
// heading of the same chapter (`#id`) points to an existing file and heading
// id; and that the chapters together hold 7,500 to 9,500 words.
//
// Quizzes: over the single-answer questions of the whole book, no position
// holds the right answer more than 40% of the time, and the right answer is
// the longest choice in at most half of them; no two pick-all questions
// share a key; no question writes its own "(Choose all that apply.)" (the
// tool adds that hint).
//
// Safety: every helpline in HELPLINES is named with its number(s) in one
// paragraph; the crisis lines (988, 116 123) are given in full in exactly one
// paragraph, and every other chapter points to its heading with the same
// words. The closing chapter (the last one in book.yml) has at least 1,000
// words of prose, 6 task items and a quiz; no task item leans on its
// surroundings ("above", "below"), as the checklist page shows it alone.
//
// With --source-optional, a SOURCE_TXT that does not exist is no error: the
// overlap check is skipped, with the reason printed, and the rest runs (the
// source article lives beside the repository, not in a fresh clone).
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
const MAX_KEY_SHARE = 0.4;     // of single-answer questions, per position
const MAX_LONGEST_SHARE = 0.5; // right answer = the longest choice
const CLOSING_MIN_WORDS = 1000;
const CLOSING_MIN_TASKS = 6;
const CLOSING_MIN_QUESTIONS = 3;
// Each helpline: its name and every number, in one paragraph of the book.
const HELPLINES = [
  { name: 'National Domestic Violence Hotline', numbers: ['1-800-799-7233', '88788'] },
  { name: 'National Domestic Abuse Helpline', numbers: ['0808 2000 247'] },
  { name: "Men's Advice Line", numbers: ['0808 801 0327'] },
  { name: 'Respect Phoneline', numbers: ['0808 802 4040'] },
  { name: 'Suicide and Crisis Lifeline', numbers: ['988'] },
  { name: 'Samaritans', numbers: ['116 123'] },
  { name: 'findahelpline.com', numbers: [] },
];
// The crisis note: the paragraph that holds all of these, once in the book.
const CRISIS_NUMBERS = ['988', '116 123'];
const PICK_ALL_HINT = /all that apply|\b(choose|select|pick|tick) (all|every)\b/i;
const LEANING_TASK = /\b(above|below)\b/i;

const args = process.argv.slice(2);
const sourceOptional = args.includes('--source-optional');
const pos = args.filter((a) => a !== '--source-optional');
if (pos.length !== 2 || args.includes('--help') || args.includes('-h')) {
  console.error('usage: node tests/tools/content_check.mjs CONTENT_DIR [--source-optional] SOURCE_TXT');
  process.exit(2);
}
const [contentDir, sourcePath] = pos;

const haveSource = existsSync(sourcePath) && statSync(sourcePath).isFile();
if (!haveSource && !sourceOptional) {
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
  const paragraphs = []; // {line, text, heading}: blocks of non-blank lines outside fences
  const prose = [];      // every line outside quiz blocks
  let quiz = null;
  let para = null;

  walk(body, bodyStart, (line, no, fence, marker) => {
    if (!(fence && fence.info === 'quiz')) prose.push(line);
    if (fence || /^\s*$/.test(line)) {
      para = null;
    } else if (para) {
      para.text += '\n' + line;
    } else {
      para = { line: no, text: line, heading: headings.length ? headings[headings.length - 1].id : '' };
      paragraphs.push(para);
    }
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
  return { meta, ids, headings, links, tasks, quizzes, h1s, paragraphs, prose: prose.join('\n') };
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

// 1 -> "1st", 2 -> "2nd"...; letter(0) -> "a".
function ordinal(n) {
  return n + (n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th');
}
function letter(i) {
  return String.fromCharCode(97 + i);
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

// Quizzes across the book: no hint written by hand, the key spread over the
// positions and not given away by its length, pick-all keys all different.
const questions = [];
for (const a of chapters.values()) {
  for (const q of a.quizzes) for (const qq of q.questions) questions.push({ ...qq, file: a.file });
}
for (const q of questions) {
  check(!PICK_ALL_HINT.test(q.text), `${q.file}:${q.line}: question writes no pick-all hint`,
    `"${q.text}": the tool adds its own "(Choose all that apply.)"`);
}
const single = questions.filter((q) => q.choices.filter((c) => c.correct).length === 1);
const keyCount = [];
let keyLongest = 0;
for (const q of single) {
  const k = q.choices.findIndex((c) => c.correct);
  keyCount[k] = (keyCount[k] || 0) + 1;
  if (q.choices.every((c, i) => i === k || c.text.length < q.choices[k].text.length)) keyLongest++;
}
const positions = [...keyCount].map((n, i) => `${ordinal(i + 1)} ${n || 0}`).join(', ');
if (single.length) {
  const top = Math.max(...keyCount.map((n) => n || 0));
  check(top <= MAX_KEY_SHARE * single.length,
    `right answers spread: no position holds more than ${MAX_KEY_SHARE * 100}% of ${single.length} single-answer keys`,
    `${positions}`);
  check(keyLongest <= MAX_LONGEST_SHARE * single.length,
    `right answer is the longest choice in at most ${MAX_LONGEST_SHARE * 100}% of single-answer questions`,
    `it is in ${keyLongest} of ${single.length}`);
}
const pickAll = questions.filter((q) => q.choices.filter((c) => c.correct).length > 1);
const pickAllKeys = new Map(); // key -> first question with it
for (const q of pickAll) {
  const key = q.choices.map((c, i) => (c.correct ? letter(i) : '')).join('');
  const first = pickAllKeys.get(key);
  check(!first, `${q.file}:${q.line}: pick-all key ${key} is not shared`,
    first ? `${first.file}:${first.line} has the same key` : '');
  if (!first) pickAllKeys.set(key, q);
}

// Helplines: each named with its number(s) in one paragraph.
const allParagraphs = [...chapters.values()].flatMap((a) =>
  a.paragraphs.map((p) => ({ ...p, file: a.file, plain: p.text.replace(/\*\*/g, '') })));
const hasNumber = (text, n) => new RegExp(`(?<![\\d-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d-])`).test(text);
const helplineAt = [];
for (const h of HELPLINES) {
  const p = allParagraphs.find((x) => x.plain.includes(h.name) && h.numbers.every((n) => hasNumber(x.plain, n)));
  check(!!p, `helpline: ${h.name}${h.numbers.length ? ' ' + h.numbers.join(', ') : ''}`,
    'not found with its number(s) in one paragraph');
  if (p) helplineAt.push(`${h.name} (${p.file}:${p.line})`);
}

// The crisis note in full once; elsewhere, the same short pointer to it.
const notes = allParagraphs.filter((p) => CRISIS_NUMBERS.every((n) => hasNumber(p.plain, n)));
check(notes.length === 1, `crisis note (${CRISIS_NUMBERS.join(', ')}) given in full exactly once`,
  `found ${notes.length}: ${notes.map((p) => `${p.file}:${p.line}`).join(', ')}`);
if (notes.length === 1) {
  const note = notes[0];
  const anchor = `${note.file}#${note.heading}`;
  check(!!note.heading, `${note.file}:${note.line}: crisis note under a heading`, 'no heading to link to');
  const pointers = allParagraphs.filter((p) => p.text.includes(`](${anchor})`));
  for (const a of chapters.values()) {
    if (a.file === note.file) continue;
    check(pointers.some((p) => p.file === a.file), `${a.file}: points to the crisis note`,
      `no link to ${anchor}`);
  }
  const wordings = new Set(pointers.map((p) => p.text));
  check(wordings.size <= 1, 'crisis pointers share one wording',
    `${wordings.size} wordings: ${pointers.map((p) => `${p.file}:${p.line}`).join(', ')}`);
}

// Task items stand alone on the checklist page.
for (const a of chapters.values()) {
  for (const t of a.tasks) {
    check(!LEANING_TASK.test(t.text), `${a.file}:${t.line}: task item makes sense alone`,
      `"${t.text}" points ${(t.text.match(LEANING_TASK) || [""])[0]}`);
  }
}

// The closing chapter: its own checklist, a quiz and 1,000 words of prose.
const closing = chapters.get(book.chapters[book.chapters.length - 1]);
let closingWords = 0;
if (closing) {
  closingWords = normWords(proseOf(closing.prose)).length;
  const nq = closing.quizzes.reduce((n, q) => n + q.questions.length, 0);
  check(closingWords >= CLOSING_MIN_WORDS, `${closing.file}: closing chapter has at least ${CLOSING_MIN_WORDS} words of prose`,
    `found ${closingWords}`);
  check(closing.tasks.length >= CLOSING_MIN_TASKS, `${closing.file}: closing chapter has at least ${CLOSING_MIN_TASKS} task items`,
    `found ${closing.tasks.length}`);
  check(nq >= CLOSING_MIN_QUESTIONS, `${closing.file}: closing chapter has a quiz of at least ${CLOSING_MIN_QUESTIONS} questions`,
    `found ${nq}`);
  const errs = closing.quizzes.flatMap((q) => q.errors);
  check(errs.length === 0, `${closing.file}: quiz blocks are well formed`, errs.join('; '));
}

// Overlap with the source: no shared run of NGRAM words, in any text file
// under content/.
const sourceWords = haveSource ? normWords(readFileSync(sourcePath, 'utf8')) : [];
const sourceGrams = ngrams(sourceWords, NGRAM);
const textExt = new Set(['.md', '.yml', '.yaml', '.svg', '.txt', '.html']);
let longest = { length: 0, words: '', file: '' };
let overlapFiles = 0;
for (const path of haveSource ? listFiles(contentDir) : []) {
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
console.log(`quiz keys: ${single.length} single-answer (${positions}); right answer longest in ${keyLongest}; ` +
  `${pickAll.length} pick-all (${[...pickAllKeys.keys()].join(', ')})`);
if (closing) console.log(`closing chapter ${closing.file}: ${closingWords} words of prose`);
console.log(`helplines: ${helplineAt.join('; ')}`);
if (haveSource) {
  const overlapFailed = failures.some((f) => f.includes(`-word run from the source`));
  console.log(`source overlap: ${overlapFailed ? 'FAILED' : 'none'} (${NGRAM}-word runs, ${overlapFiles} files against ${sourceWords.length} source words); ` +
    `longest shared run: ${longest.length} word(s)` + (longest.length ? ` in ${longest.file}: "${longest.words}"` : ''));
} else {
  console.log(`source overlap: SKIPPED: the source article '${sourcePath}' is not there ` +
    '(it lives beside the repository, in ../shared/seed/, which a fresh clone does not have)');
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
