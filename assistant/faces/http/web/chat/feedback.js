/* Thumbs up or down on an answer (POST /v1/feedback), and a comment after a thumbs down. */

import { el, errorMessage, icon, postJson } from "../lib/dom.js";

const FEEDBACK_URL = "/v1/feedback";
const MAX_COMMENT = 2000;

export function feedbackControls(turn, input) {
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
