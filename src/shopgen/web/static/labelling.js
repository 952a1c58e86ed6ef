/* shopgen studio: the 数据标注 queue (/labelling/{id}). One item at a time from
   GET /api/labelling/tasks/{id}/next; keys 1–9 and 0 pick a label (aspects: toggle it), Enter
   accepts the suggestion (aspects: the ticked ones), S skips, Z undoes your last step. */
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const studio = window.shopgenStudio;

  /* The task form: the chosen file's name beside the 选择文件 button (the browser's own
     file input would say "No file chosen" in English). */
  const picker = $("#task-form .file-input");
  if (picker) {
    picker.addEventListener("change", () => {
      const f = picker.files && picker.files[0];
      $("#file-name").textContent = f ? f.name : "未选择文件";
      if (f) { const upload = $('#task-form input[name="source"][value="upload"]'); if (upload) upload.checked = true; }
    });
  }

  const root = $("#labeller");
  if (!root) return;

  const base = "/api/labelling/tasks/" + root.dataset.task;
  const multi = root.dataset.multi === "true";
  const keys = $$(".label-key");
  const byCode = new Map(keys.map((b) => [b.dataset.label, b]));
  let item = null;
  let busy = false;

  const nameOf = (code) => {
    const b = byCode.get(code);
    return b ? $(".label-name", b).textContent : code;
  };

  function showError(text) {
    const box = $("#label-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function status(text) { $("#status").textContent = text || ""; }

  async function call(method, url, body) {
    const headers = { "Accept": "application/json", "X-CSRF-Token": studio.csrfToken() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(await studio.errorMessage(response));
    return response.json();
  }

  function showProgress(p) {
    if (!p) return;
    $("#done").textContent = p.done;
    $("#total").textContent = p.total;
    $("#skipped").textContent = p.skipped;
    $("#progress-fill").style.width = (p.total ? (100 * p.done) / p.total : 0).toFixed(1) + "%";
    const learned = $("#learned");
    if (learned && p.learned_from) {
      $("#learned-n").textContent = p.learned_from;
      learned.hidden = false;
    }
    $$("#counts [data-count]").forEach((li) => {
      $("strong", li).textContent = (p.counts && p.counts[li.dataset.count]) || 0;
    });
  }

  function selected() { return keys.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.label); }

  function mark(codes) {
    keys.forEach((b) => b.setAttribute("aria-pressed", codes.includes(b.dataset.label) ? "true" : "false"));
  }

  function show(next) {
    item = next;
    const done = !item;
    $("#all-done").hidden = !done;
    $("#label-keys").hidden = done;
    $(".label-actions #accept").disabled = done;
    $(".label-actions #skip").disabled = done;
    $("#item-text").hidden = done;
    $("#item-source").textContent = done ? "" : "来源 " + (item.source || "—");
    $("#item-again").hidden = done || !item.skipped;
    const sug = $("#suggestion");
    keys.forEach((b) => b.classList.remove("suggested"));
    if (done) { sug.hidden = true; mark([]); return; }
    $("#item-text").textContent = item.text;
    const suggested = item.suggested;
    const codes = Array.isArray(suggested) ? suggested : suggested ? [suggested] : [];
    codes.forEach((c) => byCode.has(c) && byCode.get(c).classList.add("suggested"));
    sug.hidden = false;
    sug.classList.toggle("suggestion-none", !codes.length);
    $("#suggestion-label").textContent = codes.length ? codes.map(nameOf).join("、") : (multi ? "未提到任何方面" : "无（请用数字键选择）");
    $("#suggestion-confidence").textContent = item.confidence == null ? "" : "置信度 " + Math.round(item.confidence * 100) + "%";
    mark(multi ? codes : []);
  }

  async function run(work, doneText) {
    if (busy) return;
    busy = true;
    root.classList.add("busy");
    showError("");
    try {
      const text = await work();
      status(text || doneText || "");
    } catch (e) {
      showError(studio.errorText(e));
    } finally {
      busy = false;
      root.classList.remove("busy");
    }
  }

  async function loadNext() {
    const data = await call("GET", base + "/next");
    showProgress(data.progress);
    show(data.item);
  }

  function label(value) {
    if (!item) return;
    const body = multi ? { aspects: value } : { label: value };
    const said = multi ? (value.length ? value.map(nameOf).join("、") : "未提到方面") : nameOf(value);
    return run(async () => {
      await call("POST", base + "/items/" + item.id + "/label", body);
      await loadNext();
      return "已标为「" + said + "」 · 按 Z 撤销";
    });
  }

  function accept() {
    if (!item) return;
    if (multi) return label(selected());
    if (!item.suggested) { showError("这条没有模型建议，请按数字键选择标签。"); return; }
    return label(item.suggested);
  }

  function skip() {
    if (!item) return;
    return run(async () => {
      await call("POST", base + "/items/" + item.id + "/skip");
      await loadNext();
      return "已跳过 · 标完其余的会再出现";
    });
  }

  function undo() {
    return run(async () => {
      const data = await call("POST", base + "/undo");
      showProgress(data.progress);
      show(data.item);
      return "已撤销，这一条可以重新标";
    });
  }

  function pick(code) {
    if (!item) return;
    if (!multi) return label(code);
    const b = byCode.get(code);
    b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
  }

  keys.forEach((b) => b.addEventListener("click", () => pick(b.dataset.label)));
  $("#accept").addEventListener("click", accept);
  $("#skip").addEventListener("click", skip);
  $("#undo").addEventListener("click", undo);

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
    const t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const k = ev.key;
    const digit = keys.find((b) => b.dataset.key === k);
    if (digit) { ev.preventDefault(); pick(digit.dataset.label); }
    else if (k === "Enter") { ev.preventDefault(); accept(); }
    else if (k === "s" || k === "S") { ev.preventDefault(); skip(); }
    else if (k === "z" || k === "Z") { ev.preventDefault(); undo(); }
  });

  run(loadNext);
})();
