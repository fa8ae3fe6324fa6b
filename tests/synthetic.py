"""Seeded synthetic client folders, for scale tests and benchmarks.

:func:`write_client` writes a complete client folder that follows docs/data-format.md and loads with
:func:`impactlib.load_client`: a company of ``staff`` people in about ``staff / 50`` departments, an
inventory of ``assets`` rows (device lots with varied CPUs, servers, virtual machines, software on
catalog products, SaaS, databases, network), dependencies with redundancy groups, usage of the main
systems per department, skill levels, a requirements spec with ``changes`` planned changes drawn from
realistic actions on catalog products, two scenarios and a few acknowledgements.

Everything random comes from ``numpy.random.default_rng(seed)``: the same arguments write
byte-identical files. Tables are built with numpy/pandas, never with a Python loop over staff rows
(50,000 people write in a few seconds). People are obviously fake ("Synthetic Person 000123",
``@example.invalid``).

When ``skills`` exceeds the number of skills in the shipped catalog, the folder also gets a
``catalog/skills.csv`` and ``catalog/courses.csv`` that add synthetic skills ``syn_skill_NNN``, each
with a course chain 0→2→4 (the catalog override rules of docs/data-format.md), so that ``skills``
distinct skill ids are really present.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from impactlib.model import schema as s
from impactlib.io.catalog import load_catalog

__all__ = ["write_client", "MIN_ASSETS"]

SPEC_DATE = dt.date(2026, 10, 1)
_EPOCH = np.datetime64("1970-01-01", "D")

# --- organisation ----------------------------------------------------------------------------------

# function: (share of departments, relative size, criticality choices, hourly cost, training h/month, roles)
FUNCTIONS = {
    "IT": (0.03, 0.6, ("critical",), 55, 8, ("System administrator", "Service desk technician", "Network engineer", "IT manager")),
    "Finance": (0.06, 0.7, ("critical", "high"), 48, 6, ("Accountant", "Accounts payable clerk", "Controller", "Payroll officer")),
    "Production": (0.30, 1.6, ("critical", "high"), 34, 3, ("Machine operator", "Team leader", "Maintenance technician", "Planner")),
    "Sales": (0.14, 1.0, ("high", "medium"), 45, 5, ("Sales representative", "Sales assistant", "Key account manager", "Sales manager")),
    "Logistics": (0.12, 1.2, ("high", "medium"), 32, 3, ("Warehouse operator", "Logistics coordinator", "Forklift driver", "Dispatcher")),
    "HR": (0.04, 0.6, ("high",), 42, 5, ("HR officer", "Recruiter", "HR manager", "Training coordinator")),
    "Purchasing": (0.05, 0.6, ("medium", "high"), 44, 5, ("Buyer", "Purchasing assistant", "Purchasing manager", "Supplier quality engineer")),
    "Customer service": (0.09, 1.0, ("high", "medium"), 36, 4, ("Customer service agent", "Team leader", "Claims handler", "Support specialist")),
    "Quality": (0.06, 0.6, ("medium",), 44, 5, ("Quality technician", "Quality engineer", "HSE officer", "Lab technician")),
    "R&D": (0.07, 0.8, ("medium", "high"), 58, 6, ("Design engineer", "Test engineer", "Project manager", "Draughtsman")),
    "Legal": (0.02, 0.4, ("high",), 70, 4, ("Legal counsel", "Paralegal", "Compliance officer", "Contract manager")),
    "Direction": (0.02, 0.3, ("high",), 85, 4, ("Managing director", "Executive assistant", "Site director", "Chief of staff")),
}
FUNC_NAMES = tuple(FUNCTIONS)
# the first departments always cover these functions (a client of 3 departments still has IT and Finance)
FIRST_FUNCTIONS = ("IT", "Finance", "Production", "Sales", "Direction", "Logistics", "HR", "Purchasing",
                   "Customer service", "Quality", "R&D", "Legal")
BUSINESS = ("Finance", "Sales", "Logistics", "Purchasing", "Direction", "Customer service")  # ERP users

EMPLOYMENT = (("permanent", 0.84), ("fixed_term", 0.07), ("contractor", 0.04), ("apprentice", 0.03), ("intern", 0.02))
FTE = ((1.0, 0.86), (0.8, 0.08), (0.5, 0.06))

# --- inventory -------------------------------------------------------------------------------------

# cpu_model, cores, typical purchase year, manufacturer, model, weight (workstations)
DESKTOP_CPUS = (
    ("Intel(R) Core(TM) i5-4570 CPU @ 3.20GHz", 4, 2014, "Dell", "OptiPlex 9020", 0.04),
    ("Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", 4, 2016, "Dell", "OptiPlex 3040", 0.14),
    ("Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz", 4, 2017, "HP", "EliteDesk 800 G3", 0.10),
    ("AMD Ryzen 5 1600 Six-Core Processor", 6, 2017, "Lenovo", "ThinkCentre M715", 0.02),
    ("Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz", 6, 2018, "HP", "ProDesk 600 G4", 0.12),
    ("Intel(R) Core(TM) i5-9500 CPU @ 3.00GHz", 6, 2019, "Dell", "OptiPlex 7070", 0.14),
    ("Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", 6, 2020, "Lenovo", "ThinkCentre M70s", 0.10),
    ("AMD Ryzen 5 PRO 4650G with Radeon Graphics", 6, 2021, "Lenovo", "ThinkCentre M75q Gen 2", 0.06),
    ("12th Gen Intel(R) Core(TM) i5-12500", 6, 2022, "Dell", "OptiPlex 7000", 0.10),
    ("13th Gen Intel(R) Core(TM) i5-13500", 14, 2023, "Dell", "OptiPlex 7010", 0.08),
    ("", 0, 0, "", "", 0.10),  # not reported by the inventory tool
)
LAPTOP_CPUS = (
    ("Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz", 2, 2016, "Lenovo", "ThinkPad T460", 0.10),
    ("Intel(R) Core(TM) i5-7300U CPU @ 2.60GHz", 2, 2017, "HP", "EliteBook 840 G4", 0.14),
    ("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", 4, 2018, "Lenovo", "ThinkPad T480", 0.14),
    ("Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz", 4, 2020, "Dell", "Latitude 5410", 0.14),
    ("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4, 2021, "Dell", "Latitude 5420", 0.14),
    ("AMD Ryzen 7 PRO 5850U with Radeon Graphics", 8, 2021, "HP", "EliteBook 845 G8", 0.08),
    ("12th Gen Intel(R) Core(TM) i5-1245U", 10, 2022, "HP", "EliteBook 840 G9", 0.12),
    ("Intel(R) Core(TM) Ultra 5 125U", 12, 2024, "Lenovo", "ThinkPad T14 Gen 5", 0.06),
    ("", 0, 0, "", "", 0.08),
)
SERVER_CPUS = (
    ("Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", 8, 2016, "HPE", "ProLiant ML350 Gen9"),
    ("Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz", 10, 2020, "HPE", "ProLiant DL380 Gen10"),
    ("Intel(R) Xeon(R) E-2314 CPU @ 2.80GHz", 4, 2022, "Dell", "PowerEdge T150"),
    ("AMD EPYC 7302P 16-Core Processor", 16, 2021, "Dell", "PowerEdge R6515"),
    ("Intel(R) Xeon(R) Silver 4410Y", 12, 2024, "HPE", "ProLiant DL360 Gen11"),
)
SERVER_OS = (("windows-server-2012-r2", "2012 R2", 0.15), ("windows-server-2016", "2016", 0.25),
             ("windows-server-2019", "2019", 0.35), ("windows-server-2022", "2022", 0.20),
             ("windows-server-2025", "2025", 0.05))
# (product, versions, weight, server-side: runs on a host)
SOFTWARE = (
    ("office-2016", ("2016",), 0.20, False), ("office-2019", ("2019",), 0.14, False),
    ("office-ltsc-2021", ("2021",), 0.08, False), ("libreoffice", ("24.8", "25.2"), 0.05, False),
    ("sage-100", ("v9", "v10"), 0.13, True), ("odoo", ("16.0", "17.0"), 0.05, True),
    ("exchange-server-2016", ("2016",), 0.05, True), ("veeam-backup-replication", ("11", "12"), 0.10, True),
    ("eset-protect", ("current",), 0.10, True), ("fortigate", ("7.2", "7.4"), 0.0, False),
    ("medical-practice-software", ("current",), 0.0, True),
)
SAAS = (("microsoft-365-business-standard", "current"), ("exchange-online", "current"),
        ("microsoft-defender-business", "current"), ("microsoft-365-business-premium", "current"))
DATABASES = (("sql-server-2014", "2014", 0.35), ("sql-server-2016", "2016", 0.30), ("sql-server-2019", "2019", 0.25),
             ("sql-server-2022", "2022", 0.10))
OFFICE_PRODUCTS = ("office-2016", "office-2019", "office-ltsc-2021", "libreoffice")
ERP_PRODUCTS = ("sage-100", "odoo")
MAIL_PRODUCTS = ("exchange-server-2016", "exchange-online", "microsoft-365-business-standard", "microsoft-365-business-premium")

# share of the non-core assets per kind (devices take the rest)
KIND_SHARES = (("server", 0.06), ("virtual_machine", 0.08), ("software", 0.12), ("saas", 0.03), ("database", 0.04),
               ("network", 0.04), ("storage", 0.01), ("printer", 0.03), ("phone", 0.01))

# the core of every synthetic inventory (ids as in the demo clients)
_CORE = [
    # asset_id, name, kind, product_id, version, criticality, sensitive, os, os_version, cpu index, hostname
    ("SRV-HV1", "Hyper-V host 1", "server", None, None, "critical", None, "windows-server-2019", "2019", 1, "srv-hv1"),
    ("SRV-HV2", "Hyper-V host 2", "server", None, None, "critical", None, "windows-server-2022", "2022", 3, "srv-hv2"),
    ("SRV-ERP", "ERP server (Sage 100 and SQL Server)", "server", None, None, "critical", "payroll_hr|personal_data",
     "windows-server-2012-r2", "2012 R2", 0, "srv-erp"),
    ("SRV-DC2", "Domain controller 2", "server", None, None, "critical", None, "windows-server-2022", "2022", 2, "srv-dc2"),
    ("SRV-DC1", "Domain controller 1", "virtual_machine", None, None, "critical", None, "windows-server-2019", "2019", None, "srv-dc1"),
    ("SRV-MAIL", "Mail server", "virtual_machine", None, None, "high", "personal_data", "windows-server-2016", "2016", None, "srv-mail"),
    ("SRV-FILE", "File server", "virtual_machine", None, None, "high", "payroll_hr|personal_data|trade_secrets",
     "windows-server-2019", "2019", None, "srv-file"),
    ("SRV-BKP", "Backup server", "virtual_machine", None, None, "high", None, "windows-server-2019", "2019", None, "srv-bkp"),
    ("NAS-BKP", "Backup NAS", "storage", None, None, "high", None, None, None, None, "nas-bkp"),
    ("FW-01", "Firewall", "network", "fortigate", "7.2", "critical", None, None, None, None, "fw-01"),
    ("SW-CORE1", "Core switch 1", "network", None, None, "critical", None, None, None, None, "sw-core1"),
    ("SW-CORE2", "Core switch 2", "network", None, None, "critical", None, None, None, None, "sw-core2"),
    ("OFFICE2016", "Microsoft Office Standard 2016 (volume licence)", "software", "office-2016", "2016", "high", None,
     None, None, None, None),
    ("SAGE100", "Sage 100 accounting and sales", "software", "sage-100", "v9", "critical", "payroll_hr|personal_data",
     None, None, None, None),
    ("SQL-ERP", "SQL Server database of Sage 100", "database", "sql-server-2014", "2014", "critical",
     "payroll_hr|personal_data", None, None, None, None),
    ("EXCH2016", "Exchange Server 2016 mail", "software", "exchange-server-2016", "2016", "high", "personal_data",
     None, None, None, None),
    ("VEEAM", "Veeam Backup & Replication", "software", "veeam-backup-replication", "12", "high", None, None, None, None, None),
    ("ESET", "ESET PROTECT antivirus", "software", "eset-protect", "current", "high", None, None, None, None, None),
]
MIN_ASSETS = len(_CORE) + 2  # the core, and at least one desktop lot and one laptop lot

# --- skills and changes ----------------------------------------------------------------------------

LEVEL_P = (0.03, 0.12, 0.35, 0.32, 0.14, 0.04)
SKILL_WEIGHTS = {  # base popularity of a catalog skill (everything else 0.05; synthetic skills 1)
    "win10_use": 6, "win11_use": 2, "office_use": 6, "m365_use": 3, "excel_use": 4, "security_awareness": 4,
    "gdpr_data_protection": 1, "change_management": 0.5, "libreoffice_use": 0.5, "office_vba": 0.4,
    "sage_use": 0.3, "odoo_use": 0.2,
}
FUNCTION_SKILLS = {  # multipliers per department function
    "Finance": {"sage_use": 15, "excel_use": 2, "office_vba": 5, "odoo_use": 3, "odoo_key_user": 5},
    "Sales": {"sage_use": 10, "odoo_use": 3},
    "Logistics": {"sage_use": 8},
    "Purchasing": {"sage_use": 10, "excel_use": 1.5},
    "Customer service": {"sage_use": 6},
    "Direction": {"change_management": 8, "sage_use": 3},
    "HR": {"gdpr_data_protection": 5},
    "Legal": {"gdpr_data_protection": 6},
}
IT_ADMIN_WEIGHT = 5.0  # it_admin and security skills in IT departments

# (key, title, action, product, version, from product, scope) — realistic projects on catalog products
TEMPLATES = (
    ("win11", "Windows 11 upgrade", "upgrade", "windows-11", "25H2", "windows-10", "all"),
    ("m365", "Microsoft 365 Business Standard replaces Office 2016", "replace", "microsoft-365-business-standard",
     "current", "office-2016", "all"),
    ("odoo", "Sage 100 to Odoo 18 migration", "migrate", "odoo", "18.0", "sage-100", "business"),
    ("exo", "Exchange Server 2016 to Exchange Online", "migrate", "exchange-online", "current", "exchange-server-2016", "all"),
    ("srv12", "Windows Server 2012 R2 servers to Windows Server 2025", "upgrade", "windows-server-2025", "2025",
     "windows-server-2012-r2", "it"),
    ("libre", "LibreOffice replaces Office 2016", "replace", "libreoffice", "25.8", "office-2016", "all"),
    ("sql", "SQL Server 2014 to SQL Server 2022", "upgrade", "sql-server-2022", "2022", "sql-server-2014", "it"),
    ("defender", "Microsoft Defender for Business replaces ESET", "replace", "microsoft-defender-business", "current",
     "eset-protect", "all"),
    ("veeam", "Veeam Backup & Replication 13", "upgrade", "veeam-backup-replication", "13", "veeam-backup-replication", "it"),
    ("ltsc", "Office 2019 to Office LTSC 2024", "upgrade", "office-ltsc-2024", "2024", "office-2019", "all"),
    ("srv16", "Windows Server 2016 servers to Windows Server 2022", "upgrade", "windows-server-2022", "2022",
     "windows-server-2016", "it"),
    ("fw", "FortiGate firmware 7.6", "upgrade", "fortigate", "7.6", "fortigate", "it"),
)
ROLLOUTS = (("big_bang", 0.3), ("phased", 0.4), ("pilot_then_big_bang", 0.2), ("parallel_run", 0.1))
OBJECTIVES = (
    ("All workstations on a supported operating system", "must", "share of workstations on Windows 11", 100, "%"),
    ("A fast and modern collaboration suite for everyone", "should", None, None, None),
    ("One ERP for accounting, sales, purchasing and stock", "must", "ERP modules in production", 4, "modules"),
    ("Reduce the annual licence costs", "should", "annual licence savings", 40000, "EUR"),
    ("Simple, intuitive tools that staff adopt quickly", "could", None, None, None),
    ("No delay to the annual closing", "must", "days of delay of the closing", 0, "days"),
    ("Supported and patched servers", "must", "servers under a supported OS", 100, "%"),
    ("Efficient and robust backups", "should", "restore test success rate", None, "%"),
)


def _pick(rng: np.random.Generator, table, size: int) -> np.ndarray:
    """Indices into ``table`` (rows ending with a weight), drawn by weight."""
    w = np.array([row[-1] for row in table], dtype=float)
    return rng.choice(len(table), size=size, p=w / w.sum())


def _ids(prefix: str, n: int, width: int, start: int = 1) -> pd.Series:
    return prefix + pd.Series(np.arange(start, start + n)).astype("str").str.zfill(width)


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def write_client(folder: Path, *, staff: int, assets: int, skills: int, changes: int, seed: int = 0,
                 departments: int | None = None) -> Path:
    """Write a complete, valid synthetic client folder at ``folder`` and return its path.

    ``folder``'s name is the client id (``^[a-z0-9][a-z0-9-]{1,62}$``). ``staff`` people in
    ``departments`` departments (default ``max(3, round(staff / 50))``), ``assets`` rows in assets.csv
    (at least :data:`MIN_ASSETS`), at most ``skills`` distinct skill ids in skills.csv (4-8 per
    person), ``changes`` planned changes in spec.yaml. The same arguments write byte-identical files.
    Existing files of the same names are overwritten; nothing else in the folder is touched, except
    a ``catalog/skills.csv`` / ``catalog/courses.csv`` that a previous run wrote and this one does not need.
    """
    folder = Path(folder)
    if not re.fullmatch(s.CLIENT_ID, folder.name):
        raise ValueError(f"'{folder.name}' is not a valid client id (the folder name): use 2-63 characters a-z, 0-9 and '-'")
    n_dept = max(3, round(staff / 50)) if departments is None else departments
    if staff < 1 or n_dept < 1 or skills < 1 or changes < 1:
        raise ValueError("staff, departments, skills and changes must be at least 1")
    if assets < MIN_ASSETS:
        raise ValueError(f"assets must be at least {MIN_ASSETS} (the core inventory and two device lots)")
    rng = np.random.default_rng(seed)
    catalog = load_catalog()

    depts = _departments(rng, staff, n_dept)
    people = _staff(rng, depts)
    pool, extra_skills, extra_courses = _skill_pool(catalog, skills)
    levels = _skills(rng, people, depts, pool, catalog)
    inventory = _assets(rng, depts, assets, catalog)
    links = _dependencies(rng, inventory)
    usage = _usage(rng, depts, inventory, catalog)
    spec, alt = _spec(rng, depts, people, inventory, usage, changes, catalog)
    profile = _profile(folder.name, seed, depts)
    acks = _acknowledgements(spec, inventory)

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenarios").mkdir(exist_ok=True)
    _yaml(folder / "client.yaml", profile)
    _yaml(folder / "spec.yaml", spec)
    _yaml(folder / "scenarios" / "baseline.yaml", {"title": "Requirements spec as written"})
    _yaml(folder / "scenarios" / "alt.yaml", alt)
    tables = {"departments.csv": (depts, s.Departments), "staff.csv": (people, s.Staff), "skills.csv": (levels, s.Skills),
              "assets.csv": (inventory, s.Assets), "dependencies.csv": (links, s.Dependencies),
              "usage.csv": (usage, s.Usage), "acknowledgements.csv": (acks, s.Acknowledgements)}
    for name, (frame, model) in tables.items():
        _csv(folder / name, frame, model)
    cat_dir = folder / "catalog"
    if extra_skills is not None:
        cat_dir.mkdir(exist_ok=True)
        _csv(cat_dir / "skills.csv", extra_skills, s.CatalogSkills)
        _csv(cat_dir / "courses.csv", extra_courses, s.Courses)
    else:
        for name in ("skills.csv", "courses.csv"):
            (cat_dir / name).unlink(missing_ok=True)
        if cat_dir.is_dir() and not any(cat_dir.iterdir()):
            cat_dir.rmdir()
    return folder


# --- writers ---------------------------------------------------------------------------------------

def _csv(path: Path, frame: pd.DataFrame, model) -> None:
    cols = list(model.to_schema().columns)
    out = frame.reindex(columns=cols)
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _plain(x):
    """Python scalars for the YAML dumper (numpy strings and numbers are not representable)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


