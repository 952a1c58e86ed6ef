"""Database tables. Money is ``Numeric(10, 2)`` (exact ``Decimal``), times are UTC."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

Money = Numeric(10, 2)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Product(Timestamped, Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price >= 0", name="ck_products_price"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), index=True)
    brand: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[str] = mapped_column(String(16), default="active")

    attributes: Mapped[list[ProductAttribute]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductAttribute.position"
    )
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Variant.id"
    )
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )
    size_chart: Mapped[SizeChart | None] = relationship(
        back_populates="product", cascade="all, delete-orphan", uselist=False
    )


class ProductAttribute(Base):
    __tablename__ = "product_attributes"
    __table_args__ = (UniqueConstraint("product_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
    product: Mapped[Product] = relationship(back_populates="attributes")


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="ck_variants_stock"),
        CheckConstraint("price IS NULL OR price >= 0", name="ck_variants_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    color: Mapped[str | None] = mapped_column(String(32))
    size: Mapped[str | None] = mapped_column(String(32))
    price: Mapped[Decimal | None] = mapped_column(Money)  # None: the product's price
    stock: Mapped[int] = mapped_column(Integer, default=0)
    product: Mapped[Product] = relationship(back_populates="variants")


class ProductImage(Base):
    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    alt: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    product: Mapped[Product] = relationship(back_populates="images")


class SizeChart(Base):
    """Body ranges and garment measurements per size; drives size advice."""

    __tablename__ = "size_charts"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), unique=True)
    unit: Mapped[str] = mapped_column(String(8), default="cm")
    product: Mapped[Product] = relationship(back_populates="size_chart")
    rows: Mapped[list[SizeChartRow]] = relationship(
        back_populates="chart", cascade="all, delete-orphan", order_by="SizeChartRow.position"
    )


class SizeChartRow(Base):
    __tablename__ = "size_chart_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    chart_id: Mapped[int] = mapped_column(ForeignKey("size_charts.id", ondelete="CASCADE"), index=True)
    size: Mapped[str] = mapped_column(String(32))
    height_min: Mapped[int | None] = mapped_column(Integer)  # cm
    height_max: Mapped[int | None] = mapped_column(Integer)
    weight_min: Mapped[int | None] = mapped_column(Integer)  # kg
    weight_max: Mapped[int | None] = mapped_column(Integer)
    measurements: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. {"胸围": 100, "衣长": 68}
    position: Mapped[int] = mapped_column(Integer, default=0)
    chart: Mapped[SizeChart] = relationship(back_populates="rows")


class KBEntry(Timestamped, Base):
    """A knowledge-base entry: an FAQ pair or a policy passage."""

    __tablename__ = "kb_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # faq | policy
    topic: Mapped[str] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(String(500))  # for a policy: its title
    answer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200), default="")


class KBSynonym(Timestamped, Base):
    """A group of words the shop's shoppers use for the same thing (``shopgen.assistant.synonyms``):
    a knowledge search for one also looks up the others. ``key`` (the normalised words, sorted)
    keeps the same group from being stored twice."""

    __tablename__ = "kb_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    words: Mapped[list] = mapped_column(JSON, default=list)
    key: Mapped[str] = mapped_column(String(700), unique=True)
    created_by: Mapped[str] = mapped_column(String(80), default="")


class FaqCandidate(Timestamped, Base):
    """A question–answer pair mined from a conversation a human agent resolved.

    ``shopgen assist mine`` creates them as ``pending``; an operator approves (it becomes a
    :class:`KBEntry`, ``kb_entry_id`` points at it) or rejects them. ``source_message_id`` (the
    agent's reply) is unique, so mining the same logs twice adds nothing.
    """

    __tablename__ = "faq_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(32), index=True)
    source_message_id: Mapped[int] = mapped_column(Integer, unique=True)
    question: Mapped[str] = mapped_column(String(500))
    answer: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(32), default="mined")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(80))
    kb_entry_id: Mapped[int | None] = mapped_column(Integer)


class Order(Timestamped, Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)  # the shop's id of the buyer
    customer_name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(24), index=True)
    carrier: Mapped[str | None] = mapped_column(String(32))
    tracking_no: Mapped[str | None] = mapped_column(String(64))
    total: Mapped[Decimal] = mapped_column(Money)
    # self-service verification (assistant.orders): wrong phone digits from any session, and a lock
    verify_failures: Mapped[int] = mapped_column(Integer, default=0)
    verify_locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.id"
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_sku: Mapped[str] = mapped_column(String(64))
    variant_sku: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    order: Mapped[Order] = relationship(back_populates="items")


def new_id() -> str:
    return uuid.uuid4().hex


class Conversation(Timestamped, Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_updated_at", "updated_at"),)  # retention scans by age

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(32), default="web")
    customer: Mapped[str | None] = mapped_column(String(64))  # free text the client sent (unverified)
    customer_id: Mapped[str | None] = mapped_column(String(64))  # from a verified customer token
    state: Mapped[dict | None] = mapped_column(JSON)  # order verification (assistant.orders)
    status: Mapped[str] = mapped_column(String(16), default="bot")  # bot | queued | human | closed
    owner: Mapped[str | None] = mapped_column(String(80))  # who opened it: "key:ID" or "user:NAME"
    agent: Mapped[str | None] = mapped_column(String(80))  # the agent holding it while human
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id"
    )


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # user | assistant | agent | system
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    conversation: Mapped[Conversation] = relationship(back_populates="messages")


@event.listens_for(Message, "after_insert")
def _touch_conversation(_mapper, connection, target: Message) -> None:
    """A new message is activity: retention counts a conversation's age from its last change."""
    table = Conversation.__table__
    connection.execute(update(table).where(table.c.id == target.conversation_id).values(updated_at=utcnow()))


# ---- access control ------------------------------------------------------------------------


class User(Timestamped, Base):
    """A studio account. ``password_hash`` is an argon2id string; ``role`` one of security.roles."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A studio login. Only the sha256 of the cookie's token is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user: Mapped[User] = relationship()


class ApiKey(Base):
    """A machine client's key ``sg_<id>_<secret>``: looked up by ``id``, secret stored as sha256."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64))
    signing_secret: Mapped[str | None] = mapped_column(String(64))  # signs customer tokens (shopper keys)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who changed what. ``detail`` is stored with personal data already masked."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80), index=True)  # user:NAME | key:ID | cli | system
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(48), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(64), default="")


