"""Compatibility facts: hosts against product requirements, product lifecycles, what depends on what.

Pure functions over a Client; they state facts (pass / fail / unknown), the review turns them into findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import re

import numpy as np
import pandas as pd

from impactlib.analysis import shared as share
from impactlib.model.catalog import Catalog
from impactlib.model.client import Client
from impactlib.model.documents import Change

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

HOST_KINDS = ("workstation", "laptop", "server", "virtual_machine")
CPU_LISTED = "on Microsoft's supported processor list"  # the CPU requirement when the catalog lists processors (the report words it)
_INTEL = re.compile(r"\bi[3579][- ](\d{4,5})[a-z0-9]*", re.I)
_INTEL_ULTRA = re.compile(r"core\(?t?m?\)?\s+ultra", re.I)
_INTEL_GEN1 = re.compile(r"\bi[3579]\s+(?:CPU\s+)?[MUQ]?\s*(\d{3})\b", re.I)  # i5 M 540: first generation (2010)
_RYZEN = re.compile(r"ryzen(?:\s+ai)?\s+(?:pro\s+)?[3579]\s+(?:pro\s+)?(\d{4})", re.I)


def cpu_generation(model: str | None) -> tuple[str, int | None]:
    """Vendor and generation read from a CPU model string, as inventories report it.

    Intel Core iN-XXXX: generation = leading digits (i5-6500 → 6, i5-10210U → 10, i5-1245U → 12);
    Core Ultra → 14 (newer than any threshold); AMD Ryzen N XXXX: series = XXXX rounded down to
    thousands (Ryzen 5 3600 → 3000). Anything else → (vendor or 'unknown', None).
    """
    if not model or not isinstance(model, str):
        return "unknown", None
    if _INTEL_ULTRA.search(model):
        return "intel", 14
    m = _INTEL.search(model)
    if m:
        digits = m.group(1)
        if len(digits) == 5 or (len(digits) == 4 and digits[0] == "1" and digits[1] in "0123"):
            return "intel", int(digits[:2])
        return "intel", int(digits[0])
    if _INTEL_GEN1.search(model):
        return "intel", 1
    m = _RYZEN.search(model)
    if m:
        return "amd", int(m.group(1)) // 1000 * 1000
    low = model.lower()
    return ("intel" if "intel" in low else "amd" if "amd" in low else "unknown"), None


def touched_assets(client: Client, change: Change) -> pd.DataFrame:
    """Assets a change acts on: those it lists, else those running the product it replaces (as product or OS).

    An Analysis keeps them per change (``Analysis.touched``): rules, costs, impact and the report ask for
    them many times.
    """
    a = client.assets
    if len(a) <= share.SMALL_ROWS and (change.assets or change.from_product_id):
        # the rows' positions by plain-Python lookups, then one take: the frame filters (isin or two eq and an or) and
        # the boolean take cost ~0.3 ms more a change on tens of assets
        if change.assets:
            ids = set(change.assets)
            return a.take([i for i, x in enumerate(a["asset_id"].tolist()) if x in ids])
        pid = change.from_product_id
        return a.take([i for i, (p, o) in enumerate(zip(a["product_id"].tolist(), a["os_product_id"].tolist()))
                       if (isinstance(p, str) and p == pid) or (isinstance(o, str) and o == pid)])
    if change.assets:
        return a.loc[a["asset_id"].isin(change.assets)]
    if change.from_product_id:
        return a.loc[a["product_id"].eq(change.from_product_id) | a["os_product_id"].eq(change.from_product_id)]
    return a.iloc[0:0]


HIGHLY_SENSITIVE = frozenset({"health", "payroll_hr", "legal", "card_payments"})


def data_touched(client: Client, change: Change, asset_ids, maps: tuple[dict, dict] | None = None) -> frozenset[str]:
    """Sensitive data categories a change touches: those held by the assets it acts on and by the stores
    they keep data in; with a data migration, also the client's highly sensitive categories (data moves).
    ``maps``: the client's :func:`_data_maps` when kept (touched_data)."""
    ids = set(asset_ids)
    stores_of, held_by = maps if maps is not None else _data_maps(client)
    stores = {to for i in ids for to in stores_of.get(i, ())}
    cats = {x for i in ids | stores for cell in held_by.get(i, ()) for x in cell.split("|")}
    if change.data_volume_gb:
        cats |= set(client.profile.sensitive_data) & HIGHLY_SENSITIVE
    return frozenset(cats)


def _data_maps(client: Client) -> tuple[dict, dict]:
    """For :func:`data_touched`: the stores each asset keeps data in (dependencies stores_data_in) and the
    sensitive-data cells of each asset id (NA cells left out, as dropna does); the set of the ids' cells gives the
    categories the frame filters gave (two filters per change of every scenario: ~0.5 ms each on tens of rows)."""
    stores_of = _links(client.dependencies, "stores_data_in")
    held_by: dict = {}
    a = client.assets
    for aid, cell in zip(a["asset_id"].tolist(), a["sensitive_data"].tolist()):
        if isinstance(cell, str):
            held_by.setdefault(aid, []).append(cell)
    return stores_of, held_by


def touched_data(an: Analysis, change: Change) -> frozenset[str]:
    """:func:`data_touched` of ``change`` on the assets it acts on, kept for the client's other scenarios."""
    return share.once(an, ("data_touched", share.change_key(an, change)),
                      lambda: data_touched(an.client, change, an.touched[change.id]["asset_id"],
                                           share.once(an, ("data_maps",), lambda: _data_maps(an.client))))


def hosts(client: Client, change: Change, touched: pd.DataFrame) -> pd.DataFrame:
    """The machines the change's product must run on: for an operating system, the touched devices;
    for software, the hosts the touched software runs on (dependencies.csv, kind runs_on)."""
    product = client.catalog.products.get(change.product_id)
    if product is not None and product.category in ("os", "server_os"):
        if change.action == "replace":  # new devices come with the new system: the old ones are not its hosts
            return touched.iloc[0:0]
        return touched.loc[touched["kind"].isin(HOST_KINDS)]
    d = client.dependencies
    runs_on = d.loc[(d["kind"] == "runs_on") & d["from_asset_id"].isin(touched["asset_id"]), "to_asset_id"]
    a = client.assets
    return a.loc[a["asset_id"].isin(runs_on) & a["kind"].isin(HOST_KINDS)]


