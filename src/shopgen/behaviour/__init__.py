"""Shopper behaviour analysis (客户行为分析) over the event store.

::

    analysis   RFM segments, the view → cart → purchase funnel per category and product,
               repeat purchase, weekly cohort retention, segment profiles
    report     ``shopgen behaviour report --out DIR``: an HTML page with PNG charts
"""
