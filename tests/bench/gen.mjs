// Generates a benchmark book: N chapters of about 10 KB of Markdown each,
// with front matter, headings, tables, task items, footnotes, a quiz and
// links to other chapters' headings.
//
//   node tests/bench/gen.mjs N DIR [code|plain]     writes DIR/content/
//
// `code` adds a fenced code block to every other section (6 a chapter, in
// turn python, javascript, bash, c, rust, go, yaml, json, typescript and
// console), for the highlighter to colour; `plain` adds the same blocks
// with an info string no highlighter knows ("text"): the same book, the
// code left plain. Deterministic: the same arguments give the same files.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const n = Number(process.argv[2] || 1000);
const dir = process.argv[3];
const code = process.argv[4] || '';
if (code && code !== 'code' && code !== 'plain') {
  console.error('usage: node gen.mjs N DIR [code|plain]');
  process.exit(2);
}
if (!dir || !(n > 0)) {
  console.error('usage: node gen.mjs N DIR');
  process.exit(2);
}
const content = join(dir, 'content');
rmSync(content, { recursive: true, force: true });
mkdirSync(content, { recursive: true });

let seed = 12345;
function rand(k) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % k;
}
const words = ('time space letter silence step friend coffee call message ' +
  'accept change grow patience listen respect honest calm trust walk ' +
  'morning evening habit journal answer question reason choice decision ' +
  'memory future past present kind clear gentle steady brave quiet').split(' ');
function sentence(len) {
  const w = [];
  for (let i = 0; i < len; i++) w.push(words[rand(words.length)]);
  w[0] = w[0][0].toUpperCase() + w[0].slice(1);
  return w.join(' ') + '.';
}
function para() {
  const s = [];
  const k = 4 + rand(4);
  for (let i = 0; i < k; i++) s.push(sentence(8 + rand(10)));
  return s.join(' ');
}
const name = (i) => `ch${String(i).padStart(5, '0')}.md`;

// Code blocks of about ten lines, made from the chapter and section
// numbers only (not rand()), so that a book with code and one without
// hold the same text otherwise.
const SAMPLES = [
  ['python', (k) => [`def step_${k}(items, limit=${k % 97}):`, '    """Keep the items under the limit."""',
    '    kept = []', '    for item in items:', '        if item.size < limit and not item.done:',
    '            kept.append(item)  # still to do', `    return sorted(kept, key=lambda i: i.name)[:${k % 13 + 1}]`]],
  ['javascript', (k) => [`export function step${k}(list, limit = ${k % 97}) {`, '  const kept = [];',
    '  for (const item of list) {', '    if (item.size < limit && !item.done) kept.push(item); // to do',
    '  }', `  return kept.sort((a, b) => a.name.localeCompare(b.name)).slice(0, ${k % 13 + 1});`, '}']],
  ['bash', (k) => ['#!/bin/sh', `limit=${k % 97}`, 'for f in notes/*.md; do',
    '  size=$(wc -c < "$f")', '  if [ "$size" -lt "$limit" ]; then', '    echo "short: $f"  # check it', '  fi', 'done']],
  ['c', (k) => ['#include <stdio.h>', '', `static int step_${k}(const int *v, size_t n)`, '{',
    '\tint sum = 0;', '\tfor (size_t i = 0; i < n; i++)', `\t\tsum += v[i] > ${k % 97} ? v[i] : 0; /* big */`,
    '\treturn sum;', '}']],
  ['rust', (k) => [`fn step_${k}(items: &[Item]) -> Vec<&Item> {`, '    items', '        .iter()',
    `        .filter(|i| i.size < ${k % 97} && !i.done) // to do`, '        .collect()', '}']],
  ['go', (k) => ['package steps', '', `func Step${k}(items []Item) []Item {`, '\tvar kept []Item',
    '\tfor _, it := range items {', `\t\tif it.Size < ${k % 97} && !it.Done {`, '\t\t\tkept = append(kept, it)',
    '\t\t}', '\t}', '\treturn kept', '}']],
  ['yaml', (k) => [`step: ${k}`, 'name: "morning walk"  # the habit', 'days:', '  - monday', '  - wednesday',
    `limit: ${k % 97}`, 'done: false']],
  ['json', (k) => ['{', `  "step": ${k},`, '  "name": "morning walk",', '  "days": ["monday", "wednesday"],',
    `  "limit": ${k % 97},`, '  "done": false', '}']],
  ['typescript', (k) => [`interface Item${k} { name: string; size: number; done: boolean }`, '',
    `export const step${k} = (items: Item${k}[]): Item${k}[] =>`, `  items.filter((i) => i.size < ${k % 97} && !i.done);`]],
  ['console', (k) => [`$ mkdir -p notes/${k} && cd notes/${k}`, '$ ls -la', 'total 0',
    `$ echo "step ${k}" > today.md`, '$ wc -l today.md', '1 today.md']],
];
function codeBlock(i, s) {
  const [lang, lines] = SAMPLES[(i * 7 + s) % SAMPLES.length];
  return ['```' + (code === 'code' ? lang : 'text'), ...lines(i * 100 + s), '```', ''];
}

const chapters = [];
for (let i = 1; i <= n; i++) {
  chapters.push(name(i));
  const out = [];
  out.push('---', `title: Chapter ${i} about ${words[i % words.length]}`, `step: ${i}`,
    `summary: ${sentence(10)}`, '---', '');
  for (let s = 1; s <= 12; s++) {
    const kind = ((s - 1) % 6) + 1;
    out.push(`## Section ${s} of chapter ${i}`, '');
    out.push(para(), '');
    if (kind === 2) {
      const j = 1 + rand(n);
      out.push(`See [section 3 of chapter ${j}](${name(j)}#section-3-of-chapter-${j}) and *this* **too**.[^n${s}]`, '');
      out.push(`[^n${s}]: A footnote with ${sentence(6)}`, '');
    }
    if (kind === 3) {
      out.push('| Day | Plan | Done |', '| --- | --- | --- |');
      for (let r = 0; r < 4; r++) out.push(`| ${r + 1} | ${sentence(4)} | no |`);
      out.push('');
    }
    if (kind === 4) {
      for (let t = 0; t < 4; t++) out.push(`- [ ] ${sentence(6)} (${i}.${s}.${t})`);
      out.push('');
    }
    if (kind === 5) {
      out.push('> [!TIP]', `> ${sentence(12)}`, '');
    }
    out.push(para(), '');
    if (code && s % 2 === 1) out.push(...codeBlock(i, s));
  }
  out.push('```quiz', `? ${sentence(8)}`, '- [ ] one', '- [x] two', '- [ ] three',
    `> ${sentence(6)}`, '', `? ${sentence(7)}`, '- [x] yes', '- [ ] no', '```', '');
  writeFileSync(join(content, name(i)), out.join('\n'));
}
writeFileSync(join(content, 'book.yml'), [
  `title: Benchmark Book of ${n} Chapters`,
  'author: stepbook bench',
  'language: en',
  'identifier: urn:uuid:11111111-2222-4333-8444-555555555555',
  'chapters:',
  ...chapters.map((c) => `  - ${c}`), ''].join('\n'));
