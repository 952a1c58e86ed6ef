/* shopgen studio: the assistant's try-it chat (/assist/chat) and the agent console
   (/assist/console). Streams through studio.js's SSE parser; polls every 2 s for what other
   people write (an agent's reply, a shopper's new message). No framework, no network access
   beyond this server. */
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const studio = window.shopgenStudio;
  const POLL_MS = 2000;
  const STATUS = { bot: "智能客服", queued: "排队等待人工", human: "人工客服接待中", closed: "已结束" };
  const WHO = { user: "买家", assistant: "智能客服", agent: "人工客服", system: "" };

  async function call(method, url, body) {
    const headers = { "Accept": "application/json", "X-CSRF-Token": studio.csrfToken() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(await studio.errorMessage(response));
    return response;
  }

  function bubble(log, role, text) {
    const li = document.createElement("li");
    li.className = "msg msg-" + role;
    if (WHO[role]) {
      const who = document.createElement("span");
      who.className = "msg-who";
      who.textContent = WHO[role];
      li.appendChild(who);
    }
    const body = document.createElement("span");
    body.className = "msg-text";
    body.textContent = text;
    li.appendChild(body);
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  function showSources(li, sources) {
    if (!sources || !sources.length) return;
    const ul = document.createElement("ul");
    ul.className = "sources";
    sources.forEach((src, i) => {
      const item = document.createElement("li");
      // shoppers see what a source is called, never its id
      const kind = { faq: "常见问题", policy: "店铺规则", product: "商品", order: "订单" }[src.kind] || "资料";
      item.textContent = "[" + (i + 1) + "] " + kind + "：" + src.title;
      ul.appendChild(item);
    });
    li.appendChild(ul);
  }

  function setStatus(el, status) {
    el.dataset.status = status;
    el.textContent = STATUS[status] || status;
  }

  /* ---- 客服试用 ------------------------------------------------------------------------ */

  function setupChat(root) {
    const base = root.dataset.base;
    const log = $("#chat-log"), form = $("#chat-form"), input = $("#chat-input");
    const send = $("#chat-send"), errorBox = $("#chat-error"), badge = $("#chat-status");
    let sessionId = null, lastSeen = 0;

    const showError = (text) => { errorBox.textContent = text; errorBox.hidden = !text; };

    async function open() {
      log.textContent = "";
      lastSeen = 0;
      showError("");
      const r = await call("POST", base + "/sessions");
      sessionId = (await r.json()).session_id;
      root.dataset.session = sessionId;
      setStatus(badge, "bot");
    }

    /* Agents' replies and system notes arrive by polling; the bot's own answers by the stream. */
    async function poll() {
      if (!sessionId) return;
      try {
        const r = await call("GET", base + "/sessions/" + sessionId + "/messages?after=" + lastSeen);
        const data = await r.json();
        data.messages.forEach((m) => {
          lastSeen = Math.max(lastSeen, m.id);
          if (m.role === "agent" || m.role === "system") bubble(log, m.role, m.content);
        });
        setStatus(badge, data.status);
      } catch (e) { /* transient: the next poll tries again */ }
    }

    async function ask(message) {
      bubble(log, "user", message);
      let reply = null;
      const picked = $("#chat-product") ? $("#chat-product").value : "";
      const body = { session_id: sessionId, message };
      if (picked) body.context_sku = picked;  // the product the shopper is looking at, as a storefront would pass it
      const response = await call("POST", base + "/send", body);
      for await (const ev of studio.sseEvents(response)) {
        const data = ev.payload || {};
        if (ev.name === "meta") {
          reply = bubble(log, "assistant", "");
          reply.dataset.route = data.route;
          reply.sources = data.sources;
        } else if (ev.name === "token") {
          $(".msg-text", reply).textContent += data.text || "";
        } else if (ev.name === "replace") {
          $(".msg-text", reply).textContent = data.text;
          reply.dataset.route = data.route;
        } else if (ev.name === "done") {
          showSources(reply, reply.sources);
          setStatus(badge, data.status);
        } else if (ev.name === "status") {
          setStatus(badge, data.status);
          if (data.note) bubble(log, "system", data.note);
        } else if (ev.name === "error") {
          showError("回答失败：" + studio.errorText(data.error));
        }
      }
    }

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const message = input.value.trim();
      if (!message) return;
      input.value = "";
      send.disabled = true;
      showError("");
      try { await ask(message); } catch (e) { showError(studio.errorText(e)); } finally { send.disabled = false; input.focus(); }
    });
    $("#chat-new").addEventListener("click", () => open().catch((e) => showError(studio.errorText(e))));
    open().catch((e) => showError("无法开始会话：" + studio.errorText(e)));
    setInterval(poll, POLL_MS);
  }

  /* ---- 客服工作台 ---------------------------------------------------------------------- */

  function setupConsole(root) {
    const me = root.dataset.me;
    const queue = $("#queue"), panel = $("#conversation"), log = $("#conv-log"), errorBox = $("#console-error");
    const take = $("#take"), release = $("#release"), close = $("#close"), replyForm = $("#reply-form"), replyInput = $("#reply-input");
    let current = null, shown = 0;

    const showError = (text) => { errorBox.textContent = text; errorBox.hidden = !text; };

    async function refreshQueue() {
      try {
        const items = (await (await call("GET", "/api/assist/queue")).json()).sessions;
        queue.textContent = "";
        items.forEach((c) => {
          const li = document.createElement("li");
          li.dataset.session = c.id;
          li.dataset.status = c.status;
          if (c.id === current) li.className = "active";
          const b = document.createElement("button");
          b.type = "button";
          b.textContent = (STATUS[c.status] || c.status) + (c.agent ? "（" + c.agent.replace(/^user:/, "") + "）" : "") + " · " + c.id.slice(0, 8);
          const last = document.createElement("span");
          last.className = "q-last";
          last.textContent = c.last;
          b.appendChild(last);
          b.addEventListener("click", () => openConversation(c.id));
          li.appendChild(b);
          queue.appendChild(li);
        });
        $("#queue-empty").hidden = items.length > 0;
        $("#queue-count").textContent = items.length + " 个";
      } catch (e) { /* transient */ }
    }

    async function refreshConversation() {
      if (!current) return;
      try {
        const conv = await (await call("GET", "/api/conversations/" + current)).json();
        conv.messages.slice(shown).forEach((m) => bubble(log, m.role, m.content));
        shown = conv.messages.length;
        setStatus($("#conv-status"), conv.status);
        const mine = conv.status === "human" && conv.agent === me;
        // only the moves this conversation allows now are on screen: after a hand-back (bot)
        // or a close there is nothing to take over
        take.hidden = conv.status !== "queued";
        release.hidden = !(conv.status === "queued" || mine);
        close.hidden = !(conv.status === "queued" || mine);
        replyInput.disabled = !mine;
        $("#reply-send").disabled = !mine;
        replyForm.hidden = conv.status === "closed" || conv.status === "bot";
      } catch (e) { showError(studio.errorText(e)); }
    }

    function openConversation(id) {
      current = id;
      shown = 0;
      log.textContent = "";
      showError("");
      panel.hidden = false;
      panel.dataset.session = id;
      $("#conv-id").textContent = id.slice(0, 8);
      refreshConversation();
      refreshQueue();
    }

    async function act(path, body) {
      showError("");
      try { await call("POST", "/api/assist/sessions/" + current + "/" + path, body); } catch (e) { showError(studio.errorText(e)); }
      await refreshConversation();
      await refreshQueue();
    }

    take.addEventListener("click", () => act("take"));
    release.addEventListener("click", () => act("release"));
    close.addEventListener("click", () => { if (window.confirm(close.dataset.confirm)) act("close"); });
    replyForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const message = replyInput.value.trim();
      if (!message) return;
      replyInput.value = "";
      await act("reply", { message });
    });
    refreshQueue();
    setInterval(() => { refreshQueue(); refreshConversation(); }, POLL_MS);
  }

  function ready() {
    const chat = $("#assist-chat");
    if (chat) setupChat(chat);
    const console_ = $("#assist-console");
    if (console_) setupConsole(console_);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
