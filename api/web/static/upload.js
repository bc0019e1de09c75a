// Upload page: drag and drop, one request per file, then a progress line polled from the job.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var list = document.getElementById("progress");
  var ERRORS = JSON.parse(list.getAttribute("data-errors") || "{}");
  var STATES = { queued: "Đang chờ xử lý", running: "Đang xử lý", done: "Xong", failed: "Lỗi" };

  function say(code, detail) {
    return ERRORS[code] || detail || ERRORS.E000;
  }

  function line(name) {
    var li = document.createElement("li");
    li.className = "job";
    var n = document.createElement("span"); n.className = "name"; n.textContent = name;
    var bar = document.createElement("progress"); bar.className = "bar"; bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", "Tiến độ " + name);
    var st = document.createElement("span"); st.className = "state"; st.textContent = "Đang tải lên…";
    li.appendChild(n); li.appendChild(bar); li.appendChild(st);
    list.appendChild(li);
    return li;
  }

  function state(li, text, cls) {
    li.querySelector(".state").textContent = text;
    if (cls) { li.className = "job " + cls; }
  }

  function poll(li, jobId) {
    fetch("/ui/jobs/" + encodeURIComponent(jobId), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (b) { return [r, b]; }); })
      .then(function (rb) {
        var r = rb[0], job = rb[1], bar = li.querySelector("progress");
        if (!r.ok) { state(li, say(job.code, job.detail), "failed"); return; }
        li.setAttribute("data-job", job.id);
        var pages = job.pages_total ? (job.pages_done + "/" + job.pages_total + " trang") : (job.pages_done + " trang");
        if (job.pages_total) { bar.value = Math.round(100 * job.pages_done / job.pages_total); }
        if (job.state === "done") {
          bar.value = 100;
          state(li, "Xong: " + (job.pages || job.pages_done) + " trang, " + (job.obligations || 0) + " nhiệm vụ", "done");
          var a = document.createElement("a"); a.href = job.document_url; a.textContent = "Mở văn bản";
          li.appendChild(a);
        } else if (job.state === "failed") {
          state(li, "Lỗi " + (job.error_code || "") + ": " + say(job.error_code, job.error_message), "failed");
        } else {
          state(li, STATES[job.state] + " · " + pages, job.state);
          setTimeout(function () { poll(li, jobId); }, 700);
        }
      })
      .catch(function () { setTimeout(function () { poll(li, jobId); }, 2000); });
  }

  function send(file) {
    var li = line(file.name);
    var data = new FormData(); data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/ui/upload");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { state(li, "Đang tải lên " + Math.round(100 * e.loaded / e.total) + "%"); }
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 401) { state(li, say("E401"), "failed"); return; }
      if (xhr.status >= 400) { state(li, "Lỗi " + (body.code || xhr.status) + ": " + say(body.code, body.detail), "failed"); return; }
      var item = (body.items || [])[0] || {};
      if (item.error) { state(li, "Lỗi " + item.error.code + ": " + item.error.message, "failed"); return; }
      state(li, item.created ? "Đã nhận, đang chờ xử lý" : "Văn bản này đã có trong kho", "queued");
      poll(li, item.job_id);
    };
    xhr.onerror = function () { state(li, "Mất kết nối tới máy chủ khi tải lên.", "failed"); };
    xhr.send(data);
  }

  function sendAll(files) { Array.prototype.forEach.call(files, send); }

  input.addEventListener("change", function () { sendAll(input.files); input.value = ""; });
  form.addEventListener("submit", function (e) { e.preventDefault(); sendAll(input.files); });
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) { if (e.dataTransfer) { sendAll(e.dataTransfer.files); } });
  // lines rendered by the server (a plain form post) keep polling too
  Array.prototype.forEach.call(list.querySelectorAll("li[data-job]"), function (li) {
    if (!li.querySelector("progress")) {
      var bar = document.createElement("progress"); bar.className = "bar"; bar.max = 100; bar.value = 0;
      li.insertBefore(bar, li.querySelector(".state"));
    }
    poll(li, li.getAttribute("data-job"));
  });
})();
