"""Sarabun is served by the app itself, from the packaged font files."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from assembly.webfonts import FACES, PREFIX, face_files

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "samatcha.css"


def test_every_face_the_stylesheet_uses_is_found_in_the_package():
    css = CSS.read_text(encoding="utf-8")
    urls = re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css)
    assert len(urls) == len(FACES)
    for url in urls:
        found = finders.find(url)
        assert found, url
        assert "fontpkg_sarabun" in found  # the package's file, not a copy
        assert Path(found).read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true")


def test_the_finder_lists_only_the_faces_used_and_nothing_else():
    listed = {
        (getattr(storage, "prefix", None), path)
        for finder in finders.get_finders()
        for path, storage in finder.list(None)
        if getattr(storage, "prefix", None) == PREFIX
    }
    assert {path for _prefix, path in listed} == set(face_files())
    assert finders.find(f"{PREFIX}/Sarabun-Thin.ttf") is None
    assert finders.find("fonts/elsewhere/Sarabun-Regular.ttf") is None


def test_no_font_binary_is_committed():
    root = CSS.parents[2]
    static = root / "static"
    assert not [p for p in static.rglob("*") if p.suffix in {".ttf", ".otf", ".woff", ".woff2"}]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_the_font_is_served_from_this_site_under_the_csp(db):
    client = Client()
    page = client.get("/login/")
    assert "font-src 'self'" in page["Content-Security-Policy"]
    response = client.get(f"/static/{PREFIX}/Sarabun-Regular.ttf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == (face_files()["Sarabun-Regular.ttf"]).read_bytes()
