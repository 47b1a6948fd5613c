/* stepbook default theme: light/dark switch, checklist ticks saved in
 * localStorage, progress on chapter pages, the checklist page and the
 * index. Everything here is an enhancement: pages read fine without it. */
(function () {
  'use strict';
  var root = document.documentElement;
  var book = root.getAttribute('data-book') || 'book';
  var KEY = 'stepbook:' + book + ':tasks';

  function load(key, fallback) {
    try {
      var raw = localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* ignore */ }
  }

  /* The interface strings, in the book's language: strings.js, which
   * stepbook writes from its language pack, sets STEPBOOK_TEXT. The other
   * scripts call stepbookText(key, vars, count): "{name}" in a string is
   * vars.name; a string with plural forms takes the one that `count`
   * (else vars.n) asks for in the book's language. */
  var TEXT = window.STEPBOOK_TEXT || { lang: 'en', strings: {} };
  var plurals = null;
  try { plurals = new Intl.PluralRules(TEXT.lang); } catch (e) { /* no Intl: "other" */ }
  window.stepbookText = function (key, vars, count) {
    var s = TEXT.strings[key];
    vars = vars || {};
    if (s && typeof s === 'object') {
      var n = count !== undefined ? count : vars.n;
      s = (plurals && n !== undefined && s[plurals.select(n)]) || s.other;
    }
    if (typeof s !== 'string') return key;
    return s.replace(/\{(\w+)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m;
    });
  };
  var text = window.stepbookText;

  /* Light and dark mode. */
  var sw = document.querySelector('.mode-switch');
  function currentMode() {
    var m = root.getAttribute('data-mode');
    if (m) return m;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  function showMode() {
    var dark = currentMode() === 'dark';
    sw.setAttribute('aria-pressed', dark ? 'true' : 'false');
  }
  if (sw) {
    sw.hidden = false;
    showMode();
    sw.addEventListener('click', function () {
      var next = currentMode() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-mode', next);
      try { localStorage.setItem('stepbook:mode', next); } catch (e) { /* ignore */ }
      showMode();
    });
  }

  /* Checklist ticks. */
  var done = load(KEY, {});
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input.task-check'));


  function updateProgress() {
    var counters = document.querySelectorAll('[data-progress]');
    Array.prototype.forEach.call(counters, function (el) {
      var slug = el.getAttribute('data-progress');
      var total = parseInt(el.getAttribute('data-total'), 10) || 0;
      var n = 0;
      /* Count the items the counter stands for when they are on this page
       * (a chapter, a step of the checklist, the whole checklist). Ids
       * are "<chapter slug>-<text>", so a prefix test would also count
       * for chapter "radio" the ticks of chapter "radio-silence". */
      var scope = el.closest('section.task-group, article');
      var mine = scope ? scope.querySelectorAll('input.task-check') : [];
      if (mine.length) {
        var seen = {};
        Array.prototype.forEach.call(mine, function (b) {
          var id = b.getAttribute('data-task');
          if (done[id]) seen[id] = 1;
        });
        n = Object.keys(seen).length;
      } else {
        Object.keys(done).forEach(function (id) {
          if (!done[id]) return;
          if (!slug || id.indexOf(slug + '-') === 0) n++;
        });
      }
      if (n > total) n = total;
      var progress = text('actions_done', { n: n, total: total }, total);
      /* The index's counter is a link to the checklist: keep its name. */
      var link = el.querySelector('a');
      if (link) link.textContent = text('checklist_progress', { progress: progress });
      else el.textContent = progress;
      el.classList.toggle('complete', total > 0 && n === total);
    });
  }

  boxes.forEach(function (box) {
    var id = box.getAttribute('data-task');
    box.checked = !!done[id];
    box.addEventListener('change', function () {
      if (box.checked) done[id] = 1; else delete done[id];
      save(KEY, done);
      boxes.forEach(function (other) {
        if (other !== box && other.getAttribute('data-task') === id) other.checked = box.checked;
      });
      updateProgress();
    });
  });
  updateProgress();

  var clear = document.querySelector('.clear-tasks');
  if (clear) {
    clear.hidden = false;
    clear.addEventListener('click', function () {
      if (!window.confirm(text('clear_confirm'))) return;
      done = {};
      save(KEY, done);
      boxes.forEach(function (b) { b.checked = false; });
      updateProgress();
    });
  }
  /* A book in several languages: a language picked in the switcher is
   * remembered; a reader who arrives at the book's first page having
   * picked none, and whose browser asks first for another of its
   * languages, is sent to that language's first page. */
  var LANG_KEY = 'stepbook:language';
  var langLinks = Array.prototype.slice.call(document.querySelectorAll('.language-list a[hreflang]'));
  langLinks.forEach(function (a) {
    a.addEventListener('click', function () { save(LANG_KEY, a.getAttribute('hreflang')); });
  });
  if (root.hasAttribute('data-language-home') && load(LANG_KEY, null) === null) {
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    var primary = function (tag) { return String(tag).toLowerCase().split('-')[0]; };
    var pick = null;
    for (var w = 0; w < wanted.length && !pick; w++) {
      var want = String(wanted[w]).toLowerCase();
      pick = langLinks.filter(function (a) { return a.getAttribute('hreflang').toLowerCase() === want; })[0] ||
        langLinks.filter(function (a) { return primary(a.getAttribute('hreflang')) === primary(want); })[0] || null;
    }
    if (pick && !pick.hasAttribute('aria-current')) window.location.replace(pick.href);
  }

  var print = document.querySelector('.print-page');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }

  /* A copy button on every code block. The code as text; of a console
   * block (highlight.h), the commands only: no prompts, no output. One
   * status line for the page tells screen readers "Copied". */
  var blocks = document.querySelectorAll('pre > code');
  var copyStatus = null;
  function codeText(code) {
    var cmds = code.classList.contains('language-console') ?
      code.querySelectorAll('.hl-cmd') : [];
    var s = cmds.length ? Array.prototype.map.call(cmds, function (c) {
      return c.textContent;
    }).join('\n') : code.textContent;
    return s.replace(/\n$/, '');
  }
  function copyText(s) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(s);
    }
    return new Promise(function (resolve, reject) {
      var ta = document.createElement('textarea');
      ta.value = s;
      ta.setAttribute('readonly', '');
      ta.className = 'copy-source';
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { /* not allowed */ }
      document.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error('copy'));
    });
  }
  function announce(msg) {
    copyStatus.textContent = '';
    /* a change the live region reports even when the text repeats */
    window.setTimeout(function () { copyStatus.textContent = msg; }, 50);
  }
  if (blocks.length) {
    copyStatus = document.createElement('p');
    copyStatus.className = 'copy-status';
    copyStatus.setAttribute('role', 'status');
    copyStatus.setAttribute('aria-live', 'polite');
    document.body.appendChild(copyStatus);
  }
  /* a block whose lines scroll takes the keyboard's focus, to scroll */
  function scrollable() {
    Array.prototype.forEach.call(blocks, function (code) {
      var pre = code.parentNode;
      if (pre.scrollWidth > pre.clientWidth) pre.setAttribute('tabindex', '0');
      else pre.removeAttribute('tabindex');
    });
  }
  var resizing = null;
  window.addEventListener('resize', function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollable, 200);
  });
  Array.prototype.forEach.call(blocks, function (code) {
    var pre = code.parentNode;
    var wrap = document.createElement('div');
    var button = document.createElement('button');
    var timer = null;
    wrap.className = 'code-block';
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    button.type = 'button';
    button.className = 'copy-code';
    button.textContent = text('copy_code');
    wrap.insertBefore(button, pre);
    button.addEventListener('click', function () {
      function done(msg) {
        button.textContent = msg;
        announce(msg);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.textContent = text('copy_code');
        }, 2000);
      }
      copyText(codeText(code)).then(function () {
        done(text('copied'));
      }, function () {
        done(text('copy_failed'));
      });
    });
  });
  scrollable();
})();
