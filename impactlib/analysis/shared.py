"""Work shared between the analyses of one client's scenarios (Analysis.shared).

A report assesses its own scenario, then every other scenario of the client for the comparison section; the
explorer assesses tweak after tweak. Much of that work depends only on the client (the usage evidence of its
skills, the catalog's course chains, its CPUs parsed) or on one change at a time (the hosts a change checks, the
device groups a Windows change judges), not on the scenario as a whole. :func:`assess` hands the store of the
Analysis given as ``like=`` (same client object) to the new one, and the functions below keep such results in it
under a key that names everything they read: the client is the same object, so only the change (what it acts
on, :func:`structure_key`: its dates, rollout and title are left out where the result reads none of them), the
report date or the arguments that vary go into the key. Per-change parts of a scenario-wide result (the people
each change picks for the gap matching, skills.gaps) are kept under the change's key and computed together for the
changes not kept yet (:func:`each`), then laid out in the order the whole computation gives.

The store holds results, never inputs, and nothing is kept on the frozen Client: it is dropped with the last
Analysis that holds it. Values kept here are read-only for whoever gets them (frames are never modified in
place: callers assign to copies), so a shared result is the same as a recomputed one. Results as big as the staff
are kept for small clients only (:func:`per_person`), so a big client's memory does not grow.

Small clients (SMALL_STAFF people at most: the demo-size client has 120) also take plain-Python paths in the gap
matching, the demand, the key users, the capability needs, the staffing advice, the exposure, the departments'
impact and the reorganisation's new roles, where a pandas operation's fixed cost was most of the work; functions given a frame but
no Analysis (host verdicts, the sessions' grouping, the gap summary) take theirs for at most SMALL_ROWS rows. Each
gives the same rows, order, values and dtypes as the frame path kept for big clients (tests/test_shared.py compares
them); :func:`series_sum` and :func:`group_sum` give pandas' float sums to the bit, :func:`split`, :func:`frame`
and :func:`column` replace a filter per key, a frame built then converted, and a ``set_index`` per call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis
    from impactlib.model.documents import Change

TIMING = frozenset({"start", "go_live", "rollout", "title", "notes"})  # change fields that move no person, skill or asset
# a client of at most SMALL_STAFF people takes the plain-Python paths where the frame paths' fixed cost per pandas
# operation outweighs their work (gap matching, demand, key users); bigger clients keep the vectorised ones
SMALL_STAFF = 2000
# a frame of at most SMALL_ROWS rows (a function given no Analysis to tell the client's size) takes the plain-Python
# path where one exists: loops over a few hundred rows cost less than the frame path's fixed costs
SMALL_ROWS = 5000
LIMIT = 4096  # entries at most in one store; an explorer session that goes past it starts a new one


def store(an: Analysis) -> dict:
    """A new, empty store (Analysis.shared when no ``like=`` hands one over)."""
    return {}


def handed(like: Analysis) -> dict:
    """The store an Analysis assessed ``like=`` this one shares: the same one, unless it grew past LIMIT."""
    kept = like.shared
    return kept if len(kept) < LIMIT else {}


def small(an: Analysis) -> bool:
    """Whether the client is small enough for the plain-Python paths: at most SMALL_STAFF people by its departments'
    headcount (read there, not from staff.csv: choosing a path reads nobody's record, tests/test_kanon.py)."""
    return once(an, ("small",), lambda: int(an.client.departments["headcount"].sum()) <= SMALL_STAFF)


def once(an: Analysis, key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the client's shared store under ``key`` (whose first item names the function)."""
    kept = an.shared
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def each(an: Analysis, keys: dict, compute: Callable[[list], dict]) -> dict:
    """:func:`once` for many results computed together: ``{name: result}`` for every name of ``keys`` (name -> key
    in the store); the names whose key is not kept yet are computed in one call ``compute(names)`` (a dict by name),
    so that a scenario differing in a few changes computes the per-change results of those few only."""
    kept = an.shared
    todo = [name for name, key in keys.items() if key not in kept]
    if todo:
        made = compute(todo)
        for name in todo:
            kept[keys[name]] = made[name]
    return {name: kept[key] for name, key in keys.items()}


def per_person(an: Analysis, key: tuple, compute: Callable[[], Any]) -> Any:
    """:func:`once` for a result as big as the staff (people coded, role scores): kept for small clients only, so
    that a client of 50,000 people holds no more memory than before (computed where asked, then dropped)."""
    return once(an, key, compute) if small(an) else compute()


def structure_key(c: Change) -> tuple:
    """What a change acts on, as a hashable key, without its timing (TIMING): for results that read no date,
    rollout or title. Equal keys, equal results."""
    return _frozen({k: v for k, v in c.model_dump().items() if k not in TIMING})


def change_key(an: Analysis, c: Change) -> tuple:
    """:func:`structure_key` of ``c``, computed once per Analysis for each of its own changes (Analysis.change_keys):
    a change naming hundreds of departments takes a millisecond, and many results key their parts by it."""
    mine = next((x for x in an.changes if x is c), None)
    return an.change_keys[c.id] if mine is not None else structure_key(c)


def _frozen(v):
    if isinstance(v, dict):
        return tuple(sorted((k, _frozen(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple, set, frozenset)):
        return (type(v).__name__, *(_frozen(x) for x in (sorted(v, key=repr) if isinstance(v, (set, frozenset)) else v)))
    return (type(v).__name__, v)


def grouped(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame] | None:
    """Each row's group as one integer, and the groups' keys, in the order ``frame.groupby(keys)`` sorts them (the
    first row of each group, a coded column's keys as its values: :func:`plain`); None when a key is NA (groupby
    leaves those rows out)."""
    codes = [_sorted_codes(frame[k]) for k in keys]
    if any((c < 0).any() for c, _ in codes):
        return None
    flat = np.ravel_multi_index([c for c, _ in codes], [max(len(u), 1) for _, u in codes])
    _, first, code = np.unique(flat, return_index=True, return_inverse=True)
    return code.reshape(-1), plain(frame[keys].iloc[first].reset_index(drop=True))


def _sorted_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index | np.ndarray]:
    """Codes of a column's values in their sorted order (NA: -1) and the values they stand for: a coded column's own
    (category: its categories sorted, codes that may skip unused ones, which sort and group the same), else
    ``factorize(sort=True)``."""
    if isinstance(column.dtype, pd.CategoricalDtype) and column.cat.categories.is_monotonic_increasing:
        return column.cat.codes.to_numpy(), column.cat.categories
    # as object arrays: pandas' string dtype factorizes 2-3x slower than the same strings as objects (same codes)
    return factorize(column.to_numpy(dtype=object), sort=True)  # (a small hash table)


# --- plain-Python helpers: a frame's rows by key in one pass, and sums that equal pandas' to the last bit ----------
def split(frame, key: str, index: bool = True) -> dict:
    """The rows of ``frame`` (itertuples, with the index first unless ``index`` is False) by their value of column
    ``key``, in the frame's order: one pass instead of a ``frame.loc[frame[key] == k]`` per key. A key missing from
    the dict has no row (NA keys are kept under their NA value, which no lookup by an equal value finds, as no
    ``==`` filter does)."""
    out: dict = {}
    for r in frame_rows(frame, index=index):
        out.setdefault(getattr(r, key), []).append(r)
    return out


def positions(values) -> dict:
    """The positions of each value in ``values``, in order: ``{value: [i, ...]}`` (one pass instead of a filter of the
    frame per value; an NA value is kept under itself, which no lookup by an equal value finds)."""
    out: dict = {}
    for i, v in enumerate(values):
        out.setdefault(v, []).append(i)
    return out


def tally(keys, values=None) -> dict:
    """Per key, in the order keys first appear: the sum of its ``values`` (whole numbers, a sum in any order), or
    the number of its rows when ``values`` is None; NA keys left out, as a groupby leaves them."""
    out: dict = {}
    for k, v in zip(keys, values) if values is not None else ((k, 1) for k in keys):
        if k == k:
            out[k] = out.get(k, 0) + v
    return out


def exact(vals: list) -> bool:
    """Whether every value is a whole number small enough that any order of adding them gives the same float (no
    rounding anywhere): then a plain sum equals pandas' sums, whatever their algorithm."""
    bound = 0.0
    for x in vals:
        if (x != int(x) if x - x == 0 else True) or (x == 0 and str(x)[0] == "-"):  # not whole, not finite, or -0.0
            return False
        bound += abs(x)
    return bound < 2.0 ** 52


def series_sum(xs) -> float:
    """``float(pd.Series(xs, dtype="float64").sum())``, to the bit: pandas fills NaN with 0 and lets numpy add the
    values up (a plain left-to-right sum under 8 values, numpy's pairwise sum from 8 on: numpy does it then)."""
    vals = [0.0 if x != x else float(x) for x in xs]
    if len(vals) >= 8:
        return float(np.sum(np.array(vals, dtype="float64")))
    total = 0.0
    for x in vals:
        total += x
    return total


def group_sum(xs) -> float:
    """One group's ``groupby(...).sum()`` of float values (NaN skipped, 0.0 when empty; pandas sums groups with a
    compensated algorithm of its own): in plain Python when that gives the same float (:func:`exact`: whole numbers;
    or :func:`exact_sums`: non-negative multiples of 1/256, such as hours in halves and quarters), else by pandas."""
    xs = [float(x) for x in xs]
    vals = [x for x in xs if x == x]
    if exact(vals) or (exact_sums(np.array(vals, dtype="float64")) and not any(x == 0 and str(x)[0] == "-" for x in vals)):
        return float(sum(vals))
    return float(pd.Series(xs, dtype="float64").groupby([0] * len(xs)).sum().iloc[0])


def frame(rows: list[tuple], dtypes: dict) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=list(dtypes)).astype(dtypes)`` (every column typed), built column by column:
    the same frame without inferring each column's dtype first and converting it after. Columns as arrays, not
    Series, which the frame would align on their indexes first (a 40-row, 7-column frame: 0.18 ms, not 0.43 ms; ~24
    frames per report). An Int64 column of Python ints and None (NA) is made of its values and mask: ``pd.array``
    of them took ~10x longer (~0.1 ms a column)."""
    cols = list(zip(*rows)) if rows else [()] * len(dtypes)
    return pd.DataFrame({c: _array(cols[i], t) for i, (c, t) in enumerate(dtypes.items())}, copy=False)


def _array(values: tuple, dtype):
    """One column of :func:`frame`."""
    if dtype is object:  # as a Series of objects: the frame would take an array of strings as str (pandas 3)
        return pd.Series(values, dtype=object)
    if dtype == "Int64" and all(x is None or type(x) is int for x in values):
        return pd.arrays.IntegerArray(np.array([0 if x is None else x for x in values], dtype="int64"),
                                      np.array([x is None for x in values], dtype=bool))
    return pd.array(values, dtype=dtype)


def column(an: Analysis, table: str, key: str, col: str) -> pd.Series:
    """``getattr(an.client, table).set_index(key)[col]`` (assets' kinds by asset id, departments' names by id...),
    built from the two columns only and kept per client: rules and sections look them up scenario after scenario.
    Read-only for whoever gets it."""
    def build() -> pd.Series:
        f = getattr(an.client, table)
        return f[[key, col]].set_index(key)[col]

    return once(an, ("column", table, key, col), build)


# --- the staff ids of a result as integer codes, handed from the function that made it to those that count on it ------
# (at 50,000 staff, factorizing 200,000-330,000 staff ids took 40-60 ms in each of five functions)
def keep_codes(an: Analysis, name: str, frame: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    """``frame`` (the result ``name`` of ``an``, being made), after keeping ``codes``: an integer per row, equal for
    equal staff ids, in the ids' sorted order, never negative (no NA id), for :func:`codes_of`."""
    an.codes[name] = (frame, codes)
    return frame


def staff_codes(frame: pd.DataFrame) -> np.ndarray:
    """The codes of a person-level frame's staff ids, a categorical of the staff's ids sorted (skills.gaps): the codes
    :func:`keep_codes` keeps, as the frame holds them (no copy)."""
    return frame["staff_id"].array.codes


def codes_of(an: Analysis, name: str, frame: pd.DataFrame) -> np.ndarray | None:
    """The codes :func:`keep_codes` kept of ``frame``'s staff ids, when ``frame`` is the very frame they were kept for;
    None otherwise (the result was carried over from another Analysis by like=, or made without them)."""
    kept = an.codes.get(name)
    return kept[1] if kept is not None and kept[0] is frame else None


def sorted_codes(codes: np.ndarray, ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``factorize(ids, sort=True)`` from their :func:`keep_codes` codes: integers sorted instead of strings hashed."""
    distinct, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype("intp", copy=False), ids.to_numpy(dtype=object)[first]


# --- codes with a small hash table (issue 17 item 7: the big report kernel's peak) ------------------------------------
HINT = 4096  # the hash table a factorize starts with: it grows to the distinct values, not to the rows


def factorize(values, sort: bool = False):
    """``pd.factorize`` (the same codes and uniques) with a hash table sized for the distinct values rather than for
    every row: 8 MiB for 330,000 rows of 50,000 ids, where a few hundred distinct values need a few KiB. A Series is
    taken as objects (its own factorize takes no size hint)."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    runs = _runs(values)
    if runs is not None:  # the first value of each run of equal values, factorized: the same values, in order
        codes, uniques = pd.factorize(values[runs], sort=sort, size_hint=min(len(runs), HINT))
        return np.repeat(codes, np.diff(np.r_[runs, len(values)])), uniques
    return pd.factorize(values, sort=sort, size_hint=min(len(values), HINT))


RUNS = 1 << 14  # a column of at least RUNS values may be factorized on its runs


def _runs(values) -> np.ndarray | None:
    """Where each run of equal values starts, for a long object column made of few runs (a big analysis' change,
    product, role or department ids: rows come per change and role, hundreds of thousands of rows in a few hundred
    runs); None otherwise. Comparing neighbours costs a few ms where hashing every string costs 10-20 ms; a column
    whose first values are mostly different (people's ids) is not compared at all."""
    if not isinstance(values, np.ndarray) or values.dtype != object or len(values) < RUNS:
        return None
    head = values[:1024]
    try:
        if np.count_nonzero(head[1:] != head[:-1]) * 8 > len(head):
            return None
        starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])  # NaN != NaN: each NaN its own run, coded -1
    except TypeError:  # a value whose comparison is no bool (pd.NA)
        return None
    return starts if len(starts) * 4 <= len(values) else None


def exact_sums(values: np.ndarray, nan: bool = False) -> bool:
    """Whether every value is a non-negative multiple of 1/256 (NaN too when ``nan``: counted as 0) whose total
    stays below 2**52 / 256: then every partial sum is exact, so any order of adding, plain or compensated (pandas'
    groupby sums), gives the same floats. Checked in chunks: no temporary arrays as long as the values."""
    total = 0.0
    for at in range(0, len(values), 1 << 16):
        x = values[at:at + (1 << 16)]
        if nan:
            x = x[~np.isnan(x)]
        if not (np.isfinite(x).all() and (x >= 0).all() and (x * 256 == np.round(x * 256)).all()):
            return False
        total += float(x.sum())
    return total * 256 < 2**52


# --- lean person-level frames (issue 17 item 7: the 50,000-staff kernel's peak) ---------------------------
# gaps, training_need, training and participants hold 200,000-330,000 rows each at 50,000 staff: their few hundred
# distinct change, product, department, role, skill, source, chain and course ids as categoricals take a code of one
# or two bytes per row instead of an 8-byte pointer, their levels (0-5) a byte instead of eight; their staff ids a
# 4-byte code that is also the codes keep_codes keeps (staff_codes) (~60 MiB in all)


def category(column: pd.Series) -> pd.Categorical:
    """A column of ids as a categorical whose categories are its distinct values sorted (so that sorting and grouping
    on it give the order they give on the values), of the column's dtype; NA stays NA."""
    codes, uniques = factorize(column.to_numpy(dtype=object), sort=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=plain_dtype(column.dtype)))


def plain_dtype(dtype):
    """The dtype of a column's values: a categorical's categories' dtype, else the dtype itself."""
    return dtype.categories.dtype if isinstance(dtype, pd.CategoricalDtype) else dtype


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns as their values (:func:`plain_dtype`): a small result taken from a coded
    frame (its groups' keys) has the dtypes it had before the big frames were coded."""
    coded = {c: plain_dtype(t) for c, t in frame.dtypes.items() if isinstance(t, pd.CategoricalDtype)}
    return frame.astype(coded) if coded else frame
