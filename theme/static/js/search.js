// Start Pagefind's search UI; the page says what to do when JavaScript is off.
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  document.querySelector(".search-nojs")?.remove();
});
