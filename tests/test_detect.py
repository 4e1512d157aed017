"""The sentence detectors: conditions, topic, wording strength, numbers, contraindications."""

import pytest

from kb import detect


@pytest.fixture(scope="module")
def lexicon(kb):
    return detect.build_lexicon(kb.conditions, kb.contraindication_items)


@pytest.mark.parametrize(("text", "expected"), [
    ("It helps tennis elbow.", ["lateral-epicondylalgia"]),
    ("Plantar Fasciitis and low-back pain.", ["plantar-heel-pain", "low-back-pain"]),
    ("Used for knee OA.", ["knee-osteoarthritis"]),
    ("Used for OA.", ["hip-or-knee-osteoarthritis"]),
    ("Used for oa of the hip.", []),  # a short all-capitals name only in capitals
    ("Migraines and trigger points.", ["headache", "myofascial-pain"]),
    ("Low back pain.", ["low-back-pain"]),  # not also "back pain"
])
def test_conditions(lexicon, text, expected):
    assert detect.find_conditions(text, lexicon) == expected


def test_contraindication_items_and_classes(lexicon):
    assert set(detect.find_items("Pregnant women and people on blood thinners.", lexicon)) == {
        "pregnancy", "bleeding-anticoagulants"}
    assert detect.contraindication_class("You should not be needled.") == "not-suitable"
    assert detect.contraindication_class("Talk to your doctor first.") == "consult-physician"
    assert detect.contraindication_class("An absolute contraindication.") == "absolute"


def test_topics():
    sentences = ["It costs $80 a session.", "Pregnant women should not have it.",
                 "Bruising is a side effect.", "Drink water after your session.",
                 "Studies show it reduces pain.", "It releases chemicals in the muscle.",
                 "It is used to treat neck pain.", "Physical therapists perform it.",
                 "Thin needles are inserted.", "Dry needling is a technique.",
                 "The sky is blue."]
    assert detect.topics(sentences, [False] * 6 + [True] + [False] * 4, [False, True] + [False] * 9
                         ) == ["cost", "contraindication", "safety", "aftercare", "efficacy",
                               "mechanism", "indication", "practitioner", "procedure",
                               "definition", ""]


def test_wording_strength_and_intensifiers():
    assert detect.wording(["It is proven to cure pain.", "It probably reduces pain.",
                           "It may help.", "The evidence is very uncertain.",
                           "Wear loose clothes.", "Treatments last long."]) == [
        "high", "moderate", "low", "very-low", "none", "none"]
    assert detect.intensifiers("Very effective, proven, high-quality evidence.") == [
        "very", "proven", "high-quality evidence"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Serious adverse events occur in fewer than 1 per 10,000 treatments.",
     ("serious adverse events", "frequency", "", "0.01", "percent")),
    ("Soreness lasts 24-48 hours.", ("post-treatment soreness", "duration", "24", "48", "hours")),
    ("Sessions are up to two times per week.",
     ("treatment", "frequency", "", "2", "sessions per week")),
    ("Needles are left in for 10 to 15 minutes.", ("needle", "dwell time", "10", "15",
                                                   "minutes")),
    ("Most people need 3-6 sessions.", ("treatment course", "number of sessions", "3", "6",
                                        "sessions")),
    ("Not for children under 12 years old.", ("children", "minimum age", "", "12", "years")),
    ("Major side effects happen in 1 in 1,000 treatments.",
     ("serious adverse events", "frequency", "0.1", "0.1", "percent")),
    ("Serious complications are very rare.", ("serious adverse events", "frequency", "", "",
                                              "")),
])
def test_numbers(text, expected):
    (n,) = detect.numbers(text)
    assert (n.subject, n.attribute, n.value_min, n.value_max, n.unit) == expected


# --- rules changed for agreement with the curated statuses (issue 16, bench/README.md) -------