def host_checks(an: Analysis) -> pd.DataFrame:
    """Every requirement of each changed product checked on each of its hosts.

    Columns: change_id, product_id, asset_id, quantity, check (ram_gb, storage_gb, tpm_version, uefi,
    secure_boot, cpu, os, database), required, observed (text), status (pass, fail, unknown).
    Unknown means the inventory does not say: it must never read as a pass.
    """
    key, rows = _checked(an)
    return share.once(an, ("host_checks_of", key), lambda: _checks_frame(rows))


def _checked(an: Analysis) -> tuple[tuple, list]:
    """The scenario's host check parts, kept per change (a change's hosts are checked the same in every scenario that
    has this change), and the key that names them: the structure keys of the changes that have checks, in order.
    Equal keys, the same rows: host_checks and verdicts are kept under it for the client's other scenarios."""
    keys, parts = [], []
    for c in an.changes:
        mine = share.once(an, ("host_checks", share.change_key(an, c)), lambda c=c: _change_checks(an, c))
        if mine:
            keys.append(share.change_key(an, c))
            parts += mine
    return tuple(keys), parts


CHECK_DTYPES = {"change_id": "str", "product_id": "str", "asset_id": "str", "quantity": "int64", "check": "str",
                "required": "str", "observed": "str", "status": "str"}


def _checks_frame(parts: list) -> pd.DataFrame:
    """host_checks' frame from its parts: frames (the frame path) or lists of row tuples in CHECK_DTYPES' order (the
    plain path, :func:`_change_rows`), built in one go when all are rows."""
    if all(isinstance(p, list) for p in parts):
        return share.frame([r for p in parts for r in p], CHECK_DTYPES)
    parts = [p if isinstance(p, pd.DataFrame) else share.frame(p, CHECK_DTYPES) for p in parts]
    cols = list(CHECK_DTYPES)
    return pd.concat(parts, ignore_index=True)[cols].astype({"observed": "str", "status": "str"})


def _change_checks(an: Analysis, c: Change) -> list:
    """host_checks' parts of one change: a list of row tuples for a small client (:func:`_change_rows`), else (or
    when its columns are not as assets.csv loads them) frames."""
    client = an.client
    products = client.catalog.products
    rows: list[pd.DataFrame] = []
    p = products.get(c.product_id)
    if p is None or p.requirements is None:
        return []
    plain = _change_rows(an, c, p) if share.small(an) else None
    if plain is not None:
        return [plain]
    req = p.requirements
    h = hosts(client, c, an.touched[c.id])
    rows.append(requirement_checks(h, req, _cpus_parsed(an), client.catalog.cpus).assign(change_id=c.id, product_id=p.id))
    if req.database:
        # the databases the touched software stores its data in must be of a supported product
        d = client.dependencies
        dbs = d.loc[(d["kind"] == "stores_data_in") & d["from_asset_id"].isin(an.touched[c.id]["asset_id"]), "to_asset_id"]
        db = client.assets.loc[client.assets["asset_id"].isin(dbs) & client.assets["kind"].isin(["database", "software"])]
        if len(db):
            have = db["product_id"]
            status = np.where(have.isna(), "unknown", np.where(have.isin(list(req.database)), "pass", "fail"))
            rows.append(db[["asset_id", "quantity"]].assign(change_id=c.id, product_id=p.id, check="database",
                                                          required=", ".join(req.database), observed=have.fillna(""), status=status))
    if req.os and p.category not in ("os", "server_os"):
        base = h[["asset_id", "quantity"]].assign(change_id=c.id, product_id=p.id)
        have = h["os_product_id"]
        status = np.where(have.isna(), "unknown", np.where(have.isin(list(req.os)), "pass", "fail"))
        rows.append(base.assign(check="os", required=", ".join(req.os), observed=have.fillna(""), status=status))
    return rows


# --- host checks in plain Python (small clients: tens of hosts, where the frame path's ~60 pandas operations a change
# were most of the work: host_checks 21 ms, readiness 13 ms a report) -------------------------------------------------
STR = pd.StringDtype(na_value=np.nan)  # pandas' default string dtype, as assets.csv's text columns load
# the columns the plain path reads, with the dtype it needs where it reads NA or compares values (None: any dtype)
_PLAIN_COLUMNS = {"asset_id": STR, "quantity": np.dtype("int64"), "kind": STR, "model": None, "cpu_model": STR,
                  "ram_gb": np.dtype("float64"), "storage_gb": np.dtype("float64"), "tpm_version": STR,
                  "tpm_enabled": pd.BooleanDtype(), "uefi": pd.BooleanDtype(), "secure_boot": STR,
                  "product_id": STR, "os_product_id": STR, "purchase_date": None, "device_use": None}


def plain_columns(frame: pd.DataFrame, dates: bool = True) -> dict[str, list] | None:
    """The columns of assets ``frame`` that :func:`requirement_rows` and readiness read, as lists (purchase dates only
    when ``dates``: a Timestamp per row); None when one is not of the dtype assets.csv loads it with or an asset id is
    not a string (the frame path then)."""
    return typed_columns(frame, {k: v for k, v in _PLAIN_COLUMNS.items() if dates or k != "purchase_date"})


def typed_columns(frame: pd.DataFrame, dtypes: dict) -> dict[str, list] | None:
    """The columns of ``dtypes`` that assets ``frame`` has, as lists; None when one is not of its dtype there (None:
    any) or an asset id is not a string."""
    cols = {}
    for name, dtype in dtypes.items():
        if name in frame:
            col = frame[name]
            if dtype is not None and col.dtype != dtype:
                return None
            cols[name] = col.tolist()
    if "asset_id" not in cols or not all(isinstance(a, str) for a in cols["asset_id"]):
        return None
    return cols


