"""Import GLPI inventories (GLPI Agent JSON, FusionInventory / GLPI Agent XML) into a client's inventory.

Providers already hold their clients' machines in GLPI; retyping them is where errors creep in. This
module reads the agent's files, keeps only the facts of the data contract (docs/data-format.md,
"Importing GLPI inventories"), maps installed software to catalog products, and writes assets.csv and
dependencies.csv (software ``runs_on`` computer) plus a side file of the software it could not map.

Only whitelisted fields are read: user names, SSH keys, serial numbers, UUIDs, licence keys, network
addresses never leave the inventory. XML is parsed with defusedxml, with DTDs refused (GLPI
inventories have none; entity declarations are the way to an entity-expansion attack).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impactlib.model import schema as s
from impactlib.model.catalog import Catalog
from impactlib.errors import Problem
from impactlib.io import screen
from impactlib.io.files import neutralise
from impactlib.io.load import MAX_DEPTH, MAX_FILE_BYTES, nesting_depth, regular_file
from impactlib.model.names import count

ASSETS_FILE = "assets.csv"
DEPENDENCIES_FILE = "dependencies.csv"
UNMAPPED_FILE = "glpi-unmapped.csv"
OUTPUT_FILES = (ASSETS_FILE, DEPENDENCIES_FILE, UNMAPPED_FILE)
UNMAPPED_COLUMNS = ("asset_id", "software", "version", "publisher", "reason")

# values a BIOS reports when the maker left the field empty
_PLACEHOLDERS = {"", "to be filled by o.e.m.", "system product name", "system manufacturer", "default string",
                 "not specified", "not applicable", "none", "n/a", "o.e.m.", "oem", "unknown", "undefined",
                 "type1productconfigid", "invalid", "0", "1234567890"}
# account names that are not people (kept out of the "is this a person's name?" check)
_GENERIC_ACCOUNTS = {"root", "admin", "administrator", "administrateur", "system", "user", "users", "utilisateur",
                     "guest", "invite", "invité", "default", "defaultaccount", "public", "wdagutilityaccount",
                     "nobody", "daemon", "localservice", "networkservice"}
_LAPTOP = {"laptop", "notebook", "portable", "sub notebook", "hand held", "tablet", "convertible", "detachable",
           "lunch box"}
_SERVER = {"server", "rack mount chassis", "blade", "blade enclosure", "multi-system chassis", "main server chassis",
           "expansion chassis", "sealed-case pc"}
_NOT_COMPUTERS = {"printer": "printer", "phone": "phone", "networkequipment": "network device",
                  "networking": "network device", "storage": "storage device", "power": "power device",
                  "video": "video device", "kvm": "KVM switch"}
_NOT_A_DISK = re.compile(r"\b(cd|dvd|cd-?rom|rom|removable|usb|floppy|card reader|sd card)\b", re.I)
# phones and tablets: an OS name that says so anywhere ("Android 13", "iPadOS 17.4", "iPhone OS"), an Android
# kernel, or a maker / model of phones with an OS that is no desktop OS ("Samsung Galaxy Tab S8" with OS "13")
_MOBILE_OS = re.compile(r"\b(android|ios|ipados|iphone ?os|harmonyos|kaios|tizen|lineageos|e/os|grapheneos|miui|hyperos|"
                        r"one ?ui|coloros|emui|oxygenos|funtouch ?os|realme ui)\b", re.I)
_MOBILE_MODEL = re.compile(r"\b(galaxy|iphone|ipad|pixel \d|redmi|xiaomi|poco [a-z]?\d|oneplus|huawei (?:p|mate|nova)|"
                           r"honor|oppo|vivo|realme|motorola|moto [a-z]\d*|nokia [a-z]?\d|fairphone|sm-[a-z]\d{3})", re.I)
_DESKTOP_OS_NAME = re.compile(r"\b(windows|linux|ubuntu|debian|red ?hat|rhel|centos|fedora|suse|mac ?os|os x|darwin|"
                              r"freebsd|chrome ?os)\b", re.I)
_TPM = re.compile(r"(?:trusted platform module|module de plateforme s[ée]curis[ée]e)\s*(1\.2|2\.0)", re.I)

# Windows builds -> feature update (Microsoft release information pages); older agents report only the build
_WIN10_BUILDS = {"19041": "2004", "19042": "20H2", "19043": "21H1", "19044": "21H2", "19045": "22H2"}
_WIN11_BUILDS = {"22000": "21H2", "22621": "22H2", "22631": "23H2", "26100": "24H2", "26200": "25H2"}
_SERVER_OS = re.compile(r"windows(?:\(r\))?\s+server(?:\(r\))?\s+(2012\s*r2|2016|2019|2022|2025)", re.I)
_DESKTOP_OS = re.compile(r"windows(?:\(r\))?\s+(8\.1|10|11)\b", re.I)

# Installed-software names that identify a catalog product: (pattern on the name, product id, version).
# version None: read from the reported version against the product's catalog versions (see _version).
# Only unambiguous names: "Microsoft 365 Apps for business" belongs to Business Standard and Premium
# alike, so it stays unmapped (listed) rather than guessed.
SOFTWARE_PRODUCTS: tuple[tuple[re.Pattern, str, str | None], ...] = tuple(
    (re.compile(p, re.I), pid, v) for p, pid, v in (
        (r"^microsoft office\b.*\b2016\b", "office-2016", "2016"),
        (r"^microsoft office\b.*\b2019\b", "office-2019", "2019"),
        (r"^microsoft office\b.*\b2021\b", "office-ltsc-2021", "2021"),
        (r"^microsoft office\b.*\b2024\b", "office-ltsc-2024", "2024"),
        (r"^libreoffice\b", "libreoffice", None),
        (r"^microsoft sql server (2014|2016|2019|2022)(?: \((?:64|32)-bit\))?$", "sql-server-{0}", "{0}"),
        (r"^microsoft exchange server (2016|2019)\b", "exchange-server-{0}", "{0}"),
        (r"^veeam backup (?:&|and) replication\b", "veeam-backup-replication", None),
        (r"^odoo\b", "odoo", None),
        (r"^sage 100\b", "sage-100", None),
        (r"^eset protect\b", "eset-protect", None),
    ))
# components and updates of a product are not the product (listed as unmapped, with this reason)
_COMPONENT = re.compile(r"\b(update|mise à jour|security update|hotfix|language pack|module linguistique|proofing|"
                        r"vérification linguistique|mui|runtime|kb\d{6,8})\b", re.I)


@dataclass(frozen=True)
class Installed:
    """One installed software as the agent reports it (name, version, publisher; nothing else is read)."""

    name: str
    version: str | None
    publisher: str | None


@dataclass(frozen=True)
class Computer:
    """The facts of one computer inventory, before ids are given: a row of assets.csv and its software."""

    source: str
    facts: dict
    software: tuple[Installed, ...]
    os_name: str | None
    notes: tuple[str, ...] = ()
    # which machine (a hash of the agent's device id or the hardware UUID; never written) and when it was
    # inventoried, so that two inventories of one machine give one asset
    machine: str | None = None
    logdate: str = ""
    screened: str | None = None  # "person" / "device": the host name was left out (never the value)


@dataclass(frozen=True)
class Skipped:
    """A file that is not a computer inventory (another format, a printer, a phone...): reported, not imported."""

    source: str
    reason: str


@dataclass
class Import:
    """What an import produced: the tables to write, what was skipped, and what could not be mapped."""

    assets: pd.DataFrame
    dependencies: pd.DataFrame
    unmapped: pd.DataFrame
    computers: pd.DataFrame  # the computer rows of ``assets`` plus source file, OS as reported, readiness
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- reading one file ----------------------------------------------------------------------------

def inventory_files(paths: list[Path], problems: list[Problem] | None = None) -> list[Path]:
    """The files named, and every .json / .xml / .ocs file directly inside the folders named (sorted).

    An entry of a folder that is not a regular file inside that folder (a symlink leaving it, a device, a
    pipe) is left out, and reported in ``problems`` when given."""
    found = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.iterdir()):
                if f.suffix.lower() not in (".json", ".xml", ".ocs") or (f.is_dir() and not f.is_symlink()):
                    continue
                if regular_file(f, str(f), [] if problems is None else problems, root=p):
                    found.append(f)
        else:
            found.append(p)
    return found


def read_inventory(path: Path, label: str, problems: list[Problem]) -> Computer | Skipped | None:
    """Read one inventory file: a Computer, a Skipped (not a computer inventory), or None with a problem.

    Malformed JSON or XML (truncated, broken, with entity declarations) is a problem naming the file and
    the line; a file in neither format, or the inventory of a printer or phone, is skipped.
    """
    if not regular_file(path, label, problems):
        return None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(label, None, None, f"file is {size / 1e6:.0f} MB, more than the "
                                                       f"{MAX_FILE_BYTES / 1e6:.0f} MB limit"))
            return None
        raw = path.read_bytes()
    except OSError as e:
        problems.append(Problem(label, None, None, f"cannot be read: {e.strerror or e}"))
        return None
    body = raw.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not body:
        return Skipped(label, "empty file")
    if b"\x00" in body[:65536] or body[:1] not in (b"{", b"<"):
        return Skipped(label, "neither a GLPI JSON nor a GLPI/FusionInventory XML inventory")
    content = _parse_json(body, label, problems) if body[:1] == b"{" else _parse_xml(body, label, problems)
    if content is None or isinstance(content, Skipped):
        return content
    return _computer(content, label)


def _parse_json(body: bytes, label: str, problems: list[Problem]) -> dict | Skipped | None:
    depth = nesting_depth(body)
    if depth > MAX_DEPTH:
        problems.append(Problem(label, None, None, f"is refused: JSON nested {depth} levels deep, more than the "
                                                   f"{MAX_DEPTH} a GLPI inventory could need"))
        return None
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as e:
        problems.append(Problem(label, None, None, f"is not UTF-8 JSON (byte {e.start})"))
        return None
    except json.JSONDecodeError as e:
        problems.append(Problem(label, None, None, f"is not valid JSON (truncated or broken): {e.msg} at line {e.lineno}, "
                                                   f"column {e.colno}"))
        return None
    except RecursionError:  # nesting_depth counts brackets outside strings: a safety net only
        problems.append(Problem(label, None, None, f"is refused: JSON nested more than {MAX_DEPTH} levels deep"))
        return None
    if not isinstance(data, dict) or not isinstance(data.get("content"), dict):
        return Skipped(label, "JSON, but not a GLPI inventory (no 'content' object)")
    itemtype = str(data.get("itemtype") or "").strip().lower()
    if itemtype in _NOT_COMPUTERS:
        return Skipped(label, f"inventory of a {_NOT_COMPUTERS[itemtype]}, not a computer")
    content = dict(data["content"])
    if isinstance(data.get("deviceid"), str):
        content["_deviceid"] = data["deviceid"]
    return content


def _parse_xml(body: bytes, label: str, problems: list[Problem]) -> dict | Skipped | None:
    # the XML parsers are loaded only for an XML inventory (import-glpi)
    from xml.etree.ElementTree import ParseError

    # defusedxml: only for an XML inventory, never in a report kernel
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        problems.append(Problem(label, None, None, f"is refused: XML with a DTD or entity declarations ({type(e).__name__}); "
                                                   "GLPI inventories have none, and entity expansion can exhaust memory"))
        return None
    except ParseError as e:
        problems.append(Problem(label, None, None, f"is not well-formed XML (truncated or broken): {e}"))
        return None
    if root.tag.upper() != "REQUEST":
        return Skipped(label, f"XML, but not a GLPI/FusionInventory inventory (root element <{root.tag}>)")
    query = (root.findtext("QUERY") or "").strip().upper()
    content = root.find("CONTENT")
    if query in ("SNMPQUERY", "NETDISCOVERY", "NETINVENTORY") or (content is not None and content.find("DEVICE") is not None):
        return Skipped(label, "network inventory (printer, switch...), not a computer")
    if content is None:
        return Skipped(label, "XML, but no <CONTENT> element: not a GLPI/FusionInventory inventory")
    try:
        found = _xml_dict(content)
    except _TooDeep:
        problems.append(Problem(label, None, None, f"is refused: XML nested more than {MAX_DEPTH} levels deep"))
        return None
    if root.findtext("DEVICEID"):
        found["_deviceid"] = root.findtext("DEVICEID").strip()
    return found


class _TooDeep(Exception):
    pass


def _xml_dict(element, depth: int = 1) -> dict:
    """XML sections as the JSON format has them: lowercase keys, every section a list of dicts or texts."""
    if depth > MAX_DEPTH:
        raise _TooDeep
    out: dict[str, list] = {}
    for child in element:
        value = _xml_dict(child, depth + 1) if len(child) else (child.text or "").strip()
        out.setdefault(child.tag.lower(), []).append(value)
    return {k: (v[0] if len(v) == 1 and not isinstance(v[0], dict) else v) for k, v in out.items()}


def _one(content: dict, key: str) -> dict:
    v = content.get(key)
    if isinstance(v, list):
        v = next((x for x in v if isinstance(x, dict)), None)
    return v if isinstance(v, dict) else {}


def _many(content: dict, key: str) -> list[dict]:
    v = content.get(key)
    if isinstance(v, dict):
        return [v]
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def _text(v) -> str | None:
    if v is None or isinstance(v, (dict, list)):
        return None
    t = re.sub(r"\s+", " ", str(v)).strip()
    return None if t.lower() in _PLACEHOLDERS else t


def _num(v) -> float | None:
    if v is None or isinstance(v, (dict, list, bool)):
        return None
    m = re.match(r"^\s*(\d+(?:\.\d+)?)", str(v))
    return float(m.group(1)) if m else None


def _computer(c: dict, label: str) -> Computer | Skipped:
    hw, bios, os_ = _one(c, "hardware"), _one(c, "bios"), _one(c, "operatingsystem")
    device = _one(c, "network_device")
    if device and str(device.get("type", "")).strip().lower() in _NOT_COMPUTERS:
        return Skipped(label, f"inventory of a {_NOT_COMPUTERS[str(device['type']).strip().lower()]}, not a computer")
    os_name = _text(os_.get("full_name")) or _text(hw.get("osname")) or _text(os_.get("name"))
    if _mobile(hw, bios, os_, os_name):
        return Skipped(label, "inventory of a phone or tablet (Android, iOS, iPadOS), not a computer")
    if not (hw or bios or _many(c, "cpus")):
        return Skipped(label, "no hardware, BIOS or CPU section: not a computer inventory")
    notes: list[str] = []
    people = _people(c)

    cpus = _many(c, "cpus")
    cores = [_num(x.get("core")) or _num(x.get("corecount")) for x in cpus]
    modules = [_num(m.get("capacity")) for m in _many(c, "memories")]
    ram_mb = _ram_mb(_num(hw.get("memory")), sum(x for x in modules if x))
    disks = [_num(d.get("disksize")) for d in _many(c, "storages")
             if not _NOT_A_DISK.search(" ".join(str(d.get(k, "")) for k in ("type", "description", "interface", "name")))]
    disks = [d for d in disks if d]
    if not disks:  # no physical disk reported: the system partition is what we have
        system = [_num(d.get("total")) for d in _many(c, "drives")
                  if str(d.get("systemdrive", "")).lower() in ("1", "true") or d.get("type") == "/"]
        disks = [d for d in system if d]
    tpm = next((m.group(1) for dev in _many(c, "controllers") + _many(c, "usbdevices") + _many(c, "firmwares")
                for m in [_TPM.search(" ".join(str(dev.get(k, "")) for k in ("name", "caption", "type", "description")))] if m), None)
    secure = str(bios.get("secure_boot", "")).strip().lower()
    efi_partition = any(str(d.get("type", "")).strip() == "/boot/efi" for d in _many(c, "drives"))
    uefi = True if secure in ("enabled", "disabled") or efi_partition else None
    # the firmware vocabulary of assets.csv: disabled = capable, switched off (a setting fixes it), not a fail
    secure_boot = secure if secure in ("enabled", "disabled", "unsupported") else None

    hostname = _text(hw.get("name")) or (_text(os_.get("fqdn")) or "").split(".")[0] or None
    screened = None
    serials = {x for x in (_text(bios.get(k)) for k in ("ssn", "msn", "serial", "assettag")) if x} | \
              {x for x in (_text(hw.get("uuid")), _text(c.get("_deviceid"))) if x}
    if hostname and (_mentions(hostname, people) or screen.names_a_person(hostname, people)):
        notes.append("host name left out: it names a person")
        hostname, screened = None, "person"
    elif hostname and screen.names_a_device(hostname, serials):
        notes.append("host name left out: it holds a serial number or device id")
        hostname, screened = None, "device"
    facts = {
        "manufacturer": _scrub(_text(bios.get("smanufacturer")) or _text(bios.get("mmanufacturer")), people),
        "model": _scrub(_text(bios.get("smodel")) or _text(bios.get("mmodel")), people),
        "cpu_model": _scrub(_text(cpus[0].get("name")) if cpus else _text(hw.get("processort")), people),
        "cpu_cores": int(sum(cores)) if cores and all(cores) else None,
        "ram_gb": round(ram_mb / 1024, 1) if ram_mb else None,
        "storage_gb": round(max(disks) / 1000, 1) if disks else None,
        "tpm_version": tpm,
        "uefi": uefi,
        "secure_boot": secure_boot,
        "hostname": hostname,
        "kind": _kind(hw, os_name),
    }
    software = []
    for item in _many(c, "softwares") + _many(c, "antivirus"):
        name = _scrub(_text(item.get("name")), people)
        if name:
            software.append(Installed(name, _scrub(_text(item.get("version")), people), _scrub(_text(item.get("publisher")), people)))
    # the OS as reported, mapped to the catalog later (build_import)
    facts |= {"os_name": _scrub(os_name, people), "os_build": _text(os_.get("kernel_version")) or _text(hw.get("osversion")),
              "os_display_version": _text(os_.get("version"))}
    # hardware UUID with the host name (clones may share a UUID), else the agent's device id
    uuid = _text(hw.get("uuid"))
    machine = f"{uuid}|{_text(hw.get('name')) or ''}" if uuid else _text(c.get("_deviceid"))
    return Computer(label, facts, tuple(dict.fromkeys(software)), facts["os_name"], tuple(notes),
                    machine=hashlib.sha256(machine.lower().encode()).hexdigest()[:16] if machine else None,
                    logdate=_text(_one(c, "accesslog").get("logdate")) or "", screened=screened)


def _ram_mb(total: float | None, modules: float) -> float | None:
    """Installed memory in MB: the hardware section's total when given (a module list can be incomplete:
    4 GB listed for an 8 GB machine); the modules' sum when it is at most 10 % above that total (the total
    is then the memory the OS can use, a little below what is installed)."""
    if not total:
        return modules or None
    return modules if total <= modules <= total * 1.1 else total


def _mobile(hw: dict, bios: dict, os_: dict, os_name: str | None) -> bool:
    """A phone or tablet: its OS says so, or an Android kernel, or a phone maker's model with no desktop OS."""
    names = " ".join(x for x in (os_name, _text(os_.get("name")), _text(hw.get("osname"))) if x)
    kernel = " ".join(x for x in (_text(os_.get("kernel_name")), _text(os_.get("kernel_version"))) if x)
    if _MOBILE_OS.search(names) or re.search(r"\bandroid\b", kernel, re.I):
        return True
    device = " ".join(x for x in (_text(bios.get(k)) for k in ("smanufacturer", "mmanufacturer", "smodel", "mmodel")) if x)
    device += " " + (_text(hw.get("name")) or "")
    # an Android kernel is a Linux kernel: only the OS names say "desktop"
    return bool(_MOBILE_MODEL.search(device)) and not _DESKTOP_OS_NAME.search(names)


