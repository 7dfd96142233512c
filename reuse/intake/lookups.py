"""`field__any=[...]`: membership in a long list, as one array parameter on PostgreSQL.

`__in` with 10,000 values sends 10,000 parameters; PostgreSQL's `= ANY(%s)` takes the list as one array
and is several times quicker to send and plan. Elsewhere it is the ordinary IN. Used by the import's
duplicate check.
"""

from django.db.models import CharField, Lookup


@CharField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]
