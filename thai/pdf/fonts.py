"""Sarabun for reportlab: shaping, and text that copies back out of the PDF intact.

What this module promises, once ``register_fonts()`` has run (it is idempotent):

* The Sarabun family shipped by ``fontpkg-sarabun`` is registered under the names
  in ``FONT`` (and the family name ``"Sarabun"``), shaping-capable (HarfBuzz), so
  Thai vowels and tone marks stack correctly.
* Text extracted from the PDF gives back the characters that were typeset, in
  order, by every reader:
  - the ToUnicode map of each font subset maps the shaped glyph variants
    (``uni0E48.small`` ...) back to their characters, not to the private-use codes
    reportlab would write; SARA AM (ำ) comes back as one character in logical
    order (pypdf and others that read ToUnicode);
  - every run of Thai is wrapped in a marked-content span whose ``/ActualText`` is
    the run's text: readers that order glyphs by position (poppler's
    ``pdftotext``) would otherwise put a tone mark after the next letter
    ("ยืดหยุน่" for "ยืดหยุ่น").
* ``WORD_BREAK`` is an invisible break opportunity that extracts as nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

import fontpkg
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapedFragWord, ShapedStr, TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph as rl_paragraph

__all__ = ["FAMILY", "FONT", "NO_BREAK_SPACE", "WORD_BREAK", "ThaiTTFont", "register_fonts"]

FAMILY = "Sarabun"
FONT = {
    "regular": "Sarabun",
    "bold": "Sarabun-Bold",
    "italic": "Sarabun-Italic",
    "bold_italic": "Sarabun-BoldItalic",
}
# Same face as "Sarabun"; used only for the invisible word-break space, whose
# ToUnicode entry is empty so the break does not turn into a space in extracted text.
WORD_BREAK_FONT = "Sarabun-WordBreak"
WORD_BREAK = f'<font name="{WORD_BREAK_FONT}" size="0.1"> </font>'
NO_BREAK_SPACE = "\u00a0"

_FILES = {
    FONT["regular"]: (400, "normal"),
    FONT["bold"]: (700, "normal"),
    FONT["italic"]: (400, "italic"),
    FONT["bold_italic"]: (700, "italic"),
    WORD_BREAK_FONT: (400, "normal"),
}

_NIKHAHIT = "\u0e4d"
_SARA_AA = "\u0e32"
_SARA_AM = "\u0e33"
# Glyph names in Sarabun that are neither uniXXXX nor reached through the cmap.
_AGL_THAI = {
    "yoYingthai": "\u0e0d",
    "doChadathai": "\u0e0e",
    "toPatakthai": "\u0e0f",
    "thoThanthai": "\u0e10",
    "loChulathai": "\u0e2c",
}
# Latin ligatures (ff, fi, fl, ffi, ffl, long st, st): typed as their letters.
_LIGATURES = range(0xFB00, 0xFB07)
_UNI_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)$")


class ThaiTTFont(TTFont):
    """A TrueType font whose PDF ToUnicode map gives back the typeset text.

    reportlab draws a shaped glyph that has no cmap entry under a private-use code
    and writes that code into ToUnicode, so extraction returns U+E000... instead of
    the Thai mark. This class maps such codes back to the characters the glyph
    stands for (from its name), and honours codes it was told to map explicitly
    (``private_code``), including to nothing.
    """

    def __init__(
        self, name: str, filename: str, *, silent: str = "", face_name: str = ""
    ) -> None:
        super().__init__(name, filename)
        if face_name:
            # reportlab aliases fonts that share a face name to the first one
            # registered; a second role for the same file needs its own name.
            self.face.name = face_name.encode("ascii")
        self._texts: dict[int, str] = {ord(c): "" for c in silent}
        # Names are set with no-break spaces (a name never breaks across lines);
        # what was typed, and what a reader copies, is a space.
        self._texts.setdefault(ord(NO_BREAK_SPACE), " ")
        self._codes: dict[tuple[str, str], int] = {}
        # Downwards from the top of the private-use area; reportlab's own private
        # codes for unmapped glyphs grow upwards from U+E000.
        self._next_private = 0xF8F0
        # run of text -> what it extracts as (None: no ActualText needed); cleared
        # when a code gets a new meaning.
        self._actual: dict[str, str | None] = {}
        # The font's own cmap, before reportlab or we add private-use codes to it.
        self.cmap_codes = frozenset(self.face.charToGlyph)

    def private_code(self, like: str, text: str) -> str:
        """Return a character drawn with ``like``'s glyph that extracts as ``text``."""
        key = (like, text)
        codes = self._codes
        if key not in codes:
            face = self.face
            while self._next_private in face.charToGlyph:
                self._next_private -= 1
            code = self._next_private
            self._next_private -= 1
            gid = face.charToGlyph[ord(like)]
            face.charToGlyph[code] = gid
            # Appended, not prepended: glyphToChar[gid][0] stays the real character.
            face.glyphToChar.setdefault(gid, []).append(code)
            face.charWidths[code] = face.charWidths[ord(like)]
            self._texts[code] = text
            codes[key] = code
            self._code_added()
        return chr(codes[key])

    def text_of(self, code: int) -> str:
        """The Unicode text a PDF reader should extract for character ``code``."""
        if code in self._texts:
            return self._texts[code]
        if code in _LIGATURES:
            # Shaping draws "fi" as one glyph, which the font's cmap gives as
            # U+FB01: a reader would copy "Ofﬁce" for "Office".
            return unicodedata.normalize("NFKC", chr(code))
        gid = self.face.charToGlyph.get(code)
        if code in self.cmap_codes or gid is None:
            return chr(code)
        name = _glyph_name(self, gid)
        return _text_of_glyph_name(name, _names_to_text(self)) or chr(code)

    def hbFont(self, fontSize: float = 10) -> Any:  # noqa: N802, N803 (reportlab's names)
        """reportlab's HarfBuzz font; its ``hbAddPrivate`` (set here, on the
        instance) gives shaped glyphs new private codes: we hear of each."""
        font = super().hbFont(fontSize)
        add = self.__dict__.get("hbAddPrivate")
        if add is not None:

            def add_private(name: str, gid: int, advance: int) -> int:
                known = len(self.face.charToGlyph)
                code = add(name, gid, advance)
                if len(self.face.charToGlyph) != known:
                    self._code_added()
                return code

            self.hbAddPrivate = add_private
        return font

    def _code_added(self) -> None:
        # A code that meant nothing now draws a glyph: what was remembered of text
        # that contained it (a user may type a private-use character) is stale.
        global _codes_added
        _codes_added += 1
        self._actual.clear()
        _forget_widths()

    def actual_text(self, text: str) -> str | None:
        """What the run ``text`` drawn in this font should extract as, when a
        reader needs telling (Thai, or shaped glyphs); otherwise None."""
        actual = self._actual.get(text, False)
        if actual is False:
            if _needs_actual_text(text):
                actual = "".join([self.text_of(ord(c)) for c in text]) or None
            else:
                actual = None
            if len(self._actual) >= 50_000:
                self._actual.clear()
            self._actual[text] = actual
        return actual

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (reportlab's name)
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = _subset_base_name(self, n)
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, subset, self.text_of)


