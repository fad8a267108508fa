// @mentions in a textarea with data-mention-url: typing "@" and the start of a name shows
// the community's members; choosing one writes "@Full Name" and adds the person's id to the
// hidden field next to the textarea (name + "_mentions"). The server turns "@Full Name" into
// the stored link to their profile for those people. Without JavaScript people type
// "@Full Name" themselves, which works when one member has that name.
(() => {
  "use strict";

  const TRIGGER = /(^|[\s(])@([\p{L}'’-]+(?: [\p{L}'’-]*){0,2})$/u;
  const DELAY = 150;
  let counter = 0;

  function setup(textarea) {
    if (textarea.dataset.mentionReady) return;
    textarea.dataset.mentionReady = "1";
    const n = ++counter;
    const list = document.createElement("ul");
    list.id = `mention-list-${n}`;
    list.className = "mention-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.dataset.mentionLabel || "People to mention");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.after(list, status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);

    let people = [];
    let active = -1;
    let match = null; // {start, end}: the "@query" being typed
    let timer = null;
    let request = 0;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      people = [];
      active = -1;
      match = null;
      textarea.removeAttribute("aria-activedescendant");
      textarea.setAttribute("aria-expanded", "false");
    }

    function highlight(index) {
      active = index;
      [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function show(results) {
      people = results;
      list.replaceChildren(
        ...results.map((person, i) => {
          const li = document.createElement("li");
          li.id = `mention-${n}-${person.id}`;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          const name = document.createElement("span");
          name.textContent = person.name;
          li.append(name);
          if (person.organisation) {
            const org = document.createElement("span");
            org.className = "meta";
            org.textContent = ` ${person.organisation}`;
            li.append(org);
          }
          // mousedown, not click: the textarea must keep its focus and caret.
          li.addEventListener("mousedown", (event) => {
            event.preventDefault();
            choose(i);
          });
          return li;
        }),
      );
      list.hidden = results.length === 0;
      textarea.setAttribute("aria-expanded", String(results.length > 0));
      status.textContent = results.length ? `${results.length}` : "";
      highlight(results.length ? 0 : -1);
    }

    function choose(index) {
      const person = people[index];
      if (!person || !match) return;
      const before = textarea.value.slice(0, match.start);
      const after = textarea.value.slice(match.end);
      // The name as it stands in the stored mention, "@[Name](/people/ID/)".
      const label = /^@\[(.*)\]\(/.exec(person.mention || "");
      const text = `@${label ? label[1] : person.name} `;
      const ids = textarea.form && textarea.form.elements.namedItem(`${textarea.name}_mentions`);
      if (ids) {
        const known = ids.value.split(/\s+/).filter(Boolean);
        if (!known.includes(String(person.id))) known.push(String(person.id));
        ids.value = known.join(" ");
      }
      textarea.value = before + text + after;
      const caret = before.length + text.length;
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      textarea.focus();
    }

    async function lookup(query) {
      const mine = ++request;
      const url = new URL(textarea.dataset.mentionUrl, window.location.href);
      url.searchParams.set("q", query);
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok || mine !== request) return;
        const data = await response.json();
        if (mine === request && match) show(data.results || []);
      } catch {
        close();
      }
    }

    textarea.addEventListener("input", () => {
      const caret = textarea.selectionStart;
      if (caret !== textarea.selectionEnd) return close();
      const found = TRIGGER.exec(textarea.value.slice(0, caret));
      if (!found) return close();
      const query = found[2];
      match = { start: caret - query.length - 1, end: caret };
      clearTimeout(timer);
      timer = setTimeout(() => lookup(query.trim()), DELAY);
    });

    textarea.addEventListener("keydown", (event) => {
      if (list.hidden || !people.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % people.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + people.length) % people.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    textarea.addEventListener("blur", () => setTimeout(close, 100));
  }

  function setupAll(root) {
    root.querySelectorAll("textarea[data-mention-url]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", () => setupAll(document));
  // Forms that htmx swaps in get the same help.
  document.addEventListener("htmx:load", (event) => setupAll(event.target));
  if (document.readyState !== "loading") setupAll(document);
})();
