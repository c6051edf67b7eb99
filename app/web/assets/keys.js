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

// The charts as tab stops. Timeline and overview: Left/Right pan the window by a quarter,
// + and - zoom in and out, 0 shows the whole span; on the timeline Up/Down walk the events
// (as k/j do). Map: Left/Right move between places (announced), Enter filters by the place.
(function () {
  var CHARTS = {
    timeline: 'Timeline: Left and Right pan, + and - zoom, 0 shows all, Up and Down walk the events',
    overview: 'Overview: Left and Right pan the window, + and - zoom, 0 shows all',
    map: 'Map: Left and Right move between places, Enter filters by the place'
  };
  function plot(id) { return document.querySelector('#' + id + ' .js-plotly-plot'); }
  function label() {
    Object.keys(CHARTS).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'group');
        el.setAttribute('aria-label', CHARTS[id]);
      }
    });
  }
  new MutationObserver(label).observe(document.documentElement, {childList: true, subtree: true});
  function ms(v) {
    if (typeof v === 'number') { return v; }
    var s = String(v).trim().replace(' ', 'T');
    return Date.parse(s.length <= 10 ? s : s + 'Z');
  }
  function stamp(t) { return new Date(t).toISOString().replace('T', ' ').replace('Z', ''); }
  function setWindow(a, b) {
    var gd = plot('timeline');
    if (gd) { window.Plotly.relayout(gd, {'xaxis.range[0]': stamp(a), 'xaxis.range[1]': stamp(b)}); }
  }
  function moveWindow(key) {
    var gd = plot('timeline');
    var range = gd && gd.layout.xaxis && gd.layout.xaxis.range;
    if (!range) { return false; }
    var a = ms(range[0]), b = ms(range[1]), span = b - a, mid = a + span / 2;
    if (key === 'ArrowLeft') { setWindow(a - span / 4, b - span / 4); }
    else if (key === 'ArrowRight') { setWindow(a + span / 4, b + span / 4); }
    else if (key === '+' || key === '=') { setWindow(mid - span / 4, mid + span / 4); }
    else if (key === '-') { setWindow(mid - span, mid + span); }
    else if (key === '0') { window.Plotly.relayout(gd, {'xaxis.autorange': true}); }
    else { return false; }
    return true;
  }
  var placeAt = -1;
  function places() {
    var gd = plot('map'), out = [];
    if (!gd || !gd.data) { return out; }
    gd.data.forEach(function (trace, c) {
      if (trace.type !== 'scattergeo' || !trace.customdata) { return; }
      trace.customdata.forEach(function (row, p) { out.push({c: c, p: p, name: String(row[0])}); });
    });
    return out;
  }
  function announce(text) {
    var note = document.getElementById('map-key-note');
    if (!note) {
      note = document.createElement('p');
      note.id = 'map-key-note';
      note.className = 'hint';
      note.setAttribute('aria-live', 'polite');
      var map = document.getElementById('map');
      if (!map) { return; }
      map.parentNode.insertBefore(note, map.nextSibling);
    }
    note.textContent = text;
  }
  function onMap(key) {
    var all = places();
    if (!all.length) { return false; }
    if (key === 'ArrowRight' || key === 'ArrowDown') { placeAt = (placeAt + 1) % all.length; }
    else if (key === 'ArrowLeft' || key === 'ArrowUp') {
      placeAt = (placeAt - 1 + all.length) % all.length;
    } else if (key === 'Enter' || key === ' ') {
      if (placeAt < 0 || placeAt >= all.length) { return false; }
      var pick = all[placeAt];
      plot('map').emit('plotly_click', {points: [{curveNumber: pick.c, pointNumber: pick.p}]});
      return true;
    } else { return false; }
    var here = all[placeAt];
    announce('Place ' + (placeAt + 1) + ' of ' + all.length + ': ' + here.name +
             ' (Enter filters by it)');
    return true;
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var chart = e.target && e.target.id;
    var done = false;
    if (chart === 'map') { done = onMap(e.key); }
    else if (chart === 'timeline' && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      var step = document.getElementById(e.key === 'ArrowDown' ? 'next-event' : 'prev-event');
      if (step) { step.click(); done = true; }
    } else if (chart === 'timeline' || chart === 'overview') { done = moveWindow(e.key); }
    if (done) { e.preventDefault(); }
  });
})();

// A phone-sized screen gets lane names inside the timeline; follow a resize or a rotation.
(function () {
  var narrow = null;
  window.addEventListener('resize', function () {
    var now = window.innerWidth < 600;
    if (now !== narrow && window.dash_clientside && window.dash_clientside.set_props) {
      narrow = now;
      window.dash_clientside.set_props('narrow-store', {data: now});
    }
  });
})();
