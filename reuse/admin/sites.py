"""Sites and their closures; administrators add staff to a site here."""

from django.contrib import admin

from reuse.models import Site, SiteClosure


class SiteClosureInline(admin.TabularInline):
    model = SiteClosure
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "opening_days", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["staff"]
    inlines = [SiteClosureInline]
