"""A condition's Summary of Findings (GRADEpro / MAGICapp style): plain pandas, no Streamlit.

One row per outcome x comparator x time point x review, each with the review (short name and
link), studies and participants, the effect with its 95% CI and its size in words, the
certainty in GRADE symbols with its basis, and footnote marks for the reasons given for lower
certainty and for sign conventions. What is not known is said once, in a footnote, not in
every cell (a cell shows `NOT_KNOWN`). The plain-language sentence of each row is the same
record in words, for the card's plain view and the deck's notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kb import vocab
from kb.citations import doi_url, pubmed_url, short_citation
from kb.cube import BENEFIT
from kb.model import KB

NOT_KNOWN = "—"
MINUS = "\u2212"
FULL, EMPTY = "\u2295", "\u25ef"  # GRADE's ⊕ and ◯
OUTCOME_ORDER = {o: i for i, o in enumerate(vocab.Outcome.values())}
COMPARATOR_ORDER = {c: i for i, c in enumerate(["sham-or-none", "sham-or-active",
                                                "other-treatment", "wet-needling", "add-on",
                                                "unspecified", "not-applicable"])}
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
WINDOW_ORDER = {w: i for i, w in enumerate([*BENEFIT, "unknown", "not-applicable"])}
DEFAULT_SIGN_NOTES = frozenset({"", "Negative favours dry needling"})
COLUMNS = ["outcome", "outcome_detail", "comparison", "time", "review", "review_url", "studies",
           "participants", "effect", "effect_words", "certainty", "basis", "marks", "plain",
           "finding_id", "measure", "level", "num_effect", "num_ci_low", "num_ci_high",
           "cert_min", "direction"]
# The card's and deck's column headers, one home.
HEADERS = {"outcome": "Outcome", "comparison": "Compared with", "time": "Time point",
           "review": "Review", "studies": "Studies", "participants": "Participants",
           "effect": "Effect (95% CI)", "certainty": "Certainty", "basis": "Certainty basis",
           "plain": "What this means"}


@dataclass(frozen=True)
class SummaryOfFindings:
    """The rows (in COLUMNS) and the numbered footnotes their `marks` refer to."""

    rows: pd.DataFrame
    footnotes: list[str]


def symbols(label: str) -> str:
    """'⊕⊕⊕◯' for moderate; a range gives both ends ('⊕◯◯◯ to ⊕⊕⊕◯'); '' for no level."""
    bounds = vocab.Certainty.ranges().get(label)
    if bounds is None:
        return ""
    ends = [FULL * n + EMPTY * (4 - n) for n in dict.fromkeys(bounds)]
    return " to ".join(ends)


def _signed(values: pd.Series) -> pd.Series:
    """Numbers as printed, with a true minus sign."""
    return values.astype("string").str.replace(r"^-", MINUS, regex=True)


def effect_text(frame: pd.DataFrame) -> pd.Series:
    """'SMD −1.06 (−1.77 to −0.36)'; the bare measure and estimate when a bound is unknown;
    NOT_KNOWN when the estimate is."""
    known = frame["effect"] != "unknown"
    ci = (frame["ci_low"] != "unknown") & (frame["ci_high"] != "unknown")
    measure = frame["effect_measure"].where(frame["effect_measure"] != "unknown", "")
    text = (measure + " " + _signed(frame["effect"])).str.strip()
    text = text.where(~ci, text + " (" + _signed(frame["ci_low"]) + " to "
                      + _signed(frame["ci_high"]) + ")")
    return text.where(known, NOT_KNOWN)


def _size_word(values: pd.Series) -> pd.Series:
    size = values.abs()
    word = pd.Series("", index=values.index, dtype="string")
    for floor, name in reversed(vocab.EFFECT_SIZE_WORDS):
        word = word.mask(size >= floor, name)
    return word


def effect_words(frame: pd.DataFrame) -> pd.Series:
    """The effect in words: 'a large reduction', 'less pain with dry needling', 'no clear
    difference'. Size words only for standardised measures; reduction or increase only where
    the direction and the sign agree on the usual convention (less pain or disability, higher
    threshold, grip or range of motion with dry needling)."""
    number = pd.to_numeric(frame["effect"], errors="coerce")
    lower_is_better = frame["outcome"].isin(["pain", "function", "spasticity"])
    favours = frame["direction"] == vocab.Direction.FAVOURS_DN
    usual = favours & (((number < 0) & lower_is_better) | ((number > 0) & ~lower_is_better))
    change = pd.Series("reduction", index=frame.index, dtype="string").where(
        lower_is_better, "increase")
    size = _size_word(number).where(frame["effect_measure"].isin(vocab.STANDARDISED_MEASURES),
                                    "")
    article = size.str.slice(0, 1).isin(list("aeiou")).map({True: "an", False: "a"})
    sized = (article + " " + size + " ").where(size != "", "a ")
    words = pd.Series("", index=frame.index, dtype="string")
    words = words.mask(favours, (sized + "effect in favour of " + frame["intervention"])
                       .str.replace("a effect", "an effect", regex=False))
    words = words.mask(usual, sized + change + " with dry needling")
    words = words.mask(frame["direction"] == vocab.Direction.FAVOURS_COMPARATOR,
                       "in favour of the comparator")
    words = words.mask(frame["direction"] == vocab.Direction.NO_DIFFERENCE,
                       "no clear difference")
    return words.where(number.notna(), "")


def effect_cell(rows: pd.DataFrame) -> pd.Series:
    """A Summary-of-Findings row's effect with its words: 'SMD −1.06 (−1.77 to −0.36): a large
    reduction with dry needling' (the effect alone where there are no words)."""
    words = rows["effect_words"]
    return rows["effect"] + words.where(words == "", ": " + words)


