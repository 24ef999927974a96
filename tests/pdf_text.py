"""A PDF's text read back by poppler's ``pdftotext`` and by pypdf, compared with
what it was asked to show (``thai.pdf.recording``).

Zero differences means: with whitespace set aside, every source string comes back
whole, its letters, vowels and tone marks in the order typed, and nothing else comes
back (nothing garbled, missing or extra); pypdf also gives the strings in the order
they were set. A table's heading row (noted ``repeats``) may come back again on
each page the table runs over. Page furniture (the footer, the page number) is read from the page's
margins and checked on its own, so a paragraph that runs over a page break still
reads as one.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterable

from pypdf import PdfReader

from thai.pdf.record import Noted

_SPACE = re.compile(r"[\s\u200b\u00a0]+")


def flat(text: str) -> str:
    return _SPACE.sub("", text)


def pdftotext_pages(pdf: bytes, *, band: tuple[float, float] | None = None) -> list[str]:
    """poppler's reading of each page (its default mode, as a person runs it).

    ``band``: only the text between these heights (points from the top of the page),
    for the body of a page without its header and footer.
    """
    args = ["pdftotext", "-enc", "UTF-8"]
    if band is not None:
        width, height = _page_size(pdf)
        top, bottom = band
        args += ["-x", "0", "-y", str(int(top)), "-W", str(int(width)),
                 "-H", str(int(bottom - top))]
    done = subprocess.run(args + ["-", "-"], input=pdf, capture_output=True, check=True)
    pages = done.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _page_size(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)


def pypdf_pages(pdf: bytes, *, band: tuple[float, float] | None = None) -> list[str]:
    """pypdf's reading of each page; ``band`` as for ``pdftotext_pages``."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        if band is None:
            pages.append(page.extract_text())
            continue
        height = float(page.mediabox.height)
        parts: list[str] = []

        def keep(text, cm, tm, font, size, parts=parts, height=height):
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]  # from the bottom
            if band[0] <= height - y <= band[1]:
                parts.append(text)

        page.extract_text(visitor_text=keep)
        pages.append("".join(parts))
    return pages


def differences(pages: Iterable[str], noted: list[Noted], *, ordered: bool = True
                ) -> list[str]:
    """What the extracted ``pages`` get wrong about ``noted`` ([] when nothing).

    ``ordered``: the strings must come back in the order they were set (pypdf reads
    the content stream in order). Without it each string must still come back
    whole and exact, but blocks may be read in another order (poppler reads a grid
    of badges row by row, and a label beside a bar where it stands).
    """
    text = flat("".join(pages))
    problems = []
    wanted = [flat(n.text) for n in noted if not n.furniture and flat(n.text)]
    # A table's heading row, set again on each page the table runs over.
    repeated = sorted({flat(n.text) for n in noted if n.repeats and flat(n.text)},
                      key=len, reverse=True)

    def unexpected(gap: str) -> str:
        for item in repeated:
            gap = gap.replace(item, "")
        return gap

    if not ordered:
        for item in sorted(wanted, key=len, reverse=True):
            if item in text:
                text = text.replace(item, "\0", 1)
            else:
                problems.append(f"not read back whole: {item!r}")
        rest = unexpected(text.replace("\0", ""))
        if rest:
            problems.append(f"unexpected text: {rest[:80]!r}")
        return problems
    position = 0
    for item in wanted:
        found = text.find(item, position)
        if found < 0:
            near = text[position : position + len(item) + 10]
            problems.append(f"not read back: {item!r}\n       read: {near!r}")
            continue
        if unexpected(text[position:found]):
            problems.append(f"unexpected text before {item[:20]!r}: "
                            f"{text[position:found]!r}")
        position = found + len(item)
    if unexpected(text[position:]):
        problems.append(f"unexpected text at the end: {text[position:position + 80]!r}")
    return problems


def both_differences(
    pdf: bytes, noted: list[Noted], *, margins: tuple[float, float] | None = None
) -> dict[str, list[str]]:
    """``differences`` for pdftotext (blocks in its reading order) and for pypdf
    (in the order set); {} when both read every string right.

    ``margins`` (top, bottom, in points): the page's header and footer bands hold
    the page furniture (a footer, the page number) and nothing else; the body
    between them holds the rest.
    """
    found: dict[str, list[str]] = {}
    for tool, read in (("pdftotext", pdftotext_pages), ("pypdf", pypdf_pages)):
        ordered = tool == "pypdf"
        if margins is None:
            problems = differences(read(pdf), noted, ordered=ordered)
        else:
            top, bottom = margins
            _, height = _page_size(pdf)
            body = [n for n in noted if not n.furniture]
            problems = differences(read(pdf, band=(top, height - bottom)), body,
                                   ordered=ordered)
            bands = read(pdf, band=(0, top)) + read(pdf, band=(height - bottom, height))
            problems += _furniture_differences(bands, noted)
        if problems:
            found[tool] = problems
    return found


def _furniture_differences(bands: list[str], noted: list[Noted]) -> list[str]:
    """The margins hold only furniture: each band's text is furniture strings."""
    furniture = sorted({flat(n.text) for n in noted if n.furniture}, key=len,
                       reverse=True)
    problems = [f"page furniture missing: {item!r}" for item in furniture
                if item not in flat("".join(bands))]
    for text in map(flat, bands):
        for item in furniture:
            text = text.replace(item, "")
        if text:
            problems.append(f"unexpected text in a margin: {text[:80]!r}")
    return problems
