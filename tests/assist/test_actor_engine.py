"""ACTOR suggestions (annotator.assist.actors and actor_model) against the guideline's rules.

Sentences are written in news language; each test names the rule a user relies on. Spans are
compared as quoted text so a failure shows what was proposed.
"""

import json

import pytest
from scaling import assert_linear

from annotator.assist.actor_model import (
    LearnedActorModel,
    TrainingCancelledError,
    load_pipeline,
    train_actor_model,
)
from annotator.assist.actors import (
    ActorKnowledge,
    GazetteerEntry,
    MarkedName,
    RegistryActor,
    find_actors,
    read_gazetteer,
)
from annotator.assist.base import ACTORS, DocumentContext, Mention
from annotator.domain.errors import AnnotatorError


def quotes(text: str, knowledge: ActorKnowledge | None = None, **context) -> list[str]:
    proposals = find_actors(DocumentContext(text, **context), knowledge or ActorKnowledge())
    return [text[p.start : p.end] for p in proposals]


def by_quote(text: str, knowledge: ActorKnowledge | None = None) -> dict[str, dict]:
    proposals = find_actors(DocumentContext(text), knowledge or ActorKnowledge())
    return {
        text[p.start : p.end]: {
            "kind": p.attributes.get("kind"),
            "key": p.actor_key,
            "rule": p.rule,
            "score": p.score,
        }
        for p in proposals
    }


# --- Boundaries and kinds without knowledge --------------------------------------------------


def test_titles_and_nationality_stay_outside_the_name():
    text = "Russian President Vladimir Putin met Mayor Ines Okafor and Dr Lena Hart on Monday."
    assert quotes(text) == ["Vladimir Putin", "Ines Okafor", "Lena Hart"]
    assert {v["kind"] for v in by_quote(text).values()} == {"person"}


def test_title_inside_a_run_splits_the_state_from_the_person():
    text = "U.S. Secretary of State Antony Blinken warned Beijing against supplying weapons."
    assert quotes(text) == ["U.S.", "Antony Blinken", "Beijing"]


def test_portfolio_word_before_a_title_is_not_a_name():
    text = "A spokeswoman for the ministry said Transport Minister Yoon Seo-yeon would attend."
    assert "Yoon Seo-yeon" in quotes(text)
    assert "Transport" not in quotes(text)


def test_a_name_before_a_persons_role_is_their_employer_used_as_a_modifier():
    text = (
        "Volkswagen chief executive Oliver Blume said the tariffs were wrong. Analysts at the "
        "bank agreed with Nokia boss Pekka Lundmark, but Finance minister Jana Novak and "
        "Republican senator Ann Lee did not."
    )
    found = by_quote(text)
    assert found["Volkswagen"]["kind"] == found["Nokia"]["kind"] == "organization"
    assert {"Oliver Blume", "Pekka Lundmark", "Jana Novak", "Ann Lee"} <= found.keys()
    assert "Finance" not in found and "Republican" not in found


def test_a_month_or_weekday_after_a_title_is_a_first_name():
    text = (
        "Siemens spokesman Jan Ohl declined to comment. Prime Minister Theresa May spoke "
        "in March. In June Novak said she would resign."
    )
    found = quotes(text)
    assert "Jan Ohl" in found and "Theresa May" in found
    assert "June Novak" not in found and "Novak" in found


def test_an_organisations_ordinal_and_a_plural_possessive_inside_its_name_stay_in_it():
    text = (
        "The Second Environmental Court suspended the permit, and the Atacameño People’s "
        "Council welcomed it. Putin’s Russia said nothing. The people’s choice was clear."
    )
    found = quotes(text)
    assert "Second Environmental Court" in found
    assert "Atacameño People’s Council" in found
    assert "Putin" in found and "Russia" in found


def test_a_company_named_again_without_its_legal_form_keeps_its_kind():
    text = (
        "The court said Andes Copper Corp. had failed to assess the wetlands. Andes Copper "
        "said on Saturday that it would appeal, and its lawyer told Radio Cooperativa so."
    )
    found = by_quote(text)
    assert found["Andes Copper Corp"]["kind"] == found["Andes Copper"]["kind"] == "organization"
    assert found["Radio Cooperativa"]["kind"] == "media"


