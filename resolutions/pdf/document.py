"""The adopted resolutions of an assembly (มติสมัชชา) as a PDF.

Laid out as a Thai provincial office issues a document: the heading centred (the
resolutions, the assembly's name and edition, the date in the Buddhist Era, the
venue), then each agenda item with its title ("ระเบียบวาระที่ 1 เรื่อง ..."), its
preamble as agreed, "the assembly resolves as follows" and the numbered
resolutions, each with its owning agencies and how it was adopted; the partners by
sector close the document. Pages after the first are numbered at the top centre
("- ๒ -"). With ``thai_digits`` every number is written in Thai digits.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from agenda.models import AgendaItem
from assembly.models import Assembly, Sector
from resolutions import selectors
from resolutions.models import Resolution
from resolutions.pdf.common import para, styles
from resolutions.wording import adoption_text
from thai import dates
from thai.pdf import build, collector_paused


def _same(text: str) -> str:
    return text


def _header(assembly: Assembly, st, lang: str, digits: Callable[[str], str]) -> list:
    when = dates.format_date_range(assembly.starts_on, assembly.ends_on, lang)
    edition = _("%(title)s, edition %(edition)s") % {
        "title": assembly.title,
        "edition": assembly.edition,
    }
    return [
        para(_("Resolutions of the assembly"), st["title"]),
        para(digits(edition), st["subtitle"]),
        para(
            digits(pgettext("resolutions document", "On %(date)s") % {"date": when}),
            st["centre"],
        ),
        para(
            pgettext("resolutions document", "At %(venue)s, %(province)s")
            % {"venue": assembly.venue, "province": assembly.province},
            st["centre"],
        ),
        para("—————", st["centre"]),
    ]


def _preamble(item: AgendaItem, resolutions: list[Resolution]) -> str:
    """The preamble of the text the resolutions were adopted from."""
    for res in resolutions:
        if res.poll_id and res.poll.version_id:
            return res.poll.version.preamble
    return item.agreed_version.preamble if item.agreed_version_id else ""


def _resolution(res: Resolution, st, lang: str, digits: Callable[[str], str]):
    owners = ", ".join(o.name for o in res.owners)
    details = [
        _("Owning agency: %(owner)s") % {"owner": owners},
        _("Adopted on %(date)s: %(how)s")
        % {"date": dates.format_date(res.adopted_on, lang), "how": adoption_text(res)},
    ]
    supporters = [s.name for s in res.supporters.all()]
    if supporters:
        details.append(
            _("Supporting agencies: %(names)s") % {"names": ", ".join(supporters)}
        )
    return KeepTogether(
        [para(digits(f"{res.number}  {res.text}"), st["clause"])]
        + [para(digits(line), st["meta"]) for line in details]
    )


def _item(item, group: list[Resolution], st, lang: str, digits) -> list:
    story = [
        Spacer(1, 4 * mm),
        para(
            digits(
                pgettext("resolutions document", "Agenda item %(number)s: %(title)s")
                % {"number": item.number, "title": item.title}
            ),
            st["h3"],
        ),
    ]
    preamble = _preamble(item, group)
    for paragraph in filter(None, (p.strip() for p in preamble.splitlines())):
        story.append(para(digits(paragraph), st["preamble"]))
    story.append(para(_("The assembly resolves as follows:"), st["body"]))
    story += [_resolution(res, st, lang, digits) for res in group]
    return story


def _partners(assembly: Assembly, st, digits: Callable[[str], str]) -> list:
    partners = list(selectors.partners_of(assembly))
    story = [
        Spacer(1, 6 * mm),
        para(
            digits(
                _("Partners taking part (%(n)s organisations)") % {"n": len(partners)}
            ),
            st["h3"],
        ),
    ]
    for sector, group in groupby(partners, key=lambda p: p.organisation.sector):
        names = ", ".join(p.organisation.name for p in group)
        story.append(para(digits(f"{Sector(sector).label}: {names}"), st["meta"]))
    return story


@collector_paused()
def resolutions_pdf(assembly: Assembly, *, thai_digits: bool = False) -> bytes:
    """The assembly's adopted resolutions, item by item, in the active language.

    ``thai_digits``: numbers (dates, item and resolution numbers, pages, figures,
    numbers in the texts) in Thai digits, in a Thai document; web addresses and
    codes keep theirs.
    """
    lang = get_language() or "th"
    digits = dates.to_thai_digits if thai_digits and dates.is_thai_language(lang) else _same
    st = styles()
    story = _header(assembly, st, lang, digits)
    resolutions = list(
        selectors.resolutions_of(assembly).select_related(
            "item__agreed_version", "poll__version"
        )
    )
    if not resolutions:
        story.append(para(_("No resolutions have been adopted yet."), st["body"]))
    for item, group in groupby(resolutions, key=lambda r: r.item):
        story += _item(item, list(group), st, lang, digits)
    story += _partners(assembly, st, digits)
    story += [
        Spacer(1, 10 * mm),
        para(_("Secretariat of the assembly"), st["signature"]),
        para(assembly.title, st["signature"]),
    ]

    def footer(page: int) -> str:
        return assembly.title  # the page number stands at the top, Thai style

    return build(
        story,
        title=_("Resolutions of the assembly"),
        footer=footer,
        page_number=lambda page: digits(f"- {page} -"),
        subject=assembly.title,
    )
