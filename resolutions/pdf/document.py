"""The adopted resolutions of an assembly (มติสมัชชา) as a PDF."""

from __future__ import annotations

from itertools import groupby

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from assembly.models import Assembly, Sector
from resolutions import selectors
from resolutions.pdf.common import para, styles
from resolutions.wording import adoption_text
from thai import dates
from thai.pdf import build


def _header(assembly: Assembly, st, lang: str) -> list:
    when = dates.format_date_range(assembly.starts_on, assembly.ends_on, lang)
    return [
        para(_("Resolutions of the assembly"), st["h1"]),
        para(assembly.title, st["h2"]),
        para(_("Date: %(date)s") % {"date": when}, st["body"]),
        para(
            _("Venue: %(venue)s, %(province)s")
            % {"venue": assembly.venue, "province": assembly.province},
            st["body"],
        ),
    ]


def _partners(assembly: Assembly, st) -> list:
    partners = list(selectors.partners_of(assembly))
    story = [
        para(
            _("Partners taking part (%(n)s organisations)") % {"n": len(partners)},
            st["h3"],
        )
    ]
    for sector, group in groupby(partners, key=lambda p: p.organisation.sector):
        names = ", ".join(p.organisation.name for p in group)
        story.append(para(f"{Sector(sector).label}: {names}", st["meta"]))
    return story


def resolutions_pdf(assembly: Assembly) -> bytes:
    """The assembly's adopted resolutions, item by item, in the active language.

    Heads with the assembly's name, its date (Buddhist Era in Thai), venue and the
    partner organisations by sector; then each agenda item with its resolutions,
    each with its owning agency and how it was adopted.
    """
    lang = get_language() or "th"
    st = styles()
    story = _header(assembly, st, lang) + _partners(assembly, st)
    resolutions = list(selectors.resolutions_of(assembly))
    if not resolutions:
        story.append(para(_("No resolutions have been adopted yet."), st["body"]))
    for item, group in groupby(resolutions, key=lambda r: r.item):
        story.append(Spacer(1, 4 * mm))
        story.append(
            para(
                _("Agenda item %(number)s: %(title)s")
                % {"number": item.number, "title": item.title},
                st["h3"],
            )
        )
        for res in group:
            details = [
                _("Owning agency: %(owner)s") % {"owner": res.owner.name},
                _("Adopted on %(date)s: %(how)s")
                % {
                    "date": dates.format_date(res.adopted_on, lang),
                    "how": adoption_text(res),
                },
            ]
            supporters = [s.name for s in res.supporters.all()]
            if supporters:
                details.append(
                    _("Supporting agencies: %(names)s")
                    % {"names": ", ".join(supporters)}
                )
            story.append(
                KeepTogether(
                    [para(f"{res.number}  {res.text}", st["clause"])]
                    + [para(line, st["meta"]) for line in details]
                )
            )

    def footer(page: int) -> str:
        return _("%(title)s · page %(page)s") % {"title": assembly.title, "page": page}

    return build(story, title=_("Resolutions of the assembly"), footer=footer)
