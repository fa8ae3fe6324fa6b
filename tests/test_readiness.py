"""Windows 11 readiness per device group (ready / firmware / not_ready / unknown), the CPU read against the catalog's
supported-processor table (cpus.csv), the ESU cumulative rule, and the options per group with the recommended one.

Edits on the clean fixture (spec dated 2026-10-01; a Windows 11 change C2 on the 7 desktops of row PC, go-live
2027-03-01); the provider's rate is 90 EUR an hour, a new desktop 950 EUR (catalog hardware.csv)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from conftest import apply
from impactlib import assess, load_client
from impactlib.analysis import compat, readiness
from impactlib.io.catalog import load_catalog

ADD_CHANGE = "rollout: phased, seats: 7}\n"
PC_ROW = "PC,Desktops,workstation,,,7,,medium,,,Dell,OptiPlex 7010,Intel(R) Core(TM) i5-13500,14,16,512,2.0,yes,yes,windows-11,25H2"
W11 = ("{id: C2, title: Windows 11, action: upgrade, product_id: windows-11, version: 25H2, from_product_id: windows-10, "
       "assets: [PC], go_live: 2027-03-01, rollout: big_bang, seats: 7}")


def w11(row: str | None = None, *more) -> list:
    edits = [("spec.yaml", ADD_CHANGE, ADD_CHANGE + "  - " + W11 + "\n")]
    if row is not None:
        edits.append(("assets.csv", PC_ROW, row))
    return edits + list(more)


def win10(row: str) -> str:
    return row.replace("windows-11,25H2", "windows-10,22H2")


# --- the CPU, read from real inventory strings --------------------------------------------------

CPUS = [
    # (string as GLPI / WMI / msinfo report it, on Microsoft's list?, family row that judged it)
    ("Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz", "no", "Core 2 Duo"),
    ("Intel(R) Core(TM)2 Quad CPU Q9550 @ 2.83GHz", "no", "Core 2 Duo"),
    ("Intel(R) Pentium(R) CPU G4560 @ 3.50GHz", "no", "older Pentium"),
    ("Intel(R) Pentium(R) Gold G5420 CPU @ 3.80GHz", "yes", "Pentium Gold G5000"),
    ("Intel(R) Pentium(R) Silver N5030 CPU @ 1.10GHz", "yes", "Pentium Silver"),
    ("Intel(R) Pentium(R) CPU N4200 @ 1.10GHz", "no", "older Pentium"),
    ("Intel(R) Celeron(R) N4020", "yes", "Celeron G4900 and later"),
    ("Intel(R) Celeron(R) CPU N3060 @ 1.60GHz", "no", "older Celeron"),
    ("Intel(R) Celeron(R) CPU J1900 @ 1.99GHz", "no", "older Celeron"),
    ("Intel(R) Atom(TM) x5-Z8350 CPU @ 1.44GHz", "no", "older Atom"),
    ("AMD Ryzen 5 2500U with Radeon Vega Mobile Gfx", "no", "Raven Ridge"),
    ("AMD Ryzen 3 2200U with Radeon Vega Mobile Gfx", "no", "Raven Ridge"),
    ("AMD Ryzen 7 2700U with Radeon Vega Mobile Gfx", "no", "Raven Ridge"),
    ("AMD Ryzen 5 2400G with Radeon Vega Graphics", "no", "Raven Ridge"),
    ("AMD Ryzen 3 2200GE with Radeon Vega Graphics", "no", "Raven Ridge"),
    ("AMD Ryzen 5 2600 Six-Core Processor", "yes", "Pinnacle Ridge"),
    ("AMD Ryzen 7 2700X Eight-Core Processor", "yes", "Pinnacle Ridge"),
    ("AMD Ryzen 7 1700X Eight-Core Processor", "no", "Ryzen 1000"),
    ("AMD Ryzen 5 PRO 4650GE with Radeon Graphics", "yes", "Ryzen 3000 and later"),
    ("AMD Ryzen 7 PRO 7840U w/ Radeon 780M Graphics", "yes", "Ryzen 3000 and later"),
    ("AMD Athlon Silver 3050U with Radeon Graphics", "yes", "Athlon Gold / Silver"),
    ("AMD Athlon 200GE with Radeon Vega Graphics", "no", "older AMD"),
    ("AMD A6-9225 RADEON R4, 5 COMPUTE CORES 2C+3G", "no", "older AMD"),
    ("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", "yes", "8th and 9th generation"),
    ("Intel(R) Core(TM) i5-8250U", "yes", "8th and 9th generation"),
    ("Intel(R) Core(TM) i5-7300U CPU @ 2.60GHz", "no", "2nd to 7th generation"),
    ("Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", "no", "2nd to 7th generation"),
    ("Intel(R) Core(TM) i7-7740X CPU @ 4.30GHz", "yes", "Kaby Lake-X"),
    ("Intel(R) Core(TM) i7-7800X CPU @ 3.50GHz", "yes", "Skylake-X"),
    ("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", "yes", "10th to 14th generation"),
    ("13th Gen Intel(R) Core(TM) i5-1335U", "yes", "10th to 14th generation"),
    ("Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz", "yes", "10th to 14th generation"),
    ("Intel(R) Core(TM) Ultra 7 155H", "yes", "Core Ultra"),
    ("Intel(R) Core(TM) i5 CPU M 540 @ 2.53GHz", "no", "1st generation"),
    ("Intel(R) Core(TM) i7 CPU 920 @ 2.67GHz", "no", "1st generation"),
    ("Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz", "no", "older Xeon"),
    ("Intel(R) Xeon(R) CPU E3-1220 v6 @ 3.00GHz", "no", "older Xeon"),
    ("Intel(R) Xeon(R) E-2314 CPU @ 2.80GHz", "yes", "Xeon E-2100"),
    ("Intel(R) Xeon(R) W-2133 CPU @ 3.60GHz", "yes", "Xeon W"),
    ("Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz", "yes", "Xeon Scalable"),
    ("Snapdragon (TM) 8cx Gen 2 @ 3.15 GHz", "yes", "Snapdragon 8cx"),
    ("Snapdragon(R) X Elite - X1E78100 - Qualcomm(R) Oryon(TM) CPU", "yes", "X Elite"),
    ("Qualcomm Snapdragon 835", "no", "older Snapdragon"),
    ("", "unknown", ""),
    ("Apple M2", "unknown", ""),
]


@pytest.mark.parametrize("name, status, family", CPUS, ids=[c[0] or "blank" for c in CPUS])
def test_cpu_strings_of_real_inventories(name, status, family):
    got, fam = compat.cpu_listed(name, None, load_catalog().cpus)
    assert got == status and family in fam


def test_i7_7820hq_is_supported_only_on_the_named_devices():
    cpus = load_catalog().cpus
    name = "Intel(R) Core(TM) i7-7820HQ CPU @ 2.90GHz"
    assert compat.cpu_listed(name, "Surface Studio 2", cpus)[0] == "yes"
    assert compat.cpu_listed(name, "Latitude 5580", cpus)[0] == "no"
    assert compat.cpu_listed(name, None, cpus)[0] == "no"
    # judged once per (CPU, device model) and table: asked again, in another order, the same answers
    assert [compat.cpu_listed(name, d, cpus)[0] for d in (None, "Latitude 5580", "Surface Studio 2", float("nan"))] == \
        ["no", "no", "yes", "no"]


def test_every_cpu_row_has_a_source_and_a_date():
    cpus = load_catalog().cpus
    assert cpus["source"].str.contains("http").all() and cpus["checked"].notna().all()


# --- each readiness outcome ---------------------------------------------------------------------

def _checks(**cols):
    """requirement_checks of Windows 11 on one host built from a listed 8th-generation desktop."""
    host = {"asset_id": "H", "quantity": 1, "model": "ThinkCentre M720q", "cpu_model": "Intel(R) Core(TM) i3-8100T CPU @ 3.10GHz",
            "ram_gb": 8.0, "storage_gb": 256.0, "tpm_version": "2.0", "tpm_enabled": pd.NA, "uefi": True, "secure_boot": "enabled"}
    host.update(cols)
    h = pd.DataFrame([host]).astype({"uefi": "boolean", "tpm_enabled": "boolean"})
    c = load_catalog()
    out = compat.requirement_checks(h, c.products["windows-11"].requirements, cpus=c.cpus)
    return dict(zip(out["check"], out["status"]))


@pytest.mark.parametrize("cols, expected", [
    ({}, {}),
    ({"secure_boot": "disabled"}, {"secure_boot": "firmware"}),  # capable, switched off: a setting
    ({"secure_boot": "no"}, {"secure_boot": "firmware"}),  # legacy "no" reads as disabled
    ({"secure_boot": False}, {"secure_boot": "firmware"}),  # legacy boolean (GLPI import before the vocabulary)
    ({"tpm_enabled": False}, {"tpm_version": "firmware"}),  # Intel PTT present, off
    ({"tpm_version": "none"}, {"tpm_version": "firmware"}),  # no TPM reported on a listed CPU: PTT/fTPM is off
    ({"uefi": False, "secure_boot": "unsupported"}, {"uefi": "firmware", "secure_boot": "firmware"}),  # legacy BIOS mode
    ({"secure_boot": "unsupported"}, {"secure_boot": "fail"}),  # UEFI firmware without Secure Boot
    ({"tpm_version": "1.2"}, {"tpm_version": "fail"}),
    ({"ram_gb": 2.0}, {"ram_gb": "fail"}),
    ({"cpu_model": "Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", "tpm_version": "none", "uefi": False,
      "secure_boot": "unsupported"},
     {"cpu": "fail", "tpm_version": "fail", "uefi": "fail", "secure_boot": "fail"}),  # no firmware fix on an unlisted CPU
    ({"secure_boot": None, "ram_gb": None}, {"secure_boot": "unknown", "ram_gb": "unknown"}),
], ids=["ready", "sb-disabled", "sb-legacy-no", "sb-legacy-bool", "tpm-off", "tpm-none-listed-cpu", "legacy-bios",
        "sb-unsupported", "tpm-1.2", "ram", "old-cpu", "unknowns"])
def test_requirement_checks(cols, expected):
    status = _checks(**cols)
    assert {k: v for k, v in status.items() if v != "pass"} == expected


VERDICTS = [
    (PC_ROW, "ready", (), "", ""),
    (PC_ROW.replace("2.0,yes,yes,windows-11", "2.0,yes,disabled,windows-11"), "firmware", (), "secure_boot", ""),
    (PC_ROW.replace("2.0,yes,yes,windows-11", "none,no,unsupported,windows-11"), "firmware", (), "uefi+tpm", ""),
    (PC_ROW.replace("i5-13500", "i5-6500"), "not_ready", ("cpu",), "", ""),
    (PC_ROW.replace("Intel(R) Core(TM) i5-13500", "AMD Ryzen 5 2500U with Radeon Vega Mobile Gfx"), "not_ready", ("cpu",), "", ""),
    (PC_ROW.replace("Intel(R) Core(TM) i5-13500", "AMD Ryzen 5 2600 Six-Core Processor"), "ready", (), "", ""),
    (PC_ROW.replace("Intel(R) Core(TM) i5-13500", "Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz").replace("2.0,yes,yes", "none,no,unsupported"),
     "not_ready", ("cpu", "tpm_version", "uefi", "secure_boot"), "", ""),
    (PC_ROW.replace("14,16,512,2.0,yes,yes", "14,,512,2.0,yes,"), "unknown", (), "", "ram_gb, secure_boot"),
]


@pytest.mark.parametrize("row, verdict, failed, fix, collect", VERDICTS,
                         ids=["ready", "secure-boot-off", "legacy-bios-and-ptt-off", "cpu-6th-gen", "raven-ridge",
                              "pinnacle-ridge", "core-2-duo", "unknown"])
def test_readiness_verdicts(clean, row, verdict, failed, fix, collect):
    apply(clean, w11(win10(row)))
    r = assess(load_client(clean)).readiness.set_index("asset_id").loc["PC"]
    assert (r["verdict"], r["failed"], r["firmware_fix"], r["collect"], r["quantity"]) == (verdict, failed, fix, collect, 7)


# --- ESU: cumulative, three years at most ---------------------------------------------------------

EOS, UNTIL = dt.date(2025, 10, 14), dt.date(2028, 10, 10)


@pytest.mark.parametrize("covered, years, usd", [
    (dt.date(2025, 10, 14), 0, 0),
    (dt.date(2025, 12, 1), 1, 61),
    (dt.date(2026, 10, 13), 1, 61),
    (dt.date(2026, 11, 30), 2, 61 + 122),  # joining in year 2 pays year 1 too
    (dt.date(2027, 10, 14), 2, 183),
    (dt.date(2027, 10, 15), 3, 61 + 122 + 244),
    (dt.date(2030, 1, 1), 3, 427),  # never more than the three years there are
])
def test_esu_is_cumulative(covered, years, usd):
    k = readiness.esu_years(EOS, UNTIL, covered)
    assert k == years and readiness.esu_cost((61, 122, 244), k) == usd


def test_the_catalog_esu_prices_are_microsofts():
    v = next(v for v in load_catalog().products["windows-10"].versions if v.version == "22H2")
    assert (v.esu.prices, v.esu.currency, v.esu.until, v.end_of_support) == ((61, 122, 244), "USD", UNTIL, EOS)


# --- options and the recommendation ---------------------------------------------------------------

def options(clean, row, *more):
    apply(clean, w11(win10(row), *more))
    an = assess(load_client(clean))
    return an, an.device_options.set_index("option")


def test_a_firmware_setting_is_recommended_and_no_pc_is_bought(clean):
    an, o = options(clean, PC_ROW.replace("2.0,yes,yes,windows-11", "2.0,yes,disabled,windows-11"))
    assert set(o.index) == {"firmware", "replace"}
    assert o.loc["firmware", "recommended"] and not o.loc["replace", "recommended"]
    # 7 × 0.5 h × 90 = 315; replacing: 7 × (950 + 2 h × 90) = 7,910
    assert o.loc["firmware", "one_off"] == pytest.approx(315.0) and o.loc["replace", "one_off"] == pytest.approx(7910.0)
    assert o.loc["replace", "reason"] == "firmware_beats_hardware"
    assert an.devices.empty and an.figures.items["hardware"] == 0.0
    assert an.money_lines["basis"].str.contains("device option firmware").any()


def test_an_unlisted_cpu_is_replaced_with_an_esu_bridge(clean):
    an, o = options(clean, PC_ROW.replace("i5-13500", "i5-6500"))
    assert set(o.index) == {"replace", "esu", "cloud_pc"}
    assert o.loc["replace", "recommended"] and o.loc["esu", "recommended"] and not o.loc["cloud_pc", "recommended"]
    # the replacement lands at go-live 2027-03-01, 151 days after the report date: ESU years 1 + 2 (cumulative)
    assert o.loc["esu", "reason"] == "esu_bridge"
    assert o.loc["esu", "one_off"] == pytest.approx(7 * 183 * readiness.USD_RATE["EUR"] + 7 * 0.25 * 90)
    # a Cloud PC: 7 × 372 a year over the 36-month horizon, and 1 h each to provision
    assert o.loc["cloud_pc", "horizon_cost"] == pytest.approx(7 * 90 + 7 * 372 * 3)
    assert an.devices["units"].sum() == 7


def test_no_bridge_when_the_replacement_lands_soon(clean):
    _, o = options(clean, PC_ROW.replace("i5-13500", "i5-6500"), ("spec.yaml", "go_live: 2027-03-01, rollout: big_bang, seats: 7",
                                                                    "go_live: 2026-11-15, rollout: big_bang, seats: 7"))
    assert o.loc["replace", "recommended"] and not o.loc["esu", "recommended"]
    # instead of replacing now: ESU to its end (years 1 to 3, USD 427) then the replacement in October 2028, within
    # the horizon (October 2026 to September 2029): 7 × (427 × 0.86 + 950) + 7 × (0.25 + 2) h × 90
    assert o.loc["esu", "reason"] == "replace_beats_esu"
    assert o.loc["esu", "one_off"] == pytest.approx(7 * (427 * readiness.USD_RATE["EUR"] + 950) + 7 * 2.25 * 90)
    assert o.loc["esu", "one_off"] > o.loc["replace", "one_off"]


def with_use(clean, use: str):
    """The PC row with a 4th-generation CPU and a device_use (a column added at the end of assets.csv)."""
    path = clean / "assets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = win10(PC_ROW.replace("i5-13500", "i5-4570"))
    out = [lines[0] + ",device_use"] + [line.replace(PC_ROW, row) + ("," + use if line.startswith(PC_ROW) else ",")
                                        for line in lines[1:]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    apply(clean, w11())
    an = assess(load_client(clean))
    return an, an.device_options.set_index("option")


def test_a_special_purpose_device_moves_to_iot_ltsc(clean):
    an, o = with_use(clean, "special_purpose")
    assert o.loc["iot_ltsc", "recommended"] and not o.loc["replace", "recommended"]
    assert "isolate" not in o.index  # it needs its network
    assert an.devices.empty


def test_an_offline_device_is_isolated(clean):
    _, o = with_use(clean, "offline")
    assert o.loc["isolate", "recommended"] and not o.loc["iot_ltsc", "recommended"]


def test_unknown_recommends_nothing_until_collected(clean):
    _, o = options(clean, PC_ROW.replace("14,16,512", "14,,512"))
    assert not o["recommended"].any() and (o["reason"] == "collect_first").all()


# --- the data contract: the firmware vocabulary ---------------------------------------------------

@pytest.mark.parametrize("cell, state", [("enabled", "enabled"), ("Disabled", "disabled"), ("unsupported", "unsupported"),
                                         ("yes", "enabled"), ("no", "disabled"), ("oui", "enabled"), ("non", "disabled"),
                                         ("", None)])
def test_secure_boot_vocabulary_and_legacy_yes_no(clean, cell, state):
    apply(clean, [("assets.csv", PC_ROW, PC_ROW.replace("2.0,yes,yes,windows-11", f"2.0,yes,{cell},windows-11"))])
    got = load_client(clean).assets.set_index("asset_id").at["PC", "secure_boot"]
    assert (None if pd.isna(got) else got) == state


def test_a_wrong_secure_boot_value_names_file_row_and_column(clean):
    from impactlib.errors import InvalidInput

    apply(clean, [("assets.csv", PC_ROW, PC_ROW.replace("2.0,yes,yes,windows-11", "2.0,yes,maybe,windows-11"))])
    with pytest.raises(InvalidInput) as e:
        load_client(clean)
    assert any("assets.csv" in str(p) and "secure_boot" in str(p) and "maybe" in str(p) for p in e.value.problems)
