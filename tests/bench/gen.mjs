// Generates a benchmark book: N chapters of about 10 KB of Markdown each,
// with front matter, headings, tables, task items, footnotes, a quiz and
// links to other chapters' headings.
//
//   node tests/bench/gen.mjs N DIR      writes DIR/content/
//
// Deterministic: the same N gives the same files.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const n = Number(process.argv[2] || 1000);
const dir = process.argv[3];
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
