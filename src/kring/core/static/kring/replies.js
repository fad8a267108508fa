// The thread page has one reply form. "Reply to <name>" under a reply is a link: without
// JavaScript it reloads the page with ?reply_to=<id> and the server aims the form at that
// reply. With JavaScript the same form moves under the reply instead, aimed at it; "Cancel"
// (or the thread's own Answer button) moves it back to the end of the thread.
(() => {
  "use strict";

  document.addEventListener("DOMContentLoaded", () => {
    const card = document.querySelector("[data-reply-card]");
    const parent = card && card.querySelector('input[name="parent"]');
    if (!parent) return;
    const title = card.querySelector("#reply-title");
    const cancel = card.querySelector("[data-reply-cancel]");
    const home = document.createComment("reply form");
    card.before(home);

    document.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-reply-to]");
      if (!link) return;
      event.preventDefault();
      parent.value = link.dataset.replyTo;
      title.textContent = link.textContent;
      cancel.hidden = false;
      link.closest(".reply-to").after(card);
      const box = card.querySelector("textarea");
      if (box) box.focus();
    });

    const reset = () => {
      parent.value = "";
      title.textContent = title.dataset.title;
      cancel.hidden = true;
      home.after(card);
    };
    cancel.addEventListener("click", (event) => {
      event.preventDefault();
      reset();
    });
    // The thread's own "Answer"/"Reply" button: the form answers the thread again.
    document.querySelectorAll('a[href="#reply-title"]').forEach((link) => {
      if (!card.contains(link)) link.addEventListener("click", reset);
    });
  });
})();
