"""A level not recorded is not level 0: usage gives a floor, skill transfers carry it to the new product,
a recorded level always wins, and the report says which levels were recorded and which inferred."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, apply
from impactlib import assess, load_client
from impactlib.analysis import skills
from impactlib.errors import InvalidInput
from impactlib.report import advice
from impactlib.report.text import GLOSSARY

ROOT = Path(__file__).resolve().parent.parent

# the clean client: FIN (S1-S3) and OPS (S4-S7) use OFFICE (Office LTSC 2024); C1 replaces it by Microsoft
# 365 Business Standard, whose end users need office_use 2 and m365_use 2 and key users m365_use 4, excel_use 3.
ADMIN_ONLY = "staff_id,skill_id,level\nS7,m365_admin,4\nS7,exchange_admin,3\n"  # nobody's use levels recorded
FIN_USE = "FIN,OFFICE,end_user,3,daily,20,pivot_tables,"
TRANSFERS = "from_skill_id,to_skill_id,delta,source\n"


def gaps_of(folder: Path) -> pd.DataFrame:
    return assess(load_client(folder)).gaps


def level(g: pd.DataFrame, skill: str, role: str = "end_user", dept: str = "FIN") -> set[tuple[int, str]]:
    """The (current, source) pairs of a department's people in a role on a skill."""
    rows = g.loc[(g["skill_id"] == skill) & (g["role"] == role) & (g["department_id"] == dept)]
    assert len(rows), f"no {role} of {dept} needs {skill}"
    return set(zip(rows["current"], rows["source"]))


# --- the floor usage gives --------------------------------------------------------------------------

@pytest.mark.parametrize("intensity, office, m365", [
    # office_use: the intensity's level, capped at the 2 Office LTSC requires of end users;
    # m365_use: office_use carried over one level lower (shipped transfer office_use -> m365_use -1)
    ("daily", (2, "inferred"), (1, "inferred")),
    ("weekly", (2, "inferred"), (1, "inferred")),
    ("monthly", (1, "inferred"), (0, "none")),
    ("occasional", (1, "inferred"), (0, "none")),
])
def test_usage_intensity_gives_a_floor(clean, intensity, office, m365):
    apply(clean, [("skills.csv", None, ADMIN_ONLY), ("usage.csv", FIN_USE, FIN_USE.replace("daily", intensity))])
    g = gaps_of(clean)
    assert level(g, "office_use") == {office}
    assert level(g, "m365_use") == {m365}


SAGE_ASSET = "SAGE,Sage 100,software,sage-100,v10,3,,high,,3,,,,,,,,,,,,,,\n"
SAGE_CHANGE = ("  - {id: C2, title: Sage update, action: upgrade, product_id: sage-100, from_product_id: sage-100,\n"
               "     departments: [FIN], start: 2027-02-06, go_live: 2027-03-01, rollout: big_bang, seats: 3}\n")


@pytest.mark.parametrize("intensity, sage_use", [
    ("daily", 3),       # a daily user does what Sage requires of its end users (3, autonomous): no course
    ("weekly", 2),
    ("monthly", 1),
])
def test_daily_use_meets_the_requirement_of_a_business_product(clean, intensity, sage_use):
    apply(clean, [("skills.csv", None, ADMIN_ONLY),
                  ("assets.csv", None, (clean / "assets.csv").read_text() + SAGE_ASSET),
                  ("usage.csv", None, (clean / "usage.csv").read_text() + f"FIN,SAGE,end_user,3,{intensity},10,,\n"),
                  ("spec.yaml", None, (clean / "spec.yaml").read_text() + SAGE_CHANGE)])
    g = gaps_of(clean)
    rows = g.loc[(g["change_id"] == "C2") & (g["skill_id"] == "sage_use") & (g["role"] == "end_user")]
    assert set(zip(rows["current"], rows["source"], rows["gap"])) == {(sage_use, "inferred", 3 - sage_use)}


