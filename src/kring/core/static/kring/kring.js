// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && !window.htmx) form.requestSubmit();
});
