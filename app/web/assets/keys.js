// Keyboard shortcuts: j/k walk the events, Escape clears filters, / searches,
// t switches theme. Keys typed into a text field belong to that field.
(function () {
  function press(id) {
    var el = document.getElementById(id);
    if (el) { el.click(); }
  }
  var TEXT_TYPES = /^(text|search|email|number|password|tel|url|date|datetime-local|month|time|week)$/;
  function typing(el) {
    if (!el) { return false; }
    if (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName)) { return true; }
    // a focused checkbox or radio button takes no letters: j and k still walk the events
    return el.tagName === 'INPUT' && TEXT_TYPES.test(el.type || 'text');
  }
  function inPopup(el) {
    // the date picker's calendar (a portal) and any open dialog own their Escape
    return !!(el && el.closest && el.closest(
      '.dash-datepicker, .dash-datepicker-portal, .dash-datepicker-content, [role="dialog"]'));
  }
  function popupOpen() {
    return !!document.querySelector('.dash-datepicker-content, .dash-datepicker-portal [role="dialog"]');
  }
  // capture phase: the page is seen as it was before the calendar reacts to the same key
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var target = e.target;
    if (inPopup(target) || popupOpen()) { return; }
    if (typing(target)) {
      // leave the field but keep what was typed (a search box would erase it)
      e.preventDefault();
      target.blur();
      return;
    }
    press('clear-filters');
  }, true);
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.key === 'Escape') { return; }
    var target = e.target;
    if (typing(target) || inPopup(target)) { return; }
    var explorer = document.getElementById('explorer-page');
    if (explorer && explorer.hidden) { return; }
    if (e.key === 'j') { press('next-event'); e.preventDefault(); }
    else if (e.key === 'k') { press('prev-event'); e.preventDefault(); }
    else if (e.key === '/') {
      var search = document.querySelector('#search input, input#search');
      if (search) { search.focus(); e.preventDefault(); }
    }
    else if (e.key === 't') { press('theme-toggle'); }
  });
})();