def _subset_base_name(font: TTFont, n: int) -> str:
    face = font.face
    return b"".join((ttfonts.SUBSETN(n), b"+", face.name, face.subfontNameX)).decode(
        "pdfdoc"
    )


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(
    fontname: str, subset: list[int], text_of: Callable[[int], str]
) -> str:
    """reportlab's ToUnicode CMap, with each code's text given by ``text_of``."""
    header = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    body = [f"<{i:02X}> <{_utf16_hex(text_of(v))}>" for i, v in enumerate(subset)]
    footer = [
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(header + body + footer)


@cache
def _hb_font(font: ThaiTTFont) -> Any:
    import uharfbuzz

    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(font.face._ttf_data)))


def _glyph_name(font: ThaiTTFont, gid: int) -> str:
    return str(_hb_font(font).glyph_to_string(gid))


@cache
def _names_to_text(font: ThaiTTFont) -> dict[str, str]:
    names: dict[str, str] = {}
    for code in sorted(font.cmap_codes):
        names.setdefault(_glyph_name(font, font.face.charToGlyph[code]), chr(code))
    return names


def _text_of_glyph_name(name: str, cmap_names: dict[str, str]) -> str:
    """Text for a glyph named ``uni0E48.small``, ``uni0E4D0E49``, ``yoYingthai``..."""
    base = name.split(".", 1)[0]
    if match := _UNI_NAME.match(base):
        digits = match.group(1)
        codes = (int(digits[i : i + 4], 16) for i in range(0, len(digits), 4))
        return "".join(map(chr, codes))
    return _AGL_THAI.get(base) or cmap_names.get(base, "")


