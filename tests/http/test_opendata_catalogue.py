"""/data and its DCAT-AP-SE catalogue: the page in both languages, the catalogue read back by
rdflib in Turtle and JSON-LD (the same graph), checked with pySHACL against the profile's
mandatory and recommended properties (``tests/data/dcat-ap-se.shapes.ttl``), conditional GET,
content negotiation, and every download it names answering."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from forum import create_app
from forum.opendata.datasets import DATASETS
from tests.conftest import migrate_and_seed
from tests.unit.test_optional_imports import _modules_after_a_request

SHAPES = Graph().parse(Path(__file__).parent.parent / "data" / "dcat-ap-se.shapes.ttl")
VCARD_EMAIL = URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")
PUBLISHER = {
    "PUBLISHER_NAME": "Malmö stad, Tillsammans 2030",
    "PUBLISHER_URL": "https://malmo.se/",
    "CONTACT_EMAIL": "oppnadata@example.org",
    "SERVER_URL": "https://forum.example.org",
}


@pytest.fixture
def publisher_app(app_settings):
    application = create_app({**app_settings, **PUBLISHER})
    yield application
    application.extensions["forum_engine"].dispose()


def catalogue(client, extension: str) -> Graph:
    answer = client.get(f"/data/catalog.{extension}")
    assert answer.status_code == 200
    media_type = {"ttl": "text/turtle", "jsonld": "application/ld+json"}[extension]
    assert answer.mimetype == media_type
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    with warnings.catch_warnings():
        # rdflib 7.6's own JSON-LD parser builds the ConjunctiveGraph it has deprecated
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=answer.get_data(as_text=True), format=media_type)


def shacl(graph: Graph) -> tuple[bool, str]:
    conforms, _report, text = validate(graph, shacl_graph=SHAPES, allow_warnings=False)
    return conforms, text


def test_turtle_and_json_ld_hold_the_same_graph(publisher_app):
    client = publisher_app.test_client()
    turtle, json_ld = catalogue(client, "ttl"), catalogue(client, "jsonld")
    assert len(turtle) > 100
    assert isomorphic(turtle, json_ld)


def test_the_catalogue_meets_dcat_ap_se(publisher_app):
    graph = catalogue(publisher_app.test_client(), "ttl")
    conforms, text = shacl(graph)
    assert conforms, text
    [root] = graph.subjects(RDF.type, DCAT.Catalog)
    assert root == URIRef("https://forum.example.org/data/catalog")
    [publisher] = graph.objects(root, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Malmö stad, Tillsammans 2030")
    assert graph.value(publisher, FOAF.homepage) == URIRef("https://malmo.se/")
    emails = set(graph.objects(None, VCARD_EMAIL))
    assert emails == {URIRef("mailto:oppnadata@example.org")}


def test_each_dataset_in_both_languages_with_licence_frequency_and_distributions(publisher_app):
    graph = catalogue(publisher_app.test_client(), "ttl")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert {str(d).rsplit("#", 1)[1] for d in datasets} == {d.name for d in DATASETS}
    eu = "http://publications.europa.eu/resource/authority/"
    for dataset in datasets:
        titles = {t.language: str(t) for t in graph.objects(dataset, DCTERMS.title)}
        assert set(titles) == {"sv", "en"} and titles["sv"] != titles["en"]
        frequency = str(graph.value(dataset, DCTERMS.accrualPeriodicity))
        assert frequency.startswith(eu + "frequency/")
        themes = graph.objects(dataset, DCAT.theme)
        assert all(str(theme).startswith(eu + "data-theme/") for theme in themes)
        assert {k.language for k in graph.objects(dataset, DCAT.keyword)} == {"sv", "en"}
    licence = {str(d).rsplit("#", 1)[1]: str(graph.value(d, DCTERMS.license)) for d in datasets}
    cc_by = "https://creativecommons.org/licenses/by/4.0/"
    terms = "https://forum.example.org/terms"
    assert licence == {"lessons": cc_by, "projects": cc_by, "threads": terms, "events": terms}
    [service] = graph.subjects(RDF.type, DCAT.DataService)
    api = "https://forum.example.org/api/v1/"
    assert graph.value(service, DCAT.endpointURL) == URIRef(api)
    assert graph.value(service, DCAT.endpointDescription) == URIRef(api + "openapi.json")
    served = {str(d).rsplit("#", 1)[1] for d in graph.objects(service, DCAT.servesDataset)}
    assert served == {d.name for d in DATASETS}  # the API has a list of each, events too
    dumps = {str(u) for u in graph.objects(None, DCAT.downloadURL) if "/data/dumps/" in str(u)}
    assert dumps == {f"https://forum.example.org/data/dumps/{d.name}.jsonl.gz" for d in DATASETS}


def test_the_shapes_refuse_a_catalogue_without_its_mandatory_properties(publisher_app):
    """The shapes can fail: without a contact address, or a dataset without its English title."""
    graph = catalogue(publisher_app.test_client(), "ttl")
    graph.remove((None, VCARD_EMAIL, None))
    conforms, text = shacl(graph)
    assert not conforms and "hasEmail" in text
    graph = catalogue(publisher_app.test_client(), "ttl")
    lessons = URIRef("https://forum.example.org/data/catalog#lessons")
    english = [t for t in graph.objects(lessons, DCTERMS.title) if t.language == "en"]
    graph.remove((lessons, DCTERMS.title, english[0]))
    conforms, text = shacl(graph)
    assert not conforms and "title" in text


def test_without_a_contact_address_the_catalogue_points_to_the_data_page(client):
    graph = catalogue(client, "ttl")
    assert not set(graph.objects(None, VCARD_EMAIL))
    conforms, text = shacl(graph)
    assert not conforms and "hasEmail" in text  # the README says: set FORUM_CONTACT_EMAIL


def test_conditional_get_and_content_negotiation(client):
    first = client.get("/data/catalog.ttl")
    again = client.get("/data/catalog.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    json_ld = client.get("/data/catalog", headers={"Accept": "application/ld+json"})
    assert json_ld.status_code == 200 and json_ld.mimetype == "application/ld+json"
    assert "Accept" in json_ld.headers["Vary"]
    turtle = client.get("/data/catalog", headers={"Accept": "*/*"})
    assert turtle.mimetype == "text/turtle" and turtle.data == first.data
    browser = client.get("/data/catalog", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["Location"].endswith("/data")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", ("Öppna data", "Licenser", "Fullständiga dumpar", "Katalog (DCAT-AP-SE)")),
        ("en", ("Open data", "Licences", "Full dumps", "Catalogue (DCAT-AP-SE)")),
    ],
)
def test_the_data_page_in_both_languages(client, lang, words):
    page = client.get(f"/data?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    for word in words:
        assert word in page
    for path in (
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/dictionary",
        "/data/catalog.ttl",
        "/data/catalog.jsonld",
        "/data/dumps/lessons.jsonl.gz",
        "/projects.csv",
        "/threads.atom",
        "https://creativecommons.org/licenses/by/4.0/",
        'href="/terms"',
    ):
        assert path in page
    fragment = client.get(f"/data?lang={lang}", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)


def test_the_footer_links_to_the_data_page(client):
    assert 'href="/data"' in client.get("/").get_data(as_text=True)


def test_every_download_the_catalogue_names_answers(client, runner):
    """Feeds, exports and (once written) the dumps; the API is another area's, and only named."""
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    for dataset in DATASETS:
        for distribution in dataset.distributions:
            if distribution.is_api:
                continue
            with client.get(distribution.path) as answer:
                assert answer.status_code == 200, distribution.path
                assert answer.mimetype == distribution.media_type, distribution.path


