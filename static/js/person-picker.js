/* The person picker: turns every <input data-person-search="URL"> into an ARIA 1.2 combobox
   (search as you type, arrow keys, Enter, Escape). Without this script the input stays a plain text
   field that the server reads as a name, employee number or email. No inline script or style (CSP). */
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var DELAY_MS = 150;
  var counter = 0;

  function setup(input) {
    var id = input.id || "person-picker-" + ++counter;
    input.id = id;
    var multiple = input.dataset.personMultiple === "true";
    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.className = "list-group person-picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Matching people");
    list.hidden = true;
    // The live region for the result count is added on first focus: early enough to be announced,
    // and pages that never use the picker keep a single status region (their flash message).
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.classList.add("person-picker");
    input.insertAdjacentElement("afterend", list);
    input.addEventListener("focus", function () {
      if (!status.isConnected) list.insertAdjacentElement("afterend", status);
    });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var results = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    // In a list field ("a, b, c") only the part after the last comma is being typed.
    function typed() {
      if (!multiple) return input.value.trim();
      var parts = input.value.split(/[,\n]/);
      return parts[parts.length - 1].trim();
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("active", i === index);
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var person = results[index];
      if (!person) return;
      if (multiple) {
        var cut = Math.max(input.value.lastIndexOf(","), input.value.lastIndexOf("\n"));
        var before = cut >= 0 ? input.value.slice(0, cut + 1) + " " : "";
        input.value = before + person.label + ", ";
      } else {
        input.value = person.label;
      }
      close();
      status.textContent = person.name + " chosen.";
    }

    function show(found) {
      results = found;
      list.textContent = "";
      found.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = id + "-option-" + i;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = person.name;
        var detail = document.createElement("span");
        detail.className = "person-picker-detail small ms-2";
        detail.textContent = [person.team, person.number].filter(Boolean).join(" · ");
        option.appendChild(detail);
        // mousedown, not click: keep the focus in the input.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent =
        found.length === 0 ? "No one found." : found.length === 1 ? "1 person found." : found.length + " people found.";
    }

    function search() {
      var q = typed();
      if (q.length < MIN_CHARS) {
        results = [];
        close();
        return;
      }
      var url = input.dataset.personSearch + "?q=" + encodeURIComponent(q);
      if (input.dataset.personActive === "true") url += "&active=1";
      var mine = ++latest;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === latest) show(data.results || []);  // an older, slower answer is dropped
        })
        .catch(function () {
          /* Offline or signed out: the field still works as typed text. */
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && results.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (results.length) highlight((active + 1) % results.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open && results.length) highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();  // pick, do not submit the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-person-search]").forEach(setup);
})();
