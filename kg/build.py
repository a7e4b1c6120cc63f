"""Documents -> quads -> store: one named graph per document, replaced atomically.

Every document is parsed whole before anything is written; a document that fails
leaves its previous graph untouched and the others still load.

>>> from loaders import parse
>>> doc = parse("许昌市人民政府关于2026年重点工作任务分解的通知\\n一、目标\\n1.经济增长5.5%左右。(市发展和改革委员会负责)\\n2.稳就业。(市人力资源和社会保障局负责)", source="t.txt")
>>> graph, quads = document_quads(doc)
>>> graph.value
'https://w3id.org/govkg/id/doc/许昌市/2026/key-tasks'
>>> sorted({q.subject.value.rsplit("/", 2)[-2] for q in quads if "/task/" in q.subject.value})
['quantity', 'responsible', 'task']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from kg import iri
from kg.config import DATA_DIR, ONTOLOGY_DIR
from kg.errors import DocumentError, InputError
from kg.namespaces import DCT, ELI, GOV, PROV, RDF, SKOS, XSD
from kg.resolve import PlaceMatcher, Resolver, city_iri, default_place_matcher, default_resolver, default_unit_matcher
from kg.store import Store
from kg.projects import project_triples
from kg.targets import document_triples
from kg.themes import task_heading, theme_triples
from loaders import PARSER_VERSION, Document, parse
from loaders.decode import decode

__all__ = ["document_quads", "build", "BuildReport", "DocumentResult", "ontology_graph", "authority_graph", "corpus_files", "load_documents", "ONTOLOGY_GRAPH"]

ONTOLOGY_GRAPH = NamedNode("https://w3id.org/govkg/ontology")
AUTHORITY_FILES = ("places-*.ttl", "units-*.ttl", "indicators.ttl", "themes.ttl")
_KIND_CLASS = {"key-tasks": GOV.KeyTaskNotice, "work-report": GOV.WorkReport, "work-report-summary": GOV.WorkReportSummary}
_ROLE = {"lead": GOV.Lead, "responsible": GOV.Responsible, "cooperating": GOV.Cooperating}
_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".text"}


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def document_quads(doc: Document, *, source_bytes: bytes | None = None, resolver: Resolver | None = None,
                   places: PlaceMatcher | None = None) -> tuple[NamedNode, list[Quad]]:
    """The named graph of a document and its quads.

    Units and places the authority data knows are only linked here (the authority
    graph describes them); a unit or city it does not know is described in this
    graph, so every IRI used has a type and a label.
    """
    resolver = resolver or default_resolver()
    places = places or default_place_matcher()
    unit_mentions = default_unit_matcher()
    d = iri.document(doc.city, doc.year, doc.kind)
    city = city_iri(doc.city)
    triples: list[tuple] = []
    add = triples.append

    add((d, RDF.type, GOV.Document))
    add((d, RDF.type, _KIND_CLASS[doc.kind]))
    add((d, GOV.kind, Literal(doc.kind)))
    add((d, DCT.title, Literal(doc.title)))
    add((d, GOV.city, city))
    add((d, GOV.year, _int(doc.year)))
    add((d, GOV.sourceFile, Literal(Path(doc.source).name)))
    digest = hashlib.sha256(source_bytes if source_bytes is not None else doc.text.encode("utf-8")).hexdigest()
    add((d, GOV.sha256, Literal(digest)))
    add((d, GOV.encoding, Literal(doc.encoding)))
    add((d, GOV.parserVersion, Literal(PARSER_VERSION)))
    add((d, GOV.taskCount, _int(len(doc.tasks))))
    plan = iri.plan(doc.city, doc.year)  # the report and the notice of a city and year meet here
    add((d, GOV.partOfPlan, plan))
    add((plan, RDF.type, GOV.Plan))
    add((plan, DCT.title, Literal(f"{doc.city}{doc.year}年政府工作")))
    add((plan, GOV.city, city))
    add((plan, GOV.year, _int(doc.year)))
    if doc.doc_number:
        add((d, ELI.id_local, Literal(doc.doc_number)))
    if doc.issued:
        add((d, DCT.issued, Literal(doc.issued, datatype=XSD.date)))
    units_seen: set[str] = set()

    def agent(name: str, collective: bool) -> NamedNode:
        found = resolver.resolve(doc.city, name, collective)
        if not found.known and found.unit.value not in units_seen:
            units_seen.add(found.unit.value)
            _unit(add, found.unit, found.label, name, city, d, collective=collective)
        return found.unit

    if doc.publisher:
        add((d, GOV.issuedBy, agent(doc.publisher, False)))

    if not places.knows(city.value):
        add((city, RDF.type, GOV.Place))
        add((city, RDF.type, GOV.City))
        add((city, SKOS.prefLabel, Literal(doc.city)))

    sections = {}
    for order, sec in enumerate(doc.sections, 1):
        s = iri.section(d, sec.key)
        sections[sec.key] = s
        add((s, RDF.type, GOV.Section))
        add((s, GOV.inDocument, d))
        add((s, GOV.number, Literal(sec.number)))
        add((s, DCT.title, Literal(sec.title)))
        add((s, GOV.level, _int(sec.level)))
        add((s, GOV.order, _int(order)))
        add((s, GOV.start, _int(sec.start)))
        add((s, GOV.end, _int(sec.end)))
        add((s, GOV.line, _int(sec.line)))
        if sec.parent and sec.parent in sections:
            add((s, GOV.subSectionOf, sections[sec.parent]))
        for place in places.find(sec.title, city.value):
            add((s, GOV.mentionsPlace, NamedNode(place)))
    for order, task in enumerate(doc.tasks, 1):
        t = iri.task(d, task.key)
        add((t, RDF.type, GOV.Task))
        if doc.kind != "key-tasks":
            add((t, RDF.type, GOV.WorkItem))
        if task.title:
            add((t, DCT.title, Literal(task.title)))
        add((t, GOV.inDocument, d))
        add((t, GOV.number, Literal(task.number)))
        add((t, GOV.text, Literal(task.text)))
        add((t, GOV.order, _int(order)))
        add((t, GOV.start, _int(task.start)))
        add((t, GOV.end, _int(task.end)))
        add((t, GOV.line, _int(task.line)))
        if task.section and task.section in sections:
            add((t, GOV.inSection, sections[task.section]))
        if task.deadline:
            add((t, GOV.deadline, Literal(task.deadline)))
        for place in places.find(task.text, city.value):
            add((t, GOV.mentionsPlace, NamedNode(place)))
        for triple in theme_triples(t, task.text, task_heading(doc, task)):  # dct:subject, section titles inform
            add(triple)
        for unit in unit_mentions.find(task.text, doc.city):  # units the text names (reports assign none)
            add((t, GOV.mentionsUnit, NamedNode(unit)))
        for a in task.assignments:
            node = iri.assignment(t, a.role, a.position)
            unit = agent(a.name, a.collective)
            add((t, GOV.assignment, node))
            add((node, RDF.type, GOV.Assignment))
            add((node, PROV.agent, unit))
            add((node, PROV.hadRole, _ROLE[a.role]))
            add((node, GOV.position, _int(a.position)))
            add((node, GOV.mention, Literal(a.mention)))
            add((node, GOV.expandedName, Literal(a.name)))
            add((node, GOV.start, _int(a.start)))
            add((node, GOV.end, _int(a.end)))

    for triple in document_triples(doc, d):  # targets (Data Cube observations) and quantities in tasks
        add(triple)
    for triple in project_triples(doc, d, lambda task: iri.task(d, task.key), places):  # projects and enterprises
        add(triple)

    unique = dict.fromkeys(triples)  # deterministic order, no duplicates
    return d, [Quad(s, p, o, d) for s, p, o in unique]


def _unit(add: Callable, unit: NamedNode, label: str, name: str, city: NamedNode, doc: NamedNode, *, collective: bool) -> None:
    """Describe a unit the authority data does not know, minted from ``doc`` (``govkg units --unresolved``)."""
    add((unit, RDF.type, GOV.Unit))
    add((unit, PROV.wasDerivedFrom, doc))
    if collective:
        add((unit, RDF.type, GOV.CollectiveUnit))
    add((unit, SKOS.prefLabel, Literal(label)))
    if label != name:
        add((unit, SKOS.altLabel, Literal(name)))
    add((unit, GOV.jurisdiction, city))


@dataclass(frozen=True)
class DocumentResult:
    path: str
    document: Document
    graph: NamedNode
    quads: int


@dataclass
class BuildReport:
    loaded: list[DocumentResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)

    @property
    def problems(self) -> list[str]:
        return [p for r in self.loaded for p in r.document.problems]

    @property
    def exit_code(self) -> int:
        return 2 if self.failed else 0


def corpus_files(paths: Sequence[str | Path] = ()) -> list[Path]:
    """Files to load: the given files, the documents inside given directories, or the bundled corpus."""
    if not paths:
        paths = [DATA_DIR]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in _TEXT_SUFFIXES)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def load_documents(files: Iterable[Path], *, cities=(), on_progress: Callable[[Path], None] | None = None):
    """Parse each file; yields (path, Document, bytes) or (path, DocumentError, None)."""
    for path in files:
        try:
            data = path.read_bytes()  # read once: decoded here, hashed in document_quads
            text, encoding = decode(data, source=str(path))
            doc = parse(text, source=str(path), encoding=encoding, cities=cities)
        except DocumentError as exc:
            yield path, exc, None
        except OSError as exc:
            yield path, DocumentError(str(path), None, "a readable file", found=exc.strerror), None
        else:
            yield path, doc, data
        if on_progress:
            on_progress(path)


def _turtle_graph(graph: NamedNode, files: Iterable[Path]) -> list[Quad]:
    """Curated Turtle files as quads of ``graph``, blank nodes skolemised deterministically.

    Blank nodes (owl:unionOf lists, SHACL property shapes) would get fresh labels on
    every build; canonical labels (RDFC-1.0) turned into IRIs keep a rebuild identical.
    """
    import pyoxigraph

    dataset = pyoxigraph.Dataset()
    for path in files:
        with open(path, "rb") as f:
            for t in pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE):
                dataset.add(Quad(t.subject, t.predicate, t.object, graph))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)

    def skolem(term):
        return iri.skolem(graph, term.value) if isinstance(term, pyoxigraph.BlankNode) else term

    return sorted((Quad(skolem(q.subject), q.predicate, skolem(q.object), graph) for q in dataset), key=str)


def ontology_graph() -> tuple[NamedNode, list[Quad]]:
    """The ontology (classes, properties, role concepts) as a graph of its own."""
    return ONTOLOGY_GRAPH, _turtle_graph(ONTOLOGY_GRAPH, [ONTOLOGY_DIR / "govkg.ttl"])


def authority_graph() -> tuple[NamedNode, list[Quad]]:
    """Curated authority data (places, later units and themes) as one graph."""
    graph = iri.graph("authority")
    files = sorted(f for pattern in AUTHORITY_FILES for f in ONTOLOGY_DIR.glob(pattern))
    return graph, _turtle_graph(graph, files)


def build(store: Store, paths: Sequence[str | Path] = (), *, cities=None, on_progress: Callable[[Path], None] | None = None) -> BuildReport:
    """Parse every file first, then replace each good document's graph; report failures.

    ``cities`` are (name, short names, abbreviation) triples; by default the gazetteer's.
    """
    if cities is None:
        from kg.gazetteer import cities as gazetteer

        cities = [(c.name, c.short_names, c.abbreviation) for c in gazetteer()]
    report = BuildReport()
    files = corpus_files(paths)
    parsed = []
    owners: dict[str, Path] = {}
    for path, result, data in load_documents(files, cities=cities, on_progress=on_progress):
        if isinstance(result, DocumentError):
            report.failed.append((str(path), str(result)))
            continue
        if result.id in owners:
            report.failed.append((str(path), f"{path}: expected one document per city, year and kind, but {owners[result.id]} is also {result.id}"))
            continue
        owners[result.id] = path
        parsed.append((path, result, data))
    for path, doc, data in parsed:
        graph, quads = document_quads(doc, source_bytes=data)
        store.replace_graph(graph, quads)
        report.loaded.append(DocumentResult(str(path), doc, graph, len(quads)))
    for graph, quads in (ontology_graph(), authority_graph()):
        store.replace_graph(graph, quads)
    store.flush()
    return report
