/* The staff page: the admin key (entered here, kept in this tab's sessionStorage), the document list
   (GET /v1/documents) with upload (POST /v1/admin/documents), removal (DELETE /v1/admin/documents/{id})
   and reindexing (POST /v1/admin/reindex), each followed to its end (GET /v1/admin/ingests/{id}), and
   the unanswered-questions report (GET /v1/admin/unanswered), grouped, with counts. */

import { alerts, byId, el, errorMessage, getJson } from "./lib/dom.js";

const KEY = "assistant.admin-key";
const POLL_MS = 400;
const alertBox = byId("staff-alert");
const state = { polling: null };

// --- the key ---------------------------------------------------------------------------------------------
function adminKey() {
  try {
    return window.sessionStorage.getItem(KEY) || "";
  } catch (_) {
    return state.key || "";
  }
}

function keepKey(key) {
  state.key = key;
  try {
    if (key) window.sessionStorage.setItem(KEY, key);
    else window.sessionStorage.removeItem(KEY);
  } catch (_) {
    /* storage switched off: kept in memory only */
  }
}

function authorised(headers) {
  return { Authorization: `Bearer ${adminKey()}`, ...headers };
}

const { show: showError, clear: clearError } = alerts(alertBox);

function showSignedIn(signedIn) {
  byId("sign-in").hidden = signedIn;
  byId("staff-content").hidden = !signedIn;
}