# ---- copywriting -----------------------------------------------------------------------------


class CopyDraft(Timestamped, Base):
    """A piece of product copy waiting for (or past) an operator's review.

    Written by ``POST /api/copy/generate`` with ``save`` and by batch jobs (``job_id``); an
    operator edits (the grounding and compliance checks run again), approves or rejects it.
    ``issues`` are the grounding and form problems left in ``text``, ``compliance`` the
    advertising-law flags found (and rewritten) when it was generated or last edited.
    """

    __tablename__ = "copy_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    audience: Mapped[str | None] = mapped_column(String(64))
    tone: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    text: Mapped[str] = mapped_column(Text)
    issues: Mapped[list] = mapped_column(JSON, default=list)
    compliance: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | approved | rejected
    model: Mapped[str] = mapped_column(String(80), default="")
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(80))


class CopyJob(Timestamped, Base):
    """A batch of product copy (``POST /api/copy/batch``): its parameters and progress.

    Kept in the database so a job outlives the process that ran it: after a restart it reads
    ``interrupted`` and can be resumed (the drafts it wrote stay). ``owner`` names the process
    running it (``host:pid:token``); ``updated_at`` is its heartbeat, bumped after every product.
    """

    __tablename__ = "copy_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running | done | failed | interrupted
    kind: Mapped[str] = mapped_column(String(32))
    audience: Mapped[str | None] = mapped_column(String(64))
    tone: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    category: Mapped[str | None] = mapped_column(String(64))
    limit: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[list] = mapped_column(JSON, default=list)
    model: Mapped[str] = mapped_column(String(80), default="")
    error: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    started_by: Mapped[str | None] = mapped_column(String(80))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CatalogImport(Timestamped, Base):
    """A catalog import (``store.importer``): written in short batches, undone as a whole.

    ``owner`` names the process running it (``host:pid:token``); ``updated_at`` is its heartbeat,
    bumped after every batch. A ``running`` import whose owner is gone is rolled back from its
    undo rows (``catalog_import_undo``) before the next import and when the service starts.
    """

    __tablename__ = "catalog_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running | done | failed | rolled_back
    source: Mapped[str] = mapped_column(String(200), default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str] = mapped_column(String(120), default="")
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CatalogImportUndo(Base):
    """How to undo one product of a running import: its state before (``None``: it was new)."""

    __tablename__ = "catalog_import_undo"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[str] = mapped_column(String(32), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)


# ---- shopper behaviour -----------------------------------------------------------------------


