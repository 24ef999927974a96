"""Polls, ballots (one per partner organisation) and the append-only ballot log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agenda.models import AgendaItem, Amendment, DraftVersion
from assembly.models import Delegate, Partner, Room


class Poll(models.Model):
    class Kind(models.TextChoices):
        AMENDMENT = "amendment", _("Amendment vote")
        CONSENSUS = "consensus", _("Consensus round")
        FALLBACK = "fallback", _("Qualified-majority fallback vote")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", pgettext_lazy("poll", "Closed")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="polls")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, null=True, blank=True, related_name="polls"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="polls",
        help_text="the agenda item decided (for every kind)",
    )
    version = models.ForeignKey(
        DraftVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="the draft version a consensus round or fallback vote is about",
    )
    round_number = models.PositiveSmallIntegerField(default=1)
    secret = models.BooleanField(_("secret ballot"), default=False)
    results_live = models.BooleanField(_("show results while open"), default=True)
    threshold_num = models.PositiveSmallIntegerField(default=1)
    threshold_den = models.PositiveSmallIntegerField(default=2)
    quorum_num = models.PositiveSmallIntegerField(default=1)
    quorum_den = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    countdown_seconds = models.PositiveIntegerField(
        _("countdown (seconds)"), null=True, blank=True,
        help_text=_("When set, the server closes the vote this long after opening."),
    )
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # Figures recorded at the moment of closing.
    entitled_count = models.PositiveIntegerField(null=True, blank=True)
    present_count = models.PositiveIntegerField(null=True, blank=True)
    voting_count = models.PositiveIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    adopted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["room", "created_at", "pk"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_den__gt=0)
                & Q(threshold_num__lte=models.F("threshold_den"))
                & Q(quorum_den__gt=0)
                & Q(quorum_num__lte=models.F("quorum_den")),
                name="poll_fractions_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="amendment") | Q(amendment__isnull=False),
                name="poll_amendment_vote_names_amendment",
            ),
            models.UniqueConstraint(
                fields=["room"], condition=Q(status="open"), name="poll_one_open_per_room"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Ballot(models.Model):
    """A partner organisation's current choice in a poll: one row per partner.

    In a secret poll, ``choice`` and ``reason`` are erased when the poll closes;
    the row then only records that the partner voted.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="ballots")
    cast_by = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choice = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["poll", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "partner"], name="ballot_one_per_organisation"
            )
        ]


class BallotEvent(models.Model):
    """Append-only log of every cast and change. No choice for a secret poll."""

    class Action(models.TextChoices):
        CAST = "cast", _("Cast")
        CHANGE = "change", _("Changed")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="events")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=6, choices=Action.choices)
    choice = models.CharField(max_length=10, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["poll", "at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("the ballot log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("the ballot log is append-only")
