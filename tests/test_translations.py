"""Every user-facing string has a Thai translation, and the compiled catalogues
that `make run` uses are the ones the .po files say.

Strings are extracted from the code and the templates as `makemessages` does
(templatize, then xgettext with Django's keywords), then each is looked up in
Thai through Django's own translation machinery.
"""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
APPS = ["assembly", "agenda", "voting", "resolutions", "config"]
KEYWORDS = [
    "gettext_noop", "gettext_lazy", "ngettext_lazy:1,2", "pgettext:1c,2",
    "npgettext:1c,2,3", "pgettext_lazy:1c,2", "npgettext_lazy:1c,2,3", "_",
    "gettext", "ngettext:1,2",
]
# Strings that are the same in Thai and English (names, symbols).
# Strings a Thai reader reads as they are: the name of a standard.
SAME_IN_THAI: set[str] = {"%(column)s (ISO 8601)"}

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)


def _sources() -> list[Path]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "demo_data.py":
                files.append(path)
    return files


def _templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


def _extract(tmp_path: Path) -> polib.POFile:
    inputs = list(_sources())
    for template in _templates():
        code = templatize(template.read_text(encoding="utf-8"), origin=str(template))
        target = tmp_path / (template.relative_to(ROOT).as_posix().replace("/", "__") + ".py")
        target.write_text(code, encoding="utf-8")
        inputs.append(target)
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(str(p) for p in inputs), encoding="utf-8")
    out = tmp_path / "all.pot"
    subprocess.run(
        ["xgettext", "-L", "Python", "--from-code=UTF-8", "--force-po", "-o", str(out),
         "-f", str(listing), *[f"--keyword={k}" for k in KEYWORDS]],
        check=True, capture_output=True,
    )
    return polib.pofile(str(out))


def _thai(entry: polib.POEntry) -> str:
    with translation.override("th"):
        if entry.msgid_plural:
            if entry.msgctxt:
                return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            return translation.ngettext(entry.msgid, entry.msgid_plural, 1)
        if entry.msgctxt:
            return translation.pgettext(entry.msgctxt, entry.msgid)
        return translation.gettext(entry.msgid)


@needs_gettext
def test_every_user_facing_string_has_a_thai_translation(tmp_path):
    catalogue = _extract(tmp_path)
    assert len(catalogue) > 50, "extraction found almost nothing: is it broken?"
    missing = [
        f"{e.occurrences[0][0].split('/')[-1] if e.occurrences else '?'}: {e.msgid!r}"
        for e in catalogue
        if e.msgid and e.msgid not in SAME_IN_THAI and _thai(e) == e.msgid
    ]
    assert not missing, f"{len(missing)} strings have no Thai translation:\n" + "\n".join(
        sorted(missing)
    )


def _catalogues() -> list[Path]:
    return [
        p for p in ROOT.rglob("locale/*/LC_MESSAGES/django.po")
        if ".venv" not in p.parts and "node_modules" not in p.parts
    ]


@pytest.mark.parametrize("po_path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run make messages"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))
    expected = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in mo if e.msgid}
    assert compiled == expected, f"{mo_path} is stale: run compilemessages"


def test_no_translation_is_marked_fuzzy():
    fuzzy = [
        f"{po.relative_to(ROOT)}: {e.msgid!r}"
        for po in _catalogues() for e in polib.pofile(str(po)).fuzzy_entries()
    ]
    assert not fuzzy, "fuzzy entries are ignored at run time:\n" + "\n".join(fuzzy)
