/* Passages of the indexed documents: which document a cited chunk belongs to, its text from
   GET /v1/documents/{id}, and that text with the quoted sentences marked. */

import { el, getJson } from "./dom.js";

/** A chunk id is its document's id, a colon, and its number: "iuc-call-txt-1a2b3c4d5e:0003". */
export function documentIdOf(chunkId) {
  const cut = chunkId.lastIndexOf(":");
  return cut > 0 ? chunkId.slice(0, cut) : chunkId;
}

/** The document page, opened at the chunk (with the quote marked in it, when one is given). */
export function documentHref(chunkId, quote) {
  const query = quote ? `?mark=${encodeURIComponent(quote)}` : "";
  return `/documents/${encodeURIComponent(documentIdOf(chunkId))}${query}#${encodeURIComponent(chunkId)}`;
}

const documents = new Map();

/** The document's text (GET /v1/documents/{id}), fetched once per page. */
export function loadDocument(documentId) {
  if (!documents.has(documentId)) {
    const loading = getJson(`/v1/documents/${encodeURIComponent(documentId)}`);
    loading.catch(() => documents.delete(documentId)); // a failure is not kept: the next try asks again
    documents.set(documentId, loading);
  }
  return documents.get(documentId);
}

/** "Who can apply? › Groups · p. 3" */
export function whereIn(section, page) {
  const parts = [];
  if (section) parts.push(section.split(" > ").join(" › "));
  if (page !== null && page !== undefined) parts.push(`p. ${page}`);
  return parts.join(" · ");
}

/** ``text`` as nodes, each quote found in it wrapped in <mark> (the current one marked as such). */
export function markQuotes(text, quotes) {
  const spans = [];
  for (const quote of quotes) {
    if (!quote.text) continue;
    const start = text.indexOf(quote.text);
    if (start === -1) continue;
    const end = start + quote.text.length;
    if (spans.some((span) => start < span.end && span.start < end)) continue;
    spans.push({ start, end, current: Boolean(quote.current), id: quote.id });
  }
  spans.sort((a, b) => a.start - b.start);
  const nodes = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at) nodes.push(document.createTextNode(text.slice(at, span.start)));
    nodes.push(el("mark", {
      class: span.current ? "quote quote--current" : "quote",
      "data-testid": span.current ? "passage-quote-current" : "passage-quote",
      "data-citation": span.id,
      text: text.slice(span.start, span.end),
    }));
    at = span.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}
