import re

from tests.store.factories import tshirt


def test_crud_round_trip(client):
    r = client.post("/api/catalog/products", json=tshirt("API-1"))
    assert r.status_code == 201
    pid = r.json()["id"]
    assert client.get(f"/api/catalog/products/{pid}").json()["variants"][1]["price"] == "85.00"

    r = client.patch(f"/api/catalog/products/{pid}", json={"price": "59.00", "status": "draft"})
    assert r.status_code == 200 and r.json()["price"] == "59.00" and r.json()["status"] == "draft"

    listing = client.get("/api/catalog/products", params={"category": "服装"}).json()
    assert listing["total"] == 1 and listing["items"][0]["sku"] == "API-1"
    assert client.get("/api/catalog/categories").json() == {"items": [{"category": "服装", "products": 1}]}

    assert client.delete(f"/api/catalog/products/{pid}").status_code == 204
    assert client.get(f"/api/catalog/products/{pid}").status_code == 404


def test_a_price_change_warns_about_variants_left_at_the_old_price(client):
    variants = [
        {"sku": "PX-WH-M", "color": "白色", "size": "M", "price": "69.00", "stock": 3},
        {"sku": "PX-WH-L", "color": "白色", "size": "L", "price": "69.00", "stock": 3},
        {"sku": "PX-BK-L", "color": "黑色", "size": "L", "price": "75.00", "stock": 3},  # its own price: not stale
        {"sku": "PX-BK-M", "color": "黑色", "size": "M", "stock": 3},  # follows the product
    ]
    pid = client.post("/api/catalog/products", json=tshirt("PX", price="69.00", variants=variants)).json()["id"]
    r = client.patch(f"/api/catalog/products/{pid}", json={"price": "65.00"})
    assert r.status_code == 200, r.text
    [warning] = r.json()["warnings"]
    assert warning["type"] == "variant_price_stale" and warning["variants"] == ["PX-WH-M", "PX-WH-L"]
    assert (warning["old_price"], warning["price"]) == ("69.00", "65.00")
    assert "69.00" in warning["message"] and "2 个规格" in warning["message"]
    assert client.patch(f"/api/catalog/products/{pid}", json={"title": "新标题"}).json()["warnings"] == []

    r = client.post(f"/api/catalog/products/{pid}/variant-prices/inherit", json={"price": "69.00"})
    assert r.status_code == 200, r.text
    assert r.json()["updated"] == ["PX-WH-M", "PX-WH-L"]
    prices = {v["sku"]: v["price"] for v in client.get(f"/api/catalog/products/{pid}").json()["variants"]}
    assert prices == {"PX-WH-M": None, "PX-WH-L": None, "PX-BK-L": "75.00", "PX-BK-M": None}
    assert client.patch(f"/api/catalog/products/{pid}", json={"price": "60.00"}).json()["warnings"] == []


def test_conflict_on_duplicate_sku(client):
    assert client.post("/api/catalog/products", json=tshirt("DUP")).status_code == 201
    r = client.post("/api/catalog/products", json=tshirt("DUP"))
    assert r.status_code == 409 and r.json()["error"]["type"] == "conflict"


def test_invalid_patch_changes_nothing(client):
    pid = client.post("/api/catalog/products", json=tshirt("P-1")).json()["id"]
    r = client.patch(f"/api/catalog/products/{pid}", json={"variants": [{"sku": "P-1-Z", "size": "4XL", "stock": 1}]})
    assert r.status_code == 422 and "4XL" in r.json()["error"]["message"]
    assert [v["sku"] for v in client.get(f"/api/catalog/products/{pid}").json()["variants"]] == ["P-1-WH-M", "P-1-WH-L"]
    r = client.patch(f"/api/catalog/products/{pid}", json={"title": None})
    assert r.status_code == 422


def test_import_endpoint_reports_lines(client):
    good = '{"sku":"I-1","title":"杯子","category":"家居","price":"9.90"}\n'
    bad = good + '{"sku":"I-2","title":"杯子","category":"家居","price":"x"}\n'
    r = client.post("/api/catalog/import", files={"file": ("c.jsonl", bad.encode(), "application/x-ndjson")})
    assert r.status_code == 422
    assert r.json()["error"]["detail"][0]["line"] == 2
    assert r.json()["error"]["message"].startswith("c.jsonl line 2: ")  # the shopper's file, not the server's copy
    assert client.get("/api/catalog/products").json()["total"] == 0
    r = client.post("/api/catalog/import", files={"file": ("c.jsonl", good.encode(), "application/x-ndjson")})
    assert r.json() == {"created": 1, "updated": 0, "total": 1}


def test_healthz_and_offline_docs(client):
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["database"] == "sqlite" and h["llm_backend"] == "fake"
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs
    assert not re.search(r'(?:src|href)="(?:https?:)?//', docs)  # no CDN (the nonce is random text)
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert "/api/catalog/products" in client.get("/openapi.json").json()["paths"]
