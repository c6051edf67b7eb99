// Keyboard shortcuts: j/k walk the events, Escape clears filters, / searches,
// t switches theme. Keys typed into a field belong to that field.
(function () {
  function press(id) {
    var el = document.getElementById(id);
    if (el) { el.click(); }
  }
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var target = e.target;
    if (e.key === 'Escape') {
      if (typing(target)) { target.blur(); return; }
      press('clear-filters');
      return;
    }
    if (typing(target)) { return; }
    if (document.getElementById('explorer-page') &&
        document.getElementById('explorer-page').hidden) { return; }
    if (e.key === 'j') { press('next-event'); e.preventDefault(); }
    else if (e.key === 'k') { press('prev-event'); e.preventDefault(); }
    else if (e.key === '/') {
      var search = document.getElementById('search');
      if (search) { search.focus(); e.preventDefault(); }
    }
    else if (e.key === 't') { press('theme-toggle'); }
  });
})();
