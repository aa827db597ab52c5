// Starts Pagefind's search UI on the search page, with the query of the header's search box (?q=).
// A large site's index comes in parts (pagefind/shards.json lists those after the first): the UI merges them.
(function () {
  var element = document.getElementById('search');
  if (!element || typeof PagefindUI === 'undefined') return;
  var bundle = element.getAttribute('data-bundle');
  var base = element.getAttribute('data-base');

  function start(parts) {
    var ui = new PagefindUI({
      element: '#search',
      bundlePath: bundle,
      baseUrl: base,
      mergeIndex: parts.map(function (part) {
        return {bundlePath: bundle + part, baseUrl: base};
      }),
      showSubResults: true,
      showImages: false,
      resetStyles: false
    });
    var query = new URLSearchParams(window.location.search).get('q');
    if (query) ui.triggerSearch(query);
    // Pagefind's box has a placeholder but no label: give it an accessible name.
    var input = element.querySelector('input');
    if (input) {
      input.setAttribute('aria-label', 'Search this site');
      if (!query) input.focus();
    }
  }

  var parts = [];
  fetch(bundle + 'shards.json')
    .then(function (response) {
      return response.ok ? response.json() : [];
    })
    .then(function (list) {
      if (Array.isArray(list)) parts = list.filter(function (part) { return typeof part === 'string' && /^[\w-]+\/$/.test(part); });
    })
    .catch(function () {})
    .then(function () {
      start(parts);
    });
})();
