// The editor's desk: brief an article (streamed as NDJSON events), review the brief against
// the article, edit and re-check takeaways, accept, then copy or download.

import { ApiError, getJSON, ndjson, onTokenNeeded, postJSON, request } from "./api.js";
import { renderBrief } from "./brief.js";
import { ArticleView, checksOf, el, key } from "./view.js";
import { rememberArticle, recalledArticle } from "./store.js";

const $ = (id) => document.getElementById(id);
const article = new ArticleView($("article"));
const state = {
  options: null,
  result: null, // the BriefResult as last briefed or re-checked
  text: null, // the article text the grounding offsets point into (null: not in this browser)
  takeaways: [], // [{text, check}]: check is null once edited
  edited: false,
  accepted: false,
  editing: null,
  html: null, // an .html file's content, sent as html
};

// ---- the token dialog -------------------------------------------------------------------

onTokenNeeded(
  (problem) =>
    new Promise((resolve, reject) => {
      const dialog = $("token-dialog");
      const input = $("token");
      $("token-error").textContent = problem;
      input.value = "";
      const submit = (event) => {
        event.preventDefault();
        if (!input.value.trim()) {
          $("token-error").textContent = "Type the token first.";
          return;
        }
        done();
        dialog.close();
        resolve(input.value.trim());
      };
      const cancel = () => {
        done();
        reject(new ApiError(401, "unauthorized", "no token given: this server needs one"));
      };
      const done = () => {
        $("token-form").removeEventListener("submit", submit);
        dialog.removeEventListener("cancel", cancel);
      };
      $("token-form").addEventListener("submit", submit);
      dialog.addEventListener("cancel", cancel);
      dialog.showModal();
      input.focus();
    }),
);

// ---- messages ---------------------------------------------------------------------------

function say(text) {
  $("status").textContent = text;
}