@pytest.mark.parametrize("intensity, excel", [
    ("daily", 4),       # 3 + 1 for a key user, within the 4 Office LTSC requires of its key users
    ("weekly", 3),
    ("monthly", 2),
    ("occasional", 2),
])
def test_key_users_know_one_level_more(clean, intensity, excel):
    apply(clean, [("skills.csv", None, ADMIN_ONLY),
                  ("usage.csv", FIN_USE, f"FIN,OFFICE,end_user,2,daily,20,,\nFIN,OFFICE,key_user,1,{intensity},20,,")])
    g = gaps_of(clean)
    assert level(g, "excel_use", "key_user") == {(excel, "inferred")}
    # a key user is an end user too: office_use (1 + 1 at least, capped at the end users' 2) carries to m365_use
    # one level lower
    assert level(g, "m365_use", "key_user") == {(1, "inferred")}


def test_administration_levels_are_never_inferred(clean):
    """OPS administers OFFICE weekly, yet nobody's m365_admin or exchange_admin is guessed from it."""
    apply(clean, [("skills.csv", None, "staff_id,skill_id,level\n")])
    g = gaps_of(clean)
    admin = g.loc[g["role"] == "administrator"]
    assert len(admin) and set(admin["source"]) == {"none"} and set(admin["current"]) == {0}


def test_a_recorded_level_wins_even_when_lower(clean):
    apply(clean, [("skills.csv", None, ADMIN_ONLY + "S1,office_use,1\nS3,office_use,3\n")])
    g = gaps_of(clean).set_index(["staff_id", "skill_id"])
    assert (g.loc[("S1", "office_use"), "current"], g.loc[("S1", "office_use"), "source"]) == (1, "recorded")
    assert (g.loc[("S2", "office_use"), "current"], g.loc[("S2", "office_use"), "source"]) == (2, "inferred")
    # the recorded level is what carries over: S1's office 1 gives m365 0 (nothing), S3's office 3 gives m365 2
    assert (g.loc[("S1", "m365_use"), "current"], g.loc[("S1", "m365_use"), "source"]) == (0, "none")
    assert (g.loc[("S2", "m365_use"), "current"], g.loc[("S2", "m365_use"), "source"]) == (1, "inferred")
    assert (g.loc[("S3", "m365_use"), "current"], g.loc[("S3", "m365_use"), "source"]) == (2, "inferred")


@pytest.mark.parametrize("users, office", [
    (1, (1, "inferred")),   # the daily row counts 1 of the 3 people picked: it says nothing of anyone; monthly counts all
    (3, (2, "inferred")),   # it counts all 3: daily wins
])
def test_a_row_counting_fewer_than_the_people_picked_says_nothing(clean, users, office):
    apply(clean, [("skills.csv", None, ADMIN_ONLY),
                  ("assets.csv", None, (clean / "assets.csv").read_text() + "OFFICE19,Office 2019,software,office-2019,2019,3,,medium,,3,,,,,,,,,,,,,,\n"),
                  ("usage.csv", FIN_USE, f"FIN,OFFICE,end_user,3,monthly,2,,\nFIN,OFFICE19,end_user,{users},daily,20,,"),
                  ("spec.yaml", "from_product_id: office-ltsc-2024,", "from_product_id: office-ltsc-2024, assets: [OFFICE, OFFICE19],")])
    assert level(gaps_of(clean), "office_use") == {office}