def _mark_sara_am(word: list[Any]) -> None:
    """Make SARA AM extract as one character, after its tone mark, as it is typed.

    HarfBuzz draws ำ as NIKHAHIT (moved before any tone mark, often fused with it)
    followed by SARA AA. The nikhahit glyph is given a code that extracts as the
    tone mark alone (or nothing) and the SARA AA one a code that extracts as ำ.
    """
    for i, item in enumerate(word[1:], start=1):
        frag, text = item[0], item[1]
        font = pdfmetrics.getFont(frag.fontName)
        if not isinstance(font, ThaiTTFont) or _SARA_AA not in text:
            continue
        chars = list(text)
        for j in range(len(chars) - 1):
            head = font.text_of(ord(chars[j]))
            if chars[j + 1] == _SARA_AA and head.startswith(_NIKHAHIT):
                chars[j] = font.private_code(chars[j], head[1:])
                chars[j + 1] = font.private_code(_SARA_AA, _SARA_AM)
        fixed = "".join(chars)
        if fixed != text:
            shaped = ShapedStr(fixed, shapeData=getattr(text, "__shapeData__", None))
            if isinstance(item, tuple):
                word[i] = (frag, shaped)
            else:
                item[1] = shaped


# Shaped words, by what shaping depends on: per fragment its font, size and text.
# A document repeats its words (names, labels, the same clause wording) thousands of
# times; HarfBuzz and the per-glyph Python around it run once per distinct word.
_SHAPED_LIMIT = 50_000
_shaped: dict[tuple, Any] = {}
_UNCHANGED = object()


def _shape_key(w: Any) -> tuple | None:
    key: list[Any] = [w.__class__]
    for item in w[1:]:
        frag = item[0]
        text = item[1]
        if hasattr(frag, "cbDefn") or isinstance(text, ShapedStr):
            return None  # an inline image or anchor, or already shaped: not cached
        # By name: registering a font anew (its own private codes) empties the cache.
        key += (frag.fontName, frag.fontSize, text)
    return tuple(key)


def _shape_template(w: Any, shaped: Any) -> Any:
    """What to rebuild ``shaped`` from for another word with the same key: per
    output fragment, the index of the input fragment it came from."""
    if shaped is w:
        return _UNCHANGED
    frags = [item[0] for item in w[1:]]
    parts = []
    for item in shaped[1:]:
        index = next(i for i, f in enumerate(frags) if f is item[0])
        parts.append((index, item[1], isinstance(item, tuple)))
    return shaped.__class__, shaped[0], tuple(parts)


def _from_template(w: Any, template: Any) -> Any:
    if template is _UNCHANGED:
        return w
    klass, width, parts = template
    new = klass([width])
    for index, text, as_tuple in parts:
        frag = w[1 + index][0]
        new.append((frag, text) if as_tuple else [frag, text])
    return new


def _install_shaping_hook() -> None:
    """Wrap reportlab's shapeFragWord (once) so shaped words pass _mark_sara_am,
    and a word already shaped in the same fonts is not shaped again."""
    original = ttfonts.shapeFragWord
    if getattr(original, "_samatcha", False):
        return

    def shape_frag_word(w: Any, *args: Any, **kwargs: Any) -> Any:
        key = None if (args or kwargs or isinstance(w, ShapedFragWord)) else _shape_key(w)
        if key is not None:
            template = _shaped.get(key)
            if template is not None:
                return _from_template(w, template)
        shaped = original(w, *args, **kwargs)
        if shaped is not w and isinstance(shaped, ShapedFragWord):
            _mark_sara_am(shaped)
        if key is not None:
            if len(_shaped) >= _SHAPED_LIMIT:
                _shaped.clear()
            _shaped[key] = _shape_template(w, shaped)
        return shaped

    shape_frag_word._samatcha = True  # type: ignore[attr-defined]
    # Each module imported the function by name; all of them must see the wrapper.
    for module in (ttfonts, rl_paragraph, rl_canvas):
        if hasattr(module, "shapeFragWord"):
            module.shapeFragWord = shape_frag_word  # type: ignore[attr-defined]


