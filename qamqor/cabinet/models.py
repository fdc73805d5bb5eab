"""The personal cabinet's data (R-POR-1…6): the catalogue of rehabilitation means and services,
IPR measures from E-Sobes, suppliers and their offers, orders and their reimbursement.

* ``CatalogueItem`` ("оңалту құралы / қызмет"): reference data with codes and kk/ru/en names and
  the guaranteed sum the local budget reimburses.
* ``Ipr`` ("оңалтудың жеке бағдарламасы", ОЖБ) and its ``Measure`` rows ("іс-шара"), imported
  from E-Sobes (R-POR-3); each measure carries its 2-month choice window (R-POR-4).
* ``Supplier`` ("жеткізуші", a legal entity by BIN) and its ``Offer`` rows (R-POR-1, R-POR-6).
* ``Order`` ("тапсырыс") with its ``OrderTransition`` rows and the signed reimbursement
  application (R-POR-5); the legal moves are in ``workflow.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qamqor.core.fields import BINField
from qamqor.core.history import AuditedModel
from qamqor.core.models import AppendOnlyModel, Named


class CatalogueItem(Named, AuditedModel):
    """A rehabilitation means or service of the reference catalogue (R-POR-1, R-POR-6)."""

    class Kind(models.TextChoices):
        MEANS = "means", _("rehabilitation means")
        SERVICE = "service", _("service")

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit_kk = models.CharField(_("unit (Kazakh)"), max_length=32, default="дана")
    unit_ru = models.CharField(_("unit (Russian)"), max_length=32, default="шт.")
    guaranteed_sum = models.DecimalField(
        _("guaranteed sum, tenge"),
        max_digits=12,
        decimal_places=2,
        help_text=_("What the local budget reimburses for one unit."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Supplier(AuditedModel):
    """A supplier of rehabilitation means or services: a legal entity by BIN that logs in with
    its e-signature (R-POR-1). Its staff hold the role ``supplier`` scoped to it."""

    bin = BINField(_("BIN"), unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_ru", "pk"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils import translation

        lang = (translation.get_language() or "kk")[:2]
        return self.name_ru if lang == "ru" else (self.name_kk or self.name_ru)


class Offer(AuditedModel):
    """What a supplier offers: one catalogue item, in some regions, at a price, with delivery
    terms (R-POR-1). Withdrawn, never deleted."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="offers", verbose_name=_("supplier")
    )
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="offers", verbose_name=_("item")
    )
    regions = models.ManyToManyField(
        "core.Region", related_name="+", verbose_name=_("regions served")
    )
    price = models.DecimalField(_("price, tenge"), max_digits=12, decimal_places=2)
    delivery_days = models.PositiveSmallIntegerField(_("delivery within, calendar days"))
    delivery_terms = models.CharField(_("delivery terms"), max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["price", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="offer_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.item.code} · {self.price}"


class Ipr(AuditedModel):
    """An individual rehabilitation programme (ОЖБ) of a person with disabilities, as E-Sobes
    sent it (R-POR-3). ``district`` is where the person is served: its local executive body
    decides the reimbursement and its region limits the suppliers offered."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="iprs",
        verbose_name=_("person"),
    )
    number = models.CharField(_("IPR number"), max_length=64, unique=True)
    issued_on = models.DateField(_("IPR date"))
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("individual rehabilitation programme")
        verbose_name_plural = _("individual rehabilitation programmes")

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d.%m.%Y})"


class MeasureStatus(models.TextChoices):
    AWAITING_CHOICE = "awaiting_choice", _("choose a supplier")
    ORDERED = "ordered", _("ordered")
    COMPLETED = "completed", _("completed")
    EXPIRED = "expired", _("term expired")


class Measure(AuditedModel):
    """One measure of an IPR: a catalogue item, a quantity and the term of the measure
    (R-POR-3). ``notified_at`` is when the person was told it arrived; ``choice_until`` the last
    day to choose a supplier (R-POR-4: 2 months from the notification) with its explanation."""

    ipr = models.ForeignKey(Ipr, on_delete=models.PROTECT, related_name="measures")
    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    term_until = models.DateField(_("term of the measure"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeasureStatus.choices,
        default=MeasureStatus.AWAITING_CHOICE,
        db_index=True,
    )
    notified_at = models.DateTimeField(_("person notified at"), null=True, blank=True)
    choice_until = models.DateField(_("choose a supplier by"), null=True, blank=True)
    choice_deadline = models.JSONField(_("how the choice term was counted"), default=dict)
    import_digest = models.CharField(_("imported content digest"), max_length=64)

    class Meta:
        ordering = ["ipr", "pk"]
        verbose_name = _("IPR measure")
        verbose_name_plural = _("IPR measures")
        constraints = [
            models.UniqueConstraint(fields=["ipr", "item"], name="measure_once_per_ipr"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="measure_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "choice_until"], name="measure_window"),
            # R-POR-4, issue 9: the daily sweep walks the open windows by key range.
            models.Index(
                fields=["choice_until", "id"],
                condition=Q(status="awaiting_choice"),
                name="measure_awaiting_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ipr.number}: {self.item.code} × {self.quantity}"


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("ordered")
    ACCEPTED = "accepted", _("accepted by the supplier")
    HANDED_OVER = "handed_over", _("handed over by the supplier")
    DELIVERED = "delivered", _("delivery confirmed by the person")
    REIMBURSEMENT_REQUESTED = "reimbursement_requested", _("reimbursement requested")
    PAID = "paid", _("reimbursement approved and paid")
    REJECTED = "rejected", _("reimbursement rejected")


class Order(AuditedModel):
    """A person's order of one IPR measure from one supplier's offer, with the signed
    application for reimbursement of the guaranteed sum (R-POR-5). ``person_pays`` is what the
    price exceeds the guaranteed sum by: the person sees it before signing."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="orders", verbose_name=_("measure")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cabinet_orders",
        verbose_name=_("person"),
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("offer")
    )
    district = models.ForeignKey(
        "core.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    price = models.DecimalField(_("price, tenge"), max_digits=14, decimal_places=2)
    guaranteed_sum = models.DecimalField(
        _("guaranteed sum, tenge"), max_digits=14, decimal_places=2
    )
    person_pays = models.DecimalField(
        _("the person pays, tenge"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=OrderStatus.choices,
        default=OrderStatus.ORDERED,
        db_index=True,
    )
    application = models.ForeignKey(
        "accounts.SignedDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed reimbursement application"),
    )
    rejection_reason = models.TextField(_("reason of the rejection"), blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=80, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            # R-POR-4/5: one order per measure (the choice closes when it is made).
            models.UniqueConstraint(fields=["measure"], name="one_order_per_measure"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.measure.item.code} → {self.supplier}"


class OrderTransition(AppendOnlyModel):
    """One step of an order (R-POR-5): who moved it, when, from which status to which, why."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class ImportBatch(AppendOnlyModel):
    """One applied IPR batch from E-Sobes (R-POR-3): for the record and for replays."""

    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=16)  # "api" | "file"
    rows = models.PositiveIntegerField(_("rows"))
    applied = models.PositiveIntegerField(_("measures added"))

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("IPR import batch")
        verbose_name_plural = _("IPR import batches")


class SocialPackageItem(AuditedModel):
    """One kind of the guaranteed social package ("кепілдендірілген әлеуметтік пакет") assigned
    to a recipient, with its volume and status (R-POR-2: kinds, volumes, statuses)."""

    class Kind(models.TextChoices):
        FOOD_SET = "food_set", _("food set")
        HYGIENE_SET = "hygiene_set", _("hygiene set")
        SCHOOL_UNIFORM = "school_uniform", _("school uniform and sportswear")
        SCHOOL_SUPPLIES = "school_supplies", _("school supplies")
        HOT_MEALS = "hot_meals", _("free hot meals at school")
        TRANSPORT = "transport", _("travel on public transport")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        ISSUED = "issued", _("issued")
        ENDED = "ended", _("ended")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="social_package_items",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    volume = models.DecimalField(_("volume"), max_digits=10, decimal_places=2)
    unit_kk = models.CharField(_("unit (Kazakh)"), max_length=32)
    unit_ru = models.CharField(_("unit (Russian)"), max_length=32)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ASSIGNED
    )

    class Meta:
        ordering = ["period_from", "kind", "pk"]
        verbose_name = _("social package item")
        verbose_name_plural = _("social package items")


class RecommendedService(AuditedModel):
    """A special social service recommended to an elderly person unable to care for themselves
    (R-POR-2), with its status. Written by whoever assesses the need (the state service app
    calls ``services.recommendations.recommend``); the cabinet shows it."""

    class Form(models.TextChoices):
        HOME = "home", _("at home")
        DAY = "day", _("day care (semi-stationary)")
        STATIONARY = "stationary", _("stationary")

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        APPLIED = "applied", _("application filed")
        RECEIVING = "receiving", _("receiving the service")
        ENDED = "ended", _("ended")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recommended_services",
        verbose_name=_("person"),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    form = models.CharField(_("form of service"), max_length=16, choices=Form.choices)
    recommended_on = models.DateField(_("recommended on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECOMMENDED
    )

    class Meta:
        ordering = ["-recommended_on", "pk"]
        verbose_name = _("recommended special social service")
        verbose_name_plural = _("recommended special social services")
