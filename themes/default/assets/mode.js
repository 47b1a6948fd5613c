/* Applies the reader's saved light/dark choice before the page paints. */
(function () {
  try {
    var mode = localStorage.getItem('stepbook:mode');
    if (mode === 'dark' || mode === 'light') {
      document.documentElement.setAttribute('data-mode', mode);
    }
  } catch (e) { /* storage unavailable: follow the system preference */ }
})();
