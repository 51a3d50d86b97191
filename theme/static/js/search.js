// Start Pagefind's search UI and give its input our visible label. A large
// site's index comes in parts (data-merge lists the bundles after the first),
// searched together. With JavaScript off, the page's own message and links stay.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  const mergeIndex = (box.dataset.merge || "").split(" ").filter(Boolean)
    .map((path) => ({ bundlePath: new URL(path, document.baseURI).href }));
  new PagefindUI({
    element: "#search", showSubResults: true, showImages: false, resetStyles: false, mergeIndex,
  });
  const input = box.querySelector("input");
  if (input) {
    input.id = "search-input";
    document.getElementById("search-label").hidden = false;
  }
  document.querySelector(".search-nojs")?.remove();
});
