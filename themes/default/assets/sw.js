/* stepbook service worker: the book reads offline.
 *
 * stepbook writes this file to the top of the site as sw.js, after a
 * first line that sets self.STEPBOOK_BUILD:
 *   book     the book's slug (caches are named "stepbook:<book>:<version>")
 *   version  a hash of every file of the build: a new build makes a new
 *            cache, and the old ones are deleted when it activates
 *   core     the files cached when it installs (styles, scripts, index)
 *   files    every file of the site, for "save for offline"
 *
 * Pages and files are served cache first; what is fetched from the
 * network is kept, so the book is cached as it is read. A page asks for
 * everything with postMessage({type: 'save-all'}) and gets progress on
 * the port it passes: {type: 'progress', done, total}, then
 * {type: 'done', total} or {type: 'error', message}. {type: 'status'}
 * answers {type: 'status', saved} (whether everything is cached). */
'use strict';

var BUILD = self.STEPBOOK_BUILD || { book: 'book', version: 'dev', core: [], files: [] };
var PREFIX = 'stepbook:' + BUILD.book + ':';
var CACHE = PREFIX + BUILD.version;
var SCOPE = self.registration.scope;
var SAVED = new URL('.stepbook-saved', SCOPE).href;
var KNOWN = {};
BUILD.files.forEach(function (f) { KNOWN[new URL(f, SCOPE).href] = true; });

/* The cache key of a URL: no query or fragment, "dir/" is "dir/index.html". */
function keyOf(url) {
  var u = new URL(url, SCOPE);
  u.hash = '';
  u.search = '';
  if (u.pathname.slice(-1) === '/') u.pathname += 'index.html';
  return u.href;
}

/* A response fit to keep: a redirected one cannot answer a navigation. */
function keepable(resp) {
  if (!resp.redirected) return Promise.resolve(resp);
  return resp.blob().then(function (body) {
    return new Response(body, { status: resp.status, statusText: resp.statusText, headers: resp.headers });
  });
}

function fetchInto(cache, key) {
  return fetch(key, { cache: 'no-cache' }).then(function (resp) {
    if (!resp.ok) throw new Error('HTTP ' + resp.status + ' for ' + key);
    return keepable(resp).then(function (r) { return cache.put(key, r); });
  });
}

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(BUILD.core.map(function (f) {
      return fetchInto(cache, keyOf(f));
    }));
  }).then(function () { return self.skipWaiting(); }));
});

/* Caches the pages open in windows, which loaded before this worker. */
function cacheOpenPages(cache) {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
    return Promise.all(list.map(function (client) {
      var key = keyOf(client.url);
      if (!KNOWN[key]) return null;
      return cache.match(key).then(function (hit) {
        return hit || fetchInto(cache, key).catch(function () { return null; });
      });
    }));
  });
}

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf(PREFIX) === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () {
    return caches.open(CACHE);
  }).then(cacheOpenPages).then(function () {
    return self.clients.claim();
  }));
});

/* The offline page's strings, in the book's language (BUILD.text, which
 * stepbook writes from its language pack), escaped for HTML. */
function offlineText(key, vars) {
  var t = (BUILD.text && BUILD.text.strings) || {};
  var s = typeof t[key] === 'string' ? t[key] : key;
  s = s.replace(/[&<>"]/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
  });
  return s.replace(/\{(\w+)\}/g, function (m, name) {
    return vars && Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : m;
  });
}

function offlinePage() {
  var lang = (BUILD.text && BUILD.text.lang) || 'en';
  var dir = (BUILD.text && BUILD.text.dir) || 'ltr';
  var start = '<a href="' + new URL('index.html', SCOPE).href + '">' + offlineText('offline_start') + '</a>';
  var html = '<!DOCTYPE html><html lang="' + offlineText(lang) + '" dir="' + offlineText(dir) + '"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>' + offlineText('offline_title') + '</title></head><body style="font-family: system-ui, sans-serif; ' +
    'max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">' +
    '<h1>' + offlineText('offline_heading') + '</h1><p>' + offlineText('offline_text', { start: start }) + '</p>' +
    '<p>' + offlineText('offline_tip') + '</p></body></html>';
  return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET' || req.url.indexOf(SCOPE) !== 0 || req.headers.has('range')) return;
  var key = keyOf(req.url);
  if (!KNOWN[key]) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (hit) {
      if (hit) return hit;
      return fetch(req).then(function (resp) {
        if (resp.ok && resp.type === 'basic') {
          var copy = resp.clone();
          event.waitUntil(keepable(copy).then(function (r) { return cache.put(key, r); }).catch(function () {}));
        }
        return resp;
      }, function (err) {
        if (req.mode === 'navigate') return offlinePage();
        throw err;
      });
    });
  }));
});

/* Caches every file of the book that is not cached yet, a few at a time. */
function saveAll(port) {
  var post = function (msg) { if (port) port.postMessage(msg); };
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (have) {
      var got = {};
      have.forEach(function (r) { got[r.url] = true; });
      var todo = BUILD.files.map(keyOf).filter(function (k) { return !got[k]; });
      var total = BUILD.files.length;
      var done = total - todo.length;
      var next = 0;
      post({ type: 'progress', done: done, total: total });
      function worker() {
        if (next >= todo.length) return Promise.resolve();
        var key = todo[next++];
        return fetchInto(cache, key).then(function () {
          done++;
          post({ type: 'progress', done: done, total: total });
          return worker();
        });
      }
      var lanes = [];
      for (var i = 0; i < 4; i++) lanes.push(worker());
      return Promise.all(lanes).then(function () {
        return cache.put(SAVED, new Response('1'));
      }).then(function () {
        post({ type: 'done', total: total });
      });
    });
  }).catch(function (err) {
    post({ type: 'error', message: String(err && err.message || err) });
  });
}

self.addEventListener('message', function (event) {
  var msg = event.data || {};
  var port = event.ports && event.ports[0];
  if (msg.type === 'save-all') {
    event.waitUntil(saveAll(port));
  } else if (msg.type === 'status' && port) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return cache.match(SAVED);
    }).then(function (hit) {
      port.postMessage({ type: 'status', saved: !!hit });
    }));
  }
});