def _yaml(path: Path, data: dict) -> None:
    text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, default_flow_style=None, width=160)
    path.write_text(text, encoding="utf-8", newline="\n")


# --- organisation ----------------------------------------------------------------------------------

def _departments(rng: np.random.Generator, staff: int, n: int) -> pd.DataFrame:
    first = list(FIRST_FUNCTIONS[:n])
    shares = np.array([FUNCTIONS[f][0] for f in FUNC_NAMES])
    rest = rng.choice(len(FUNC_NAMES), size=max(n - len(first), 0), p=shares / shares.sum())
    func = np.array(first + [FUNC_NAMES[i] for i in rest], dtype=object)
    size = np.array([FUNCTIONS[f][1] for f in func]) * rng.lognormal(0.0, 0.5, size=n)
    base = 1 if staff >= n else 0
    headcount = rng.multinomial(staff - base * n, size / size.sum()) + base
    width = max(3, len(str(n)))
    ids = _ids("D", n, width).to_numpy()
    # number of the department within its function ("Sales 07")
    number = pd.Series(func).groupby(func).cumcount().to_numpy() + 1
    name = pd.Series(func).astype("str") + " " + pd.Series(number).astype("str").str.zfill(2)
    crit = np.array([FUNCTIONS[f][2][i % len(FUNCTIONS[f][2])] for i, f in enumerate(func)], dtype=object)
    # a function's first department heads the others; function heads report to the first Direction department
    head_of = pd.Series(ids).groupby(func).transform("first").to_numpy()
    direction = ids[func == "Direction"][0] if (func == "Direction").any() else None
    parent = np.where(head_of == ids, direction, head_of).astype(object)
    parent[ids == direction] = None
    return pd.DataFrame({
        "department_id": ids, "name": name, "headcount": headcount, "criticality": crit,
        "hourly_cost": [FUNCTIONS[f][3] for f in func] + rng.integers(-4, 5, size=n),
        "training_hours_per_month": [FUNCTIONS[f][4] for f in func],
        "change_capacity": rng.choice([2, 3, 3, 4], size=n),
        "parent_department_id": parent,
        "function": func,  # not a column of the file: used to shape the rest
    })


