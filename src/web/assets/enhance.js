// The site's only script, served as /static/enhance.<hash>.js and allowed by the CSP by its hash
// (script-src 'sha256-…', with the same hash as the tag's integrity). Every page works without
// it; it adds two conveniences: copy buttons, and `/` to focus the search box.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="id-of-the-element-whose-text-to-copy" hidden>. Shown only
  // here, where they can work; the result is announced in the button's status element.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent.trim()).then(
        function () {
          if (status) status.textContent = "Copied to the clipboard";
        },
        function () {
          if (status) status.textContent = "Could not copy: select the text and copy it";
        },
      );
    });
  });

  // `/` focuses the search box, unless the reader is typing somewhere already.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var search = document.getElementById("search-input");
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  });
})();
