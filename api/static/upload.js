/* Drag-and-drop upload with progress, on top of the plain form (which works without JavaScript).
 * Sends the files to POST /api/uploads (session cookie + CSRF header), shows the bytes going up,
 * then polls GET /api/tasks/{id} and lists what happened to each file. No build step, no library. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector("input[type=file]");
  var zone = document.getElementById("dropzone");
  var chosen = document.getElementById("chosen");
  var area = document.getElementById("progress-area");
  var statusLine = document.getElementById("upload-status");
  var bar = document.getElementById("upload-progress");
  var results = document.getElementById("upload-results");
  var STATUS = JSON.parse(form.dataset.outcomes || "{}");  /* the message catalogue's words, from the page */
  var NOTE = JSON.parse(form.dataset.notes || "{}");
  var files = [];

  zone.hidden = false;
  input.required = false;

  function text(el, value) { el.textContent = value; return el; }

  function showChosen() {
    chosen.innerHTML = "";
    files.forEach(function (file) {
      chosen.appendChild(text(document.createElement("li"), file.name + "（" + file.size + " 字节）"));
    });
  }

  function add(list) {
    for (var i = 0; i < list.length; i++) { files.push(list[i]); }
    showChosen();
  }

  input.addEventListener("change", function () { add(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (kind) {
    zone.addEventListener(kind, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (kind) {
    zone.addEventListener(kind, function (event) { event.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files) { add(event.dataTransfer.files); }
  });

  function errorText(xhr) {
    try {
      var error = JSON.parse(xhr.responseText).error;
      return (error.subject && error.subject.suggestion) ? "没有这个项目。" + error.subject.suggestion : "请求未能完成（" + xhr.status + "）";
    } catch (e) { return "请求未能完成（" + xhr.status + "）"; }
  }

  function row(line) {
    var tr = document.createElement("tr");
    var name = line.path.split("/").pop();
    var cell = document.createElement("td");
    if (line.document_id) {
      var link = text(document.createElement("a"), name);
      link.href = "/documents/" + encodeURIComponent(line.document_id);
      cell.appendChild(link);
    } else {
      text(cell, name);
    }
    tr.appendChild(cell);
    tr.appendChild(text(document.createElement("td"), STATUS[line.status] || line.status));
    tr.appendChild(text(document.createElement("td"), NOTE[line.status] || ""));
    tr.dataset.status = line.status;
    return tr;
  }

  function poll(taskId) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/api/tasks/" + encodeURIComponent(taskId));
    xhr.onload = function () {
      if (xhr.status !== 200) { text(statusLine, "无法读取任务状态：" + errorText(xhr)); return; }
      var task = JSON.parse(xhr.responseText);
      if (task.state === "pending" || task.state === "running") {
        text(statusLine, "已上传，正在入库……");
        window.setTimeout(function () { poll(taskId); }, 700);
        return;
      }
      if (task.state === "failed") { text(statusLine, "入库失败，详情见服务器日志"); return; }
      var counts = task.report.counts;
      text(statusLine, "完成：入库 " + counts.ingested + "，重复 " + counts.duplicate + "，隔离 " + counts.quarantined);
      statusLine.dataset.done = "true";
      var body = results.querySelector("tbody");
      body.innerHTML = "";
      task.report.files.forEach(function (line) { body.appendChild(row(line)); });
      results.hidden = false;
      files = [];
      showChosen();
    };
    xhr.onerror = function () { text(statusLine, "网络错误，请刷新后查看"); };
    xhr.send();
  }

  form.addEventListener("submit", function (event) {
    if (!files.length) { return; } /* nothing collected: let the browser post the plain form */
    event.preventDefault();
    var data = new FormData();
    files.forEach(function (file) { data.append("files", file, file.name); });
    data.append("project", form.querySelector("[name=project]").value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    xhr.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf]").value);
    area.hidden = false;
    results.hidden = true;
    delete statusLine.dataset.done;
    bar.value = 0;
    text(statusLine, "正在上传……");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    };
    xhr.onload = function () {
      if (xhr.status !== 202) { text(statusLine, "上传失败：" + errorText(xhr)); return; }
      bar.value = 100;
      poll(JSON.parse(xhr.responseText).id);
    };
    xhr.onerror = function () { text(statusLine, "网络错误：上传没有完成"); };
    xhr.send(data);
  });
}());
