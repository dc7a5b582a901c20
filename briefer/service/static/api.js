// Talking to the service: the bearer token (asked once, kept in this tab's sessionStorage, sent
// only in the Authorization header: never in a URL, never logged) and NDJSON streams.

const TOKEN_KEY = "briefer.token";

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

let askToken = null; // set by the page: () => Promise<string>, shows the token dialog

export function onTokenNeeded(ask) {
  askToken = ask;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function send(path, init) {
  const headers = new Headers(init.headers || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.set("Authorization", "Bearer " + token);
  return fetch(path, { ...init, headers, credentials: "omit", cache: "no-store" });
}

async function errorOf(response) {
  try {
    const body = await response.json();
    if (body && body.error) return new ApiError(response.status, body.error.type, body.error.message);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(response.status, "http_error", `the server answered ${response.status}`);
}

// fetch() with the token; a 401 asks for the token (once per failure) and tries again.
export async function request(path, init = {}) {
  let response = await send(path, init);
  while (response.status === 401 && askToken) {
    const token = await askToken(sessionStorage.getItem(TOKEN_KEY) ? "That token was refused." : "");
    sessionStorage.setItem(TOKEN_KEY, token);
    response = await send(path, init);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function getJSON(path) {
  return (await request(path)).json();
}

export async function postJSON(path, body) {
  return request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

// Each JSON line of a streamed response, as it arrives.
export async function* ndjson(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line);
    }
  }
  buffered += decoder.decode();
  if (buffered.trim()) yield JSON.parse(buffered);
}
