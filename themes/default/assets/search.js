/* stepbook default theme: search as you type.
 *
 * Works over the index the tool writes, search-index.js, which sets
 * window.STEPBOOK_SEARCH (see generator/render/search_index.h for its format). It
 * is loaded with a <script> tag the first time the search opens, so it
 * works from file:// as well as over HTTP and costs nothing on pages
 * where nobody searches.
 *
 * Markup (base.mustache), all of it `hidden` until this script runs:
 *   button.search-toggle[aria-controls=search]   opens and closes
 *   #search.search-panel[data-index]             the search landmark
 *     form > input#search-input                  the query
 *     #search-status (aria-live)                 "3 results" ...
 *     ol#search-results                          links to sections
 *
 * The query is cut into words and folded: full-width and other
 * compatibility forms made plain (NFKC), lower case, the accents of Latin,
 * Greek and Cyrillic, Hebrew points and Arabic vowel marks removed, and a
 * few letters that readers type either way made one (ß ss, ı i, Arabic
 * alef, yeh, kaf and teh marbuta forms). Every query word must start a word
 * of the section's heading, chapter title or text. Words written without
 * spaces (Chinese, Japanese, Thai) are matched anywhere in the text
 * instead, and a run of them in the query is cut into words with the
 * browser's own dictionary (Intl.Segmenter; a browser without it
 * matches the run as typed), so "北京烤鸭做法" finds a text that has each
 * of those words. The index also holds each German word with ä ö ü spelled
 * ae oe ue, and each Arabic word without its article, so those match too.
 * Heading matches rank above title matches, which rank above
text matches. `/` or `s` opens the search from anywhere (unless the
 * reader is typing in a field); arrow keys move through the results,
 * Enter opens one, Escape closes. No dependencies. */
