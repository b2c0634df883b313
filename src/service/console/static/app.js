// The live preview while a notice is written: the form as it stands, drawn by the server with
// the screens' own renderer for the chosen group, refreshed a moment after typing stops.
// Everything else in the console works without JavaScript (the copy buttons only save a select
// and copy).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("notice-form");
  var image = document.getElementById("preview-image");
  var status = document.getElementById("preview-status");
  var group = document.getElementById("preview-group");
  if (!form || !image || !status || !group) return;
  var timer = null;
  var shown = null;
  function refresh() {
    var data = new URLSearchParams(new FormData(form));
    data.set("preview_group", group.value);
    status.textContent = "正在生成预览……";
    fetch("/console/preview", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": data.get("csrf") || "" }
    }).then(function (response) {
      if (response.ok) {
        var pages = response.headers.get("X-Noticecast-Pages") || "1";
        return response.blob().then(function (blob) {
          if (shown) URL.revokeObjectURL(shown);
          shown = URL.createObjectURL(blob);
          image.src = shown;
          status.textContent = "第 1 页，共 " + pages + " 页（与屏幕上显示的相同）";
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
  group.addEventListener("change", refresh);
  refresh();
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
