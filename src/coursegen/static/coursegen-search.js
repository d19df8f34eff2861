/* coursegen: a search's words found without their accents (why: SEARCH_JS, sphinxext.py) */
(function () {
  "use strict";
  var KEY = "coursegen_highlight", WORD = /[\p{L}\p{N}_]+/gu;  /* Sphinx's splitQuery's words */
  var fold = (word) => word.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  var found = (word, terms) => terms.some((term) => fold(word).startsWith(term));

  /* in a span as Sphinx's: its style, and hidden as Sphinx hides them (Escape) */
  function mark(root, terms) {
    if (!root || !terms.length) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), texts = [], text;
    while ((text = walker.nextNode())) texts.push(text);
    texts.forEach((text) => {
      var value = text.nodeValue, at = 0, parts = document.createDocumentFragment(), word, span;
      if (text.parentNode.closest(".highlighted, .nohighlight, button, select, textarea, script, style, svg")) return;
      for (WORD.lastIndex = 0; (word = WORD.exec(value)); ) {
        if (!found(word[0], terms)) continue;
        span = document.createElement("span");
        span.className = "highlighted";
        span.textContent = word[0];
        parts.append(value.slice(at, word.index), span);
        at = word.index + word[0].length;
      }
      if (at) text.parentNode.replaceChild((parts.append(value.slice(at)), parts), text);
    });
  }

  if (typeof Search !== "undefined") {
    var words = [], parse = Search._parseQuery;
    /* the words typed and their stems, kept for the page opened next: it has no stemmer */
    Search._parseQuery = (query) => {
      var parsed = parse(query);
      words = [...parsed[3], ...[...parsed[1]].filter((stem) => stem.length > 3)].map(fold);
      try { localStorage.setItem(KEY, words.join(" ")); } catch (e) { /* full: the words typed only */ }
      return parsed;
    };
    /* the text around the first word found; the result's title, once Sphinx has marked it */
    Search.makeSearchSummary = (html, keywords, anchor) => {
      var text = Search.htmlToText(html, anchor), at = -1, word;
      if (!text) return null;
      for (WORD.lastIndex = 0; at < 0 && (word = WORD.exec(text)); ) if (found(word[0], words)) at = word.index;
      var start = Math.max(at - 120, 0), summary = document.createElement("p");
      summary.className = "context";
      summary.textContent = (start ? "…" : "") + text.substr(start, 240).trim() + (start + 240 < text.length ? "…" : "");
      mark(summary, words);
      setTimeout(() => mark(summary.parentNode?.firstChild, words));
      return summary;
    };
  }

  if (typeof SphinxHighlight !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
    var highlight = SphinxHighlight.highlightSearchWords;
    SphinxHighlight.highlightSearchWords = () => {
      var stored = localStorage.getItem("sphinx_highlight_terms"), ours = localStorage.getItem(KEY);
      var typed = stored || new URL(location).searchParams.get("highlight") || "";
      localStorage.removeItem(KEY);
      var sought = ((stored && ours) || typed).split(/\s+/).filter(Boolean).map(fold);
      mark(document.querySelector("div.body") || document.body, sought);  /* where Sphinx marks */
      highlight();
    };
  }
})();
