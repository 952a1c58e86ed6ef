"""Shopper behaviour events: one store every capability reads and writes.

An event is ``{id, user, item, type, ts, surface, context, value}``: a shopper (``user``) did
``type`` (view, click, cart, purchase, favorite, impression) to a product (``item``, its SKU) at
``ts``, on a ``surface`` (推荐位, 直播间, 搜索, a copy variant …). Ids make ingest idempotent:
sending the same event twice, or importing the same file again, stores it once.

Modules::

    schema     the validated shape (EventIn), the event types and how ids are derived
    store      the repository: batched idempotent ingest, histories, versions
    formats    file readers: CSV/JSONL, RecBole atomic .inter, Amazon reviews, Taobao UserBehavior
    hub        the plug point: subscribers told after every committed ingest

The plug point: whoever ingests (the API, ``shopgen events import``, the demo loader) publishes
an :class:`~shopgen.events.hub.Ingested` on the one :class:`~shopgen.events.hub.EventHub` the
composition root builds; consumers subscribe there (the recommender drops its cache; an
experiment tracker or the live-room analytics can count impressions the same way) instead of
polling the table.
"""
