"""Emulation campaign pages: the list, a campaign, its form, and the month sheet.

Reading needs the campaign to be visible (campaigns.selectors.visible: launched inside the
user's scope or above it); launching and editing need manage_structure on the launching
organization; the month sheet of an organization needs manage_members on it (a cell
secretary enters their own cell, the commune's staff any cell below). Outside the scope,
404. The sheet saves through campaigns.services.record_results: all or nothing.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import Cap, Level, get_organization
from campaigns import selectors, services, xlsx
from campaigns.forms import CampaignForm
from campaigns.models import first_of_month
from campaigns.services import ResultRow
from dues.forms import parse_month
from organizations.models import Organization
from organizations.selectors import ancestors, sort_nodes


def _require_org_access(request):
    if not request.scope.has_org_access:
        raise Http404


def _add_months(month: dt.date, n: int) -> dt.date:
    k = month.year * 12 + month.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


@login_required
@require_GET
def campaign_list(request):
    """The campaigns the user sees, newest first, and where they may launch one."""
    _require_org_access(request)
    scope = request.scope
    campaigns = list(
        selectors.visible(scope)
        .select_related("organization")
        .annotate(n_results=Count("results"))
        .order_by("-starts_on", "name")
    )
    if scope.is_admin:
        launchers = list(Organization.objects.filter(depth=1).order_by("path"))
    else:
        paths = {g.path for g in scope.grants if g.level >= Level.STAFF}
        roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        launchers = sort_nodes(Organization.objects.filter(path__in=roots)) if roots else []
    return render(
        request,
        "campaigns/list.html",
        {"campaigns": campaigns, "launchers": launchers, "today": timezone.localdate()},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request, uuid):
    org = get_organization(request.scope, uuid, Cap.MANAGE_STRUCTURE)
    form = CampaignForm(request.POST or None)
    form.instance.organization = org
    form.instance.province_id = org.province_id or org.pk
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        messages.success(request, _("Campaign “%(name)s” launched.") % {"name": campaign.name})
        return redirect("campaigns:detail", campaign.uuid)
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "org": org, "ancestors": ancestors(org), "campaign": None},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, uuid):
    campaign = selectors.get_campaign(request.scope, uuid, edit=True)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Campaign “%(name)s” saved.") % {"name": campaign.name})
        return redirect("campaigns:detail", campaign.uuid)
    org = campaign.organization
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "org": org, "ancestors": ancestors(org), "campaign": campaign},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def campaign_detail(request, uuid):
    campaign = selectors.get_campaign(request.scope, uuid)
    scope = request.scope
    org = campaign.organization
    part = selectors.own_part(scope, campaign)
    entries = selectors.entry_points(scope, campaign)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "org": org,
            "ancestors": ancestors(org),
            "part": part,
            "totals": selectors.totals(campaign, part) if part else None,
            "entries": entries,
            "can_edit": scope.can(Cap.MANAGE_STRUCTURE, org),
            "this_month": _default_month(campaign),
        },
    )


def _default_month(campaign) -> dt.date:
    """This month, or the campaign's last (first) month when it has ended (not begun)."""
    month = first_of_month(timezone.localdate())
    if campaign.ends_on and month > campaign.ends_on:
        month = first_of_month(campaign.ends_on)
    return max(month, first_of_month(campaign.starts_on))


def posted_rows(data) -> list[ResultRow]:
    """The rows of a posted sheet (m_<id>, r_<id>, b_<id>, n_<id>), in the posted order."""
    rows = []
    for key in data:
        if key.startswith("o_") and key[2:].isdigit():
            org_id = int(key[2:])
            rows.append(
                ResultRow(
                    org_id=org_id,
                    amount_vnd=data.get(f"m_{org_id}", "")[:30],
                    rice_kg=data.get(f"r_{org_id}", "")[:30],
                    beneficiaries=data.get(f"b_{org_id}", "")[:30],
                    note=data.get(f"n_{org_id}", "")[:300],
                )
            )
    return rows


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def month_sheet(request, uuid, org_uuid):
    """One screen per organization and month: the organization itself and the cells below
    it, with money, rice, people helped and a note; saved all at once."""
    campaign, org, month = _sheet_target(request, uuid, org_uuid)
    error = ""
    status = 200
    rows = None
    if request.method == "POST":
        posted = posted_rows(request.POST)
        try:
            n = services.record_results(campaign, org, month, posted, by=request.user)
        except ValidationError as e:
            error = e.messages
            status = 400
            rows = selectors.month_sheet(campaign, org, month)
            by_id = {r.org_id: r for r in posted}
            for r in rows:
                r.posted = by_id.get(r.org.pk)
        else:
            return _saved(request, campaign, org, month, n)
    if rows is None:
        rows = selectors.month_sheet(campaign, org, month)
    return _render_sheet(request, campaign, org, month, rows, error, status)


def _sheet_target(request, uuid, org_uuid):
    """The campaign (visible), the organization (manage_members on it, inside the campaign,
    else 404) and the month of a sheet (the campaign's current month by default)."""
    campaign = selectors.get_campaign(request.scope, uuid)
    org = get_organization(request.scope, org_uuid, Cap.MANAGE_MEMBERS)
    if not campaign.takes_part(org):
        raise Http404
    month = parse_month(request.POST.get("month") or request.GET.get("month"))
    return campaign, org, month or _default_month(campaign)


def _saved(request, campaign, org, month, n):
    messages.success(
        request,
        _("Results of %(month)s saved (%(n)s changes).") % {"month": f"{month:%m/%Y}", "n": n},
    )
    return redirect(
        reverse("campaigns:sheet", args=[campaign.uuid, org.uuid]) + f"?month={month:%Y-%m}"
    )


def _render_sheet(request, campaign, org, month, rows, error, status):
    this_month = first_of_month(timezone.localdate())
    prev_month, next_month = _add_months(month, -1), _add_months(month, 1)
    return render(
        request,
        "campaigns/sheet.html",
        {
            "campaign": campaign,
            "org": org,
            "ancestors": ancestors(org),
            "month": month,
            "prev_month": prev_month if campaign.covers_month(prev_month) else None,
            "next_month": (
                next_month
                if next_month <= this_month and campaign.covers_month(next_month)
                else None
            ),
            "month_problem": services.check_month(campaign, month, timezone.localdate()),
            "rows": rows,
            "summary": selectors.sheet_summary(rows),
            "errors": error,
            "figures": campaign.figures,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sheet_xlsx(request, uuid, org_uuid):
    """GET: the month sheet as an Excel template (what is recorded filled in). POST: the
    filled file, saved like the sheet (all or nothing; a message per bad row)."""
    campaign, org, month = _sheet_target(request, uuid, org_uuid)
    rows = selectors.month_sheet(campaign, org, month)
    if request.method == "GET":
        return xlsx.template_response(campaign, org, month, rows)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose the Excel file to import."))
        posted = xlsx.read_rows(upload, rows)
        n = services.record_results(campaign, org, month, posted, by=request.user)
    except ValidationError as e:
        return _render_sheet(request, campaign, org, month, rows, e.messages, 400)
    return _saved(request, campaign, org, month, n)