def _subject(intervention: pd.Series) -> pd.Series:
    return intervention.str.slice(0, 1).str.upper() + intervention.str.slice(1)


def plain_sentences(frame: pd.DataFrame) -> pd.Series:
    """Each finding as a sentence in GRADE's words (guideline 26): high 'reduces', moderate
    'probably reduces', low 'may reduce', very low 'it is very uncertain whether'; without a
    stated level the review's finding is said as found. 'No better than an active treatment'
    is never 'no effect'."""
    named = frame["outcome"].map(vocab.OUTCOME_LABEL).fillna(frame["outcome"])
    verb_is = frame["outcome"].map({k: v[0] for k, v in vocab.OUTCOME_VERB.items()})
    verb_base = frame["outcome"].map({k: v[1] for k, v in vocab.OUTCOME_VERB.items()})
    verb_is = verb_is.fillna("improves " + named)
    verb_base = verb_base.fillna("improve " + named)
    subject = _subject(frame["intervention"])
    lowest = frame["cert_min"].fillna(0).astype(int)
    other = frame["comparator"].map(vocab.COMPARATOR_LABEL).fillna("the comparison")
    other = other.where(frame["comparator"] != vocab.Comparator.ADD_ON,
                        frame["comparator_detail"])
    versus = (" compared with " + other).where(
        ~frame["comparator"].isin(["unspecified", "not-applicable"]), "")
    outcome = named
    favours = pd.Series(subject + " " + verb_is, index=frame.index, dtype="string")
    favours = favours.mask(lowest == 4, subject + " " + verb_is)
    favours = favours.mask(lowest == 3, subject + " probably " + verb_is)
    favours = favours.mask(lowest == 2, subject + " may " + verb_base)
    favours = favours.mask(lowest == 1, "It is very uncertain whether "
                           + frame["intervention"] + " " + verb_is)
    favours = favours.mask(lowest == 0, "The review found that " + frame["intervention"]
                           + " " + verb_is)
    between = " between " + frame["intervention"] + " and " + other
    same = pd.Series("No clear difference in " + outcome + between, index=frame.index,
                     dtype="string")
    same = same.mask(lowest == 3, subject + " probably makes little or no difference to "
                     + outcome)
    same = same.mask(lowest == 2, subject + " may make little or no difference to " + outcome)
    same = same.mask(lowest == 1, "It is very uncertain whether " + frame["intervention"]
                     + " makes a difference to " + outcome)
    direction = frame["direction"]
    text = favours + versus
    text = text.mask(direction == vocab.Direction.NO_DIFFERENCE,
                     same.where(lowest == 0, same + versus))
    text = text.mask(direction == vocab.Direction.FAVOURS_COMPARATOR,
                     _subject(other) + " did better than " + frame["intervention"] + " for "
                     + outcome)
    text = text.mask(direction == vocab.Direction.UNCLEAR, "The review found the result for "
                     + outcome + " unclear or mixed" + versus)
    text = text.mask(direction == vocab.Direction.UNKNOWN, "The result for " + outcome
                     + " is not known to us" + versus)
    return text + "."


