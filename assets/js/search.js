// Starts Pagefind's search UI on the search page, with the query of the header's search box (?q=).
(function () {
  var element = document.getElementById('search');
  if (!element || typeof PagefindUI === 'undefined') return;
  var ui = new PagefindUI({
    element: '#search',
    bundlePath: element.getAttribute('data-bundle'),
    baseUrl: element.getAttribute('data-base'),
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
})();
