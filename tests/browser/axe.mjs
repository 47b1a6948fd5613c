// axe-core accessibility check of pages, WCAG 2.0/2.1 levels A and AA, in
// the light and the dark colour scheme.
//
//   node tests/browser/axe.mjs [--light|--dark] [--disable RULE]... URL_OR_FILE...
//
// Each page is loaded in headless Chromium (prefers-color-scheme emulated),
// axe-core from tests/node_modules is evaluated in it (not as a <script>,
// so a page's Content-Security-Policy cannot block it), and axe.run checks
// the tags wcag2a, wcag2aa, wcag21a, wcag21aa. Plain paths become file://
// URLs. Prints each violation (impact, rule id, help, targets), a count per
// page and scheme, and a last line "axe: N pages, N checks, N violations".
// Exit 1 on any violation or a page that fails to load, 2 on usage.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, newPage, modulePath } from './lib.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function usage(msg) {
  if (msg) console.error(`axe: ${msg}`);
  console.error('usage: node axe.mjs [--light|--dark] [--disable RULE]... URL_OR_FILE...');
  process.exit(2);
}

let schemes = ['light', 'dark'];
const disabled = [];
const urls = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--dark') schemes = ['dark'];
  else if (a === '--light') schemes = ['light'];
  else if (a === '--both') schemes = ['light', 'dark'];
  else if (a === '--disable') {
    if (i + 1 >= argv.length) usage('--disable needs a rule id');
    disabled.push(argv[++i]);
  } else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(a)) urls.push({ url: a, name: a });
  else if (existsSync(a)) urls.push({ url: pathToFileURL(resolve(a)).href, name: a });
  else usage(`no such file: ${a}`);
}
if (!urls.length) usage();

const axeSource = readFileSync(modulePath('axe-core/axe.min.js'), 'utf8');
const browser = await launch();
let violations = 0;
let failedPages = 0;
let checks = 0;
try {
  for (const { url, name } of urls) {
    for (const scheme of schemes) {
      checks++;
      const label = `${name} [${scheme}]`;
      const page = await newPage(browser, { dark: scheme === 'dark' });
      try {
        const resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
        if (resp && resp.status() >= 400) throw new Error(`HTTP ${resp.status()}`);
        await page.evaluate(() => document.fonts && document.fonts.ready);
        await page.evaluate(axeSource);
        const res = await page.evaluate(async ({ tags, off }) => {
          const rules = {};
          for (const r of off) rules[r] = { enabled: false };
          const r = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            rules,
            resultTypes: ['violations'],
          });
          return {
            version: window.axe.version,
            violations: r.violations.map((v) => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map((n) => ({
                target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', '),
                summary: n.failureSummary,
              })),
            })),
            incomplete: r.incomplete.length,
          };
        }, { tags: TAGS, off: disabled });
        let n = 0;
        for (const v of res.violations) {
          for (const node of v.nodes) {
            n++;
            console.log(`${label}: ${v.impact} ${v.id}: ${v.help} [${node.target}]`);
            const why = (node.summary || '').split('\n').slice(1).join(' ').replace(/\s+/g, ' ').trim();
            if (why) console.log(`    ${why}`);
          }
        }
        violations += n;
        console.log(`axe: ${label}: ${n} violations (${res.violations.length} rules)` +
          (res.incomplete ? `, ${res.incomplete} rules need review` : ''));
      } catch (e) {
        failedPages++;
        console.log(`axe: ${label}: could not check: ${e.message.split('\n')[0]}`);
      } finally {
        await page.context().close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`axe: ${urls.length} pages, ${checks} checks, ${violations} violations` +
  (failedPages ? `, ${failedPages} failed to load` : ''));
process.exit(violations > 0 || failedPages > 0 ? 1 : 0);
