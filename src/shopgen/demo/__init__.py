"""The demo shop shipped with shopgen: catalog, knowledge base and orders (see data/README.md)."""
