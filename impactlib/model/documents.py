"""The shape of every YAML document: client profile, requirements spec, scenarios, catalog products."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from impactlib.model import vocab as s

Id = Annotated[str, StringConstraints(pattern=s.ID)]
Name = Annotated[str, StringConstraints(pattern=s.CLIENT_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Money = Annotated[float, Field(ge=0)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Sensitive = Literal["health", "payroll_hr", "legal", "card_payments", "personal_data", "trade_secrets"]
Action = Literal["add", "replace", "upgrade", "remove", "migrate"]
Rollout = Literal["big_bang", "phased", "pilot_then_big_bang", "parallel_run"]
Role = Literal["end_user", "key_user", "administrator"]
Time = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class _Doc(BaseModel):
    """A YAML document. Cross-field checks raise ValueError("@key: message") to be reported at that key."""

    # allow_inf_nan False: YAML's .inf and .nan are not amounts, durations or dates
    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


# --- client.yaml -------------------------------------------------------------------------------

class Calendar(_Doc):
    workdays: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    hours_per_day: Annotated[float, Field(ge=1, le=24)] = 7.0
    holidays: tuple[dt.date, ...] = ()


class Blackout(_Doc):
    name: Text
    start: dt.date
    end: dt.date
    departments: tuple[Id, ...] = ()
    reason: Text | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise ValueError(f"@end: {self.end} is before start {self.start}")
        return self


# NIS2 (Directive (EU) 2022/2555) sectors: Annex I (sectors of high criticality) and Annex II (other critical sectors)
NIS2_ANNEX_I = ("energy", "transport", "banking", "financial_market", "health", "drinking_water", "waste_water",
                "digital_infrastructure", "ict_service_management", "public_administration", "space")
NIS2_ANNEX_II = ("postal", "waste_management", "chemicals", "food", "manufacturing_annex_ii", "digital_providers", "research")
Nis2Sector = Literal[NIS2_ANNEX_I + NIS2_ANNEX_II + ("none",)]  # type: ignore[valid-type]


class Profile(_Doc):
    id: Name
    name: Text
    sector: Literal[s.SECTORS]  # type: ignore[valid-type]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    language: Literal["en", "fr"]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    confidentiality: Literal["internal", "confidential", "secret"] = "confidential"
    default_scenario: Name
    provider: Text | None = None
    calendar: Calendar = Calendar()
    blackout_periods: tuple[Blackout, ...] = ()
    sensitive_data: tuple[Sensitive, ...] = ()
    # legal screens (issue 16): size and sector facts (docs/data-format.md); blank is unknown, never assumed
    staff_count: Annotated[int, Field(ge=0)] | None = None  # headcount (default: the departments' headcounts)
    annual_turnover: Money | None = None  # last closed financial year, in the client's currency
    balance_sheet_total: Money | None = None  # last closed financial year, in the client's currency
    nis2_sector: Nis2Sector | None = None  # the NIS2 annex sector of its activity, `none`, blank: read from `sector` when it can be
    dpo: Literal["designated", "none"] | None = None  # a data protection officer is designated (GDPR art. 37), blank: unknown


# --- spec.yaml -----------------------------------------------------------------------------------

# what an objective can be checked against: the figure of the Analysis it names, and which way it must go
MEASURES: dict[str, str] = {
    "hours_lost": "at_most",  # working hours lost over the horizon (dips and persistent losses), optionally in ``departments``
    "project_cost": "at_most",  # the project's one-off spend (currency)
    "run_cost_saving": "at_least",  # yearly run cost before minus after the changes (currency per year)
    "tco_saving": "at_least",  # status quo's total cost of ownership minus the scenario's, over the horizon (currency)
    "payback_months": "at_most",  # months from the horizon's start until the scenario costs less, cumulatively, than the status quo
    "downtime_hours": "at_most",  # the longest business downtime of one cutover (hours)
    "go_live": "at_most",  # the last go-live of the scenario, against ``deadline``
}


class Objective(_Doc):
    id: Id
    text: Text
    priority: Literal["must", "should", "could"]
    criterion: Text | None = None
    target: float | None = None
    unit: Annotated[str, StringConstraints(max_length=40)] | None = None
    measure: Literal[tuple(MEASURES)] | None = None  # type: ignore[valid-type]  # checked against the scenario when given
    departments: tuple[Id, ...] = ()  # hours_lost only: count these departments (default: all)
    changes: tuple[Id, ...] = ()  # hours_lost, downtime_hours, go_live: count these changes (default: all)
    deadline: dt.date | None = None  # go_live only

    @model_validator(mode="after")
    def _checkable(self):
        if self.measure == "go_live" and self.deadline is None:
            raise ValueError("@deadline: is required when the measure is go_live")
        if self.measure not in (None, "go_live") and self.target is None:
            raise ValueError(f"@target: is required when the measure is {self.measure}")
        if self.departments and self.measure != "hours_lost":
            raise ValueError("@departments: only an hours_lost objective counts departments")
        if self.changes and self.measure not in ("hours_lost", "downtime_hours", "go_live"):
            raise ValueError("@changes: only an hours_lost, downtime_hours or go_live objective counts changes")
        return self


class Window(_Doc):
    days: tuple[Weekday, ...] = Field(min_length=1)
    start: Time
    end: Time

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise ValueError(f"@end: {self.end} is not after start {self.start}")
        return self


class Constraints(_Doc):
    budget: Money | None = None  # the project's budget: one-off spend (work, hardware, training, one-off licences)
    run_budget: Money | None = None  # the yearly run budget: recurring costs once the changes are live (per year)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None  # of the budgets; the client's
    horizon_months: Annotated[int, Field(ge=1, le=120)] = 36  # the period costs are totalled over (total cost of ownership)
    training_budget: Money | None = None
    go_live: dt.date | None = None
    max_downtime_hours: Annotated[float, Field(ge=0)] | None = None
    intervention_windows: tuple[Window, ...] = ()
    other: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _training_within_budget(self):
        if self.budget is not None and self.training_budget is not None and self.training_budget > self.budget:
            raise ValueError(f"@training_budget: {self.training_budget:g} exceeds budget {self.budget:g}")
        return self


class Means(_Doc):
    staff_hours: Annotated[float, Field(ge=0)] | None = None  # the client's staff time for the project, in total
    staff_hours_by_department: dict[Id, Annotated[float, Field(ge=0)]] = {}  # or per department
    staff_hours_until: dt.date | None = None  # the date by which that time is given (default: the last go-live)
    it_contacts: tuple[Id, ...] = ()
    test_environment: bool | None = None
    other: tuple[Text, ...] = ()


class Pilot(_Doc):
    """A pilot group and the criteria that end the pilot (go on, or roll back)."""

    group: Text
    exit_criteria: Text


class Change(_Doc):
    id: Id
    title: Text
    action: Action
    product_id: Id | None = None
    version: str | None = None
    from_product_id: Id | None = None
    assets: tuple[Id, ...] = ()
    departments: tuple[Id, ...] = ()
    start: dt.date | None = None
    go_live: dt.date
    rollout: Rollout
    seats: Annotated[int, Field(ge=0)] | None = None
    data_volume_gb: Annotated[float, Field(ge=0)] | None = None
    intervention_hours: Annotated[float, Field(ge=0)] | None = None
    # a loss that does not recover: minutes per user per working day, for this many months after go-live
    persistent_loss_minutes: Annotated[float, Field(gt=0, le=480)] | None = None
    persistent_loss_months: Annotated[int, Field(ge=1, le=120)] | None = None
    notes: Text | None = None
    # what a change board asks of a change (docs/rules.md, CHG-*): blank means not provided
    rollback_plan: Text | None = None  # how to return to the previous state, and the point of no return
    restore_test: dt.date | None = None  # the date a restore of the data the change touches was tested
    pilot: Pilot | None = None
    hypercare_days: Annotated[int, Field(ge=1, le=365)] | None = None  # reinforced support after go-live, in days
    records_archive: Text | None = None  # how past accounting records stay producible once the old software is retired

    @model_validator(mode="after")
    def _coherent(self):
        if (self.persistent_loss_minutes is None) != (self.persistent_loss_months is None):
            missing = "persistent_loss_months" if self.persistent_loss_months is None else "persistent_loss_minutes"
            raise ValueError(f"@{missing}: is required with the other persistent_loss field")
        if self.action != "remove" and self.product_id is None:
            raise ValueError(f"@product_id: is required for action {self.action}")
        if self.action in ("replace", "upgrade", "migrate") and self.from_product_id is None:
            raise ValueError(f"@from_product_id: is required for action {self.action}")
        if self.start is not None and self.go_live < self.start:
            raise ValueError(f"@go_live: {self.go_live} is before start {self.start}")
        return self


class Spec(_Doc):
    title: Text
    version: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    date: dt.date
    author_role: Text | None = None
    summary: Annotated[str, StringConstraints(max_length=10000)] | None = None
    objectives: tuple[Objective, ...] = Field(min_length=1)
    constraints: Constraints = Constraints()
    means: Means = Means()
    changes: tuple[Change, ...] = Field(min_length=1)


# --- scenarios/<name>.yaml -------------------------------------------------------------------------

class Assumptions(_Doc):
    """Analysis assumptions a scenario may change; defaults documented in docs/data-format.md."""

    provider_hourly_rate: Money = 90.0
    eol_horizon_months: Annotated[int, Field(ge=0, le=120)] = 12
    k_anonymity: Annotated[int, Field(ge=2, le=100)] = 5
    dip_scale: Annotated[float, Field(ge=0, le=5)] = 1.0
    provider_hours_per_week: Annotated[float, Field(gt=0, le=400)] = 35.0
    workstation_unit_cost: Money | None = None  # a device's price for every class; None: the catalog's (hardware.csv)
    recruitment_cost: Money = 9000.0
    in_house_admin_from_staff: Annotated[int, Field(ge=0, le=1_000_000)] = 50
    # business applications (ERP, accounting, practice software) are run by the vendor's partner below this size
    in_house_app_admin_from_staff: Annotated[int, Field(ge=0, le=1_000_000)] = 250
    monte_carlo_runs: Annotated[int, Field(ge=100, le=100_000)] = 2000
    seed: int = 42
    lead_days: Annotated[int, Field(ge=0, le=365)] = 14
    working_days_per_year: Annotated[float, Field(gt=0, le=366)] | None = None  # None: from the client's calendar  # nothing is planned sooner than this after the report date


class Scenario(_Doc):
    title: Text
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    changes: dict[Id, dict] = {}
    exclude: tuple[Id, ...] = ()
    add: tuple[Change, ...] = ()
    budget: Money | None = None  # replaces the spec's budget in this scenario
    run_budget: Money | None = None  # replaces the spec's yearly run budget in this scenario
    training_budget: Money | None = None  # replaces the spec's training budget in this scenario
    horizon_months: Annotated[int, Field(ge=1, le=120)] | None = None  # replaces the spec's horizon in this scenario
    assumptions: Assumptions = Assumptions()

    @field_validator("changes")
    @classmethod
    def _no_id_override(cls, v: dict) -> dict:
        for change_id, fields in v.items():
            if not isinstance(fields, dict):
                raise ValueError(f"changes.{change_id} must be a mapping of fields to override")
            if "id" in fields:
                raise ValueError(f"changes.{change_id}: the id of a change cannot be overridden")
        return v


# --- catalog products.yaml -------------------------------------------------------------------------

class Esu(_Doc):
    """The vendor's paid extended security updates after the end of support: bought per device or server,
    year by year (12-month steps from the end of support, the last ending on ``until``), cumulatively:
    joining in year k pays years 1 to k."""

    until: dt.date
    prices: tuple[Money, ...] = ()  # price of year 1, 2, ... per unit, in ``currency``; empty: not published
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    source: Text

    @model_validator(mode="after")
    def _priced(self):
        if self.prices and self.currency is None:
            raise ValueError("@currency: is required when prices are given")
        return self


class Version(_Doc):
    version: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    released: dt.date | None = None
    end_of_mainstream: dt.date | None = None
    end_of_support: dt.date | None = None
    edition: Text | None = None
    esu: Esu | None = None
    source: Text

    @model_validator(mode="after")
    def _ordered(self):
        dates = [("released", self.released), ("end_of_mainstream", self.end_of_mainstream),
                 ("end_of_support", self.end_of_support)]
        known = [(k, d) for k, d in dates if d is not None]
        for (k1, d1), (k2, d2) in zip(known, known[1:]):
            if d2 < d1:
                raise ValueError(f"@{k2}: {d2} is before {k1} {d1}")
        if self.esu is not None and (self.end_of_support is None or self.esu.until <= self.end_of_support):
            raise ValueError("@esu.until: must be after the version's end_of_support")
        return self


class Cpu(_Doc):
    intel_core_min_generation: Annotated[int, Field(ge=1, le=30)] | None = None
    amd_ryzen_min_series: Annotated[int, Field(ge=1000, le=20000)] | None = None


class Requirements(_Doc):
    ram_gb: Annotated[float, Field(gt=0)] | None = None
    storage_gb: Annotated[float, Field(gt=0)] | None = None
    tpm_version: Literal["1.2", "2.0"] | None = None
    uefi: bool | None = None
    secure_boot: bool | None = None
    cpu: Cpu | None = None
    os: tuple[Id, ...] = ()
    database: tuple[Id, ...] = ()
    source: Text


class Integration(_Doc):
    with_: Id = Field(alias="with")
    kind: Literal["native", "connector", "api", "none"]
    source: Text


class Licence(_Doc):
    model: Literal["per_user", "per_device", "per_server", "free"]
    unit_cost: Money
    period: Literal["once", "month", "year"]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    as_of: dt.date
    source: Text


class ChangeFacts(_Doc):
    intervention_hours_per_seat: Annotated[float, Field(ge=0)] | None = None
    intervention_hours_fixed: Annotated[float, Field(ge=0)] | None = None
    downtime_hours: Annotated[float, Field(ge=0)] | None = None
    dip_depth: Annotated[float, Field(ge=0, le=1)] | None = None
    dip_weeks: Annotated[float, Field(ge=0)] | None = None
    source: Text


class Hosting(_Doc):
    """Where the product's data lives and whether its host holds the French health-data hosting (HDS)
    certificate. ``hosted`` None: read from the category and the licence period (docs/rules.md, SEC-HDS)."""

    hosted: bool | None = None
    hds_certified: Literal["yes", "no", "unknown"] = "unknown"
    certificate_expiry: dt.date | None = None
    source: Text | None = None

    @field_validator("hds_certified", mode="before")
    @classmethod
    def _yaml_boolean(cls, v):
        # YAML 1.1 reads an unquoted yes/no as a boolean
        return {True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v

    @model_validator(mode="after")
    def _sourced(self):
        if self.hds_certified != "unknown" and not self.source:
            raise ValueError(f"@source: is required when hds_certified is {self.hds_certified}")
        if self.certificate_expiry is not None and self.hds_certified != "yes":
            raise ValueError("@certificate_expiry: only a certified host (hds_certified: yes) has a certificate")
        return self


class EInvoicing(_Doc):
    """Whether the product can receive and issue French e-invoices: ``pa`` (its vendor is a plateforme agréée),
    ``connector`` (it exchanges them through a PA the client contracts), ``no``, ``unknown``."""

    support: Literal["pa", "connector", "no", "unknown"] = "unknown"
    source: Text


class SeatCap(_Doc):
    """The most users one tenant may license on this plan (Microsoft 365 Business plans: 300)."""

    seats: Annotated[int, Field(ge=1)]
    source: Text


class RequiredSkill(_Doc):
    role: Role
    skill_id: Id
    level: Annotated[int, Field(ge=0, le=5)]


class Product(_Doc):
    id: Id
    name: Text
    name_fr: Text | None = None  # the French name, where the English one is a description rather than a brand
    vendor: Text
    category: Literal[s.PRODUCT_CATEGORIES]  # type: ignore[valid-type]
    source: Text
    versions: tuple[Version, ...] = Field(min_length=1)
    requirements: Requirements | None = None
    features: dict[Id, Literal["full", "partial", "none"]] = {}
    features_source: Text | None = None
    integrations: tuple[Integration, ...] = ()
    licence: Licence
    change: ChangeFacts | None = None
    skills: tuple[RequiredSkill, ...] = ()
    hosting: Hosting = Hosting()
    # the product line ended: its successor is another catalog product (Office 2016 -> Office LTSC 2024...);
    # ``impactlib catalog check`` expects no supported version of it
    superseded_by: Id | None = None
    # ships feature updates of the same product (Windows 10/11 yearly, LibreOffice twice a year): moving to
    # the next one is routine servicing, not the end of the product's support
    feature_updates: bool = False
    # legal screens (issue 16): e-invoicing in France (a plateforme agréée, PA) and a cap on users of one plan
    einvoicing: EInvoicing | None = None
    seat_cap: SeatCap | None = None
    # other categories the product also covers (a Microsoft 365 plan is an office suite and an e-mail service too)
    covers: tuple[Literal[s.PRODUCT_CATEGORIES], ...] = ()  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _sourced(self):
        if self.features and not self.features_source:
            raise ValueError("@features_source: is required when features are given")
        if self.category in self.covers:
            raise ValueError(f"@covers: lists the product's own category {self.category}")
        seen = [v.version for v in self.versions]
        if len(seen) != len(set(seen)):
            raise ValueError("versions are listed twice: " + ", ".join(sorted({v for v in seen if seen.count(v) > 1})))
        return self

    def version(self, name: str | None) -> Version | None:
        """The catalog entry of one version, or None when unknown or not given."""
        return next((v for v in self.versions if v.version == name), None)

    @property
    def categories(self) -> frozenset[str]:
        """The product's category and the other categories it covers."""
        return frozenset((self.category, *self.covers))
