"""The monthly report on attending cell meetings (báo cáo kết quả dự sinh hoạt chi bộ), issue 5
item 5 and seed 001 (Hàm Yên: the district organization board's monthly summary).

For an organization and a month: the visits made (who, which cell, when), the quality found
(the level observed, and the meeting's own final level), the strengths, shortcomings and
recommendations per cell, the totals (cells visited of the cells below, the levels), and the
cells not visited as the rule requires this quarter. The page reads it directly; the DOCX (HD 36
format, meetings/documents) and XLSX files are written by a background job (oversight/tasks.py).

The DOCX and XLSX are printed party documents: Vietnamese data, not UI strings, so they are not
translated. The data is read in a constant number of queries whatever the size of the area.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from meetings.documents import word
from meetings.documents.content import (
    BLANK,
    Doc,
    Heading,
    SignColumn,
    Table,
    committee_name,
    long_date,
    p,
    percent,
    short_date,
    upper,
)
from meetings.models import REGULAR_KINDS
from organizations.models import Organization, OrgKind, subtree_q
from oversight.board import Period, board_cells, visit_dues
from oversight.models import Visit, VisitKind, VisitStatus
from quality.models import QUALITY_DESC, MeetingScore, QualityLevel
from spreadsheets.xlsx import RowWriter, write_only_workbook

QUALITY_VI = {
    QualityLevel.GOOD: "Tốt",
    QualityLevel.FAIR: "Khá",
    QualityLevel.AVERAGE: "Trung bình",
    QualityLevel.WEAK: "Kém",
}
VISIT_KIND_VI = {
    VisitKind.SUPERVISOR: "Cấp ủy viên theo dõi chi bộ",
    VisitKind.WORKING_GROUP: "Tổ công tác",
    VisitKind.CROSS: "Bí thư chi bộ dự sinh hoạt chéo",
    VisitKind.OTHER: "Cán bộ cấp trên",
}
# Seed 001 reports grassroots cells and cells under grassroots committees apart.
CELL_GROUPS = (
    (OrgKind.GRASSROOTS_CELL, "Chi bộ cơ sở"),
    (OrgKind.CELL, "Chi bộ trực thuộc đảng ủy cơ sở"),
)
PROGRESS_EVERY = 200


@dataclass
class VisitLine:
    visit: Visit
    cell: Organization
    parent: Organization | None
    day: dt.date
    visitor: str
    kind: str
    observed_total: object
    observed_level: str
    final_level: str
    strengths: str
    shortcomings: str
    recommendations: str

    @property
    def observed_label(self) -> str:
        return QualityLevel(self.observed_level).label if self.observed_level else ""

    @property
    def final_label(self) -> str:
        return QualityLevel(self.final_level).label if self.final_level else ""

    @property
    def kind_label(self) -> str:
        return VisitKind(self.kind).label if self.kind in VisitKind.values else ""


@dataclass
class CellFindings:
    cell: Organization
    parent: Organization | None
    strengths: list[str] = field(default_factory=list)
    shortcomings: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


@dataclass
class Unvisited:
    cell: Organization
    parent: Organization | None
    done: int
    required: int


@dataclass
class MonthlyReport:
    org: Organization
    period: Period
    today: dt.date
    lines: list[VisitLine]
    findings: list[CellFindings]
    n_cells: int
    unvisited: list[Unvisited]
    observed: list[dict]
    final_levels: list[dict]  # per cell group: {"label", "levels": [...], "scored"}

    @property
    def visited_cells(self) -> int:
        return len({line.cell.pk for line in self.lines})

    @property
    def visited_pct(self) -> int | None:
        return round(100 * self.visited_cells / self.n_cells) if self.n_cells else None

    @property
    def title(self) -> str:
        return f"Báo cáo kết quả dự sinh hoạt chi bộ tháng {self.period}"

    @property
    def unvisited_groups(self) -> list[tuple[str, list[Unvisited]]]:
        """The cells not visited enough, grouped under their parent ("" for `org` itself)."""
        groups: dict[str, list[Unvisited]] = {}
        for u in self.unvisited:
            parent = u.parent.name if u.parent is not None and u.parent.pk != self.org.pk else ""
            groups.setdefault(parent, []).append(u)
        return list(groups.items())

    @property
    def rows(self) -> int:
        """Rows the files hold: the visits and the cells not visited (the job's progress)."""
        return len(self.lines) + len(self.unvisited)


def _distribution(counts: Counter) -> tuple[list[dict], int]:
    total = sum(counts.values())
    return [
        {
            "level": lv,
            "label": lv.label,
            "vi": QUALITY_VI[lv],
            "n": counts.get(lv, 0),
            "pct": round(100 * counts.get(lv, 0) / total, 1) if total else None,
        }
        for lv in QUALITY_DESC
    ], total


def build_report(org: Organization, period: Period, today: dt.date | None = None) -> MonthlyReport:
    """The month's report for `org` and everything below it. Seven queries."""
    today = today or timezone.localdate()
    cells = board_cells(org, period)
    parents = {c.pk: c.parent for c in cells}
    visits = list(
        Visit.objects.filter(
            subtree_q(org.path, "cell__"),
            status=VisitStatus.REPORTED,
            planned_on__gte=period.first,
            planned_on__lte=period.last,
        )
        .select_related("cell", "visitor", "meeting__quality")
        .order_by("planned_on", "cell__sort_key", "pk")
    )
    lines, findings = [], {}
    for v in visits:
        score = getattr(v.meeting, "quality", None) if v.meeting_id else None
        line = VisitLine(
            visit=v,
            cell=v.cell,
            parent=parents.get(v.cell_id),
            day=v.planned_on,
            visitor=v.visitor.display_name(),
            kind=v.kind,
            observed_total=v.observed_total,
            observed_level=v.observed_level,
            final_level=score.final_level if score is not None else "",
            strengths=v.strengths,
            shortcomings=v.shortcomings,
            recommendations=v.recommendations,
        )
        lines.append(line)
        f = findings.setdefault(v.cell_id, CellFindings(v.cell, line.parent))
        for name in ("strengths", "shortcomings", "recommendations"):
            text = getattr(v, name).strip()
            if text:
                getattr(f, name).append(text)
    dues = visit_dues(org, period, cells)
    unvisited = []
    for c in cells:
        required, done = dues.get(c.pk, (1, 0))
        if done < required:
            unvisited.append(Unvisited(c, c.parent, done=done, required=required))
    observed, _n = _distribution(
        Counter(line.observed_level for line in lines if line.observed_level)
    )
    by_kind = defaultdict(Counter)
    for kind, level, n in (
        MeetingScore.objects.filter(
            subtree_q(org.path, "organization__"),
            period_year=period.year,
            period_month=period.month,
            meeting__kind__in=REGULAR_KINDS,
        )
        .values("organization__kind", "final_level")
        .annotate(n=Count("pk"))
        .values_list("organization__kind", "final_level", "n")
    ):
        by_kind[kind][level] += n
    final_levels = []
    for kind, label in CELL_GROUPS:
        levels, scored = _distribution(by_kind.get(kind, Counter()))
        if scored:
            final_levels.append({"kind": kind, "vi": label, "levels": levels, "scored": scored})
    ordered = sorted(
        findings.values(),
        key=lambda f: (f.parent.sort_key if f.parent else "", f.cell.sort_key),
    )
    return MonthlyReport(
        org=org,
        period=period,
        today=today,
        lines=lines,
        findings=ordered,
        n_cells=len(cells),
        unvisited=unvisited,
        observed=observed,
        final_levels=final_levels,
    )


# ---- the Word file (HD 36) ------------------------------------------------------------------


def _levels_text(levels: list[dict]) -> str:
    return ", ".join(
        f"{lv['vi'].lower()} {lv['n']}"
        + (f" ({percent(lv['pct'])})" if lv["pct"] is not None and lv["n"] else "")
        for lv in levels
    )


def _unvisited_paragraphs(report: MonthlyReport) -> list:
    return [
        p(
            f"- {parent or report.org.name}: "
            + ", ".join(
                u.cell.name + (f" ({u.done}/{u.required} lần)" if u.done else "") for u in cells
            )
            + ".",
            style="item",
        )
        for parent, cells in report.unvisited_groups
    ]


def report_doc(report: MonthlyReport, progress: Callable[[int], None] | None = None) -> Doc:
    org, period = report.org, report.period
    parent = org.parent_org()
    body = [Heading("I. TÌNH HÌNH CHUNG")]
    pct = f" ({percent(report.visited_pct)})" if report.visited_pct is not None else ""
    body.append(
        p(
            f"Trong tháng {period}, cấp ủy viên, cán bộ cấp trên đã dự sinh hoạt "
            f"{len(report.lines)} lượt tại {report.visited_cells}/{report.n_cells} chi bộ{pct}."
        )
    )
    if any(lv["n"] for lv in report.observed):
        body.append(p(f"Chất lượng sinh hoạt qua dự: {_levels_text(report.observed)}."))
    for group in report.final_levels:
        body.append(
            p(
                f"{group['vi']} đã đánh giá chất lượng kỳ sinh hoạt thường kỳ "
                f"({group['scored']} kỳ): {_levels_text(group['levels'])}."
            )
        )
    body.append(
        p(
            f"Số chi bộ chưa được dự sinh hoạt theo quy định trong quý {period.quarter}/"
            f"{period.year}: {len(report.unvisited)}."
        )
    )
    body.append(Heading("II. KẾT QUẢ DỰ SINH HOẠT CHI BỘ"))
    rows = []
    for n, line in enumerate(report.lines, start=1):
        rows.append(
            [
                str(n),
                line.cell.name,
                short_date(line.day),
                line.visitor,
                QUALITY_VI.get(line.observed_level, BLANK),
                QUALITY_VI.get(line.final_level, BLANK),
            ]
        )
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    if rows:
        body.append(
            Table(
                header=[
                    "STT",
                    "Chi bộ",
                    "Ngày dự",
                    "Người dự",
                    "Chất lượng qua dự",
                    "Chi bộ xếp loại",
                ],
                rows=rows,
                widths=[7, 28, 14, 21, 15, 15],
            )
        )
    else:
        body.append(p("Trong tháng không có lượt dự sinh hoạt chi bộ nào được báo cáo."))
    body.append(Heading("III. ƯU ĐIỂM, HẠN CHẾ, KHUYẾT ĐIỂM VÀ KIẾN NGHỊ Ở TỪNG CHI BỘ"))
    for n, f in enumerate(report.findings, start=1):
        body.append(p(f"{n}. {f.cell.name}", style="item"))
        for label, texts in (
            ("Ưu điểm", f.strengths),
            ("Hạn chế, khuyết điểm", f.shortcomings),
            ("Kiến nghị", f.recommendations),
        ):
            if texts:
                body.append(p(f"- {label}: " + " ".join(t.replace("\n", " ") for t in texts)))
    if not report.findings:
        body.append(p("Không có."))
    body.append(
        Heading(
            f"IV. CHI BỘ CHƯA ĐƯỢC DỰ SINH HOẠT THEO QUY ĐỊNH TRONG QUÝ {period.quarter}/{period.year}"
        )
    )
    body += _unvisited_paragraphs(report) or [p("Không có.")]
    if progress:
        progress(report.rows)
    top = org.depth == 1
    return Doc(
        kind="visit_report",
        anchor=f"r-{org.uuid}-{period.year}-{period.month}",
        upper_body=upper(parent.name) if parent is not None else "",
        issuer=upper(committee_name(org)),
        number=f"Số {BLANK}-BC/{'TU' if top else 'ĐU'}",
        place_date=f"{BLANK}, {long_date(report.today)}",
        doc_type="BÁO CÁO",
        summary=f"kết quả dự sinh hoạt chi bộ tháng {period}",
        draft=False,
        body=body,
        left=SignColumn(
            recipients=[
                "- Thường trực cấp ủy (để báo cáo);",
                "- Các chi bộ, đảng bộ trực thuộc;",
                "- Lưu văn phòng.",
            ]
        ),
        right=SignColumn(
            titles=["T/M BAN THƯỜNG VỤ" if org.depth <= 2 else "T/M ĐẢNG ỦY"], name=""
        ),
        date=report.today,
    )


def report_docx(report: MonthlyReport, progress=None) -> bytes:
    return word.write([report_doc(report, progress)])


# ---- the Excel file --------------------------------------------------------------------------


def report_xlsx(report: MonthlyReport, progress: Callable[[int], None] | None = None) -> bytes:
    """Three sheets: the visits, the cells not visited this quarter, the totals."""
    wb = write_only_workbook()
    visits = RowWriter(
        wb,
        "Dự sinh hoạt",
        [
            "STT", "Chi bộ", "Trực thuộc", "Ngày dự", "Người dự", "Tư cách", "Điểm qua dự",
            "Chất lượng qua dự", "Chi bộ xếp loại", "Ưu điểm", "Hạn chế, khuyết điểm", "Kiến nghị",
        ],
        [6, 30, 28, 12, 24, 24, 10, 14, 14, 40, 40, 40],
    )  # fmt: skip
    done = 0
    for n, line in enumerate(report.lines, start=1):
        visits.append(
            [
                n,
                line.cell.name,
                line.parent.name if line.parent else "",
                line.day,
                line.visitor,
                VISIT_KIND_VI.get(line.kind, ""),
                float(line.observed_total) if line.observed_total is not None else None,
                QUALITY_VI.get(line.observed_level, ""),
                QUALITY_VI.get(line.final_level, ""),
                line.strengths,
                line.shortcomings,
                line.recommendations,
            ]
        )
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    unvisited = RowWriter(
        wb,
        f"Chưa được dự quý {report.period.quarter}",
        ["STT", "Chi bộ", "Trực thuộc", "Số lần đã dự", "Số lần theo quy định"],
        [6, 36, 32, 14, 18],
    )
    for n, u in enumerate(report.unvisited, start=1):
        unvisited.append([n, u.cell.name, u.parent.name if u.parent else "", u.done, u.required])
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
    totals = RowWriter(wb, "Tổng hợp", ["Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"], [60, 12, 12])
    totals.append([f"Tổ chức: {report.org.name}", None, None])
    totals.append([f"Tháng: {report.period}", None, None])
    totals.append(["Số lượt dự sinh hoạt chi bộ", len(report.lines), None])
    totals.append(["Số chi bộ được dự / tổng số chi bộ", report.visited_cells, report.visited_pct])
    totals.append(["Tổng số chi bộ", report.n_cells, None])
    for lv in report.observed:
        totals.append([f"Chất lượng qua dự: {lv['vi']}", lv["n"], lv["pct"]])
    for group in report.final_levels:
        for lv in group["levels"]:
            totals.append(
                [f"{group['vi']} xếp loại kỳ sinh hoạt thường kỳ: {lv['vi']}", lv["n"], lv["pct"]]
            )
    totals.append(
        [
            f"Chi bộ chưa được dự theo quy định trong quý {report.period.quarter}",
            len(report.unvisited),
            None,
        ]
    )
    if progress:
        progress(report.rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(report: MonthlyReport, ext: str) -> str:
    return f"bao-cao-du-sinh-hoat-chi-bo-{report.period.month:02d}-{report.period.year}.{ext}"
