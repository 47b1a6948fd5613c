// Turns the JSON reports of the validators into readable lines, a summary
// line and an exit code. Called by vnu.sh, epubcheck.sh and ace.sh:
//
//   node report.mjs vnu       OUT.json NFILES WERROR(0|1)
//   node report.mjs epubcheck REPORT.json EPUB
//   node report.mjs ace       REPORT.json EPUB
//
// Exit codes: 0 clean, 1 findings that fail, 2 unreadable report.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const [, , kind, file, ...rest] = process.argv;

function readJson(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    console.error(`${kind}: cannot read report ${path}: ${e.message}`);
    process.exit(2);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    console.error(`${kind}: report ${path} is not JSON (${e.message}):`);
    console.error(text.slice(0, 2000));
    process.exit(2);
  }
}

function niceUrl(url) {
  if (!url) return '(no file)';
  try {
    if (url.startsWith('file:')) {
      const p = fileURLToPath(url.replace(/^file:\/*/, 'file:///'));
      const r = relative(process.cwd(), p);
      return r.startsWith('..') ? p : r;
    }
  } catch { /* fall through */ }
  return url;
}

function oneLine(s) {
  return String(s ?? '').replace(/\s+/g, ' ').trim();
}

function vnu() {
  const nfiles = Number(rest[0] || 0);
  const werror = rest[1] === '1';
  const data = readJson(file);
  let errors = 0;
  let warnings = 0;
  for (const m of data.messages || []) {
    let level;
    if (m.type === 'error' || m.type === 'non-document-error') {
      level = m.subType === 'fatal' ? 'fatal error' : 'error';
      errors++;
    } else if (m.type === 'info' && m.subType === 'warning') {
      level = 'warning';
      warnings++;
    } else {
      continue;
    }
    const line = m.firstLine ?? m.lastLine;
    const col = m.firstColumn ?? m.lastColumn;
    const where = line ? `:${line}${col ? `.${col}` : ''}` : '';
    console.log(`${niceUrl(m.url)}${where}: ${level}: ${oneLine(m.message)}`);
    if (m.extract) console.log(`    ${oneLine(m.extract)}`);
  }
  console.log(`vnu: ${nfiles} files, ${errors} errors, ${warnings} warnings`);
  process.exit(errors > 0 || (werror && warnings > 0) ? 1 : 0);
}

function epubcheck() {
  const epub = rest[0] || file;
  const data = readJson(file);
  const c = data.checker || {};
  const counts = { FATAL: 0, ERROR: 0, WARNING: 0 };
  for (const m of data.messages || []) {
    const sev = m.severity;
    if (!(sev in counts)) continue; // USAGE, INFO, SUPPRESSED
    const locs = m.locations && m.locations.length ? m.locations : [{}];
    // epubcheck groups identical messages; each location is one finding.
    counts[sev] += locs.length;
    for (const l of locs) {
      const where = l.path
        ? `${l.path}${l.line > 0 ? `:${l.line}${l.column > 0 ? `.${l.column}` : ''}` : ''}`
        : '(package)';
      console.log(`${epub}: ${where}: ${sev.toLowerCase()} ${m.ID}: ${oneLine(m.message)}`);
    }
  }
  // The checker's own totals win if they disagree with what we counted.
  const errors = Math.max(counts.FATAL + counts.ERROR, (c.nFatal || 0) + (c.nError || 0));
  const warnings = Math.max(counts.WARNING, c.nWarning || 0);
  console.log(`epubcheck: ${epub}: ${errors} errors, ${warnings} warnings`);
  process.exit(errors + warnings > 0 ? 1 : 0);
}

function ace() {
  const epub = rest[0] || file;
  const data = readJson(file);
  const byImpact = {};
  let n = 0;
  for (const doc of data.assertions || []) {
    const url = doc['earl:testSubject']?.url || '';
    for (const a of doc.assertions || []) {
      if (a['earl:result']?.['earl:outcome'] !== 'fail') continue;
      n++;
      const t = a['earl:test'] || {};
      const impact = t['earl:impact'] || 'unknown';
      byImpact[impact] = (byImpact[impact] || 0) + 1;
      const r = a['earl:result'] || {};
      // Ace repeats a selector once per node; show each once.
      const ptr = [...new Set(r['earl:pointer']?.css || [])].join(', ');
      const why = String(r['dct:description'] || '').split('\n')[0];
      console.log(`${url}: ${impact} ${t['dct:title'] || '?'}: ${oneLine(t['dct:description'])}${why ? ` (${oneLine(why)})` : ''}${ptr ? ` [${ptr}]` : ''}`);
    }
  }
  const outcome = data['earl:result']?.['earl:outcome'] || '?';
  const detail = Object.entries(byImpact).map(([k, v]) => `${v} ${k}`).join(', ');
  console.log(`ace: ${epub}: ${n} violations${detail ? ` (${detail})` : ''}, outcome ${outcome}`);
  process.exit(n > 0 || outcome === 'fail' ? 1 : 0);
}

switch (kind) {
  case 'vnu': vnu(); break;
  case 'epubcheck': epubcheck(); break;
  case 'ace': ace(); break;
  default:
    console.error('usage: node report.mjs vnu|epubcheck|ace REPORT.json ...');
    process.exit(2);
}
