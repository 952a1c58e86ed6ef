"""货 Inventory: sales history, calendars, demand forecasts with intervals, purchase suggestions.

::

    history   parse sales files (bad rows name their line; returns, repeats, gaps reported)
    holidays  Chinese statutory holidays and shopping festivals (a table, no network)
    calendar  the shop's holidays, promotions and live events → per-period features
    repo      the database rows (sales, calendar, purchasing parameters, approved orders)
    panel     sales on a regular day/week/month grid, gaps filled explicitly, features
    forecasters, gbm   the models behind one Protocol and Registry (statsforecast, LightGBM)
    intervals, engine, auto   80% conformal intervals; the shipped default ``auto``
    planning  reorder point, order-up-to, order quantity, live-event stockout risk
    service   the shop's forecast and plan (cached), approvals (audited)
    evaluate, metrics, simulate, effects   ``shopgen inventory eval``
    distributed   many series on Ray

Forecasting needs the ``forecast`` extra (``pip install 'shopgen[forecast]'``).
"""