/** A staff request; a refused key signs out, and every failure is shown as the API words it. */
async function staffFetch(url, options) {
  const response = await fetch(url, { ...options, headers: authorised((options || {}).headers) });
  if (!response.ok) {
    const message = await errorMessage(response);
    if (response.status === 401 || response.status === 403) {
      keepKey("");
      showSignedIn(false);
    }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// --- documents -------------------------------------------------------------------------------------------
function formatDate(text) {
  if (!text) return "—";
  const when = new Date(text);
  return Number.isNaN(when.getTime()) ? text : when.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

function removeButton(documentSummary) {
  const button = el("button", {
    type: "button", class: "button button--ghost button--small", "data-testid": "remove-document",
    "aria-label": `Remove ${documentSummary.source}`, text: "Remove",
  });
  button.addEventListener("click", async () => {
    if (button.dataset.confirming !== "true") {
      button.dataset.confirming = "true";
      button.textContent = "Confirm removal";
      button.classList.add("button--danger");
      return;
    }
    button.disabled = true;
    try {
      const job = await staffFetch(`/v1/admin/documents/${encodeURIComponent(documentSummary.id)}`, { method: "DELETE" });
      follow(job, `Removing ${documentSummary.source}`);
    } catch (error) {
      showError(error.message);
      button.disabled = false;
    }
  });
  return button;
}

function documentRow(summary) {
  const rules = summary.rules_active ? `${summary.rules} active` : "—";
  return el("tr", { "data-testid": "document-row", "data-source": summary.source }, [
    el("td", {}, [
      el("a", { href: `/documents/${encodeURIComponent(summary.id)}`, class: "staff__doc-title", text: summary.title || summary.source }),
      el("div", { class: "staff__doc-file", text: summary.source }),
    ]),
    el("td", { text: summary.programme || "—" }),
    el("td", { text: summary.kind || "—" }),
    el("td", { class: "staff__short", text: summary.edition ?? "—" }),
    el("td", { class: "staff__short staff__num", text: String(summary.chunks) }),
    el("td", { class: "staff__short", text: formatDate(summary.indexed_at) }),
    el("td", { class: "staff__short", text: rules }),
    el("td", {}, [removeButton(summary)]),
  ]);
}

async function loadDocuments() {
  try {
    const list = await getJson("/v1/documents");
    byId("documents-body").replaceChildren(...list.documents.map(documentRow));
    byId("documents-count").textContent = `(${list.count})`;
  } catch (error) {
    byId("documents-body").replaceChildren();
    byId("documents-count").textContent = "";
    showError(error.message);
  }
}

// --- jobs ------------------------------------------------------------------------------------------------
function describeReport(report) {
  if (!report) return "";
  const parts = [
    `${report.files_indexed.length} indexed`,
    `${report.files_unchanged.length} unchanged`,
    `${report.files_removed.length} removed`,
    `${report.files_failed.length} failed`,
  ];
  const failures = report.files_failed.map((failed) => `${failed.path}: ${failed.error}`);
  return [`Done: ${parts.join(", ")}; ${report.chunks_total} passages in the index.`, ...failures].join(" ");
}

function showJob(job, title) {
  byId("job").hidden = false;
  byId("job").dataset.state = job.state;
  byId("job-title").textContent = `${title}: ${job.state === "running" ? job.phase : job.state}`;
  const files = byId("job-files");
  files.max = Math.max(job.files_total, 1);
  files.value = job.files_done;
  const embedding = byId("job-embedding");
  embedding.max = Math.max(job.embedding_total, 1);
  embedding.value = job.embedding_done;
  byId("job-files-count").textContent = `${job.files_done}/${job.files_total}`;
  byId("job-embedding-count").textContent = `${job.embedding_done}/${job.embedding_total}`;
  const progress = `${job.files_done}/${job.files_total} files, ${job.embedding_done}/${job.embedding_total} embedded`;
  if (job.state === "done") byId("job-detail").textContent = describeReport(job.report);
  else if (job.state === "failed") byId("job-detail").textContent = `Failed: ${job.error ? job.error.message : "see the server log"}`;
  else byId("job-detail").textContent = progress;
}

function follow(job, title) {
  if (state.polling) clearTimeout(state.polling);
  showJob(job, title);
  const poll = async () => {
    try {
      const current = await staffFetch(`/v1/admin/ingests/${encodeURIComponent(job.id)}`);
      showJob(current, title);
      if (current.state === "done" || current.state === "failed") {
        state.polling = null;
        await loadDocuments();
        return;
      }
    } catch (error) {
      showError(error.message);
      state.polling = null;
      return;
    }
    state.polling = setTimeout(poll, POLL_MS);
  };
  state.polling = setTimeout(poll, job.state === "done" ? 0 : POLL_MS);
}

async function upload(event) {
  event.preventDefault();
  clearError();
  const fileInput = byId("upload-file");
  const file = fileInput.files && fileInput.files[0];
  if (!file) {
    showError("Choose a file first.");
    fileInput.focus();
    return;
  }
  const form = new FormData();
  form.append("file", file, file.name);
  const replace = byId("upload-replace").checked ? "?replace=true" : "";
  const button = byId("upload-form").querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const job = await staffFetch(`/v1/admin/documents${replace}`, { method: "POST", body: form });
    fileInput.value = "";
    follow(job, `Adding ${file.name}`);
  } catch (error) {
    showError(error.message);
  } finally {
    button.disabled = false;
  }
}

async function reindex() {
  clearError();
  try {
    follow(await staffFetch("/v1/admin/reindex", { method: "POST" }), "Reindexing the corpus folder");
  } catch (error) {
    showError(error.message);
  }
}

// --- unanswered questions ----------------------------------------------------------------------------------
function groupItem(group) {
  const counts = [`asked ${group.count} time${group.count === 1 ? "" : "s"}`];
  if (group.abstained) counts.push(`${group.abstained} not answered`);
  if (group.down_rated) counts.push(`${group.down_rated} rated down`);
  const wordings = (group.questions || []).map((item) => item.question).filter((text) => text !== group.question);
  const comments = [...new Set((group.questions || []).map((item) => (item.comment || "").trim()).filter(Boolean))];
  return el("li", { class: "staff__gap", "data-testid": "unanswered-group" }, [
    el("p", { class: "staff__gap-question", text: group.question }),
    el("p", { class: "staff__gap-counts", "data-testid": "unanswered-count", text: `${counts.join(" · ")} · last ${formatDate(group.last_asked)}` }),
    ...comments.map((comment) => el("p", { class: "staff__gap-comment", "data-testid": "unanswered-comment", text: `“${comment}”` })),
    ...(wordings.length ? [el("details", {}, [
      el("summary", { text: `${wordings.length} other wording${wordings.length === 1 ? "" : "s"}` }),
      el("ul", {}, [...new Set(wordings)].map((text) => el("li", { text }))),
    ])] : []),
  ]);
}

async function loadUnanswered() {
  try {
    const report = await staffFetch("/v1/admin/unanswered");
    byId("unanswered").replaceChildren(...report.groups.map(groupItem));
    byId("unanswered-empty").hidden = report.groups.length > 0;
    return true;
  } catch (error) {
    showError(error.message);
    return false;
  }
}

// --- sign in and out -------------------------------------------------------------------------------------
async function signIn(key) {
  keepKey(key);
  clearError();
  if (await loadUnanswered()) {
    showSignedIn(true);
    await loadDocuments();
    return true;
  }
  return false;
}

byId("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = byId("admin-key");
  const key = input.value.trim();
  if (!key) {
    showError("Enter the admin key.");
    input.focus();
    return;
  }
  input.value = "";
  if (!(await signIn(key))) input.focus();
});
byId("sign-out").addEventListener("click", () => {
  keepKey("");
  clearError();
  showSignedIn(false);
  byId("admin-key").focus();
});
byId("upload-form").addEventListener("submit", upload);
byId("reindex").addEventListener("click", reindex);
byId("unanswered-refresh").addEventListener("click", loadUnanswered);

if (adminKey()) signIn(adminKey());
else showSignedIn(false);
