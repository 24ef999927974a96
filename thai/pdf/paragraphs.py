"""Thai paragraphs for reportlab: Sarabun styles, lines broken only between words.

``thai_paragraph(text, style)`` is the one way the project puts text on a PDF page:
the text is shown literally (never read as markup), shaped, broken into lines only
where ``thai.breaks`` allows (the screen breaks at the same places), names never
broken, and it copies back out of the PDF as typed (``thai.pdf.fonts``).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from thai.breaks import line_units
from thai.chars import has_thai, is_space
from thai.pdf.fonts import FONT, NO_BREAK_SPACE, WORD_BREAK, register_fonts
from thai.pdf.record import note

__all__ = ["draw_string", "paragraph_styles", "thai_markup", "thai_paragraph"]


class _Paragraph(Paragraph):
    """A reportlab Paragraph that does not break its lines again for the width it
    was just broken for: a paragraph in a ``KeepTogether`` is measured by the
    group, then again by the frame."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo = self.__dict__.get("_wrapped")
        if (
            memo is not None
            and memo[0] == availWidth
            and memo[1] is self.frags
            and memo[2] is self.__dict__.get("blPara")
        ):
            self.width, self.height = availWidth, memo[3]
            return availWidth, memo[3]
        size = super().wrap(availWidth, availHeight)
        if "blPara" in self.__dict__:
            self._wrapped = (availWidth, self.frags, self.blPara, self.height)
        return size


def _runs(text: str, split_words: bool) -> list[str]:
    """The literal text of ``thai_markup(text)``, cut where a ``WORD_BREAK`` goes:
    ``WORD_BREAK.join(map(escape, runs))`` is the markup."""
    if not split_words:
        return [_plain_unit(text)]
    if not has_thai(text):
        return [text]
    runs: list[str] = []
    current: list[str] = []
    previous = ""
    for unit in line_units(text):
        if previous and not is_space(unit[0]) and not is_space(previous[-1]):
            runs.append("".join(current))
            current = []
        current.append(_plain_unit(unit) if not is_space(unit[0]) else unit)
        previous = unit
    runs.append("".join(current))
    return runs


def _plain_unit(unit: str) -> str:
    return unit.replace(" ", NO_BREAK_SPACE) if " " in unit else unit


def thai_markup(text: str, *, split_words: bool = True) -> str:
    """Paragraph markup showing ``text`` literally, breakable only between words.

    ``&``, ``<`` and ``>`` are escaped, so user text never becomes markup. Between
    two units of ``thai.breaks.line_units`` an invisible breakable space
    (``WORD_BREAK``) is put; existing spaces stay; a name's spaces become no-break
    spaces (they extract as spaces). With ``split_words=False`` the whole text is
    one unit: it never breaks (a person's name on a badge).
    """
    return WORD_BREAK.join(escape(run) for run in _runs(text, split_words))


# The fragments reportlab's parser makes of a text run and of a WORD_BREAK, by the
# style attributes they take (``ParaParser._initial_frag``).
_templates: dict[tuple, tuple[Any, Any]] = {}


def _template(style: ParagraphStyle) -> tuple[Any, Any] | None:
    key = (style.fontName, style.fontSize, style.textColor)
    found = _templates.get(key)
    if found is None:
        frags = Paragraph("x" + WORD_BREAK + "x", style).frags
        if len(frags) != 3 or frags[0].__dict__ != frags[2].__dict__:
            return None
        if len(_templates) > 256:
            _templates.clear()
        found = _templates[key] = (frags[0], frags[1])
    return found


def _paragraph(text: str, style: ParagraphStyle, split_words: bool) -> Paragraph:
    """``Paragraph(thai_markup(text), style)``, without parsing the markup.

    The markup is the text's runs with a ``WORD_BREAK`` tag between them: the
    parser's fragments are one per run and one per break, each a copy of the
    same two. Thousands of tags per document made the parser a third of a
    progress report's time. Whitespace is collapsed as the parser collapses it;
    text with escaped characters, or a style whose fragments differ, is parsed as
    before.
    """
    runs = _runs(text, split_words)
    markup = WORD_BREAK.join(escape(run) for run in runs)
    template = None
    if (
        text
        and not style.textTransform
        and "&" not in text
        and "<" not in text
        and ">" not in text
    ):
        # What the parser reads: the markup with its whitespace collapsed (a
        # clause's number is followed by two spaces). Runs never begin or end
        # beside a break with whitespace, so the breaks come through unchanged.
        cleaned = cleanBlockQuotedText(markup)
        if cleaned != markup:
            pieces = cleaned.split(WORD_BREAK)
            if len(pieces) == len(runs) and all(pieces):
                runs, markup = pieces, cleaned
            else:
                runs = []
        if runs:
            template = _template(style)
    if template is None:
        return _Paragraph(markup, style)
    run_frag, break_frag = template
    kind, run_attrs, break_attrs = type(run_frag), run_frag.__dict__, break_frag.__dict__
    frags = []
    for i, run in enumerate(runs):
        if i:
            frags.append(_frag(kind, break_attrs))
        frags.append(_frag(kind, {**run_attrs, "text": run}))
    return _Paragraph(markup, style, frags=frags)


def _frag(kind: type, attrs: dict[str, Any]) -> Any:
    """``kind(**attrs)`` (what ``ParaFrag.clone`` does), without the keywords."""
    frag = kind.__new__(kind)
    frag.__dict__.update(attrs)
    return frag


def paragraph_styles() -> dict[str, ParagraphStyle]:
    """Sarabun styles with shaping on, left-aligned: body (16 pt), small, h1-h3."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT["regular"],
        fontSize=16,
        # Thai stacks marks above and below the line: give it room.
        leading=24,
        alignment=TA_LEFT,
        shaping=1,
        spaceAfter=6,
        # A unit wider than the line is never cut inside a word: it overflows, and
        # a frame that must hold it (a badge) shrinks the text to fit.
        splitLongWords=0,
    )

    def derived(name: str, **overrides: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **overrides)

    return {
        "body": body,
        "small": derived("small", fontSize=12, leading=18),
        "h1": derived("h1", fontName=FONT["bold"], fontSize=24, leading=34),
        "h2": derived("h2", fontName=FONT["bold"], fontSize=20, leading=29),
        "h3": derived("h3", fontName=FONT["bold"], fontSize=17, leading=25),
    }


def thai_paragraph(
    text: str,
    style: ParagraphStyle,
    *,
    split_words: bool = True,
    furniture: bool = False,
    repeats: bool = False,
) -> Paragraph:
    """A Paragraph showing ``text`` literally in ``style``, breaking only between
    words (with ``split_words=False``, never). ``furniture``: drawn on every page
    (a footer); ``repeats``: drawn again on each page (a table's heading row with
    ``repeatRows``); both for ``thai.pdf.record``."""
    register_fonts()
    text = str(text)
    note(text, furniture=furniture, repeats=repeats)
    return _paragraph(text, style, split_words)


def draw_string(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    *,
    font: str = FONT["regular"],
    size: float = 11,
    noted: bool = False,
) -> None:
    """``text`` drawn on ``canvas`` at (x, y) in one line: shaped, and extracting as
    typed like a paragraph (for labels beside a drawing). A flowable notes its
    text for ``thai.pdf.record`` when it is made (``note``), as a paragraph does;
    drawing straight on a page, pass ``noted=True``."""
    register_fonts()
    if noted:
        note(text)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text, shaping=True)
