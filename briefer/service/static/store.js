// Article texts of recent briefs, kept in this browser (the server's cache keeps only briefs),
// so a brief reopened from the list can show its evidence. The last KEEP articles are kept.

const KEY = "briefer.articles";
const KEEP = 20;

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "[]");
  } catch {
    return [];
  }
}

export function rememberArticle(sha256, text) {
  const kept = [{ sha256, text }, ...load().filter((a) => a.sha256 !== sha256)];
  while (kept.length) {
    try {
      localStorage.setItem(KEY, JSON.stringify(kept.slice(0, KEEP)));
      return;
    } catch {
      kept.pop(); // over the browser's quota: keep fewer
    }
  }
}

export function recalledArticle(sha256) {
  const found = load().find((a) => a.sha256 === sha256);
  return found ? found.text : null;
}
