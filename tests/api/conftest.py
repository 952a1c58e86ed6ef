import pytest
from fastapi.testclient import TestClient

from shopgen.api import create_app


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c