def review_urls(references: pd.DataFrame) -> pd.Series:
    """Each reference's link: its DOI, else its PubMed record, else its web address."""
    refs = references.set_index("reference_id")
    doi = doi_url(refs["doi"].fillna("")) if "doi" in refs else None
    url = pd.Series("", index=refs.index, dtype="string")
    if "url" in refs:
        web = refs["url"].fillna("")
        url = url.mask(web.str.lower().str.startswith(("http://", "https://")), web)
    if "pmid" in refs:
        pmid = refs["pmid"].fillna("")
        url = url.mask(pmid != "", pubmed_url(pmid))
    if doi is not None:
        url = url.mask(refs["doi"].fillna("") != "", doi)
    return url


def _counts(values: pd.Series, word: str) -> pd.Series:
    return values.where(values == "unknown", values + f" {word}").replace("unknown", NOT_KNOWN)


def _order(f: pd.DataFrame) -> pd.DataFrame:
    keys = pd.DataFrame({"o": f["outcome"].map(OUTCOME_ORDER),
                         "c": f["comparator"].map(COMPARATOR_ORDER),
                         "w": f["time_window"].map(WINDOW_ORDER), "r": f["reference_id"]},
                        index=f.index)
    return f.loc[keys.sort_values(["o", "w", "c", "r"]).index]


def summary_of_findings(kb: KB, condition_id: str) -> SummaryOfFindings:
    """The condition's Summary of Findings: rows in outcome, comparator, time order."""
    f = _order(kb.findings[kb.findings["condition_id"] == condition_id])
    cite = short_citation(kb.references)
    if f.empty:
        return SummaryOfFindings(pd.DataFrame(columns=COLUMNS), [])
    footnotes = _general_notes(f)
    marks = pd.Series("", index=f.index, dtype="string")
    reasons = f["downgrade_reasons"].fillna("")
    for reason in dict.fromkeys(r for r in reasons if r):
        which = reasons == reason
        reviews = ", ".join(dict.fromkeys(f.loc[which, "reference_id"].map(cite)))
        footnotes.append(f"Reasons given for lower certainty ({reviews}): "
                         + "; ".join(reason.split(";")) + ".")
        marks = marks.mask(which, marks + _mark(len(footnotes)))
    signs = f["effect_note"].fillna("")
    for note in dict.fromkeys(n for n in signs[f["effect"] != "unknown"]
                              if n not in DEFAULT_SIGN_NOTES):
        which = (signs == note) & (f["effect"] != "unknown")
        footnotes.append(f"{', '.join(dict.fromkeys(f.loc[which, 'reference_id'].map(cite)))}: "
                         f"{note}.".replace("..", "."))
        marks = marks.mask(which, marks + _mark(len(footnotes)))
    level = f["certainty"].where(f["cert_max"].notna(), "")
    shown = (f["certainty"].map(symbols) + " " + level).str.strip()
    shown = shown.where(level != "", f["certainty"].replace(
        {"unknown": "certainty not stated"}))
    window = f["time_window"].map(vocab.TIME_WINDOW_LABEL).fillna(f["time_window"])
    wording = f["time_wording"].str.casefold().str.replace("-", " ")
    same_words = wording.isin(["not stated", "any"]) | (wording == window.str.casefold())
    time = (window + " (" + f["time_wording"] + ")").where(~same_words, window)
    rows = pd.DataFrame({
        "outcome": f["outcome"].map(vocab.OUTCOME_LABEL).fillna(f["outcome"]).str.capitalize(),
        "outcome_detail": f["outcome_detail"].fillna(""),
        "comparison": _comparison(f),
        "time": time,
        "window": window,
        "review": f["reference_id"].map(cite).fillna(f["reference_id"]),
        "review_url": f["reference_id"].map(review_urls(kb.references)).fillna(""),
        "studies": _counts(f["n_studies"], "studies").str.replace("^1 studies", "1 study",
                                                                  regex=True),
        "participants": _counts(f["n_participants"], "participants"),
        "effect": effect_text(f),
        "effect_words": effect_words(f),
        "certainty": shown,
        "basis": f["certainty_basis"].map(vocab.CERTAINTY_BASIS_LABEL).fillna(""),
        "marks": marks,
        "plain": plain_sentences(f),
        "finding_id": f["finding_id"],
        "measure": f["effect_measure"],
        "level": f["certainty"],
        "num_effect": pd.to_numeric(f["effect"], errors="coerce"),
        "num_ci_low": pd.to_numeric(f["ci_low"], errors="coerce"),
        "num_ci_high": pd.to_numeric(f["ci_high"], errors="coerce"),
        "cert_min": f["cert_min"],
        "direction": f["direction"],
    }).reset_index(drop=True)
    return SummaryOfFindings(rows, footnotes)