def take(cols: dict[str, list], at: list[int]) -> dict[str, list]:
    """The rows ``at`` of :func:`plain_columns`' columns."""
    return {k: [v[i] for i in at] for k, v in cols.items()}


def touched_columns(an: Analysis, c: Change) -> dict[str, list] | None:
    """:func:`plain_columns` of the assets change ``c`` acts on, kept for the client's other scenarios."""
    return share.once(an, ("touched_columns", share.change_key(an, c)), lambda: plain_columns(an.touched[c.id]))


def _links(d: pd.DataFrame, kind: str) -> dict[str, list]:
    """The dependencies of ``kind`` (dependencies.csv) as from_asset_id -> [to_asset_id], in the file's order."""
    out: dict = {}
    for frm, to, k in zip(d["from_asset_id"].tolist(), d["to_asset_id"].tolist(), d["kind"].tolist()):
        if k == kind:
            out.setdefault(frm, []).append(to)
    return out


def _linked(an: Analysis, kind: str, ids: list) -> set:
    """The assets that the assets ``ids`` depend on by ``kind``: the frame path's ``to_asset_id`` filter, as a set."""
    links = share.once(an, ("links", kind), lambda: _links(an.client.dependencies, kind))
    return {to for i in ids for to in links.get(i, ())}


def _change_rows(an: Analysis, c: Change, p) -> list[tuple] | None:
    """The frame path of :func:`_change_checks` in plain Python: the same rows, in the same order (requirement
    checks, databases, operating systems); None when the assets' columns are not as it needs them."""
    req = p.requirements
    t = touched_columns(an, c)
    assets = share.once(an, ("asset_columns",), lambda: plain_columns(an.client.assets, dates=False))
    if t is None or assets is None:
        return None
    if p.category in ("os", "server_os"):  # hosts(): the touched devices, none when they are replaced
        h = take(t, [] if c.action == "replace" else [i for i, k in enumerate(t["kind"]) if k in HOST_KINDS])
    else:  # the hosts the touched software runs on, in assets.csv's order
        runs_on = _linked(an, "runs_on", t["asset_id"])
        h = take(assets, [i for i, (a, k) in enumerate(zip(assets["asset_id"], assets["kind"]))
                          if a in runs_on and k in HOST_KINDS])
    checks = requirement_rows(h, req, share.once(an, ("cpu_of",), lambda: _cpu_of(assets)), an.client.catalog.cpus)
    if checks is None:
        return None
    rows = [(c.id, p.id, *r) for r in checks]
    if req.database:
        dbs = _linked(an, "stores_data_in", t["asset_id"])
        need = ", ".join(req.database)
        rows += [(c.id, p.id, a, q, "database", need, *_listed_product(have, req.database))
                 for a, q, k, have in zip(assets["asset_id"], assets["quantity"], assets["kind"], assets["product_id"])
                 if a in dbs and k in ("database", "software")]
    if req.os and p.category not in ("os", "server_os"):
        need = ", ".join(req.os)
        rows += [(c.id, p.id, a, q, "os", need, *_listed_product(have, req.os))
                 for a, q, have in zip(h["asset_id"], h["quantity"], h["os_product_id"])]
    return rows


def _listed_product(have, allowed: tuple) -> tuple[str, str]:
    """(observed, status) of a product id cell against the products a requirement allows."""
    if not isinstance(have, str):
        return "", "unknown"
    return have, "pass" if have in allowed else "fail"


def _cpu_of(cols: dict[str, list]) -> dict[str, tuple]:
    """:func:`cpu_generation` of each asset id's CPU (its first row's), each CPU string parsed once."""
    parsed: dict = {}
    out: dict = {}
    for a, m in zip(cols["asset_id"], cols["cpu_model"]):
        if a not in out:
            if m not in parsed:
                parsed[m] = cpu_generation(m)
            out[a] = parsed[m]
    return out


def requirement_rows(h: dict[str, list], req, cpu: dict | None = None, cpus: pd.DataFrame | None = None) -> list[tuple] | None:
    """:func:`requirement_checks` in plain Python on :func:`plain_columns`' columns ``h``: its rows as tuples (asset_id,
    quantity, check, required, observed, status), in its order; ``cpu`` is :func:`_cpu_of` when already parsed. None
    when a column the requirements read is missing (the frame path then)."""
    needed = {"asset_id", "quantity"}
    needed |= {"cpu_model"} if req.cpu is not None else set()
    needed |= {col for col in ("ram_gb", "storage_gb", "tpm_version", "uefi") if getattr(req, col)}
    needed |= {"uefi"} if req.secure_boot else set()
    if not needed <= h.keys():
        return None
    ids, qty = h["asset_id"], h["quantity"]
    n = len(ids)
    rows: list[tuple] = []
    listed_cpu = [False] * n
    if req.cpu is not None:
        models = h["cpu_model"]
        if cpu is None:
            cpu = _cpu_of(h)
        intel, amd = req.cpu.intel_core_min_generation, req.cpu.amd_ryzen_min_series
        status = []
        for a in ids:
            vendor, gen = cpu.get(a, ("unknown", None))
            limit = (intel or None) if vendor == "intel" else (amd or None) if vendor == "amd" else None
            status.append("unknown" if gen is None or limit is None else "pass" if gen >= limit else "fail")
        need = _cpu_need(req.cpu)
        if cpus is not None and len(cpus):
            devices = h["model"] if "model" in h else [None] * n
            status = [{"yes": "pass", "no": "fail"}.get(cpu_listed(m, d, cpus)[0], s) for m, d, s in zip(models, devices, status)]
            need = CPU_LISTED
        rows += [(a, q, "cpu", need, m if isinstance(m, str) else "", s) for a, q, m, s in zip(ids, qty, models, status)]
        listed_cpu = [s == "pass" for s in status]
    for col in ("ram_gb", "storage_gb"):
        need = getattr(req, col)
        if need is not None:
            required = f"≥ {need:g}"
            rows += [(a, q, col, required, _num(v), "unknown" if v != v else "pass" if v >= need else "fail")
                     for a, q, v in zip(ids, qty, h[col])]
    if req.tpm_version is not None:
        accepted = ("2.0",) if req.tpm_version == "2.0" else ("1.2", "2.0")
        enabled = h.get("tpm_enabled", [None] * n)
        for a, q, v, on, listed in zip(ids, qty, h["tpm_version"], enabled, listed_cpu):
            if not isinstance(v, str):
                rows.append((a, q, "tpm_version", req.tpm_version, "", "unknown"))
            elif v in accepted:
                off = on is False  # a TPM switched off: a firmware setting
                rows.append((a, q, "tpm_version", req.tpm_version, v + " (off)" if off else v, "firmware" if off else "pass"))
            else:
                rows.append((a, q, "tpm_version", req.tpm_version, v, "firmware" if v == "none" and listed else "fail"))
    uefi = h.get("uefi")
    if req.uefi:
        rows += [(a, q, "uefi", "✓", "" if u is pd.NA else "✓" if u else "—",
                  "unknown" if u is pd.NA else "pass" if u else "firmware" if listed else "fail")
                 for a, q, u, listed in zip(ids, qty, uefi, listed_cpu)]
    if req.secure_boot:
        boot = [_secure_boot(v) for v in h["secure_boot"]] if "secure_boot" in h else [pd.NA] * n
        for a, q, b, u, listed in zip(ids, qty, boot, uefi, listed_cpu):
            legacy = u is False and listed
            if b is pd.NA:
                status = "firmware" if legacy else "unknown"
            else:
                status = "pass" if b == "enabled" else "firmware" if b == "disabled" or legacy else "fail"
            rows.append((a, q, "secure_boot", "capable", "" if b is pd.NA else b, status))
    return rows