def test_organisation_names_keep_their_of_and_adjectives():
    text = (
        "Reports from the Korean Central News Agency said Kim Yo Jong of the Workers’ Party of "
        "Korea received the gift. The Ministry of Finance declined to comment."
    )
    found = by_quote(text)
    assert found["Korean Central News Agency"]["kind"] == "media"
    assert found["Workers’ Party of Korea"]["kind"] == "organization"
    assert found["Ministry of Finance"]["kind"] == "organization"
    assert "Kim Yo Jong" in found


def test_bracketed_acronym_is_marked_separately_and_propagated():
    text = (
        "The National Renewal Party (NRP) called the plan reckless. Later, the NRP demanded a "
        "vote, and NRP members walked out."
    )
    assert quotes(text) == ["National Renewal Party", "NRP", "NRP", "NRP"]


def test_surname_after_full_name_is_the_same_person():
    text = (
        "Marta Vukelić, the finance minister, said the reform was fair. Critics disagreed. "
        "Vukelić later told parliament she would not resign."
    )
    found = by_quote(text)
    assert found["Marta Vukelić"]["kind"] == "person"
    assert found["Vukelić"]["kind"] == "person"


def test_speaker_position_finds_a_name_without_any_title():
    text = '"We will appeal," said Tomas Brandt. Ortega said the court had erred.'
    assert quotes(text) == ["Tomas Brandt", "Ortega"]


def test_states_acting_are_marked_but_places_are_not():
    text = (
        "Moscow extended a gesture of friendship, and ties between Russia and North Korea grew. "
        "The car was made in Russia and shown during a visit to Russia."
    )
    assert quotes(text) == ["Moscow", "Russia", "North Korea"]
    assert all(v["kind"] == "state" for v in by_quote(text).values())


def test_adjectives_months_and_sentence_starts_are_not_actors():
    text = (
        "Earlier in September 2023, the Russian and North Korean delegations met. However, "
        "Sino-Russian talks stalled on Tuesday. The Vell river flooded."
    )
    assert quotes(text) == []


def test_unnamed_groups_that_speak_or_act_are_marked_with_their_defining_word():
    text = (
        "Analysts point to rising debt. Local fishermen fear the wall, and opposition lawmakers "
        "accused the government of hiding costs. The council invited analysts to a hearing."
    )
    assert quotes(text) == ["Analysts", "Local fishermen", "opposition lawmakers"]
    assert {v["kind"] for v in by_quote(text).values()} == {"group"}


def test_unnamed_speaker_is_its_head_noun_and_a_named_one_is_not():
    text = (
        "A spokeswoman for the Ministry of Finance said the loan was safe. "
        "Lena Hart, a climate scientist at Northfield University, warned of floods."
    )
    found = by_quote(text)
    assert found["spokeswoman"]["kind"] == "person"
    assert "Ministry of Finance" in found
    assert "scientist" not in found
    assert "Lena Hart" in found


def test_datelines_and_event_names_are_not_actors():
    text = (
        "PORT ALDREN — Storm Hallie flooded the town on Sunday. Mayor Ines Okafor said the "
        "barrier held."
    )
    assert quotes(text) == ["Ines Okafor"]


def test_short_name_of_an_organisation_and_of_a_club():
    text = (
        "Meridia Terminals said the strike cost money. Meridia wants a deal. Northgate Rovers "
        "signed a striker from Deportivo Albamar, and Rovers paid 38 million euros. Albamar "
        "accepted the offer."
    )
    found = by_quote(text)
    for name in ("Meridia Terminals", "Meridia", "Northgate Rovers", "Rovers", "Albamar"):
        assert found[name]["kind"] == "organization", name


