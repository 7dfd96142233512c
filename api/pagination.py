"""Cursor pagination: `next` and `previous` links, as far as the data goes. No page count (no COUNT(*) over
the whole table on every page) and no cap on how deep a client may page."""

from rest_framework.pagination import CursorPagination

from api.problems import InvalidQuery


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "pk"

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except Exception:  # DRF raises NotFound; a bad cursor is a bad parameter
            raise InvalidQuery({self.cursor_query_param: ["This cursor is not one the API gave out."]}) from None

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise InvalidQuery({self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]})
        return super().get_page_size(request)


class EventCursor(Cursor):
    ordering = "seq"