def _staff(rng: np.random.Generator, depts: pd.DataFrame) -> pd.DataFrame:
    n = int(depts["headcount"].sum())
    width = max(6, len(str(n)))
    num = pd.Series(np.arange(1, n + 1)).astype("str").str.zfill(width)
    dept_idx = np.repeat(np.arange(len(depts)), depts["headcount"].to_numpy())
    func = depts["function"].to_numpy()[dept_idx]
    roles = np.array([FUNCTIONS[f][5] for f in FUNC_NAMES], dtype=object)  # functions × 4 roles
    f_idx = pd.Series(func).map({f: i for i, f in enumerate(FUNC_NAMES)}).to_numpy()
    # the first role of a department is rarer (managers), the others are the bulk
    role = roles[f_idx, rng.choice(4, size=n, p=[0.1, 0.5, 0.25, 0.15])]
    emp = np.array([e for e, _ in EMPLOYMENT], dtype=object)[_pick(rng, EMPLOYMENT, n)]
    fte = np.array([f for f, _ in FTE])[_pick(rng, FTE, n)]
    return pd.DataFrame({
        "staff_id": "S" + num, "department_id": depts["department_id"].to_numpy()[dept_idx], "role": role,
        "employment": emp, "fte": fte, "name": "Synthetic Person " + num, "email": "person" + num + "@example.invalid",
        "function": func,
    })


