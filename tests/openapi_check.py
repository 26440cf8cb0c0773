"""Ask the JSON API as its OpenAPI document says: every answer a test reads through ``ApiClient``
is checked against the document the forum serves (the operation of its path, the response of
its status, each query parameter declared), so a test cannot pass on an answer the document does
not describe."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate

FORMATS = FormatChecker()


class ApiClient:
    def __init__(self, client):
        self.client = client
        answer = client.get("/api/v1/openapi.json")
        assert answer.status_code == 200
        self.document = answer.get_json()
        validate(self.document)  # a valid OpenAPI 3.1 document
        self.routes = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", path) + "$"), operation["get"])
            for path, operation in self.document["paths"].items()
        ]

    def operation(self, path: str) -> dict | None:
        return next((op for pattern, op in self.routes if pattern.match(path)), None)

    def check(self, schema: dict, body) -> None:
        Draft202012Validator(
            {**schema, "components": self.document["components"]}, format_checker=FORMATS
        ).validate(body)

    def get(self, url: str, status: int = 200, **headers):
        """The answer to ``url`` (a path, or an absolute address from a next link), checked."""
        parts = urlsplit(url)
        path = parts.path
        answer = self.client.get(path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        assert answer.status_code == status, (url, answer.status_code, answer.data[:300])
        operation = self.operation(path)
        if operation is None:  # an address the API does not have: a JSON 404 all the same
            assert status == 404
            self.check({"$ref": "#/components/schemas/Error"}, answer.get_json())
            return answer
        declared = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
        for name, _value in parse_qsl(parts.query):
            assert name in declared, (url, name)
        response = operation["responses"][str(status)]
        if "content" in response:
            assert answer.mimetype == "application/json"
            self.check(response["content"]["application/json"]["schema"], answer.get_json())
        else:
            assert answer.data == b""
        return answer

    def walk(self, url: str) -> list[dict]:
        """Every object of a list, page after page by the next links."""
        found = []
        while url:
            body = self.get(url).get_json()
            found += body["data"]
            url = body["next"]
        return found
