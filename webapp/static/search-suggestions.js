/* Suggestions as you type, for every search box that names an endpoint (data-suggest-url).
   Progressive enhancement: it turns the box into an ARIA 1.2 combobox whose listbox offers titles
   (which open the article) and terms (which search for them); without it, a plain GET form. */
(() => {
  "use strict";

  const DELAY_MS = 100; // after the last keystroke, before asking the server

  /** Turn one search box into a combobox; focus stays in the box (aria-activedescendant). */
  function enhance(input) {
    const form = input.form;
    const list = document.createElement("ul");
    list.id = `${input.id}-suggestions`;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.suggestLabel);
    list.hidden = true;
    input.after(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    let completions = []; // what the list shows
    let active = -1; // the highlighted option, -1 for none (the text box itself)
    let asked = null; // the text the shown (or awaited) completions are for
    let pending = null; // AbortController of the request in flight
    let timer = 0;

    function setActive(index) {
      const previous = list.children[active];
      if (previous) previous.setAttribute("aria-selected", "false");
      active = index;
      const option = list.children[active];
      if (option) {
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function option(completion, index) {
      const item = document.createElement("li");
      item.id = `${list.id}-${index}`;
      item.className = `suggestion suggestion-${completion.kind}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      const text = document.createElement("span");
      text.className = "suggestion-text";
      text.lang = completion.lang;
      text.textContent = completion.text;
      const kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent =
        completion.kind === "article" ? input.dataset.suggestArticle : input.dataset.suggestTerm;
      item.append(text, " ", kind); // the space keeps them apart in the option's spoken name
      item.addEventListener("click", () => choose(index));
      return item;
    }

    /** The completions worth showing: one of each term (several articles may share a tag). */
    function distinct(found) {
      const terms = new Set();
      return found.filter((completion) => {
        if (completion.kind !== "term") return true;
        if (terms.has(completion.text)) return false;
        terms.add(completion.text);
        return true;
      });
    }

    function show(found) {
      completions = distinct(found);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.replaceChildren(...completions.map(option));
      if (completions.length) open();
      else close();
    }

    /** A title opens its article; a term becomes the query and is searched for. */
    function choose(index) {
      const completion = completions[index];
      close();
      if (completion.kind === "article") {
        const target = new URL(completion.url, window.location.href);
        if (target.protocol === "https:" || target.protocol === "http:") {
          window.location.assign(target.href);
        }
        return;
      }
      input.value = asked = completion.text;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    async function fetchCompletions() {
      const text = input.value;
      if (text === asked) return;
      asked = text;
      if (pending) pending.abort();
      pending = null;
      if (!text.trim()) {
        show([]);
        return;
      }
      const controller = (pending = new AbortController());
      const url = new URL(input.dataset.suggestUrl, window.location.href);
      url.search = new URLSearchParams({ q: text, lang: input.dataset.suggestLang }).toString();
      try {
        const response = await fetch(url, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`suggestions: HTTP ${response.status}`);
        const data = await response.json();
        if (controller === pending && input.value === text) show(data.completions);
      } catch (error) {
        if (error.name !== "AbortError" && controller === pending) show([]);
      } finally {
        if (controller === pending) pending = null;
      }
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchCompletions, DELAY_MS);
    }

    // Chromium fires "input" for every composition step (가 → 갑 → 가바), so Korean readers get
    // suggestions syllable by syllable; the composition events cover browsers that do not.
    for (const type of ["input", "compositionupdate", "compositionend"]) {
      input.addEventListener(type, schedule);
    }

    input.addEventListener("keydown", (event) => {
      if (event.isComposing || event.keyCode === 229) return; // the IME is using this key
      const count = completions.length;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp": {
          if (!count) return;
          event.preventDefault();
          const down = event.key === "ArrowDown";
          if (list.hidden) {
            open();
            setActive(down ? 0 : count - 1);
          } else {
            // positions run none, 0 … count-1, then back to none
            setActive(((active + 1 + (down ? 1 : -1) + count + 1) % (count + 1)) - 1);
          }
          return;
        }
        case "Enter":
          if (!list.hidden && active >= 0) {
            event.preventDefault();
            choose(active);
          } else {
            close(); // the form is submitted as typed (and the list is not kept for "back")
          }
          return;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          }
          return;
        case "Tab":
          close();
      }
    });

    input.addEventListener("blur", close);
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the box
  }

  for (const input of document.querySelectorAll("input[data-suggest-url]")) enhance(input);
})();