def _mark(number: int) -> str:
    """A footnote mark: a superscript number, with a thin space before it."""
    return "\u2009" + str(number).translate(SUPERSCRIPT)


def _comparison(f: pd.DataFrame) -> pd.Series:
    """'sham and active treatments pooled'; an add-on names both arms from the review."""
    label = f["comparator"].map(vocab.COMPARATOR_LABEL).fillna(f["comparator"])
    add_on = f["comparator"] == vocab.Comparator.ADD_ON
    return label.where(~add_on, f["intervention"] + " vs " + f["comparator_detail"])


def _general_notes(f: pd.DataFrame) -> list[str]:
    """The footnotes said once for the whole table: what a dash means, which bases appear."""
    notes = []
    if (f[["n_studies", "n_participants", "effect"]] == "unknown").any().any():
        notes.append(f"{NOT_KNOWN} not reported in what was read of the review (number of "
                     "studies or participants, or the effect size): not known to us.")
    if (f["certainty"] == "unknown").any():
        notes.append("Certainty not stated: the review gives no certainty level for this result "
                     "in what was read.")
    for basis in dict.fromkeys(f["certainty_basis"]):
        if basis == vocab.CertaintyBasis.OTHER_TOOL:
            tools = ", ".join(dict.fromkeys(f.loc[f["certainty_basis"] == basis,
                                                  "certainty_tool"].fillna("")))
            notes.append(f"Another tool, not GRADE ({tools}): often a rating of study quality "
                         "or bias, not of the certainty of the evidence.")
        elif basis != vocab.CertaintyBasis.GRADE and basis in vocab.CERTAINTY_BASIS_MEANING:
            label = vocab.CERTAINTY_BASIS_LABEL[basis]
            notes.append(label[:1].upper() + label[1:] + ": "
                         + vocab.CERTAINTY_BASIS_MEANING[basis])
    if f["effect_measure"].isin(vocab.STANDARDISED_MEASURES).any():
        notes.append("Size in words for standardised measures (SMD, d, dppc2): below 0.2 very "
                     "small, 0.2 small, 0.5 moderate, 0.8 or more large (rule of thumb).")
    return notes