def _cpus_parsed(an: Analysis) -> tuple[pd.Series, pd.Series]:
    """(vendor, generation) of every asset's CPU string, parsed once per client."""
    def parse():
        parsed = an.client.assets.drop_duplicates("asset_id").set_index("asset_id")["cpu_model"].map(cpu_generation)
        return parsed.map(lambda x: x[0]), parsed.map(lambda x: np.nan if x[1] is None else x[1]).astype("float64")
    return share.once(an, ("cpus_parsed",), parse)


def requirement_checks(h: pd.DataFrame, req, cpu: tuple[pd.Series, pd.Series] | None = None,
                       cpus: pd.DataFrame | None = None) -> pd.DataFrame:
    """The hardware requirements of one product (RAM, storage, TPM, UEFI, Secure Boot, CPU) checked on hosts.

    ``h`` holds asset rows (asset_id, quantity and the hardware columns of assets.csv); ``cpu`` is the
    (vendor, generation) of each asset id when already parsed (see host_checks), else parsed here; ``cpus``
    the catalog's supported-processor table (cpus.csv): when given, a CPU it names is judged by it, the
    generation threshold only reads the names it does not know.
    Columns: asset_id, quantity, check, required, observed, status: pass, fail, unknown, or firmware (passes
    once a firmware setting is changed: Secure Boot or the firmware TPM switched on, legacy BIOS mode switched
    to UEFI — the requirement is a *capable* firmware, docs/rules.md "Windows 11 readiness"). Shared by the
    review (host_checks), the readiness (analysis/readiness.py) and the import summary (impactlib.glpi), so all
    judge a machine the same way.
    """
    base = h[["asset_id", "quantity"]]
    rows = []
    cpu_ok = None  # per host: True (on the list), False (not), NaN (unknown); firmware fixes need a listed CPU
    if req.cpu is not None:
        if cpu is None:
            parsed = h.drop_duplicates("asset_id").set_index("asset_id")["cpu_model"].map(cpu_generation)
            cpu = (parsed.map(lambda x: x[0]), parsed.map(lambda x: np.nan if x[1] is None else x[1]).astype("float64"))
        cpu_vendor, cpu_gen = cpu
        vendor, gen = cpu_vendor.reindex(h["asset_id"]).to_numpy(), cpu_gen.reindex(h["asset_id"]).to_numpy(dtype="float64")
        limit = np.where(vendor == "intel", req.cpu.intel_core_min_generation or np.nan,
                         np.where(vendor == "amd", req.cpu.amd_ryzen_min_series or np.nan, np.nan))
        status = np.where(np.isnan(gen) | np.isnan(limit), "unknown", np.where(gen >= limit, "pass", "fail"))
        need = _cpu_need(req.cpu)
        if cpus is not None and len(cpus):
            listed = [cpu_listed(m, d, cpus) for m, d in zip(h["cpu_model"], h["model"] if "model" in h else [None] * len(h))]
            status = np.array([{"yes": "pass", "no": "fail"}.get(x[0], s) for x, s in zip(listed, status)], dtype=object)
            need = CPU_LISTED
        observed = h["cpu_model"].fillna("")
        rows.append(base.assign(check="cpu", required=need, observed=observed, status=status))
        cpu_ok = pd.Series(np.where(status == "pass", 1.0, np.where(status == "fail", 0.0, np.nan)), index=h.index)
    listed_cpu = cpu_ok.eq(1.0) if cpu_ok is not None else pd.Series(False, index=h.index)
    for col in ("ram_gb", "storage_gb"):
        need = getattr(req, col)
        if need is not None:
            have = h[col]
            status = np.where(have.isna(), "unknown", np.where(have >= need, "pass", "fail"))
            rows.append(base.assign(check=col, required=f"≥ {need:g}", observed=have.map(_num), status=status))
    if req.tpm_version is not None:
        have = h["tpm_version"]
        ok = have.isin(["2.0"] if req.tpm_version == "2.0" else ["1.2", "2.0"])
        off = h["tpm_enabled"].eq(False).fillna(False).to_numpy(dtype=bool) if "tpm_enabled" in h else np.zeros(len(h), bool)
        # a TPM 2.0 switched off, or no TPM reported on a listed CPU (every listed CPU has a firmware TPM, Intel
        # PTT / AMD fTPM, that the firmware can switch on): a firmware setting
        status = np.select([have.isna().to_numpy(), ok.to_numpy() & off, ok.to_numpy(),
                            (have.eq("none") & listed_cpu).to_numpy()],
                           ["unknown", "firmware", "pass", "firmware"], "fail")
        observed = have.fillna("") + np.where(ok.to_numpy() & off, " (off)", "")
        rows.append(base.assign(check="tpm_version", required=req.tpm_version, observed=observed, status=status))
    boot = secure_boot_state(h["secure_boot"]) if "secure_boot" in h else pd.Series(pd.NA, index=h.index, dtype="object")
    if req.uefi:
        have = h["uefi"]
        # legacy BIOS mode on a listed CPU: its firmware is UEFI-capable; MBR2GPT converts the disk, then UEFI mode
        status = np.select([have.isna().to_numpy(), have.fillna(False).astype(bool).to_numpy(), listed_cpu.to_numpy()],
                           ["unknown", "pass", "firmware"], "fail")
        rows.append(base.assign(check="uefi", required="✓", observed=have.map(lambda v: "" if pd.isna(v) else ("✓" if v else "—")),
                                status=status))
    if req.secure_boot:
        legacy = h["uefi"].eq(False).fillna(False).to_numpy(dtype=bool) & listed_cpu.to_numpy()
        # capable is what Windows 11 requires: disabled passes once switched on; "unsupported" read in legacy BIOS
        # mode on a listed CPU is the boot mode, not the firmware (fixed with the switch to UEFI)
        status = np.select([boot.eq("enabled").fillna(False).to_numpy(dtype=bool),
                            boot.eq("disabled").fillna(False).to_numpy(dtype=bool),
                            legacy, boot.isna().to_numpy()],
                           ["pass", "firmware", "firmware", "unknown"], "fail")
        rows.append(base.assign(check="secure_boot", required="capable", observed=boot.fillna(""), status=status))
    cols = ["asset_id", "quantity", "check", "required", "observed", "status"]
    if not rows:
        return pd.DataFrame({k: pd.Series(dtype="int64" if k == "quantity" else "str") for k in cols})
    return pd.concat(rows, ignore_index=True)[cols]


