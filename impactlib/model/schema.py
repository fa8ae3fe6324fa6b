"""The shape of every CSV table, declared once: columns, types, ranges, allowed values.

The loader converts raw text to the declared types, then checks these models; everything else in
impactlib refers to columns through these declarations (see docs/data-format.md).
"""

from __future__ import annotations

import importlib
import sys
import types

import pandas as pd

# pandera imports two installed libraries impactlib never uses: hypothesis (its data synthesis, ~0.9 CPU-s, with
# pandera and its built-in checks) and dask (its dask annotations, ~0.3 CPU-s and ~15 MiB, on the first table it
# validates, when the `dask` extra is installed). impactlib validates pandas frames and synthesises nothing, so in
# every process that loads a client (the CLI's pre-flight, the zygote and its kernels, the explorer) pandera is
# imported as where they are not installed: dask's annotations module is a stub saying dask is absent (unless the
# process already uses dask.dataframe), and hypothesis is out of sight for pandera's import only (it stays
# importable for anything else: the test suite's own use of it). docs/benchmarks.md, third rounds.
_PANDERA_ON_FIRST_CHECK = ("pandera.backends.pandas.register", "pandera.backends.pandas.builtin_checks", "pandera.accessors")


def _import_pandera() -> None:
    if "dask.dataframe" not in sys.modules and "pandera.typing.dask" not in sys.modules:
        no_dask = types.ModuleType("pandera.typing.dask", "pandera's dask annotations, not loaded by impactlib (pandas only)")
        no_dask.DASK_INSTALLED = False
        sys.modules["pandera.typing.dask"] = no_dask
    hidden = "hypothesis" not in sys.modules and "pandera" not in sys.modules
    if hidden:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # pandera's import of it raises ImportError
    try:
        for name in ("pandera.pandas", *_PANDERA_ON_FIRST_CHECK):  # what pandera imports up to its first check
            try:
                importlib.import_module(name)
            except ImportError:  # another pandera version: imported when first used
                if name == "pandera.pandas":
                    raise
    finally:
        if hidden and sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


_import_pandera()

import pandera.pandas as pa  # noqa: E402 - imported by _import_pandera above
from pandera.typing import DateTime, Series

from impactlib.model.names import CLIENT_ID, LANGUAGES  # noqa: F401 - declared there: no pandas needed to read them
from impactlib.model.vocab import (  # noqa: F401 - declared there: no pandera needed to read them
    ID, LEVELS, CRITICALITY, SENSITIVE_DATA, SECTORS, ASSET_KINDS, SOFTWARE_KINDS, DEVICE_KINDS, USAGE_ROLES,
    INTENSITY, DEPENDENCY_KINDS, ACTIONS, ROLLOUTS, PRIORITIES, EMPLOYMENT, DECISIONS, CONFIDENTIALITY, WEEKDAYS,
    TPM_VERSIONS, SECURE_BOOT, DEVICE_USES, SECURE_BOOT_ALIASES, SKILL_CATEGORIES, COURSE_FORMATS,
    PRODUCT_CATEGORIES, FEATURE_SUPPORT, CAPABILITIES, SENSITIVE_COLUMNS, ASPECTS,
)


def _id(**kw) -> pa.Field:
    return pa.Field(str_matches=ID, **kw)


def _list_of(allowed: tuple[str, ...] | None, **kw) -> pa.Field:
    """A `|`-separated list in one cell; ``allowed`` None means any id."""
    return pa.Field(nullable=True, metadata={"list_of": allowed}, **kw)


class _Table(pa.DataFrameModel):
    class Config:
        strict = True  # an unknown column is an error (usually a typo)


class Departments(_Table):
    department_id: Series[str] = _id(unique=True)
    name: Series[str]
    headcount: Series[int] = pa.Field(ge=0)
    criticality: Series[str] = pa.Field(isin=CRITICALITY)
    hourly_cost: Series[float] = pa.Field(ge=0)
    training_hours_per_month: Series[float] = pa.Field(ge=0)
    change_capacity: Series[float] = pa.Field(gt=0, default=3.0)
    parent_department_id: Series[str] = pa.Field(nullable=True, str_matches=ID)


class Staff(_Table):
    staff_id: Series[str] = _id(unique=True)
    department_id: Series[str] = _id()
    role: Series[str]
    employment: Series[str] = pa.Field(isin=EMPLOYMENT, default="permanent")
    fte: Series[float] = pa.Field(gt=0, le=1, default=1.0)
    name: Series[str] = pa.Field(nullable=True)
    email: Series[str] = pa.Field(nullable=True)


