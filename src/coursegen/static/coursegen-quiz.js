/* coursegen quiz widget: grades self-check questions in the page, with no network and no
   framework. The rules mirror coursegen.grading (Python); tests/vectors.yml proves them equal.
   The key is shipped as salted SHA-256 digests and the feedback XOR-masked: not readable in
   the page source, but recoverable by anyone who runs this code. Self-check only. */
(function () {
  "use strict";
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  function ror(x, n) { return (x >>> n) | (x << (32 - n)); }
  function sha256(text) {
    var bytes = new TextEncoder().encode(text), len = bytes.length;
    var m = new Uint8Array(((len + 9 + 63) >> 6) * 64), dv = new DataView(m.buffer);
    m.set(bytes); m[len] = 0x80;
    dv.setUint32(m.length - 4, (len * 8) >>> 0); dv.setUint32(m.length - 8, Math.floor(len / 536870912));
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64), i, off;
    for (off = 0; off < m.length; off += 64) {
      for (i = 0; i < 16; i++) w[i] = dv.getUint32(off + i * 4);
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        w[i] = (w[i - 16] + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + w[i - 7] + (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10))) | 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    var out = new Uint8Array(32), odv = new DataView(out.buffer);
    for (i = 0; i < 8; i++) odv.setUint32(i * 4, H[i] >>> 0);
    return out;
  }
  function hex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s;
  }
  function digest(parts) { return hex(sha256(parts.join("|"))).slice(0, 16); }
  function unmask(salt, id, kind, masked, part) {
    var data = Uint8Array.from(atob(masked), function (ch) { return ch.charCodeAt(0); });
    var out = new Uint8Array(data.length), block = null;
    for (var i = 0; i < data.length; i++) {
      if (i % 32 === 0) block = sha256([salt, id, kind, part || "", String(i / 32)].join("|"));
      out[i] = data[i] ^ block[i % 32];
    }
    return new TextDecoder().decode(out);
  }
  function normalise(text) {  /* as grading.normalise: an article before the answer dropped too */
    var words = text.normalize("NFKD").toLowerCase().replace(/\./g, "").replace(/\p{M}/gu, "")
      .replace(/[^\p{L}\p{N}_]+/gu, " ").trim().replace(/ +/g, " ");
    var article = /^(?:de la|de l|l|le|la|les|the) (?=\p{L})/u.exec(words);
    return article ? words.slice(article[0].length) : words;
  }
  function isEmpty(r) {
    return r === null || r === undefined || r === "" ||
      (Array.isArray(r) && r.length === 0) || (typeof r === "object" && !Array.isArray(r) && Object.keys(r).length === 0);
  }
  function unfit(r) { return isEmpty(r) ? "empty" : "unfit"; }
  function ids(list) { return (list || []).map(function (x) { return x.id; }); }

  /* a numeric answer's number, as the page's language writes it (null: none). In English,
     "2,025" and "18,000" are thousands (grading.THOUSANDS); in French, decimals */
  function numberOf(response, lang) {
    if (typeof response === "number") return isFinite(response) ? response : null;
    if (typeof response !== "string") return null;
    if (!/^fr/.test(lang || "en") && /^\s*[-+]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?\s*$/.test(response)) response = response.replace(/,/g, "");
    if (!/^\s*[-+]?(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:[.,]\d+)?\s*$/.test(response)) return null;
    var v = parseFloat(response.trim().replace(/[ \u00a0\u202f]/g, "").replace(",", "."));
    return isFinite(v) ? v : null;  /* digits beyond what a number holds */
  }

  /* grade(item, response, lang) -> {score, max, share, message, parts}; never throws */
  function grade(item, response, lang) {
    var has = function () { return item.key.indexOf(digest([item.salt, item.id].concat([].slice.call(arguments)))) >= 0; };
    var points = Number(item.points || 1), r = { share: 0, message: "", parts: [] }, t = item.type, i;
    if (t === "single") {
      if (typeof response !== "string" || ids(item.options).indexOf(response) < 0) r.message = unfit(response);
      else { r.share = has("option", response) ? 1 : 0; r.parts = [response]; }
    } else if (t === "multiple") {
      var opts = ids(item.options);
      if (!Array.isArray(response) || !response.every(function (x) { return typeof x === "string" && opts.indexOf(x) >= 0; })) r.message = unfit(response);
      else {
        var ticked = response.filter(function (x, k) { return response.indexOf(x) === k; });
        var correct = opts.filter(function (o) { return has("option", o); });
        var right = ticked.filter(function (o) { return correct.indexOf(o) >= 0; }).length;
        r.share = correct.length ? Math.max(0, (right - (ticked.length - right)) / correct.length) : 0;
        r.parts = ticked;
      }
    } else if (t === "match") {
      var pairs = ids(item.pairs), choices = ids(item.choices);
      var ok = response && typeof response === "object" && !Array.isArray(response) &&
        Object.keys(response).every(function (k) { return pairs.indexOf(k) >= 0 && choices.indexOf(response[k]) >= 0; });
      if (!ok) r.message = unfit(response);
      else {
        var matched = pairs.filter(function (p) { return p in response && has("pair", p, response[p]); });
        r.share = matched.length / pairs.length;
        r.parts = pairs.filter(function (p) { return matched.indexOf(p) < 0; });
      }
    } else if (t === "order") {
      var steps = ids(item.steps);
      if (!Array.isArray(response) || response.length !== steps.length ||
          response.map(String).sort().join("\u0000") !== steps.slice().sort().join("\u0000")) r.message = unfit(response);
      else {
        var placed = response.filter(function (s, k) { return has("step", String(k), s); });
        r.share = placed.length / steps.length;
        r.parts = response.filter(function (s) { return placed.indexOf(s) < 0; });
      }
    } else if (t === "short") {
      if (typeof response !== "string" || !normalise(response)) r.message = unfit(response);
      else { r.share = has("short", normalise(response)) ? 1 : 0; r.parts = [r.share ? "hit" : "miss"]; }
    } else if (t === "numeric") {
      var v = numberOf(response, lang);
      if (v === null) r.message = unfit(response);
      else {
        var key = unmask(item.salt, item.id, "numeric", item.numeric).split("|");
        r.share = Math.abs(v - parseFloat(key[0])) <= parseFloat(key[1]) + 1e-9 ? 1 : 0;
        r.parts = [r.share ? "hit" : "miss"];
      }
    } else r.message = "unfit";
    r.max = points;
    r.score = Math.round(r.share * points * 1e6) / 1e6;
    return r;
  }

  /* ---- the widget ------------------------------------------------------------------ */
  var store = {
    kept: window.coursegenStorage !== "memory",  /* false: the page's own storage (layout.html), or none */
    get: function (k) { try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; } },
    set: function (k, v) {
      try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { store.kept = false; }  /* blocked, or full */
      if (!store.kept) forgetful();
    },
    del: function (k) { try { localStorage.removeItem(k); } catch (e) { /* blocked */ } }
  };
  /* each quiz of the page says, once, that its answers will not be kept */
  function forgetful() {
    if (window.coursegenSCORM && window.coursegenSCORM.active()) return;  /* the LMS keeps them (suspend_data) */
    [].forEach.call(document.querySelectorAll(".cg-quiz"), function (quiz) {
      if (quiz.querySelector(".cg-unkept") || !quiz.coursegenStrings) return;  /* (said as each quiz starts) */
      var note = document.createElement("p");
      note.className = "cg-unkept";
      note.setAttribute("role", "alert");
      note.textContent = quiz.coursegenStrings.unkept;
      quiz.insertBefore(note, quiz.querySelector(".cg-intro").nextSibling);
    });
  }
  function fmt(x, lang) { return (Math.round(x * 100) / 100).toLocaleString(lang); }
  /* a match's answers written out under their lists: a phone's closed list shows the
     start of a long answer only, cut under its arrow (the list says it to a screen reader) */
  function echo(form) {
    [].forEach.call(form.querySelectorAll(".cg-pair select"), function (list) {
      var shown = list.parentNode.querySelector(".cg-chosen");
      if (!shown) {
        shown = document.createElement("span");
        shown.className = "cg-chosen";
        shown.setAttribute("aria-hidden", "true");
        list.parentNode.appendChild(shown);
      }
      shown.textContent = list.value ? list.options[list.selectedIndex].text : "";
    });
  }

  function readResponse(form, item) {
    var t = item.type, els = form.elements, out, i;
    if (t === "single") { var c = form.querySelector("input:checked"); return c ? c.value : null; }
    if (t === "multiple") return [].map.call(form.querySelectorAll("input:checked"), function (x) { return x.value; });
    if (t === "match") {
      out = {};
      [].forEach.call(form.querySelectorAll("select"), function (s) { if (s.value) out[s.name] = s.value; });
      return out;
    }
    if (t === "order") {
      var sel = [].slice.call(form.querySelectorAll("select"));
      if (sel.some(function (s) { return !s.value; })) return sel.every(function (s) { return !s.value; }) ? [] : ["?"];
      return sel.slice().sort(function (a, b) { return a.value - b.value; }).map(function (s) { return s.name; });
    }
    return els.answer.value.replace(/[\x00-\x1f\x7f]/g, " ");
  }
  function writeResponse(form, item, r) {
    var t = item.type;
    if (t === "single" || t === "multiple") {
      [].forEach.call(form.querySelectorAll("input"), function (x) { x.checked = t === "single" ? x.value === r : (r || []).indexOf(x.value) >= 0; });
    } else if (t === "match") {
      [].forEach.call(form.querySelectorAll("select"), function (s) { s.value = (r && r[s.name]) || ""; });
    } else if (t === "order") {
      [].forEach.call(form.querySelectorAll("select"), function (s) { var k = (r || []).indexOf(s.name); s.value = k >= 0 ? String(k + 1) : ""; });
    } else form.elements.answer.value = r || "";
  }
  /* what keeps the page from grading an answer, told to the trainee instead ("" if none):
     nothing answered, a row or step left out, a position given twice, not a number */
  function unready(form, it, response, lang) {
    if (isEmpty(response)) return "empty";
    var sel = [].map.call(form.querySelectorAll("select"), function (s) { return s.value; });
    if ((it.type === "match" || it.type === "order") && sel.indexOf("") >= 0) return "unfit";
    if (it.type === "order" && sel.some(function (v, k) { return sel.indexOf(v) !== k; })) return "twice";
    if (grade(it, response, lang).message) return it.type === "numeric" ? "number" : "empty"; /* spaces alone */
    return "";
  }
  function feedbackFor(item, part) {
    var masked = item.feedback && item.feedback[part];
    return masked ? unmask(item.salt, item.id, "feedback", masked, part) : "";
  }

  /* a verdict's icon, seen but not read out (a screen reader said "heavy check mark" before "Correct") */
  function marked(line, icon, text) {
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = icon + " ";
    line.appendChild(mark);
    line.appendChild(document.createTextNode(text));
  }

  function Quiz(root) {
    var data = JSON.parse(root.querySelector("script.cg-quiz-data").textContent);
    var S = data.strings, items = {}, results = {}, self = this, fr = /^fr/.test(data.lang);
    /* in French, the space before : ; ! ? » and after « does not break the line, as in the
       page's own text (coursegen's FrenchSpaces): the feedback this script writes too */
    function typo(text) {
      return fr ? text.replace(/(\S) (?=[:;!?\u00bb])/g, "$1\u00a0").replace(/\u00ab /g, "\u00ab\u00a0")
        .replace(/(\d) (?=[%\u20ac$\u00a3]|\d{3}(?!\d))/g, "$1\u00a0").replace(/\b(n\u00b0|art\.) (?=\d)/g, "$1\u00a0") : text;
    }
    for (var key in S) if (typeof S[key] === "string") S[key] = typo(S[key]);
    root.coursegenStrings = S;
    if (!store.kept) forgetful();
    data.items.forEach(function (it) { items[it.id] = it; });
    var prefix = "coursegen:" + data.scope + ":";
    var summary = root.querySelector(".cg-summary");
    function keyOf(it) { return prefix + it.id + ":" + it.salt; }
    /* the last answer checked to this question, in either language (a trainee switching
       language mid-quiz found every question blank, and downloaded two halves) */
    function lastKey(it) { return prefix + it.id + ":last"; }
    function cleared(it) { store.set(lastKey(it), { at: Date.now(), shape: it.shape, lang: data.lang }); }
    function written(response) {  /* a number carried, as this page's language writes it */
      if (typeof response !== "number") return response;
      return fr ? String(response).replace(".", ",") : String(response);
    }
    function n(x) { return fmt(x, data.lang); }
    function tell(form, it, problem) {
      var box = form.querySelector(".cg-fb"), head = document.createElement("p"), field = form.elements.answer;
      box.textContent = "";
      head.className = "cg-verdict";
      marked(head, "⚠", S[problem]);
      box.appendChild(head);
      form.setAttribute("data-state", "unanswered");
      if (field) field.setAttribute("aria-invalid", "true");
      delete results[it.id];
      store.del(keyOf(it));
      cleared(it);  /* nor brought back from the other language's page */
    }
    /* a graded answer (what `unready` lets through): its verdict, feedback and explanation */
    function show(form, it, res, response) {
      var box = form.querySelector(".cg-fb"), verdict, icon;
      if (form.elements.answer) form.elements.answer.removeAttribute("aria-invalid");
      if (res.share === 1) { verdict = S.right; icon = "✔"; }
      else if (res.share > 0) { verdict = S.partial; icon = "◐"; }
      else { verdict = S.wrong; icon = "✘"; }
      box.textContent = "";
      var head = document.createElement("p");
      head.className = "cg-verdict";
      marked(head, icon, verdict + " — " + n(res.score) + " / " + n(res.max) + " " + (res.max === 1 || (data.lang === "fr" && res.max < 2) ? S.point : S.points));
      box.appendChild(head);
      var list = document.createElement("ul");
      res.parts.forEach(function (p) {
        var text = feedbackFor(it, p);
        // a step or pair misplaced, an option ticked: named, for its feedback may not say
        // which it is (as grading._named: a name's last full stop left out; a dash after an option)
        var part = (it.type === "order" ? it.steps : it.type === "match" ? it.pairs : it.type === "multiple" ? it.options : [])
          .filter(function (x) { return x.id === p; })[0];
        var name = part ? (part.text || part.left).trim().replace(/([^.])\.$/, "$1") : "";
        if (name && text) text = name + (it.type === "multiple" ? " — " : fr ? " : " : ": ") + text;
        if (text) { var li = document.createElement("li"); li.textContent = typo(text); list.appendChild(li); }
      });
      if (list.children.length) box.appendChild(list);
      var ex = document.createElement("p");
      ex.className = "cg-explanation";
      ex.textContent = S.explanation + " " + typo(unmask(it.salt, it.id, "explanation", it.explanation));
      box.appendChild(ex);
      form.setAttribute("data-state", res.share === 1 ? "right" : res.share > 0 ? "partial" : "wrong");
      results[it.id] = { id: it.id, version: it.salt, response: response, score: res.score, max: res.max };
    }
    var lms = window.coursegenSCORM && window.coursegenSCORM.active() ? window.coursegenSCORM : null;
    function report(got, max, done) {
      if (!lms) return;
      var pct = max ? Math.round(100 * got / max) : 0, state = {};
      data.items.forEach(function (it) { if (results[it.id]) state[it.id] = [it.salt, results[it.id].response]; });
      var mastery = parseFloat(lms.get("cmi.student_data.mastery_score"));
      var pass = isFinite(mastery) ? mastery : Number(data.passMark);
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
      lms.set("cmi.core.score.raw", String(pct));
      lms.set("cmi.core.lesson_status", done < data.items.length ? "incomplete" : pct >= pass ? "passed" : "failed");
      var text = JSON.stringify(state);
      if (text.length <= 4096) lms.set("cmi.suspend_data", text);
      lms.commit();
    }
    function total(silent) {
      var got = 0, max = 0, done = 0;
      data.items.forEach(function (it) {
        max += Number(it.points || 1);
        if (results[it.id]) { got += results[it.id].score; done += 1; }
      });
      got = Math.round(got * 1e6) / 1e6;
      summary.textContent = (done > 1 ? S.summary : S.summary_one).replace("{score}", n(got)).replace("{max}", n(max))
        .replace("{done}", done).replace("{total}", data.items.length);
      if (!silent) report(got, max, done);
      return { score: got, max: max };
    }
    var suspended = {};
    if (lms) { try { suspended = JSON.parse(lms.get("cmi.suspend_data") || "{}") || {}; } catch (e) { suspended = {}; } }
    [].forEach.call(root.querySelectorAll("form.cg-q"), function (form) {
      var it = items[form.getAttribute("data-id")];
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var response = readResponse(form, it), problem = unready(form, it, response, data.lang);
        if (problem) tell(form, it, problem);
        else {
          show(form, it, grade(it, response, data.lang), response);
          var at = Date.now(), given = it.type === "numeric" ? numberOf(response, data.lang) : response;
          store.set(keyOf(it), { response: response, at: at });
          /* a number as a number: "18,0" in French is 18 in English too */
          store.set(lastKey(it), { response: given, at: at, shape: it.shape, lang: data.lang });
        }
        total();
        var box = form.querySelector(".cg-fb");  /* on a small screen, the verdict below the fold */
        if (box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
      });
      /* an answer changed after its check: the verdict shown was another answer's; it goes.
         The answer checked last still counts, and is kept, until the new one is checked: a
         mis-tap on a phone lost a right answer, saved (a note says so) */
      function changed() {
        var state = form.getAttribute("data-state");
        if (!state || state === "changed") return;
        var box = form.querySelector(".cg-fb");
        box.textContent = "";
        if (form.elements.answer) form.elements.answer.removeAttribute("aria-invalid");
        if (results[it.id]) {
          var note = document.createElement("p");
          note.className = "cg-verdict";
          marked(note, "✎", S.changed);
          box.appendChild(note);
          form.setAttribute("data-state", "changed");
        } else form.removeAttribute("data-state");
      }
      form.addEventListener("change", changed);
      form.addEventListener("input", changed);
      form.addEventListener("change", function () { echo(form); });
      var saved = store.get(keyOf(it)), last = store.get(lastKey(it)), carried = false;
      /* the same question answered on the other language's page after this one: its answer
         here; or cleared there ("Clear my answers"): cleared here too */
      if (last && last.lang !== data.lang && it.shape && last.shape === it.shape && (last.at || 0) > ((saved && saved.at) || 0)) {
        if (!("response" in last)) { saved = null; store.del(keyOf(it)); }
        else { saved = { response: written(last.response), at: last.at }; carried = true; }
      }
      var fromLms = suspended[it.id];
      if (fromLms && fromLms[0] === it.salt) saved = { response: fromLms[1] };
      if (saved && "response" in saved) {  /* kept by an earlier page, which graded a partial match */
        writeResponse(form, it, saved.response);
        if (!unready(form, it, readResponse(form, it), data.lang) && !grade(it, saved.response, data.lang).message) {
          show(form, it, grade(it, saved.response, data.lang), saved.response);
          if (carried) store.set(keyOf(it), { response: saved.response, at: saved.at });
        } else { writeResponse(form, it, null); if (!carried) store.del(keyOf(it)); }
      }
      echo(form);
    });
    root.querySelector(".cg-reset").addEventListener("click", function () {
      if (!window.confirm(S.sure)) return; /* no undo: one key press would lose every answer */
      [].forEach.call(root.querySelectorAll("form.cg-q"), function (form) {
        var it = items[form.getAttribute("data-id")];
        store.del(keyOf(it)); form.reset(); writeResponse(form, it, null); echo(form);
        cleared(it);  /* in both languages */
        form.querySelector(".cg-fb").textContent = ""; form.removeAttribute("data-state");
        if (form.elements.answer) form.elements.answer.removeAttribute("aria-invalid");
        delete results[it.id];
      });
      total();
      summary.textContent += " " + S.cleared;
    });
    /* one name for every quiz; a page built by an older coursegen has no field for it */
    var who = root.querySelector(".cg-name"), whoKey = "coursegen:trainee";
    if (who) {
      who.value = store.get(whoKey) || "";
      who.addEventListener("change", function () { store.set(whoKey, who.value.trim()); });
    }
    /* without a name, a pseudonym kept on this device: the files of two nameless trainees
       must not share a name (one would replace the other on the trainer's stick) */
    var pseudonym = null;  /* this page's, where the device keeps nothing (private mode) */
    function anonymous() {
      var code = store.get("coursegen:anonymous") || pseudonym, bytes = new Uint8Array(3);
      if (!/^[0-9a-f]{6}$/.test(code || "")) {
        if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
        else for (var i = 0; i < 3; i++) bytes[i] = Math.floor(Math.random() * 256);
        code = [].map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
        store.set("coursegen:anonymous", code);
      }
      pseudonym = code;
      return (S.anonymous || "anonymous") + "-" + code;
    }
    root.querySelector(".cg-download").addEventListener("click", function () {
      var t = total(), name = (who ? who.value.trim() : "") || anonymous();
      var payload = {
        format: "coursegen-results/1", course: data.course, lang: data.lang, quiz: data.scope,
        saved: new Date().toISOString(), score: t.score, max: t.max,
        items: data.items.map(function (it) { return results[it.id] || { id: it.id, version: it.salt, response: null, score: 0, max: Number(it.points || 1) }; })
      };
      payload.trainee = name;
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([JSON.stringify(payload, null, 2)], { type: "application/json" }));
      /* one file per quiz, language and trainee: what file names cannot hold becomes "-" */
      a.download = [S.results || "results", data.scope, data.lang, name.replace(/[\\/:*?"<>|\u0000-\u001f\s]+/g, "-")].join("-") + ".json";
      document.body.appendChild(a); a.click(); a.remove();
      total(true); summary.textContent += " " + S.saved.replace("{file}", a.download); /* said, and read out */
    });
    total(true);
    self.grade = grade;
  }
  window.coursegenQuiz = { grade: grade, digest: digest, normalise: normalise };
  function start() { [].forEach.call(document.querySelectorAll(".cg-quiz"), function (el) { new Quiz(el); }); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