def _cpu_need(cpu) -> str:
    """The CPU requirement in words, by generation (when the catalog lists no processors)."""
    return ", ".join(x for x in (f"Intel Core ≥ {cpu.intel_core_min_generation}" if cpu.intel_core_min_generation else "",
                                 f"AMD Ryzen ≥ {cpu.amd_ryzen_min_series}" if cpu.amd_ryzen_min_series else "") if x)


_SB_WORDS = {"yes": "enabled", "true": "enabled", "no": "disabled", "false": "disabled"}


def secure_boot_state(col: pd.Series) -> pd.Series:
    """Secure Boot as enabled / disabled / unsupported / NA from assets.csv values, legacy booleans and yes/no
    included (True is enabled, False disabled: the firmware reported a state, so it is capable)."""
    return col.map(_secure_boot).astype("object")


def _secure_boot(v):
    """:func:`secure_boot_state` of one value."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return pd.NA
    if isinstance(v, (bool, np.bool_)):
        return "enabled" if v else "disabled"
    t = str(v).strip().lower()
    return _SB_WORDS.get(t, t) if t else pd.NA


def normalise_cpu(model: str) -> str:
    """A CPU name as inventories report it, lower case, without ®/™ marks, the words CPU/processor and the clock."""
    s = re.sub(r"\((?:r|tm|c)\)|[®™]", " ", model, flags=re.I)
    s = re.sub(r"@.*$", " ", s)
    s = re.sub(r"\b(?:cpu|processor)\b", " ", s, flags=re.I)
    return re.sub(r"\s+", " ", s).strip().lower()


def cpu_listed(model, device, cpus: pd.DataFrame) -> tuple[str, str]:
    """(status, family) of a CPU name on the catalog's supported-processor table (cpus.csv): status yes (on
    Microsoft's list), no (not), unknown (blank or a name the table does not know). A row supported only on
    named devices (i7-7820HQ: Surface Studio 2) says yes when the asset's model names one of them, else no."""
    if not isinstance(model, str) or not model.strip():
        return "unknown", ""
    rules, judged = _cpu_rules(cpus)
    key = (model, device if isinstance(device, str) else None)  # the device's name counts only as a string
    if key not in judged:  # a fleet has a few CPU models on many devices: each (CPU, device model) judged once
        judged[key] = _listed(normalise_cpu(model), key[1], rules)
    return judged[key]


def _listed(name: str, device: str | None, rules: list) -> tuple[str, str]:
    for pattern, supported, family, devices in rules:
        if pattern.search(name):
            if supported == "device":
                named = [d.strip().lower() for d in (devices or "").split("|") if d.strip()]
                ok = device is not None and any(d in device.lower() for d in named)
                return ("yes" if ok else "no"), family
            return supported, family
    return "unknown", ""


_RULES_CACHE: dict[int, tuple] = {}


def _cpu_rules(cpus: pd.DataFrame) -> tuple[list, dict]:
    """The rules of the table ``cpus`` compiled, and the answers of :func:`cpu_listed` on it so far, kept per table."""
    key = id(cpus)
    hit = _RULES_CACHE.get(key)
    if hit is None or hit[0] is not cpus:
        rules = [(re.compile(p, re.I), s, f, d if isinstance(d, str) else None)
                 for p, s, f, d in zip(cpus["pattern"], cpus["supported"], cpus["family"], cpus["devices"])]
        hit = _RULES_CACHE[key] = (cpus, rules, {})
    return hit[1], hit[2]


def _num(v) -> str:
    return "" if pd.isna(v) else f"{v:g}"