@pytest.mark.parametrize("fin_headcount, fin_office", [
    (3, (2, "inferred")),   # FIN's daily Office row counts 3 users: everyone
    (4, (0, "none")),       # staff.csv lists 3 people but FIN has 4: the 3 users may not be the 3 listed
])
def test_a_row_counting_the_whole_department_tells_about_every_change(clean, fin_headcount, fin_office):
    """Microsoft 365 replaces the on-premises Exchange: Office is not touched, yet FIN's daily use of it
    shows their office_use when it counts the whole department; OPS's weekly use counts 3 of its 4 people: nothing."""
    exch = "EXCH,Exchange Server 2019,software,exchange-server-2019,2019,1,,high,,,,,,,,,,,,,,,,\n"
    apply(clean, [("skills.csv", None, ADMIN_ONLY), ("departments.csv", "FIN,Finance,3,", f"FIN,Finance,{fin_headcount},"),
                  ("assets.csv", None, (clean / "assets.csv").read_text() + exch),
                  ("usage.csv", None, (clean / "usage.csv").read_text() + "FIN,EXCH,end_user,3,daily,5,,\nOPS,EXCH,end_user,3,daily,5,,\n"),
                  ("spec.yaml", "from_product_id: office-ltsc-2024", "from_product_id: exchange-server-2019")])
    g = gaps_of(clean)
    assert level(g, "office_use", dept="FIN") == {fin_office}
    assert level(g, "office_use", dept="OPS") == {(0, "none")}


# --- transfers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("override, m365", [
    pytest.param("", (1, "inferred"), id="shipped office->m365 -1"),
    pytest.param("office_use,m365_use,0,t\n", (2, "inferred"), id="client overrides the pair"),
    pytest.param("office_use,m365_use,-2,t\n", (0, "none"), id="clipped at 0 = nothing"),
    # office -> libreoffice -1 (shipped) then libreoffice -> m365 0: -1 beats the direct -2
    pytest.param("office_use,m365_use,-2,t\nlibreoffice_use,m365_use,0,t\n", (1, "inferred"), id="best path wins"),
    # office -> libreoffice 0 then libreoffice -> m365 0: 0 in two steps
    pytest.param("office_use,m365_use,-2,t\noffice_use,libreoffice_use,0,t\nlibreoffice_use,m365_use,0,t\n", (2, "inferred"),
                 id="transitive"),
    # -1 then -1: deltas add up to -2, office 2 gives m365 0
    pytest.param("office_use,m365_use,-5,t\nlibreoffice_use,m365_use,-1,t\n", (0, "none"), id="deltas add up"),
])
def test_transfers_carry_levels_along_paths(clean, override, m365):
    edits = [("skills.csv", None, ADMIN_ONLY)]
    if override:
        edits.append(("catalog/skill_transfers.csv", None, TRANSFERS + override))
    apply(clean, edits)
    assert level(gaps_of(clean), "m365_use") == {m365}


@pytest.mark.parametrize("transfers, closure", [
    ([("a", "b", -1), ("b", "c", -1)], {("a", "b"): -1, ("b", "c"): -1, ("a", "c"): -2}),
    ([("a", "b", -1), ("b", "c", 0), ("a", "c", -3)], {("a", "b"): -1, ("b", "c"): 0, ("a", "c"): -1}),
    ([("a", "b", 0), ("c", "d", -2)], {("a", "b"): 0, ("c", "d"): -2}),
    ([], {}),
])
def test_transfer_closure(transfers, closure):
    frame = pd.DataFrame(transfers, columns=["from_skill_id", "to_skill_id", "delta"])
    got = skills.transfer_closure(frame)
    assert dict(zip(zip(got["from_skill_id"], got["to_skill_id"]), got["delta"])) == closure


def test_shipped_transfers_have_sources_and_no_macro_transfer():
    from impactlib.io.catalog import load_catalog

    tr = load_catalog().transfers
    assert len(tr) and tr["source"].str.len().gt(40).all()
    pairs = set(zip(tr["from_skill_id"], tr["to_skill_id"]))
    assert {("office_use", "m365_use"), ("win10_use", "win11_use"), ("office_use", "libreoffice_use")} <= pairs
    assert ("office_vba", "libreoffice_macros") not in pairs  # macros must be ported, not carried over


# --- bad transfers: every problem at once, with file, row and column --------------------------------

