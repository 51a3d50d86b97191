// Start Pagefind's search UI and give its input our visible label. With
// JavaScript off, the page's own message and links stay.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  const input = box.querySelector("input");
  if (input) {
    input.id = "search-input";
    document.getElementById("search-label").hidden = false;
  }
  document.querySelector(".search-nojs")?.remove();
});
