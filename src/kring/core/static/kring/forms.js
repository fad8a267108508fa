// Help for forms, as progressive enhancement: without JavaScript every field is a plain
// textarea or <select> that still works.
//
// 1. Writing boxes ([data-writing-box]): a small toolbar that puts the formatting marks around
//    the selection, and a preview that the server renders exactly as the saved text.
// 2. Pickers (select[data-picker]): a searchable list with chips (Tom Select, vendored under
//    static/vendor/tom-select/), loaded only on pages that have a picker. One with
//    data-picker-url lists a few choices and asks that URL (JSON, ?q=) for the rest.
(() => {
  "use strict";

  // --- Writing boxes ------------------------------------------------------------------------

  function csrfToken(box) {
    const input = box.closest("form")?.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
  }

  function changed(textarea) {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function wrap(textarea, mark) {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const inner = value.slice(start, end);
    textarea.setRangeText(mark + inner + mark, start, end, "end");
    textarea.setSelectionRange(start + mark.length, start + mark.length + inner.length);
    changed(textarea);
  }

  function prefixLines(textarea, prefix) {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const lines = value.slice(from, end).split("\n");
    const done = lines.every((line) => line.startsWith(prefix));
    const text = lines
      .map((line) => (done ? line.slice(prefix.length) : prefix + line))
      .join("\n");
    textarea.setRangeText(text, from, end, "end");
    changed(textarea);
  }

  function link(textarea, placeholder) {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const label = value.slice(start, end) || placeholder;
    const address = "https://";
    textarea.setRangeText(`[${label}](${address})`, start, end, "end");
    // The address is what people type or paste next.
    const at = start + label.length + 3;
    textarea.setSelectionRange(at, at + address.length);
    changed(textarea);
  }

  async function showPreview(box, textarea, preview) {
    const data = new FormData();
    data.append("text", textarea.value);
    preview.replaceChildren();
    try {
      const response = await fetch(box.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(box) },
      });
      if (!response.ok) throw new Error(String(response.status));
      const html = await response.text();
      // The server sanitised this HTML with the same allowlist as saved text.
      if (html.trim()) preview.innerHTML = html;
      else preview.textContent = preview.dataset.empty;
    } catch {
      preview.textContent = preview.dataset.failed;
    }
  }

  function setupWriting(box) {
    if (box.dataset.writingReady) return;
    box.dataset.writingReady = "1";
    const tools = box.querySelector(".writing-tools");
    const textarea = box.querySelector("textarea");
    const preview = box.querySelector(".writing-preview");
    const toggle = box.querySelector(".writing-preview-toggle");
    if (!tools || !textarea || !preview) return;
    tools.hidden = false;

    function previewing(on) {
      preview.hidden = !on;
      textarea.hidden = on;
      toggle.setAttribute("aria-pressed", String(on));
      toggle.textContent = on ? toggle.dataset.writeLabel : toggle.dataset.previewLabel;
      tools.querySelectorAll(".writing-tool:not(.writing-preview-toggle)").forEach((b) => {
        b.disabled = on;
      });
    }

    tools.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button === toggle) {
        const on = toggle.getAttribute("aria-pressed") !== "true";
        previewing(on);
        if (on) showPreview(box, textarea, preview);
        else textarea.focus();
      } else if (button.dataset.wrap) wrap(textarea, button.dataset.wrap);
      else if (button.dataset.prefix) prefixLines(textarea, button.dataset.prefix);
      else if (button.dataset.link) link(textarea, button.dataset.link);
    });
    // Ctrl+B (Cmd+B on a Mac) for bold, as in e-mail programs.
    textarea.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "b") {
        event.preventDefault();
        wrap(textarea, "**");
      }
    });
    // Sending the form from the preview sends the text as it is.
    box.closest("form")?.addEventListener("submit", () => previewing(false));
  }

  // --- Pickers ------------------------------------------------------------------------------

  let library = null;

  function loadPicker(select) {
    if (window.TomSelect) return Promise.resolve();
    if (library) return library;
    library = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = select.dataset.pickerCss;
      document.head.append(css);
      const script = document.createElement("script");
      script.src = select.dataset.pickerJs;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    return library;
  }

  function setupPicker(select) {
    if (select.dataset.pickerReady || select.tomselect) return;
    select.dataset.pickerReady = "1";
    // Tom Select moves the label to its own search box; read the name first, so the hidden
    // original list keeps it for assistive technology too.
    const label = document.querySelector(`label[for="${select.id}"]`);
    const name = label ? label.textContent.replace(/\s+/g, " ").trim() : "";
    loadPicker(select)
      .then(() => {
        const options = {
          plugins: select.multiple
            ? { remove_button: { title: select.dataset.pickerRemove || "" } }
            : [],
          maxOptions: null,
          create: false,
          hidePlaceholder: true,
          placeholder: select.dataset.pickerPlaceholder || "",
          render: {
            no_results: () => {
              const div = document.createElement("div");
              div.className = "no-results";
              div.textContent = select.dataset.pickerEmpty || "";
              return div;
            },
          },
        };
        if (select.dataset.pickerUrl) {
          // The list holds a few people; the server finds anyone else by name.
          Object.assign(options, {
            shouldLoad: (query) => query.trim().length >= 2,
            load: (query, callback) => {
              const url = new URL(select.dataset.pickerUrl, window.location.href);
              url.searchParams.set("q", query);
              fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
                .then((response) => (response.ok ? response.json() : { results: [] }))
                .then((data) =>
                  callback(
                    data.results.map((person) => ({
                      value: String(person.id),
                      text: person.organisation
                        ? `${person.name} (${person.organisation})`
                        : person.name,
                    })),
                  ),
                )
                .catch(() => callback());
            },
          });
        }
        const picker = new window.TomSelect(select, options);
        if (name) {
          select.setAttribute("aria-label", name);
          picker.control_input?.setAttribute("aria-label", name);
        }
        const hint = select.closest(".field")?.querySelector(".picker-fallback-hint");
        if (hint) hint.hidden = true;
        // The typed-name field is for browsers without JavaScript: the picker searches now.
        document.querySelectorAll(`[data-picker-fallback-for="${select.id}"]`).forEach((box) => {
          const input = box.querySelector("input");
          if (!box.querySelector(".errorlist") && !(input && input.value)) box.hidden = true;
        });
      })
      .catch(() => {
        // The plain list stays: still usable.
      });
  }

  function setupAll(root) {
    root.querySelectorAll("[data-writing-box]").forEach(setupWriting);
    root.querySelectorAll("select[data-picker]").forEach(setupPicker);
  }

  document.addEventListener("DOMContentLoaded", () => setupAll(document));
  document.addEventListener("htmx:load", (event) => setupAll(event.target));
  if (document.readyState !== "loading") setupAll(document);
})();
