"""Polls, ballots (one per partner organisation), the append-only ballot log,
a secret poll's choices while it is open, and proxies.

Where each thing is stored is part of the secrecy promise (docs/voting.md):

- ``Ballot``: who voted, one row per organisation. A named poll keeps the
  choice here (it is public record). No row carries a time.
- ``SecretChoice``: a secret poll's choices, only while it is open. At close the
  counts go into the poll, the who-voted ``Ballot`` rows and the log are written
  in partner order, these rows are deleted and the table is physically cleaned
  (``voting.scrub``).
- ``BallotEvent``: the append-only log (database triggers refuse UPDATE and
  DELETE). Never a choice for a secret poll; never a time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agenda.models import AgendaItem, Amendment, DraftVersion
from assembly.models import Assembly, Delegate, Partner, Room


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
    # A consensus round in the plenary on every item the rooms agreed and the
    # plenary had not yet decided, voted once ("all items"): ``items`` lists
    # them, ``item`` is the first of them (every poll names an item) and
    # ``version`` is empty (each item's agreed version is what is adopted).
    all_items = models.BooleanField(_("on all items"), default=False)
    items = models.ManyToManyField(
        AgendaItem, blank=True, related_name="all_items_polls",
        help_text="the items a consensus round on all items decides together",
    )
    round_number = models.PositiveSmallIntegerField(default=1)
    secret = models.BooleanField(_("secret ballot"), default=False)
    results_live = models.BooleanField(_("show results while open"), default=True)
    # A secret poll's choices were aggregated and their rows deleted at close;
    # this says the table's pages were cleaned afterwards too (voting.scrub).
    secret_scrubbed = models.BooleanField(default=False)
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
            # Live figures would tell the room who chose what, ballot by ballot.
            models.CheckConstraint(
                condition=Q(secret=False) | Q(results_live=False),
                name="poll_secret_shows_no_live_results",
            ),
            models.CheckConstraint(
                condition=Q(all_items=False) | Q(kind="consensus"),
                name="poll_all_items_is_a_consensus_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Proxy(models.Model):
    """An absent partner gives its voice to another partner for one day.

    The holder's voting delegate (or alternate) then casts the giver's ballot as
    well, in the rooms where both are entitled (the plenary; a breakout room both
    sit in), and the giver counts as present there when the holder is. At most
    one proxy given and one held per partner and day, never to itself; no chains
    (a giver holds none, a holder gives none: ``services.proxy_give``).
    """

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="proxies"
    )
    giver = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="proxies_given",
        verbose_name=_("represented partner"),
    )
    holder = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="proxies_held",
        verbose_name=_("proxy holder"),
    )
    day = models.DateField(_("day"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["assembly", "-day", "pk"]
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["giver", "day"], condition=Q(ended_at__isnull=True),
                name="proxy_one_given_per_partner_and_day",
            ),
            models.UniqueConstraint(
                fields=["holder", "day"], condition=Q(ended_at__isnull=True),
                name="proxy_one_held_per_partner_and_day",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("holder")), name="proxy_never_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder} ({self.day})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


def _cast_by_someone(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(cast_by__isnull=False) | Q(recorded_by__isnull=False), name=name
    )


class BallotBase(models.Model):
    """What a ballot is: an organisation's choice in a poll, cast on a phone by
    one of its delegates (``cast_by``; with ``proxy`` set, a delegate of the
    proxy's holder), or recorded by the facilitator from a paper ballot or a
    show of hands (``recorded_by``). Deliberately no time."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    proxy = models.ForeignKey(
        Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choice = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True


class Ballot(BallotBase):
    """Who voted in a poll: one row per partner organisation (a constraint).

    A named poll's row carries the choice and reason and is written as ballots
    arrive. A secret poll's rows are written at close, in partner order, without
    choice or reason: its choices lived in ``SecretChoice`` while it was open.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="ballots"
    )

    class Meta:
        ordering = ["poll", "partner"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "partner"], name="ballot_one_per_organisation"
            ),
            _cast_by_someone("ballot_cast_or_recorded"),
        ]


class SecretChoice(BallotBase):
    """A secret poll's ballot while the poll is open: one row per organisation.

    Read only to count at close, to show an organisation's own phones their
    current choice, and (without names) the facilitator the reasons of concerns
    and blocks. Deleted at close, and the table physically cleaned after
    (``voting.scrub``). Never in the admin.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "partner"], name="secretchoice_one_per_organisation"
            ),
            _cast_by_someone("secretchoice_cast_or_recorded"),
        ]


class BallotEvent(models.Model):
    """Append-only log of ballots: who cast or changed an organisation's ballot.

    The database refuses UPDATE and DELETE of a row (triggers, migration 0003).
    A named poll's events are appended as ballots arrive, with the choice. A
    secret poll's are written at close, one per organisation in partner order,
    without the choice. No event carries a time: the poll's opening and closing
    times are on the poll.
    """

    class Action(models.TextChoices):
        CAST = "cast", _("Cast")
        CHANGE = "change", _("Changed")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="events")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    proxy = models.ForeignKey(
        Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=6, choices=Action.choices)
    choice = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["poll", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delegate__isnull=False) | Q(recorded_by__isnull=False),
                name="ballotevent_cast_or_recorded",
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("the ballot log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("the ballot log is append-only")
