/* shopgen studio: 视觉工坊 (/visual). Cut-out, poster candidates with scores, edit and re-render,
   main image, scene, video and batch jobs, all through /api/visual/* with the session cookie and
   the CSRF token. */
"use strict";

(function () {
  const $ = (sel) => document.querySelector(sel);
  const studio = window.shopgenStudio;
  const JOB = { running: "进行中", done: "已完成", failed: "失败", interrupted: "已中断" };
  const LABEL = { title: "标题", price: "价格标签", original_price: "原价", badge: "促销角标", cta: "行动按钮", brand: "品牌" };
  let asset = null, selected = null, jobId = null;
  function labelOf(id) { return LABEL[id] || (id.startsWith("point") ? "卖点 " + (parseInt(id.slice(5), 10) + 1) : id); }

  function fileUrl(name) { return "/api/visual/files/" + asset + "/" + name + "?t=" + Date.now(); }
  function showError(text) { const b = $("#vis-error"); b.textContent = text || ""; b.hidden = !text; }
  function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }

  async function call(method, url, body, isForm) {
    const headers = { "Accept": "application/json", "X-CSRF-Token": studio.csrfToken() };
    if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
    const r = await fetch(url, { method, headers, body: body === undefined ? undefined : (isForm ? body : JSON.stringify(body)) });
    if (!r.ok) {
      throw new Error(await studio.errorMessage(r));  // the server names the field in Chinese
    }
    return r.json();
  }

  async function busy(button, work) {
    showError("");
    const label = button.textContent;
    button.disabled = true; button.textContent = "处理中…";
    try { await work(); } catch (e) { showError(e.message); } finally { button.disabled = false; button.textContent = label; }
  }

  function copyBody() {
    const points = $("#vis-points").value.split("\n").map((s) => s.trim()).filter(Boolean);
    const v = (id) => $(id).value.trim() || null;
    return { title: $("#vis-title").value.trim(), selling_points: points, price: $("#vis-price").value.trim(),
             original_price: v("#vis-original-price"), promotion: v("#vis-promotion"), cta: v("#vis-cta") };
  }

  function gotCutout(info) {
    asset = info.asset;
    $("#vis-pair").hidden = false;
    $("#vis-original").src = fileUrl("original.png");
    $("#vis-cutout").src = fileUrl("cutout.png");
    $("#vis-cut-meta").textContent = "抠图结果 · 主体占 " + Math.round(info.coverage * 1000) / 10 + "% · " + Math.round(info.ms) + " ms";
    if (info.copy) {
      $("#vis-title").value = info.copy.title; $("#vis-points").value = info.copy.selling_points.join("\n");
      $("#vis-price").value = info.copy.price;
    }
    ["#vis-make-posters", "#vis-make-main", "#vis-make-scene", "#vis-make-video"].forEach((id) => { $(id).disabled = false; });
  }

  $("#vis-pick").addEventListener("submit", (ev) => {
    ev.preventDefault();
    busy($("#vis-cut"), async () => gotCutout(await call("POST", "/api/visual/cutout/product", { sku: $("#vis-sku").value })));
  });
  $("#vis-upload").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = $("#vis-file").files[0];
    if (!f) { showError("请先选择一张图片"); return; }
    const form = new FormData(); form.append("file", f);
    busy(ev.submitter || $("#vis-upload button"), async () => gotCutout(await call("POST", "/api/visual/cutout", form, true)));
  });

  function scoreLine(s) {
    const box = el("div", "vis-score");
    box.append(el("span", s.eligible ? "badge badge-ok" : "badge badge-danger", s.eligible ? "符合规则" : "不符合规则"));
    box.append(el("span", null, "总分 " + s.total));
    box.append(el("span", null, "重叠 " + s.overlap_px + " 像素"));
    box.append(el("span", null, "对比度 " + (s.aa_pass ? "达标" : "不达标")));
    box.append(el("span", null, "边距 " + (s.inside_margins ? "达标" : "越界")));
    box.append(el("span", null, "对齐 " + s.alignment + " · 占比 " + s.occupancy));
    return box;
  }

  function linkRow(c) {
    const row = el("div", "vis-links");
    [["png", "PNG"], ["svg", "SVG"], ["json", "分层 JSON"]].forEach(([k, label]) => {
      const a = el("a", null, label); a.href = fileUrl(c[k]); a.download = c[k]; row.append(a);
    });
    return row;
  }

  function card(c) {
    const box = el("div", "vis-card"); box.dataset.name = c.name;
    const img = el("img"); img.src = fileUrl(c.png); img.alt = c.template + " / " + c.style;
    box.append(img, el("div", "small", c.template + " · " + c.style), scoreLine(c.score), linkRow(c));
    box.addEventListener("click", () => select(c));
    return box;
  }

  function select(c) {
    selected = c;
    document.querySelectorAll(".vis-card").forEach((n) => n.classList.toggle("vis-selected", n.dataset.name === c.name));
    $("#vis-edit").hidden = false; $("#vis-edit-name").textContent = c.name; $("#vis-edit-status").textContent = "";
    const fields = $("#vis-edit-fields"); fields.replaceChildren();
    c.texts.forEach((t) => {
      const row = el("div", "vis-edit-row");
      const label = el("label", "field"); label.append(el("span", null, labelOf(t.id)), Object.assign(el("input"), { value: t.text, name: "text:" + t.id }));
      const colour = Object.assign(el("input"), { type: "color", value: t.colour, name: "colour:" + t.id, title: "文字颜色" });
      row.append(label, colour); fields.append(row);
    });
  }

  $("#vis-poster-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    busy($("#vis-make-posters"), async () => {
      const r = await call("POST", "/api/visual/posters", { asset, format: $("#vis-format").value, copy: copyBody() });
      const list = $("#vis-cands"); list.replaceChildren(...r.candidates.map(card));
      $("#vis-cands-empty").hidden = true;
      if (r.candidates.length) select(r.candidates[0]);
    });
  });

  $("#vis-edit").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const edits = {};
    selected.texts.forEach((t) => {
      const text = $("#vis-edit-fields").querySelector('[name="text:' + t.id + '"]').value;
      const colour = $("#vis-edit-fields").querySelector('[name="colour:' + t.id + '"]').value;
      const e = {};
      if (text !== t.text) e.text = text;
      if (colour !== t.colour) e.colour = colour;
      if (Object.keys(e).length) edits[t.id] = e;
    });
    busy(ev.submitter || $("#vis-edit button"), async () => {
      const c = await call("POST", "/api/visual/posters/" + asset + "/" + selected.name, { edits });
      const old = document.querySelector('.vis-card[data-name="' + c.name + '"]');
      const fresh = card(c); old.replaceWith(fresh); select(c);
      $("#vis-edit-status").textContent = "已重新渲染 · 总分 " + c.score.total + (c.score.eligible ? " · 符合规则" : " · 不符合规则");
    });
  });

  function showPicture(box, r, caption) {
    const fig = el("figure"); const img = el("img"); img.src = fileUrl(r.file); img.alt = caption;
    const a = el("a", null, "下载"); a.href = fileUrl(r.file); a.download = r.file;
    fig.append(img, el("figcaption", null, caption + " · "), a); box.prepend(fig);
  }
  $("#vis-make-main").addEventListener("click", (ev) => busy(ev.target, async () => {
    const r = await call("POST", "/api/visual/main-image", { asset, size: $("#vis-main-size").value, background: $("#vis-main-bg").value });
    showPicture($("#vis-pictures-out"), r, "主图 " + r.size.join("×") + "，商品占画面 " + Math.round(r.fill * 100) + "%");
  }));
  $("#vis-make-scene").addEventListener("click", (ev) => busy(ev.target, async () => {
    const r = await call("POST", "/api/visual/scene", { asset, kind: "texture", texture: $("#vis-texture").value });
    showPicture($("#vis-pictures-out"), r, "场景图（" + r.backend + "）");
  }));
  $("#vis-make-video").addEventListener("click", (ev) => busy(ev.target, async () => {
    const r = await call("POST", "/api/visual/video", { asset, aspect: $("#vis-aspect").value, narrate: $("#vis-narrate").checked, copy: copyBody() });
    const box = $("#vis-video-out"); box.replaceChildren();
    const v = el("video"); v.src = fileUrl(r.mp4); v.controls = true;
    const links = el("div", "vis-links");
    [[r.mp4, "下载 MP4"], [r.srt, "下载字幕 .srt"]].forEach(([f, label]) => { const a = el("a", null, label); a.href = fileUrl(f); a.download = f; links.append(a); });
    box.append(v, el("p", "muted small", Math.round(r.seconds * 10) / 10 + " 秒 · " + r.size.join("×") + (r.narrated ? " · 含配音" : "")), links);
  }));

  async function poll() {
    if (!jobId) return;
    try {
      const j = await call("GET", "/api/visual/batch/" + jobId);
      $("#vis-batch-fill").style.width = (j.total ? Math.round(100 * j.done / j.total) : 0) + "%";
      $("#vis-batch-status").textContent = (JOB[j.status] || j.status) + " · " + j.done + "/" + j.total + (j.failed ? " · 失败 " + j.failed : "") + (j.error ? " · " + j.error : "");
      $("#vis-batch-resume").hidden = !(j.status === "interrupted" || j.status === "failed");
      if (j.status === "running") setTimeout(poll, 1000);
    } catch (e) { showError(e.message); }
  }
  $("#vis-batch-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const limit = parseInt($("#vis-batch-limit").value, 10);
    busy(ev.submitter || $("#vis-batch-form button"), async () => {
      const j = await call("POST", "/api/visual/batch", { category: $("#vis-batch-category").value || null, limit: isNaN(limit) ? null : limit });
      jobId = j.job_id; poll();
    });
  });
  $("#vis-batch-resume").addEventListener("click", (ev) => busy(ev.target, async () => { await call("POST", "/api/visual/batch/" + jobId + "/resume"); poll(); }));
})();
