"""Sarabun on screen, served by the app itself from the packaged font files.

The pages are set in Sarabun, like the PDFs, without copying font binaries into
the repository and without a font CDN (the Content Security Policy allows fonts
from this site only). ``SarabunFinder`` is a staticfiles finder: it exposes the
few weights the stylesheet uses, read from the ``fontpkg-sarabun`` package, under
``static/fonts/sarabun/``. ``collectstatic`` copies them like any static file
(hashed names in production, rewritten in ``samatcha.css``'s ``url()``s), and
WhiteNoise serves them through the finders in debug mode.
"""

from __future__ import annotations

from pathlib import Path

import fontpkg
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

FAMILY = "Sarabun"
PREFIX = "fonts/sarabun"
# (weight, style) pairs used by static/css/samatcha.css's @font-face rules.
FACES = ((400, "normal"), (600, "normal"), (700, "normal"))


def face_files() -> dict[str, Path]:
    """The packaged file of each face, by its file name."""
    files = {}
    for weight, style in FACES:
        path = Path(fontpkg.path(FAMILY, weight=weight, style=style))
        files[path.name] = path
    return files


class SarabunFinder(BaseFinder):
    """Finds ``fonts/sarabun/<file>`` among the faces of ``FACES``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files = face_files()
        folders = {path.parent for path in self.files.values()}
        # fontpkg keeps one family's files in one folder.
        (folder,) = folders
        self.storage = FileSystemStorage(location=str(folder))
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        missing = [name for name, path in self.files.items() if not path.is_file()]
        if missing:
            return [
                Error(
                    f"Sarabun font files are missing: {', '.join(missing)}",
                    hint="Install fontpkg-sarabun (requirements.lock).",
                    id="samatcha.E001",
                )
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        prefix, _, name = path.replace("\\", "/").rpartition("/")
        found = self.files.get(name) if prefix == PREFIX else None
        if found is None:
            return []  # as Django's own finders answer "not here"
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        for name in sorted(self.files):
            if ignore_patterns and utils.matches_patterns(name, ignore_patterns):
                continue
            yield name, self.storage
