// Search as you type: our own labelled box drives Pagefind's UI, whose own box is
// hidden. A large site's index comes in parts (data-merge lists the bundles after
// the first), searched together. With JavaScript off, the page's message stays.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  const form = document.querySelector(".search-form");
  const input = document.getElementById("search-input");
  if (!box || !form || !input || typeof PagefindUI === "undefined") return;
  const mergeIndex = (box.dataset.merge || "").split(" ").filter(Boolean)
    .map((path) => ({ bundlePath: new URL(path, document.baseURI).href }));
  const ui = new PagefindUI({
    element: "#search", showSubResults: true, showImages: false, resetStyles: false, mergeIndex,
  });
  const run = () => ui.triggerSearch(input.value.trim());
  input.addEventListener("input", run);
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) { input.value = asked; run(); }
  document.querySelector(".search-nojs")?.remove();
});
