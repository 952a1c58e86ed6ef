/* shopgen studio: 商品文案 (/copy). Streams /api/copy/generate through studio.js's SSE parser,
   keeps results as drafts, reviews drafts (edit, approve, reject) and follows batch jobs by
   polling every second. Talks only to this server, with the session cookie and CSRF token. */
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const studio = window.shopgenStudio;
  const POLL_MS = 1000;
  const STATUS = { pending: "待审核", approved: "已通过", rejected: "已驳回" };
  const STATUS_BADGE = { pending: "badge-warn", approved: "badge-ok", rejected: "badge-danger" };
  const JOB_STATUS = { running: "进行中", done: "已完成", failed: "失败", interrupted: "已中断" };
  const ISSUE = { contradicted: "与商品信息不符", unsupported: "商品信息未提及", length: "长度不合适", structure: "格式不符" };
  const ASPECT = { colour: "颜色", material: "材质", size: "尺码", price: "价格", number: "数字", claim: "功效", origin: "产地", endorsement: "背书", promotion: "促销" };
  const RULE = { absolute: "极限词", medical: "医疗功效", banned: "违禁词" };

  /* kind labels come from the page's own select, so there is one list (the server's) */
  const KIND = {};
  document.querySelectorAll("#copy-kind option").forEach((o) => { KIND[o.value] = o.textContent; });

  async function call(method, url, body, accept) {
    const headers = { "Accept": accept || "application/json", "X-CSRF-Token": studio.csrfToken() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(await studio.errorMessage(response));
    return response;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function showIn(box, text) { box.textContent = text || ""; box.hidden = !text; }

  /* ---- flags: grounding and form issues, advertising-law findings -------------------------- */

  function issueText(i) {
    if (i.type === "length") {
      const now = /(\d+) (characters|bullets)/.exec(i.claim || "");
      const want = /(\d+) to (\d+) (characters|bullets)/.exec(i.detail || "");
      const unit = (want && want[3] === "bullets") || (now && now[2] === "bullets") ? "条" : "字";
      return (now ? "现在 " + now[1] + " " + unit : "") + (want ? "，应为 " + want[1] + "–" + want[2] + " " + unit : "");
    }
    if (i.type === "structure") {
      if (i.claim === "hashtags") return "缺少 #话题标签";
      if (i.claim === "sections") return "缺少段落：" + String(i.detail || "").replace(/^missing sections:\s*/, "");
      return i.detail || "";
    }
    return "「" + i.claim + "」" + (ASPECT[i.aspect] ? "（" + ASPECT[i.aspect] + "）" : "");
  }

  function complianceText(f) {
    const word = "「" + f.word + "」";
    if (f.in_text) return word + (f.suggestion ? " 建议改为「" + f.suggestion + "」" : " 建议删除所在分句");
    return word + (f.suggestion ? " 已改为「" + f.suggestion + "」" : " 已删除所在分句");
  }

  function flagsList(issues, compliance) {
    issues = issues || [];
    compliance = compliance || [];
    if (!issues.length && !compliance.length) return el("p", "flags-ok", "✓ 事实核对通过，未发现违规用语");
    const ul = el("ul", "flags");
    issues.forEach((i) => {
      const li = el("li");
      li.dataset.flag = "issue";
      li.dataset.type = i.type;
      li.appendChild(el("span", "badge badge-danger", ISSUE[i.type] || i.type));
      li.appendChild(el("span", "", issueText(i)));
      ul.appendChild(li);
    });
    compliance.forEach((f) => {
      const li = el("li");
      li.dataset.flag = "compliance";
      li.dataset.type = f.type;
      li.appendChild(el("span", "badge " + (f.in_text ? "badge-danger" : "badge-warn"), RULE[f.type] || f.type));
      li.appendChild(el("span", "", complianceText(f)));
      ul.appendChild(li);
    });
    return ul;
  }

  /* ---- generate ---------------------------------------------------------------------------- */

  function setupGenerator(refreshDrafts) {
    const form = $("#copy-form"), output = $("#copy-output"), meta = $("#copy-meta"), flags = $("#copy-flags");
    const errorBox = $("#copy-error"), actions = $("#copy-actions"), save = $("#copy-save"), saved = $("#copy-saved");
    const button = $("#copy-generate");
    let last = null;

    const pick = (preset, custom) => ($(custom).value.trim() || $(preset).value || null);

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const req = {
        sku: $("#copy-sku").value, kind: $("#copy-kind").value, lang: $("#copy-lang").value,
        audience: pick("#copy-audience-preset", "#copy-audience"), tone: pick("#copy-tone-preset", "#copy-tone"),
      };
      output.textContent = "";
      flags.textContent = "";
      actions.hidden = true;
      showIn(errorBox, "");
      showIn(saved, "");
      meta.textContent = "等待模型…";
      button.disabled = true;
      button.textContent = "生成中…";
      output.classList.add("streaming");
      last = null;
      let finished = false;
      try {
        const response = await call("POST", "/api/copy/generate", req, "text/event-stream");
        for await (const ev of studio.sseEvents(response)) {
          const data = ev.payload || {};
          if (ev.name === "meta") {
            meta.textContent = "生成中… · 模型 " + (data.model || "?");
          } else if (ev.name === "token") {
            output.textContent += data.text || "";
            output.scrollTop = output.scrollHeight;
          } else if (ev.name === "result") {
            finished = true;
            output.textContent = data.text;  // checked, shaped and rewritten: replaces the streamed draft
            flags.appendChild(flagsList(data.issues, data.compliance));
            const secs = typeof data.seconds === "number" ? data.seconds.toFixed(1) : "?";
            meta.textContent = (KIND[req.kind] || req.kind) + " · " + data.text.length + " 字 · 模型 " + (data.model || "?")
              + " · 用时 " + secs + " 秒" + (data.attempts > 1 ? " · 重写 " + (data.attempts - 1) + " 次" : "");
            last = { ...req, text: data.text, model: data.model || "" };
            actions.hidden = false;
            save.disabled = false;
          } else if (ev.name === "error") {
            finished = true;
            showIn(errorBox, "生成失败：" + ((data.error && data.error.message) || "未知错误"));
            meta.textContent = "";
          }
        }
        if (!finished) { showIn(errorBox, "连接在生成完成前中断了。"); meta.textContent = ""; }
      } catch (e) {
        showIn(errorBox, e.message);
        meta.textContent = "";
      } finally {
        output.classList.remove("streaming");
        button.disabled = false;
        button.textContent = "生成";
      }
    });

    save.addEventListener("click", async () => {
      if (!last) return;
      save.disabled = true;
      showIn(errorBox, "");
      try {
        const draft = await (await call("POST", "/api/copy/drafts", last)).json();
        showIn(saved, "✓ 已保存为草稿 #" + draft.id);
        await refreshDrafts("pending");
      } catch (e) {
        save.disabled = false;
        showIn(errorBox, "保存失败：" + e.message);
      }
    });
  }

  /* ---- drafts ------------------------------------------------------------------------------- */

  function setupDrafts() {
    const list = $("#draft-list"), empty = $("#drafts-empty"), errorBox = $("#drafts-error");
    const tabs = $("#draft-tabs"), jobBox = $("#draft-job");
    const state = { status: "pending", job: new URLSearchParams(location.search).get("job") || "" };

    function setTab(status) {
      state.status = status;
      tabs.querySelectorAll("button.tab").forEach((b) => b.classList.toggle("tab-active", b.dataset.status === status));
    }

    function draftItem(d) {
      const item = el("article", "draft");
      item.dataset.draft = d.id;
      item.dataset.status = d.status;
      const head = el("div", "draft-head");
      if (d.status === "pending") {
        const pick = el("input");
        pick.type = "checkbox";
        pick.value = d.id;
        pick.dataset.role = "pick";
        pick.setAttribute("aria-label", "选择草稿 #" + d.id);
        head.appendChild(pick);
      }
      head.appendChild(el("strong", "", "#" + d.id));
      head.appendChild(el("span", "badge", KIND[d.kind] || d.kind));
      head.appendChild(el("span", "badge " + (STATUS_BADGE[d.status] || ""), STATUS[d.status] || d.status));
      head.lastChild.dataset.role = "status";
      head.appendChild(el("code", "", d.sku));
      if (d.audience) head.appendChild(el("span", "badge badge-info", "人群：" + d.audience));
      if (d.tone) head.appendChild(el("span", "badge badge-info", "语气：" + d.tone));
      if (d.status === "pending" && d.open_issues > 0) {
        head.appendChild(el("span", "badge badge-danger", d.open_issues + " 个问题待处理"));
        head.lastChild.dataset.role = "open-issues";
      }
      const when = (d.updated_at || d.created_at || "").slice(0, 16).replace("T", " ");
      const who = d.decided_by ? " · " + d.decided_by.replace(/^user:/, "") : "";
      head.appendChild(el("span", "muted small", when + (d.job_id ? " · 批量 " + d.job_id.slice(0, 8) : "") + who));
      item.appendChild(head);
      const text = el("p", "copy-text", d.text);
      text.dataset.role = "text";
      item.appendChild(text);
      item.appendChild(flagsList(d.issues, d.compliance));
      if (d.status === "pending") item.appendChild(draftActions(d, item));
      return item;
    }

    function draftActions(d, item) {
      const row = el("div", "form-row");
      const edit = el("button", "btn", "编辑");
      const approve = el("button", "btn btn-primary", "通过");
      const reject = el("button", "btn btn-danger", "驳回");
      [edit, approve, reject].forEach((b) => { b.type = "button"; });
      edit.dataset.action = "edit";
      approve.dataset.action = "approve";
      reject.dataset.action = "reject";
      row.appendChild(el("div", "spacer"));
      row.append(edit, reject, approve);
      approve.addEventListener("click", () => {
        if (d.open_issues > 0) confirmApprove(d, item, row);
        else decide(d.id, "approve");
      });
      reject.addEventListener("click", () => decide(d.id, "reject"));
      edit.addEventListener("click", () => startEdit(d, item, row));
      return row;
    }

    /* A draft with open issues is approved only after the reviewer says they read every one. */
    function confirmApprove(d, item, row) {
      if ($('[data-role="confirm"]', item)) return;
      const box = el("div", "notice notice-warn draft-confirm");
      box.dataset.role = "confirm";
      box.appendChild(el("strong", "", "这条草稿还有 " + d.open_issues + " 个未处理的问题（见上方列表），确定仍然通过吗？"));
      const label = el("label", "draft-ack");
      const check = el("input");
      check.type = "checkbox";
      check.dataset.role = "ack";
      label.append(check, el("span", "", "我已逐条阅读这些问题，确认文案可以使用"));
      const bar = el("div", "form-row");
      const cancel = el("button", "btn btn-ghost", "取消");
      const ok = el("button", "btn btn-primary", "确认通过");
      cancel.type = ok.type = "button";
      ok.dataset.action = "confirm-approve";
      ok.disabled = true;
      check.addEventListener("change", () => { ok.disabled = !check.checked; });
      bar.append(el("span", "muted small", "也可以先“编辑”修改，问题消除后直接通过"), el("div", "spacer"), cancel, ok);
      box.append(label, bar);
      item.insertBefore(box, row);
      row.hidden = true;
      cancel.addEventListener("click", () => { box.remove(); row.hidden = false; });
      ok.addEventListener("click", () => decide(d.id, "approve", { acknowledge_issues: true }));
    }

    function startEdit(d, item, row) {
      const text = $('[data-role="text"]', item);
      const area = el("textarea");
      area.rows = Math.min(12, Math.max(4, Math.ceil(d.text.length / 40) + 1));
      area.maxLength = 4000;
      area.value = d.text;
      area.dataset.role = "edit";
      text.replaceWith(area);
      row.hidden = true;
      const bar = el("div", "form-row");
      const cancel = el("button", "btn btn-ghost", "取消");
      const ok = el("button", "btn btn-primary", "保存修改");
      cancel.type = ok.type = "button";
      ok.dataset.action = "save-edit";
      bar.append(el("span", "muted small", "保存后会重新核对商品事实和广告法用语"), el("div", "spacer"), cancel, ok);
      item.insertBefore(bar, row);
      area.focus();
      cancel.addEventListener("click", () => load());
      ok.addEventListener("click", async () => {
        ok.disabled = true;
        try {
          await call("PATCH", "/api/copy/drafts/" + d.id, { text: area.value });
          await load();
        } catch (e) { ok.disabled = false; showIn(errorBox, "保存失败：" + e.message); }
      });
    }

    async function decide(id, action, body) {
      showIn(errorBox, "");
      let failed = null;
      try { await call("POST", "/api/copy/drafts/" + id + "/" + action, body); } catch (e) { failed = e.message; }
      await load();
      if (failed) showIn(errorBox, failed);
    }

    /* ---- bulk review: tick drafts, approve those without open issues --------------------- */

    const bulk = $("#draft-bulk"), bulkAll = $("#draft-bulk-all"), bulkGo = $("#draft-bulk-approve");
    const bulkMsg = $("#draft-bulk-msg");

    function selected() {
      return Array.from(list.querySelectorAll('input[data-role="pick"]:checked')).map((c) => Number(c.value));
    }

    function updateBulk() {
      const n = selected().length;
      bulkGo.disabled = n === 0;
      bulkGo.textContent = n ? "通过所选中无问题的草稿（" + n + "）" : "通过所选中无问题的草稿";
    }

    bulkAll.addEventListener("change", () => {
      list.querySelectorAll('input[data-role="pick"]').forEach((c) => { c.checked = bulkAll.checked; });
      updateBulk();
    });
    list.addEventListener("change", (ev) => { if (ev.target.dataset.role === "pick") updateBulk(); });
    bulkGo.addEventListener("click", async () => {
      const ids = selected();
      if (!ids.length) return;
      bulkGo.disabled = true;
      showIn(errorBox, "");
      try {
        const out = await (await call("POST", "/api/copy/drafts/bulk-approve", { ids })).json();
        await load();
        const skipped = out.skipped.length ? "；" + out.skipped.length + " 条有未处理的问题或已审核，留待逐条审核" : "";
        showIn(bulkMsg, "已通过 " + out.approved.length + " 条" + skipped);
      } catch (e) {
        showIn(errorBox, e.message);
        updateBulk();
      }
    });

    async function load() {
      const params = new URLSearchParams({ status: state.status });
      if (state.job) params.set("job_id", state.job);
      jobBox.hidden = !state.job;
      $("#draft-job-id").textContent = state.job.slice(0, 8);
      try {
        const data = await (await call("GET", "/api/copy/drafts?" + params)).json();
        list.textContent = "";
        data.drafts.forEach((d) => list.appendChild(draftItem(d)));
        empty.hidden = data.drafts.length > 0;
        bulk.hidden = !data.drafts.some((d) => d.status === "pending");
        bulkAll.checked = false;
        showIn(bulkMsg, "");
        updateBulk();
        Object.entries(data.counts || {}).forEach(([st, n]) => {
          const c = tabs.querySelector('[data-count="' + st + '"]');
          if (c) c.textContent = n;
        });
        showIn(errorBox, "");
      } catch (e) { showIn(errorBox, "无法读取草稿：" + e.message); }
    }

    tabs.addEventListener("click", (ev) => {
      const b = ev.target.closest("button.tab");
      if (!b) return;
      setTab(b.dataset.status);
      load();
    });
    $("#draft-job-clear").addEventListener("click", () => { state.job = ""; load(); });
    if (state.job) setTab("all");
    load();

    return {
      load,
      show: async (status, job) => {
        if (job !== undefined) state.job = job;
        setTab(status);
        await load();
      },
    };
  }

  /* ---- batch -------------------------------------------------------------------------------- */

  function setupBatch(drafts) {
    const form = $("#batch-form"), errorBox = $("#batch-error"), box = $("#batch-progress");
    const bar = $("#batch-bar"), badge = $("#batch-status"), counts = $("#batch-counts"), link = $("#batch-link");
    const start = $("#batch-start"), resume = $("#batch-resume");
    let timer = null, jobId = null;

    function follow(id) {
      jobId = id;
      box.hidden = false;
      box.dataset.job = jobId;
      link.href = "/copy?job=" + encodeURIComponent(jobId) + "#drafts";
      if (timer) clearInterval(timer);
      timer = setInterval(poll, POLL_MS);
    }

    function show(job) {
      resume.hidden = !(job.status === "interrupted" || job.status === "failed");
      start.disabled = job.status === "running";
      const handled = job.done + job.failed;
      bar.style.width = (job.total ? Math.round(100 * handled / job.total) : 0) + "%";
      badge.textContent = JOB_STATUS[job.status] || job.status;
      badge.dataset.status = job.status;
      badge.className = "badge " + (job.status === "done" ? "badge-ok" : job.status === "failed" ? "badge-danger" : "badge-warn");
      counts.textContent = "已生成 " + job.done + " / " + job.total + (job.failed ? " · 失败 " + job.failed : "")
        + (job.error ? " · " + job.error : "");
    }

    async function poll() {
      if (!jobId) return;
      try {
        const job = await (await call("GET", "/api/copy/batch/" + jobId)).json();
        show(job);
        if (job.status !== "running") {
          clearInterval(timer);
          timer = null;
          start.disabled = false;
          await drafts.load();
        }
      } catch (e) { showIn(errorBox, e.message); }
    }

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      showIn(errorBox, "");
      // sent as typed (empty means no limit): the server says in Chinese what is wrong with 0 or 5000
      const limitText = $("#batch-limit").value.trim();
      const req = {
        kind: $("#batch-kind").value, category: $("#batch-category").value || null,
        audience: $("#batch-audience").value.trim() || null, limit: limitText ? Number(limitText) : null,
      };
      start.disabled = true;
      try {
        const job = await (await call("POST", "/api/copy/batch", req)).json();
        follow(job.job_id);
        show({ status: "running", total: job.total, done: 0, failed: 0 });
      } catch (e) {
        start.disabled = false;
        showIn(errorBox, e.message);
      }
    });

    /* A batch outlives the page and the server: the newest one is shown again on load, and one
       a stopped server left behind (已中断) or that failed goes on from where it stopped. */
    resume.addEventListener("click", async () => {
      if (!jobId) return;
      showIn(errorBox, "");
      resume.disabled = true;
      try {
        await call("POST", "/api/copy/batch/" + encodeURIComponent(jobId) + "/resume");
        follow(jobId);
        await poll();
      } catch (e) {
        showIn(errorBox, e.message);
      } finally {
        resume.disabled = false;
      }
    });

    (async () => {
      try {
        const latest = (await (await call("GET", "/api/copy/batch?limit=1")).json()).jobs[0];
        if (!latest || latest.status === "done") return;
        follow(latest.job_id);
        show(latest);
        if (latest.status !== "running") { clearInterval(timer); timer = null; }
      } catch (e) { showIn(errorBox, e.message); }
    })();

    link.addEventListener("click", (ev) => {
      if (!jobId) return;
      ev.preventDefault();
      drafts.show("all", jobId).then(() => $("#drafts").scrollIntoView({ behavior: "smooth" }));
    });
  }

  function ready() {
    if (!$("#copy-studio")) return;
    const drafts = setupDrafts();
    setupGenerator((status) => drafts.show(status));
    setupBatch(drafts);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
