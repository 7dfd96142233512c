from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard-refresh"),
    # /open-data/audit/ belongs to the custody chain's published heads: nothing here may match it.
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/datapackage.json", views.datapackage_json, name="datapackage"),
    path("open-data/method/", views.method, name="method"),
    path("open-data/<slug:name>.csv", views.dataset_csv, name="dataset-csv"),
    path("open-data/<slug:name>.json", views.dataset_json, name="dataset-json"),
]
