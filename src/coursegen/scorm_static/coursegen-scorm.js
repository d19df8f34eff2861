/* coursegen SCORM 1.2 runtime: only in pages of a SCORM package. Finds the LMS API the
   standard way (parent frames, then the opener and its parents), initialises the session,
   marks pages without a quiz as completed, lets the quiz report score, status and progress,
   and finishes the session when the page goes away. Without an LMS it does nothing.
   Every page is a SCO of its own, but its menu and its links lead to the others: a page
   reached so is not the SCO the LMS launched, and reports nothing, or it would report to
   that SCO's session; its quiz says so. Every page of the package, as it goes, leaves its
   address in the tab's sessionStorage ("left"): a page whose referrer is that address (a
   link, the search box, a script), or another page of the package than the LMS's own (one
   left before its scripts ran leaves no address), or that history brings back after it (Back), is
   followed (the page that left last too, when Back brings it back before the next page
   ran, if a page of the package led to it); so is one that a click on a link of the
   package marked, for a policy that
   leaves the referrer out. The LMS's own page (its menu launching another SCO), wherever it
   is, is no page of the package: what it launches reports; and so does the page that Back
   brings back in the frame of a new life of the LMS's page (one that started after the page
   that left last had loaded), when it is the page that frame's own address names: the
   LMS's page launched it again. A page the frame shows otherwise (its history restored),
   or in a window the LMS opened, is followed as before. */
(function () {
  "use strict";
  function search(win) {  /* the window that holds the API */
    for (var i = 0; win && i < 500; i++) {
      try { if (win.API) return win; } catch (e) { return null; }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var KEY = "coursegen:followed", LEFT = "coursegen:left", here = document.currentScript ? document.currentScript.src : "";
  var root = here.replace(/_static\/coursegen-scorm\.js(\?.*)?$/, ""), page = location.href.split("#")[0];
  var from = document.referrer.split("#")[0], followed = false;
  function recent(key) {
    var mark = JSON.parse(sessionStorage.getItem(key) || "null");
    return mark && Date.now() - mark.at < 30 * 60000 ? mark : null;
  }
  function started(win) {  /* when a window's page started loading, in ms since 1970 */
    try { return win.performance.timeOrigin || win.performance.timing.navigationStart || 0; } catch (e) { return 0; }
  }
  function framed() {  /* whether this page is the one its frame's address names */
    try { return !!window.frameElement && String(window.frameElement.src).split("#")[0] === page; } catch (e) { return false; }
  }
  var holder = search(window.parent !== window ? window.parent : null) || (window.opener ? search(window.opener) : null);
  var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var back = !!nav && nav.type === "back_forward", inside = root !== here && from.indexOf(root) === 0;
  var lmsPage = "";  /* the LMS's own page, which may be inside the package (a player beside the manifest) */
  try { lmsPage = holder ? String(holder.location.href).split("#")[0] : ""; } catch (e) { /* another origin */ }
  try {
    /* the pages' stand-in for storage that the browser refuses (sphinx_templates/coursegen-storage.html)
       keeps nothing from one page to the next: as no storage at all */
    if (window.coursegenStorage === "memory") throw new Error("no storage");
    var mark = recent(LEFT), left = mark ? mark.url : "", clicked = recent(KEY);
    // brought back in the frame of a new life of the LMS's page, which names it: launched again
    var again = !!holder && holder === window.parent && !!mark && started(holder) > (mark.loaded || Infinity) && framed();
    // Back to the page that left last, the next one never having run (Back pressed at once
    // on a slow page), is followed when a page of the package led to it; the page the LMS
    // launched, brought back with the LMS's page (Back after leaving the LMS), is not
    // a page of the package that led here (whose scripts may not have run: it left no address)
    followed = (!!clicked && clicked.url === page) || (inside && !back && from !== page && from !== lmsPage) ||
      (!!left && (left !== page ? from === left || (back && !again) : back && inside && from !== page));
    sessionStorage.removeItem(KEY);
  } catch (e) {
    /* no sessionStorage (a sandboxed frame, site data refused): a page of the package that
       led here tells, but not the LMS's own page (a player beside the manifest launches
       from inside the package); a page Back brings back reports only in the frame whose
       address names it (the browser restores another page in it, the LMS's menu sets it to
       another SCO), and never in a window the LMS opened */
    followed = (inside && from !== page && from !== lmsPage) || (back && !framed());
  }
  function store(key, url, loaded) {
    try { sessionStorage.setItem(key, JSON.stringify({ url: url, at: Date.now(), loaded: loaded })); } catch (e) { /* as above */ }
  }
  window.addEventListener("pagehide", function () { store(LEFT, page, started(window)); });
  window.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    var url = a ? a.href.split("#")[0] : "";
    var elsewhere = e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey ||
      (a && ((a.target && a.target !== "_self") || a.hasAttribute("download")));
    if (!elsewhere && root !== here && url.indexOf(root) === 0 && url !== page) store(KEY, url);
  });
  var lms = holder ? holder.API : null;
  var api = followed ? null : lms;
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
  if (followed && lms) {
    document.addEventListener("DOMContentLoaded", function () {
      var quiz = document.querySelector(".cg-quiz");
      if (!quiz) return;
      var note = document.createElement("p");
      note.className = "cg-scorm-note";
      note.setAttribute("role", "note");
      note.textContent = document.documentElement.lang.indexOf("fr") === 0
        ? "Votre plateforme n'enregistre ce quiz que si vous ouvrez cette page depuis le menu du cours de la plateforme."
        : "Your platform records this quiz only when you open this page from the platform's course menu.";
      quiz.parentNode.insertBefore(note, quiz);
    });
  }
  window.coursegenSCORM = scorm;
})();
