"""The JSON API under /api/v1/: devices (list, read, look up, register at intake), their custody events
and wipe records, loans, sites, and the open datasets. Each endpoint applies the pages' roles and branch
scoping; views call services and never change a status themselves."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import DeviceFilter, LoanFilter, RequestFilter
from api.pagination import EventCursor
from api.permissions import TokenScopeAllows, role
from api.problems import InvalidQuery
from api.serializers import (
    DeviceCreateSerializer,
    DeviceSerializer,
    EventSerializer,
    LoanSerializer,
    RequestSerializer,
    SiteSerializer,
    WipeSerializer,
)
from api.throttles import AddressThrottle
from core.models import AccessChannel
from core.privacy import log_access_many
from core.roles import COORDINATOR, DESK, IT
from insights.datasets import DATASETS, LICENCE
from insights.selectors import last_updated
from lending.models import Loan
from matching.models import REQUEST_READERS, Allocation, CommunityRequest, RequestLine, sees_request_contacts
from reuse.models import Device, SanitisationRecord, Site, StorageMedium
from reuse.services.intake import device_receive

DEVICE_READERS = (IT, DESK, COORDINATOR)  # as the device pages: role_required(IT, DESK, COORDINATOR)


@extend_schema(tags=["devices"])
class DeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Devices the token's user may see: every site for IT, coordinators and administrators, their own
    sites for library desk staff."""

    serializer_class = DeviceSerializer
    filterset_class = DeviceFilter
    lookup_field = "asset_tag"
    lookup_value_regex = "[^/]+"

    def get_permissions(self):
        writers = (IT,) if self.action == "create" else DEVICE_READERS
        return [TokenScopeAllows(), role(*writers)()]

    def get_queryset(self):
        return (
            Device.objects.visible_to(self.request.user)
            .select_related("site")
            .prefetch_related(Prefetch("media", StorageMedium.objects.order_by("id")))
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), asset_tag=str(self.kwargs["asset_tag"]).strip().upper())

    @extend_schema(summary="List devices", description="Cursor-paginated, as deep as the data goes.")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Read one device by its asset tag")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Register a device at intake",
        description="Needs an IT technician's token with the write scope. The same checks as the intake page: "
        "a refusal is a 400 naming each field (`errors[].pointer`), or a 409 with the rule's `code`.",
        request=DeviceCreateSerializer,
        responses={201: DeviceSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = DeviceCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        form, media = payload.validated_data["form"], payload.validated_data["media"]
        device = device_receive(
            actor=request.user,
            site=payload.validated_data["site"],
            fields=form.device_fields(),
            media=media.media(),
            asset_tag=form.cleaned_data["label"],
        )
        body = DeviceSerializer(self.get_queryset().get(pk=device.pk), context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

    @extend_schema(
        summary="Find one device by asset tag or serial number",
        parameters=[
            OpenApiParameter("asset_tag", OpenApiTypes.STR, description="The whole asset tag, e.g. RLY-000123."),
            OpenApiParameter("serial", OpenApiTypes.STR, description="The whole serial number (or IMEI)."),
        ],
        filters=False,
        responses={200: DeviceSerializer, 404: OpenApiResponse(description="No device this token may see")},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def lookup(self, request):
        tag, serial = request.query_params.get("asset_tag", "").strip(), request.query_params.get("serial", "").strip()
        if bool(tag) == bool(serial):
            raise InvalidQuery({"asset_tag": ["Give either asset_tag or serial, not both and not neither."]})
        devices = self.get_queryset()
        if tag:
            device = get_object_or_404(devices, asset_tag=tag.upper())
        else:
            device = devices.filter(serial=serial).first() or get_object_or_404(devices, imei=serial)
        return Response(self.get_serializer(device).data)

    @extend_schema(
        summary="A device's custody events, oldest first", responses={200: EventSerializer(many=True)}, filters=False
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=EventCursor)
    def events(self, request, asset_tag=None):
        device = self.get_object()
        page = self.paginate_queryset(device.events.select_related("site", "actor"))
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(
        summary="A device's wipe records, newest first", responses={200: WipeSerializer(many=True)}, filters=False
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def wipes(self, request, asset_tag=None):
        device = self.get_object()
        records = SanitisationRecord.objects.filter(device=device).select_related(
            "medium", "operator", "verified_by", "evidence"
        )
        return Response(WipeSerializer(records.order_by("-ended_at", "-pk"), many=True).data)


@extend_schema(tags=["loans"])
class LoanViewSet(viewsets.ReadOnlyModelViewSet):
    """Loans at the branches the token's user works at the desk (administrators: every branch). Each read
    of a borrower's name is written to the personal-data access log."""

    serializer_class = LoanSerializer
    filterset_class = LoanFilter

    def get_permissions(self):
        return [TokenScopeAllows(), role(DESK)()]

    def get_queryset(self):
        return Loan.objects.at_desks_of(self.request.user).select_related("device", "site", "borrower")

    def _logged(self, loans, what: str):
        log_access_many(
            actor=self.request.user, subjects=[loan.borrower for loan in loans], channel=AccessChannel.API, what=what
        )

    @extend_schema(summary="List loans")
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._logged(page, "API: loan list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Read one loan")
    def retrieve(self, request, *args, **kwargs):
        loan = self.get_object()
        self._logged([loan], "API: loan")
        return Response(self.get_serializer(loan).data)


@extend_schema(tags=["requests"])
class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Community requests, with their lines and allocations: for coordinators and administrators (every
    branch: coordinators match across the council). The contact's details and accessibility needs only for
    coordinators, and each read of them is written to the personal-data access log."""

    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_permissions(self):
        return [TokenScopeAllows(), role(*REQUEST_READERS)()]

    def get_queryset(self):
        return (
            CommunityRequest.objects.visible_to(self.request.user)
            .select_related("organisation", "collection_site")
            .prefetch_related(
                Prefetch("lines", RequestLine.objects.order_by("pk")),
                Prefetch("allocations", Allocation.objects.select_related("device", "handover").order_by("pk")),
            )
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), reference=str(self.kwargs["reference"]).strip().upper())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "contacts": sees_request_contacts(self.request.user)}

    def _logged(self, requests, what: str):
        if sees_request_contacts(self.request.user):
            log_access_many(actor=self.request.user, subjects=requests, channel=AccessChannel.API, what=what)

    @extend_schema(summary="List community requests", description="Cursor-paginated, oldest first.")
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._logged(page, "API: request list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Read one community request by its reference")
    def retrieve(self, request, *args, **kwargs):
        req = self.get_object()
        self._logged([req], "API: request")
        return Response(self.get_serializer(req).data)


@extend_schema(tags=["sites"])
class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    """Sites the token's user may see, with the codes the other endpoints take."""

    serializer_class = SiteSerializer
    lookup_field = "code"
    pagination_class = None
    filterset_class = None

    def get_permissions(self):
        return [TokenScopeAllows(), role(IT, DESK, COORDINATOR)()]

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user).order_by("code")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=str(self.kwargs["code"]).upper())


@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """What any path under /api/v1/ that no endpoint matches answers: a problem+json 404."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressThrottle]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound("No endpoint has this address.")


DATASET_SUMMARY = inline_serializer(
    "OpenDataIndex",
    {
        "last_updated": serializers.DateTimeField(allow_null=True),
        "licence": inline_serializer(
            "Licence",
            {"name": serializers.CharField(), "title": serializers.CharField(), "path": serializers.URLField()},
        ),
        "datapackage": serializers.URLField(),
        "datasets": inline_serializer(
            "OpenDataset",
            {
                "name": serializers.CharField(),
                "title": serializers.CharField(),
                "description": serializers.CharField(),
                "url": serializers.URLField(),
                "csv": serializers.URLField(),
                "json": serializers.URLField(),
            },
            many=True,
        ),
    },
)
DATASET_DOCUMENT = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="The dataset: its Frictionless description (title, licence, last_updated, schema) and `data`, "
    "its rows, exactly as in the JSON download.",
)


class OpenDataView(APIView):
    """Open data needs no token: aggregate figures, nothing personal."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressThrottle]


@extend_schema(tags=["open data"])
class OpenDataIndex(OpenDataView):
    @extend_schema(
        summary="The open datasets", responses={200: DATASET_SUMMARY}, auth=[], operation_id="open_data_index"
    )
    def get(self, request):
        url = request.build_absolute_uri
        return Response(
            {
                "last_updated": last_updated(),
                "licence": LICENCE,
                "datapackage": url("/open-data/datapackage.json"),
                "datasets": [
                    {
                        "name": d.name,
                        "title": d.title,
                        "description": d.description,
                        "url": url(f"/api/v1/open-data/{d.name}/"),
                        "csv": url(f"/open-data/{d.name}.csv"),
                        "json": url(f"/open-data/{d.name}.json"),
                    }
                    for d in DATASETS.values()
                ],
            }
        )


@extend_schema(tags=["open data"])
class OpenDataset(OpenDataView):
    @extend_schema(
        summary="One open dataset",
        operation_id="open_data_dataset",
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(DATASETS))],
        responses={200: DATASET_DOCUMENT},
        auth=[],
    )
    def get(self, request, name: str):
        dataset = DATASETS.get(name)
        if dataset is None:
            raise NotFound(f"No dataset is called {name!r}.")
        return Response(dataset.document(last_updated()))
