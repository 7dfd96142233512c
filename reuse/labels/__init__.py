"""QR asset labels: sheet geometry, PDF rendering, forms and background tasks.

Models live in `reuse.models.labels` and business rules in `reuse.services.labels`, like the rest of
the app; this package holds what is particular to drawing labels.
"""
