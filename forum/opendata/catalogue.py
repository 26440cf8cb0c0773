"""The DCAT-AP-SE catalogue of the open data (``/data/catalog.ttl``, ``/data/catalog.jsonld``),
built with rdflib from ``datasets.DATASETS`` and the publisher settings, for dataportal.se and
other harvesters.

Every title, description and keyword is given in Swedish and English (language-tagged literals,
each rendered in its language through the catalogues); vocabularies are the EU's (data themes,
frequencies, languages, access rights) and IANA's media types, as DCAT-AP-SE asks. IRIs of the
catalogue's own nodes are fragments of the catalogue's address, so they stay stable.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from ..config import publisher_of
from ..core.licences import CC_BY_4_0, Licence
from ..i18n import in_language
from .datasets import (
    API_PATH,
    DATA_THEMES,
    DATASETS,
    DICTIONARY_PATH,
    EU_AUTHORITY,
    OPENAPI_PATH,
    Dataset,
    Distribution,
)

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
IANA = "https://www.iana.org/assignments/media-types/"
NOT_AT_IANA = {"application/rss+xml"}  # used everywhere, never registered
METADATA_LICENCE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
OPENAPI_3_1 = URIRef("https://spec.openapis.org/oas/v3.1.0")
LANGUAGES = (("sv", "SWE"), ("en", "ENG"))
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "rdfs": RDFS}


def _both_languages(text) -> list[Literal]:
    """A lazy string as one literal per language it is translated into."""
    found = []
    for language, _code in LANGUAGES:
        with in_language(language):
            found.append(Literal(str(text), lang=language))
    return found


class CatalogueBuilder:
    def __init__(self, *, base: str, config, modified: datetime | None = None):
        self.base = base.rstrip("/")
        self.config = config
        self.modified = modified
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.catalogue = URIRef(self.base + "/data/catalog")
        self.publisher = self._node("publisher")
        self.contact = self._node("contact")
        self.service = self._node("api")

    def _node(self, fragment: str) -> URIRef:
        return URIRef(f"{self.catalogue}#{fragment}")

    def _url(self, path: str) -> URIRef:
        return URIRef(path if "://" in path else self.base + path)

    def _add(self, subject, predicate, *objects) -> None:
        for value in objects:
            self.graph.add((subject, predicate, value))

    def _texts(self, subject, predicate, text) -> None:
        self._add(subject, predicate, *_both_languages(text))

    def build(self) -> Graph:
        g, catalogue = self.graph, self.catalogue
        g.add((catalogue, RDF.type, DCAT.Catalog))
        self._texts(catalogue, DCTERMS.title, _l("Tillsammans forum: open data"))
        self._texts(
            catalogue,
            DCTERMS.description,
            _l(
                "Lessons, projects, discussions and events shared by the people who make "
                "cities sustainable, as downloads, feeds and a JSON API."
            ),
        )
        self._add(catalogue, DCTERMS.publisher, self.publisher)
        self._add(catalogue, FOAF.homepage, self._url("/data"))
        self._add(catalogue, DCTERMS.license, METADATA_LICENCE)
        self._add(catalogue, DCAT.themeTaxonomy, URIRef(EU_AUTHORITY + "data-theme"))
        self._languages(catalogue)
        if self.modified is not None:
            self._add(catalogue, DCTERMS.modified, Literal(self.modified, datatype=XSD.dateTime))
        self._agent()
        self._contact_point()
        self._data_service()
        for dataset in DATASETS:
            self._add(catalogue, DCAT.dataset, self._dataset(dataset))
        self._add(catalogue, DCAT.service, self.service)
        return g

    def _languages(self, subject) -> None:
        for _language, code in LANGUAGES:
            self._add(subject, DCTERMS.language, URIRef(f"{EU_AUTHORITY}language/{code}"))

    def _agent(self) -> None:
        publisher, node = publisher_of(self.config), self.publisher
        self._add(node, RDF.type, FOAF.Agent)
        self._add(node, FOAF.name, Literal(publisher.name))
        self._add(node, FOAF.homepage, URIRef(publisher.url))
        if publisher.type:
            self._add(node, DCTERMS.type, URIRef(ADMS_PUBLISHER_TYPE + publisher.type))

    def _contact_point(self) -> None:
        publisher, node = publisher_of(self.config), self.contact
        self._add(node, RDF.type, VCARD.Organization)
        self._add(node, VCARD.fn, Literal(publisher.name))
        if publisher.email:
            self._add(node, VCARD.hasEmail, URIRef("mailto:" + publisher.email))
        self._add(node, VCARD.hasURL, self._url("/data"))

    def _licence(self, licence: Licence) -> URIRef:
        node = self._url(licence.url)
        self._add(node, RDF.type, DCTERMS.LicenseDocument)
        if licence == CC_BY_4_0:
            self._add(node, DCTERMS.type, ADMS_LICENCE_TYPE.Attribution)
            self._add(node, RDFS.label, Literal(licence.name))
        else:
            self._texts(
                node,
                RDFS.label,
                _l(
                    "The forum's terms: the authors keep their copyright; quoting with a link "
                    "to the forum is allowed, other reuse needs the author's permission"
                ),
            )
        return node

    def _data_service(self) -> None:
        node = self.service
        self._add(node, RDF.type, DCAT.DataService)
        self._texts(node, DCTERMS.title, _l("Tillsammans forum JSON API"))
        self._texts(
            node,
            DCTERMS.description,
            _l("A read-only JSON API with cursor pagination, described by an OpenAPI document."),
        )
        self._add(node, DCAT.endpointURL, self._url(API_PATH))
        self._add(node, DCAT.endpointDescription, self._url(OPENAPI_PATH))
        self._add(node, DCTERMS.conformsTo, OPENAPI_3_1)
        self._add(node, DCAT.landingPage, self._url(DICTIONARY_PATH))
        self._add(node, DCTERMS.publisher, self.publisher)
        self._add(node, DCAT.contactPoint, self.contact)
        self._add(node, DCTERMS.accessRights, URIRef(EU_AUTHORITY + "access-right/PUBLIC"))
        for dataset in DATASETS:
            if any(d.is_api for d in dataset.distributions):
                self._add(node, DCAT.servesDataset, self._node(dataset.name))

    def _dataset(self, dataset: Dataset) -> URIRef:
        node = self._node(dataset.name)
        self._add(node, RDF.type, DCAT.Dataset)
        self._texts(node, DCTERMS.title, dataset.title)
        self._texts(node, DCTERMS.description, dataset.description)
        for keyword in dataset.keywords:
            self._texts(node, DCAT.keyword, keyword)
        self._add(node, DCTERMS.publisher, self.publisher)
        self._add(node, DCAT.contactPoint, self.contact)
        licence = self._licence(dataset.licence)
        self._add(node, DCTERMS.license, licence)
        self._add(node, DCTERMS.accessRights, URIRef(EU_AUTHORITY + "access-right/PUBLIC"))
        frequency = URIRef(f"{EU_AUTHORITY}frequency/{dataset.frequency}")
        self._add(node, DCTERMS.accrualPeriodicity, frequency)
        for code in DATA_THEMES:
            self._add(node, DCAT.theme, URIRef(f"{EU_AUTHORITY}data-theme/{code}"))
        self._languages(node)
        self._add(node, DCAT.landingPage, self._url(dataset.landing_path))
        for distribution in dataset.distributions:
            self._add(node, DCAT.distribution, self._distribution(dataset, distribution, licence))
        return node

    def _distribution(self, dataset: Dataset, distribution: Distribution, licence) -> URIRef:
        node = self._node(f"{dataset.name}-{distribution.key}")
        url = self._url(distribution.path)
        self._add(node, RDF.type, DCAT.Distribution)
        self._texts(node, DCTERMS.title, distribution.label)
        self._add(node, DCAT.accessURL, url)
        self._add(node, DCTERMS.license, licence)
        self._add(node, DCTERMS.format, Literal(distribution.media_type))
        if distribution.media_type not in NOT_AT_IANA:
            self._add(node, DCAT.mediaType, URIRef(IANA + distribution.media_type))
        if distribution.is_api:
            self._add(node, DCAT.accessService, self.service)
        else:
            self._add(node, DCAT.downloadURL, url)
        if distribution.is_dump:
            self._add(node, DCAT.compressFormat, URIRef(IANA + "application/gzip"))
        return node


def catalogue_graph(*, modified: datetime | None = None) -> Graph:
    """The catalogue as an rdflib graph (needs a request context: it renders both languages)."""
    config = current_app.config
    return CatalogueBuilder(base=config["SERVER_URL"], config=config, modified=modified).build()


def serialize(graph: Graph, media_type: str) -> bytes:
    if media_type == "application/ld+json":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    else:
        text = graph.serialize(format="turtle")
    return text.encode("utf-8")