def _install_width_hook() -> None:
    """Make the ``stringWidth`` reportlab's paragraphs use (once) remember its
    answers: line breaking asks the width of every word-break space already on the
    line each time it tries a word, hundreds of thousands of times a report. A
    width never changes for a registered font (``register_fonts`` forgets them
    all when it registers one); the cache is C, no Python frame per call."""
    original = rl_paragraph.stringWidth
    if getattr(original, "_samatcha", False):
        return
    string_width = lru_cache(maxsize=16384)(original)
    string_width._samatcha = True  # type: ignore[attr-defined]
    rl_paragraph.stringWidth = string_width  # type: ignore[attr-defined]

    def canvas_string_width(
        self: Any, text: str, fontName: str | None = None, fontSize: float | None = None  # noqa: N803
    ) -> float:
        # Canvas.stringWidth, remembered: drawing a line measures each of its runs.
        return string_width(
            text, fontName or self._fontname, self._fontsize if fontSize is None else fontSize
        )

    rl_canvas.Canvas.stringWidth = canvas_string_width  # type: ignore[method-assign]
    # Asked once per word too; a face's ascent and descent never change.
    ascent_descent = lru_cache(maxsize=256)(rl_paragraph.getAscentDescent)
    rl_paragraph.getAscentDescent = ascent_descent  # type: ignore[attr-defined]


def _forget_widths() -> None:
    for measure in (rl_paragraph.stringWidth, rl_paragraph.getAscentDescent):
        if hasattr(measure, "cache_clear"):
            measure.cache_clear()


def _needs_actual_text(text: str) -> bool:
    # Thai, or a private-use code standing for a shaped Thai glyph.
    return any("\u0e00" <= c <= "\u0e7f" or "\ue000" <= c <= "\uf8ff" for c in text)


def actual_text_span(text: str, operators: str) -> str:
    """``operators`` inside a marked-content span that extracts as ``text``."""
    utf16 = _utf16_hex("\ufeff" + text)
    return f"/Span <</ActualText <{utf16}>>> BDC {operators} EMC"


# How many times a code got a new glyph in any font (part of a drawn run's key).
_codes_added = 0


def _drawn_runs(canvas: Any) -> dict:
    """The runs already drawn in ``canvas``'s PDF document: key -> (text,
    operators, font subset after them). Kept on the canvas (one per document)."""
    memo = canvas.__dict__.get("_thai_drawn_runs")
    if memo is None or memo[0] is not canvas._doc:
        memo = canvas._thai_drawn_runs = (canvas._doc, {})
    return memo[1]


def _install_actual_text_hook() -> None:
    """Wrap reportlab's text output (once) so Thai runs carry their ActualText.

    Every string drawn in a ``ThaiTTFont`` goes through
    ``PDFTextObject._formatText`` (paragraphs, ``drawString``, footers): the span
    says which characters the glyphs stand for, in logical order, whatever the
    glyphs' positions.
    """
    original = textobject.PDFTextObject._formatText
    if getattr(original, "_samatcha", False):
        return

    def format_text(self: Any, text: str) -> str:
        font = pdfmetrics.getFont(self._fontname)
        if not isinstance(font, ThaiTTFont):
            return original(self, text)
        # The operators depend on the run and the text state, and on which font
        # subsets the document has given the glyphs codes in (``splitString``
        # assigns codes the first time): remembered per document, they are the
        # same the second time. A shaped run is known by the object (shaped words
        # are shared, ``_shaped``), kept alive by the entry so its id stays its own.
        ops = _drawn_runs(self._canvas)
        key = (
            id(text) if isinstance(text, ShapedStr) else text,
            self._fontname,
            self._fontsize,
            self._leading,
            self._curSubset,
            self._rise,
            _codes_added,
        )
        hit = ops.get(key)
        if hit is not None and (hit[0] is text or type(text) is str):
            self._curSubset = hit[2]
            return hit[1]
        operators = original(self, text)
        actual = font.actual_text(text)
        if actual:
            operators = actual_text_span(actual, operators)
        ops[key] = (text, operators, self._curSubset)
        return operators

    format_text._samatcha = True  # type: ignore[attr-defined]
    textobject.PDFTextObject._formatText = format_text  # type: ignore[method-assign]


def register_fonts() -> None:
    """Register the Sarabun family with reportlab, shaping-capable. Idempotent."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, (weight, style) in _FILES.items():
        if name in registered and isinstance(pdfmetrics.getFont(name), ThaiTTFont):
            continue
        path = str(fontpkg.path(FAMILY, weight=weight, style=style))
        if name == WORD_BREAK_FONT:
            font = ThaiTTFont(name, path, silent=" ", face_name=name)
        else:
            font = ThaiTTFont(name, path)
        pdfmetrics.registerFont(font)
        _forget_widths()
        _shaped.clear()
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FONT["regular"],
        bold=FONT["bold"],
        italic=FONT["italic"],
        boldItalic=FONT["bold_italic"],
    )
    _install_shaping_hook()
    _install_actual_text_hook()
    _install_width_hook()


