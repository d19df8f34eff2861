/* coursegen: a search's words found without their accents (why: SEARCH_JS, sphinxext.py).
   Written as the quiz's script is (var, function): old phones' browsers read it. */
(function () {
  "use strict";
  var KEY = "coursegen_highlight", WORD = /[\p{L}\p{N}_]+/gu;  /* Sphinx's splitQuery's words */
  function fold(word) {
    return word.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function found(word, terms) {
    var folded = fold(word);
    return terms.some(function (term) { return folded.indexOf(term) === 0; });
  }
  /* storage that the browser refuses (private mode, site data blocked) keeps nothing */
  function get(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function set(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* the words typed only */ } }
  function drop(key) { try { localStorage.removeItem(key); } catch (e) { /* as above */ } }

  /* in a span as Sphinx's: its style, and hidden as Sphinx hides them (Escape) */
  function mark(root, terms) {
    if (!root || !terms.length) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), texts = [], text;
    while ((text = walker.nextNode())) texts.push(text);
    texts.forEach(function (text) {
      var value = text.nodeValue, at = 0, parts = document.createDocumentFragment(), word, span;
      if (text.parentNode.closest(".highlighted, .nohighlight, button, select, textarea, script, style, svg")) return;
      for (WORD.lastIndex = 0; (word = WORD.exec(value)); ) {
        if (!found(word[0], terms)) continue;
        span = document.createElement("span");
        span.className = "highlighted";
        span.textContent = word[0];
        parts.appendChild(document.createTextNode(value.slice(at, word.index)));
        parts.appendChild(span);
        at = word.index + word[0].length;
      }
      if (!at) return;
      parts.appendChild(document.createTextNode(value.slice(at)));
      text.parentNode.replaceChild(parts, text);
    });
  }

  if (typeof Search !== "undefined") {
    var words = [], parse = Search._parseQuery;
    /* the words typed and their stems, kept for the page opened next: it has no stemmer */
    Search._parseQuery = function (query) {
      var parsed = parse(query), stems = [];
      parsed[1].forEach(function (stem) { if (stem.length > 3) stems.push(stem); });
      words = [].concat(Array.from(parsed[3]), stems).map(fold);
      set(KEY, words.join(" "));
      return parsed;
    };
    /* the text around the first word found; the result's title, once Sphinx has marked it */
    Search.makeSearchSummary = function (html, keywords, anchor) {
      var text = Search.htmlToText(html, anchor), at = -1, word;
      if (!text) return null;
      for (WORD.lastIndex = 0; at < 0 && (word = WORD.exec(text)); ) if (found(word[0], words)) at = word.index;
      var start = Math.max(at - 120, 0), summary = document.createElement("p");
      summary.className = "context";
      summary.textContent = (start ? "…" : "") + text.substr(start, 240).trim() + (start + 240 < text.length ? "…" : "");
      mark(summary, words);
      setTimeout(function () { if (summary.parentNode) mark(summary.parentNode.firstChild, words); });
      return summary;
    };
  }

  if (typeof SphinxHighlight !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
    var highlight = SphinxHighlight.highlightSearchWords;
    SphinxHighlight.highlightSearchWords = function () {
      var stored = get("sphinx_highlight_terms"), ours = get(KEY), typed = stored || "";
      if (!typed) try { typed = new URL(location.href).searchParams.get("highlight") || ""; } catch (e) { /* none */ }
      drop(KEY);
      var sought = ((stored && ours) || typed).split(/\s+/).filter(Boolean).map(fold);
      mark(document.querySelector("div.body") || document.body, sought);  /* where Sphinx marks */
      highlight();
    };
  }
})();
