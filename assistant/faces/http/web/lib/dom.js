/* What every page shares: building elements (text is always set as text, never as HTML), icons, the
   API's JSON errors as sentences, and requests. Plain browser JavaScript, no dependencies. */

const SVG_NS = "http://www.w3.org/2000/svg";
const ICONS = {
  up: "M7 10v11M3 11v9a1 1 0 0 0 1 1h13.3a2 2 0 0 0 2-1.7l1.4-8A2 2 0 0 0 18.7 9H14V5a3 3 0 0 0-3-3z",
  down: "M17 14V3M21 13V4a1 1 0 0 0-1-1H6.7a2 2 0 0 0-2 1.7l-1.4 8A2 2 0 0 0 5.3 15H10v4a3 3 0 0 0 3 3z",
};

export const byId = (id) => document.getElementById(id);

export function el(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children || []) node.append(child);
  return node;
}

export function icon(kind) {
  const svg = document.createElementNS(SVG_NS, "svg");
  for (const [name, value] of Object.entries({
    viewBox: "0 0 24 24", width: "18", height: "18", fill: "none", stroke: "currentColor",
    "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round",
    "aria-hidden": "true", focusable: "false",
  })) svg.setAttribute(name, value);
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICONS[kind]);
  svg.append(path);
  return svg;
}

/** Show and clear messages in an alert box (role="alert"). */
export function alerts(box) {
  return {
    show(message) {
      box.textContent = message;
      box.hidden = false;
    },
    clear() {
      box.hidden = true;
      box.textContent = "";
    },
  };
}

/** The message of an API error response ({"error": {"code", "message"}}), or a sentence for its status. */
export async function errorMessage(response) {
  let message = "";
  try {
    const body = await response.json();
    message = (body && body.error && body.error.message) || "";
  } catch (_) {
    message = "";
  }
  if (!message) {
    message = response.status >= 500
      ? "The assistant is not available right now. Please try again later."
      : `The request was refused (HTTP ${response.status}).`;
  }
  const retry = response.headers.get("Retry-After");
  if (response.status === 429 && retry && !/try again/i.test(message)) {
    message += ` Try again in ${retry} s.`;
  }
  return message;
}

export function postJson(url, payload, signal, headers) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(payload),
    signal,
  });
}

/** GET ``url`` as JSON; throws an Error with the API's message when the answer is not 2xx. */
export async function getJson(url, headers) {
  const response = await fetch(url, { headers: { Accept: "application/json", ...headers } });
  if (!response.ok) {
    const error = new Error(await errorMessage(response));
    error.status = response.status;
    throw error;
  }
  return response.json();
}
