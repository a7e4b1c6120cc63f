"""The ontology, the SHACL shapes, the curated places and the gazetteer that reads them.

The contract: every term of ``kg.namespaces.GOV`` is defined in ``ontology/govkg.ttl``
with Chinese and English labels and a comment, nothing else in ``gov:`` is, and every
``gov:`` term the other ontology files use is one of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from ontology_utils import defined_terms, gov_terms_used, ontology, undefined_terms
from rdflib import OWL, RDF, RDFS, SH, SKOS, Graph, Literal, Namespace, URIRef

from kg import iri
from kg.config import ONTOLOGY_DIR
from kg.gazetteer import City, cities
from kg.namespaces import GOV

GOVNS = Namespace(GOV.base)
DATA = Path(__file__).parent / "data" / "ontology"
ONTOLOGY_FILES = sorted(ONTOLOGY_DIR.glob("*.ttl"))
PLACE_FILES = sorted(ONTOLOGY_DIR.glob("places-*.ttl"))
GOV_TERMS = sorted(term.value for term in GOV)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)


def _name(term: str) -> str:
    return "gov:" + term.removeprefix(GOV.base)


@lru_cache(maxsize=None)
def _parsed(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


# -- the files parse --------------------------------------------------------------


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=[p.name for p in ONTOLOGY_FILES])
def test_parses_with_rdflib(path):
    assert len(_parsed(path)) > 0


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=[p.name for p in ONTOLOGY_FILES])
def test_parses_with_pyoxigraph(path):
    """The store loads these files too; its Turtle parser is stricter about IRIs."""
    triples = set(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(_parsed(path))


def test_expected_files_exist():
    assert {"govkg.ttl", "shapes.ttl", "places-henan.ttl"} <= {p.name for p in ONTOLOGY_FILES}


# -- every GOV term is defined, labelled and explained ----------------------------


@pytest.mark.parametrize("term", GOV_TERMS, ids=[_name(t) for t in GOV_TERMS])
def test_gov_term_is_defined(term):
    graph, subject = ontology(), URIRef(term)
    assert term in defined_terms(), f"{_name(term)} has no owl:Class/…Property/skos:Concept(Scheme) type"
    labels = set(graph.objects(subject, RDFS.label)) | set(graph.objects(subject, SKOS.prefLabel))
    assert {label.language for label in labels if isinstance(label, Literal)} >= {"zh", "en"}, labels
    comments = [c for c in graph.objects(subject, RDFS.comment) if isinstance(c, Literal) and c.language == "en"]
    assert comments, f"{_name(term)} has no rdfs:comment@en"
    if any((subject, RDF.type, kind) in graph for kind in PROPERTY_TYPES):
        assert graph.value(subject, RDFS.domain) is not None, f"{_name(term)} has no rdfs:domain"
        assert graph.value(subject, RDFS.range) is not None, f"{_name(term)} has no rdfs:range"


def test_ontology_defines_no_term_outside_namespaces_py():
    assert defined_terms() - set(GOV_TERMS) == set()


def test_labels_are_unique_per_language():
    """One rdfs:label per language per term: Protégé and the web UI show one name."""
    graph = ontology()
    for term in GOV_TERMS:
        languages = [label.language for label in graph.objects(URIRef(term), RDFS.label)]
        assert len(languages) == len(set(languages)), f"{_name(term)}: {languages}"


def test_aligned_external_terms_are_declared():
    """Terms we align to are typed in govkg.ttl, so OWL tools read it without imports."""
    graph = ontology()
    declared = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    targets = {
        o
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
        for o in graph.objects(None, p)
        if isinstance(o, URIRef) and not str(o).startswith((str(RDFS), "http://www.w3.org/2001/XMLSchema#"))
    }
    assert targets - declared == set()


def test_roles_form_one_scheme():
    graph = ontology()
    roles = {GOVNS.Lead: "lead", GOVNS.Responsible: "responsible", GOVNS.Cooperating: "cooperating"}
    assert set(graph.subjects(RDF.type, GOVNS.Role)) == set(roles)
    assert set(graph.objects(GOVNS.RoleScheme, SKOS.hasTopConcept)) == set(roles)
    assert (GOVNS.RoleScheme, RDF.type, SKOS.ConceptScheme) in graph
    for role, notation in roles.items():
        assert str(graph.value(role, SKOS.notation)) == notation
        assert graph.value(role, SKOS.inScheme) == GOVNS.RoleScheme


# -- the other ontology files use only defined gov: terms ---------------------------

_SPARQL_GOV_NAME = re.compile(r"\bgov:([A-Za-z_][A-Za-z0-9_]*)")


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=[p.name for p in ONTOLOGY_FILES])
def test_uses_only_defined_gov_terms(path):
    graph = _parsed(path)
    used = gov_terms_used(graph)
    for query in graph.objects(None, SH.select):  # gov:… inside SHACL-SPARQL text
        used |= {GOV.base + name for name in _SPARQL_GOV_NAME.findall(str(query))}
    assert used - defined_terms() == set()


def test_undefined_terms_finds_misspelt_terms_in_any_position():
    data = Graph().parse(
        format="turtle",
        data="""
        @prefix gov: <https://w3id.org/govkg/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <t> a gov:Tsk ; gov:inDocument <d> ; gov:asignment [ prov:hadRole gov:Leed ] .
        """,
    )
    assert undefined_terms(data) == {GOV.base + "Tsk", GOV.base + "asignment", GOV.base + "Leed"}


def test_undefined_terms_accepts_well_formed_data():
    assert undefined_terms(Graph().parse(DATA / "notice.ttl")) == set()


# -- SHACL shapes -------------------------------------------------------------------


def test_shapes_are_valid_shacl():
    shapes = _parsed(ONTOLOGY_DIR / "shapes.ttl")
    conforms, _, report = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, report


def test_every_constraint_has_a_message_in_chinese_and_english():
    shapes = _parsed(ONTOLOGY_DIR / "shapes.ttl")
    constrained = set(shapes.subjects(SH.path, None)) | set(shapes.objects(None, SH.sparql))
    assert constrained
    for node in constrained:
        languages = sorted(m.language for m in shapes.objects(node, SH.message))
        assert languages == ["en", "zh"], (node, languages)


def _validate(data: Graph) -> tuple[bool, set[str]]:
    """Validate data with the ontology and places mixed in; the English messages of the results."""
    graph = data + _parsed(ONTOLOGY_DIR / "govkg.ttl")
    for path in PLACE_FILES:
        graph += _parsed(path)
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=_parsed(ONTOLOGY_DIR / "shapes.ttl"))
    return conforms, {str(m) for m in results.objects(None, SH.resultMessage) if _english(m)}


def _english(message: Literal) -> bool:
    # pyshacl 0.40 drops the language tag of SHACL-SPARQL messages when it fills in
    # {?var}; our English messages are the untagged ones without Chinese characters.
    return message.language == "en" or (message.language is None and str(message).isascii())


def test_well_formed_notice_conforms():
    assert _validate(Graph().parse(DATA / "notice.ttl")) == (True, set())


def test_well_formed_notice_conforms_with_ontology_as_ont_graph():
    """The way kg.validate calls pySHACL: the ontology as ont_graph (places stay data)."""
    data = Graph().parse(DATA / "notice.ttl")
    for path in PLACE_FILES:
        data += _parsed(path)
    shapes, ontology_graph = _parsed(ONTOLOGY_DIR / "shapes.ttl"), _parsed(ONTOLOGY_DIR / "govkg.ttl")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology_graph)
    assert conforms, report


def test_no_owl_named_individuals():
    """pySHACL's ont_graph deep-clones every owl:NamedIndividual, following links up to
    ten levels; gov:RoleScheme and its roles link both ways, and typing them
    owl:NamedIndividual made every validation 3.6 s slower.  Their rdf:type suffices."""
    assert list(ontology().subjects(RDF.type, OWL.NamedIndividual)) == []


NOTICE = "https://w3id.org/govkg/id/doc/许昌市/2020/key-tasks"
TASK = f"<{NOTICE}/task/1>"
LEAD = f"<{NOTICE}/task/1/lead/1>"
BREAKAGES = [
    # (id, SPARQL Update applied to notice.ttl, the one English message expected)
    ("task-without-text", f"DELETE WHERE {{ {TASK} gov:text ?t }}", "A task has exactly one non-empty gov:text"),
    (
        "notice-task-without-assignment",
        f"DELETE WHERE {{ {TASK} gov:assignment ?a }}",
        "A task of a gov:KeyTaskNotice has at least one gov:assignment",
    ),
    (
        "task-start-not-before-end",
        f"DELETE WHERE {{ {TASK} gov:start ?s }} ; INSERT DATA {{ {TASK} gov:start 400 }}",
        "Exactly one gov:start, a non-negative integer less than gov:end",
    ),
    (
        "role-outside-scheme",
        f"DELETE WHERE {{ {LEAD} prov:hadRole ?r }} ; INSERT DATA {{ {LEAD} prov:hadRole <https://example.org/chief> }}",
        "An assignment has exactly one prov:hadRole: gov:Lead, gov:Responsible or gov:Cooperating",
    ),
    (
        "position-zero",
        f"DELETE WHERE {{ {LEAD} gov:position ?p }} ; INSERT DATA {{ {LEAD} gov:position 0 }}",
        "An assignment has exactly one gov:position, a positive integer",
    ),
    (
        "task-number-as-integer",
        f"DELETE WHERE {{ {TASK} gov:number ?n }} ; INSERT DATA {{ {TASK} gov:number 1 }}",
        "A task has exactly one gov:number, the number as written: a non-empty xsd:string",
    ),
    (
        "assignment-untyped",
        f"DELETE WHERE {{ {LEAD} a gov:Assignment }}",
        "An assignment is typed gov:Assignment",
    ),
    ("assignment-without-mention", f"DELETE WHERE {{ {LEAD} gov:mention ?m }}", "An assignment has exactly one non-empty gov:mention"),
    (
        "agent-not-a-unit",
        f"DELETE WHERE {{ {LEAD} prov:agent ?u }} ; INSERT DATA {{ {LEAD} prov:agent <https://example.org/nobody> }}",
        "An assignment has exactly one prov:agent, a gov:Unit",
    ),
    (
        "two-kinds",
        f'INSERT DATA {{ <{NOTICE}> gov:kind "work-report" }}',
        'A document has exactly one gov:kind: key-tasks, work-report or work-report-summary',
    ),
    (
        "kind-contradicts-class",
        f'DELETE WHERE {{ <{NOTICE}> gov:kind ?k }} ; INSERT DATA {{ <{NOTICE}> gov:kind "work-report" }}',
        'A gov:KeyTaskNotice has gov:kind "key-tasks"',
    ),
    (
        "city-not-a-place",
        f"DELETE WHERE {{ <{NOTICE}> gov:city ?c }} ; INSERT DATA {{ <{NOTICE}> gov:city <https://example.org/atlantis> }}",
        "A document has exactly one gov:city, a gov:Place",
    ),
    (
        "year-as-string",
        f'DELETE WHERE {{ <{NOTICE}> gov:year ?y }} ; INSERT DATA {{ <{NOTICE}> gov:year "2020" }}',
        "A document has exactly one gov:year, an xsd:integer between 1949 and 2100",
    ),
    (
        "task-count-wrong",
        f"DELETE WHERE {{ <{NOTICE}> gov:taskCount ?n }} ; INSERT DATA {{ <{NOTICE}> gov:taskCount 2 }}",
        "gov:taskCount is 2 but the document has 1 gov:Task items",
    ),
    (
        "section-level-three",
        f"DELETE WHERE {{ <{NOTICE}/sec/1> gov:level ?l }} ; INSERT DATA {{ <{NOTICE}/sec/1> gov:level 3 }}",
        "A section has exactly one gov:level, 1 or 2",
    ),
    (
        "unit-with-two-names",
        'INSERT DATA { <https://w3id.org/govkg/id/unit/许昌市/许昌市人民政府> skos:prefLabel "许昌市政府"@zh }',
        "A unit has exactly one non-empty skos:prefLabel, its full name",
    ),
]


@pytest.mark.parametrize(("update", "message"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES])
def test_broken_notice_is_reported(update, message):
    data = Graph().parse(DATA / "notice.ttl")
    data.update(
        "PREFIX gov: <https://w3id.org/govkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + update
    )
    assert _validate(data) == (False, {message})


# -- places and the gazetteer ---------------------------------------------------------

HENAN_ABBREVIATIONS = {
    "郑州市": "郑", "开封市": "汴", "洛阳市": "洛", "平顶山市": "平", "安阳市": "安", "鹤壁市": "鹤",
    "新乡市": "新", "焦作市": "焦", "濮阳市": "濮", "许昌市": "许", "漯河市": "漯", "三门峡市": "三",
    "南阳市": "宛", "商丘市": "商", "信阳市": "信", "周口市": "周", "驻马店市": "驻", "济源市": "济",
}  # fmt: skip


def _city(name: str) -> City:
    return next(city for city in cities() if city.name == name)


def test_gazetteer_reads_the_18_cities_of_henan():
    places = _parsed(ONTOLOGY_DIR / "places-henan.ttl")
    henan = URIRef(iri.place("河南省").value)
    in_henan = [city for city in cities() if places.value(URIRef(city.iri), GOVNS.containedIn) == henan]
    assert len(in_henan) == 18
    assert {city.name for city in in_henan} == set(HENAN_ABBREVIATIONS)


def test_gazetteer_is_read_once():
    assert cities() is cities()


def test_xuchang():
    assert _city("许昌市") == City("https://w3id.org/govkg/id/place/许昌市", "许昌市", ("许昌",), "许")


@pytest.mark.parametrize(("name", "abbreviation"), HENAN_ABBREVIATIONS.items(), ids=list(HENAN_ABBREVIATIONS))
def test_city_abbreviation_of_document_numbers(name, abbreviation):
    city = _city(name)
    assert city.abbreviation == abbreviation
    assert city.short_names == (name.removesuffix("市"),)


def test_abbreviations_are_distinct():
    abbreviations = [city.abbreviation for city in cities()]
    assert len(set(abbreviations)) == len(abbreviations)


def test_city_iris_are_the_ones_kg_iri_mints(monkeypatch):
    monkeypatch.delenv("GOVKG_BASE", raising=False)
    assert [city.iri for city in cities()] == [iri.place(city.name).value for city in cities()]


def test_cities_lie_in_henan():
    places = _parsed(ONTOLOGY_DIR / "places-henan.ttl")
    henan = URIRef(iri.place("河南省").value)
    assert (henan, RDF.type, GOVNS.Place) in places
    for city in cities():
        assert places.value(URIRef(city.iri), GOVNS.containedIn) == henan