def host_verdicts(checks: pd.DataFrame) -> pd.DataFrame:
    """One row per (change, host): 'fail' if any check fails, else 'unknown' if any is unknown, else 'pass'
    (a check passing after a firmware setting, status 'firmware', passes: no device is bought for it).

    Columns: change_id, product_id, asset_id, quantity, verdict, failed (checks, comma-separated), unknown.
    """
    if checks.empty:
        return checks.assign(verdict="", failed="", unknown="")[["change_id", "product_id", "asset_id", "quantity", "verdict", "failed", "unknown"]]
    key = ["change_id", "product_id", "asset_id", "quantity"]
    return (_host_verdicts_small if len(checks) <= share.SMALL_ROWS else _host_verdicts_frames)(checks, key)


def _host_verdicts_small(checks: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """host_verdicts in plain Python (a few hundred checks: the frame path's fixed costs were most of the work): the
    same rows in the same order (each host where it first appears), the key columns taken from ``checks``."""
    first: dict = {}  # host key -> (position of its first check, failed checks, unknown checks)
    for i, (*k, check, status) in enumerate(zip(*(checks[c].tolist() for c in key), checks["check"].tolist(), checks["status"].tolist())):
        k = tuple(k)
        if any(x != x for x in k):  # an NA key: the frame path's groupby drops it, leave it to that path
            return _host_verdicts_frames(checks, key)
        hit = first.get(k)
        if hit is None:
            hit = first[k] = (i, [], [])
        if status == "fail":
            hit[1].append(check)
        elif status == "unknown":
            hit[2].append(check)
    failed = [", ".join(f) for _, f, _ in first.values()]
    unknown = [", ".join(u) for _, _, u in first.values()]
    verdict = ["fail" if f else "unknown" if u else "pass" for f, u in zip(failed, unknown)]
    dtypes = {c: checks[c].dtype for c in key}
    if all(t in (STR, np.dtype("int64")) for t in dtypes.values()):
        # the key columns built from their values: a take of the first rows and three columns set cost ~0.4 ms more
        return share.frame([(*k, f, u, v) for k, f, u, v in zip(first, failed, unknown, verdict)],
                           {**dtypes, "failed": "str", "unknown": "str", "verdict": "str"})
    out = checks.iloc[[i for i, _, _ in first.values()]][key].reset_index(drop=True)
    out["failed"] = pd.Series(failed, index=out.index, dtype="str")
    out["unknown"] = pd.Series(unknown, index=out.index, dtype="str")
    out["verdict"] = pd.Series(verdict, index=out.index, dtype="str")
    return out


def _host_verdicts_frames(checks: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    failed = checks.loc[checks["status"] == "fail"].groupby(key)["check"].agg(", ".join)
    unknown = checks.loc[checks["status"] == "unknown"].groupby(key)["check"].agg(", ".join)
    out = checks[key].drop_duplicates().set_index(key)
    out["failed"] = failed.reindex(out.index).fillna("")
    out["unknown"] = unknown.reindex(out.index).fillna("")
    out["verdict"] = np.where(out["failed"] != "", "fail", np.where(out["unknown"] != "", "unknown", "pass"))
    return out.reset_index()


def lifecycle(an: Analysis) -> pd.DataFrame:
    """Support status of every product version the client will run after the scenario.

    Kept assets (not acted on by any change: product and operating system) and every change's target
    version. Columns: subject ('asset' or 'change'), subject_id, product_id, version, quantity,
    end_of_support, go_live (the first go-live, or the change's), status (ended, ending, supported,
    unknown), sensitive_data.
    """
    client = an.client
    cs = an.changes
    # kept systems are judged at the first go-live; with no change at all, at the spec's target date
    first = pd.Timestamp(min((c.go_live for c in cs), default=client.spec.constraints.go_live or client.spec.date))
    horizon = pd.DateOffset(months=an.assumptions.eol_horizon_months)
    life = client.catalog.lifecycle()
    a = client.assets
    replaced, removed = set(), set()
    for c in cs:
        touched = set(an.touched[c.id]["asset_id"])
        if c.action == "remove":
            removed |= touched
        elif c.action in ("replace", "upgrade", "migrate"):
            replaced |= touched
    if cs and share.small(an):
        f = _lifecycle_small(an, first, horizon, life, removed, replaced)
        if f is not None:
            return f
    latest = latest_support(an)
    rows = []
    # the kept assets' rows as a mask of plain-Python set lookups and the five columns read taken alone: the frame
    # filters (isin, &, ~) and a take of every column of assets.csv cost ~1 ms a scenario on tens of assets
    ids = a["asset_id"].to_numpy(dtype=object)
    gone = _member(ids, removed)
    moved = _member(ids, replaced)
    froms = {c.from_product_id for c in cs if c.from_product_id}
    for pcol, vcol in (("product_id", "version"), ("os_product_id", "os_version")):
        mask = a[pcol].notna().to_numpy() & ~gone & ~(moved & _member(a[pcol].to_numpy(dtype=object), froms))
        kept = a.loc[mask, ["asset_id", pcol, vcol, "quantity", "sensitive_data"]]
        rows.append(pd.DataFrame({"subject": "asset", "subject_id": kept["asset_id"], "product_id": kept[pcol],
                                  "version": kept[vcol], "quantity": kept["quantity"], "go_live": first,
                                  "sensitive_data": kept["sensitive_data"]}))
    rows.append(pd.DataFrame({"subject": "change", "subject_id": [c.id for c in cs], "product_id": [c.product_id for c in cs],
                              "version": [c.version for c in cs], "quantity": [c.seats or 0 for c in cs],
                              "go_live": [pd.Timestamp(c.go_live) for c in cs], "sensitive_data": [None] * len(cs)}))
    f = pd.concat(rows, ignore_index=True)
    known = f["product_id"].notna()
    if not known.all():  # (a filter keeping every row gives the same frame)
        f = f.loc[known]
    f = _support_ends(an, f, life)
    # no version given: judge by the product's latest version (the most favourable reading), said in the evidence
    known = f["version"].notna()
    f["version_known"] = known
    if not known.all():  # (a fillna of NaT only changes nothing)
        f["end_of_support"] = f["end_of_support"].fillna(f["product_id"].map(latest).where(~known))
    eos, go = f["end_of_support"], f["go_live"]
    # the conditions on the arrays when both columns are NumPy dates (NaT compares False, as in the Series): a Series
    # per comparison cost more; on the Series otherwise (dates as objects: a scenario without changes)
    missing, ends, live = eos.isna().to_numpy(), eos.to_numpy(), go.to_numpy()
    if ends.dtype.kind == "M" and live.dtype.kind == "M":
        ended, ending = ends < live, ends < (go + horizon).to_numpy()
    else:
        ended, ending = (eos < go).to_numpy(), (eos < go + horizon).to_numpy()
    f["status"] = _support_status(an, f["product_id"].to_numpy(dtype=object), missing, ended, ending)
    return f.reset_index(drop=True)


def _support_status(an: Analysis, pids: np.ndarray, missing: np.ndarray, ended: np.ndarray, ending: np.ndarray) -> np.ndarray:
    """lifecycle's status of each row from its product id and whether its end of support is missing, before the
    go-live or within the horizon after it."""
    products = an.client.catalog.products
    # a subscription service without versions of its own ("current") has no end of support to warn about;
    # any other missing date is unknown, and reported as such
    ever = {p: products[p].licence.period in ("month", "year") and [v.version for v in products[p].versions] == ["current"]
            for p in set(pids)}  # judged once per product, not once per row
    evergreen = np.fromiter((ever[p] for p in pids), dtype=bool, count=len(pids))
    return np.select([missing & evergreen, missing, ended, ending], ["evergreen", "unknown", "ended", "ending"], "supported")


_LIFECYCLE_COLUMNS = {"asset_id": STR, "product_id": STR, "version": STR, "os_product_id": STR, "os_version": STR,
                      "quantity": np.dtype("int64"), "sensitive_data": STR}


def _lifecycle_small(an: Analysis, first: pd.Timestamp, horizon: pd.DateOffset, life: pd.DataFrame, removed: set,
                     replaced: set) -> pd.DataFrame | None:
    """lifecycle's frame path in plain Python for a small client with changes (its ~40 pandas operations, the frames
    built and concatenated, the filters and the lookups, cost ~6 ms a scenario on tens of assets): the rows as lists,
    one frame built at the end, with the dtypes the frame path gives. None when its assumptions do not hold: the
    columns read are not of assets.csv's dtypes, no change names a version (their column would be of objects), a
    date is not in seconds, or the catalog's ends of support are no unique lookup (the frame path then)."""
    cs = an.changes
    a = share.once(an, ("lifecycle_columns",), lambda: typed_columns(an.client.assets, _LIFECYCLE_COLUMNS))
    ends = support_index(an)
    lives = [pd.Timestamp(c.go_live) for c in cs]
    if (a is None or ends is None or not any(isinstance(c.version, str) for c in cs)
            or any(t.unit != "s" for t in [first, *lives])
            or any(life[k].dtype != STR for k in ("product_id", "version"))):
        return None
    cols = {k: [] for k in ("subject", "subject_id", "product_id", "version", "quantity", "go_live", "sensitive_data")}

    def add(subject, subject_id, product, version, quantity, go_live, sensitive):
        if isinstance(product, str):  # rows with a product only
            for k, v in zip(cols, (subject, subject_id, product, version, quantity, go_live, sensitive)):
                cols[k].append(v)

    froms = {c.from_product_id for c in cs if c.from_product_id}
    for pcol, vcol in (("product_id", "version"), ("os_product_id", "os_version")):
        for i, product, version, quantity, sensitive in zip(a["asset_id"], a[pcol], a[vcol], a["quantity"], a["sensitive_data"]):
            if i not in removed and not (i in replaced and product in froms):
                add("asset", i, product, version, quantity, first, sensitive)
    for c, go_live in zip(cs, lives):
        add("change", c.id, c.product_id, c.version, c.seats or 0, go_live, None)
    at, eos = ends
    most = latest_ends(an)
    nat = np.datetime64("NaT")
    # a row's end of support: its (product, version)'s in the catalog; without a version, the product's latest
    end = np.array([eos[at[k]] if k in at else nat if isinstance(k[1], str) else most.get(k[0], nat)
                    for k in zip(cols["product_id"], cols["version"])], dtype=eos.dtype)
    live = np.array(cols["go_live"], dtype="datetime64[s]")
    limit = {g: (g + horizon).to_datetime64() for g in set(cols["go_live"])}
    status = _support_status(an, np.array(cols["product_id"], dtype=object), np.isnat(end), end < live,
                             end < np.array([limit[g] for g in cols["go_live"]]))
    return pd.DataFrame({
        "subject": pd.array(cols["subject"], dtype="str"), "subject_id": pd.array(cols["subject_id"], dtype="str"),
        "product_id": pd.array(cols["product_id"], dtype="str"), "version": pd.array(cols["version"], dtype="str"),
        "quantity": np.array(cols["quantity"], dtype="int64"), "go_live": live,
        "sensitive_data": pd.Series(cols["sensitive_data"], dtype=object), "end_of_support": end,
        "version_known": np.array([isinstance(v, str) for v in cols["version"]], dtype=bool),
        "status": pd.array(status, dtype="str")})


def _member(values: np.ndarray, kept: set) -> np.ndarray:
    """``Series.isin(kept)`` of a column's values (as objects, NA never in ``kept``), as a boolean array."""
    if not kept:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((v in kept for v in values), dtype=bool, count=len(values))


def _support_ends(an: Analysis, f: pd.DataFrame, life: pd.DataFrame) -> pd.DataFrame:
    """``f.merge(life[[product_id, version, end_of_support]], on=[product_id, version], how="left")``: each row's end
    of support by a dict lookup (a merge of tens of rows cost ~0.5 ms), when the catalog's (product, version) pairs
    are unique and known and the key columns have the catalog's dtypes (then the merge matches each row once at most,
    by equal strings, and changes no dtype); the merge otherwise."""
    ends = support_index(an)
    keys = ("product_id", "version")
    if ends is None or any(f[k].dtype != life[k].dtype for k in keys):
        return f.merge(life[["product_id", "version", "end_of_support"]], on=["product_id", "version"], how="left")
    at, eos = ends
    where = [at.get(k, -1) for k in zip(f["product_id"].to_numpy(dtype=object), f["version"].to_numpy(dtype=object))]
    out = np.full(len(where), np.datetime64("NaT"), dtype=eos.dtype)
    hit = np.array(where, dtype=np.intp)
    out[hit >= 0] = eos[hit[hit >= 0]]
    f = f.reset_index(drop=True)
    f["end_of_support"] = out
    return f


def latest_support(an: Analysis) -> pd.Series:
    """The latest end of support of each product of the catalog, by product id (kept per client)."""
    return share.once(an, ("latest_end_of_support",),
                      lambda: an.client.catalog.lifecycle().groupby("product_id")["end_of_support"].max())


def latest_ends(an: Analysis) -> dict:
    """:func:`latest_support`'s values by product id as NumPy dates (NaT for a product with none), without its groupby
    (~0.5 ms a client): for the plain paths, kept per client."""
    def build() -> dict:
        life = an.client.catalog.lifecycle()
        out: dict = {}
        for p, end in zip(life["product_id"].tolist(), life["end_of_support"].to_numpy()):
            if p not in out or (not np.isnat(end) and (np.isnat(out[p]) or end > out[p])):
                out[p] = end
        return out

    return share.once(an, ("latest_ends",), build)


def support_index(an: Analysis) -> tuple[dict, np.ndarray] | None:
    """:func:`_support_index` of the client's catalog, kept per client."""
    return share.once(an, ("support_ends",), lambda: _support_index(an.client.catalog.lifecycle()))


def _support_index(life: pd.DataFrame) -> tuple[dict, np.ndarray] | None:
    """The catalog's (product, version) -> row, and its ends of support as a NumPy datetime array; None when a pair
    repeats or is NA, or the dates are no NumPy datetimes (the merge then)."""
    eos = life["end_of_support"].to_numpy()
    if life[["product_id", "version"]].isna().any().any() or eos.dtype.kind != "M":
        return None
    at = {k: i for i, k in enumerate(zip(life["product_id"].to_numpy(dtype=object), life["version"].to_numpy(dtype=object)))}
    return (at, eos) if len(at) == len(life) else None


def verdicts(an: Analysis) -> pd.DataFrame:
    """host_verdicts of the scenario's host_checks (computed once: rules, costs and the report read them; kept for the
    client's other scenarios with the same checks, see _checked)."""
    return share.once(an, ("verdicts_of", _checked(an)[0]), lambda: host_verdicts(an.host_checks))


def graph(an: Analysis) -> tuple[dict, dict]:
    """Required dependencies as maps: asset -> [(dependent, group)] and (dependent, group) -> members.
    (The scenario does not matter: dependencies.csv describes the existing system.)"""
    client = an.client
    d = client.dependencies.loc[client.dependencies["required"]]
    users: dict[str, list[tuple[str, str | None]]] = {}
    members: dict[tuple[str, str], set[str]] = {}
    for frm, to, group in zip(d["from_asset_id"].tolist(), d["to_asset_id"].tolist(), d["redundancy_group"].tolist()):
        group = group if isinstance(group, str) else None
        users.setdefault(to, []).append((frm, group))
        if group is not None:
            members.setdefault((frm, group), set()).add(to)
    return users, members


def dependents(an: Analysis, asset_ids, depth: int = 4) -> pd.DataFrame:
    """Assets that stop working when ``asset_ids`` are down, following required dependencies up to ``depth``.

    A dependent with another member of the same redundancy group still up keeps working. Columns:
    asset_id, via (the asset it depended on), depth (1 = direct). The system's graph is the client's: the answer
    is kept for the client's other scenarios (analysis/shared.py).
    """
    down = frozenset(asset_ids)
    return share.once(an, ("dependents", down, depth), lambda: _dependents(an, down, depth))


def _dependents(an: Analysis, asset_ids: frozenset, depth: int) -> pd.DataFrame:
    users, members = an.graph
    down = set(asset_ids)
    frontier = sorted(down)
    rows = []
    for level in range(1, depth + 1):
        hit = {}
        for asset in frontier:
            for frm, group in users.get(asset, ()):
                if frm in down or frm in hit:
                    continue
                if group is not None and members[(frm, group)] - down:
                    continue  # another member of its redundancy group still answers
                hit[frm] = asset
        if not hit:
            break
        rows += [(frm, via, level) for frm, via in sorted(hit.items())]
        down |= set(hit)
        frontier = sorted(hit)
    return share.frame(rows, {"asset_id": "str", "via": "str", "depth": "int64"})


def readiness(computers: pd.DataFrame, catalog: Catalog, product_id: str = "windows-11") -> pd.DataFrame:
    """Windows 11 readiness of each computer: verdict (ready, firmware — ready once a firmware setting is
    changed —, not ready, unknown), failed and unknown checks.

    The same checks as the review's HW / HWUNK findings (compat.requirement_checks); unknown when the
    inventory does not say (never read as ready). Servers and virtual machines are judged too: the
    summary says what the hardware allows, the review decides what a change needs.
    """
    req = catalog.products[product_id].requirements
    hosts = computers.assign(quantity=1).astype({"ram_gb": "float64", "storage_gb": "float64", "uefi": "boolean"})
    checks = requirement_checks(hosts, req, cpus=catalog.cpus)
    failed = checks.loc[checks["status"] == "fail"].groupby("asset_id")["check"].agg(", ".join)
    unknown = checks.loc[checks["status"] == "unknown"].groupby("asset_id")["check"].agg(", ".join)
    out = computers[["asset_id"]].copy()
    out["failed"] = out["asset_id"].map(failed).fillna("")
    out["unknown"] = out["asset_id"].map(unknown).fillna("")
    fixes = set(checks.loc[checks["status"] == "firmware", "asset_id"])
    out["verdict"] = np.select([out["failed"] != "", out["unknown"] != "", out["asset_id"].isin(fixes)],
                               ["not ready", "unknown", "firmware"], "ready")
    return out