BAD = [
    ("m365_use,office_use,-1,t\n", [  # with the shipped office_use -> m365_use: a loop, reported on both rows
        ("clean/catalog/skill_transfers.csv", 2, "to_skill_id", "transfer loop m365_use → office_use → m365_use"),
        ("catalog/skill_transfers.csv", 3, "to_skill_id", "transfer loop office_use → m365_use → office_use")]),
    ("win11_use,win11_use,0,t\n", [("clean/catalog/skill_transfers.csv", 2, "to_skill_id", "transfer loop win11_use → win11_use")]),
    ("ghost,win11_use,0,t\nwin10_use,phantom,0,t\n", [
        ("clean/catalog/skill_transfers.csv", 2, "from_skill_id", "unknown skill 'ghost'"),
        ("clean/catalog/skill_transfers.csv", 3, "to_skill_id", "unknown skill 'phantom'")]),
    ("m365_use,m365_admin,0,t\n", [("clean/catalog/skill_transfers.csv", 2, "to_skill_id", "administration skill")]),
    ("win10_use,excel_use,1,t\n", [("clean/catalog/skill_transfers.csv", 2, "delta", "1 must be ≤ 0")]),
]


@pytest.mark.parametrize("rows, expected", BAD)
def test_bad_transfers_name_file_row_and_column(clean, rows, expected):
    apply(clean, [("catalog/skill_transfers.csv", None, TRANSFERS + rows)])
    with pytest.raises(InvalidInput) as e:
        load_client(clean)
    got = [(p.file, p.row, p.column, p.message) for p in e.value.problems]
    for file, row, column, text in expected:
        assert any(f == file and r == row and c == column and text in m for f, r, c, m in got), (file, row, column, text, got)
    assert len(got) == len(expected), got


def test_every_bad_transfer_is_reported_at_once_and_the_cli_writes_nothing(clean, tmp_path):
    apply(clean, [("catalog/skill_transfers.csv", None, TRANSFERS + "".join(rows for rows, _ in BAD))])
    with pytest.raises(InvalidInput) as e:
        load_client(clean)
    assert len(e.value.problems) == sum(len(x) for _, x in BAD)
    out = tmp_path / "out"
    for command in (["validate", "clean"], ["report", "clean", "--out", str(out)]):
        r = subprocess.run([sys.executable, "-m", "impactlib.cli", "--data-dir", str(clean.parent), *command],
                           capture_output=True, text=True, timeout=300)
        text = r.stdout + r.stderr
        assert r.returncode == 2, text
        assert "clean/catalog/skill_transfers.csv, row 2, column to_skill_id: transfer loop" in text
        assert "row 4, column from_skill_id: unknown skill 'ghost'" in text and "Traceback" not in text
    assert not out.exists()


# --- the demo clients -------------------------------------------------------------------------------

@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_sources_say_where_each_level_comes_from(cid):
    client = load_client(DEMO / cid)
    recorded = client.skills.set_index(["staff_id", "skill_id"])["level"]
    for scenario in client.scenarios:
        g = assess(client, scenario).gaps
        assert set(g["source"]) <= set(skills.SOURCES)
        key = pd.MultiIndex.from_frame(g[["staff_id", "skill_id"]])
        has = key.isin(recorded.index)
        assert (has == (g["source"] == "recorded").to_numpy()).all()
        assert (g.loc[has, "current"].to_numpy() == recorded.reindex(key[has]).to_numpy()).all()
        assert (g.loc[g["source"] == "inferred", "current"] > 0).all()
        assert (g.loc[g["source"] == "none", "current"] == 0).all()
        assert (g["gap"] == (g["required"] - g["current"]).clip(lower=0)).all()


def test_lex_partners_office_users_get_no_beginner_course():
    """15 people use Office 2016 every day and none has office_use recorded: Microsoft 365 must not send
    them to an 'Office 0→2' course (it did before levels were inferred)."""
    an = assess(load_client(DEMO / "lex-partners"))
    g = an.gaps
    office = g.loc[g["skill_id"] == "office_use"]
    assert len(office) >= 13 and set(office["source"]) == {"inferred"} and (office["gap"] == 0).all()
    assert not (an.training_need["skill_id"] == "office_use").any()
    assert "office_use" not in set(an.sessions.get("skill_id", pd.Series(dtype="str")))