function fail(error) {
  $("error").textContent = error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

function busy(on) {
  $("brief-button").disabled = on;
  $("progress").hidden = !on;
}

// ---- the service's options --------------------------------------------------------------

async function loadOptions() {
  const options = await getJSON("/v1/options");
  state.options = options;
  $("server").textContent = `${options.engine} engine · ${options.model}`;
  $("url-row").hidden = !options.allow_url_fetch;
  $("statements").checked = options.statements;
  const engine = $("engine");
  engine.replaceChildren(
    el("option", { value: "" }, `server default (${options.engine})`),
    ...options.engines.map((name) => el("option", { value: name }, name)),
  );
  $("model").placeholder = options.model;
  $("prompt").replaceChildren(
    el("option", { value: "" }, `server default (${options.prompt})`),
    ...options.prompts.map((name) => el("option", { value: name }, name)),
  );
}

// ---- the article in the form -------------------------------------------------------------

async function takeFile(file) {
  if (!file) return;
  const limit = state.options ? state.options.max_body_bytes : Infinity;
  if (file.size > limit) {
    fail(`${file.name} is ${file.size.toLocaleString()} bytes; this server takes at most ${limit.toLocaleString()}`);
    return;
  }
  const content = await file.text();
  const html = /\.html?$/i.test(file.name) || file.type === "text/html";
  state.html = html ? content : null;
  $("article-text").value = html ? "" : content;
  $("file-name").textContent = html ? `${file.name}: its main text will be extracted` : `${file.name} read into the box above`;
}

function articleRequest() {
  const text = $("article-text").value;
  const url = $("url-row").hidden ? "" : $("article-url").value.trim();
  if (state.html !== null && !text.trim()) return { html: state.html };
  if (url && text.trim()) throw new Error("give the article's text or its address, not both");
  if (url) return { url };
  if (!text.trim()) throw new Error("paste an article, give its address or choose a file first");
  return { text };
}

function chosenOptions() {
  const options = {};
  if ($("engine").value) options.engine = $("engine").value;
  if ($("model").value.trim()) options.model = $("model").value.trim();
  if ($("prompt").value) options.prompt = $("prompt").value;
  const statements = $("statements").checked;
  if (statements !== Boolean(state.options && state.options.statements)) options.statements = statements;
  return Object.keys(options).length ? options : undefined;
}

// ---- briefing ----------------------------------------------------------------------------

async function brief(event) {
  event.preventDefault();
  $("error").textContent = "";
  let body;
  try {
    body = { ...articleRequest(), options: chosenOptions() };
  } catch (error) {
    fail(error);
    return;
  }
  busy(true);
  say("Loading the article…");
  const started = performance.now();
  try {
    const response = await postJSON("/v1/briefs/events", body);
    for await (const row of ndjson(response)) {
      if (row.event === "article") {
        state.result = null;
        showArticle(row.text, []);
        say(row.expected_requests ? `Briefing… (${row.tokens.toLocaleString()} tokens, about ${row.expected_requests} model request(s))` : "Briefing…");
        state.pending = row;
      } else if (row.event === "progress") {
        say(`Briefing… ${row.elapsed_s.toFixed(1)} s`);
      } else if (row.event === "result") {
        rememberArticle(row.result.provenance.input_sha256, state.pending.text);
        open(row.result, state.pending.text);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        say(`Brief ready in ${seconds} s${row.cache === "hit" ? " (from the cache)" : ""}.`);
        refreshRecent();
      } else if (row.event === "error") {
        throw new ApiError(200, row.error.type, row.error.message);
      }
    }
  } catch (error) {
    say("");
    fail(error);
  } finally {
    busy(false);
  }
}

function showArticle(text, checks) {
  $("review").hidden = false;
  state.text = text;
  $("article-note").textContent = text === null
    ? "This article is not kept in this browser: brief it again here to see the evidence."
    : "";
  if (text === null) $("article").replaceChildren();
  else article.show(text, checks);
}

// Show a BriefResult for review (a new brief, or one reopened from the list).
function open(result, text) {
  state.result = result;
  state.edited = false;
  state.accepted = false;
  state.editing = null;
  const checks = checksOf(result.grounding);
  state.takeaways = result.brief.key_takeaways.map((t, i) => ({ text: t, check: checks.get(key("key_takeaways", i)) || null }));
  showArticle(text, checks.values());
  drawBrief();
}

function drawBrief() {
  const checks = checksOf(state.result.grounding);
  renderBrief($("brief"), state.result.brief, checks, state.takeaways, {
    editable: !state.accepted,
    editing: state.editing,
    on: { save: saveEdit, cancel: cancelEdit },
  });
  const flagged = [...checks.values()].filter((c) => !c.supported && !(c.field === "key_takeaways")).length
    + state.takeaways.filter((t) => t.check && !t.check.supported).length;
  const verdict = flagged ? `⚠ ${flagged} item${flagged === 1 ? "" : "s"} flagged` : "Every checked item is backed by the article";
  $("verdict").textContent = state.edited ? `${verdict}; edited since the last check: re-check` : verdict;
  $("verdict").classList.toggle("bad", flagged > 0);
  $("recheck").disabled = state.accepted || state.text === null;
  $("accept").disabled = state.edited;
  $("accept").textContent = state.accepted ? "Edit again" : "Accept";
  $("copy").disabled = !state.accepted;
  $("download").disabled = !state.accepted;
}

// ---- evidence on hover and focus ---------------------------------------------------------

function claimOf(target) {
  return target instanceof Element ? target.closest("button.claim") : null;
}

function showEvidence(button) {
  if (!button || state.text === null) return;
  if (button.briefCheck) article.light(button.briefCheck);
  else article.clear();
}

// The item under the pointer wins while it is there; then the focused (or pressed) item's again.
function anchored() {
  return claimOf(document.activeElement) || $("brief").querySelector('button.claim[aria-pressed="true"]');
}

$("brief").addEventListener("mouseover", (event) => showEvidence(claimOf(event.target)));
$("brief").addEventListener("mouseleave", () => {
  const button = anchored();
  if (button) showEvidence(button);
  else article.clear();
});
$("brief").addEventListener("focusin", (event) => showEvidence(claimOf(event.target)));
$("brief").addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("button") : null;
  if (!target) return;
  if (target.classList.contains("claim")) {
    for (const other of $("brief").querySelectorAll('button.claim[aria-pressed="true"]')) other.setAttribute("aria-pressed", "false");
    target.setAttribute("aria-pressed", "true");
    showEvidence(target);
  } else if (target.dataset.edit !== undefined) {
    state.editing = Number(target.dataset.edit);
    drawBrief();
    $(`edit-${state.editing}`).focus();
  } else if (target.dataset.delete !== undefined) {
    const i = Number(target.dataset.delete);
    state.takeaways.splice(i, 1);
    changed(`Takeaway ${i + 1} deleted.`);
    const next = $("brief").querySelectorAll("li.takeaway button.claim")[Math.min(i, state.takeaways.length - 1)];
    (next || $("recheck")).focus();
  }
});

// ---- editing, re-checking, accepting -----------------------------------------------------

function changed(message) {
  state.edited = true;
  state.editing = null;
  state.result = { ...state.result, brief: { ...state.result.brief, key_takeaways: state.takeaways.map((t) => t.text) } };
  drawBrief();
  $("review-status").textContent = message;
}

