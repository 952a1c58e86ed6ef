import pytest
from fastapi.testclient import TestClient

from shopgen.server import create_app
from tests.auth import bearer


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    """An API client with an ``operator`` key (catalog and the model playground)."""
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        yield c


@pytest.fixture
def admin_client(app):
    with TestClient(app, headers=bearer(app.state.db, "admin")) as c:
        yield c


@pytest.fixture
def anon(app):
    """No credentials at all."""
    with TestClient(app) as c:
        yield c
