"""Small builders for catalog test data."""


def tshirt(sku: str = "T-100", **over) -> dict:
    data = {
        "sku": sku,
        "title": "纯棉圆领短袖T恤",
        "category": "服装",
        "brand": "棉语",
        "price": "79.00",
        "description": "100%新疆长绒棉，透气柔软。",
        "attributes": {"材质": "100%棉", "领型": "圆领"},
        "variants": [
            {"sku": f"{sku}-WH-M", "color": "白色", "size": "M", "stock": 10},
            {"sku": f"{sku}-WH-L", "color": "白色", "size": "L", "price": "85.00", "stock": 0},
        ],
        "images": [{"url": "/static/demo/fuzhuang.svg", "alt": "白色T恤"}],
        "size_chart": {
            "unit": "cm",
            "rows": [
                {"size": "M", "height": [160, 170], "weight": [50, 60], "measurements": {"胸围": 100}},
                {"size": "L", "height": [170, 178], "weight": [60, 70], "measurements": {"胸围": 106}},
            ],
        },
    }
    data.update(over)
    return data