function saveEdit(i, text) {
  const value = text.trim();
  if (!value) {
    $("review-status").textContent = "A takeaway cannot be empty: delete it instead.";
    return;
  }
  if (value !== state.takeaways[i].text) state.takeaways[i] = { text: value, check: null };
  changed(`Takeaway ${i + 1} saved; re-check it against the article.`);
  $("brief").querySelectorAll("li.takeaway button.claim")[i].focus();
}

function cancelEdit(i) {
  state.editing = null;
  drawBrief();
  $("brief").querySelectorAll("li.takeaway button.claim")[i].focus();
}

async function recheck() {
  $("review-status").textContent = "Re-checking…";
  try {
    const statements = $("statements").checked;
    const response = await postJSON("/v1/verify", { brief: state.result.brief, article: { text: state.text }, statements });
    const report = await response.json();
    state.result = { ...state.result, grounding: report };
    state.edited = false;
    const checks = checksOf(report);
    state.takeaways = state.result.brief.key_takeaways.map((t, i) => ({ text: t, check: checks.get(key("key_takeaways", i)) || null }));
    article.show(state.text, checks.values());
    drawBrief();
    const flagged = report.claims.concat(report.quotes, report.names).filter((c) => !c.supported).length;
    const how = statements ? " with the statement check" : "";
    $("review-status").textContent = `Re-checked${how}: ${flagged ? `${flagged} item(s) flagged` : "every item is backed"}.`;
  } catch (error) {
    $("review-status").textContent = `Not re-checked: ${error.message}`;
  }
}

function accept() {
  state.accepted = !state.accepted;
  drawBrief();
  $("review-status").textContent = state.accepted
    ? "Accepted: copy it as Markdown or download its JSON."
    : "Back to editing.";
}

async function copyMarkdown() {
  const markdown = await (await postJSON("/v1/markdown", state.result)).text();
  try {
    await navigator.clipboard.writeText(markdown);
    $("review-status").textContent = "Copied as Markdown.";
  } catch {
    const box = $("markdown-out");
    box.value = markdown;
    box.hidden = $("markdown-label").hidden = false;
    box.focus();
    box.select();
    $("review-status").textContent = "The clipboard is not available here: the Markdown is selected below, copy it with Ctrl+C.";
  }
}

function download() {
  const blob = new Blob([JSON.stringify(state.result, null, 2) + "\n"], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: `brief-${state.result.provenance.input_sha256.slice(0, 12)}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  $("review-status").textContent = "Downloaded the BriefResult JSON.";
}

// ---- recent briefs -----------------------------------------------------------------------

async function refreshRecent() {
  try {
    const recent = await getJSON("/v1/briefs?limit=20");
    const items = recent.map((r) => {
      const when = new Date(r.created_at).toLocaleString();
      const flags = r.flagged ? ` · ⚠ ${r.flagged} flagged` : "";
      const button = el("button", { type: "button", class: "link", "data-sha": r.input_sha256 }, r.headline);
      return el("li", {}, button, el("span", { class: "hint" }, ` ${r.engine} · ${when}${flags}`));
    });
    $("recent").replaceChildren(...(items.length ? items : [el("li", { class: "hint" }, "No briefs yet.")]));
  } catch (error) {
    $("recent").replaceChildren(el("li", { class: "hint" }, `Recent briefs unavailable: ${error.message}`));
  }
}

$("recent").addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-sha]") : null;
  if (!button) return;
  $("error").textContent = "";
  try {
    const result = await getJSON(`/v1/briefs/${button.dataset.sha}`);
    open(result, recalledArticle(button.dataset.sha));
    say(`Reopened “${result.brief.headline}”.`);
    $("brief-pane").focus();
  } catch (error) {
    fail(error);
  }
});

// ---- wiring ------------------------------------------------------------------------------

$("article-form").addEventListener("submit", brief);
$("article-file").addEventListener("change", (event) => takeFile(event.target.files[0]).catch(fail));
$("article-text").addEventListener("input", () => {
  state.html = null;
  $("file-name").textContent = "";
});
// A file dropped anywhere but the drop zone must not replace the page with itself.
for (const name of ["dragover", "drop"]) document.addEventListener(name, (event) => event.preventDefault());
const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  takeFile(event.dataTransfer.files[0]).catch(fail);
});
$("recheck").addEventListener("click", recheck);
$("accept").addEventListener("click", accept);
$("copy").addEventListener("click", () => copyMarkdown().catch((error) => ($("review-status").textContent = error.message)));
$("download").addEventListener("click", download);
$("recent-refresh").addEventListener("click", refreshRecent);

loadOptions()
  .then(refreshRecent)
  .catch(fail);
