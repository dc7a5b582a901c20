// Drawing the article and the brief. Article text and model output are untrusted: they reach
// the page only as text (textContent, text nodes, form values), never as HTML, and no link,
// style or attribute is ever built from them.

// An element: attrs are fixed names set by this code; children are nodes or strings (as text).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export const key = (field, index) => `${field}:${index}`;

// Every grounding check of a report by "field:index".
export function checksOf(report) {
  const checks = new Map();
  if (!report) return checks;
  for (const item of [...report.claims, ...report.quotes, ...report.names]) {
    checks.set(key(item.field, item.index), item);
  }
  return checks;
}

// The places in the article a check points at: the sentences backing it, and a quote's match.
function spansOf(check) {
  const spans = (check.support || []).map((s) => ({ start: s.start, end: s.end, kind: "lit" }));
  if (check.found && check.start !== null && check.start !== undefined) {
    spans.push({ start: check.start, end: check.end, kind: "verbatim" });
  }
  return spans;
}

// The article as text, cut at every offset a check points at, so any check's spans can be lit.
export class ArticleView {
  constructor(container) {
    this.container = container;
    this.segments = [];
  }

  show(text, checks) {
    const cuts = new Set([0, text.length]);
    for (const check of checks) {
      for (const span of spansOf(check)) {
        cuts.add(Math.max(0, Math.min(text.length, span.start)));
        cuts.add(Math.max(0, Math.min(text.length, span.end)));
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    this.segments = [];
    const parts = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const node = el("span", {}, text.slice(points[i], points[i + 1]));
      this.segments.push({ start: points[i], end: points[i + 1], node });
      parts.push(node);
    }
    this.container.replaceChildren(...parts);
  }

  clear() {
    for (const segment of this.segments) segment.node.classList.remove("lit", "verbatim");
  }

  // Light the check's spans; scroll the article (not the page) to the first. Returns how many.
  light(check) {
    this.clear();
    let first = null;
    for (const span of spansOf(check)) {
      for (const segment of this.segments) {
        if (segment.start >= span.start && segment.end <= span.end && segment.end > segment.start) {
          segment.node.classList.add(span.kind);
          if (!first || segment.start < first.start) first = segment;
        }
      }
    }
    if (first) this.scrollTo(first.node);
    return first ? spansOf(check).length : 0;
  }

  scrollTo(node) {
    const box = this.container.getBoundingClientRect();
    const top = node.getBoundingClientRect().top - box.top + this.container.scrollTop;
    const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.container.scrollTo({ top: Math.max(0, top - box.height / 3), behavior: smooth ? "smooth" : "auto" });
  }
}

// What an editor reads about a check: why it is flagged, and where its evidence is.
export function reasonOf(check) {
  if (check.supported) return "";
  if (check.problems && check.problems.length) return check.problems.join("; ");
  if (check.unsupported_terms && check.unsupported_terms.length) {
    return "not in the article: " + check.unsupported_terms.join(", ");
  }
  return "not backed by the article";
}

export function evidenceOf(check) {
  if (!check) return "not checked since it was edited: re-check";
  if (check.field === "quotes") {
    return check.found
      ? `found verbatim at character ${check.start}`
      : "not found verbatim in the article";
  }
  const n = (check.support || []).length;
  if (!n) return "no supporting sentence found";
  return n === 1 ? "backed by 1 passage" : `backed by ${n} passages`;
}