class Skills(_Table):
    staff_id: Series[str] = _id()
    skill_id: Series[str] = _id()
    level: Series[int] = pa.Field(isin=LEVELS)

    class Config:
        unique = ["staff_id", "skill_id"]


class Assets(_Table):
    asset_id: Series[str] = _id(unique=True)
    name: Series[str]
    kind: Series[str] = pa.Field(isin=ASSET_KINDS)
    product_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    version: Series[str] = pa.Field(nullable=True)
    quantity: Series[int] = pa.Field(ge=1, default=1)
    department_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    criticality: Series[str] = pa.Field(isin=CRITICALITY, default="medium")
    sensitive_data: Series[str] = _list_of(SENSITIVE_DATA)
    licence_seats: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    manufacturer: Series[str] = pa.Field(nullable=True)
    model: Series[str] = pa.Field(nullable=True)
    cpu_model: Series[str] = pa.Field(nullable=True)
    cpu_cores: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    ram_gb: Series[float] = pa.Field(nullable=True, gt=0)
    storage_gb: Series[float] = pa.Field(nullable=True, gt=0)
    tpm_version: Series[str] = pa.Field(nullable=True, isin=TPM_VERSIONS)
    uefi: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    secure_boot: Series[str] = pa.Field(nullable=True, isin=SECURE_BOOT, metadata={"aliases": SECURE_BOOT_ALIASES})
    # a TPM present but switched off in firmware (Intel PTT / AMD fTPM): no; a firmware setting fixes it
    tpm_enabled: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    # what the device is for: office (default), special_purpose (bound to a vendor's software: a machine
    # controller, a medical device, a kiosk: Windows IoT Enterprise LTSC applies), offline (special purpose and
    # works without any network: isolation applies)
    device_use: Series[str] = pa.Field(nullable=True, isin=DEVICE_USES)
    os_product_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    os_version: Series[str] = pa.Field(nullable=True)
    purchase_date: Series[DateTime] = pa.Field(nullable=True)
    hostname: Series[str] = pa.Field(nullable=True)
    notes: Series[str] = pa.Field(nullable=True)


class Dependencies(_Table):
    from_asset_id: Series[str] = _id()
    to_asset_id: Series[str] = _id()
    kind: Series[str] = pa.Field(isin=DEPENDENCY_KINDS)
    redundancy_group: Series[str] = pa.Field(nullable=True)
    required: Series[bool] = pa.Field(default=True)
    connector: Series[str] = pa.Field(nullable=True)
    notes: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["from_asset_id", "to_asset_id", "kind"]


class Usage(_Table):
    department_id: Series[str] = _id()
    asset_id: Series[str] = _id()
    role: Series[str] = pa.Field(isin=USAGE_ROLES)
    users: Series[int] = pa.Field(ge=0)
    intensity: Series[str] = pa.Field(isin=INTENSITY)
    hours_per_week: Series[float] = pa.Field(nullable=True, ge=0, le=80)
    features: Series[str] = _list_of(None)
    notes: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["department_id", "asset_id", "role"]


class Acknowledgements(_Table):
    finding_id: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 80})
    scenario: Series[str] = pa.Field(nullable=True, str_matches=CLIENT_ID)
    decision: Series[str] = pa.Field(isin=DECISIONS)
    decided_by: Series[str] = pa.Field(nullable=True)
    decided_on: Series[DateTime] = pa.Field(nullable=True)
    comment: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["finding_id", "scenario"]


class Contracts(_Table):
    """Managed-services contracts in force: who administers which capability, at what price (docs/data-format.md)."""

    contract_id: Series[str] = _id(unique=True)
    provider: Series[str]
    capability: Series[str] = pa.Field(isin=tuple(CAPABILITIES))
    product_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    monthly_cost: Series[float] = pa.Field(ge=0)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    response_hours: Series[float] = pa.Field(nullable=True, ge=0)
    start: Series[DateTime]
    end: Series[DateTime] = pa.Field(nullable=True)
    notes: Series[str] = pa.Field(nullable=True)


RUN_COST_ITEMS = ("licence", "subscription", "maintenance", "contract", "hosting", "hardware", "support", "other")
PERIODS = ("month", "year")


