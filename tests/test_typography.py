"""French typography's no-break spaces (coursegen.typography), shared by the site, the quiz's
script, the printed handout and the grade report."""

from __future__ import annotations

from coursegen.typography import french, french_html

NB = "\u00a0"


def test_signs_stay_with_their_word() -> None:
    said = french("Vrai ? « Oui » : 1 500 € et 30 % ; art. 3, n° 29 ! 18 000 victimes")
    assert said == (
        f"Vrai{NB}? «{NB}Oui{NB}»{NB}: 1{NB}500{NB}€ et 30{NB}%{NB}; art.{NB}3, n°{NB}29{NB}! 18{NB}000 victimes"
    )


def test_other_spaces_are_left_alone() -> None:
    for text in ("de 2015 à 2030", "l'objectif 10 et la cible 8.7", "https://example.org/a?b=c", "part 3 de 4"):
        assert french(text) == text


def test_in_html_only_the_text_changes() -> None:
    html = (
        '<p title="a : b">Quoi ?</p><style>a { content: "x ?" }</style><script>if (a ? b : c) {}</script>'
        '<p>Tapez <code>curl -d "a=1 ; b=2" https://x.example/?q ?</code> !</p><pre><code>x ; y</code></pre>'
    )
    expected = html.replace("Quoi ?", f"Quoi{NB}?").replace("</code> !", f"</code>{NB}!")
    assert french_html(html) == expected