# --- the report -------------------------------------------------------------------------------------

@pytest.mark.parametrize("rows, k, expected", [
    # (department, person, skill, source, gap) rows of gaps -> (people, recorded, inferred, none, with a gap);
    # the same person and skill in two changes counts once
    ([("FIN", "S1", "a", "recorded", 1), ("FIN", "S1", "a", "recorded", 1), ("FIN", "S2", "a", "inferred", 2),
      ("FIN", "S3", "b", "none", 1), ("FIN", "S3", "c", "inferred", 0)], 3, {"FIN": (3, 1, 2, 1, 3)}),
    # 3 people, 2 with a gap: the department is shown, its 2 people with a gap are not
    ([("FIN", "S1", "a", "recorded", 1), ("FIN", "S2", "a", "inferred", 2), ("FIN", "S3", "a", "inferred", 0)], 3,
     {"FIN": (3, 1, 2, 0, None)}),
    # nobody with a gap: 0 is shown (it singles out nobody)
    ([("FIN", "S1", "a", "recorded", 0), ("FIN", "S2", "a", "inferred", 0)], 2, {"FIN": (2, 1, 1, 0, 0)}),
    ([("FIN", "S1", "a", "inferred", 1), ("OPS", "S4", "a", "none", 1), ("OPS", "S5", "a", "none", 2)], 2,
     {"FIN": (None,) * 5, "OPS": (2, 0, 0, 2, 2)}),
])
def test_source_summary_counts_levels_per_department_and_hides_small_groups(rows, k, expected):
    g = pd.DataFrame(rows, columns=["department_id", "staff_id", "skill_id", "source", "gap"])
    s = skills.source_summary(g, k).set_index("department_id")
    got = {d: tuple(None if pd.isna(v) else int(v) for v in r) for d, r in s[["people", *skills.SOURCES, "with_gap"]].iterrows()}
    assert got == expected


@pytest.mark.parametrize("lang, words", [
    ("en", ("Levels the plan starts from", "inferred level", "Levels inferred", "The plan compares 14 current levels",
            "2 recorded in your skills table, 12 inferred from how often", "and 0 with neither")),
    ("fr", ("Niveaux de départ du plan", "niveau déduit", "Niveaux déduits", "Le plan compare 14 niveaux actuels",
            "2 renseignés dans votre tableau des compétences, 12 déduits de la fréquence", "et 0 sans l'un ni l'autre")),
])
@pytest.mark.parametrize("k, fin, ops", [
    # people, levels recorded, inferred, none, people with a gap
    (3, (3, 0, 6, 0, 3), (4, 2, 6, 0, 3)),
    (4, (None,) * 5, (4, 2, 6, 0, None)),
])
def test_training_section_says_which_levels_were_inferred(clean, lang, words, k, fin, ops):
    """No use level is recorded: FIN (3 people, daily) and OPS (3 end users, weekly) get office_use 2 and m365_use 1
    inferred (12 levels), a gap on m365_use each; OPS's administrator S7 has both his levels recorded (2)."""
    apply(clean, [("skills.csv", None, ADMIN_ONLY), ("scenarios/baseline.yaml", None, f"title: t\nassumptions: {{k_anonymity: {k}}}\n")])
    an = assess(load_client(clean))
    html = advice.training_section(an, lang).html
    assert all(w in html for w in words), html
    for dept, expected in (("Finance", fin), ("Operations", ops)):
        row = html.split(f"<td>{dept}</td>", 1)[1].split("</tr>", 1)[0]
        assert row == "".join(f"<td>{f'&lt;{k}' if v is None else v}</td>" for v in expected), row
    assert ("&lt;" in html) == (k == 4)


def test_inferred_level_is_in_both_glossaries():
    assert any(en == "inferred level" and fr == "niveau déduit" for en, _, fr, _ in GLOSSARY)
    assert "**inferred level**" in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
