/* Citations in the chat: markers placed where the answer's own marker positions say (never found by
   looking for brackets in the text: a document's "[2]" quoted in an answer stays text), chips that tell
   sources apart, and the passage dialog: the whole passage with the quoted sentences marked, its
   heading path and page, and a link that opens the document there. */

import { byId, el } from "../lib/dom.js";
import { documentHref, documentIdOf, loadDocument, markQuotes, whereIn } from "../lib/passages.js";

const dialog = byId("citation-dialog");
const state = { opener: null, opened: 0 };

function label(citation) {
  const parts = [citation.title || citation.source];
  const where = whereIn(citation.section, citation.page);
  if (where) parts.push(where);
  return parts.join(" · ");
}

function firstWords(text, count) {
  const words = text.trim().split(/\s+/);
  return words.length > count ? `“${words.slice(0, count).join(" ")}…”` : `“${words.join(" ")}”`;
}

/** Each citation's chip label: title, section and page, and where two would still read the same, the
    first words of each quote. */
export function chipLabels(citations) {
  const labels = new Map(citations.map((citation) => [citation.id, label(citation)]));
  const seen = new Map();
  for (const text of labels.values()) seen.set(text, (seen.get(text) || 0) + 1);
  for (const citation of citations) {
    const text = labels.get(citation.id);
    if (seen.get(text) > 1) labels.set(citation.id, `${text} · ${firstWords(citation.quote || "", 6)}`);
  }
  return labels;
}

export function citationButton(citation, kind, answer) {
  const isChip = kind === "chip";
  const described = answer.labels.get(citation.id) || label(citation);
  const button = el("button", {
    type: "button",
    class: isChip ? "chip" : "marker",
    "data-testid": isChip ? "citation-chip" : "citation-marker",
    "data-citation": citation.id,
    "aria-haspopup": "dialog",
    "aria-label": isChip ? null : `Source ${citation.id}: ${described}`,
    title: isChip ? described : null,
  });
  if (isChip) {
    button.append(
      el("span", { class: "chip__num", text: `[${citation.id}]` }),
      el("span", { class: "chip__label", text: described }),
    );
  } else {
    button.textContent = `[${citation.id}]`;
  }
  button.addEventListener("click", () => openCitation(citation, button, answer));
  return button;
}

/** The answer text, with a marker button wherever ``markers`` (offsets in code points) place one of
    ``citations``; everything else, brackets included, is text. */
export function renderText(target, text, answer) {
  const points = Array.from(text);
  const byNumber = new Map(answer.citations.map((citation) => [citation.id, citation]));
  const nodes = [];
  let at = 0;
  const markers = [...(answer.markers || [])].sort((a, b) => a.start - b.start);
  for (const marker of markers) {
    const citation = byNumber.get(marker.id);
    const valid = Number.isInteger(marker.start) && Number.isInteger(marker.end) && marker.start >= at
      && marker.end > marker.start && marker.end <= points.length;
    if (!citation || !valid) continue;
    if (marker.start > at) nodes.push(document.createTextNode(points.slice(at, marker.start).join("")));
    nodes.push(citationButton(citation, "marker", answer));
    at = marker.end;
  }
  if (at < points.length) nodes.push(document.createTextNode(points.slice(at).join("")));
  target.replaceChildren(...nodes);
}

export function renderSources(parts, answer, abstained) {
  const { sources, sourcesTitle, sourcesList } = parts;
  sourcesList.replaceChildren(
    ...answer.citations.map((citation) => el("li", {}, [citationButton(citation, "chip", answer)])),
  );
  sourcesTitle.textContent = abstained ? "Closest passages" : "Sources";
  sources.hidden = answer.citations.length === 0;
}

// --- the passage dialog ---------------------------------------------------------------------------
function setRow(id, value) {
  byId(id).textContent = value || "";
  byId(`${id}-row`).hidden = !value;
}

async function showPassage(citation, answer, opened) {
  const passage = byId("citation-quote");
  const status = byId("citation-status");
  const quotes = answer.citations
    .filter((other) => other.chunk_id === citation.chunk_id)
    .map((other) => ({ text: other.quote, id: other.id, current: other.id === citation.id }));
  try {
    const documentText = await loadDocument(documentIdOf(citation.chunk_id));
    if (opened !== state.opened) return; // another citation was opened meanwhile
    const chunk = documentText.chunks.find((candidate) => candidate.id === citation.chunk_id);
    if (!chunk) throw new Error("The passage is no longer in the index.");
    passage.replaceChildren(...markQuotes(chunk.text, quotes));
    passage.dataset.whole = "true";
    const current = passage.querySelector(".quote--current");
    if (current) passage.scrollTop = Math.max(0, current.offsetTop - passage.offsetTop - 24);
    status.textContent = "";
    const link = byId("citation-open");
    link.href = documentHref(citation.chunk_id, citation.quote);
    link.hidden = false;
  } catch (error) {
    if (opened !== state.opened) return;
    status.textContent = `Only the quoted words are shown: ${error.message || "the document could not be loaded."}`;
  }
}

export function openCitation(citation, opener, answer) {
  state.opened += 1;
  byId("citation-heading").textContent = `Source [${citation.id}]`;
  byId("citation-title").textContent = citation.title || citation.source;
  byId("citation-where").textContent = whereIn(citation.section, citation.page);
  const passage = byId("citation-quote");
  passage.replaceChildren(...markQuotes(citation.quote, [{ text: citation.quote, id: citation.id, current: true }]));
  passage.dataset.whole = "false";
  byId("citation-status").textContent = "Loading the whole passage…";
  byId("citation-open").hidden = true;
  byId("citation-source").textContent = citation.source;
  setRow("citation-section", citation.section ? citation.section.split(" > ").join(" › ") : "");
  setRow("citation-page", citation.page !== null && citation.page !== undefined ? String(citation.page) : "");
  state.opener = opener;
  if (dialog.open) dialog.close();
  dialog.showModal();
  byId("citation-close").focus();
  showPassage(citation, answer, state.opened);
}

export function closeCitation() {
  if (dialog.open) dialog.close();
}

byId("citation-close").addEventListener("click", () => dialog.close());
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) dialog.close(); // a click on the backdrop
});
dialog.addEventListener("close", () => {
  const opener = state.opener;
  state.opener = null;
  if (opener && opener.isConnected) opener.focus();
});

export function dialogOpen() {
  return dialog.open;
}
