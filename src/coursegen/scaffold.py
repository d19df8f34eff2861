"""`coursegen new`: a trainer's course folder, valid by construction.

The folder holds only what the trainer changes; the rest comes from the built-in course
(see `layers`). What `new` writes passes `coursegen check` and `coursegen build --strict`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import yaml

from . import layers
from .errors import UsageError
from .model import COMMON, GENERATED_PAGES, TRAINER, closest, unknown_audience

CONFIG_HEAD = """\
# Your course, built on coursegen's built-in course (base: builtin).
# Only what you change lives in this folder: pages in modules/, questions in quizzes/,
# boxes in templates/, your country in country.yml. See `coursegen explain` for where
# each page and question comes from. The settings below merge over the built-in ones.
"""
TOC_HEAD = """\
# Your table of contents (Jupyter Book's jb-book format). Pages are named without their
# language suffix; a page you add in modules/ must be listed here to be built.
"""
COUNTRY = """\
# Your country profile. Pages show it in the "who to call" and referral boxes; a field left
# empty is shown as "ask your trainer", never as a blank. A text may be one string, or
# {fr: "...", en: "..."} when it differs between languages.
# Le profil de votre pays, que les pages montrent dans les encadrés « Qui appeler » et
# d'orientation ; un champ laissé vide y devient « demandez à votre formateur ». Un texte
# peut être une seule chaîne, ou {fr: "...", en: "..."} s'il diffère selon la langue.
country: ""
organisation:
  name: ""
  logo: ""          # an image file in this folder, e.g. logo.png
law:
  title: ""         # e.g. the national anti-trafficking law, with its number and year
  articles: []      # e.g. - {ref: "art. 1", text: "..."}
hotline:
  number: ""
  hours: ""
emergency:
  number: ""        # e.g. "112", or several: "17 (police) / 18" (each a link a phone calls)
referral: []        # e.g. - {name: "...", role: "...", phone: "...", email: "..."}
"""
READMES = {
    "README.md": """\
# {title}

A course folder made with `coursegen new`, on top of coursegen's built-in course.

    coursegen check .            # check everything
    coursegen build .            # build the course (build/<lang>/_build/html/index.html)
    coursegen build . --edition trainer   # with the trainer's guide
    coursegen explain .          # where each page, question and value comes from
    coursegen serve .            # serve the built site to the room (phones on the same network)

Edit country.yml first. Then, if you need to: replace or add pages in modules/, replace,
disable or add questions in quizzes/, adapt the boxes in templates/. The trainer's guide,
in the site that `--edition trainer` builds, tells how to adapt the course and run the
workshop.

## En français

Un dossier de cours créé par `coursegen new`, à partir du cours intégré de coursegen.
Remplissez d'abord country.yml (le profil du pays : numéros d'urgence, ligne nationale,
loi, organismes d'orientation). Ensuite, au besoin : remplacez ou ajoutez des pages dans
modules/, remplacez, retirez ou ajoutez des questions dans quizzes/, adaptez les encadrés
dans templates/. Les commandes ci-dessus vérifient, construisent et expliquent le cours.
Le guide du formateur, dans le site que construit `--edition trainer`, explique comment
adapter le cours et animer l'atelier.
""",
    "modules/README.md": """\
# Your pages

A page here replaces the built-in page at the same path, in the same language: for
example modules/labour-inspectors/refer.{lang}.md. To start from the built-in page,
`coursegen explain . modules/labour-inspectors/refer` tells which file to copy. A page at a
new path is added: list it in _toc.yml (without its .{lang}.md suffix). Pages are MyST
Markdown with the same macros as the built-in pages. Quote the international texts through
them, never pasted, so that a correction made once reaches every page:

    {{ action("g") }}                   action g of Objective 10, quoted, with its citation
    {{ sdg("8.7") }}                    a Sustainable Development Goal target, quoted
    {{ definition("trafficking") }}     a definition (Palermo Protocol, ILO indicators …)
    {{ practice("brazil-inspection") }} an example of practice from the source document
    {{ quote("practice:brazil-inspection/confidentiality") }}   one item, by its full id
    {{ cite("action:g") }}              in a sentence: the citation, in brackets
    {{ headline("action:g") }}          in a sentence: an item's headline, in quotation marks
    {{ diagram("referral") }}           the diagram of diagrams/referral.yml, in the page's folder
    {{ glossary() }}                    the glossary
    {{ who_to_call() }}                 the box of whom to call (country.yml)
    {{ referral_contacts() }}           the box of the organisations to refer to (country.yml)
    {{ quiz() }}                        the part's quiz, once per part (a built-in page has it)

Each, but cite and headline, on a line of its own, with a blank line before and after. The
ids are those of the built-in pages' calls; `coursegen check` tells an unknown one.

## En français

Une page placée ici remplace la page intégrée du même chemin, dans la même langue : par
exemple modules/labour-inspectors/refer.{lang}.md. Pour partir de la page intégrée,
`coursegen explain . modules/labour-inspectors/refer` indique le fichier à copier. Une page
à un nouveau chemin s'ajoute : inscrivez-la dans _toc.yml (sans son suffixe .{lang}.md).
Les pages s'écrivent en MyST Markdown, avec les macros des pages intégrées : citez les
textes internationaux avec elles, sans jamais les recopier, pour qu'une correction faite une
fois s'applique à toutes les pages. La liste ci-dessus les donne : action g de l'objectif 10,
cible d'un objectif de développement durable, définition, exemple de pratique, élément
quelconque par son identifiant complet, référence (cite) et intitulé (headline) dans une
phrase, schéma du dossier de la page, glossaire, encadrés « qui appeler » et organismes
d'orientation (country.yml), quiz de la partie (une fois par partie). Chacune, sauf cite et
headline, sur une ligne à elle, précédée et suivie d'une ligne vide. Les identifiants sont
ceux des pages intégrées ; `coursegen check` signale un identifiant inconnu.
""",
    "quizzes/README.md": """\
