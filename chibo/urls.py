from django.urls import include, path

from chibo import pwa, views

urlpatterns = [
    path("", views.home, name="home"),
    path("csp-report/", views.csp_report, name="csp_report"),
    # The installable app (docs/offline.md): at the root, so the service worker's scope is the site.
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("sw.js", pwa.service_worker, name="pwa_service_worker"),
    path("offline/", pwa.offline, name="pwa_offline"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("org/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("excel/", include("spreadsheets.urls")),
    path("meetings/", include("meetings.urls")),
    path("admissions/", include("admissions.urls")),
    path("transfers/", include("transfers.urls")),
    path("lifecycle/", include("lifecycle.urls")),
    path("liaison/", include("liaison.urls")),
    path("ratings/", include("ratings.urls")),
    path("dues/", include("dues.urls")),
    path("oversight/", include("oversight.urls")),
    path("quality/", include("quality.urls")),
    path("reports/", include("reports.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("audit/", include("audit.urls")),
    path("guide/", include("guide.urls")),
    path("api/v1/", include("api.urls")),
]

# The database not answering is a 503 with a page saying so, not a server error (goal S10).
handler500 = "chibo.unavailable.server_error"
