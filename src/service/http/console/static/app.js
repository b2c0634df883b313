// The live preview while a notice is written: the form as it stands, drawn by the server with
// the screens' own renderer for the chosen group, refreshed a moment after typing stops.
// The same for a group's playlist form (data-preview names where to ask). Everything else in
// the console works without JavaScript (the copy buttons only save a select and copy, the
// print button only opens the browser's own print dialog).
"use strict";

// Asks `url` for a PNG of the form as it stands, a moment after typing stops, and shows it in
// `image`, with what happened in `status`. `ok(response)` says what a picture shows.
function livePreview(form, url, image, status, extra, ok) {
  var timer = null;
  var shown = null;
  function refresh() {
    var data = new URLSearchParams(new FormData(form));
    extra(data);
    status.textContent = "正在生成预览……";
    sessionTouched();
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": data.get("csrf") || "" }
    }).then(function (response) {
      if (response.ok) {
        return response.blob().then(function (blob) {
          if (shown) URL.revokeObjectURL(shown);
          shown = URL.createObjectURL(blob);
          image.src = shown;
          status.textContent = ok(response);
        });
      }
      return response.text().then(function (text) {
        status.textContent = "暂时无法预览：" + text;
      });
    }).catch(function () {
      status.textContent = "预览失败：无法连接服务器";
    });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 800);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  return refresh;
}

// The notice form: the chosen group's screen, page 1.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("notice-form");
  var image = document.getElementById("preview-image");
  var status = document.getElementById("preview-status");
  var group = document.getElementById("preview-group");
  if (!form || !image || !status || !group) return;
  // Under a platform the console lives below /t/NAME, as the page's own stylesheet link says
  // (the service writes it so): the preview too.
  var sheet = document.querySelector('link[rel="stylesheet"]');
  var base = sheet ? sheet.getAttribute("href").split("/console/static/")[0] : "";
  var refresh = livePreview(form, base + "/console/preview", image, status,
    function (data) { data.set("preview_group", group.value); },
    function (response) {
      var pages = response.headers.get("X-Noticecast-Pages") || "1";
      return "第 1 页，共 " + pages + " 页（与屏幕上显示的相同）";
    });
  group.addEventListener("change", refresh);
  refresh();
});

// Off-hours (关屏时段, 06:30 开屏): the words over the picture come with it, percent-encoded
// (a header is ASCII); hidden while the screens are on. Hours typed in the form move them.
function showOff(response) {
  var label = document.getElementById("preview-off");
  if (!label) return;
  var off = response.headers.get("X-Noticecast-Off");
  label.textContent = off ? decodeURIComponent(off) : "";
  label.hidden = !off;
}

// The playlist form: what the group's screen shows now with the form as it stands.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("playlist-form");
  var image = document.getElementById("preview-image");
  var status = document.getElementById("preview-status");
  if (!form || !image || !status || !form.dataset.preview) return;
  var refresh = livePreview(form, form.dataset.preview, image, status,
    function () {},
    function (response) {
      showOff(response);
      return "按当前填写的内容，本组屏幕此刻的画面（尚未保存）";
    });
  // Shown again with problems: the preview says what stops it.
  if (form.querySelector(".field-error")) refresh();
});

// 复制: copies the text of the element a button names (data-copy), e.g. the report's paragraph.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      source.select();
      var done = function () { button.textContent = "已复制"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(source.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
});

// A session ends after 30 minutes without a request (sessions::SESSION_IDLE). Five minutes
// before, the page says so; a form sent after the end is kept by the service and given back
// after the next login, so nothing typed is lost either way.
var IDLE_MS = 30 * 60 * 1000;
var WARN_MS = 25 * 60 * 1000;
var idleTimers = [];
function sessionTouched() {
  idleTimers.forEach(clearTimeout);
  var old = document.getElementById("session-warning");
  if (old) old.remove();
  if (!document.querySelector("form input[name=csrf]")) return;
  function say(text) {
    var box = document.getElementById("session-warning");
    if (!box) {
      box = document.createElement("p");
      box.id = "session-warning";
      box.className = "notice session-warning";
      box.setAttribute("role", "alert");
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = text;
  }
  idleTimers = [
    setTimeout(function () {
      say("5 分钟后将因长时间未操作自动退出登录，请先保存草稿。" +
        "超时后提交的内容也会由系统代为保存，重新登录后可继续编辑。");
    }, WARN_MS),
    setTimeout(function () {
      say("登录已超时。现在提交，内容会由系统代为保存，重新登录后回到表单继续编辑。");
    }, IDLE_MS)
  ];
}
sessionTouched();

// 打印: the browser's print dialog for the page (the 公示证明); the style sheet's print rules
// leave out the console's header and buttons. A script file, not an onclick attribute: the
// console's Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