def _kind(hw: dict, os_name: str | None) -> str:
    vm = (_text(hw.get("vmsystem")) or "physical").lower()
    if vm not in ("physical", "unknown"):
        return "virtual_machine"
    chassis = (_text(hw.get("chassis_type")) or "").lower()
    if chassis in _SERVER or (os_name and re.search(r"\bserver\b", os_name, re.I)):
        return "server"
    if chassis in _LAPTOP:
        return "laptop"
    return "workstation"


def _people(c: dict) -> set[str]:
    """Logins and owner names the inventory holds: never written anywhere, used to keep them out."""
    hw = _one(c, "hardware")
    found = {hw.get(k) for k in ("lastloggeduser", "userid", "winowner")}
    for u in _many(c, "users"):
        found |= {u.get("login")}
    for u in _many(c, "local_users"):  # Unix system accounts (uid < 1000: bin, daemon, mysql...) are not people
        uid = _num(u.get("id"))
        if uid is None or uid >= 1000:
            found |= {u.get("login"), u.get("name")}
    for sw in _many(c, "softwares"):
        found |= {sw.get("username"), sw.get("userid")}
    clean = {str(x).strip().lower() for x in found if x is not None and not isinstance(x, (dict, list))}
    return {x for x in clean if len(x) >= 3 and x not in _GENERIC_ACCOUNTS}


