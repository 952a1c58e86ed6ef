"""The web studio: server-rendered Chinese pages over the same store and models as the API.

``routes`` holds the page handlers, ``forms`` turns the product form into a validated
``ProductPatch``/``ProductIn`` with Chinese messages, ``queries`` the dashboard figures.
Templates and vendored assets live beside them; nothing is fetched from the internet.
"""