def test_state_known_from_its_demonym_is_a_state_and_still_not_a_place():
    text = (
        "Kestria said it would repay the loan. Kestrian officials met in Valmora. "
        "Exports from Kestria fell, and Kestria blamed the storms."
    )
    found = by_quote(text)
    assert found["Kestria"]["kind"] == "state"
    assert "Valmora" not in found
    assert list(found).count("Kestria") == 1  # dict keys: at least one proposal


# --- The contract: existing annotations, rejections, offsets ---------------------------------


def test_proposals_follow_the_contract():
    text = "Mayor Ines Okafor said the barrier would hold. Okafor spoke in Port Aldren."
    proposals = find_actors(DocumentContext(text), ActorKnowledge())
    assert proposals == sorted(proposals, key=lambda p: p.start)
    for proposal in proposals:
        assert proposal.label == "ACTOR"
        assert proposal.engine == ACTORS
        assert 0 < proposal.score <= 1
        assert proposal.rule
        assert text[proposal.start : proposal.end].strip() == text[proposal.start : proposal.end]


def test_spans_over_annotations_and_rejected_keys_are_not_proposed():
    text = "Mayor Ines Okafor said the barrier would hold. Okafor spoke to Tomas Brandt."
    first = text.index("Ines Okafor")
    second = text.index("Okafor spoke")
    context = DocumentContext(
        text,
        annotations=(Mention(first, first + len("Ines Okafor"), "ACTOR"),),
        rejected=frozenset({(second, second + len("Okafor"), "ACTOR")}),
    )
    found = [text[p.start : p.end] for p in find_actors(context, ActorKnowledge())]
    assert found == ["Tomas Brandt"]


def test_empty_and_nameless_texts_give_nothing():
    assert quotes("") == []
    assert quotes("   \n ") == []
    assert quotes("it rained all day and nobody came.") == []


# --- Knowledge: registry, marks, gazetteer, rejections -------------------------------------


def test_registry_names_and_aliases_link_to_their_actor_and_respect_word_boundaries():
    knowledge = ActorKnowledge(
        registry=(
            RegistryActor("kcna", "Korean Central News Agency", "media", ("KCNA",)),
            RegistryActor("putin", "Vladimir Putin", "person"),
        )
    )
    text = "KCNA said Putin sent a car. Critics of Putinist views read kcna.org daily."
    found = by_quote(text, knowledge)
    assert found["KCNA"] == {"kind": "media", "key": "kcna", "rule": "registry", "score": 0.95}
    assert found["Putin"]["key"] == "putin"
    assert found["Putin"]["rule"] == "surname"
    assert list(found) == ["KCNA", "Putin"]


def test_marked_common_noun_matches_at_a_sentence_start_but_proper_names_keep_their_case():
    knowledge = ActorKnowledge(
        marked=(
            MarkedName("analysts", "group", None, 3),
            MarkedName("Aurus Motors", "organization", "aurus", 1),
        )
    )
    text = "Analysts were invited by aurus motors. Aurus Motors denied it to the analysts."
    found = [(q, v["rule"]) for q, v in by_quote(text, knowledge).items()]
    assert ("Analysts", "marked") in found
    assert ("Aurus Motors", "marked") in found
    assert ("analysts", "marked") in found
    assert all(q != "aurus motors" for q, _ in found)


def test_acronym_of_a_known_organisation_is_proposed_when_it_appears():
    knowledge = ActorKnowledge(registry=(RegistryActor("wpk", "Workers’ Party of Korea", None),))
    found = by_quote("The WPK Central Committee met. WPK officials said so.", knowledge)
    assert found["WPK Central Committee"]["kind"] == "organization"
    assert found["WPK"]["key"] == "wpk"


def test_rejected_names_are_not_proposed_again_unless_marked_more_often():
    text = "Aurus Motors said the limousine was ready. Valmora Herald reported it."
    assert "Aurus Motors" in quotes(text)
    refused = ActorKnowledge(rejected={"Aurus Motors": 2})
    assert "Aurus Motors" not in quotes(text, refused)
    outweighed = ActorKnowledge(
        rejected={"Aurus Motors": 1}, marked=(MarkedName("Aurus Motors", "organization", None, 2),)
    )
    assert "Aurus Motors" in quotes(text, outweighed)


