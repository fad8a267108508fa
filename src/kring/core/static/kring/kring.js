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

// Disclosure menus (<details class="menu">): Escape closes the open one and gives focus back
// to its button; a click or tap elsewhere closes it; opening one closes the others.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.activeElement && document.activeElement.closest("details.menu[open]");
  const menu = open || document.querySelector("details.menu[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
document.addEventListener("toggle", (event) => {
  const menu = event.target;
  if (!(menu instanceof HTMLDetailsElement) || !menu.matches(".menu") || !menu.open) return;
  document.querySelectorAll("details.menu[open]").forEach((other) => {
    if (other !== menu && !other.contains(menu)) other.open = false;
  });
}, true);

// A sideways strip starts with its current item in view (without moving the page).
function showCurrentInStrips(root) {
  root.querySelectorAll("[data-strip]").forEach((strip) => {
    const current = strip.querySelector("[aria-current=page]");
    if (!current) return;
    const left = current.getBoundingClientRect().left - strip.getBoundingClientRect().left + strip.scrollLeft;
    if (left + current.offsetWidth > strip.clientWidth) {
      strip.scrollLeft = left - (strip.clientWidth - current.offsetWidth) / 2;
    }
  });
}
document.addEventListener("DOMContentLoaded", () => showCurrentInStrips(document));
document.addEventListener("htmx:afterSettle", (event) => showCurrentInStrips(event.target));

// Long filter lists fold away on a phone, so the results start in the first screen.
if (window.matchMedia("(max-width: 40rem)").matches) {
  document.querySelectorAll("details[data-fold-on-phone]").forEach((details) => {
    details.open = false;
  });
}
