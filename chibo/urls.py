from django.urls import include, path

from chibo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("csp-report/", views.csp_report, name="csp_report"),
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
    path("api/v1/", include("api.urls")),
]

# The database not answering is a 503 with a page saying so, not a server error (goal S10).
handler500 = "chibo.unavailable.server_error"
