"""Adopted resolutions, their owning agencies and their progress over months."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agenda.models import AgendaItem
from assembly.models import Assembly, Organisation


class Resolution(models.Model):
    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("By consensus")
        FALLBACK = "fallback", _("By qualified majority (fallback)")

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="resolutions"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="resolutions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("adopted text"))
    adopted_on = models.DateField(_("adopted on"))
    method = models.CharField(pgettext_lazy("resolution", "adopted"), max_length=10, choices=Method.choices)
    figures = models.JSONField(default=dict, blank=True)
    poll = models.ForeignKey(
        "voting.Poll", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Joint lead agencies: ``owner`` is the agency named first; ``co_owners`` the
    # others (seed room 3 has six leads, room 4 two). Every owner's staff post
    # progress; ``owners`` gives them all in order.
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_resolutions",
        verbose_name=_("owning agency"),
    )
    co_owners = models.ManyToManyField(
        Organisation, blank=True, related_name="co_owned_resolutions",
        verbose_name=_("joint owning agencies"),
    )
    supporters = models.ManyToManyField(
        Organisation, blank=True, related_name="supported_resolutions",
        verbose_name=_("supporting agencies"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    baseline = models.CharField(_("baseline"), max_length=200, blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1")
    )

    class Meta:
        ordering = ["item__number", "position"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="resolution_position_unique"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="resolution_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.item.number}.{self.position}"

    @property
    def owners(self) -> list[Organisation]:
        """Every owning agency: the one named first, then the joint owners by
        name (uses a prefetch of ``co_owners`` when there is one)."""
        others = sorted(
            (o for o in self.co_owners.all() if o.pk != self.owner_id),
            key=lambda o: o.name_th,
        )
        return [self.owner, *others]

    def is_owned_by(self, organisation: Organisation) -> bool:
        return organisation is not None and any(
            o.pk == organisation.pk for o in self.owners
        )


class ProgressUpdate(models.Model):
    """An entry in a resolution's timeline. The timeline is only appended to."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Progress update")
        NOTE = "note", _("Note from a supporting agency")
        CORRECTION = "correction", _("Correction by the secretariat")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", pgettext_lazy("resolution progress", "Done")
        DROPPED = "dropped", _("Dropped")

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, blank=True
    )
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), max_length=5000)
    refers_to = models.DateField(_("as of"))
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resolution", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="progress_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="note") | (~Q(status="") & Q(percent__isnull=False)),
                name="progress_update_has_status",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("the progress timeline is append-only")
        super().save(*args, **kwargs)


class Reminder(models.Model):
    """One reminder sent to an owning agency about its stale resolutions, by the
    secretariat's button or by the scheduled command (``sent_by`` empty). Keeps
    the schedule from writing to an agency every day, and shows the desk when
    each agency was last reminded."""

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    recipient_count = models.PositiveSmallIntegerField()
    numbers = models.CharField(max_length=500, help_text="the resolutions named")

    class Meta:
        ordering = ["-sent_at", "-pk"]