# --- skills ----------------------------------------------------------------------------------------

def _skill_pool(catalog, wanted: int):
    """The skill ids to use (catalog skills the products require first), and the catalog additions."""
    cat_ids = list(catalog.skills["skill_id"])
    required = list(dict.fromkeys(catalog.required_skills()["skill_id"]))
    ordered = [x for x in required if x in cat_ids] + [x for x in cat_ids if x not in required]
    if wanted <= len(ordered):
        return ordered[:wanted], None, None
    extra = wanted - len(ordered)
    width = max(3, len(str(extra)))
    syn = _ids("syn_skill_", extra, width)
    cats = np.array(s.SKILL_CATEGORIES, dtype=object)[np.arange(extra) % len(s.SKILL_CATEGORIES)]
    skills_tab = pd.DataFrame({"skill_id": syn, "name": "Synthetic skill " + syn.str.removeprefix("syn_skill_"),
                               "category": cats})
    slug = syn.str.replace("_", "-")
    courses = pd.DataFrame({
        "course_id": pd.concat([slug + "-0-2", slug + "-2-4"]).to_numpy(),
        "skill_id": np.concatenate([syn, syn]),
        "from_level": np.repeat([0, 2], extra), "to_level": np.repeat([2, 4], extra),
        "hours": np.repeat([7, 14], extra), "cost": np.repeat([350, 900], extra), "currency": "EUR",
        "format": np.repeat(["elearning", "virtual"], extra), "group_size": np.repeat([100, 10], extra),
        "source": "synthetic (impactlib.synthetic)",
    })
    order = np.argsort(np.concatenate([np.arange(extra) * 2, np.arange(extra) * 2 + 1]), kind="stable")
    return ordered + list(syn), skills_tab, courses.iloc[order].reset_index(drop=True)


def _skills(rng: np.random.Generator, people: pd.DataFrame, depts: pd.DataFrame, pool: list[str], catalog) -> pd.DataFrame:
    """4-8 distinct skills per person, drawn by weight (Gumbel top-k), levels 0-5; IT people better at admin."""
    n, k_pool = len(people), len(pool)
    category = catalog.skills.set_index("skill_id")["category"]
    is_admin = np.array([category.get(x) in ("it_admin", "security") and x != "security_awareness" for x in pool])
    base = np.array([SKILL_WEIGHTS.get(x, 1.0 if x.startswith("syn_skill_") else 0.05) for x in pool])
    weights = np.tile(base, (len(FUNC_NAMES), 1))
    for fi, f in enumerate(FUNC_NAMES):
        for sk, mult in FUNCTION_SKILLS.get(f, {}).items():
            if sk in pool:
                weights[fi, pool.index(sk)] *= mult
    weights[FUNC_NAMES.index("IT"), is_admin] = IT_ADMIN_WEIGHT
    logw = np.log(weights).astype(np.float32)
    f_idx = people["function"].map({f: i for i, f in enumerate(FUNC_NAMES)}).to_numpy()
    k_max = min(8, k_pool)
    k = np.minimum(rng.integers(4, 9, size=n), k_pool)
    picks = np.empty((n, k_max), dtype=np.int64)
    chunk = 8192
    for lo in range(0, n, chunk):  # chunks bound the memory of the (people × skills) key matrix
        hi = min(lo + chunk, n)
        u = rng.random((hi - lo, k_pool), dtype=np.float32)
        keys = logw[f_idx[lo:hi]] - np.log(-np.log(np.clip(u, 1e-12, 1 - 1e-7)))
        top = np.argpartition(-keys, k_max - 1, axis=1)[:, :k_max] if k_max < k_pool else np.tile(np.arange(k_pool), (hi - lo, 1))
        order = np.argsort(-np.take_along_axis(keys, top, axis=1), axis=1, kind="stable")
        picks[lo:hi] = np.take_along_axis(top, order, axis=1)
    keep = np.arange(k_max)[None, :] < k[:, None]
    rows = np.repeat(np.arange(n), k)
    skill_idx = picks[keep]
    level = rng.choice(6, size=len(rows), p=LEVEL_P)
    it_admin = (people["function"].to_numpy()[rows] == "IT") & is_admin[skill_idx]
    level = np.where(it_admin, np.minimum(level + 1, 5), level)
    return pd.DataFrame({"staff_id": people["staff_id"].to_numpy()[rows],
                         "skill_id": np.array(pool, dtype=object)[skill_idx], "level": level})


# --- inventory -------------------------------------------------------------------------------------