(function () {
  'use strict';

  var toggle = document.querySelector('.search-toggle');
  var panel = document.getElementById('search');
  if (!toggle || !panel || !String.prototype.normalize) return;
  var form = panel.querySelector('form');
  var input = panel.querySelector('input');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var MAX = 10;

  /* Marks that only accent a letter, removed by fold(): combining
   * diacritics (after NFD), Hebrew points and Arabic vowel signs. The vowel
   * signs of Indic scripts and the kana voicing marks are part of the
   * letter and stay. */
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]/g;
  var WORD, NONWORD;
  try {
    WORD = new RegExp('[\\p{L}\\p{N}\\p{M}]+', 'gu');
    NONWORD = new RegExp('[^\\p{L}\\p{N}\\p{M}]+', 'gu');
  } catch (e) {
    WORD = /[0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0300-\u036f\u0370-\u1fff\u2c00-\ud7ff\uf900-\ufdff\ufe70-\ufefc]+/g;
    NONWORD = /[^0-9a-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0300-\u036f\u0370-\u1fff\u2c00-\ud7ff\uf900-\ufdff\ufe70-\ufefc]+/g;
  }
  /* Letters that NFD leaves whole, and the Arabic letters written in more
   * than one way (Arabic and Persian keyboards give different yeh and kaf;
   * alef wasla, alef maqsura and teh marbuta are often typed plain); the
   * tatweel only stretches a word. */
  var SPECIAL = { '\u00df': 'ss', '\u00e6': 'ae', '\u0153': 'oe', '\u00f8': 'o', '\u0111': 'd',
    '\u0142': 'l', '\u0131': 'i', '\u00fe': 'th', '\u00f0': 'd', '\u0127': 'h',
    '\u0671': '\u0627', '\u0649': '\u064a', '\u06cc': '\u064a', '\u06a9': '\u0643',
    '\u0629': '\u0647', '\u0640': '' };
  var SPECIAL_RE = /[\u00df\u00e6\u0153\u00f8\u0111\u0142\u0131\u00fe\u00f0\u0127\u0671\u0649\u06cc\u06a9\u0629\u0640]/g;
  /* Scripts written without spaces between words: match anywhere. */
  var UNSPACED = /[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  var UNSPACED_RUN = /[\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g;
  /* German umlauts, which readers also spell ae oe ue. */
  var UMLAUT = /[\u00e4\u00f6\u00fc\u00c4\u00d6\u00dc]/;
  var UMLAUT_WORD = /[A-Za-z\u00c0-\u024f]*[\u00e4\u00f6\u00fc\u00c4\u00d6\u00dc][A-Za-z\u00c0-\u024f]*/g;
  var UMLAUT_SPELLED = { '\u00e4': 'ae', '\u00f6': 'oe', '\u00fc': 'ue', '\u00c4': 'Ae', '\u00d6': 'Oe', '\u00dc': 'Ue' };
  /* An Arabic word with its article (al-, and wa-, bi-, fa-, ka- before
   * it, or li- which swallows the alef), as fold() leaves it. */
  var ARTICLE = /(^| )(?:[\u0648\u0628\u0641\u0643]?\u0627\u0644|\u0644\u0644)([^ ]{2,})(?= )/g;
  var ARABIC = /[\u0600-\u06ff]/;
  var segmenter = null;
  try {
    segmenter = new Intl.Segmenter(document.documentElement.lang || undefined, { granularity: 'word' });
  } catch (e) { /* no Intl.Segmenter */ }

  /** Compatibility forms plain, lower case, accent marks removed. */
  function fold(s) {
    return s.normalize('NFKC').normalize('NFD').replace(MARKS, '').normalize('NFC').toLowerCase()
      .replace(SPECIAL_RE, function (c) { return SPECIAL[c]; });
  }
  /** " word word word ": folded words between single spaces, then the
   * other spellings the index also answers to. */
  function words(s) {
    var w = fold(s).replace(NONWORD, ' ');
    if (UNSPACED.test(w)) w = w.replace(UNSPACED_RUN, ' $& ').replace(/  +/g, ' ');
    w = ' ' + w.trim() + ' ';
    var more = '';
    if (UMLAUT.test(s)) {
      (s.normalize('NFC').match(UMLAUT_WORD) || []).forEach(function (m) {
        more += ' ' + fold(m.replace(/./g, function (c) { return UMLAUT_SPELLED[c] || c; }));
      });
    }
    if (ARABIC.test(w)) {
      w.replace(ARTICLE, function (m, sp, rest) { more += ' ' + rest; return m; });
    }
    return more ? w + more.slice(1) + ' ' : w;
  }
  /** Cuts a run of an unspaced script into the words a reader means;
   * without Intl.Segmenter, the run is matched as it is. */
  function cut(run) {
    if (!segmenter || run.length <= 2) return [run];
    var out = [], it = segmenter.segment(run)[Symbol.iterator](), step;
    while (!(step = it.next()).done) {
      if (step.value.isWordLike !== false) out.push(step.value.segment);
    }
    return out;
  }
  function tokens(q) {
    var seen = {}, all = [];
    fold(q).replace(NONWORD, ' ').split(' ').forEach(function (t) {
      if (!UNSPACED.test(t)) {
        all.push(t);
        return;
      }
      var last = 0, m;
      UNSPACED_RUN.lastIndex = 0;
      while ((m = UNSPACED_RUN.exec(t))) {
        if (m.index > last) all.push(t.slice(last, m.index));
        all = all.concat(cut(m[0]));
        last = m.index + m[0].length;
      }
      if (last < t.length) all.push(t.slice(last));
    });
    return all.filter(function (t) {
      if (!t || seen[t]) return false;
      seen[t] = 1;
      return true;
    });
  }
  /** Whether a word of `field` (from words()) starts with token `t`. */
  function has(field, t) {
    return field.indexOf(UNSPACED.test(t) ? t : ' ' + t) >= 0;
  }
  /* ---- the index ---- */

  var docs = null;
  var state = 'idle';            /* idle, loading, ready, failed */
  /* the index's folder, the site's top: its hrefs are relative to it,
   * and a page in a sub-folder reaches it with "../" */
  var top = '';

  function prepare(data) {
    docs = [];
    (data.chapters || []).forEach(function (ch) {
      var title = ch[0], href = ch[1], t = words(title);
      (ch[2] || []).forEach(function (s) {
        var intro = !s[0];
        docs.push({
          heading: intro ? title : s[1],
          chapter: intro ? '' : title,
          href: s[0] ? href + '#' + s[0] : href,
          text: s[2] || '',
          h: intro ? t : words(s[1]),
          t: t,
          b: words((s[2] || '') + ' ' + (s[3] || '')),
          intro: intro,
          order: docs.length,
        });
      });
    });
    state = 'ready';
  }

  /** Adds a script to the page; calls back once it has run. */
  function addScript(src, done) {
    var s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = done;
    s.onerror = failed;
    document.head.appendChild(s);
  }

  /**
   * The index of a large book comes in parts: the first file names the
   * others, loaded side by side; their chapters follow its own.
   */
  function loaded(data, base, then) {
    var names = data.parts || [], left = names.length;
    function joined() {
      var parts = window.STEPBOOK_SEARCH_PARTS || {}, chapters = data.chapters || [];
      for (var i = 0; i < names.length; i++) {
        var part = parts[names[i]];
        if (!part || part.v !== 1) return failed();
        chapters = chapters.concat(part.chapters || []);
      }
      prepare({ v: 1, chapters: chapters });
      if (then) then();
    }
    if (!left) return joined();
    names.forEach(function (name) {
      addScript(base + name, function () {
        if (--left === 0 && state === 'loading') joined();
      });
    });
  }

  function load() {
    if (state === 'ready' || state === 'loading') return;
    var src = panel.getAttribute('data-index') || 'search-index.js';
    var base = src.replace(/[^\/]*$/, '');
    top = base;
    state = 'loading';
    if (window.STEPBOOK_SEARCH) {
      loaded(window.STEPBOOK_SEARCH, base, update);
      return;
    }
    say(text('search_loading'));
    addScript(src, function () {
      if (window.STEPBOOK_SEARCH && window.STEPBOOK_SEARCH.v === 1) {
        loaded(window.STEPBOOK_SEARCH, base, update);
      } else {
        failed();
      }
    });
  }
  function failed() {
    state = 'failed';
    say(text('search_unavailable'));
  }

  /* ---- searching ---- */

  function score(d, qs) {
    var total = 0, allH = true;
    for (var i = 0; i < qs.length; i++) {
      var q = qs[i], inH = has(d.h, q), inT = has(d.t, q), inB = has(d.b, q);
      if (!inH && !inT && !inB) return 0;
      if (inH) total += d.h.indexOf(' ' + q + ' ') >= 0 ? 14 : 10;
      else allH = false;
      if (inT) total += 3;
      if (inB) total += 1;
    }
    /* The heading holds every word: the best place to go, and for a
     * chapter title, the chapter's start before any of its sections. */
    if (allH) total += d.intro ? 12 : 8;
    return total;
  }

  function find(qs) {
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], qs);
      if (s) hits.push({ doc: docs[i], score: s });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc.order - b.doc.order; });
    return hits;
  }

  /** Where the tokens match in `text` (as written): {start, end, q}, in
   * order. A spaced word is matched whole when a token starts it; in a run
   * of an unspaced script, each place a token occurs. */
  function spans(text, qs) {
    var out = [], m, r;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var w = m[0], last = 0, run = new RegExp(UNSPACED_RUN.source, 'g');
      while ((r = run.exec(w))) {
        if (r.index > last) wordSpan(w.slice(last, r.index), m.index + last, qs, out);
        runSpans(r[0], m.index + r.index, qs, out);
        last = r.index + r[0].length;
      }
      if (last < w.length) wordSpan(w.slice(last), m.index + last, qs, out);
    }
    return out;
  }
  function wordSpan(w, at, qs, out) {
    var f = words(w);
    for (var k = 0; k < qs.length; k++) {
      if (!UNSPACED.test(qs[k]) && f.indexOf(' ' + qs[k]) >= 0) {
        out.push({ start: at, end: at + w.length, q: k });
        return;
      }
    }
  }
  function runSpans(run, at, qs, out) {
    /* fold each character, noting where each folded one comes from */
    var folded = '', from = [], i = 0, found = [];
    while (i < run.length) {
      var n = run.codePointAt(i) > 0xffff ? 2 : 1, f = fold(run.slice(i, i + n));
      for (var j = 0; j < f.length; j++) from.push(i);
      folded += f;
      i += n;
    }
    from.push(run.length);
    qs.forEach(function (q, k) {
      if (!UNSPACED.test(q)) return;
      for (var x = folded.indexOf(q); x >= 0; x = folded.indexOf(q, x + q.length)) {
        found.push({ start: at + from[x], end: at + from[x + q.length], q: k });
      }
    });
    found.sort(function (a, b) { return a.start - b.start; });
    found.forEach(function (s) {
      var prev = out[out.length - 1];
      if (prev && s.start <= prev.end) {
        if (s.end > prev.end) prev.end = s.end;
      } else {
        out.push(s);
      }
    });
  }

  /** `text` as nodes, with the places the tokens match in <mark>. */
  function highlight(text, qs) {
    var frag = document.createDocumentFragment(), last = 0;
    spans(text, qs).forEach(function (s) {
      if (s.start > last) frag.appendChild(document.createTextNode(text.slice(last, s.start)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(s.start, s.end);
      frag.appendChild(mark);
      last = s.end;
    });
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  /** About 170 characters of `text`, from a little before the matching
   * word that starts the window holding the most query words. */
  function snippet(text, qs) {
    var at = 0;
    var found = spans(text, qs).slice(0, 200).map(function (s) { return { at: s.start, q: s.q }; });
    var best = -1;
    for (var i = 0; i < found.length && best < qs.length; i++) {
      var seen = {}, n = 0;
      for (var j = i; j < found.length && found[j].at < found[i].at + 120; j++) {
        if (!seen[found[j].q]) { seen[found[j].q] = 1; n++; }
      }
      if (n > best) { best = n; at = found[i].at; }
    }
    var start = Math.max(0, at - 50);
    if (start > 0) {
      var sp = text.indexOf(' ', start);
      start = sp >= 0 && sp < at ? sp + 1 : at;
    }
    var end = Math.min(text.length, start + 170);
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > at) end = back;
    }
    var cut = text.slice(start, end);
    if (end < text.length) cut = cut.replace(/[\s.,;:]+$/, '') + '\u2026';
    return (start > 0 ? '\u2026' : '') + cut;
  }

  function span(cls, content) {
    var el = document.createElement('span');
    el.className = cls;
    el.appendChild(content);
    return el;
  }

  /* the strings shown, in the book's language (site.js) */
  function text(key, vars) { return window.stepbookText ? window.stepbookText(key, vars) : key; }
  function say(line) {
    if (status.textContent !== line) status.textContent = line;
  }

  var timer = 0;
  var lastQuery = null;

  function update() {
    clearTimeout(timer);
    timer = 0;
    if (state !== 'ready') return;
    var q = input.value;
    if (q === lastQuery) return;
    lastQuery = q;
    var qs = tokens(q);
    list.textContent = '';
    if (!qs.length) {
      list.hidden = true;
      say('');
      return;
    }
    var hits = find(qs);
    hits.slice(0, MAX).forEach(function (hit) {
      var d = hit.doc;
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = top + d.href;
      a.className = 'search-hit';
      a.appendChild(span('search-hit-heading', highlight(d.heading, qs)));
      if (d.chapter) a.appendChild(span('search-hit-chapter', highlight(d.chapter, qs)));
      if (d.text) a.appendChild(span('search-hit-text', highlight(snippet(d.text, qs), qs)));
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    var shown = '\u201c' + q.trim() + '\u201d';
    if (!hits.length) say(text('search_none', { query: shown }));
    else if (hits.length <= MAX) say(text('search_found', { n: hits.length, query: shown }));
    else say(text('search_found_first', { n: hits.length, query: shown, max: MAX }));
  }

  function schedule() {
    if (state !== 'ready') return;
    clearTimeout(timer);
    /* A big book: wait for a pause in typing. */
    timer = setTimeout(update, docs.length > 3000 ? 150 : 0);
  }

  /* ---- opening, closing, keys ---- */

  function isOpen() {
    return !panel.hidden;
  }
  function open() {
    panel.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    input.focus();
    input.select();
    load();
    update();
  }
  function close(focusToggle) {
    panel.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    if (focusToggle) toggle.focus();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll('a'));
  }

  /** Follows a result; on the same page, focus moves to the section. */
  function go(a) {
    close(false);
    if (a.pathname !== location.pathname || a.protocol !== location.protocol) return false;
    var id = decodeURIComponent(a.hash.slice(1));
    setTimeout(function () {
      var target = id ? document.getElementById(id) : document.getElementById('main');
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }, 0);
    return true;
  }

  toggle.hidden = false;
  toggle.addEventListener('click', function () {
    if (isOpen()) close(false); else open();
  });
  input.addEventListener('input', schedule);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    update();
    var first = list.querySelector('a');
    if (first) first.click();
  });
  list.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a');
    if (a) go(a);
  });

  panel.addEventListener('keydown', function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === 'Escape' || e.key === 'Esc') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'ArrowDown' || e.key === 'Down') {
      if (!all.length) return;
      e.preventDefault();
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (e.key === 'ArrowUp' || e.key === 'Up') {
      if (i < 0) return;
      e.preventDefault();
      if (i === 0) input.focus(); else all[i - 1].focus();
    } else if (i >= 0 && (e.key === 'Home' || e.key === 'End')) {
      e.preventDefault();
      all[e.key === 'Home' ? 0 : all.length - 1].focus();
    } else if (i >= 0 && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      /* typing on a result goes back to the query */
      input.focus();
    }
  });

  function typing(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag !== 'INPUT') return false;
    return !/^(checkbox|radio|button|submit|reset|image|file|range|color)$/i.test(el.type);
  }
  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (e.key !== '/' && e.key !== 's') return;
    if (typing(e.target) || typing(document.activeElement)) return;
    e.preventDefault();
    open();
  });
})();
