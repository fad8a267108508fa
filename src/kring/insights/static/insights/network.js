// The relations network on the insights dashboard: tapping or focusing a person shows their
// name, their facts and the people they have direct contact with (in the panel beside the
// picture) and highlights their ties. Without JavaScript, hover and keyboard focus still show
// the name (kring.css) and every node links to the person's profile.
//
// A first tap on a person selects them; a second tap, or Enter, opens their profile.
(function () {
  "use strict";

  var armed = null; // the node selected before the current pointer press

  function figureOf(node) {
    return node.closest(".insights-network");
  }

  function clear(section) {
    section.querySelectorAll(".is-selected, .is-near, .is-tie").forEach(function (el) {
      el.classList.remove("is-selected", "is-near", "is-tie");
    });
    var svg = section.querySelector(".chart-network");
    if (svg) svg.classList.remove("has-selection");
  }

  function select(node) {
    var section = figureOf(node);
    if (!section) return;
    clear(section);
    var svg = section.querySelector(".chart-network");
    var id = node.getAttribute("data-member");
    var near = [];
    svg.querySelectorAll('.net-tie[data-a="' + id + '"], .net-tie[data-b="' + id + '"]').forEach(
      function (line) {
        line.classList.add("is-tie");
        var other = line.getAttribute("data-a") === id ? line.getAttribute("data-b") : line.getAttribute("data-a");
        var otherNode = svg.querySelector('.net-node[data-member="' + other + '"]');
        if (otherNode) {
          otherNode.classList.add("is-near");
          near.push(otherNode.getAttribute("data-name"));
        }
      }
    );
    node.classList.add("is-selected");
    svg.classList.add("has-selection");
    var panel = section.querySelector(".network-panel");
    if (!panel) return;
    panel.textContent = "";
    var name = document.createElement("a");
    name.href = node.getAttribute("href");
    name.textContent = node.getAttribute("data-name");
    var strong = document.createElement("strong");
    strong.appendChild(name);
    panel.appendChild(strong);
    panel.appendChild(document.createTextNode(" · " + node.getAttribute("data-facts")));
    panel.appendChild(document.createElement("br"));
    near.sort(function (a, b) { return a.localeCompare(b); });
    panel.appendChild(
      document.createTextNode(
        near.length
          ? panel.getAttribute("data-ties-label") + ": " + near.join(", ") + "."
          : panel.getAttribute("data-none-label")
      )
    );
    panel.hidden = false;
  }

  document.addEventListener("focusin", function (event) {
    var node = event.target.closest && event.target.closest(".chart-network .net-node");
    if (node) select(node);
  });

  document.addEventListener("pointerdown", function (event) {
    var node = event.target.closest && event.target.closest(".chart-network .net-node");
    armed = node && node.classList.contains("is-selected") ? node : null;
  });

  document.addEventListener("click", function (event) {
    var node = event.target.closest && event.target.closest(".chart-network .net-node");
    if (!node) return;
    // A click from the keyboard (Enter) has detail 0: follow the link.
    if (event.detail === 0 || armed === node) return;
    event.preventDefault();
    select(node);
  });
})();