def test_gazetteer_names_are_proposed_with_their_kind():
    entries = read_gazetteer("# outlets\nMarcador\tmedia\nCastlemoor,organisation\n", origin="g")
    assert entries == [
        GazetteerEntry("Marcador", "media"),
        GazetteerEntry("Castlemoor", "organization"),
    ]
    found = by_quote(
        "the story ran in marcador and in Marcador.", ActorKnowledge(gazetteer=tuple(entries))
    )
    assert list(found) == ["Marcador"]
    assert found["Marcador"]["kind"] == "media"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("\tmedia", "name is empty"),
        ("Marcador\tnewspaperish", "unknown kind"),
        ("a\tb\tmedia", "columns"),
    ],
)
def test_bad_gazetteer_line_names_origin_line_and_problem(line, problem):
    with pytest.raises(AnnotatorError) as error:
        read_gazetteer(f"# header\n{line}\n", origin="outlets.tsv")
    assert "outlets.tsv, line 2" in str(error.value)
    assert problem in str(error.value)


def test_thousands_of_registry_names_are_matched_by_their_tokens():
    # Speed is measured by benchmarks/suggest.py; this holds the result on a big registry.
    registry = tuple(RegistryActor(f"a{i}", f"Person{i} Surname{i}", "person") for i in range(5000))
    knowledge = ActorKnowledge(registry=registry)
    text = "Person4321 Surname4321 met Person17 Surname17 in the hall. " * 200
    found = find_actors(DocumentContext(text), knowledge)
    assert {p.actor_key for p in found} == {"a4321", "a17"}
    assert len(found) == 400


def test_reading_grows_with_the_text_not_faster():
    """Twice the text costs about twice the time: a pass that rescans for each name (n^2)
    would cost four times as much. Each side is the best of three runs, so load on the
    machine counts against both."""
    article = "Kestria and Valmora signed the treaty, Jana Novak said. Analysts agreed. "
    assert_linear(lambda text: find_actors(DocumentContext(text), ActorKnowledge()), article)


def test_the_shared_article_is_found_as_annotated(shared):
    corpus = shared / "corpus"
    text = (corpus / "kcna-car-gift.txt").read_text(encoding="utf-8")
    gold = json.loads((corpus / "kcna-car-gift.gold.json").read_text(encoding="utf-8"))
    expected = {(s["start"], s["end"]) for s in gold["spans"] if s["label"] == "ACTOR"}
    found = {(p.start, p.end) for p in find_actors(DocumentContext(text), ActorKnowledge())}
    hits = len(found & expected)
    assert hits / len(found) >= 0.9
    assert hits / len(expected) >= 0.9


# --- Learning ------------------------------------------------------------------------------

TRAINING_TEXT = (
    "Zorvik Telecom announced higher prices on Monday. Customers of Zorvik complained. "
    "Brennan Halloway praised Zorvik in a speech. Zorvik cut jobs in March. "
    "The regulator fined Zorvik, and Halloway resigned."
)


def _spans(text: str, *names: tuple[str, str]) -> list[tuple[int, int, str]]:
    spans = []
    for name, kind in names:
        start = 0
        while (start := text.find(name, start)) != -1:
            spans.append((start, start + len(name), kind))
            start += len(name)
    return spans


@pytest.fixture(scope="module")
def learned() -> LearnedActorModel:
    spans = _spans(
        TRAINING_TEXT, ("Zorvik Telecom", "organization"), ("Brennan Halloway", "person")
    )
    spans += [
        (s, e, "organization")
        for s, e, _ in _spans(TRAINING_TEXT, ("Zorvik", "x"))
        if not any(a <= s < b for a, b, _ in spans)
    ]
    spans += [
        (s, e, "person")
        for s, e, _ in _spans(TRAINING_TEXT, ("Halloway", "x"))
        if not any(a <= s < b for a, b, _ in spans)
    ]
    return train_actor_model([(TRAINING_TEXT, spans)], seed=3, iterations=40)