class RunCosts(_Table):
    """What the client pays today to run its system, besides contracts.csv (docs/data-format.md)."""

    cost_id: Series[str] = _id(unique=True)
    item: Series[str] = pa.Field(isin=RUN_COST_ITEMS)
    description: Series[str]
    product_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    asset_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    amount: Series[float] = pa.Field(ge=0)
    period: Series[str] = pa.Field(isin=PERIODS)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    start: Series[DateTime] = pa.Field(nullable=True)
    end: Series[DateTime] = pa.Field(nullable=True)
    indexation: Series[float] = pa.Field(nullable=True, ge=-0.5, le=1.0)  # yearly rise, 0.03 = 3 % a year
    notes: Series[str] = pa.Field(nullable=True)


DEVICE_CLASSES = ("workstation", "laptop", "server")


class Hardware(_Table):
    """Catalog: the price of a new device per class, its delivery lead time and source."""

    device_class: Series[str] = pa.Field(isin=DEVICE_CLASSES, unique=True)
    unit_cost: Series[float] = pa.Field(ge=0)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    lead_weeks: Series[float] = pa.Field(ge=0)
    source: Series[str]


class CatalogSkills(_Table):
    skill_id: Series[str] = _id(unique=True)
    name: Series[str]
    name_fr: Series[str] = pa.Field(nullable=True)  # the name in French reports (optional column)
    category: Series[str] = pa.Field(isin=SKILL_CATEGORIES)
    sfia_code: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{4}$")
    sfia_level: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=7)
    ecf_code: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-E]\.\d{1,2}$")


class Courses(_Table):
    course_id: Series[str] = _id(unique=True)
    skill_id: Series[str] = _id()
    from_level: Series[int] = pa.Field(isin=LEVELS)
    to_level: Series[int] = pa.Field(isin=LEVELS)
    hours: Series[float] = pa.Field(gt=0)
    cost: Series[float] = pa.Field(ge=0)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    format: Series[str] = pa.Field(isin=COURSE_FORMATS)
    group_size: Series[int] = pa.Field(ge=1)
    source: Series[str] = pa.Field(nullable=True)


class SkillTransfers(_Table):
    """A level in ``from_skill_id`` carries over to ``to_skill_id``, ``delta`` levels lower (0 = same level)."""

    from_skill_id: Series[str] = _id()
    to_skill_id: Series[str] = _id()
    delta: Series[int] = pa.Field(ge=-5, le=0)
    source: Series[str]

    class Config:
        unique = ["from_skill_id", "to_skill_id"]



class ImpactProfiles(_Table):
    """Degree of impact 0-5 on each aspect of a department fully exposed to a change of this kind."""

    category: Series[str] = pa.Field(isin=PRODUCT_CATEGORIES)
    action: Series[str] = pa.Field(isin=ACTIONS)
    processes: Series[int] = pa.Field(isin=LEVELS)
    systems: Series[int] = pa.Field(isin=LEVELS)
    tools: Series[int] = pa.Field(isin=LEVELS)
    job_roles: Series[int] = pa.Field(isin=LEVELS)
    skills: Series[int] = pa.Field(isin=LEVELS)
    reporting: Series[int] = pa.Field(isin=LEVELS)
    workload: Series[int] = pa.Field(isin=LEVELS)
    source: Series[str]

    class Config:
        unique = ["category", "action"]


# --- legal screens (issue 16): the client's processings of personal data and its hosts' certificates ---------

# categories of personal data a processing holds: GDPR art. 9 special categories (health, genetic, biometric,
# other_special: origin, opinions, beliefs, union membership, sex life), art. 10 (criminal), and data of a highly
# personal nature in the EDPB's sense (financial, location, communications, legal matters, national id number)
PROCESSING_DATA = ("identity", "contact", "health", "genetic", "biometric", "other_special", "criminal", "national_id",
                   "financial", "card_payments", "location", "communications", "legal", "payroll_hr", "images")
# categories of people whose data it holds; WP248 counts employees, patients, minors, the elderly and other
# vulnerable people as vulnerable data subjects
DATA_SUBJECTS = ("patients", "employees", "minors", "elderly", "vulnerable", "clients", "prospects", "suppliers",
                 "students", "public")
# the WP248 criteria a client states (the others are read from the data, the people and the scale)
STATED_CRITERIA = ("evaluation", "automated_decision", "monitoring", "matching", "innovative", "exclusion")
DPIA_STATUS = ("done", "exempt", "none")


