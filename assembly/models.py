"""Assemblies, partner organisations, delegates, rooms, sign-in links, audit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def localised(th: str, en: str) -> str:
    """The English text when English is active and there is one, else the Thai."""
    if en and (get_language() or "th").startswith("en"):
        return en
    return th


class Sector(models.TextChoices):
    STATE = "state", _("State")
    ACADEMIC = "academic", _("Academic and professional")
    PRIVATE = "private", _("Private sector")
    CIVIL = "civil", _("Civil society and community")


class Assembly(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        IN_SESSION = "in_session", _("In session")
        CLOSED = "closed", pgettext_lazy("assembly", "Closed")
        FOLLOWING_UP = "following_up", _("Following up")

    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue_th = models.CharField(_("venue (Thai)"), max_length=200)
    venue_en = models.CharField(_("venue (English)"), max_length=200, blank=True)
    province_th = models.CharField(_("province (Thai)"), max_length=100)
    province_en = models.CharField(_("province (English)"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    reporting_interval_days = models.PositiveSmallIntegerField(
        _("reporting interval (days)"), default=90
    )
    secretariat = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="secretariat_of"
    )
    partners = models.ManyToManyField(
        "Organisation", through="Partner", related_name="assemblies"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="assembly_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(reporting_interval_days__gte=1),
                name="assembly_reporting_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localised(self.title_th, self.title_en)

    @property
    def venue(self) -> str:
        return localised(self.venue_th, self.venue_en)

    @property
    def province(self) -> str:
        return localised(self.province_th, self.province_en)


class Organisation(models.Model):
    """A partner organisation. It outlives an assembly: next year's reuses it."""

    name_th = models.CharField(_("name (Thai)"), max_length=300, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organisations_staffed"
    )

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_th, self.name_en)

    @property
    def label(self) -> str:
        """The short name where there is one, for tight places."""
        return self.short_name or self.name


class Room(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        BREAKOUT = "breakout", _("Breakout room")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="rooms")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("0 for the plenary"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_rooms"
    )
    projector_token = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["assembly", "number"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "number"], name="room_number_unique"
            ),
            models.UniqueConstraint(
                fields=["assembly"],
                condition=Q(kind="plenary"),
                name="room_one_plenary_per_assembly",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_th, self.name_en)

    @property
    def is_plenary(self) -> bool:
        return self.kind == self.Kind.PLENARY


class Partner(models.Model):
    """An organisation taking part in one assembly, seated in one breakout room.

    Every partner also sits in the plenary. The partner, not the person, holds
    the voice in a decision.
    """

    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, related_name="partner_set"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships"
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("breakout room"),
    )

    class Meta:
        ordering = ["organisation__name_th"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "organisation"], name="partner_once_per_assembly"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Delegate(models.Model):
    class Kind(models.TextChoices):
        VOTING = "voting", _("Voting delegate")
        ALTERNATE = "alternate", _("Alternate")
        OBSERVER = "observer", _("Observer")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="delegates")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegate"
    )
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("role"), max_length=10, choices=Kind.choices, default=Kind.VOTING
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        ordering = ["partner", "kind", "name_th"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "name_th"], name="delegate_name_unique_in_partner"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_th, self.name_en)

    @property
    def may_vote(self) -> bool:
        """Voting delegates and alternates may use the organisation's voice."""
        return self.kind in (self.Kind.VOTING, self.Kind.ALTERNATE)


class SignInLink(models.Model):
    """A personal sign-in link of one account (a delegate, a facilitator, the
    secretariat, an agency's staff). Only the token's SHA-256 is stored: the
    token itself is shown once (badge, QR, e-mail) and never kept or logged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_links"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="sign_in_link_one_active_per_user",
            )
        ]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LinkSession(models.Model):
    """A session opened with a sign-in link. Revoking or replacing the link ends
    it: the session is deleted from the session store then, so no request pays
    for a check (``assembly.links``)."""

    link = models.ForeignKey(SignInLink, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    opened_at = models.DateTimeField(auto_now_add=True)


class DeskPresence(models.Model):
    """A delegate the check-in desk marked present in a room: someone without a
    phone (or whose phone is off) still counts for the quorum while there.
    One room at a time: marking them in another room moves them."""

    delegate = models.OneToOneField(
        Delegate, on_delete=models.CASCADE, related_name="desk_presence"
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="desk_presence")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("presence marked at the desk")
        verbose_name_plural = _("presence marked at the desk")


class AuditEvent(models.Model):
    """A security-relevant event. Never holds a secret poll's choice."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        PERMISSION_REFUSED = "permission_refused", _("Permission refused")
        TOKEN_ISSUED = "token_issued", _("Sign-in link issued")
        TOKEN_REVOKED = "token_revoked", _("Sign-in link revoked")
        TOKEN_EMAILED = "token_emailed", _("Sign-in link sent by e-mail")
        SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
        ACCOUNT_CREATED = "account_created", _("Account created")
        ACCOUNT_CHANGED = "account_changed", _("Account changed")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
        ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")
        PASSWORD_SET = "password_set", _("Password set")
        CHECKED_IN = "checked_in", _("Checked in at the desk")
        CHECKED_OUT = "checked_out", _("Checked out at the desk")
        MARKED_PRESENT = "marked_present", _("Marked present in a room")
        PRESENCE_CLEARED = "presence_cleared", _("No longer marked present")
        BALLOT_REFUSED = "ballot_refused", _("Ballot refused")
        BALLOT_RECORDED = "ballot_recorded", _("Ballot recorded by the facilitator")
        PROXY_GIVEN = "proxy_given", _("Voice given by proxy")
        PROXY_ENDED = "proxy_ended", _("Proxy ended")
        POLL_OPENED = "poll_opened", _("Poll opened")
        POLL_CLOSED = "poll_closed", _("Poll closed")
        IMPORT = "import", _("Partners imported")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    assembly = models.ForeignKey(
        Assembly, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