def forest_rows(sof: pd.DataFrame) -> pd.DataFrame:
    """Rows with a numeric estimate and both CI bounds, for forest plots (one per measure)."""
    rows = sof.dropna(subset=["num_effect", "num_ci_low", "num_ci_high"])
    rows = rows[rows["measure"] != "percent"]
    label = (rows["review"] + " · " + rows["outcome_detail"].str.slice(0, 40) + " · vs "
             + rows["comparison"] + " · " + rows["window"])
    repeat = label.groupby(label).cumcount()
    label = label.where(repeat == 0, label + " (" + (repeat + 1).astype(str) + ")")
    return rows.assign(label=label)


def key_rows(sof: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The rows a slide shows first: known effects, then higher certainty, favourable first."""
    order = pd.DataFrame({
        "known": sof["num_effect"].notna().astype(int),
        "cert": sof["cert_min"].fillna(0),
        "dn": sof["plain"].str.contains("dry needling", regex=False).astype(int),
        "favours": (sof["direction"] == vocab.Direction.FAVOURS_DN).astype(int)},
        index=sof.index)
    chosen = order.sort_values(["known", "cert", "dn", "favours"],
                               ascending=False).index[:limit]
    return sof.loc[sorted(chosen)]


def standing(kb: KB, condition_id: str, status: str) -> str:
    """The card's headline on the condition's standing, in words."""
    f = kb.findings[kb.findings["condition_id"] == condition_id]
    favourable = int(((f["direction"] == vocab.Direction.FAVOURS_DN)
                      & f["time_window"].isin(BENEFIT)).sum())
    if status == vocab.EvidenceStatus.LEVEL_NOT_STATED:
        return (f"Evidence exists, but its certainty is not stated: {favourable} favourable "
                f"finding{'s' if favourable != 1 else ''}, none with a certainty level.")
    if status == vocab.EvidenceStatus.NOT_GRADED:
        return ("Evidence exists, but the reviews did not rate its certainty (another tool "
                "or none).")
    if status == vocab.EvidenceStatus.POSSIBLE_USE:
        return "Listed as a possible use only: no review in the knowledge base reports on it."
    return ""


def finding_facts(kb: KB, finding_ids: list[str]) -> pd.DataFrame:
    """The findings of a trail in words, by finding id: what was measured (`measured`), the
    finding as a sentence (`plain`), the effect with its 95% CI and its size (`effect`), the
    certainty with its basis (`certainty`, `basis`), studies and participants (`counts`)."""
    f = kb.findings[kb.findings["finding_id"].isin(finding_ids)]
    conditions = kb.conditions.set_index("condition_id")["label"]
    outcome = f["outcome"].map(vocab.OUTCOME_LABEL).fillna(f["outcome"])
    detail = f["outcome_detail"].where(
        f["outcome_detail"].str.casefold() != outcome.str.casefold(), "")
    measured = (outcome + (" (" + detail + ")").where(detail != "", "") + " vs "
                + f["comparator"].map(vocab.COMPARATOR_LABEL).fillna(f["comparator"]) + ", "
                + f["time_window"].map(vocab.TIME_WINDOW_LABEL).fillna(f["time_window"]))
    condition = f["condition_id"].map(conditions).fillna("")
    measured = (condition + ": ").where(condition != "", "") + measured
    text = effect_text(f)
    words = effect_words(f)
    effect = text.where(text == NOT_KNOWN, text + (": " + words).where(words != "", ""))
    counts = [", ".join(f"{n} {word}" for n, word in ((s, "studies"), (p, "participants"))
                        if n != "unknown") for s, p in zip(f["n_studies"], f["n_participants"],
                                                           strict=True)]
    return pd.DataFrame({
        "measured": measured.to_numpy(),
        "plain": plain_sentences(f).where(  # a rate is no direction: `measured` says it
            f["direction"] != vocab.Direction.NOT_APPLICABLE, "").to_numpy(),
        "effect": effect.to_numpy(), "certainty": f["certainty"].to_numpy(),
        "basis": f["certainty_basis"].to_numpy(), "counts": counts,
        "time_window": f["time_window"].to_numpy()}, index=f["finding_id"].to_numpy())
