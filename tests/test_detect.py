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
