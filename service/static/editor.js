// The query editor: YASGUI on this service's endpoint, with the research queries as examples
// and a shareable link (/editor?query=...) to whatever is in the editor.
(function () {
  "use strict";
  function start() {
    var examples = JSON.parse(document.getElementById("examples-data").textContent);
    var initial = JSON.parse(document.getElementById("initial-query").textContent);
    var endpoint = window.location.origin + "/sparql";
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      persistenceId: null,
    });
    var tab = yasgui.getTab();
    var editor = tab.getYasqe();
    if (initial) {
      editor.setValue(initial);
    } else if (examples.length) {
      editor.setValue(examples[0].text);
    }
    var select = document.getElementById("example");
    var share = document.getElementById("share");
    function updateShare() {
      share.href = "/editor?query=" + encodeURIComponent(editor.getValue());
    }
    select.addEventListener("change", function () {
      var chosen = examples.find(function (e) { return e.name === select.value; });
      if (chosen) {
        editor.setValue(chosen.text);
        updateShare();
      }
    });
    editor.on("change", updateShare);
    updateShare();
    window.policykgEditor = { yasgui: yasgui, editor: editor };
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
