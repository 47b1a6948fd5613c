/* stepbook: reading offline. Registers the service worker (sw.js, at the
 * top of the site) when the page came over http(s), since service workers
 * do not run from file://, and shows the "Save the book for offline
 * reading" button. Once the reader asked for it, every later visit keeps
 * the whole book saved, also after the book is updated. Under `stepbook
 * serve` (its live-reload script is on the page) no worker runs: a cached
 * page would hide the author's last change. */
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  var book = document.documentElement.getAttribute('data-book') || 'book';
  /* sw.js is at the top of the site, one folder above this script
   * (assets/), whichever folder the page is in */
  var here = document.currentScript && document.currentScript.src;
  var worker = here ? new URL('../sw.js', here).href : 'sw.js';
  var WANT = 'stepbook:' + book + ':offline';
  var box = document.querySelector('.offline');
  var button = box && box.querySelector('.save-offline');
  var status = box && box.querySelector('.offline-status');

  function say(key, vars) { if (status) status.textContent = text(key, vars); }
  /* the strings shown, in the book's language (site.js) */
  function text(key, vars) { return window.stepbookText ? window.stepbookText(key, vars) : key; }
  function wanted() {
    try { return localStorage.getItem(WANT) === '1'; } catch (e) { return false; }
  }

  /* Sends `msg` to the active worker; calls back with each reply. */
  function ask(msg, onReply) {
    return navigator.serviceWorker.ready.then(function (reg) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { onReply(e.data || {}); };
      reg.active.postMessage(msg, [channel.port2]);
    });
  }

  /* Shown without a live announcement, so that it is not read out on
   * every page. */
  function showSaved() {
    document.documentElement.setAttribute('data-offline', 'saved');
    if (button) button.textContent = text('offline_saved');
  }

  function save(quiet) {
    if (button) button.disabled = true;
    if (!quiet) say('offline_saving');
    return ask({ type: 'save-all' }, function (m) {
      /* a few updates, not one per file, for screen readers' sake */
      if (m.type === 'progress' && !quiet && m.done < m.total &&
          m.done % Math.max(1, Math.ceil(m.total / 4)) === 0) {
        say('offline_progress', { n: m.done, total: m.total });
      } else if (m.type === 'done') {
        if (button) button.disabled = false;
        if (!quiet) say('offline_done');
        showSaved();
      } else if (m.type === 'error') {
        if (button) button.disabled = false;
        if (!quiet) say('offline_failed', { error: m.message });
      }
    });
  }

  function start() {
    if (document.querySelector('script[src*="/__stepbook/"]')) {
      navigator.serviceWorker.getRegistrations().then(function (regs) {
        regs.forEach(function (r) { r.unregister(); });
      });
      if (window.caches) {
        caches.keys().then(function (names) {
          names.forEach(function (n) {
            if (n.indexOf('stepbook:' + book + ':') === 0) caches.delete(n);
          });
        });
      }
      return;
    }
    register();
  }

  function register() {
    navigator.serviceWorker.register(worker).then(function () {
      if (!box) return;
      box.hidden = false;
      button.addEventListener('click', function () {
        try { localStorage.setItem(WANT, '1'); } catch (e) { /* ignore */ }
        save(false);
      });
      if (wanted() && navigator.onLine !== false) save(true);
      else {
        ask({ type: 'status' }, function (m) { if (m.saved) showSaved(); });
      }
    }).catch(function () { /* no offline reading: the site works as before */ });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
