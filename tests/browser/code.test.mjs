// Code blocks (issue 19): the copy button (the clipboard's content, with
// and without a console's prompts; keyboard; "Copied" for screen readers;
// none without script), axe on a highlighted page in both themes, light
// and dark, long lines scrolling inside their block at a phone's width,
// and code left to right in a right-to-left book. Builds the golden book
// of every language (tests/golden/code/content) with $STEPBOOK itself,
// with one chapter more, of long lines. Run by run.sh.
import { mkdtempSync, cpSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newPage, serve, test, run, after, assert, axe } from './lib.mjs';

const STEPBOOK = process.env.STEPBOOK;
if (!STEPBOOK) {
  console.log('code: STEPBOOK is not set (run tests/browser/run.sh)');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'stepbook-code-'));
after(() => rmSync(work, { recursive: true, force: true }));

const LONG = 'x = "' + 'a'.repeat(300) + '"';
// build(name, opts, edit): the golden code book with the long-lines
// chapter, edited by `edit(dir)`, built into work/name; returns the site.
function build(name, args = [], edit = () => {}) {
  const dir = join(work, name);
  cpSync('tests/golden/code/content', join(dir, 'content'), { recursive: true });
  writeFileSync(join(dir, 'content', '02-long.md'),
    '# Long lines\n\n```python\n' + LONG + '\n```\n\n```console\n$ echo ' + 'b'.repeat(200) + '\n```\n');
  edit(join(dir, 'content'));
  execFileSync(STEPBOOK, ['-C', dir, 'build', '-q', '--no-epub', ...args], { stdio: 'inherit' });
  return join(dir, 'output', 'site');
}
const defaultSite = build('default');
const paperSite = build('paper', ['--theme', 'paper']);
const rtlSite = build('rtl', [], (c) => {
  const yml = join(c, 'book.yml');
  writeFileSync(yml, readFileSync(yml, 'utf8').replace('language: en', 'language: he'));
});

const problems = (page) => page.problems.filter((p) => !/^requestfailed: .* \(net::ERR_ABORTED\)$/.test(p));

const browser = await launch();
const sites = {};
for (const [name, dir] of [['default', defaultSite], ['paper', paperSite], ['rtl', rtlSite]]) {
  sites[name] = await serve(dir);
  after(() => sites[name].close());
}
after(() => browser.close());

const clipboardPage = (opts = {}) => newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'], ...opts });
const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

/** The block whose <code> has class language-LANG, n-th of them. */
const block = (page, lang, n = 0) => page.locator(`.code-block:has(code.language-${lang})`).nth(n);

test('every block gets a copy button, which copies the code as text', async () => {
  const page = await clipboardPage();
  await page.goto(sites.default.url + '01-code.html');
  const pres = await page.locator('pre').count();
  assert.ok(pres >= 16, `${pres} blocks`);
  assert.equal(await page.locator('.code-block > button.copy-code').count(), pres);
  const py = block(page, 'python');
  assert.equal((await py.locator('button').textContent()).trim(), 'Copy');
  await py.locator('button').click();
  assert.equal(await clipboard(page),
    'def boil(litres: float) -> str:\n    """Boil some water."""\n    return f"{litres} l"');
  // what the page says, and what screen readers are told
  await page.waitForFunction(() => document.querySelector('[role="status"].copy-status')?.textContent === 'Copied');
  assert.equal((await py.locator('button').textContent()).trim(), 'Copied');
  // a plain (unknown language) block copies as it is
  await block(page, 'brainfuck').locator('button').click();
  assert.equal(await clipboard(page), '++++[>++<-]');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a console block copies its commands without prompts or output', async () => {
  const page = await clipboardPage();
  await page.goto(sites.default.url + '01-code.html');
  const con = block(page, 'console');
  assert.equal(await con.locator('.hl-prompt').count(), 2);
  await con.locator('button').click();
  assert.equal(await clipboard(page), 'make test \\\n    -j2\necho "done"');
  // selecting the block's text leaves the prompts out too
  const selected = await page.evaluate(() => {
    const code = document.querySelector('code.language-console');
    const range = document.createRange();
    range.selectNodeContents(code);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return sel.toString();
  });
  assert.ok(!/^\$ /m.test(selected), `selection holds a prompt: ${selected}`);
  assert.ok(selected.includes('make test'), selected);
  await page.context().close();
});

test('numbered and marked lines: the numbers are neither copied nor selected', async () => {
  const page = await clipboardPage();
  await page.goto(sites.default.url + '01-code.html');
  const py = page.locator('.code-block:has(pre.code-lines code.language-python)');
  assert.deepEqual(await py.locator('.ln').evaluateAll((ns) => ns.map((n) =>
    getComputedStyle(n, '::before').content)), ['"7"', '"8"', '"9"', '"10"']);
  assert.deepEqual(await py.locator('.line').evaluateAll((ls) => ls.map((l) =>
    l.classList.contains('hl-mark'))), [false, true, true, false]);
  // a marked line is coloured, an unmarked one is not
  const bg = await py.locator('.line').evaluateAll((ls) => ls.map((l) => getComputedStyle(l).backgroundColor));
  assert.notEqual(bg[1], bg[0]);
  await py.locator('button').click();
  const code = 'def steep(minutes):\n    if minutes > 5:\n        return "bitter"\n    return "fine"';
  assert.equal(await clipboard(page), code);
  const selected = await py.locator('code').evaluate((c) => {
    const range = document.createRange();
    range.selectNodeContents(c);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return sel.toString();
  });
  assert.equal(selected.replace(/\n$/, ''), code);
  // lines marked in a block of no known language
  const text = page.locator('pre.code-lines:has(code.language-text) .line');
  assert.deepEqual(await text.evaluateAll((ls) => ls.map((l) => l.classList.contains('hl-mark'))),
    [true, false, true]);
  await page.context().close();
});