def _mentions(text: str, people: set[str]) -> bool:
    """Whether ``text`` contains a user name anywhere (for host names: better left out than leaked)."""
    low = text.lower()
    return any(p in low for p in people)


def _scrub(text: str | None, people: set[str]) -> str | None:
    """``text`` with any user name of the inventory replaced by [user]."""
    if not text or not people:
        return text
    # whole words only: a login "tom" must not turn "Tomcat" into "[user]cat"
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in sorted(people, key=len, reverse=True))
                         + r")(?![a-z0-9])", re.I)
    return pattern.sub("[user]", text)


# --- mapping to the catalog ----------------------------------------------------------------------

def os_product(name: str | None, build: str | None, display: str | None, catalog: Catalog) -> tuple[str | None, str | None]:
    """Catalog operating system and version of a reported OS; (None, None) when the catalog has no such OS.

    A version is given only when it is one of the product's catalog versions (else blank = unknown).
    Windows 11 reported as "Windows 10" by older agents is recognised by its build (≥ 22000).
    """
    if not name:
        return None, None
    m = _SERVER_OS.search(name)
    if m:
        year = re.sub(r"\s+", " ", m.group(1)).upper()
        pid, version = f"windows-server-{year.lower().replace(' ', '-')}", year
    else:
        m = _DESKTOP_OS.search(name)
        if not m:
            return None, None
        pid, version = f"windows-{m.group(1)}", m.group(1)
        b = re.search(r"10\.0\.(\d{5})", build or "")
        b = b.group(1) if b else None
        if pid == "windows-10" and b and int(b) >= 22000:
            pid = "windows-11"
        if pid in ("windows-10", "windows-11"):
            builds = _WIN11_BUILDS if pid == "windows-11" else _WIN10_BUILDS
            version = display if display and re.fullmatch(r"\d\dH\d", display) else builds.get(b or "")
    product = catalog.products.get(pid)
    if product is None:
        return None, None
    return pid, (version if version and product.version(version) is not None else None)


