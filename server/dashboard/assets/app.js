// NovaCron dashboard: the Plan and Apply buttons, and apply progress live
// from /ws/status. No framework, no build step; the pages work without it
// except for these actions. Everything shown comes from the server as
// text (textContent), never as HTML.
"use strict";
(function () {
  var byId = function (id) { return document.getElementById(id); };

  // post sends a mutating API request: same-origin cookie, and the
  // X-Nova-CSRF header the API requires of cookie-authenticated requests.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Nova-CSRF": "1" },
      body: JSON.stringify(body || {})
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) { throw new Error(apiMessage(data, resp.status)); }
        return data;
      });
    });
  }

  // apiMessage is the message of the API's JSON error body
  // {"error":{"code","message"}}.
  function apiMessage(data, status) {
    var e = data && data.error;
    if (e && typeof e === "object" && e.message) { return e.message; }
    if (typeof e === "string") { return e; }
    return "the server answered " + status;
  }

  function showError(err) {
    var el = byId("action-error");
    if (!el) { return; }
    el.textContent = err.message || String(err);
    el.hidden = false;
  }

  // Plan: ask the API for a plan of the workspace, then open it.
  function setupPlan() {
    var btn = byId("plan-button");
    if (!btn) { return; }
    btn.addEventListener("click", function () {
      btn.disabled = true;
      btn.textContent = "Planning…";
      post(btn.dataset.url, {}).then(function (plan) {
        window.location.assign(btn.dataset.next + encodeURIComponent(plan.id));
      }).catch(function (err) {
        btn.disabled = false;
        btn.textContent = "Plan";
        showError(err);
      });
    });
  }

  var statusText = {
    change_started: "running", change_retrying: "retrying", change_succeeded: "done",
    change_failed: "failed", change_skipped: "skipped"
  };

  // Live follows one run from /ws/status. Events that arrive before the
  // run's id is known (the Apply request is still answering) are kept and
  // replayed once it is.
  function Live(section) {
    this.section = section;
    this.runId = section.dataset.runId || "";
    this.early = [];
    this.finished = false;
    this.bar = byId("live-progress");
    this.count = byId("live-count");
    this.status = byId("live-status");
    this.log = byId("live-log");
    this.rows = {};
    var rows = document.querySelectorAll("tr[data-address]");
    for (var i = 0; i < rows.length; i++) {
      this.rows[rows[i].dataset.address] = rows[i].querySelector(".change-status");
    }
  }

  // connect opens the WebSocket; the promise resolves once it is open (or
  // failed: the run is then followed by polling the API).
  Live.prototype.connect = function () {
    var self = this;
    return new Promise(function (resolve) {
      var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      var ws;
      try {
        ws = new WebSocket(scheme + "//" + window.location.host + "/ws/status");
      } catch (e) {
        self.socketDown();
        resolve();
        return;
      }
      self.ws = ws;
      ws.addEventListener("open", function () { resolve(); });
      ws.addEventListener("message", function (m) { self.receive(m.data); });
      ws.addEventListener("close", function () { resolve(); self.socketDown(); });
    });
  };

  Live.prototype.receive = function (data) {
    var ev;
    try { ev = JSON.parse(data); } catch (e) { return; }
    if (!ev || !ev.run_id) { return; }
    if (!this.runId) {
      if (this.early.length < 10000) { this.early.push(ev); }
      return;
    }
    if (ev.run_id === this.runId) { this.apply(ev, "ws"); }
  };

  // follow starts showing run id, with the events already received.
  Live.prototype.follow = function (id) {
    this.runId = id;
    this.section.dataset.runId = id;
    this.section.hidden = false;
    var link = byId("live-run-link");
    if (link) { link.href = "/runs/" + encodeURIComponent(id); link.hidden = false; }
    var early = this.early;
    this.early = [];
    for (var i = 0; i < early.length; i++) {
      if (early[i].run_id === id) { this.apply(early[i], "ws"); }
    }
    if (this.down) { this.poll(); }
  };

  Live.prototype.apply = function (ev, source) {
    if (this.finished) { return; }
    if (ev.total > 0) {
      this.bar.max = ev.total;
      this.bar.value = ev.done;
      this.count.textContent = ev.done + " / " + ev.total;
    }
    var cell = ev.address && this.rows[ev.address];
    if (cell && statusText[ev.type]) {
      cell.textContent = statusText[ev.type] + (ev.error ? ": " + ev.error : "");
      cell.className = "change-status cs-" + statusText[ev.type];
    }
    if (ev.status) { this.setStatus(ev.status); }
    var li = document.createElement("li");
    li.dataset.done = ev.done;
    li.dataset.total = ev.total;
    li.dataset.source = source;
    li.textContent = ev.type + (ev.address ? " " + ev.address : "") + " " + ev.done + "/" + ev.total +
      (ev.error ? " — " + ev.error : "");
    this.log.appendChild(li);
    this.log.scrollTop = this.log.scrollHeight;
    if (ev.type === "run_finished") { this.finish(ev.status); }
  };

  Live.prototype.setStatus = function (s) {
    this.status.textContent = s;
    this.status.className = "run-status st-" + s;
  };

  Live.prototype.finish = function (status) {
    this.finished = true;
    this.setStatus(status || "finished");
    this.section.dataset.finished = "true";
    if (this.ws) { this.ws.close(); }
  };

  // socketDown: without the stream, the run's end is read from the API.
  Live.prototype.socketDown = function () {
    this.down = true;
    if (this.runId && !this.finished) { this.poll(); }
  };

  Live.prototype.poll = function () {
    var self = this;
    if (self.polling || self.finished) { return; }
    self.polling = true;
    fetch("/api/v1/runs/" + encodeURIComponent(self.runId) + "?wait=30s", { credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (run) {
        self.polling = false;
        if (!run) { self.setStatus("unknown (the status stream closed)"); return; }
        if (run.status === "succeeded" || run.status === "failed") {
          self.bar.value = self.bar.max;
          self.finish(run.status);
        } else {
          self.setStatus(run.status);
          self.poll();
        }
      })
      .catch(function () { self.polling = false; self.setStatus("unknown (the status stream closed)"); });
  };

  // Apply: open the stream first, so no event of the run is missed, then
  // ask the API to apply the plan with its digest.
  function setupApply(live) {
    var btn = byId("apply-button");
    if (!btn || !live) { return; }
    var ready = live.connect();
    btn.addEventListener("click", function () {
      btn.disabled = true;
      btn.textContent = "Applying…";
      live.section.hidden = false;
      live.setStatus("starting");
      ready.then(function () {
        return post(btn.dataset.url, { digest: btn.dataset.digest });
      }).then(function (run) {
        live.follow(run.id);
        btn.textContent = "Applied";
      }).catch(function (err) {
        btn.disabled = false;
        btn.textContent = "Apply";
        live.setStatus("not started");
        showError(err);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupPlan();
    var section = byId("live");
    var live = section ? new Live(section) : null;
    if (byId("apply-button")) {
      setupApply(live);
    } else if (live && live.runId) {
      // A run in progress (the run page): follow it.
      // The stream shows each change as it happens; the long poll of the
      // API ends the page's wait should the run finish before the stream
      // is open.
      live.follow(live.runId);
      live.connect().then(function () { live.poll(); });
    }
  });
})();
