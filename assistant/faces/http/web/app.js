/* The web chat: asks /v1/ask/stream, shows the answer as it streams, its citations as chips that open
   the quoted passage, thumbs up/down through /v1/feedback. Plain browser JavaScript, no dependencies. */
"use strict";

(function () {
  const STREAM_URL = "/v1/ask/stream";
  const FEEDBACK_URL = "/v1/feedback";
  const MAX_COMMENT = 2000;
  const MARKER = /\[(\d+)\]/g;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const ICONS = {
    up: "M7 10v11M3 11v9a1 1 0 0 0 1 1h13.3a2 2 0 0 0 2-1.7l1.4-8A2 2 0 0 0 18.7 9H14V5a3 3 0 0 0-3-3z",
    down: "M17 14V3M21 13V4a1 1 0 0 0-1-1H6.7a2 2 0 0 0-2 1.7l-1.4 8A2 2 0 0 0 5.3 15H10v4a3 3 0 0 0 3 3z",
  };

  class StreamError extends Error {}

  const byId = (id) => document.getElementById(id);
  const form = byId("ask-form");
  const input = byId("question");
  const sendButton = byId("send");
  const stopButton = byId("stop");
  const transcript = byId("transcript");
  const intro = byId("intro");
  const alertBox = byId("error");
  const newButton = byId("new-conversation");
  const dialog = byId("citation-dialog");

  const state = { sessionId: null, controller: null, opener: null, turns: 0 };

  // --- small helpers ------------------------------------------------------------------------------
  function el(tag, attributes, children) {
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

  function icon(kind) {
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

  function showError(message) {
    alertBox.textContent = message;
    alertBox.hidden = false;
  }

  function clearError() {
    alertBox.hidden = true;
    alertBox.textContent = "";
  }

  async function errorMessage(response) {
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

  function postJson(url, payload, signal) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify(payload),
      signal,
    });
  }

  function nearBottom() {
    const page = document.scrollingElement;
    return page.scrollHeight - page.scrollTop - page.clientHeight < 160;
  }

  function keepScrolled(wasNearBottom) {
    if (wasNearBottom) {
      const page = document.scrollingElement;
      page.scrollTop = page.scrollHeight;
    }
  }

  // --- server-sent events over fetch (EventSource cannot POST) ------------------------------------
  function parseEvent(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value || "message";
      else if (field === "data") data.push(value);
    }
    return data.length ? { name, data: data.join("\n") } : null;
  }

  async function* readEvents(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n/g, "\n");
        let cut;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          const event = parseEvent(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (event) yield event;
        }
      }
      buffer += decoder.decode();
      const last = buffer.trim() ? parseEvent(buffer) : null;
      if (last) yield last;
    } finally {
      reader.releaseLock();
    }
  }

  // --- citations ---------------------------------------------------------------------------------
  function describe(citation) {
    const parts = [citation.title || citation.source];
    if (citation.section) parts.push(citation.section);
    if (citation.page !== null && citation.page !== undefined) parts.push(`p. ${citation.page}`);
    return parts.join(" · ");
  }

  function openCitation(citation, opener) {
    byId("citation-heading").textContent = `Source [${citation.id}]`;
    byId("citation-title").textContent = citation.title || citation.source;
    byId("citation-quote").textContent = citation.quote;
    byId("citation-source").textContent = citation.source;
    byId("citation-section").textContent = citation.section || "";
    byId("citation-section-row").hidden = !citation.section;
    const hasPage = citation.page !== null && citation.page !== undefined;
    byId("citation-page").textContent = hasPage ? String(citation.page) : "";
    byId("citation-page-row").hidden = !hasPage;
    state.opener = opener;
    if (dialog.open) dialog.close();
    dialog.showModal();
    byId("citation-close").focus();
  }

  function citationButton(citation, kind) {
    const isChip = kind === "chip";
    const button = el("button", {
      type: "button",
      class: isChip ? "chip" : "marker",
      "data-testid": isChip ? "citation-chip" : "citation-marker",
      "data-citation": citation.id,
      "aria-haspopup": "dialog",
      "aria-label": isChip ? null : `Source ${citation.id}: ${describe(citation)}`,
    });
    if (isChip) {
      button.append(
        el("span", { class: "chip__num", text: `[${citation.id}]` }),
        el("span", { class: "chip__label", text: describe(citation) }),
      );
      button.title = describe(citation);
    } else {
      button.textContent = `[${citation.id}]`;
    }
    button.addEventListener("click", () => openCitation(citation, button));
    return button;
  }

  function renderText(target, text, citations) {
    const byNumber = new Map(citations.map((citation) => [citation.id, citation]));
    const nodes = [];
    let at = 0;
    for (const match of text.matchAll(MARKER)) {
      const citation = byNumber.get(Number(match[1]));
      if (!citation) continue;
      if (match.index > at) nodes.push(document.createTextNode(text.slice(at, match.index)));
      nodes.push(citationButton(citation, "marker"));
      at = match.index + match[0].length;
    }
    if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
    target.replaceChildren(...nodes);
  }

  function renderSources(turn) {
    const { sources, sourcesTitle, sourcesList } = turn.parts;
    sourcesList.replaceChildren(
      ...turn.citations.map((citation) => el("li", {}, [citationButton(citation, "chip")])),
    );
    sourcesTitle.textContent = turn.abstained ? "Closest passages" : "Sources";
    sources.hidden = turn.citations.length === 0;
  }

  // --- feedback ----------------------------------------------------------------------------------
  function feedbackControls(turn) {
    const status = el("span", { class: "feedback__status", role: "status", "data-testid": "feedback-status" });
    const thumbs = [
      { rating: 1, kind: "up", label: "Helpful", testid: "thumbs-up" },
      { rating: -1, kind: "down", label: "Not helpful", testid: "thumbs-down" },
    ].map((spec) => {
      const button = el("button", {
        type: "button",
        class: `thumb thumb--${spec.kind}`,
        "data-testid": spec.testid,
        "aria-pressed": "false",
        "aria-label": spec.label,
        title: spec.label,
      });
      button.append(icon(spec.kind));
      button.addEventListener("click", () => rate(spec.rating, button));
      return button;
    });
    const group = el("div", { class: "feedback", role: "group", "aria-label": "Rate this answer" }, [
      el("span", { class: "feedback__label", "aria-hidden": "true", text: "Helpful?" }),
      ...thumbs,
      status,
    ]);
    const wrapper = el("div", { class: "feedback-wrap" }, [group]);

    async function send(payload) {
      try {
        const response = await postJson(FEEDBACK_URL, { answer_id: turn.answerId, ...payload });
        if (response.ok) return null;
        return await errorMessage(response);
      } catch (_) {
        return "Could not reach the assistant; your feedback was not sent.";
      }
    }

    async function rate(rating, chosen) {
      for (const button of thumbs) button.disabled = true;
      chosen.setAttribute("aria-pressed", "true");
      status.textContent = "Sending…";
      const problem = await send({ rating });
      if (problem) {
        chosen.setAttribute("aria-pressed", "false");
        for (const button of thumbs) button.disabled = false;
        status.textContent = problem;
        return;
      }
      status.textContent = "Thanks for your feedback.";
      if (rating === -1) wrapper.append(commentForm());
    }

    function commentForm() {
      const id = `comment-${turn.number}`;
      const box = el("textarea", {
        id, class: "comment__input", rows: 2, maxlength: MAX_COMMENT, "data-testid": "feedback-comment",
      });
      const submit = el("button", {
        type: "submit", class: "button button--secondary button--small", "data-testid": "feedback-comment-send",
        text: "Send comment",
      });
      const commentForm = el("form", { class: "comment", "data-testid": "feedback-comment-form" }, [
        el("label", { for: id, class: "comment__label", text: "What was missing or wrong? (optional)" }),
        box,
        el("div", { class: "comment__actions" }, [submit]),
      ]);
      commentForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        const comment = box.value.trim();
        if (!comment) {
          box.focus();
          return;
        }
        submit.disabled = true;
        box.readOnly = true;
        const problem = await send({ rating: -1, comment });
        if (problem) {
          submit.disabled = false;
          box.readOnly = false;
          status.textContent = problem;
          return;
        }
        const focusWasInside = commentForm.contains(document.activeElement);
        commentForm.remove();
        status.textContent = "Thanks, your comment was sent.";
        if (focusWasInside) input.focus();
      });
      return commentForm;
    }

    return wrapper;
  }

  // --- a question and its answer ------------------------------------------------------------------
  function addTurn(question) {
    state.turns += 1;
    const number = state.turns;
    const answerText = el("div", { class: "answer__text", "data-testid": "answer-text" });
    const pending = el("p", { class: "answer__pending", "data-testid": "answer-pending" }, [
      el("span", { class: "dots", "aria-hidden": "true" }),
      "Looking in the documents…",
    ]);
    const badge = el("p", {
      class: "answer__badge", "data-testid": "abstained-badge", hidden: true,
      text: "The documents don't answer this",
    });
    const note = el("p", { class: "answer__note", "data-testid": "answer-note", hidden: true });
    const sourcesTitle = el("h3", { class: "sources__title", id: `sources-${number}`, text: "Sources" });
    const sourcesList = el("ol", { class: "sources__list", "aria-labelledby": `sources-${number}` });
    const sources = el("div", { class: "sources", "data-testid": "citations", hidden: true }, [
      sourcesTitle, sourcesList,
    ]);
    const answer = el("div", { class: "answer", "data-testid": "answer", "data-state": "streaming" }, [
      el("h3", { class: "turn__who", text: "Assistant" }), badge, pending, answerText, note, sources,
    ]);
    const article = el("article", { class: "turn", "data-testid": "turn", "aria-label": `Question ${number}` }, [
      el("div", { class: "question", "data-testid": "question" }, [
        el("h3", { class: "turn__who", text: "You" }),
        el("p", { class: "question__text", text: question }),
      ]),
      answer,
    ]);
    intro.hidden = true;
    transcript.append(article);
    return {
      number, question, article, text: "", citations: [], answerId: "", abstained: false, finished: false,
      parts: { answer, answerText, pending, badge, note, sources, sourcesTitle, sourcesList },
    };
  }

  function onEvent(turn, event) {
    const data = JSON.parse(event.data);
    const { parts } = turn;
    if (event.name === "start") {
      state.sessionId = data.session_id || state.sessionId;
      turn.answerId = data.answer_id || "";
      parts.answer.dataset.answerId = turn.answerId;
    } else if (event.name === "message") {
      if (typeof data.text !== "string") return;
      parts.pending.hidden = true;
      turn.text += data.text;
      parts.answerText.append(document.createTextNode(data.text));
    } else if (event.name === "citations") {
      turn.citations = Array.isArray(data) ? data : [];
      renderText(parts.answerText, turn.text, turn.citations);
      renderSources(turn);
    } else if (event.name === "done") {
      turn.finished = true;
      parts.pending.hidden = true;
      state.sessionId = data.session_id || state.sessionId;
      turn.answerId = data.answer_id || turn.answerId;
      parts.answer.dataset.answerId = turn.answerId;
      turn.abstained = Boolean(data.abstained);
      const citations = Array.isArray(data.citations) ? data.citations : turn.citations;
      const changed = data.answer !== turn.text || citations.length !== turn.citations.length;
      if (typeof data.answer === "string") turn.text = data.answer;
      turn.citations = citations;
      if (changed) renderText(parts.answerText, turn.text, turn.citations);
      parts.answer.classList.toggle("answer--abstained", turn.abstained);
      parts.badge.hidden = !turn.abstained;
      renderSources(turn);
      parts.answer.dataset.state = "done";
      if (turn.answerId) parts.answer.append(feedbackControls(turn));
    } else if (event.name === "error") {
      throw new StreamError((data && data.error && data.error.message) || "The answer failed.");
    }
  }

  function endTurn(turn, stateName, message) {
    const { parts } = turn;
    parts.pending.hidden = true;
    parts.answer.dataset.state = stateName;
    parts.note.textContent = message;
    parts.note.hidden = false;
  }

  function setStreaming(on) {
    sendButton.disabled = on;
    stopButton.hidden = !on;
    transcript.setAttribute("aria-busy", on ? "true" : "false");
    form.classList.toggle("composer--busy", on);
  }

  async function ask(question) {
    clearError();
    const controller = new AbortController();
    state.controller = controller;
    setStreaming(true);
    const turn = addTurn(question);
    input.value = "";
    keepScrolled(true);
    const restore = (message) => {
      turn.article.remove();
      if (!transcript.children.length) intro.hidden = false;
      if (!input.value) input.value = question;
      showError(message);
    };
    try {
      let response;
      try {
        response = await postJson(STREAM_URL, { question, session_id: state.sessionId }, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) endTurn(turn, "stopped", "Stopped before an answer came.");
        else restore("Could not reach the assistant. Check the connection and try again.");
        return;
      }
      if (!response.ok || !response.body) {
        restore(await errorMessage(response));
        return;
      }
      try {
        for await (const event of readEvents(response.body)) {
          const follow = nearBottom();
          onEvent(turn, event);
          keepScrolled(follow);
        }
        if (!turn.finished) {
          endTurn(turn, "error", "The answer was cut off.");
          showError("The connection closed before the answer was complete. Please ask again.");
        }
      } catch (error) {
        if (controller.signal.aborted) {
          endTurn(turn, "stopped", "Stopped. This answer was not finished, so it was not saved.");
        } else {
          endTurn(turn, "error", "The answer was cut off.");
          showError(error instanceof StreamError
            ? error.message
            : "The connection was lost before the answer was complete. Please ask again.");
        }
      }
    } finally {
      if (state.controller === controller) {
        state.controller = null;
        const focusLost = document.activeElement === stopButton || document.activeElement === document.body;
        setStreaming(false);
        if (focusLost && !dialog.open) input.focus();
      }
    }
  }

  function submit() {
    if (state.controller) return;
    const question = input.value.trim();
    if (!question) {
      showError("Type a question first.");
      input.focus();
      return;
    }
    ask(question);
    input.focus();
  }

  function newConversation() {
    if (state.controller) {
      state.controller.abort();
      state.controller = null;
      setStreaming(false);
    }
    if (dialog.open) dialog.close();
    transcript.replaceChildren();
    state.sessionId = null;
    state.turns = 0;
    clearError();
    intro.hidden = false;
    input.value = "";
    input.focus();
  }

  // --- wiring ------------------------------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  stopButton.addEventListener("click", () => {
    if (state.controller) state.controller.abort();
  });
  newButton.addEventListener("click", newConversation);
  for (const example of document.querySelectorAll(".example")) {
    example.addEventListener("click", () => {
      if (state.controller) return;
      input.value = example.dataset.question || example.textContent;
      submit();
    });
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
})();
