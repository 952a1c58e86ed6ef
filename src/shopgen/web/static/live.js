/* 直播助手: open a room, follow its SSE feed, draw the panel. */
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const studio = () => window.shopgenStudio;
  const controls = $("#live-controls");
  if (!controls) return;
  const INTENTS = JSON.parse(controls.dataset.intents || "[]");
  let source = null;
  let room = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  function showError(message) {
    const box = $("#live-error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  async function api(method, path, body) {
    const opts = { method, headers: { accept: "application/json", "X-CSRF-Token": studio().csrfToken() } };
    if (body instanceof FormData) opts.body = body;
    else if (body !== undefined) {
      opts.headers["content-type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    if (!r.ok) throw new Error(await studio().errorMessage(r));
    return r.status === 204 ? null : r.json();
  }

  /* ---- charts (inline SVG) ---- */
  const NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    return n;
  }

  function intentChart(counts) {
    const box = $("#intent-chart");
    const max = Math.max(1, ...INTENTS.map(([k]) => counts[k] || 0));
    const W = 300, row = 22, H = INTENTS.length * row;
    const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "评论意图分布" });
    INTENTS.forEach(([k, label], i) => {
      const n = counts[k] || 0, w = Math.round((W - 110) * n / max);
      const y = i * row;
      const t = svg("text", { x: 0, y: y + 15, class: "chart-label" }); t.textContent = label; s.append(t);
      s.append(svg("rect", { x: 60, y: y + 4, width: Math.max(w, 1), height: 14, rx: 3, class: `bar bar-${k}`, "data-intent": k }));
      const v = svg("text", { x: 66 + w, y: y + 15, class: "chart-value" }); v.textContent = n; s.append(v);
    });
    box.replaceChildren(s);
  }

  /* sentiment and buy share over the window: y from 0% to 100%, x in minutes before the newest bucket */
  function trendChart(series) {
    const box = $("#trend-chart");
    const W = 320, H = 150, L = 46, R = 10, T = 8, B = 34;
    const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-label": "情绪与下单趋势（纵轴：比例，横轴：时间）" });
    const y = (v) => T + (H - T - B) * (1 - v);
    [0, 0.5, 1].forEach((v) => {
      s.append(svg("line", { x1: L, y1: y(v), x2: W - R, y2: y(v), class: v === 0 ? "axis-line" : "axis" }));
      const t = svg("text", { x: L - 4, y: y(v) + 4, class: "chart-tick", "text-anchor": "end" });
      t.textContent = Math.round(v * 100) + "%";
      s.append(t);
    });
    s.append(svg("line", { x1: L, y1: T, x2: L, y2: y(0), class: "axis-line" }));
    const ytitle = svg("text", { x: 9, y: (T + y(0)) / 2, class: "chart-tick", "text-anchor": "middle", transform: `rotate(-90 9 ${(T + y(0)) / 2})` });
    ytitle.textContent = "比例";
    s.append(ytitle);
    const xtitle = svg("text", { x: (L + W - R) / 2, y: H - 2, class: "chart-tick", "text-anchor": "middle" });
    xtitle.textContent = "时间（分钟前）";
    s.append(xtitle);
    if (series.length > 1) {
      const t0 = series[0].t, t1 = series[series.length - 1].t, span = Math.max(t1 - t0, 1);
      const x = (t) => L + (W - L - R) * (t - t0) / span;
      [0, 0.5, 1].forEach((f) => {
        const t = t0 + span * f;
        const label = svg("text", { x: x(t), y: y(0) + 14, class: "chart-tick", "text-anchor": f === 0 ? "start" : f === 1 ? "end" : "middle" });
        const mins = (t1 - t) / 60;
        label.textContent = f === 1 ? "现在" : "-" + (mins >= 10 ? Math.round(mins) : mins.toFixed(1)) + " 分";
        s.append(label);
      });
      const pts = (f) => series.map((b) => `${x(b.t).toFixed(1)},${y(f(b)).toFixed(1)}`).join(" ");
      s.append(svg("polyline", { points: pts((b) => b.sentiment ?? 0.5), class: "line-pos" }));
      s.append(svg("polyline", { points: pts((b) => (b.n ? b.buy / b.n : 0)), class: "line-buy" }));
    } else {
      const t = svg("text", { x: (L + W - R) / 2, y: y(0.5), class: "chart-tick", "text-anchor": "middle" });
      t.textContent = "评论进来后显示趋势";
      s.append(t);
    }
    box.replaceChildren(s);
  }

  /* ---- panel ---- */
  function sayButton(text) {
    const b = el("button", { class: "btn btn-ghost btn-small", type: "button", title: "虚拟主播朗读" }, "▶ 朗读");
    b.addEventListener("click", () => speak(text, b));
    return b;
  }

  async function speak(text, button) {
    if (button) button.disabled = true;
    try {
      const r = await api("POST", "/api/live/speak", { text });
      new Audio(r.url).play().catch(() => {});
    } catch (e) { showError(e.message); }
    finally { if (button) button.disabled = false; }
  }

  function render(snap) {
    $("#panel").hidden = false;
    const p = snap.product;
    $("#stage-sku").textContent = snap.on_stage || "未选择";
    $("#product-title").textContent = p ? p.title : "—";
    $("#product-price").textContent = p ? "¥" + p.price : "";
    $("#product-stock").textContent = p ? `库存 ${p.stock}` + (p.sizes.length ? ` · 尺码 ${p.sizes.join("/")}` : "") : "";
    $("#product-attrs").textContent = p ? Object.entries(p.attributes).slice(0, 4).map(([k, v]) => `${k}：${v}`).join("；") : "";
    $("#stat-comments").textContent = snap.comments;
    $("#stat-buy").textContent = Math.round((snap.buy_rate || 0) * 100) + "%";
    $("#stat-replies").textContent = snap.auto_replies;
    $("#stat-latency").textContent = snap.latency_ms.p99 == null ? "–" : snap.latency_ms.p99.toFixed(1) + " ms";

    const qs = $("#questions");
    qs.replaceChildren(...(snap.top_questions.length ? snap.top_questions.map((q) => el("li", { "data-count": q.count },
      el("div", { class: "q-line" }, el("span", { class: "count", text: "×" + q.count }), el("span", { class: "q", text: q.question }),
        q.replied ? el("span", { class: "badge badge-ok", text: "已回复" }) : null),
      q.answer ? el("div", { class: "a-line" }, el("span", { class: "muted small", text: "建议回答：" }), el("span", { text: q.answer.text }), sayButton(q.answer.text))
               : el("div", { class: "a-line muted small", text: "店铺资料中没有现成答案，请主播口头回答。" }))) : [el("li", { class: "muted", text: "还没有提问。" })]));

    const cs = $("#complaints");
    cs.replaceChildren(...(snap.complaints.length ? snap.complaints.slice(0, 6).map((c) =>
      el("li", { "data-count": c.count || 1 }, el("span", { class: "neg", text: "负面 " + Math.round((1 - c.sentiment) * 100) + "%" }), " ", c.text,
        (c.count || 1) > 1 ? el("span", { class: "count", text: " ×" + c.count, title: c.count + " 条相同或相近的抱怨" }) : null))
      : [el("li", { class: "muted", text: "暂无。" })]));

    const tp = $("#talking-points");
    tp.replaceChildren(...(snap.talking_points.length ? snap.talking_points.map((t) => el("li", { text: t })) : [el("li", { class: "muted", text: "评论进来后给出建议。" })]));

    const rs = $("#replies");
    if (snap.replies.length) {
      rs.replaceChildren(...snap.replies.slice().reverse().map((r) => el("li", {},
        el("div", { class: "muted small", text: `回复「${r.question}」（${r.count} 人问）` + (r.times > 1 ? ` · 已发送 ${r.times} 次` : "") }),
        r.flag ? el("div", { class: "badge badge-warn", "data-flag": r.flag,
          text: r.flag === "order" ? "⚠ 有观众问订单：请私信跟进" : "⚠ 评论含个人信息：请私信跟进" }) : "",
        el("div", {}, r.text, " ", sayButton(r.text)))));
    }
    $("#reply-count").textContent = snap.auto_replies ? `共 ${snap.auto_replies} 条` : "";
    intentChart(snap.intents);
    trendChart(snap.sentiment);
    const rep = snap.replay;
    const rejected = rep && rep.rejected ? `，${rep.rejected} 条无效评论已跳过（首条：${rep.rejects[0].at}）` : "";
    $("#replay-status").textContent = rep ? `回放 ${rep.sent}/${rep.total}（${{ running: "进行中", done: "已完成", stopped: "已停止", failed: "失败" }[rep.status] || rep.status}${rejected}）` : "";
  }

  function follow() {
    if (source) source.close();
    source = new EventSource(`/api/live/rooms/${encodeURIComponent(room)}/events`);
    let caughtUp = false;  // the feed sends past events before its first snapshot: do not say those
    source.addEventListener("snapshot", (e) => { caughtUp = true; showError(""); render(JSON.parse(e.data)); });
    source.addEventListener("event", (e) => {  // with the voice on, the virtual host says each new auto-reply
      const ev = JSON.parse(e.data);
      if (caughtUp && ev.type === "reply" && $("#voice").checked) speak(ev.text, null);
    });
    source.addEventListener("error", (e) => {
      if (e.data) { const body = JSON.parse(e.data); showError(body.error.message); source.close(); }
    });
  }

  async function openRoom() {
    showError("");
    room = $("#room").value.trim();
    try {
      // opening the room stages the SKU too (a re-open re-stages it): no separate /stage call
      await api("POST", "/api/live/rooms", { room, sku: $("#sku").value, voice: $("#voice").checked });
      $("#replay-demo").disabled = false;
      $("#upload").disabled = false;
      const url = new URL(location.href);
      url.searchParams.set("room", room); url.searchParams.set("sku", $("#sku").value);
      history.replaceState(null, "", url);
      follow();
    } catch (e) { showError(e.message); }
  }

  async function replayDemo() {
    try {
      const speed = $("#speed").value;
      await api("POST", `/api/live/rooms/${encodeURIComponent(room)}/replay`, { source: "demo", speed: speed === "max" ? "max" : Number(speed) });
    } catch (e) { showError(e.message); }
  }

  async function upload() {
    const file = $("#upload").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    form.append("speed", $("#speed").value);
    try { await api("POST", `/api/live/rooms/${encodeURIComponent(room)}/replay/upload`, form); }
    catch (e) { showError(e.message); }
    $("#upload").value = "";
  }

  let scriptText = "";
  function showScript(text) {
    $("#script-text").replaceChildren(...text.split(/\n+|(?=【)/).filter((l) => l.trim()).map((line) => el("p", { text: line })));
  }

  /* streamed like 商品文案: the first draft appears as it is written, then the checked script replaces it */
  async function script() {
    const btn = $("#script-btn");
    btn.disabled = true;
    showError("");
    $("#script-say").hidden = true;
    $("#script-flags").replaceChildren();
    $("#script-text").replaceChildren(el("p", { class: "muted", text: "等待模型…" }));
    let streamed = "", done = false;
    try {
      const r = await fetch(`/api/live/rooms/${encodeURIComponent(room)}/script`, {
        method: "POST",
        headers: { accept: "text/event-stream", "content-type": "application/json", "X-CSRF-Token": studio().csrfToken() },
        body: JSON.stringify({ refresh: true }),
      });
      if (!r.ok) throw new Error(await studio().errorMessage(r));
      for await (const ev of studio().sseEvents(r)) {
        const data = ev.payload || {};
        if (ev.name === "token") {
          streamed += data.text || "";
          showScript(streamed);
          $("#script-text").dataset.state = "streaming";
        } else if (ev.name === "result") {
          done = true;
          scriptText = data.text;
          showScript(data.text);
          $("#script-text").dataset.state = "done";
          const flags = [...(data.issues || []), ...(data.compliance || [])];
          $("#script-flags").replaceChildren(...flags.map((f) => {
            const li = el("li", { class: "flag" }, el("span", { class: "badge badge-warn", text: f.label }), " " + f.text);
            li.dataset.type = f.type;
            return li;
          }));
          $("#script-say").hidden = false;
        } else if (ev.name === "error") {
          done = true;
          throw new Error("生成失败：" + ((data.error && data.error.message) || "未知错误"));
        }
      }
      if (!done) throw new Error("连接在口播稿生成完成前中断了");
    } catch (e) {
      if (!streamed) $("#script-text").replaceChildren();
      showError(e.message);
    } finally { btn.disabled = false; }
  }

  $("#open-room").addEventListener("click", openRoom);
  $("#replay-demo").addEventListener("click", replayDemo);
  $("#upload").addEventListener("change", upload);
  $("#script-btn").addEventListener("click", script);
  $("#script-say").addEventListener("click", (e) => speak(scriptText.slice(0, 600), e.currentTarget));
  $("#sku").addEventListener("change", async () => {
    if (!room) return;
    try { await api("POST", `/api/live/rooms/${encodeURIComponent(room)}/stage`, { sku: $("#sku").value }); }
    catch (e) { showError(e.message); }
  });
})();
