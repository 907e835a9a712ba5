/* A document as the index holds it (GET /v1/documents/{id}): its passages in order under their
   headings, each passage an anchor (its chunk id, as citations carry it), and the page opened at the
   passage the address names (/documents/{id}#{chunk id}), marked. */

import { byId, el, getJson } from "./lib/dom.js";
import { markQuotes } from "./lib/passages.js";

const status = byId("document-status");
const article = byId("document");

function documentId() {
  const last = window.location.pathname.split("/").filter(Boolean).pop() || "";
  return decodeURIComponent(last);
}

function metaRow(term, value) {
  if (value === null || value === undefined || value === "") return [];
  return [el("div", { class: "meta-row" }, [el("dt", { text: term }), el("dd", { text: String(value) })])];
}

function tableOf(text) {
  const rows = text.split("\n").filter((line) => line.trim());
  return el("div", { class: "passage__table-wrap" }, [
    el("table", { class: "passage__table" }, [
      el("tbody", {}, rows.map((row) => el("tr", {}, row.split(" | ").map((cell) => el("td", { text: cell.trim() }))))),
    ]),
  ]);
}

function paragraphsOf(text) {
  return text.split(/\n{2,}|\n(?=[-•*] )/).filter((part) => part.trim())
    .map((part) => el("p", { class: "passage__text", text: part.trim() }));
}

function passage(chunk) {
  const where = chunk.page !== null && chunk.page !== undefined ? `p. ${chunk.page}` : "";
  return el("section", {
    id: chunk.id, class: "passage", "data-testid": "passage", "data-chunk": chunk.id, tabindex: "-1",
    "aria-label": chunk.section ? `${chunk.section.split(" > ").join(" › ")}${where ? `, ${where}` : ""}` : where || null,
  }, [
    ...(where ? [el("p", { class: "passage__page", text: where })] : []),
    ...(chunk.is_table ? [tableOf(chunk.text)] : paragraphsOf(chunk.text)),
  ]);
}

function render(body) {
  const { document: summary, chunks } = body;
  byId("document-title").textContent = summary.title || summary.source;
  document.title = `${summary.title || summary.source} — City-to-city cooperation assistant`;
  byId("document-meta").replaceChildren(
    ...metaRow("File", summary.source),
    ...metaRow("Programme", summary.programme),
    ...metaRow("Kind", summary.kind),
    ...metaRow("Edition", summary.edition),
  );
  const nodes = [];
  let section = null;
  for (const chunk of chunks) {
    if (chunk.section && chunk.section !== section) {
      const depth = Math.min(chunk.section.split(" > ").length, 3);
      nodes.push(el(`h${depth + 1}`, {
        class: "document__heading", text: chunk.section.split(" > ").pop(),
        title: chunk.section.split(" > ").join(" › "),
      }));
    }
    section = chunk.section;
    nodes.push(passage(chunk));
  }
  byId("document-body").replaceChildren(...nodes);
  article.hidden = false;
  status.textContent = "";
}

/** The quote the address asks for (?mark=…), marked in the paragraph of ``target`` that holds it. */
function markQuote(target) {
  const quote = new URLSearchParams(window.location.search).get("mark");
  if (!quote) return;
  for (const paragraph of target.querySelectorAll(".passage__text")) {
    if (paragraph.textContent.includes(quote)) {
      paragraph.replaceChildren(...markQuotes(paragraph.textContent, [{ text: quote, current: true }]));
      return;
    }
  }
}

function showTarget() {
  for (const marked of document.querySelectorAll(".passage--target")) {
    marked.classList.remove("passage--target");
    marked.setAttribute("data-testid", "passage");
  }
  const wanted = decodeURIComponent(window.location.hash.slice(1));
  const target = wanted ? document.getElementById(wanted) : null;
  if (!target || !target.classList.contains("passage")) return;
  markQuote(target);
  target.classList.add("passage--target");
  target.setAttribute("data-testid", "passage-target");
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

async function load() {
  const id = documentId();
  if (!id) {
    status.textContent = "No document named in the address.";
    return;
  }
  try {
    render(await getJson(`/v1/documents/${encodeURIComponent(id)}`));
    showTarget();
  } catch (error) {
    status.textContent = error.message || "The document could not be loaded.";
    status.setAttribute("role", "alert");
  }
}

window.addEventListener("hashchange", showTarget);
load();