class Processings(_Table):
    """The client's processings of personal data (its GDPR art. 30 record), for the DPIA and DPO screens."""

    processing_id: Series[str] = _id(unique=True)
    name: Series[str]
    purposes: Series[str]
    data: Series[str] = _list_of(PROCESSING_DATA)
    people: Series[str] = _list_of(DATA_SUBJECTS)
    people_count: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    large_scale: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    core_activity: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    criteria: Series[str] = _list_of(STATED_CRITERIA)
    assets: Series[str] = _list_of(None)
    dpia: Series[str] = pa.Field(nullable=True, isin=DPIA_STATUS)
    dpia_date: Series[DateTime] = pa.Field(nullable=True)
    notes: Series[str] = pa.Field(nullable=True)


class Certificates(_Table):
    """Health-data hosting (HDS) certificates on file for the hosts of catalog products: the client's evidence."""

    product_id: Series[str] = _id(unique=True)
    host: Series[str]
    reference: Series[str]
    valid_until: Series[DateTime]
    scope: Series[str] = pa.Field(nullable=True)
    evidence: Series[str] = pa.Field(nullable=True)
# --- protection (the client's security baseline, docs/data-format.md "protection.csv") -------------------
CONTROLS = ("backup", "tenant_backup", "endpoint_protection", "mfa", "conditional_access", "patch_management", "firewall",
            "segmentation", "disk_encryption", "admin_accounts", "security_baseline", "mail_filtering", "password_manager",
            "awareness_training", "incident_response", "audit_logging")
CONTROL_STATES = ("present", "partial", "absent", "unknown")
PROTECTION_SCOPES = ("all", "admins", "remote_access", "mail", "all_users", "servers", "workstations", "laptops", "cloud")
BACKUP_FREQUENCIES = ("continuous", "hourly", "daily", "weekly", "monthly")
BACKUP_LOCATIONS = ("onsite", "offsite", "cloud", "onsite_and_offsite", "onsite_and_cloud")
KEY_LOCATIONS = ("entra_id", "active_directory", "mdm", "vault", "paper", "none")
FRAMEWORKS = ("anssi", "cyber_essentials", "cis")
CONTROL_LEVELS = ("essential", "elevated")
TOOL_UNITS = ("per_user", "per_device", "per_server", "per_gb", "flat")
PRICE_STATUS = ("list", "estimate", "free")


class Protection(_Table):
    """The client's protection controls as they are today: one row per (control, scope) (docs/data-format.md)."""

    control: Series[str] = pa.Field(isin=CONTROLS)
    state: Series[str] = pa.Field(isin=CONTROL_STATES)
    scope: Series[str] = pa.Field(isin=PROTECTION_SCOPES, default="all")
    product_id: Series[str] = pa.Field(nullable=True, str_matches=ID)
    frequency: Series[str] = pa.Field(nullable=True, isin=BACKUP_FREQUENCIES)
    location: Series[str] = pa.Field(nullable=True, isin=BACKUP_LOCATIONS)
    offline_or_immutable: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    last_restore_test: Series[DateTime] = pa.Field(nullable=True)
    recovery_keys: Series[str] = pa.Field(nullable=True, isin=KEY_LOCATIONS)
    notes: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["control", "scope"]


class Controls(_Table):
    """Catalog: each protection control, its area, the baseline measures it satisfies, when it is required."""

    control: Series[str] = pa.Field(isin=CONTROLS, unique=True)
    area: Series[str] = pa.Field(isin=("identify", "protect", "detect", "respond", "recover"))
    level: Series[str] = pa.Field(isin=CONTROL_LEVELS)
    severity: Series[str] = pa.Field(isin=("blocker", "high", "medium", "low"))  # when absent and no sensitive data is at stake
    weight: Series[int] = pa.Field(ge=1, le=5)  # how much risk it removes, 1-5 (ranks the actions)
    data_bound: Series[bool]  # its severity rises one step with health, legal or card data at stake
    anssi: Series[str] = _list_of(None)
    cyber_essentials: Series[str] = _list_of(None)
    cis: Series[str] = _list_of(None)


