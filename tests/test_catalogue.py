"""One Thai vocabulary: the project's single catalogue, checked against every other
catalogue Django can load for Thai.

Django merges catalogues per language: LOCALE_PATHS first, then the installed apps
in order, then Django's own. A msgid present in two of them with two different Thai
translations means one place shows the other's word (a finished resolution shown as
"has spoken", a vote choice shown as admin's "Yes"). Where one English word means two
things, the code gives it a context (`pgettext`, `{% translate ... context ... %}`),
which makes it a different entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
PROJECT_PO = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"

# Words a Thai reader met as two different words for one term; the left one is gone
# from the catalogue (DOMAIN.md's glossary, one word per term).
GLOSSARY_VARIANTS = {
    "ข้อเสนอแก้ไข": "คำแปรญัตติ (amendment)",
    "มีข้อกังวลมาก": "มีข้อกังวลอย่างจริงจัง (serious concerns)",
    "หน่วยงานผู้รับผิดชอบหลัก": "ผู้รับผิดชอบหลัก (lead agency)",
    "หน่วยงานรับผิดชอบหลัก": "ผู้รับผิดชอบหลัก (lead agency)",
}


def _key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def _text(entry) -> str:
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "") if entry.msgstr_plural else ""
    return entry.msgstr


def loadable_thai_catalogues() -> dict[str, Path]:
    """Every compiled Thai catalogue that Django's merge can load, by a short name."""
    found = {}
    for path in settings.LOCALE_PATHS:
        mo = Path(path) / "th" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            found[f"LOCALE_PATHS:{Path(path).relative_to(ROOT)}"] = mo
    for app in apps.get_app_configs():
        mo = Path(app.path) / "locale" / "th" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            found[app.label] = mo
    import django

    core = Path(django.__file__).parent / "conf" / "locale" / "th" / "LC_MESSAGES"
    found["django"] = core / "django.mo"
    return found


def _ours() -> polib.POFile:
    return polib.pofile(str(PROJECT_PO))


def test_the_project_has_one_catalogue():
    """No app of ours carries its own: they lose to Django's (admin's Yes/No won)."""
    others = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("locale/*/LC_MESSAGES/*.po")
        if p != PROJECT_PO
        and not {".venv", "node_modules", "staticfiles"} & set(p.parts)
    ]
    assert others == [], f"move these into {PROJECT_PO.relative_to(ROOT)}: {others}"
    assert settings.LOCALE_PATHS[0] == ROOT / "locale"


def test_no_msgid_has_two_thai_translations_across_the_loadable_catalogues():
    translations: dict[tuple, dict[str, str]] = defaultdict(dict)
    for name, mo_path in loadable_thai_catalogues().items():
        for entry in polib.mofile(str(mo_path)):
            if entry.msgid and _text(entry):
                translations[_key(entry)][name] = _text(entry)
    assert len(translations) > 500, "found almost no catalogue: is the search broken?"
    # Django's own catalogues disagree among themselves (admin and auth say "Password
    # reset" two ways); that is theirs. Ours are the msgids our code uses.
    ours = {_key(e) for e in _ours() if e.msgid}
    clashes = [
        f"{ctx + ' | ' if ctx else ''}{msgid!r}: "
        + "; ".join(f"{name} {thai!r}" for name, thai in by.items())
        for (ctx, msgid), by in translations.items()
        if (ctx, msgid) in ours and len(set(by.values())) > 1
    ]
    assert clashes == [], (
        "one msgid, two Thai words: choose one (DOMAIN.md's glossary), or give the "
        "other meaning a context (pgettext):\n" + "\n".join(sorted(clashes))
    )


def test_one_term_one_word_whatever_the_capitals():
    """ "Serious concerns" on the ballot and "serious concerns" in the record are one term."""
    by_term: dict[tuple, dict[str, str]] = defaultdict(dict)
    for entry in _ours():
        if entry.msgid and not entry.obsolete:
            by_term[(entry.msgctxt, entry.msgid.lower())][entry.msgid] = _text(entry)
    differ = [
        " / ".join(f"{m!r} {t!r}" for m, t in seen.items())
        for seen in by_term.values()
        if len(set(seen.values())) > 1
    ]
    assert differ == [], "one term, two words:\n" + "\n".join(differ)


def test_the_glossary_word_is_used_for_every_term():
    stray = [
        f"{e.msgid!r} says {variant!r}: use {chosen}"
        for e in _ours()
        for variant, chosen in GLOSSARY_VARIANTS.items()
        if variant in _text(e)
    ]
    assert stray == [], "\n".join(stray)


def test_every_entry_has_thai_and_none_is_fuzzy():
    catalogue = _ours()
    assert len(catalogue) > 500
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"no Thai for: {untranslated}"
    assert fuzzy == [], f"fuzzy entries are ignored at run time: {fuzzy}"


def test_the_compiled_catalogue_is_the_source():
    mo_path = PROJECT_PO.with_suffix(".mo")
    assert mo_path.exists(), "run make messages"
    expected = {
        _key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in _ours().translated_entries()
    }
    compiled = {
        _key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
        if e.msgid
    }
    assert compiled == expected, f"{mo_path} is stale: run make messages"


def test_placeholders_survive_translation():
    """A Thai string that drops or renames %(name)s fails at run time, in front of people."""
    pattern = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}")

    def names(text: str) -> set[str]:
        return {a or b for a, b in pattern.findall(text)}

    broken = []
    for e in _ours():
        sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural else [])
        targets = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for target in targets:
            if target and names(target) != set().union(*map(names, sources)):
                broken.append(f"{e.msgid!r} -> {target!r}")
    assert broken == [], "\n".join(broken)


@pytest.mark.parametrize(
    "context, msgid, thai",
    [
        ("speaker turn", "Done", "พูดแล้ว"),
        ("resolution progress", "Done", "เสร็จสิ้น"),
        ("vote", "Yes", "เห็นด้วย"),
        ("vote", "No", "ไม่เห็นด้วย"),
        (None, "Serious concerns", "มีข้อกังวลอย่างจริงจัง"),
        (None, "serious concerns", "มีข้อกังวลอย่างจริงจัง"),
    ],
)
def test_what_a_thai_reader_sees_for_the_words_that_used_to_clash(context, msgid, thai):
    with translation.override("th"):
        shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert shown == thai


def test_the_models_use_the_right_done():
    from agenda.models import SpeakerRequest
    from resolutions.models import ProgressUpdate

    with translation.override("th"):
        assert str(SpeakerRequest.Status.DONE.label) == "พูดแล้ว"
        assert str(ProgressUpdate.Status.DONE.label) == "เสร็จสิ้น"