def test_a_new_dump_dates_the_catalogue_and_changes_its_etag(client, runner):
    before = client.get("/data/catalog.ttl")
    assert not set(catalogue(client, "ttl").objects(None, DCTERMS.modified))
    assert runner.invoke(args=["forum", "dump"]).exit_code == 0
    after = client.get("/data/catalog.ttl", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    [modified] = catalogue(client, "ttl").objects(None, DCTERMS.modified)
    assert modified.datatype == URIRef("http://www.w3.org/2001/XMLSchema#dateTime")


PROBE = """
import json, sys
from forum import create_app
client = create_app().test_client()
seen = []
for path in ("/", "/data", "/data/catalog.ttl"):
    assert client.get(path).status_code == 200, path
    seen.append("rdflib" in sys.modules)
print(json.dumps(seen))
"""


def test_rdflib_is_loaded_by_the_first_catalogue_not_by_every_worker(tmp_path):
    migrate_and_seed(f"sqlite:///{tmp_path / 'forum.db'}")  # the database the probe's app opens
    loaded = _modules_after_a_request(tmp_path, PROBE, JOBS_WORKER="false")
    assert loaded == [False, False, True]


def test_the_catalogue_and_the_about_page_name_the_same_operator(app_settings):
    """One reading of the settings: a name left blank in the environment is the default on both,
    never an empty publisher in the catalogue beside a named one on /about."""
    settings = {**PUBLISHER, "PUBLISHER_NAME": "  ", "CONTACT_EMAIL": " skriv@example.org "}
    application = create_app({**app_settings, **settings})
    try:
        client = application.test_client()
        about = client.get("/about?lang=en").get_data(as_text=True)
        graph = catalogue(client, "ttl")
    finally:
        application.extensions["forum_engine"].dispose()
    assert '<a href="https://malmo.se/">Tillsammans forum</a>' in about
    assert 'href="mailto:skriv@example.org"' in about
    agent = next(graph.subjects(RDF.type, FOAF.Agent))
    assert set(graph.objects(agent, FOAF.name)) == {Literal("Tillsammans forum")}
    assert set(graph.objects(agent, FOAF.homepage)) == {URIRef("https://malmo.se/")}
    assert set(graph.objects(None, VCARD_EMAIL)) == {URIRef("mailto:skriv@example.org")}


def test_the_catalogue_kept_in_the_process_follows_the_settings(app_settings):
    """The built catalogue is kept per process under the settings it names: two forums in one
    process (or one restarted with a new contact) never share a copy."""
    answers = []
    for email in ("forsta@example.org", "andra@example.org"):
        application = create_app({**app_settings, **PUBLISHER, "CONTACT_EMAIL": email})
        try:
            answers.append(catalogue(application.test_client(), "ttl"))
        finally:
            application.extensions["forum_engine"].dispose()
    assert [set(graph.objects(None, VCARD_EMAIL)) for graph in answers] == [
        {URIRef("mailto:forsta@example.org")},
        {URIRef("mailto:andra@example.org")},
    ]
