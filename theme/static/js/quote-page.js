// A quote's own page (stories/<slug>/quote-N/) exists for its link preview: a visitor
// is sent on at once to the quote in its story, keeping the campaign tags of the link
// they followed (?utm_...). Without JavaScript the page stays, showing the quote and a
// "Read the story" link to it: no meta refresh, which social crawlers (Facebook,
// LinkedIn) follow, previewing the story instead of the quote's card.
(() => {
  const target = document.currentScript && document.currentScript.dataset.target;
  if (!target) return;
  const story = new URL(target, location.href);
  if (story.origin !== location.origin) return;
  story.search = location.search;
  location.replace(story.href);
})();