def software_product(sw: Installed, catalog: Catalog) -> tuple[str | None, str | None, str]:
    """(product id, catalog version or None, reason) of one installed software; product None when unmapped."""
    if _COMPONENT.search(sw.name):
        return None, None, "update or component of a product"
    for pattern, pid, version in SOFTWARE_PRODUCTS:
        m = pattern.search(sw.name)
        if not m:
            continue
        pid = pid.format(*m.groups())
        product = catalog.products.get(pid)
        if product is None:
            return None, None, f"{pid} is not in the catalog"
        v = version.format(*m.groups()) if version else _version(sw.version, [x.version for x in product.versions])
        if v is not None and product.version(v) is None:
            v = None
        return pid, v, "" if v else "version not in the catalog"
    return None, None, "no catalog product"


def _version(reported: str | None, known: list[str]) -> str | None:
    """The catalog version a reported version belongs to: 24.8.4.2 → 24.8, 12.1.2 → 12, 9.00 → v9, 17.0-2024 → 17.0."""
    if known == ["current"]:
        return "current"
    if not reported:
        return None
    r = reported.strip().lower()
    for v in sorted(known, key=len, reverse=True):
        low = v.lower()
        for candidate in (r, "v" + r):
            if candidate == low or candidate.startswith((low + ".", low + "-", low + " ")):
                return v
    return None


