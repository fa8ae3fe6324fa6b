"""The data format's vocabulary: id patterns and the allowed values of coded columns, with nothing to import.

Declared here, not beside the pandera models (model/schema.py, which imports them from here), so that a report
kernel given a client already loaded and checked (io/snapshot.py) reads them without importing pandera (~14 MiB
and ~0.3 CPU-s per process; docs/benchmarks.md).
"""

from __future__ import annotations

from impactlib.model.names import CLIENT_ID, LANGUAGES  # noqa: F401 - read through this module too

ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$"

LEVELS = (0, 1, 2, 3, 4, 5)
CRITICALITY = ("low", "medium", "high", "critical")
SENSITIVE_DATA = ("health", "payroll_hr", "legal", "card_payments", "personal_data", "trade_secrets")
SECTORS = ("manufacturing", "healthcare", "legal", "retail", "services", "construction", "finance",
           "public", "education", "hospitality", "other")
ASSET_KINDS = ("workstation", "laptop", "server", "virtual_machine", "network", "storage", "printer",
               "phone", "software", "saas", "database")
SOFTWARE_KINDS = ("software", "saas", "database")
DEVICE_KINDS = ("workstation", "laptop", "server", "virtual_machine")
USAGE_ROLES = ("end_user", "key_user", "administrator")
INTENSITY = ("daily", "weekly", "monthly", "occasional")
DEPENDENCY_KINDS = ("runs_on", "integrates_with", "authenticates_with", "stores_data_in", "backs_up_to",
                    "connects_through")
ACTIONS = ("add", "replace", "upgrade", "remove", "migrate")
ROLLOUTS = ("big_bang", "phased", "pilot_then_big_bang", "parallel_run")
PRIORITIES = ("must", "should", "could")
EMPLOYMENT = ("permanent", "fixed_term", "contractor", "apprentice", "intern")
DECISIONS = ("accepted", "rejected", "pending")
CONFIDENTIALITY = ("internal", "confidential", "secret")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TPM_VERSIONS = ("none", "1.2", "2.0")
# Secure Boot as the firmware reports it: enabled; disabled (the firmware is capable, the setting is off);
# unsupported (not capable, legacy BIOS). Legacy yes/no cells are read as enabled/disabled.
SECURE_BOOT = ("enabled", "disabled", "unsupported")
DEVICE_USES = ("office", "special_purpose", "offline")
SECURE_BOOT_ALIASES = {"yes": "enabled", "oui": "enabled", "true": "enabled", "vrai": "enabled", "1": "enabled",
                       "no": "disabled", "non": "disabled", "false": "disabled", "faux": "disabled", "0": "disabled",
                       "enabled": "enabled", "disabled": "disabled", "unsupported": "unsupported",
                       "activé": "enabled", "active": "enabled", "désactivé": "disabled", "desactive": "disabled",
                       "non pris en charge": "unsupported", "non supporté": "unsupported"}
SKILL_CATEGORIES = ("end_user", "business", "it_admin", "security", "management")
COURSE_FORMATS = ("classroom", "virtual", "elearning", "coaching")
PRODUCT_CATEGORIES = ("os", "server_os", "office_suite", "email", "collaboration", "erp", "accounting",
                      "practice_management", "backup", "endpoint_protection", "database", "other")
FEATURE_SUPPORT = ("full", "partial", "none")
# what a managed-services contract can cover: the administration of every product of these catalog categories
CAPABILITIES: dict[str, tuple[str, ...]] = {
    "workstations": ("os",),
    "office": ("office_suite", "email", "collaboration"),
    "servers": ("server_os", "database"),
    "backup": ("backup",),
    "security": ("endpoint_protection",),
    "business_apps": ("erp", "accounting", "practice_management"),
    "other": ("other",),
}

# Columns holding sensitive personal data: validated, then replaced at load by a keyed pseudonym (never reach an output).
SENSITIVE_COLUMNS = ("name", "email")
# what a change can alter in a department's work (impact_profiles.csv)
ASPECTS = ("processes", "systems", "tools", "job_roles", "skills", "reporting", "workload")
