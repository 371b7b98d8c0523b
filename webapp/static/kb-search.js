/* <kb-search>: the knowledge base's search box, for its own pages and for other sites.
   An ES module without dependencies. The app serves it at /embed/v1/kb-search.<hash>.js with both
   locales' strings filled in from its Babel catalogs (webapp/embed.py); docs/embedding.md is the
   reference for attributes, events, --kb-* properties and ::part() names.
   Shadow DOM and one constructed stylesheet: no inline style, no eval, nothing fetched until the
   reader focuses, clicks or uses a shortcut, and only simple GETs without credentials. */

const CONFIG = {} /*@config*/;
const SITE = new URL("../../", import.meta.url);
const DELAY = 150; // ms of quiet typing before asking: at most one request per pause
const MAX_RECENT = 5;
const MAX_OPTIONS = 8;
const JAMO = /[\u1100-\u11ff\u3131-\u318e]/;
const MAC = /Mac|iP(hone|ad|od)/.test(navigator.platform || navigator.userAgent);
const NOT_TYPED = ["button", "checkbox", "radio", "submit", "reset", "image", "file", "range", "color"];
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const LIGHT = `--_bg:var(--kb-bg,#fff);--_fg:var(--kb-fg,#1b1b1f);--_muted:var(--kb-muted,#4d4d57);
--_accent:var(--kb-accent,#0a52b8);--_accent-fg:var(--kb-accent-fg,#fff);--_border:var(--kb-border,#6e6e78);
--_surface:var(--kb-surface,#f4f5f8);--_mark-bg:var(--kb-mark-bg,#ffe680);--_mark-fg:var(--kb-mark-fg,#1b1b1f);
--_badge-bg:var(--kb-badge-bg,#fff2d6);--_badge-fg:var(--kb-badge-fg,#6b3d00);--_focus:var(--kb-focus,#c2410c);
color-scheme:light;`;
const DARK = `--_bg:var(--kb-bg,#121317);--_fg:var(--kb-fg,#e9e9ee);--_muted:var(--kb-muted,#b4b4bf);
--_accent:var(--kb-accent,#8cb8ff);--_accent-fg:var(--kb-accent-fg,#121317);--_border:var(--kb-border,#8b8b96);
--_surface:var(--kb-surface,#1d1e24);--_mark-bg:var(--kb-mark-bg,#6b5800);--_mark-fg:var(--kb-mark-fg,#fff);
--_badge-bg:var(--kb-badge-bg,#3b2a0a);--_badge-fg:var(--kb-badge-fg,#ffd79a);--_focus:var(--kb-focus,#ffb36b);
color-scheme:dark;`;
const CSS = `
:host{display:block}:host([hidden]){display:none}:host([mode=dialog]){display:inline-block}
.root{all:initial;display:block;position:relative;${LIGHT}
font-family:var(--kb-font,system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif);
font-size:var(--kb-font-size,16px);line-height:1.5;color:var(--_fg);text-align:start;
word-break:keep-all;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){:host(:not([theme=light])) .root{${DARK}}}
:host([theme=dark]) .root{${DARK}}
*,::before,::after{box-sizing:border-box}
[hidden]{display:none!important}
form{position:relative;margin:0}
label{display:block;font-weight:600;margin:0 0 6px}
.compact label,.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.row{display:flex;gap:8px}
input{flex:1;min-width:0;margin:0;font:inherit;font-size:max(16px,1em);line-height:1.5;padding:8px 12px;
color:var(--_fg);background:var(--_bg);border:1px solid var(--_border);border-radius:var(--kb-radius,6px)}
input::-webkit-search-cancel-button{display:none}
button{font:inherit;margin:0;cursor:pointer;border-radius:var(--kb-radius,6px)}
.submit,.trigger{font-weight:600;padding:8px 16px;color:var(--_accent-fg);background:var(--_accent);border:1px solid var(--_accent)}
.trigger{display:inline-flex;align-items:center;gap:8px;color:var(--_fg);background:var(--_bg);border-color:var(--_border);font-weight:400}
kbd{font:inherit;font-size:.8em;padding:0 6px;border:1px solid var(--_border);border-radius:4px;color:var(--_muted)}
.close{padding:8px 12px;color:var(--_fg);background:var(--_surface);border:1px solid var(--_border)}
.link{padding:0;border:0;background:none;color:var(--_accent);text-decoration:underline;font-weight:600}
:focus-visible{outline:3px solid var(--_focus);outline-offset:2px}
.panel{position:absolute;top:calc(100% + 4px);left:0;right:0;z-index:var(--kb-z-index,1000);
max-height:min(420px,60vh);overflow-y:auto;padding:4px 0;background:var(--_bg);color:var(--_fg);
border:1px solid var(--_border);border-radius:var(--kb-radius,6px);box-shadow:0 6px 18px rgb(0 0 0/.2)}
.panel[aria-busy=true]{opacity:.75}
ul{margin:0;padding:0;list-style:none}
[role=option]{display:block;padding:8px 12px;cursor:pointer}
[role=option]:hover{background:var(--_surface)}
[role=option][aria-selected=true]{outline:2px solid var(--_accent);outline-offset:-2px;background:var(--_surface)}
.title{font-weight:600}.kind,.category{color:var(--_muted);font-size:.875em}
.snippet{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden;color:var(--_muted);font-size:.875em}
.caution{display:block;margin-top:2px;padding-inline-start:6px;font-size:.875em;border-inline-start:3px solid var(--_badge-fg)}
mark{background:var(--_mark-bg);color:var(--_mark-fg);border-radius:2px}
.badge{display:inline-block;margin-inline-start:6px;padding:0 6px;font-size:.8em;font-weight:400;
color:var(--_badge-fg);background:var(--_badge-bg);border-radius:var(--kb-radius,6px)}
.msg{margin:0;padding:8px 12px}
.msg ul{padding-inline-start:20px;list-style:disc}
.more{display:block;padding:8px 12px;color:var(--_accent);border-top:1px solid var(--_surface)}
dialog{width:min(640px,calc(100vw - 16px));max-width:none;max-height:calc(100dvh - 16px);margin:8px auto auto;
padding:12px;color:var(--_fg);background:var(--_bg);border:1px solid var(--_border);border-radius:var(--kb-radius,6px)}
dialog::backdrop{background:rgb(0 0 0/.45)}
dialog .panel{position:static;max-height:none;margin-top:8px;box-shadow:none}
@media (forced-colors:active){[role=option][aria-selected=true]{outline-color:Highlight}}
`;

