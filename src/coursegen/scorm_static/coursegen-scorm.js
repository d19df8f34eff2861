/* coursegen SCORM 1.2 runtime: only in pages of a SCORM package. Finds the LMS API the
   standard way (parent frames, then the opener and its parents), initialises the session,
   marks pages without a quiz as completed, lets the quiz report score, status and progress,
   and finishes the session when the page goes away. Without an LMS it does nothing. */
(function () {
  "use strict";
  function search(win) {
    for (var i = 0; win && i < 500; i++) {
      try { if (win.API) return win.API; } catch (e) { return null; }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = search(window.parent !== window ? window.parent : null) || (window.opener ? search(window.opener) : null);
  var live = false, finished = false;
  var scorm = {
    active: function () { return live; },
    get: function (el) { return live ? String(api.LMSGetValue(el)) : ""; },
    set: function (el, value) { if (live) api.LMSSetValue(el, String(value)); },
    commit: function () { if (live) api.LMSCommit(""); },
    finish: function () {
      if (live && !finished) { finished = true; api.LMSCommit(""); api.LMSFinish(""); }
    }
  };
  if (api && String(api.LMSInitialize("")) === "true") {
    live = true;
    var status = scorm.get("cmi.core.lesson_status");
    if (!document.querySelector(".cg-quiz")) {
      scorm.set("cmi.core.lesson_status", "completed");
    } else if (status === "not attempted" || status === "") {
      scorm.set("cmi.core.lesson_status", "incomplete");
    }
    scorm.commit();
    window.addEventListener("pagehide", scorm.finish);
    window.addEventListener("beforeunload", scorm.finish);
  }
  window.coursegenSCORM = scorm;
})();
