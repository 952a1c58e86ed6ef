/* shopgen studio: small progressive enhancements; every page also works without JS
   except the model playground, which needs fetch streaming. No framework, no network
   access beyond this server. */
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  /* Forms (or the button that submits them) with data-confirm ask before submitting (e.g. deleting a product). */
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    const ask = (ev.submitter && ev.submitter.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (ask && !window.confirm(ask)) {
      ev.preventDefault();
    }
  });

  /* Stored times are UTC and the server writes Beijing time; show the browser's own clock,
     and say which zone that is in the column head. */
  function localTimes() {
    const two = (n) => String(n).padStart(2, "0");
    $$("time[data-local]").forEach((t) => {
      const d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) return;
      const day = d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
      const clock = two(d.getHours()) + ":" + two(d.getMinutes()) + (t.dataset.local === "second" ? ":" + two(d.getSeconds()) : "");
      t.textContent = day + " " + clock;
    });
    const minutes = -new Date().getTimezoneOffset();
    const zone = "UTC" + (minutes >= 0 ? "+" : "-") + Math.floor(Math.abs(minutes) / 60) + (minutes % 60 ? ":" + two(Math.abs(minutes) % 60) : "");
    $$("[data-tz-label]").forEach((el) => { el.textContent = minutes === 480 ? "（北京时间）" : "（本地时间 " + zone + "）"; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", localTimes);
  else localTimes();

  /* The 「管理」 menu closes on a click elsewhere or on Escape. */
  document.addEventListener("click", (ev) => {
    $$("details[data-nav-menu][open]").forEach((menu) => {
      if (!menu.contains(ev.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") $$("details[data-nav-menu][open]").forEach((menu) => menu.removeAttribute("open"));
  });

  /* A select with data-autosubmit submits its form on change (catalog category filter). */
  document.addEventListener("change", (ev) => {
    const el = ev.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  /* Images that fail to load (offline shop, moved file) become a neutral placeholder. */
  document.addEventListener("error", (ev) => {
    const img = ev.target;
    if (!(img instanceof HTMLImageElement) || img.dataset.failed) return;
    img.dataset.failed = "1";
    const box = document.createElement("span");
    box.className = img.className + " img-missing";
    box.textContent = "无图";
    box.title = img.alt || "";
    box.setAttribute("aria-label", "图片无法加载：" + (img.alt || ""));
    img.replaceWith(box);
  }, true);

  /* Deferred scripts run after parsing, so images that already failed never fire for us. */
  function replaceBroken() {
    $$("img").forEach((img) => {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) {
        img.dispatchEvent(new Event("error"));
      }
    });
  }

  /* Variant table: add and remove rows, keep the # column matching the server's row numbers. */
  function renumber(tbody) {
    $$("tr", tbody).forEach((tr, i) => {
      const cell = $("[data-row-no]", tr);
      if (cell) cell.textContent = String(i + 1);
    });
  }

  document.addEventListener("click", (ev) => {
    const add = ev.target.closest("[data-add-row]");
    if (add) {
      const tpl = $("#variant-row");
      const tbody = $("#variants [data-rows]");
      if (!tpl || !tbody) return;
      tbody.appendChild(tpl.content.firstElementChild.cloneNode(true));
      renumber(tbody);
      const inputs = $$("input", tbody.lastElementChild);
      if (inputs.length) inputs[0].focus();
      return;
    }
    const remove = ev.target.closest("[data-remove-row]");
    if (remove) {
      const tr = remove.closest("tr");
      const tbody = tr && tr.parentElement;
      if (!tbody) return;
      tr.remove();
      renumber(tbody);
    }
  });

  /* ---- Model playground: POST /api/llm/chat with stream:true, parse SSE from the body. ---- */

  function parseEvent(block) {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    let payload = null;
    if (data.length) {
      try { payload = JSON.parse(data.join("\n")); } catch (e) { payload = { text: data.join("\n") }; }
    }
    return { name, payload };
  }

  async function* sseEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      buffer = buffer.replace(/\r\n/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.trim()) yield parseEvent(block);
      }
      if (done) {
        if (buffer.trim()) yield parseEvent(buffer);
        return;
      }
    }
  }

  /* What the studio says when the server's message is not for people (a proxy's page, an
     English message from an older API): one Chinese sentence per status. */
  const STATUS_TEXT = {
    400: "请求有误", 401: "登录已失效，请刷新页面重新登录", 403: "没有权限执行这个操作", 404: "找不到要操作的内容",
    405: "不支持这种操作", 409: "与已有数据冲突，请刷新后再试", 413: "内容太大", 422: "输入有误，请检查后再试",
    429: "操作太频繁，请稍后再试", 500: "服务器出错了，请稍后再试", 502: "服务暂时不可用，请稍后再试",
    503: "后端服务忙或暂不可用，请稍后再试", 504: "服务响应超时，请稍后再试",
  };
  const CJK = /[\u3400-\u9fff]/g, LATIN = /[A-Za-z]/g;
  /* A message written in Chinese, not an English one quoting what the user typed ("no active
     products in category 女装"): its Chinese characters are not outnumbered by Latin letters 3 to 1. */
  const isChinese = (m) => { const cjk = (m.match(CJK) || []).length; return cjk > 0 && 3 * cjk >= (m.match(LATIN) || []).length; };

  const TYPE_TEXT = {
    backend_error: "模型或后端服务出错了，请稍后再试", busy: "模型正忙，请稍后再试", invalid_input: STATUS_TEXT[422],
    not_found: STATUS_TEXT[404], forbidden: STATUS_TEXT[403], conflict: STATUS_TEXT[409], rate_limited: STATUS_TEXT[429],
  };

  /* An error object from a stream ({type, message}) or a thrown Error, as one Chinese sentence. */
  function errorText(err) {
    const message = err && err.message ? String(err.message) : "";
    if (isChinese(message)) return message;
    if (message) console.warn("shopgen:", message);
    if (err instanceof TypeError) return "无法连接服务，请检查网络后重试";
    return (err && TYPE_TEXT[err.type]) || "出错了，请稍后再试";
  }

  async function errorMessage(response) {
    let message = "";
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = String(body.error.message);
    } catch (e) { /* not JSON: the status line below */ }
    if (message && isChinese(message)) return message;
    if (message) console.warn("shopgen:", response.status, message);
    return STATUS_TEXT[response.status] || "请求失败（错误 " + response.status + "），请稍后再试";
  }

  /* Shared with page scripts that stream too (assist.js), so there is one SSE parser. */
  window.shopgenStudio = {
    sseEvents,
    errorMessage,
    errorText,
    csrfToken: () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "",
  };

  function setupPlayground() {
    const form = $("#chat-form");
    if (!form || !$("#output")) return;  // the assistant's try-it chat has a #chat-form too
    const output = $("#output");
    const meta = $("#meta");
    const errorBox = $("#chat-error");
    const send = $("#send");
    const stop = $("#stop");
    let controller = null;

    const showError = (text) => {
      errorBox.textContent = text;
      errorBox.hidden = false;
    };
    const busy = (on) => {
      send.disabled = on;
      send.textContent = on ? "生成中…" : "生成";
      stop.hidden = !on;
      output.classList.toggle("streaming", on);
    };

    stop.addEventListener("click", () => controller && controller.abort());

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const prompt = $("#prompt").value.trim();
      if (!prompt) { showError("请先填写提示词。"); return; }
      const tokensText = $("#max-tokens").value.trim();  // as typed: the server checks 1–2048 in Chinese
      const maxTokens = tokensText ? Number(tokensText) : 256;
      output.textContent = "";
      errorBox.hidden = true;
      meta.textContent = "等待模型…";
      controller = new AbortController();
      const started = performance.now();
      busy(true);
      let finished = false;
      try {
        const response = await fetch(form.dataset.endpoint, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "Accept": "text/event-stream",
            // the session cookie authenticates this call; the CSRF token proves it comes from the studio
            "X-CSRF-Token": (document.querySelector('meta[name="csrf-token"]') || {}).content || "",
          },
          body: JSON.stringify({ prompt, max_tokens: maxTokens, stream: true }),
          signal: controller.signal,
        });
        if (!response.ok) {
          showError(await errorMessage(response));
          meta.textContent = "";
          return;
        }
        meta.textContent = "生成中…";
        for await (const ev of sseEvents(response)) {
          const data = ev.payload || {};
          if (ev.name === "token") {
            output.textContent += data.text || "";
            output.scrollTop = output.scrollHeight;
          } else if (ev.name === "done") {
            finished = true;
            const secs = typeof data.seconds === "number" ? data.seconds.toFixed(2) : "?";
            meta.textContent = "模型 " + (data.model || "?") + " · 用时 " + secs + " 秒 · " + (data.chunks || 0) + " 段";
          } else if (ev.name === "error") {
            finished = true;
            showError("生成失败：" + errorText(data.error));
            meta.textContent = "";
          }
        }
        if (!finished) {
          showError("连接在生成完成前中断了。");
          meta.textContent = "";
        }
      } catch (e) {
        if (e.name === "AbortError") {
          const secs = ((performance.now() - started) / 1000).toFixed(2);
          meta.textContent = "已停止 · " + secs + " 秒";
        } else {
          showError(errorText(e));
          meta.textContent = "";
        }
      } finally {
        busy(false);
        controller = null;
      }
    });
  }

  function ready() {
    replaceBroken();
    setupPlayground();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