# Your questions

Any .yml file here holds `items:` in the format of the built-in banks. An item with a new
id is added (name the file after the part where it should appear, e.g.
labour-inspectors.yml); `override: true` replaces the built-in question with the same id;
`- {id: <id>, disabled: true}` removes a built-in question.

## En français

Chaque fichier .yml placé ici contient des `items:` au format des banques intégrées. Une
question à l'identifiant nouveau s'ajoute (nommez le fichier d'après la partie où elle doit
figurer, par exemple labour-inspectors.yml) ; `override: true` remplace la question intégrée
du même identifiant ; `- {id: <identifiant>, disabled: true}` retire une question intégrée.
""",
    "templates/README.md": """\
# Your boxes

who-to-call.md and referral-contacts.md here replace the built-in boxes. To change only
one part, start the file with {% extends "builtin:who-to-call.md" %} and redefine one
block (emergency, hotline, law, extra).

## En français

who-to-call.md et referral-contacts.md placés ici remplacent les encadrés intégrés. Pour
n'en changer qu'une partie, commencez le fichier par {% extends "builtin:who-to-call.md" %}
et redéfinissez un seul bloc (emergency, hotline, law, extra).
""",
}


def builtin_audiences() -> list[str]:
    """The audiences of the built-in course."""
    config = yaml.safe_load((layers.builtin_root() / "_config.yml").read_text("utf-8"))
    return [a["id"] for a in config["course"]["audiences"]]


def create(folder: Path, audiences: list[str], languages: list[str]) -> list[Path]:
    """Write a new course folder; returns the files written."""
    try:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder}: a file of that name is in the way")
        if folder.is_symlink() and not folder.exists():
            raise UsageError(f"{folder}: a link to nowhere is in the way")
        if folder.exists() and any(folder.iterdir()):
            raise UsageError(f"{folder}: the folder exists and is not empty")
    except OSError as exc:
        raise UsageError(f"{folder}: cannot reach this folder ({exc.strerror or exc})") from None
    # Inside another course's own folders, its files would be read as that course's pages,
    # questions or sources, and break it.
    where = folder.resolve()
    for parent in where.parents:
        if (parent / "_config.yml").is_file():
            inside = where.relative_to(parent).parts[0]
            if inside in layers.INPUT_FOLDERS:
                raise UsageError(
                    f"{folder}: inside the {inside}/ folder of the course {parent}, whose files it would "
                    "become: choose a folder outside it"
                )
            break
    languages = list(dict.fromkeys(languages))  # `--lang fr fr`: once
    audiences = list(dict.fromkeys(audiences))
    base = layers.builtin_root()
    config = yaml.safe_load((base / "_config.yml").read_text("utf-8"))
    known = [a["id"] for a in config["course"]["audiences"]]
    for audience in audiences:
        if audience not in known:
            message = unknown_audience(audience, known, "choose from")
            if closest(audience, known) is None and audience not in (
                COMMON,
                TRAINER,
                "all",
            ):  # `social-workers`: added to the course once it is made
                message += (
                    "; an audience of your own is added to a course folder made with a built-in one "
                    "(see docs/trainers.md)"
                )
            raise UsageError(message)
    chosen = audiences or known
    course: dict[str, Any] = {
        "base": "builtin",
        "title": config["course"]["title"],
        "languages": languages,
        "audiences": [a for a in config["course"]["audiences"] if a["id"] in chosen],
    }
    toc = yaml.safe_load((base / "_toc.yml").read_text("utf-8"))
    keep = {COMMON, TRAINER, *chosen}
    parts = []
    for part in toc["parts"]:
        chapters = [c for c in part["chapters"] if c["file"] in GENERATED_PAGES or _area(c["file"]) in keep]
        if chapters:
            parts.append({**part, "chapters": chapters})
    files = {
        "_config.yml": CONFIG_HEAD + _dump({"course": course}),
        "_toc.yml": TOC_HEAD + _dump({"format": "jb-book", "root": toc["root"], "parts": parts}),
        "country.yml": COUNTRY,
        # what a course folder holds that is not the course: built sites, exports (which hold
        # every question's answer) and grades (trainees' results), none for version control
        ".gitignore": "build/\nexports/\ngrades/\n",
        **{
            name: text.replace("{title}", course["title"][languages[0]]).replace("{lang}", languages[0])
            for name, text in READMES.items()
        },
    }
    written: list[Path] = []
    made = [p for p in [folder, *folder.parents] if not p.exists()]  # folders this makes
    try:
        for rel, text in files.items():
            target = folder / rel
            made += [p for p in [target.parent, *target.parent.parents] if not p.exists() and p not in made]
            target.parent.mkdir(parents=True, exist_ok=True)
            written.append(target)
            target.write_text(text, "utf-8")
    except OSError as exc:  # nothing half made is left: what this wrote and made goes
        for path in written:
            path.unlink(missing_ok=True)
        for path in sorted(made, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                path.rmdir()
        raise UsageError(f"{folder}: cannot make the course folder here ({exc.strerror or exc})") from None
    return written


def _area(key: str) -> str:
    parts = key.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "modules" else COMMON


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