# --- the import ----------------------------------------------------------------------------------

def build_import(items: list[Computer], skipped: list[Skipped], catalog: Catalog) -> Import:
    """The assets, dependencies and unmapped-software tables of the computers read (pure)."""
    used: set[str] = set()
    rows, links, unmapped, summary = [], [], [], []
    software: dict[tuple[str, str | None], list[str]] = {}
    for n, comp in enumerate(items, start=1):
        f = comp.facts
        asset_id = _unique_id(f["hostname"] or f"pc-{n:03d}", used)
        pid, version = os_product(f["os_name"], f["os_build"], f["os_display_version"], catalog)
        note = "imported from a GLPI inventory"
        if f["os_name"] and pid is None:
            note += f"; OS {f['os_name']} is not in the catalog"
        elif f["os_name"] and version is None:
            note += f"; OS {f['os_name']} ({f['os_display_version'] or f['os_build'] or 'no version'}): version not in the catalog"
        name = f["hostname"] or " ".join(x for x in (f["manufacturer"], f["model"]) if x) or asset_id
        rows.append({"asset_id": asset_id, "name": name, "kind": f["kind"], "quantity": 1,
                     **{k: f[k] for k in ("manufacturer", "model", "cpu_model", "cpu_cores", "ram_gb", "storage_gb",
                                          "tpm_version", "uefi", "secure_boot", "hostname")},
                     "os_product_id": pid, "os_version": version, "notes": "; ".join((note, *comp.notes))})
        mapped = 0
        for sw in comp.software:
            spid, sver, reason = software_product(sw, catalog)
            if spid is None or sver is None:
                unmapped.append({"asset_id": asset_id, "software": sw.name, "version": sw.version,
                                 "publisher": sw.publisher, "reason": reason})
            if spid is not None:
                mapped += 1
                hosts = software.setdefault((spid, sver), [])
                if asset_id not in hosts:
                    hosts.append(asset_id)
        summary.append({"asset_id": asset_id, "source": comp.source, "os": f["os_name"] or "", "software": len(comp.software),
                        "mapped": mapped})
    for (spid, sver), hosts in sorted(software.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        sid = _unique_id(f"sw-{spid}" + (f"-{sver}" if sver else ""), used)
        product = catalog.products[spid]
        rows.append({"asset_id": sid, "name": f"{product.name} {sver}" if sver else product.name, "kind": "software",
                     "product_id": spid, "version": sver, "quantity": len(hosts),
                     "notes": "imported from GLPI inventories" + ("" if sver else "; version not in the catalog")})
        links += [{"from_asset_id": sid, "to_asset_id": h, "kind": "runs_on", "required": True} for h in hosts]
    assets = _table(rows, s.Assets)
    summary_frame = pd.DataFrame(summary, columns=["asset_id", "source", "os", "software", "mapped"])
    computers = assets.loc[~assets["kind"].isin(s.SOFTWARE_KINDS)].merge(summary_frame, on="asset_id", how="left")
    notes = []
    for why, text in (("person", "named a person (a first name, a login or an e-mail)"),
                      ("device", "held a serial number or a device id")):
        n = sum(1 for comp in items if comp.screened == why)
        if n:
            notes.append(f"{count(n, 'host name')} replaced by a neutral asset id: they {text}; the names are not kept")
    return Import(assets=assets, dependencies=_table(links, s.Dependencies),
                  unmapped=pd.DataFrame(unmapped, columns=list(UNMAPPED_COLUMNS)),
                  computers=computers, skipped=list(skipped), notes=notes)


def _unique_id(base: str, used: set[str]) -> str:
    """A valid asset id (docs/data-format.md) from a host or product name, unique among ``used``."""
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "-", base).strip("-._")[:36] or "asset"
    candidate, n = slug, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate.lower())
    return candidate