test('the copy button works from the keyboard', async () => {
  const page = await clipboardPage();
  await page.goto(sites.default.url + '01-code.html');
  const button = block(page, 'json').locator('button');
  await button.focus();
  assert.ok(await button.evaluate((b) => b === document.activeElement));
  // reached by Tab from the element before it
  await page.evaluate(() => {
    const b = document.querySelector('.code-block:has(code.language-json) button');
    const prev = document.querySelectorAll('.copy-code');
    const i = Array.prototype.indexOf.call(prev, b);
    prev[i - 1].focus();
  });
  // past the previous block's code, focusable when it scrolls
  for (let i = 0; i < 2 && !(await button.evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  assert.ok(await button.evaluate((b) => b === document.activeElement), 'Tab reaches the next copy button');
  await page.keyboard.press('Enter');
  assert.equal(await clipboard(page), '{"name": "kettle", "watts": 2200, "cordless": true, "notes": null}');
  await page.context().close();
});

test('without script there is no copy button, and the code shows', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(sites.default.url + '01-code.html');
  assert.equal(await page.locator('.copy-code').count(), 0);
  assert.ok(await page.locator('code.language-python .k').first().isVisible());
  await page.context().close();
});

test('copy button strings come from the book\'s language pack', async () => {
  const page = await clipboardPage();
  await page.goto(sites.rtl.url + '01-code.html');
  const button = block(page, 'python').locator('button');
  assert.equal((await button.textContent()).trim(), 'העתקה');
  await button.click();
  await page.waitForFunction(() => document.querySelector('.copy-status')?.textContent === 'הועתק');
  await page.context().close();
});

test('code reads left to right in a right-to-left book', async () => {
  const page = await newPage(browser);
  await page.goto(sites.rtl.url + '01-code.html');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  for (const lang of ['python', 'console', 'brainfuck']) {
    const dir = await page.locator(`pre:has(code.language-${lang})`).first()
      .evaluate((pre) => getComputedStyle(pre).direction);
    assert.equal(dir, 'ltr', lang);
  }
  await page.context().close();
});

test('a block whose lines scroll takes the focus, one that fits does not', async () => {
  const page = await newPage(browser, { width: 390, height: 800 });
  await page.goto(sites.default.url + '02-long.html');
  assert.equal(await page.locator('pre:has(code.language-python)').getAttribute('tabindex'), '0');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(sites.default.url + '01-code.html');
  assert.equal(await page.locator('pre:has(code.language-yaml)').getAttribute('tabindex'), null);
  await page.context().close();
});

test('at 390 px a long line scrolls inside its block, not the page', async () => {
  for (const name of ['default', 'paper', 'rtl']) {
    const page = await newPage(browser, { width: 390, height: 800 });
    await page.goto(sites[name].url + '02-long.html');
    const m = await page.evaluate(() => {
      const pre = document.querySelector('pre');
      return { page: document.documentElement.scrollWidth, view: window.innerWidth,
        pre: pre.clientWidth, inner: pre.scrollWidth, overflow: getComputedStyle(pre).overflowX };
    });
    assert.ok(m.page <= m.view, `${name}: the page is ${m.page} px wide in ${m.view}`);
    assert.ok(m.inner > m.pre, `${name}: the line does not overflow its block: ${JSON.stringify(m)}`);
    assert.equal(m.overflow, 'auto', name);
    await page.context().close();
  }
});

// Each class's short name (highlight_class.c) and the custom property
// code.css colours it from.
const CLASSES = { k: 'keyword', s: 'string', c: 'comment', m: 'number', nf: 'function',
  kt: 'type', nv: 'variable', o: 'operator', kc: 'constant',
  na: 'attribute', nt: 'tag', py: 'property' };

for (const theme of ['default', 'paper']) {
  for (const dark of [false, true]) {
    test(`each class takes its colour, ${theme} theme, ${dark ? 'dark' : 'light'}`, async () => {
      const page = await newPage(browser, { dark });
      await page.goto(sites[theme].url + '01-code.html');
      const got = await page.evaluate((classes) => {
        const out = {};
        const probe = document.createElement('span');
        document.querySelector('pre code').appendChild(probe);
        for (const [cls, name] of Object.entries(classes)) {
          const span = document.querySelector(`pre code span.${cls}`);
          probe.style.color = `var(--hl-${name})`;
          out[cls] = { span: span && getComputedStyle(span).color, want: getComputedStyle(probe).color };
        }
        probe.remove();
        return out;
      }, CLASSES);
      for (const [cls, { span, want }] of Object.entries(got)) {
        assert.ok(span, `a span of class ${cls} on the page`);
        assert.equal(span, want, `${cls}: ${CLASSES[cls]}'s colour`);
      }
      await page.context().close();
    });
    test(`axe on the highlighted page, ${theme} theme, ${dark ? 'dark' : 'light'}`, async () => {
      const page = await newPage(browser, { dark });
      await page.goto(sites[theme].url + '01-code.html');
      assert.ok(await page.locator('code .k').count() > 10);
      const v = await axe(page);
      assert.deepEqual(v, [], v.join('\n'));
      // and with the button showing "Copied", focused
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await block(page, 'python').locator('button').focus();
      await page.keyboard.press('Enter');
      const v2 = await axe(page);
      assert.deepEqual(v2, [], v2.join('\n'));
      assert.deepEqual(problems(page), []);
      await page.context().close();
    });
  }
}

await run();
