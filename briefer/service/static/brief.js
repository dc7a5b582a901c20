// The brief as items an editor can focus: each lights its evidence in the article, flagged ones
// say why (⚠), and takeaways can be edited or deleted until the brief is accepted.

import { el, key, reasonOf, evidenceOf } from "./view.js";

let ids = 0;

// One checkable item: a button (hover, focus or press shows its evidence) with its verdict.
function item(tag, check, text, { label, extra = [], cls = "" } = {}) {
  const id = `item-${++ids}`;
  const flagged = check && !check.supported;
  const why = flagged
    ? el("p", { class: "why", id: `${id}-why` }, el("span", { "aria-hidden": "true" }, "⚠ "), "Check: ", reasonOf(check))
    : null;
  const where = el("p", { class: "where", id: `${id}-where` }, evidenceOf(check));
  const button = el(
    "button",
    {
      type: "button",
      class: "claim",
      "aria-pressed": "false",
      "aria-describedby": [why ? why.id : null, where.id].filter(Boolean).join(" "),
      "aria-label": label ? `${label}: ${text}` : null,
    },
    flagged ? el("span", { class: "mark", "aria-hidden": "true" }, "⚠ ") : null,
    flagged ? el("span", { class: "visually-hidden" }, "Flagged: ") : null,
    el("span", { class: "text" }, text),
  );
  button.briefCheck = check;
  const node = el(tag, { class: `item ${cls} ${flagged ? "flagged" : ""} ${check ? "" : "stale"}` }, button, why, where, ...extra);
  return node;
}

function section(title, ...children) {
  return el("section", { class: "part" }, el("h4", {}, title), ...children);
}

// The whole brief; ``takeaways`` are [{text, check}] (check null once edited); ``editable``
// adds Edit/Delete to each takeaway and calls ``on.edit(i)``, ``on.remove(i)``.
export function renderBrief(container, brief, checks, takeaways, { editable, editing, on }) {
  const parts = [];
  const headline = item("div", checks.get(key("headline", 0)), brief.headline, { label: "Headline", cls: "headline" });
  parts.push(headline);
  const d = brief.dateline || {};
  const dateline = [d.place, d.date, d.outlet].filter(Boolean).join(" · ");
  if (dateline) parts.push(item("div", checks.get(key("dateline", 0)), dateline, { label: "Dateline", cls: "dateline" }));

  const list = el("ol", { class: "takeaways" });
  takeaways.forEach((t, i) => {
    if (editing === i) {
      list.append(editor(t.text, i, on));
      return;
    }
    const controls = editable
      ? el(
          "div",
          { class: "controls" },
          el("button", { type: "button", class: "small", "data-edit": i }, "Edit", el("span", { class: "visually-hidden" }, ` takeaway ${i + 1}`)),
          el("button", { type: "button", class: "small", "data-delete": i }, "Delete", el("span", { class: "visually-hidden" }, ` takeaway ${i + 1}`)),
        )
      : null;
    list.append(item("li", t.check, t.text, { extra: [controls], cls: "takeaway" }));
  });
  parts.push(section("Key takeaways", list));

  const summary = [...checks.values()].filter((c) => c.field === "summary").sort((a, b) => a.index - b.index);
  const sentences = summary.length
    ? el("ul", { class: "sentences" }, summary.map((c) => item("li", c, c.text)))
    : el("p", {}, brief.summary);
  parts.push(section("Summary", sentences));

  if (brief.quotes.length) {
    const quotes = brief.quotes.map((q, i) =>
      item("li", checks.get(key("quotes", i)), `“${q.text}” — ${q.speaker}`, { cls: "quote" }),
    );
    parts.push(section("Quotes", el("ul", { class: "quotes" }, quotes)));
  }
  if (brief.what_to_watch.length) {
    const watch = brief.what_to_watch.map((w, i) => item("li", checks.get(key("what_to_watch", i)), w));
    parts.push(section("What to watch", el("ul", {}, watch)));
  }
  if (brief.entities.length) {
    const who = brief.entities.map((e, i) =>
      item("li", checks.get(key("entities", i)), `${e.name} (${e.kind}): ${e.role}`),
    );
    parts.push(section("Who's who", el("ul", {}, who)));
  }
  if (brief.sources.length) {
    const sources = brief.sources.map((s, i) => item("li", checks.get(key("sources", i)), s));
    parts.push(section("Sources", el("ul", {}, sources)));
  }
  if (brief.topics.length) parts.push(section("Topics", el("p", {}, brief.topics.join(", "))));
  container.replaceChildren(...parts);
}

function editor(text, i, on) {
  const id = `edit-${i}`;
  const input = el("textarea", { id, rows: 3, maxlength: 400 });
  input.value = text;
  const save = el("button", { type: "button", class: "small primary" }, "Save");
  const cancel = el("button", { type: "button", class: "small" }, "Cancel");
  save.addEventListener("click", () => on.save(i, input.value));
  cancel.addEventListener("click", () => on.cancel(i));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") on.cancel(i);
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) on.save(i, input.value);
  });
  return el(
    "li",
    { class: "item editing" },
    el("label", { for: id }, `Takeaway ${i + 1} (Ctrl+Enter saves, Escape cancels)`),
    input,
    el("div", { class: "controls" }, save, cancel),
  );
}