@pytest.mark.parametrize(("text", "expected"), [
    ("You may feel some soreness after the session.", "safety"),  # "feel" is no "fee"
    ("The fee is $60 per visit.", "cost"),
    ("Those with healing wounds should consult their doctor first.", "contraindication"),
    ("Dry needling is not appropriate for everyone.", "contraindication"),  # no item, no risk
    ("Use caution: bruising can occur.", "safety"),  # a caution about a risk
    ("Larger, lower-risk-of-bias studies are needed.", "efficacy"),  # no risk of harm
    ("The benefits are often considered to far outweigh the drawbacks.", "efficacy"),
    ("Some people feel relief almost immediately after a session.", "efficacy"),
    ("After your session, drink plenty of water.", "aftercare"),
    ("You should inform your provider of any medications.", "safety"),
    ("Dry needling is not a substitute for diagnosing a serious condition.", "safety"),
    ("It tends to add more meaningful value when combined with exercise.", "efficacy"),
])
def test_topic_rules(text, expected):
    assert detect.topics([text], [False], [False]) == [expected]


def test_a_list_lead_in_makes_its_items_contraindications(lexicon):
    read = "You should avoid and/or be cautious of dry needling if you have: A pacemaker"
    assert detect.topics([read], [False], [bool(detect.find_items(read, lexicon))]) == [
        "contraindication"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Dry needling is an effective treatment for neck pain.", "high"),
    ("Dry needling is very effective.", "high"),
    ("It has been shown to produce greater improvement in pain.", "high"),
    ("Evidence offers modest support for short-term pain reduction.", "very-low"),
    ("Evidence for long-term benefit is limited.", "very-low"),
])
def test_wording_rules(text, expected):
    assert detect.wording([text]) == [expected]


def test_negated_intensifiers_raise_nothing():
    assert detect.intensifiers("There was no significant difference.") == []
    assert detect.intensifiers("It is not significantly better.") == []
    assert detect.intensifiers("A significant and always lasting effect, 100%.") == [
        "significant", "always", "100%"]


def test_no_risk_is_not_said_by_not_without_risk():
    assert not detect.NO_RISK.search("It is not entirely without risk.")
    assert detect.NO_RISK.search("It is without any risks.")


def test_the_most_common_event_gives_no_frequency():
    found = detect.numbers("The most common side effect is soreness, and serious complications "
                           "are very rare.")
    assert [(n.subject, n.value) for n in found] == [("serious adverse events", "very rare")]


def test_a_comparison_with_sham_is_no_active_comparison():
    assert detect.cues("Compared with no treatment or sham needling.",
                       detect.COMPARATOR_CUES) == ["sham-or-none"]
    assert detect.cues("Compared with exercise.", detect.COMPARATOR_CUES) == ["other-treatment"]


def test_events_and_invasiveness():
    assert detect.adverse_events("Fainting, stiffness and nerve damage.") == [
        "fainting", "stiffness", "nerve damage"]
    assert detect.invasiveness("Like any invasive procedure, it has risks.") == "invasive"
    assert detect.invasiveness("It is minimally invasive.") == "minimally invasive"
    assert detect.invasiveness("Less invasive options should be tried first.") == ""


def test_contraindication_rules(lexicon):
    either = "It is either not appropriate, or requires consulting a physician first."
    assert detect.contraindication_class(either) == "avoid-or-caution"
    assert detect.contraindication_class("It is not appropriate in a medical emergency.") == (
        "not-suitable")
    assert detect.contraindication_class(
        "The therapist will consult with your primary care provider first.") == (
        "consult-physician")
    assert detect.contraindication_class("A physician should be consulted first.") == (
        "consult-physician")
    assert detect.find_items("A limb with lymphedema (increased risk of infection)", lexicon) == [
        "lymphoedema"]
    assert detect.find_items("In a medical emergency or for people who cannot or will not give "
                             "consent.", lexicon) == ["medical-emergency", "unable-to-consent"]