class Measures(_Table):
    """Catalog: the measures of the baseline frameworks (CIS: identifiers only, its text is licensed)."""

    framework: Series[str] = pa.Field(isin=FRAMEWORKS)
    measure_id: Series[str] = pa.Field(str_matches=r"^[0-9A-Za-z_.]{1,40}$")
    title: Series[str] = pa.Field(nullable=True)
    area: Series[str] = pa.Field(nullable=True)
    tier: Series[str] = pa.Field(nullable=True)
    source: Series[str]
    licence: Series[str]

    class Config:
        unique = ["framework", "measure_id"]


class ProtectionTools(_Table):
    """Catalog: concrete options to put a control in place, with their prices (list price, date, source) and effort."""

    tool_id: Series[str] = _id(unique=True)
    control: Series[str] = pa.Field(isin=CONTROLS)
    name: Series[str]
    name_fr: Series[str] = pa.Field(nullable=True)  # the name in French reports (blank: the name)
    vendor: Series[str]
    included_with: Series[str] = _list_of(None)  # product ids whose licence already includes it (no extra licence)
    unit: Series[str] = pa.Field(isin=TOOL_UNITS)
    recurring: Series[float] = pa.Field(ge=0)  # price per unit and period
    period: Series[str] = pa.Field(isin=("month", "year"))
    one_off: Series[float] = pa.Field(ge=0)  # bought once (an appliance), per unit
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    hours_fixed: Series[float] = pa.Field(ge=0)  # provider hours to put it in place
    hours_per_unit: Series[float] = pa.Field(ge=0)
    price_status: Series[str] = pa.Field(isin=PRICE_STATUS)
    as_of: Series[DateTime]
    source: Series[str]
    rank: Series[int] = pa.Field(ge=1, default=1)  # the provider's order of preference when two fit
    bundle: Series[str] = pa.Field(nullable=True, str_matches=ID)  # tools of one bundle are one purchase, paid once


# file name in a client folder (or catalog folder) -> model; ``None`` marks an optional file
CLIENT_TABLES: dict[str, tuple[type[_Table], bool]] = {
    "departments.csv": (Departments, True),
    "staff.csv": (Staff, True),
    "skills.csv": (Skills, True),
    "assets.csv": (Assets, True),
    "dependencies.csv": (Dependencies, False),
    "usage.csv": (Usage, True),
    "acknowledgements.csv": (Acknowledgements, False),
    "contracts.csv": (Contracts, False),
    "run_costs.csv": (RunCosts, False),
    "processings.csv": (Processings, False),  # legal screens (issue 16)
    "certificates.csv": (Certificates, False),  # legal screens (issue 16)
    "protection.csv": (Protection, False),
}
CPU_VENDORS = ("intel", "amd", "qualcomm", "other")


class Cpus(_Table):
    """Catalog: Windows 11 support of processor families, read from Microsoft's supported-processor lists.
    Rows are tried in file order; the first whose ``pattern`` (a regular expression, case-insensitive) matches
    the normalised CPU name decides. ``supported``: yes, no, or device (only on the devices named in ``devices``)."""

    vendor: Series[str] = pa.Field(isin=CPU_VENDORS)
    pattern: Series[str]
    supported: Series[str] = pa.Field(isin=("yes", "no", "device"))
    family: Series[str]
    devices: Series[str] = pa.Field(nullable=True)
    source: Series[str]
    checked: Series[DateTime]


DEVICE_OPTIONS = ("upgrade", "firmware", "replace", "esu", "cloud_pc", "iot_ltsc", "isolate")


class DeviceOptions(_Table):
    """Catalog: what each remedy for a Windows 10 device costs besides the device itself: a one-off amount and a
    yearly amount per device, technician hours per device and lead time in days (the new device's price is in
    hardware.csv, the ESU prices in products.yaml)."""

    option: Series[str] = pa.Field(isin=DEVICE_OPTIONS, unique=True)
    one_off: Series[float] = pa.Field(ge=0)
    per_year: Series[float] = pa.Field(ge=0)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")
    technician_hours: Series[float] = pa.Field(ge=0)
    lead_days: Series[float] = pa.Field(ge=0)
    source: Series[str]


CATALOG_TABLES: dict[str, type[_Table]] = {"skills.csv": CatalogSkills, "courses.csv": Courses,
                                           "impact_profiles.csv": ImpactProfiles, "skill_transfers.csv": SkillTransfers,
                                           "hardware.csv": Hardware, "controls.csv": Controls, "measures.csv": Measures,
                                           "protection_tools.csv": ProtectionTools, "cpus.csv": Cpus,
                                           "device_options.csv": DeviceOptions}