def _table(rows: list[dict], model) -> pd.DataFrame:
    """Rows as a frame with every column of ``model``, in its order (missing columns blank)."""
    cols = list(model.to_schema().columns)
    return pd.DataFrame(rows, columns=cols)


# --- writing -------------------------------------------------------------------------------------

def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as the contract's reference CSV (UTF-8, comma); yes/no booleans, formula-like text neutralised."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        w.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _cell(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return str(neutralise(v))


def import_glpi(paths: list[Path], catalog: Catalog, problems: list[Problem]) -> Import:
    """Read every inventory file of ``paths``; malformed files are appended to ``problems``."""
    items, skipped = [], []
    for path in inventory_files(paths, problems):
        got = read_inventory(path, str(path), problems)
        if isinstance(got, Computer):
            items.append(got)
        elif isinstance(got, Skipped):
            skipped.append(got)
    items, older = latest_per_machine(items)
    return build_import(items, skipped + older, catalog)


def latest_per_machine(items: list[Computer]) -> tuple[list[Computer], list[Skipped]]:
    """One inventory per machine (same hardware UUID and host name, or same agent id): the latest one
    (accesslog date) is kept, the others are reported as skipped."""
    best: dict[str, Computer] = {}
    for comp in items:
        if comp.machine is not None and (comp.machine not in best or comp.logdate > best[comp.machine].logdate):
            best[comp.machine] = comp
    kept = [c for c in items if c.machine is None or best[c.machine] is c]
    older = [Skipped(c.source, f"an older inventory of the same computer as {best[c.machine].source}")
             for c in items if c.machine is not None and best[c.machine] is not c]
    return kept, older