class Event(Base):
    """One shopper action on a product (``shopgen.events``). ``id`` is the sender's event id or
    one derived from the event's content, so ingest is idempotent. ``item_id`` is a product SKU
    but not a foreign key: history outlives a deleted product."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_user_ts", "user_id", "ts"),
        Index("ix_events_item", "item_id"),
        Index("ix_events_ts", "ts"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(16))
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    surface: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float)
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# ---- inventory -------------------------------------------------------------------------------


class SalesDay(Base):
    """Units of one SKU sold (and returned) on one day: derived from orders or imported.

    Demand is ``quantity`` (what was sold); returns are kept apart and reported. Weekly or monthly
    files store one row per period, dated at the period's first day as given in the file.
    """

    __tablename__ = "inventory_sales"
    __table_args__ = (UniqueConstraint("sku", "day"), Index("ix_inventory_sales_day", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    day: Mapped[date] = mapped_column(Date)
    quantity: Mapped[float] = mapped_column(Float, default=0.0)
    returns: Mapped[float] = mapped_column(Float, default=0.0)
    price: Mapped[float | None] = mapped_column(Float)
    promo: Mapped[bool] = mapped_column(Boolean, default=False)
    holiday: Mapped[bool] = mapped_column(Boolean, default=False)
    event: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="import")  # orders | import | demo


class CalendarEntry(Timestamped, Base):
    """A shop's own calendar: a holiday, a promotion (price, dates, SKUs) or a live event
    (room, date, products on stage). ``skus`` empty means every SKU."""

    __tablename__ = "inventory_calendar"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # holiday | promotion | live
    name: Mapped[str] = mapped_column(String(100))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    skus: Mapped[list] = mapped_column(JSON, default=list)
    price: Mapped[float | None] = mapped_column(Float)  # a promotion's price (or None: see discount)
    discount: Mapped[float | None] = mapped_column(Float)  # a promotion's share off, 0.2 = 20% off
    room: Mapped[str | None] = mapped_column(String(64))  # a live event's room


class InventoryItem(Base):
    """Purchasing parameters of one SKU; a SKU without a row uses the settings' defaults."""

    __tablename__ = "inventory_items"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=14)
    review_days: Mapped[int] = mapped_column(Integer, default=7)
    service_level: Mapped[float] = mapped_column(Float, default=0.95)
    moq: Mapped[int] = mapped_column(Integer, default=1)
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    on_order: Mapped[int] = mapped_column(Integer, default=0)  # ordered, not yet received
    stock: Mapped[int | None] = mapped_column(Integer)  # None: the catalog's variant stock


class PurchaseOrder(Timestamped, Base):
    """An order the operator approved (as suggested or edited); ``suggestion`` keeps what the
    plan proposed at the time, so an edit can be compared with it."""

    __tablename__ = "inventory_purchase_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    suggested: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="approved", index=True)  # approved | cancelled
    note: Mapped[str] = mapped_column(Text, default="")
    suggestion: Mapped[dict] = mapped_column(JSON, default=dict)
    decided_by: Mapped[str | None] = mapped_column(String(80))


# ---- labelling -------------------------------------------------------------------------------


class LabelTask(Timestamped, Base):
    """A labelling task (``shopgen.labelling``): texts a person labels in the studio's queue.

    ``kind`` is ``intent`` | ``sentiment`` (one label per text) or ``aspects`` (several).
    ``labels`` is the task's label set, in key order (key 1 picks the first). ``seq`` counts
    the labelling actions, so undo finds the latest one exactly. ``learned_n``: how many labels
    the suggestions last learnt from (0: none yet; ``shopgen.labelling.learn``).
    """

    __tablename__ = "label_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    labels: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(80), default="")
    seq: Mapped[int] = mapped_column(Integer, default=0)
    learned_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LabelItem(Base):
    """One text of a task. ``suggested`` (a label, or a list for aspects) and ``confidence`` are
    the model's; ``final`` is the person's (None: not labelled yet). A skipped item has
    ``skipped`` set and no ``final``; ``seq`` orders labelling actions for undo. ``held_by`` and
    ``held_until``: the person the queue handed it to, and until when no one else is shown it."""

    __tablename__ = "label_items"
    __table_args__ = (Index("ix_label_items_queue", "task_id", "labelled_at", "confidence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("label_tasks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200), default="")
    suggested: Mapped[list | str | None] = mapped_column(JSON)
    confidence: Mapped[float | None] = mapped_column(Float)  # None: not suggested yet
    final: Mapped[list | str | None] = mapped_column(JSON)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    labelled_by: Mapped[str | None] = mapped_column(String(80))
    labelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seq: Mapped[int | None] = mapped_column(Integer)
    held_by: Mapped[str | None] = mapped_column(String(80))
    held_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
