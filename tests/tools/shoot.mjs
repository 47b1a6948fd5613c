// Screenshot of a page in headless Chromium.
//
//   node tests/tools/shoot.mjs URL OUT.png [--width 390] [--height 844]
//        [--dark] [--full] [--scale 1] [--wait SELECTOR]
//
// URL may be http(s)://, file://, or a plain path to a local file (turned
// into file://). --dark emulates prefers-color-scheme: dark; --full takes
// the whole scrollable page. Prints the page's problems (script errors,
// console errors, failed requests) and "shoot: OUT.png WxH"; exit 1 when the
// page fails to load (HTTP status >= 400 or navigation error), 2 on usage.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, newPage } from '../browser/lib.mjs';

function usage(msg) {
  if (msg) console.error(`shoot: ${msg}`);
  console.error('usage: node shoot.mjs URL OUT.png [--width N] [--height N] [--dark] [--full] [--scale N] [--wait SELECTOR]');
  process.exit(2);
}

const pos = [];
const o = { width: 1280, height: 800, dark: false, full: false, scale: 1, wait: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  if (a === '--width') o.width = Number(val());
  else if (a === '--height') o.height = Number(val());
  else if (a === '--scale') o.scale = Number(val());
  else if (a === '--wait') o.wait = val();
  else if (a === '--dark') o.dark = true;
  else if (a === '--full') o.full = true;
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else pos.push(a);
}
if (pos.length !== 2) usage();
if (!(o.width > 0 && o.height > 0 && o.scale > 0)) usage('width, height and scale must be positive numbers');
let [url, out] = pos;
if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) {
  if (!existsSync(url)) usage(`no such file: ${url}`);
  url = pathToFileURL(resolve(url)).href;
}

const browser = await launch();
let code = 0;
try {
  const page = await newPage(browser, { width: o.width, height: o.height, dark: o.dark, scale: o.scale });
  const resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  if (resp && resp.status() >= 400) throw new Error(`HTTP ${resp.status()} for ${url}`);
  if (o.wait) await page.waitForSelector(o.wait, { timeout: 15000 });
  // Web fonts and late layout.
  await page.evaluate(() => document.fonts && document.fonts.ready);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  await page.screenshot({ path: out, fullPage: o.full });
  for (const p of page.problems) console.log(`shoot: page problem: ${p}`);
  const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  console.log(`shoot: ${out} ${o.width}x${o.full ? size[1] : o.height}${o.dark ? ' dark' : ''} (${url})`);
} catch (e) {
  console.error(`shoot: ${e.message}`);
  code = 1;
} finally {
  await browser.close();
}
process.exit(code);
