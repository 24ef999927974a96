"""Agenda items, their versioned draft resolutions, amendments and speakers.

A draft is a sequence of ``DraftVersion`` rows; each version holds a full copy of
its clauses (a draft has a handful of clauses, so copying keeps reads trivial and
history exact). A clause keeps its ``key`` across versions, so a clause can be
followed through the history even when its number (position) changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly.models import Assembly, Delegate, Organisation, Partner, Room, localised

TEXT_MAX = 5000
RATIONALE_MAX = 2000


class AgendaItem(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("In deliberation")
        AGREED = "agreed", _("Agreed by the room, ready for the plenary")
        ADOPTED = "adopted", _("Adopted by the plenary")
        NOT_ADOPTED = "not_adopted", pgettext_lazy("agenda item", "Not adopted")

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    lead_agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_items",
        verbose_name=_("lead agency"),
    )
    co_leads = models.ManyToManyField(
        Organisation, blank=True, related_name="co_led_items", verbose_name=_("co-leads")
    )
    room = models.OneToOneField(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("breakout room"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING
    )
    current_clause_key = models.PositiveIntegerField(
        _("clause under discussion"), null=True, blank=True
    )
    agreed_version = models.ForeignKey(
        "DraftVersion", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assembly", "number"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "number"], name="agenda_item_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return localised(self.title_th, self.title_en)

    @property
    def description(self) -> str:
        return localised(self.description_th, self.description_en)


class DraftVersion(models.Model):
    """One version of an item's draft resolution. Never changed once written."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    preamble = models.TextField(blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    amendment = models.ForeignKey(
        "Amendment", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.number} v{self.number}"


class Clause(models.Model):
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveSmallIntegerField()
    key = models.PositiveIntegerField(help_text="stable identity across versions")
    text = models.TextField(max_length=TEXT_MAX)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="clause_position_unique"
            ),
            models.UniqueConstraint(fields=["version", "key"], name="clause_key_unique"),
        ]

    def __str__(self) -> str:
        return f"ข้อ {self.position}"


class Amendment(models.Model):
    class Kind(models.TextChoices):
        REPLACE = "replace", _("Replace the clause's text")
        INSERT = "insert", _("Insert a new clause")
        DELETE = "delete", _("Delete the clause")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted for decision")
        MERGED = "merged", _("Merged as a friendly change")
        RULED_OUT = "ruled_out", _("Ruled out of order")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        # Still pending when the room agreed its draft: closed undecided, and the
        # record says so (see agenda.services.item_agree).
        LAPSED = "lapsed", _("Closed undecided when the room agreed its draft")

    PENDING = (Status.SUBMITTED, Status.ACCEPTED)

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="amendments")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="amendments",
        verbose_name=_("proposing organisation"),
    )
    proposed_by = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, related_name="amendments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    target_key = models.PositiveIntegerField(
        _("clause"), null=True, blank=True,
        help_text="clause replaced or deleted; for an insert, the clause it follows "
        "(empty: at the start)",
    )
    base_version = models.ForeignKey(
        DraftVersion, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("proposed text"), blank=True, max_length=TEXT_MAX)
    rationale = models.TextField(_("rationale"), blank=True, max_length=RATIONALE_MAX)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    needs_update = models.BooleanField(_("needs an update"), default=False)
    # Adopted although its clause had changed since it was written: the
    # facilitator chose to replace the newer text (or a vote decided it).
    adopted_over_conflict = models.BooleanField(
        _("adopted over a later change"), default=False
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=RATIONALE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    resulting_version = models.ForeignKey(
        DraftVersion, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # The proposing organisation's consent to a friendly merge (see amendment_merge).
    merge_consented_at = models.DateTimeField(
        _("consent to merge given at"), null=True, blank=True
    )
    merge_consented_by = models.ForeignKey(
        Delegate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("consent to merge given by"),
    )

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="delete") | ~Q(text=""), name="amendment_has_text"
            ),
            models.CheckConstraint(
                condition=Q(kind="insert") | Q(target_key__isnull=False),
                name="amendment_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class SpeakerRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Speaking")
        DONE = "done", pgettext_lazy("speaker turn", "Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="speaker_requests")
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="speaker_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(default=180)

    class Meta:
        ordering = ["room", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "delegate"],
                condition=Q(status__in=["waiting", "speaking"]),
                name="speaker_request_once_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(status="speaking"),
                name="speaker_one_at_a_time",
            ),
        ]


class PlenaryDocument(models.Model):
    """The consolidated document: every item's agreed draft, in order."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="plenary_documents"
    )
    number = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField(auto_now_add=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    versions = models.ManyToManyField(DraftVersion, related_name="+")

    class Meta:
        ordering = ["assembly", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "number"], name="plenary_document_number_unique"
            )
        ]


class Notice(models.Model):
    """A message to a partner organisation about an agenda item, shown on the room
    page to the organisation's delegates until one of them marks it read.

    Written by the services (an amendment needing an update after the draft
    changed); ``text`` is in Thai, the working language, and is plain text.
    """

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="notices",
        verbose_name=_("organisation"),
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, null=True, blank=True,
        related_name="notices", help_text="the person concerned, if one",
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="notices")
    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class PlenaryComment(models.Model):
    """A partner organisation's written comment on an agenda item of the
    consolidated document, sent by one of its delegates during the plenary and
    read by the secretariat. Plain text, stored as typed."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="plenary_comments"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="plenary_comments",
        verbose_name=_("organisation"),
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, related_name="plenary_comments"
    )
    text = models.TextField(_("comment"), max_length=RATIONALE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("plenary comment")
        verbose_name_plural = _("plenary comments")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="plenary_comment_has_text")
        ]

    def __str__(self) -> str:
        return self.text[:60]
