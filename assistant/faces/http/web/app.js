/* The web chat: asks /v1/ask/stream, shows the answer as it streams, then its citations (markers where
   the answer's own positions put them, chips that open the passage), the notices an answer carries (a
   closed call, an older edition), thumbs up/down. The conversation survives a reload: its id is kept in
   this tab's sessionStorage and its turns come back from GET /v1/sessions/{id}. */

import { alerts, byId, el, errorMessage, getJson, postJson } from "./lib/dom.js";
import { readEvents } from "./lib/sse.js";
import { chipLabels, closeCitation, dialogOpen, renderSources, renderText } from "./chat/citations.js";
import { feedbackControls } from "./chat/feedback.js";

const STREAM_URL = "/v1/ask/stream";
const SESSION_KEY = "assistant.session";
const NOTICE_TITLES = { deadline_passed: "Deadline passed", older_edition: "Older edition" };

class StreamError extends Error {}

const form = byId("ask-form");
const input = byId("question");
const sendButton = byId("send");
const stopButton = byId("stop");
const transcript = byId("transcript");
const intro = byId("intro");
const alertBox = byId("error");
const newButton = byId("new-conversation");

const state = { sessionId: null, controller: null, turns: 0 };

// --- the conversation's id, kept across a reload -----------------------------------------------------
function storedSession() {
  try {
    return window.sessionStorage.getItem(SESSION_KEY);
  } catch (_) {
    return null; // storage switched off: the conversation simply does not survive a reload
  }
}

function keepSession(id) {
  state.sessionId = id || null;
  try {
    if (id) window.sessionStorage.setItem(SESSION_KEY, id);
    else window.sessionStorage.removeItem(SESSION_KEY);
  } catch (_) {
    /* storage switched off */
  }
}

// --- small helpers -------------------------------------------------------------------------------------
const { show: showError, clear: clearError } = alerts(alertBox);

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

// --- a question and its answer ---------------------------------------------------------------------------
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
  const notices = el("div", { class: "notices", "data-testid": "notices", hidden: true });
  const note = el("p", { class: "answer__note", "data-testid": "answer-note", hidden: true });
  const sourcesTitle = el("h3", { class: "sources__title", id: `sources-${number}`, text: "Sources" });
  const sourcesList = el("ol", { class: "sources__list", "aria-labelledby": `sources-${number}` });
  const sources = el("div", { class: "sources", "data-testid": "citations", hidden: true }, [
    sourcesTitle, sourcesList,
  ]);
  const answer = el("div", { class: "answer", "data-testid": "answer", "data-state": "streaming" }, [
    el("h3", { class: "turn__who", text: "Assistant" }), badge, notices, pending, answerText, note, sources,
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
    number, question, article, text: "", answerId: "", abstained: false, finished: false,
    answer: { citations: [], markers: [], labels: new Map() },
    parts: { answer, answerText, pending, badge, notices, note, sources, sourcesTitle, sourcesList },
  };
}

function renderNotices(turn, notices) {
  const list = Array.isArray(notices) ? notices : [];
  turn.parts.notices.replaceChildren(...list.map((notice) => el("p", {
    class: `notice notice--${notice.kind}`, role: "note", "data-testid": "notice", "data-kind": notice.kind,
  }, [
    el("strong", { class: "notice__title", text: NOTICE_TITLES[notice.kind] || "Note" }),
    el("span", { class: "notice__text", text: ` ${notice.text}` }),
  ])));
  turn.parts.notices.hidden = list.length === 0;
}

/** The whole answer, as the `done` event and GET /v1/sessions/{id} give it. */
function finishTurn(turn, data) {
  const { parts } = turn;
  turn.finished = true;
  parts.pending.hidden = true;
  turn.answerId = data.answer_id || turn.answerId;
  parts.answer.dataset.answerId = turn.answerId;
  turn.abstained = Boolean(data.abstained);
  if (typeof data.answer === "string") turn.text = data.answer;
  const citations = Array.isArray(data.citations) ? data.citations : turn.answer.citations;
  turn.answer = { citations, markers: Array.isArray(data.markers) ? data.markers : [], labels: chipLabels(citations) };
  renderText(parts.answerText, turn.text, turn.answer);
  renderNotices(turn, data.notices);
  parts.answer.classList.toggle("answer--abstained", turn.abstained);
  parts.badge.hidden = !turn.abstained;
  renderSources(parts, turn.answer, turn.abstained);
  parts.answer.dataset.state = "done";
  if (turn.answerId) parts.answer.append(feedbackControls(turn, input));
}

function onEvent(turn, event) {
  const data = JSON.parse(event.data);
  const { parts } = turn;
  if (event.name === "start") {
    keepSession(data.session_id || state.sessionId);
    turn.answerId = data.answer_id || "";
    parts.answer.dataset.answerId = turn.answerId;
  } else if (event.name === "message") {
    if (typeof data.text !== "string") return;
    parts.pending.hidden = true;
    turn.text += data.text;
    parts.answerText.append(document.createTextNode(data.text));
  } else if (event.name === "citations") {
    const citations = Array.isArray(data) ? data : [];
    turn.answer = { ...turn.answer, citations, labels: chipLabels(citations) };
    renderSources(parts, turn.answer, false); // the markers come with the whole answer
  } else if (event.name === "done") {
    keepSession(data.session_id || state.sessionId);
    finishTurn(turn, data);
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
      if (focusLost && !dialogOpen()) input.focus();
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
  closeCitation();
  transcript.replaceChildren();
  keepSession(null);
  state.turns = 0;
  clearError();
  intro.hidden = false;
  input.value = "";
  input.focus();
}

/** After a reload: the kept conversation's turns, from the server. */
async function restoreConversation() {
  const id = storedSession();
  if (!id) return;
  state.sessionId = id;
  try {
    const session = await getJson(`/v1/sessions/${encodeURIComponent(id)}`);
    if (state.turns || state.controller) return; // the user already started asking
    for (const stored of Array.isArray(session.turns) ? session.turns : []) {
      const turn = addTurn(stored.question || "");
      finishTurn(turn, stored);
    }
  } catch (error) {
    if (error.status === 404) keepSession(null); // gone from the server: start afresh
  }
}

// --- wiring --------------------------------------------------------------------------------------------
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
restoreConversation();
