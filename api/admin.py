"""API tokens in the admin: administrators create them (the token is shown once, on the page that
follows), see when each was last used, and revoke them. A token is never edited or deleted: revoking
keeps the record of who had access."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from api.models import ApiToken, TokenScope
from api.services import DEFAULT_DAYS, MAX_DAYS, api_token_create, api_token_revoke
from core.errors import DomainError
from core.roles import user_roles


class ApiTokenAddForm(forms.ModelForm):
    days = forms.IntegerField(label="Expires after (days)", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)

    class Meta:
        model = ApiToken
        fields = ["name", "user", "scope"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_active or not user_roles(user):
            raise forms.ValidationError(
                "This member of staff has no role (or is inactive): the token could do nothing."
            )
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "prefix", "state", "created_at", "expires_at", "last_used_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke"]
    readonly_fields = [
        "name",
        "user",
        "scope",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["name", "user", "scope", "days"] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False if obj is not None and request.method == "POST" else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            row, token = api_token_create(
                user=data["user"], name=data["name"], scope=data["scope"], days=data["days"], actor=request.user
            )
        except DomainError as error:  # the form checked these; a race (the role removed meanwhile) lands here
            raise forms.ValidationError(error.message) from None
        obj.__dict__.update({f.attname: getattr(row, f.attname) for f in ApiToken._meta.concrete_fields})
        obj._state.adding = False
        request._relay_new_token = token

    def response_add(self, request, obj, post_url_continue=None):
        token = getattr(request, "_relay_new_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "token": token,
            "row": obj,
            "opts": self.opts,
            "title": "API token created",
        }
        response = TemplateResponse(request, "admin/api/apitoken/created.html", context)
        add_never_cache_headers(response)  # the token must not linger in any cache
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
            count += 1
        self.message_user(request, f"Revoked {count} token{'s' if count != 1 else ''}.", messages.SUCCESS)


__all__ = ["ApiTokenAdmin", "TokenScope"]
