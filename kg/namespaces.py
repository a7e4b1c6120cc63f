"""Vocabulary terms used in data: ours (``GOV``) and the standard ones we reuse.

Every term is declared here once; asking for an undeclared term is an error, so a
typo cannot mint a property nobody defined.  ``tests/test_ontology.py`` checks that
each ``GOV`` term is defined in ``ontology/govkg.ttl``.

>>> GOV.Task.value
'https://w3id.org/govkg/ontology#Task'
>>> GOV.Tsk
Traceback (most recent call last):
...
AttributeError: gov:Tsk is not a declared term of https://w3id.org/govkg/ontology#
"""

from __future__ import annotations

from pyoxigraph import NamedNode

__all__ = ["Vocabulary", "GOV", "RDF", "RDFS", "XSD", "SKOS", "DCT", "PROV", "ORG", "ELI", "OWL", "QB", "SDMX_MEASURE",
           "SDMX_DIMENSION", "SDMX_ATTRIBUTE", "SCHEMA", "PREFIXES"]


class Vocabulary:
    """A closed namespace: attribute access returns a ``NamedNode`` for declared terms only."""

    def __init__(self, prefix: str, base: str, terms: str):
        self._prefix = prefix
        self._base = base
        self._terms = {name: NamedNode(base + name) for name in terms.split()}

    def __getattr__(self, name: str) -> NamedNode:
        try:
            return self._terms[name]
        except KeyError:
            raise AttributeError(f"{self._prefix}:{name} is not a declared term of {self._base}") from None

    def __iter__(self):
        return iter(self._terms.values())

    @property
    def base(self) -> str:
        return self._base


GOV = Vocabulary(
    "gov",
    "https://w3id.org/govkg/ontology#",
    """
    Document KeyTaskNotice WorkReport WorkReportSummary Section Task Assignment
    Unit CollectiveUnit Place Role RoleScheme Lead Responsible Cooperating
    kind city year inDocument inSection subSectionOf number order level text
    heading start end line deadline assignment position mention expandedName
    jurisdiction sourceFile sha256 parserVersion taskCount encoding
    City County Township abbreviation containedIn issuedBy
    Province PlaceType placeType mentionsPlace River Lake Airport Port Park ScenicArea
    HistoricSite DevelopmentZone Region Landmark
    UnitType UnitTypeScheme PlaceTypeScheme CityGovernment MunicipalDepartment
    CountyGovernment DevelopmentZoneCommittee SubdistrictOffice TownshipGovernment
    StateOwnedCompany CentralAgencyBranch University MassOrganisation PartyOrgan
    TemporaryOffice PublicInstitution JudicialOrgan MilitaryOrgan
    Plan partOfPlan WorkItem Target Quantity Indicator IndicatorScheme TargetStructure
    indicator value measure qualifier phrase quantity statedIn
    Project Enterprise investment investmentMeasure mentionsProject mentionsEnterprise
    developedBy locatedIn Theme ThemeScheme
    CentralityResult CentralityScore inResult forUnit metric score rank community graphKind
    cityFilter yearFilter themeFilter roleFilter collectives leadWeight seed nodeCount edgeCount modularity
    mentionsUnit
    """,
)

RDF = Vocabulary("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type")
RDFS = Vocabulary("rdfs", "http://www.w3.org/2000/01/rdf-schema#", "label comment subClassOf subPropertyOf domain range")
XSD = Vocabulary("xsd", "http://www.w3.org/2001/XMLSchema#", "string integer decimal date gYear boolean")
OWL = Vocabulary("owl", "http://www.w3.org/2002/07/owl#", "Class ObjectProperty DatatypeProperty Ontology")
SKOS = Vocabulary(
    "skos",
    "http://www.w3.org/2004/02/skos/core#",
    "Concept ConceptScheme prefLabel altLabel hiddenLabel definition notation inScheme broader related hasTopConcept",
)
DCT = Vocabulary("dct", "http://purl.org/dc/terms/", "title issued publisher spatial subject source identifier date description type")
PROV = Vocabulary(
    "prov",
    "http://www.w3.org/ns/prov#",
    "Activity Association Plan qualifiedAssociation agent hadRole hadPlan wasDerivedFrom",
)
ORG = Vocabulary(
    "org",
    "http://www.w3.org/ns/org#",
    "Organization OrganizationalUnit hasMember memberOf classification subOrganizationOf hasSubOrganization "
    "ChangeEvent originalOrganization resultingOrganization changedBy resultedFrom",
)
ELI = Vocabulary(
    "eli",
    "http://data.europa.eu/eli/ontology#",
    "LegalResource LegalResourceSubdivision is_part_of has_part number id_local date_document",
)

QB = Vocabulary("qb", "http://purl.org/linked-data/cube#", "Observation DataSet dataSet structure DataStructureDefinition")
SDMX_MEASURE = Vocabulary("sdmx-measure", "http://purl.org/linked-data/sdmx/2009/measure#", "obsValue")
SDMX_DIMENSION = Vocabulary("sdmx-dimension", "http://purl.org/linked-data/sdmx/2009/dimension#", "refPeriod refArea")
SDMX_ATTRIBUTE = Vocabulary("sdmx-attribute", "http://purl.org/linked-data/sdmx/2009/attribute#", "unitMeasure")
SCHEMA = Vocabulary("schema", "https://schema.org/", "minValue maxValue")

PREFIXES = {
    "gov": GOV.base,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "owl": OWL.base,
    "skos": SKOS.base,
    "dct": DCT.base,
    "prov": PROV.base,
    "org": ORG.base,
    "eli": ELI.base,
    "qb": QB.base,
}