def _date_strings(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(_EPOCH + days.astype("int64"), unit="D")


def _assets(rng: np.random.Generator, depts: pd.DataFrame, total: int, catalog) -> pd.DataFrame:
    rest = total - len(_CORE)
    counts = {k: int(rest * share) for k, share in KIND_SHARES}
    counts["device"] = rest - sum(counts.values())
    spec_day = _days(SPEC_DATE)
    frames = []

    core = pd.DataFrame(_CORE, columns=["asset_id", "name", "kind", "product_id", "version", "criticality", "sensitive_data",
                                        "os_product_id", "os_version", "cpu", "hostname"])
    core["quantity"] = 1
    core.loc[core["asset_id"] == "OFFICE2016", "quantity"] = int(depts["headcount"].sum() * 0.6) or 1
    core.loc[core["asset_id"] == "ESET", "quantity"] = int(depts["headcount"].sum()) or 1
    core["licence_seats"] = pd.array([None] * len(core), dtype="Int64")
    sw = core["kind"].isin(s.SOFTWARE_KINDS)
    core.loc[sw, "licence_seats"] = (core.loc[sw, "quantity"] * 1.05).round().astype("int64").clip(lower=1).to_numpy()
    core.loc[core["asset_id"] == "SAGE100", "licence_seats"] = max(5, int(depts["headcount"].sum() * 0.05))
    hw = core["cpu"].notna()
    cpu = [SERVER_CPUS[int(i)] for i in core.loc[hw, "cpu"]]
    core.loc[hw, "cpu_model"] = [c[0] for c in cpu]
    core.loc[hw, "cpu_cores"] = [c[1] for c in cpu]
    core.loc[hw, "manufacturer"] = [c[3] for c in cpu]
    core.loc[hw, "model"] = [c[4] for c in cpu]
    core.loc[hw, "purchase_date"] = [f"{c[2]}-03-10" for c in cpu]
    host = core["kind"].isin(("server", "virtual_machine"))
    core.loc[host, "ram_gb"] = np.where(core.loc[host, "asset_id"].str.startswith("SRV-HV"), 256, 32)
    core.loc[host, "storage_gb"] = 960
    core.loc[host, "tpm_version"] = np.where(core.loc[host, "asset_id"] == "SRV-ERP", None, "2.0")
    core.loc[host, "uefi"] = "yes"
    core.loc[host, "secure_boot"] = np.where(core.loc[host, "asset_id"] == "SRV-ERP", "no", "yes")
    frames.append(core.drop(columns="cpu"))

    # device lots: workstations and laptops, mostly owned by a department in proportion to its headcount
    n = counts["device"]
    laptop = np.zeros(n, dtype=bool)
    laptop[1:] = rng.random(n - 1) < 0.35
    laptop[min(1, n - 1)] = True  # at least one laptop lot and one desktop lot
    laptop[0] = False
    desk_i, lap_i = _pick(rng, DESKTOP_CPUS, n), _pick(rng, LAPTOP_CPUS, n)
    desk, lap = pd.DataFrame(DESKTOP_CPUS), pd.DataFrame(LAPTOP_CPUS)
    cpu = pd.DataFrame(np.where(laptop[:, None], lap.to_numpy()[lap_i], desk.to_numpy()[desk_i]),
                       columns=["cpu_model", "cpu_cores", "year", "manufacturer", "model", "w"])
    unknown = cpu["year"].to_numpy() == 0
    year = np.where(unknown, rng.integers(2015, 2025, size=n), cpu["year"].to_numpy()).astype("int64")
    purchase = np.minimum(np.array([_days(dt.date(int(y), 1, 1)) for y in range(2010, 2027)])[year - 2010]
                          + rng.integers(0, 365, size=n), spec_day - 1)
    hc = depts["headcount"].to_numpy().astype(float)
    owned = rng.random(n) >= 0.1
    owner = rng.choice(len(depts), size=n, p=hc / hc.sum() if hc.sum() else None)
    weight = rng.gamma(2.0, size=n)
    per_owner = pd.Series(np.where(owned, weight, 0.0)).groupby(owner).transform("sum").to_numpy()
    share = np.where(per_owner > 0, weight / np.where(per_owner > 0, per_owner, 1.0), 1.0)
    qty = np.where(owned, np.maximum(1, np.round(share * hc[owner] * 1.02)), rng.integers(2, 30, size=n)).astype("int64")
    dept = np.where(owned, depts["department_id"].to_numpy()[owner], None)
    gen_old = year <= 2017
    ram = rng.choice([4, 8, 16, 32], size=n, p=[0.05, 0.45, 0.42, 0.08]).astype(float)
    ram = np.where(gen_old & (ram > 16), 8, ram)
    ram[rng.random(n) < 0.10] = np.nan  # unknown RAM
    storage = rng.choice([128, 256, 512, 1000], size=n, p=[0.1, 0.45, 0.4, 0.05]).astype(float)
    storage[rng.random(n) < 0.05] = np.nan
    tpm = np.where(year <= 2015, rng.choice(["none", "1.2"], size=n),
                   np.where(gen_old & (rng.random(n) < 0.2), "1.2", "2.0")).astype(object)
    tpm[rng.random(n) < 0.06] = None
    uefi = np.where(year <= 2015, "no", "yes").astype(object)
    secure = np.where(uefi == "yes", np.where(rng.random(n) < 0.85, "yes", "no"), "no").astype(object)
    uefi[rng.random(n) < 0.05] = None
    secure[rng.random(n) < 0.08] = None
    win11 = (year >= 2021) & (rng.random(n) < 0.35)
    win81 = (year <= 2015) & (rng.random(n) < 0.5)
    os_id = np.where(win11, "windows-11", np.where(win81, "windows-8.1", "windows-10")).astype(object)
    os_ver = np.where(win11, rng.choice(["23H2", "24H2"], size=n),
                      np.where(win81, "8.1", np.where(rng.random(n) < 0.8, "22H2", "21H2"))).astype(object)
    label = np.where(laptop, "Laptops", "Desktops")
    width = max(4, len(str(n)))
    ids = np.where(laptop, "LAP-", "PC-") + _ids("", n, width).to_numpy()
    where = pd.Series(dept).fillna("shared").to_numpy()
    frames.append(pd.DataFrame({
        "asset_id": ids, "name": pd.Series(label) + " " + pd.Series(where) + " (batch " + pd.Series(year).astype("str") + ")",
        "kind": np.where(laptop, "laptop", "workstation"), "quantity": qty, "department_id": dept,
        "criticality": np.where(rng.random(n) < 0.08, "high", "medium"),
        "manufacturer": np.where(unknown, None, cpu["manufacturer"].to_numpy()),
        "model": np.where(unknown, None, cpu["model"].to_numpy()),
        "cpu_model": np.where(unknown, None, cpu["cpu_model"].to_numpy()),
        "cpu_cores": pd.array(np.where(unknown, pd.NA, cpu["cpu_cores"].to_numpy()), dtype="Int64"),
        "ram_gb": ram, "storage_gb": storage, "tpm_version": tpm, "uefi": uefi, "secure_boot": secure,
        "os_product_id": os_id, "os_version": os_ver, "purchase_date": _date_strings(purchase),
    }))

    # servers and virtual machines under Windows Server
    for kind, prefix, n_k in (("server", "SRV-", counts["server"]), ("virtual_machine", "VM-", counts["virtual_machine"])):
        if not n_k:
            continue
        os_i = _pick(rng, SERVER_OS, n_k)
        c_i = rng.integers(0, len(SERVER_CPUS), size=n_k)
        ids = _ids(prefix, n_k, 4).to_numpy()
        physical = kind == "server"
        hyperv = physical & (rng.random(n_k) < 0.3)
        frames.append(pd.DataFrame({
            "asset_id": ids,
            "name": np.where(hyperv, "Hyper-V host ", "Application server " if physical else "Virtual server ") + pd.Series(ids).str[len(prefix):],
            "kind": kind, "quantity": 1, "department_id": None,
            "criticality": rng.choice(["medium", "high", "critical"], size=n_k, p=[0.3, 0.5, 0.2]),
            "manufacturer": [SERVER_CPUS[i][3] for i in c_i] if physical else None,
            "model": [SERVER_CPUS[i][4] for i in c_i] if physical else None,
            "cpu_model": [SERVER_CPUS[i][0] for i in c_i] if physical else None,
            "cpu_cores": pd.array([SERVER_CPUS[i][1] for i in c_i] if physical else rng.choice([2, 4, 8], size=n_k), dtype="Int64"),
            "ram_gb": rng.choice([16, 32, 64, 128], size=n_k).astype(float) * (4 if physical else 1) / (2 if physical else 1),
            "storage_gb": rng.choice([240, 480, 960, 2000], size=n_k).astype(float),
            "tpm_version": np.where(rng.random(n_k) < 0.7, "2.0", None) if physical else None,
            "uefi": "yes", "secure_boot": np.where(rng.random(n_k) < 0.7, "yes", "no"),
            "os_product_id": [SERVER_OS[i][0] for i in os_i], "os_version": [SERVER_OS[i][1] for i in os_i],
            "purchase_date": _date_strings(np.minimum(
                np.array([_days(dt.date(SERVER_CPUS[i][2], 1, 1)) for i in c_i]) + rng.integers(0, 365, size=n_k), spec_day - 1)),
            "hostname": pd.Series(ids).str.lower().to_numpy(),
            "is_hypervisor": hyperv,
        }))

    # software, SaaS and databases on catalog products
    products = catalog.products
    n_sw = counts["software"]
    if n_sw:
        table = [row for row in SOFTWARE if row[2] > 0]
        p_i = _pick(rng, [(r[0], r[2]) for r in table], n_sw)
        pid = np.array([table[i][0] for i in p_i], dtype=object)
        valid = {r[0]: [v for v in r[1] if products[r[0]].version(v) is not None] for r in table}
        r_v = rng.random(n_sw)
        ver = np.array([valid[p][int(x * len(valid[p]))] for p, x in zip(pid, r_v)], dtype=object)
        site = rng.random(n_sw) < 0.6
        owner = rng.choice(len(depts), size=n_sw, p=hc / hc.sum() if hc.sum() else None)
        dept = np.where(site, depts["department_id"].to_numpy()[owner], None)
        qty = np.where(pd.Series(pid).isin(OFFICE_PRODUCTS + ("eset-protect",)).to_numpy(),
                       np.maximum(1, np.round(hc[owner] * rng.uniform(0.8, 1.1, size=n_sw))), 1).astype("int64")
        ids = _ids("APP-", n_sw, 4).to_numpy()
        names = pd.Series(pid).map({p: products[p].name for p in set(pid)}).to_numpy()
        frames.append(pd.DataFrame({
            "asset_id": ids, "name": names + " (" + pd.Series(np.where(site, dept, "shared")).astype("str") + ")",
            "kind": "software", "product_id": pid, "version": ver, "quantity": qty, "department_id": dept,
            "criticality": rng.choice(["medium", "high", "critical"], size=n_sw, p=[0.4, 0.4, 0.2]),
            "sensitive_data": np.where(pid == "sage-100", "payroll_hr|personal_data", None),
            "licence_seats": pd.array(np.maximum(1, np.round(qty * rng.uniform(0.9, 1.15, size=n_sw))).astype("int64"), dtype="Int64"),
        }))
    n_saas = counts["saas"]
    if n_saas:
        p_i = rng.integers(0, len(SAAS), size=n_saas)
        pid = np.array([SAAS[i][0] for i in p_i], dtype=object)
        seats = rng.integers(5, 200, size=n_saas)
        frames.append(pd.DataFrame({
            "asset_id": _ids("SAAS-", n_saas, 3).to_numpy(),
            "name": pd.Series(pid).map({p: products[p].name for p in set(pid)}) + " (subsidiary tenant)",
            "kind": "saas", "product_id": pid, "version": [SAAS[i][1] for i in p_i], "quantity": seats,
            "criticality": "high", "sensitive_data": "personal_data", "licence_seats": pd.array(seats, dtype="Int64"),
        }))
    n_db = counts["database"]
    if n_db:
        p_i = _pick(rng, DATABASES, n_db)
        frames.append(pd.DataFrame({
            "asset_id": _ids("DB-", n_db, 4).to_numpy(),
            "name": "SQL Server instance " + _ids("", n_db, 4),
            "kind": "database", "product_id": [DATABASES[i][0] for i in p_i], "version": [DATABASES[i][1] for i in p_i],
            "quantity": 1, "criticality": rng.choice(["high", "critical"], size=n_db),
            "sensitive_data": np.where(rng.random(n_db) < 0.4, "personal_data", None),
            "licence_seats": pd.array(np.ones(n_db, dtype="int64"), dtype="Int64"),
        }))
    # network, storage, printers, phones
    n_net = counts["network"]
    if n_net:
        fortigate = rng.random(n_net) < 0.4
        ids = _ids("NET-", n_net, 4)
        frames.append(pd.DataFrame({
            "asset_id": ids.to_numpy(), "name": np.where(fortigate, "Site firewall ", "Access switch ") + ids.str[4:],
            "kind": "network", "product_id": np.where(fortigate, "fortigate", None),
            "version": np.where(fortigate, rng.choice(["7.2", "7.4"], size=n_net), None),
            "quantity": 1, "criticality": "high",
            "manufacturer": np.where(fortigate, "Fortinet", "HPE Aruba"), "model": np.where(fortigate, "FortiGate 60F", "2930F 24G"),
            "purchase_date": _date_strings(spec_day - rng.integers(200, 3000, size=n_net)),
            "hostname": ids.str.lower().to_numpy(),
        }))
    for kind, prefix, n_k, name, make, model in (
            ("storage", "STO-", counts["storage"], "Storage array ", "Synology", "RS1221+"),
            ("printer", "PRN-", counts["printer"], "Multifunction printers ", "Kyocera", "TASKalfa 3253ci"),
            ("phone", "PHN-", counts["phone"], "Smartphones ", "Samsung", "Galaxy A55")):
        if not n_k:
            continue
        ids = _ids(prefix, n_k, 3)
        frames.append(pd.DataFrame({
            "asset_id": ids.to_numpy(), "name": name + ids.str[len(prefix):], "kind": kind,
            "quantity": rng.integers(1, 40, size=n_k) if kind != "storage" else 1, "criticality": "medium",
            "manufacturer": make, "model": model,
            "purchase_date": _date_strings(spec_day - rng.integers(200, 2500, size=n_k)),
        }))
    inv = pd.concat(frames, ignore_index=True)
    hyperv = inv["is_hypervisor"].eq(True) if "is_hypervisor" in inv else False
    inv["is_hypervisor"] = hyperv | inv["asset_id"].str.startswith("SRV-HV")
    inv["cpu_cores"] = inv["cpu_cores"].astype("Int64")
    inv["licence_seats"] = inv["licence_seats"].astype("Int64")
    inv["quantity"] = inv["quantity"].astype("int64")
    assert len(inv) == total and inv["asset_id"].is_unique
    return inv


def _dependencies(rng: np.random.Generator, inv: pd.DataFrame) -> pd.DataFrame:
    kind = inv["kind"]
    ids = inv["asset_id"]
    hosts = inv.loc[kind.isin(("server", "virtual_machine")), "asset_id"].to_numpy()
    hypervisors = inv.loc[inv["is_hypervisor"], "asset_id"].to_numpy()
    servers = inv.loc[kind.isin(("server", "virtual_machine")) & ~ids.isin(["SRV-DC1", "SRV-DC2"]), "asset_id"].to_numpy()
    parts = []

    def link(frm, to, k, group=None, required=None, connector=None, notes=None):
        parts.append(pd.DataFrame({"from_asset_id": frm, "to_asset_id": to, "kind": k, "redundancy_group": group,
                                   "required": required, "connector": connector, "notes": notes}))

    # everyone signs in against the two domain controllers (a redundancy group)
    auth = inv.loc[kind.isin(("workstation", "laptop", "server", "virtual_machine", "software"))
                   & ~ids.isin(["SRV-DC1", "SRV-DC2"]) & ~inv["product_id"].isin(OFFICE_PRODUCTS), "asset_id"].to_numpy()
    for dc in ("SRV-DC1", "SRV-DC2"):
        link(auth, dc, "authenticates_with", "ad")
    link(["SRV-DC2"], ["SRV-DC1"], "integrates_with", None, "no", "AD replication")
    # virtual machines run on a hypervisor; a third of them are in a two-host cluster (redundant)
    vms = inv.loc[kind == "virtual_machine", "asset_id"].to_numpy()
    if len(vms):
        hv = np.array(sorted(hypervisors), dtype=object)
        a_i = rng.integers(0, len(hv), size=len(vms))
        clustered = (rng.random(len(vms)) < 0.35) & (len(hv) > 1)
        link(vms, hv[a_i], "runs_on", np.where(clustered, "cluster", None))
        if clustered.any():
            b_i = (a_i + 1 + rng.integers(0, max(len(hv) - 1, 1), size=len(vms))) % len(hv)  # another host
            link(vms[clustered], hv[b_i][clustered], "runs_on", "cluster")
    # server-side software and databases run on a host; office suites and SaaS need none
    server_side = inv["product_id"].isin([p for p, _, _, srv in SOFTWARE if srv]) | (kind == "database")
    fixed = {"SAGE100": "SRV-ERP", "SQL-ERP": "SRV-ERP", "EXCH2016": "SRV-MAIL", "VEEAM": "SRV-BKP", "ESET": "SRV-FILE"}
    sw = inv.loc[server_side, "asset_id"].to_numpy()
    target = np.array([fixed.get(x) for x in sw], dtype=object)
    free = pd.isna(target)
    target[free] = servers[rng.integers(0, len(servers), size=int(free.sum()))]
    link(sw, target, "runs_on")
    # ERP instances store their data in a database
    erps = inv.loc[inv["product_id"].isin(ERP_PRODUCTS), "asset_id"].to_numpy()
    dbs = inv.loc[kind == "database", "asset_id"].to_numpy()
    db_of = np.where(erps == "SAGE100", "SQL-ERP", dbs[rng.integers(0, len(dbs), size=len(erps))])
    link(erps, db_of, "stores_data_in")
    # ERP exports to the office suite (sometimes through a known connector)
    office = inv.loc[inv["product_id"] == "office-2016", "asset_id"].to_numpy()
    known = rng.random(len(erps)) < 0.5
    link(erps, office[rng.integers(0, len(office), size=len(erps))], "integrates_with", None, "no",
         np.where(known, "Excel export and ODBC queries", None))
    link(["EXCH2016"], ["FW-01"], "connects_through", notes="SMTP and remote Outlook access")
    # hosts reach the network through the two core switches, and are backed up to the NAS
    phys = inv.loc[kind == "server", "asset_id"].to_numpy()
    for sw_ in ("SW-CORE1", "SW-CORE2"):
        link(phys, sw_, "connects_through", "core")
    link(hosts[rng.random(len(hosts)) < 0.6], "NAS-BKP", "backs_up_to", None, "no")
    link(["VEEAM"], ["NAS-BKP"], "backs_up_to")
    # laptops reach the company through the firewall (VPN), not required to work
    laps = inv.loc[kind == "laptop", "asset_id"].to_numpy()
    link(laps, "FW-01", "connects_through", None, "no", notes="VPN")
    out = pd.concat(parts, ignore_index=True)
    out = out.loc[out["from_asset_id"] != out["to_asset_id"]]
    return out.drop_duplicates(["from_asset_id", "to_asset_id", "kind"]).reset_index(drop=True)


# --- usage -----------------------------------------------------------------------------------------

def _features(rng: np.random.Generator, n: int, probs: dict[str, float | np.ndarray]) -> np.ndarray:
    out = pd.Series("", index=range(n))
    for feat, p in probs.items():
        has = rng.random(n) < p
        out = out.where(~has, out + np.where(out == "", "", "|") + feat)
    return out.replace("", None).to_numpy()


def _usage(rng: np.random.Generator, depts: pd.DataFrame, inv: pd.DataFrame, catalog) -> pd.DataFrame:
    """Who uses what: every department its office suite, mail and device lots; business departments the ERP;
    the central IT department administers the core systems. Users of one department on one asset ≤ headcount."""
    n = len(depts)
    ids = depts["department_id"].to_numpy()
    hc = depts["headcount"].to_numpy()
    func = depts["function"].to_numpy()
    parts = []

    def use(dept, asset, role, users, intensity, hours, features=None):
        parts.append(pd.DataFrame({"department_id": dept, "asset_id": asset, "role": role, "users": users,
                                   "intensity": intensity, "hours_per_week": hours, "features": features}))

    def pick_asset(products, main, p_main):
        """One asset per department: the main one with probability p_main, else an instance of ``products``."""
        others = inv.loc[inv["product_id"].isin(products) & (inv["asset_id"] != main), ["asset_id", "department_id"]]
        choice = np.full(n, main, dtype=object)
        alt = rng.random(n) >= p_main
        if len(others):
            choice[alt] = others["asset_id"].to_numpy()[rng.integers(0, len(others), size=int(alt.sum()))]
            # a site instance is used by the department that owns it
            own = others.dropna(subset=["department_id"]).drop_duplicates("department_id").set_index("department_id")["asset_id"]
            mine = pd.Series(ids).map(own).to_numpy()
            choice = np.where(pd.notna(mine) & alt, mine, choice)
        return choice

    finance = func == "Finance"
    office = pick_asset(OFFICE_PRODUCTS, "OFFICE2016", 0.6)
    use(ids, office, "end_user", np.floor(hc * rng.uniform(0.7, 1.0, size=n)).astype("int64"),
        np.where(rng.random(n) < 0.8, "daily", "weekly"), rng.integers(2, 26, size=n),
        _features(rng, n, {"vba_macros": np.where(finance, 0.7, 0.1), "xlsm": np.where(finance, 0.8, 0.2), "docm": 0.15,
                           "pivot_tables": np.where(finance, 0.9, 0.3), "power_query": np.where(finance, 0.4, 0.05),
                           "access_db": 0.03}))
    mail = pick_asset(MAIL_PRODUCTS, "EXCH2016", 0.9)
    use(ids, mail, "end_user", np.floor(hc * rng.uniform(0.85, 1.0, size=n)).astype("int64"), "daily",
        rng.integers(2, 11, size=n), _features(rng, n, {"shared_mailboxes": 0.6, "outlook_pst": 0.3}))
    biz = np.isin(func, BUSINESS)
    if biz.any():
        erp = pick_asset(ERP_PRODUCTS, "SAGE100", 0.75)[biz]
        key = np.where(hc[biz] >= 5, np.minimum(2, hc[biz] // 5), 0)
        end = np.floor((hc[biz] - key) * np.where(func[biz] == "Finance", 1.0, rng.uniform(0.3, 0.9, size=int(biz.sum())))).astype("int64")
        use(ids[biz][key > 0], erp[key > 0], "key_user", key[key > 0], "daily", 25)
        use(ids[biz], erp, "end_user", end, np.where(func[biz] == "Direction", "weekly", "daily"), rng.integers(5, 26, size=int(biz.sum())))
    # device lots: the owning department's people
    devices = inv.loc[inv["kind"].isin(("workstation", "laptop")) & inv["department_id"].notna()]
    head = pd.Series(hc, index=ids)
    dev_users = np.minimum(devices["quantity"].to_numpy(), devices["department_id"].map(head).to_numpy())
    use(devices["department_id"].to_numpy(), devices["asset_id"].to_numpy(), "end_user", dev_users, "daily",
        rng.integers(10, 36, size=len(devices)))
    # the central IT department administers the core systems
    it = ids[func == "IT"][0] if (func == "IT").any() else ids[0]
    core = ["SAGE100", "SQL-ERP", "EXCH2016", "VEEAM", "ESET", "SRV-ERP", "SRV-FILE", "FW-01", "OFFICE2016"]
    it_dev = devices.loc[devices["department_id"] == it, "asset_id"].head(1).tolist()
    admins = core + it_dev
    use([it] * len(admins), admins, "administrator", min(2, int(head[it])), rng.choice(["daily", "weekly", "occasional"], size=len(admins)),
        rng.integers(1, 6, size=len(admins)))

    u = pd.concat(parts, ignore_index=True)
    u = u.drop_duplicates(["department_id", "asset_id", "role"])
    # all roles of a department on one asset never exceed its headcount: trim end users, then key users
    cap = u["department_id"].map(head)
    for role in ("end_user", "key_user", "administrator"):
        over = (u.groupby(["department_id", "asset_id"])["users"].transform("sum") - cap).clip(lower=0)
        mine = u["role"] == role
        u.loc[mine, "users"] = (u.loc[mine, "users"] - over[mine]).clip(lower=0)
    u = u.loc[u["users"] > 0].copy()
    u["users"] = u["users"].astype("int64")
    return u.reset_index(drop=True)


# --- spec, scenarios, profile ----------------------------------------------------------------------

def _spec(rng: np.random.Generator, depts: pd.DataFrame, people: pd.DataFrame, inv: pd.DataFrame, usage: pd.DataFrame,
          n_changes: int, catalog) -> tuple[dict, dict]:
    ids = depts["department_id"].to_numpy()
    func = depts["function"].to_numpy()
    head = depts.set_index("department_id")["headcount"]
    eligible = {"all": ids, "business": ids[np.isin(func, BUSINESS)] if np.isin(func, BUSINESS).any() else ids,
                "it": ids[func == "IT"] if (func == "IT").any() else ids[:1]}
    width = max(2, len(str(n_changes)))
    plan = [TEMPLATES[i % len(TEMPLATES)] for i in range(n_changes)]
    waves = {t[0]: sum(1 for p in plan if p[0] == t[0]) for t in TEMPLATES}
    perms = {k: rng.permutation(v) for k, v in eligible.items()}
    base_day = {t[0]: int(rng.integers(45, 240)) for t in TEMPLATES}
    seen: dict[str, int] = {}
    out = []
    products = catalog.products
    used_by = usage.groupby("asset_id")["department_id"].agg(set)
    for i, (key, title, action, pid, version, from_pid, scope) in enumerate(plan):
        j = seen.get(key, 0)
        seen[key] = j + 1
        m = waves[key]
        pool = perms[scope]
        wave = pool[j::m] if len(pool) >= m else pool
        wave = sorted(wave)
        in_wave = set(wave)
        if from_pid in ("windows-10",):
            dev = inv.loc[inv["os_product_id"].eq(from_pid) & (inv["department_id"].isin(in_wave)
                                                                | (inv["department_id"].isna() & (j == 0)))]
            touched = dev["asset_id"].tolist()
        elif scope == "it":
            cand = inv.loc[inv["product_id"].eq(from_pid) | inv["os_product_id"].eq(from_pid), "asset_id"].tolist()
            touched = cand[j::m]
        else:
            cand = inv.loc[inv["product_id"].eq(from_pid), "asset_id"]
            touched = [a for a in cand if used_by.get(a, set()) & in_wave]
            if from_pid == "sage-100" and "SAGE100" in touched:
                touched.append("SQL-ERP")
        go_live = SPEC_DATE + dt.timedelta(days=base_day[key] + 35 * j + int(rng.integers(0, 14)))
        start = go_live - dt.timedelta(days=int(rng.integers(14, 100)))
        start = max(start, SPEC_DATE + dt.timedelta(days=7))
        rollout = ROLLOUTS[int(_pick(rng, ROLLOUTS, 1)[0])][0]
        p = products[pid]
        if p.category in ("os", "server_os") or p.licence.model != "per_user":
            seats = int(inv.loc[inv["asset_id"].isin(touched), "quantity"].sum()) or int(head[wave].sum())
        else:
            seats = int(round(head[wave].sum() * rng.uniform(0.85, 1.1)))
        c = {"id": f"C{str(i + 1).zfill(width)}", "title": f"{title} (wave {j + 1}/{m})" if m > 1 else title,
             "action": action, "product_id": pid, "version": version, "from_product_id": from_pid}
        if touched:
            c["assets"] = touched
        c["departments"] = list(wave)
        c.update({"start": start, "go_live": go_live, "rollout": rollout, "seats": seats})
        if key in ("odoo", "exo", "sql"):
            c["data_volume_gb"] = float(round(rng.uniform(10, 60) * max(1, head[wave].sum()) ** 0.5))
        if key == "odoo":
            c["intervention_hours"] = float(round(120 + 2 * head[wave].sum()))
        out.append(c)

    obj_i = rng.permutation(len(OBJECTIVES))[: int(rng.integers(4, 7))]
    objectives = []
    for k, oi in enumerate(sorted(obj_i)):
        text, prio, crit, target, unit = OBJECTIVES[oi]
        o = {"id": f"O{k + 1}", "text": text, "priority": prio}
        if crit:
            o["criterion"] = crit
        if target is not None:
            o["target"] = target
        if unit:
            o["unit"] = unit
        objectives.append(o)
    total = int(head.sum())
    budget = float(round(total * rng.uniform(150, 400), -3))
    it = eligible["it"][0]
    contacts = people.loc[people["department_id"] == it, "staff_id"].head(2).tolist()
    spec = {
        "title": "IT modernisation programme 2027", "version": "1.0", "date": SPEC_DATE,
        "author_role": "Chief information officer",
        "summary": ("Windows 10 is out of support: move every workstation to Windows 11, modernise the office suite "
                    "and mail, replace Sage 100 by Odoo, and bring the servers back under support. The new tools "
                    "must be simple and modern, deployed as soon as possible."),
        "objectives": objectives,
        "constraints": {"budget": budget, "training_budget": float(round(budget * 0.08, -2)), "go_live": dt.date(2027, 12, 31),
                        "max_downtime_hours": 4.0,
                        "intervention_windows": [{"days": ["sat"], "start": "08:00", "end": "18:00"},
                                                 {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "18:30", "end": "22:00"}],
                        "other": ["No recruitment planned in IT.", "Production lines must not stop during shifts (5:00-21:00)."]},
        "means": {"staff_hours": float(round(total * 0.5)), "it_contacts": contacts, "test_environment": bool(rng.random() < 0.5)},
        "changes": out,
    }

    # the alternative: later go-lives and phased rollouts for a quarter of the changes, one dropped, one added
    shift = dt.timedelta(days=42)
    moved = sorted(rng.choice(n_changes, size=max(1, n_changes // 4), replace=False).tolist())
    overrides = {out[k]["id"]: {"start": out[k]["start"] + shift, "go_live": out[k]["go_live"] + shift, "rollout": "phased"}
                 for k in moved}
    alt = {"title": "Later go-lives, phased rollouts, Defender for Business everywhere",
           "description": "A quarter of the changes move six weeks later and roll out in waves; the last change is dropped.",
           "changes": overrides}
    if n_changes >= 3:
        alt["exclude"] = [out[-1]["id"]]
    alt["add"] = [{"id": "X1", "title": "Microsoft Defender for Business everywhere", "action": "replace",
                   "product_id": "microsoft-defender-business", "version": "current", "from_product_id": "eset-protect",
                   "assets": ["ESET"], "departments": sorted(ids.tolist()), "start": SPEC_DATE + dt.timedelta(days=60),
                   "go_live": SPEC_DATE + dt.timedelta(days=120), "rollout": "phased", "seats": total}]
    alt["assumptions"] = {"provider_hourly_rate": 85.0, "dip_scale": 1.2}
    return spec, alt


def _profile(cid: str, seed: int, depts: pd.DataFrame) -> dict:
    ids, func = depts["department_id"], depts["function"]
    blackouts = []
    fin = ids[func == "Finance"].tolist()
    if fin:
        blackouts.append({"name": "Year-end closing", "start": dt.date(2026, 12, 15), "end": dt.date(2027, 1, 20),
                          "departments": fin, "reason": "annual accounts"})
    log = ids[func == "Logistics"].tolist()
    if log:
        blackouts.append({"name": "Annual stock count", "start": dt.date(2026, 12, 28), "end": dt.date(2026, 12, 31),
                          "departments": log})
    blackouts.append({"name": "Summer closure", "start": dt.date(2027, 8, 2), "end": dt.date(2027, 8, 20),
                      "reason": "plants closed three weeks"})
    return {
        "id": cid, "name": f"Synthetic Client {seed} SAS", "sector": "manufacturing", "country": "FR", "language": "en",
        "currency": "EUR", "confidentiality": "confidential", "default_scenario": "baseline",
        "provider": "Example IT Services",
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "hours_per_day": 7.5,
                     "holidays": [dt.date(2026, 11, 11), dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 3, 29),
                                  dt.date(2027, 5, 1), dt.date(2027, 5, 8), dt.date(2027, 7, 14), dt.date(2027, 8, 15)]},
        "blackout_periods": blackouts,
        "sensitive_data": ["payroll_hr", "personal_data", "trade_secrets"],
    }


def _acknowledgements(spec: dict, inv: pd.DataFrame) -> pd.DataFrame:
    first = spec["changes"][0]
    device = next((a for a in first.get("assets", []) if a.startswith(("PC-", "LAP-"))), "PC-0001")
    return pd.DataFrame([
        {"finding_id": "EOL-SRV-ERP", "scenario": None, "decision": "accepted", "decided_by": "Managing director",
         "decided_on": "2026-10-20", "comment": "Kept read-only for the Sage archives; network isolation requested"},
        {"finding_id": f"HW-{first['id']}-{device}", "scenario": "baseline", "decision": "pending", "decided_by": None,
         "decided_on": None, "comment": "Replacement quote requested"},
        {"finding_id": f"DRW-{first['id']}", "scenario": None, "decision": "accepted", "decided_by": "Chief information officer",
         "decided_on": "2026-10-22", "comment": None},
        {"finding_id": "SPEC-CRIT-O2", "scenario": "alt", "decision": "rejected", "decided_by": "Chief financial officer",
         "decided_on": "2026-10-25", "comment": "A criterion will be added in version 1.1"},
    ])