let sheet = null;

/** One stylesheet for every box on the page, adopted (CSP allows it; style="" it would not). */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** An element with attributes (never `style`) and children; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/** A catalog string with {name} places filled by text or nodes (never parsed as HTML). */
function fill(template, values) {
  return template.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? values[part] ?? "" : part));
}

/** Words as a notice names them: each in quotes, strong, separated by commas. */
function quoted(words) {
  return h("span", {}, ...words.flatMap((w, i) => [i ? ", " : "", "“", h("strong", {}, w), "”"]));
}

function decode(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, name) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? match;
    const hex = name[1] === "x" || name[1] === "X";
    const code = parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

/** kb's snippet HTML as nodes: <mark> is the only markup let through; the rest is text. */
function snippetNodes(html) {
  return String(html)
    .split(/<(\/?)mark>/)
    .reduce(
      (state, part, i) => {
        if (i % 2) state.marked = part === "";
        else if (part) {
          const text = decode(part);
          state.nodes.push(state.marked ? h("mark", { part: "mark" }, text) : text);
        }
        return state;
      },
      { nodes: [], marked: false },
    ).nodes;
}

function safeUrl(href, base = SITE) {
  try {
    const url = new URL(href, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function editable(node) {
  if (!(node instanceof Element)) return false;
  if (node.isContentEditable || node.localName === "textarea" || node.localName === "select") {
    return true;
  }
  return node.localName === "input" && !NOT_TYPED.includes(node.type);
}

/** "/ mod+k" → key combinations; mod is ⌘ on Apple devices, Ctrl elsewhere; "none": none. */
function parseShortcuts(spec) {
  if (spec.trim() === "none") return [];
  return spec
    .split(/\s+/)
    .filter(Boolean)
    .map((combo) => {
      const parts = combo.toLowerCase().split("+");
      const key = parts.pop();
      const has = (name) => parts.includes(name);
      const shortcut = {
        key,
        ctrl: has("ctrl") || (has("mod") && !MAC),
        meta: has("meta") || has("cmd") || (has("mod") && MAC),
        alt: has("alt"),
        shift: has("shift"),
      };
      const names = [
        shortcut.ctrl && "Control",
        shortcut.meta && "Meta",
        shortcut.alt && "Alt",
        shortcut.shift && "Shift",
        key.length === 1 ? key.toUpperCase() : key,
      ];
      shortcut.aria = names.filter(Boolean).join("+");
      shortcut.label = combo === "/" ? "/" : names.filter(Boolean).join("+").replace("Meta", "⌘").replace("Control", "Ctrl");
      return shortcut;
    });
}

function pressed(event, shortcut) {
  return (
    event.key.toLowerCase() === shortcut.key &&
    event.ctrlKey === shortcut.ctrl &&
    event.metaKey === shortcut.meta &&
    event.altKey === shortcut.alt &&
    (shortcut.key.length !== 1 || /[^a-z]/.test(shortcut.key) || event.shiftKey === shortcut.shift)
  );
}

class KbSearch extends HTMLElement {
  static observedAttributes = ["lang", "mode", "shortcuts", "compact", "action", "target"];

  constructor() {
    super();
    this.attachShadow({ mode: "open" }).adoptedStyleSheets = [styles()];
    this.onKey = this.onKey.bind(this);
    this.seq = 0; // the latest request; answers to earlier ones are dropped
    this.asked = null; // the text of the latest request
    this.options = [];
    this.active = -1;
    this.composing = false;
    this.justComposed = false;
  }

  connectedCallback() {
    if (!this.input) this.render();
    document.addEventListener("keydown", this.onKey);
  }

  disconnectedCallback() {
    document.removeEventListener("keydown", this.onKey);
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  attributeChangedCallback() {
    if (this.input) this.render();
  }

  get locale() {
    const lang = this.getAttribute("lang");
    return lang in CONFIG.strings ? lang : CONFIG.default;
  }

  get t() {
    return CONFIG.strings[this.locale];
  }

  get dialogMode() {
    return this.getAttribute("mode") === "dialog";
  }

  get storageKey() {
    return `kb-search:recent:${SITE.origin}`;
  }

  /** kb-search:<name> for the host's analytics; a host may cancel a select to route it itself. */
  emit(name, detail) {
    const full = { q: null, lang: this.locale, count: null, slug: null, rank: null, ...detail };
    const init = { bubbles: true, composed: true, cancelable: name === "select", detail: full };
    return this.dispatchEvent(new CustomEvent(`kb-search:${name}`, init));
  }

  /** The whole shadow tree, built from text with DOM calls; again when an attribute changes. */
  render() {
    const t = this.t;
    const first = !this.input;
    const light = this.querySelector("input[name=q]");
    const value = this.input ? this.input.value : (light?.value ?? this.getAttribute("value") ?? "");
    const focus = this.input ? this.shadowRoot.activeElement === this.input : light && document.activeElement === light;
    this.shortcuts = parseShortcuts(this.getAttribute("shortcuts") ?? "/ mod+k");
    const keys = this.shortcuts.map((s) => s.aria).join(" ") || null;
    this.input = h("input", {
      id: "q",
      part: "input",
      name: "q",
      type: "search",
      role: "combobox",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      enterkeyhint: "search",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": "listbox",
      "aria-keyshortcuts": this.dialogMode ? null : keys,
      lang: this.locale,
    });
    this.input.value = value;
    this.listbox = h("ul", { id: "listbox", part: "listbox", role: "listbox", "aria-label": t.listbox, hidden: "" });
    this.message = h("div", { class: "msg", hidden: "" });
    this.notice = h("p", { class: "msg", part: "notice", hidden: "" });
    this.more = h("a", { class: "more", part: "more", hidden: "", target: this.target });
    this.panel = h("div", { class: "panel", part: "panel", hidden: "" }, this.notice, this.listbox, this.message, this.more);
    this.status = h("div", { class: "vh", role: "status", part: "status" });
    const row = h(
      "div",
      { class: "row" },
      this.input,
      h("button", { class: "submit", part: "button", type: "submit" }, t.submit),
    );
    this.form = h(
      "form",
      {
        role: "search",
        method: "get",
        action: safeUrl(this.getAttribute("action") ?? `${SITE}${this.locale}/search`, document.baseURI) ?? "",
        target: this.hasAttribute("action") ? null : this.target, // your own page opens in place
        class: this.hasAttribute("compact") ? "compact" : null,
        "aria-label": this.dialogMode ? null : t.submit,
      },
      h("label", { for: "q", part: "label" }, t.label),
      row,
      this.panel,
      this.status,
    );
    let top = this.form;
    this.trigger = this.dialog = null;
    if (this.dialogMode) {
      const hint = this.shortcuts[0] ? h("kbd", { "aria-hidden": "true" }, this.shortcuts[0].label) : null;
      this.trigger = h(
        "button",
        { class: "trigger", part: "trigger", type: "button", "aria-haspopup": "dialog", "aria-keyshortcuts": keys },
        t.submit,
        hint,
      );
      const close = h("button", { class: "close", part: "close", type: "button" }, t.close);
      row.append(close);
      this.dialog = h("dialog", { part: "dialog", "aria-label": t.dialog }, this.form);
      this.trigger.addEventListener("click", () => this.open());
      close.addEventListener("click", () => this.dialog.close());
      this.dialog.addEventListener("cancel", (event) => {
        if (this.composing) event.preventDefault();
      });
      this.dialog.addEventListener("close", () => this.closed());
      this.dialog.addEventListener("keydown", (event) => this.wrapFocus(event));
      top = [this.trigger, this.dialog];
    }
    this.shadowRoot.replaceChildren(h("div", { class: "root", part: "root", lang: this.locale }, ...[top].flat()));
    this.wire();
    this.options = [];
    this.active = -1;
    this.asked = null;
    if (focus || (first && this.hasAttribute("autofocus") && !this.dialogMode)) this.input.focus();
  }

  get target() {
    const target = this.getAttribute("target");
    return ["_top", "_blank", "_parent"].includes(target) ? target : null;
  }

  wire() {
    const input = this.input;
    input.addEventListener("input", () => this.schedule());
    input.addEventListener("focus", () => this.showRecent());
    input.addEventListener("compositionstart", () => {
      this.composing = true;
      this.compositionStart = input.selectionStart ?? input.value.length;
      this.composed = "";
    });
    input.addEventListener("compositionupdate", (event) => {
      this.composed = event.data ?? "";
    });
    input.addEventListener("compositionend", () => {
      this.composing = false;
      this.justComposed = true; // an Enter in this same task ended the composition
      setTimeout(() => (this.justComposed = false));
      this.schedule();
    });
    input.addEventListener("keydown", (event) => this.onInputKey(event));
    this.form.addEventListener("submit", (event) => {
      const q = input.value.trim();
      if (!q) {
        event.preventDefault();
        return;
      }
      this.remember(q);
      if (!this.emit("select", { q })) event.preventDefault();
    });
    this.form.addEventListener("focusout", (event) => {
      if (!this.form.contains(event.relatedTarget)) this.close();
    });
    this.panel.addEventListener("mousedown", (event) => {
      if (!event.target.closest?.("button,a")) event.preventDefault(); // focus stays in the box
    });
  }

  /** What the reader has committed: a syllable still being composed counts once whole. */
  typed() {
    const value = this.input.value;
    if (!this.composing || !JAMO.test(this.composed)) return value;
    const start = this.compositionStart;
    return value.slice(0, start) + value.slice(start + this.composed.length);
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const q = this.typed();
      if (q.trim() === (this.asked ?? "").trim()) return;
      if (!q.trim()) {
        this.seq++;
        this.controller?.abort();
        this.asked = null;
        this.showRecent(true);
        return;
      }
      this.fetch(q);
    }, DELAY);
  }

  async fetch(q, exact = false) {
    const seq = ++this.seq;
    this.asked = q;
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    const url = new URL("api/instant", SITE);
    url.search = new URLSearchParams({ q, lang: this.locale, ...(exact ? { exact: "1" } : {}) });
    this.panel.setAttribute("aria-busy", "true");
    this.listbox.setAttribute("aria-busy", "true");
    this.emit("query", { q });
    if (this.panel.hidden) this.say(this.t.loading);
    try {
      const response = await fetch(url, { credentials: "omit", signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      if (seq === this.seq) this.show(q, data);
    } catch (error) {
      if (seq === this.seq && error.name !== "AbortError") this.fail(q);
    } finally {
      if (seq === this.seq) {
        this.panel.removeAttribute("aria-busy");
        this.listbox.removeAttribute("aria-busy");
      }
    }
  }

  /** A message in the panel instead of (or under) the options. */
  say(text, ...extra) {
    this.message.replaceChildren(h("p", {}, text), ...extra);
    this.message.hidden = false;
    this.openPanel();
  }

  show(q, data) {
    const t = this.t;
    const hits = (data.results ?? []).map((hit) => ({ ...hit, kind: "hit" }));
    const seen = new Set(hits.map((hit) => hit.slug));
    const words = new Set();
    const completions = (data.completions ?? []).filter((c) => {
      if (c.kind === "term") return !words.has(c.text) && words.add(c.text);
      return !seen.has(c.slug) && seen.add(c.slug);
    });
    // Articles first (results, then titles matching the prefix), then terms to search for.
    const articles = [...hits, ...completions.filter((c) => c.kind !== "term")].slice(0, MAX_OPTIONS - 2);
    const terms = completions.filter((c) => c.kind === "term");
    const options = [...articles, ...terms].slice(0, MAX_OPTIONS);
    this.listbox.setAttribute("aria-label", t.listbox);
    this.setOptions(options);

    this.notice.replaceChildren();
    const correction = data.corrected ?? data.suggestion;
    if (correction) {
      const button = h("button", { type: "button", class: "link", lang: null }, correction.text);
      if (data.corrected) {
        const typed = h("button", { type: "button", class: "link" }, q);
        typed.addEventListener("click", () => this.fetch(q, true));
        this.notice.append(...fill(t.corrected, { corrected: h("strong", {}, correction.text), typed }));
      } else {
        button.addEventListener("click", () => {
          this.input.value = correction.text;
          this.fetch(correction.text);
          this.input.focus();
        });
        this.notice.append(...fill(t.suggestion, { suggestion: button }));
      }
    }
    // The words no article has, when the others found something (`위염 약`: every 약, none about 위염).
    const missing = hits.length ? (data.missing ?? []) : [];
    if (missing.length) {
      const rule = new Intl.PluralRules(this.locale).select(missing.join(" ").split(/\s+/).length);
      if (correction) this.notice.append(" ");
      this.notice.append(...fill(rule === "one" ? t.missing_one : t.missing_other, { words: quoted(missing) }));
    }
    // The need every article mentions only among side effects (`코막힘 약`: losartan's), lest it
    // pass for a treatment.
    const asideOnly = hits.length ? (data.aside_only ?? []) : [];
    if (asideOnly.length) {
      const rule = new Intl.PluralRules(this.locale).select(asideOnly.length);
      if (correction || missing.length) this.notice.append(" ");
      this.notice.append(...fill(rule === "one" ? t.aside_one : t.aside_other, { words: quoted(asideOnly) }));
    }
    this.notice.hidden = !(correction || missing.length || asideOnly.length);

    const total = data.total ?? 0;
    this.message.hidden = true;
    if (!options.length) {
      const tips = h(
        "ul",
        {},
        h("li", {}, t.tip_spelling),
        h("li", {}, t.tip_names),
        h("li", {}, t.tip_words),
      );
      this.say(fill(t.none, { q }).join(""), h("p", {}, t.tips), tips);
    }
    const search = safeUrl(data.search_url);
    this.more.hidden = !(total && search);
    if (search) this.more.href = search;
    this.more.textContent = fill(t.more, { q }).join("");
    this.openPanel();
    const count = new Intl.NumberFormat(this.locale).format(total);
    const rule = new Intl.PluralRules(this.locale).select(total);
    this.announce(total ? fill(rule === "one" ? t.count_one : t.count_other, { n: count }).join("") : fill(t.none, { q }).join(""));
    this.emit("results", { q, count: total });
  }

  fail(q) {
    const retry = h("button", { type: "button", class: "link", part: "retry" }, this.t.retry);
    retry.addEventListener("click", () => {
      this.fetch(q);
      this.input.focus();
    });
    this.setOptions([]);
    this.notice.hidden = true;
    this.more.hidden = true;
    this.say(this.t.error, retry);
    this.announce(this.t.error);
    this.emit("error", { q });
  }

  announce(text) {
    this.status.textContent = text;
  }

  setOptions(options) {
    this.options = options;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren(...options.map((option, i) => this.optionNode(option, i)));
    this.listbox.hidden = !options.length;
    this.input.setAttribute("aria-expanded", String(!this.panel.hidden && options.length > 0));
  }

  optionNode(option, i) {
    const t = this.t;
    const node = h("li", { id: `o${i}`, role: "option", part: "option", "aria-selected": "false" });
    if (option.kind === "term" || option.kind === "recent") {
      node.append(h("span", { class: "text", lang: option.lang ?? null }, option.text), " ", h("span", { class: "kind" }, t.term));
    } else {
      const text = option.kind === "hit" ? option.title : option.text;
      node.append(h("span", { class: "title", lang: option.lang }, text));
      if (option.fallback) node.append(" ", h("span", { class: "badge", part: "badge" }, t.fallback));
      if (option.category) node.append(" ", h("span", { class: "category", lang: option.lang }, option.category));
      if (option.snippet) node.append(h("span", { class: "snippet", lang: option.lang }, ...snippetNodes(option.snippet)));
      if (option.caution) node.append(h("span", { class: "caution", lang: option.lang }, h("strong", { lang: this.locale }, t.caution), " ", ...snippetNodes(option.caution)));
    }
    node.addEventListener("click", () => this.choose(i));
    return node;
  }

  openPanel() {
    if (this.panel.hidden) {
      this.panel.hidden = false;
      if (!this.dialogMode) this.emit("open", { q: this.input.value });
    }
    this.input.setAttribute("aria-expanded", String(this.options.length > 0));
  }

  close() {
    this.setActive(-1);
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  }

  setActive(index) {
    this.listbox.children[this.active]?.setAttribute("aria-selected", "false");
    this.active = index;
    const node = this.listbox.children[index];
    if (node) {
      node.setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", node.id);
      node.scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  onInputKey(event) {
    if (event.isComposing || event.keyCode === 229 || this.composing) return; // the IME's key
    if (event.key === "Enter" && this.justComposed) {
      event.preventDefault(); // it confirmed a syllable; it does not search or navigate
      return;
    }
    const count = this.options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      const down = event.key === "ArrowDown";
      if (this.panel.hidden) this.openPanel();
      // none, 0 … count-1, then none again
      this.setActive(((this.active + 1 + (down ? 1 : -1) + count + 1) % (count + 1)) - 1);
    } else if (event.key === "Enter" && this.active >= 0 && !this.panel.hidden) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape" && (!this.panel.hidden || this.dialog)) {
      event.preventDefault(); // the first Esc closes the list, the next the dialog
      if (this.panel.hidden) this.dialog.close();
      else this.close();
    }
  }

  /** A title opens its article; a term is searched for on the site's search page. */
  choose(index) {
    const option = this.options[index];
    if (!option) return;
    const q = this.input.value.trim();
    if (option.kind === "recent") {
      this.input.value = option.text;
      this.fetch(option.text);
      return;
    }
    this.close();
    if (option.kind === "term") {
      this.input.value = option.text;
      this.remember(option.text);
      // form.submit() fires no submit event: this select is the one counted
      if (this.emit("select", { q: option.text, rank: index + 1 })) this.form.submit();
      return;
    }
    const url = safeUrl(option.url);
    this.remember(q);
    if (!this.emit("select", { q, slug: option.slug, rank: index + 1 }) || !url) return;
    if (this.target) window.open(url, this.target, this.target === "_blank" ? "noopener" : "");
    else window.location.assign(url);
  }

  recent() {
    try {
      const list = JSON.parse(localStorage.getItem(this.storageKey) ?? "[]");
      return Array.isArray(list) ? list.filter((q) => typeof q === "string").slice(0, MAX_RECENT) : [];
    } catch {
      return []; // storage blocked or full: no history, the box still works
    }
  }

  remember(q) {
    if (!this.hasAttribute("history") || !q) return;
    try {
      const list = [q, ...this.recent().filter((old) => old !== q)].slice(0, MAX_RECENT);
      localStorage.setItem(this.storageKey, JSON.stringify(list));
    } catch {
      /* see recent() */
    }
  }

  /** With the `history` attribute and an empty box: the last searches, and a way to clear them. */
  showRecent(empty = false) {
    if (this.input.value.trim()) return;
    const list = this.hasAttribute("history") ? this.recent() : [];
    this.notice.hidden = this.more.hidden = true;
    this.setOptions(list.map((text) => ({ kind: "recent", text })));
    if (!list.length) {
      this.message.hidden = true;
      if (empty || !this.panel.hidden) this.close();
      return;
    }
    const clear = h("button", { type: "button", class: "link", part: "clear" }, this.t.clear);
    clear.addEventListener("click", () => {
      try {
        localStorage.removeItem(this.storageKey);
      } catch {
        /* nothing to clear */
      }
      this.close();
      this.input.focus();
    });
    this.listbox.setAttribute("aria-label", this.t.recent);
    this.say(this.t.recent, clear);
    this.message.firstChild.classList.add("vh");
  }

  open() {
    if (!this.dialog || this.dialog.open) return;
    this.scroll = [window.scrollX, window.scrollY];
    this.dialog.showModal();
    this.input.focus();
    this.emit("open", { q: this.input.value });
  }

  /** Tab past the last control comes back to the first (the page behind is inert anyway). */
  wrapFocus(event) {
    if (event.key !== "Tab") return;
    const controls = [...this.dialog.querySelectorAll("input,button,a[href]")].filter((el) => !el.closest("[hidden]"));
    const edge = event.shiftKey ? controls[0] : controls[controls.length - 1];
    if (this.shadowRoot.activeElement === edge) {
      event.preventDefault();
      (event.shiftKey ? controls[controls.length - 1] : controls[0]).focus();
    }
  }

  closed() {
    this.close();
    this.trigger.focus({ preventScroll: true });
    if (this.scroll) window.scrollTo(...this.scroll);
  }

  /** The page's shortcuts: "/" only outside editable fields (also in other shadow roots). */
  onKey(event) {
    if (event.defaultPrevented || event.isComposing || !this.isConnected) return;
    const shortcut = this.shortcuts.find((s) => pressed(event, s));
    if (!shortcut) return;
    const plain = !(shortcut.ctrl || shortcut.meta || shortcut.alt);
    if (plain && editable(event.composedPath()[0])) return;
    event.preventDefault();
    if (this.dialogMode) this.open();
    else {
      this.input.focus();
      this.input.select();
    }
  }
}

if (!customElements.get("kb-search")) customElements.define("kb-search", KbSearch);
export { KbSearch };
