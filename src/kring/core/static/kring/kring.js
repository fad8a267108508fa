// Progressive enhancement only: every page works without JavaScript.

// The language switch returns to the page as it is now, filters included, even after
// htmx changed the address without reloading.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.lang-switch");
  const next = form && form.querySelector("input[name=next]");
  if (next) next.value = window.location.pathname + window.location.search;
});
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && !window.htmx) form.requestSubmit();
});
