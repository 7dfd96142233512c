"""QR asset labels as pure code: sheet geometry (`geometry`), drawing sheets as PDF (`pdf`) and the label
sizes Relay ships with (`seed`). No database access here.

Models live in `reuse.models.labels`, rules in `reuse.services.labels`, pages in `reuse.views.labels`,
like every other topic of the app.
"""