def test_training_is_deterministic_and_versioned(learned):
    spans = [(0, 14, "organization")]
    again = train_actor_model([(TRAINING_TEXT, spans)], seed=1, iterations=2)
    same = train_actor_model([(TRAINING_TEXT, spans)], seed=1, iterations=2)
    other = train_actor_model([(TRAINING_TEXT, [(0, 6, "organization")])], seed=1, iterations=2)
    assert again.to_bytes() == same.to_bytes()
    assert again.version == same.version != other.version
    assert len(again.version) <= 16


def test_learned_model_finds_what_it_was_taught_and_survives_bytes(learned):
    sentence = "Zorvik raised prices again, said Halloway."
    predicted = learned.predict([sentence])[0]
    found = {sentence[s:e] for s, e, _ in predicted}
    assert "Zorvik" in found
    restored = LearnedActorModel.from_bytes(learned.to_bytes())
    assert restored.version == learned.version
    assert restored.predict([sentence]) == learned.predict([sentence])


def test_model_in_knowledge_adds_names_the_rules_cannot_see(learned):
    text = "Prices rose sharply. Customers blamed Zorvik for the outage."
    assert "Zorvik" not in quotes(text)
    found = by_quote(text, ActorKnowledge(model=learned))
    assert found["Zorvik"]["rule"] == "model"
    assert found["Zorvik"]["score"] < 0.7


def test_training_checks_cancel_between_iterations():
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(TrainingCancelledError):
        train_actor_model(
            [(TRAINING_TEXT, [(0, 14, "organization")])], iterations=10, cancelled=cancelled
        )
    assert len(calls) == 3


def test_training_without_any_actor_is_refused():
    with pytest.raises(AnnotatorError):
        train_actor_model([("Nothing here.", [])])


def test_bad_model_bytes_are_refused():
    with pytest.raises(AnnotatorError):
        LearnedActorModel.from_bytes(b"not a model")


def test_a_saved_spacy_pipeline_is_loaded_by_path_and_maps_its_labels(tmp_path):
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    sentence = "Alice Brown joined Acme Corp in Valmora, a Russian town."
    doc = nlp.make_doc(sentence)
    entities = {"entities": [(0, 11, "PERSON"), (19, 28, "ORG"), (32, 39, "GPE"), (43, 50, "NORP")]}
    examples = [Example.from_dict(doc, entities)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    nlp.to_disk(tmp_path / "pipeline")

    pipeline = load_pipeline(tmp_path / "pipeline")
    predicted = pipeline.predict([sentence])[0]
    found = {sentence[s:e]: kind for s, e, kind in predicted}
    assert found.get("Alice Brown") == "person"
    assert found.get("Acme Corp") == "organization"
    assert "Russian" not in found  # NORP is not an actor
    assert pipeline.version


def test_loading_a_missing_pipeline_says_so(tmp_path):
    with pytest.raises(AnnotatorError, match="cannot load"):
        load_pipeline(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "text",
    [
        "The People's Council and the Women's Union met the U.S. envoy Kim Jong-un's aide.",
        "O'Brien said: the Workers' Party, Children's Fund, Men's Club; Bob's s's S's.",
        "Cafe\u0301 owners in Mu\u0308nchen, x\u00b2 and \u2167 votes, snake_case_name, 4_000.",
        "\u0928\u092e\u0938\u094d\u0924\u0947 \u092d\u093e\u0930\u0924 and \u6771\u4eac\u90fd "
        "and \u0627\u0644\u0642\u0627\u0647\u0631\u0629 near A.B.C. \u00a0People's\u00a0Army",
        "'s at the start, Peoples' Front, Mens' wear, Women\u2019s Day \u0130stanbul \u01c5ivko.",
    ],
)
def test_the_tokens_are_those_of_the_unicode_pattern_whatever_the_script(text: str):
    from annotator.assist import actors

    normalised = text.translate(actors._NORMALISE)
    fast = actors._token_pattern(frozenset(normalised))
    assert [m.span() for m in fast.finditer(normalised)] == [
        m.span() for m in actors._TOKEN.finditer(normalised)
    ]
