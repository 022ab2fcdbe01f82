"""The columns of the member and organization workbooks: one definition serves the
template, the import and the export, so a file exported can be edited and imported.

Headers and column help are fixed Vietnamese text, not translated msgids: they are
the file format, which must read the same whatever language the page is in.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lib.vn import ETHNICITIES, RELIGIONS, GeneralEducation, PoliticalTheory, Qualification, Sex
from members.models import LeftReason, MemberStatus
from organizations.models import CellType, OrgKind
from spreadsheets.xlsx import ChoiceMap


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str = ""
    # text, code (identifier), digits (fixed-width number), phone, date, choice, bool, list
    kind: str = "text"
    required: bool = False
    max_length: int | None = None
    width: int = 18
    digits: int = 0
    export_only: bool = False  # written by exports for reading; ignored on import


DATE_HELP = "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 01/07/2025), hoặc nhập kiểu ngày của Excel."

MEMBER_COLUMNS = [
    Column(
        "cell_code",
        "Mã chi bộ",
        "Mã của chi bộ nơi đảng viên sinh hoạt chính thức, như trên trang "
        "tổ chức. Nếu khác chi bộ hiện tại thì đảng viên được chuyển sang chi bộ này.",
        kind="code",
        required=True,
        max_length=32,
        width=14,
    ),
    Column(
        "cell_name",
        "Tên chi bộ",
        "Chỉ để đọc; khi nhập, cột này được bỏ qua.",
        export_only=True,
        width=30,
    ),
    Column(
        "full_name",
        "Họ và tên",
        "Họ và tên đang dùng, ví dụ Nguyễn Văn An.",
        required=True,
        max_length=120,
        width=26,
    ),
    Column(
        "birth_name",
        "Họ tên khai sinh",
        "Chỉ ghi nếu khác họ tên đang dùng.",
        max_length=120,
        width=22,
    ),
    Column(
        "sex",
        "Giới tính",
        "Chọn trong danh sách: Nam hoặc Nữ.",
        kind="choice",
        required=True,
        width=10,
    ),
    Column("birth_date", "Ngày sinh", DATE_HELP, kind="date", required=True, width=12),
    Column(
        "ethnicity",
        "Dân tộc",
        "Chọn một trong 54 dân tộc theo danh mục của Tổng cục Thống kê.",
        kind="choice",
        required=True,
        width=14,
    ),
    Column(
        "religion",
        "Tôn giáo",
        "Chọn trong danh sách; để trống nếu không theo tôn giáo nào.",
        kind="choice",
        width=16,
    ),
    Column("native_place", "Quê quán", "Xã/phường, tỉnh/thành phố.", max_length=200, width=26),
    Column(
        "residence",
        "Nơi ở hiện nay",
        "Số nhà, thôn/tổ dân phố, xã/phường.",
        max_length=250,
        width=30,
    ),
    Column(
        "citizen_id",
        "Số CCCD",
        "Số căn cước công dân: đủ 12 chữ số (cột đã để dạng văn bản để giữ số 0 ở đầu).",
        kind="digits",
        digits=12,
        width=15,
    ),
    Column("phone", "Số điện thoại", "Ví dụ 0912345678 hoặc +84912345678.", kind="phone", width=14),
    Column(
        "general_education", "Giáo dục phổ thông", "Chọn trong danh sách.", kind="choice", width=16
    ),
    Column(
        "political_theory", "Lý luận chính trị", "Chọn trong danh sách.", kind="choice", width=16
    ),
    Column(
        "qualification", "Trình độ chuyên môn", "Chọn trong danh sách.", kind="choice", width=16
    ),
    Column(
        "qualification_detail",
        "Chuyên ngành đào tạo",
        "Ví dụ: Kế toán, Sư phạm Toán.",
        max_length=150,
        width=20,
    ),
    Column(
        "youth_union",
        "Đoàn viên TNCS Hồ Chí Minh",
        "Có hoặc Không (để trống là Không).",
        kind="bool",
        width=12,
    ),
    Column(
        "dossier_no",
        "Số lý lịch",
        "Khóa để nhận ra đảng viên: 6 chữ số và 1–3 chữ cái mã tỉnh, "
        "ví dụ 012345QN; không trùng trong tỉnh. Số lý lịch đã có thì dòng này cập nhật đảng "
        "viên đó.",
        kind="code",
        required=True,
        max_length=9,
        width=12,
    ),
    Column(
        "card_no",
        "Số thẻ đảng",
        "Đủ 8 chữ số; không trùng trong tỉnh.",
        kind="digits",
        digits=8,
        width=12,
    ),
    Column("admission_decision_date", "Ngày quyết định kết nạp", DATE_HELP, kind="date", width=14),
    Column(
        "ceremony_date",
        "Ngày lễ kết nạp",
        DATE_HELP + " Bắt buộc với đảng viên dự bị.",
        kind="date",
        width=14,
    ),
    Column(
        "official_date",
        "Ngày công nhận chính thức",
        DATE_HELP + " Đảng viên dự bị để trống.",
        kind="date",
        width=14,
    ),
    Column(
        "status",
        "Tình trạng",
        "Chọn trong danh sách: dự bị, chính thức, miễn sinh hoạt, …",
        kind="choice",
        required=True,
        width=16,
    ),
    Column(
        "left_reason",
        "Lý do ra khỏi Đảng",
        "Chỉ ghi khi đảng viên đã ra khỏi Đảng.",
        kind="choice",
        width=18,
    ),
    Column("status_date", "Ngày thay đổi tình trạng", DATE_HELP, kind="date", width=14),
    Column(
        "status_note",
        "Quyết định / ghi chú",
        "Số và ngày quyết định, ví dụ QĐ 12-QĐ/ĐU ngày 05/3/2025.",
        max_length=250,
        width=26,
    ),
    Column(
        "start_date",
        "Ngày sinh hoạt tại chi bộ",
        DATE_HELP + " Bắt buộc với đảng viên mới và khi chuyển chi bộ (là ngày chuyển).",
        kind="date",
        width=14,
    ),
]

ORG_COLUMNS = [
    Column(
        "code",
        "Mã tổ chức",
        "Khóa để nhận ra tổ chức, không trùng trong tỉnh. Mã đã có thì dòng "
        "này cập nhật tổ chức đó.",
        kind="code",
        required=True,
        max_length=32,
        width=14,
    ),
    Column(
        "name", "Tên tổ chức", "Ví dụ: Chi bộ thôn Đông.", required=True, max_length=200, width=34
    ),
    Column("kind", "Loại tổ chức", "Chọn trong danh sách.", kind="choice", required=True, width=28),
    Column(
        "cell_type",
        "Loại hình chi bộ",
        "Bắt buộc với chi bộ; chọn trong danh sách.",
        kind="choice",
        width=20,
    ),
    Column(
        "parent_code",
        "Mã tổ chức cấp trên",
        "Mã của tổ chức cấp trên trực tiếp: đã có trong hệ "
        "thống hoặc ở một dòng khác của tệp này. Bắt buộc với tổ chức mới.",
        kind="code",
        max_length=32,
        width=14,
    ),
    Column("founded_on", "Ngày thành lập", DATE_HELP, kind="date", width=14),
    Column(
        "villages",
        "Thôn, tổ dân phố",
        "Tên các thôn/tổ dân phố chi bộ phụ trách, cách nhau bởi "
        "dấu chấm phẩy (;), ví dụ: Thôn Đông; Thôn Nam. Phải là thôn của xã/phường cấp trên.",
        kind="list",
        width=30,
    ),
    Column(
        "dissolved_on",
        "Ngày giải thể",
        "Chỉ để đọc; khi nhập, cột này được bỏ qua.",
        kind="date",
        export_only=True,
        width=14,
    ),
]

MEMBER_GUIDE = [
    (
        "Mẫu nhập đảng viên",
        "Mỗi dòng của trang “Đảng viên” là một đảng viên; dòng 1 là tiêu đề, không sửa tiêu đề.",
    ),
    ("Ngày tháng", "Ghi theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
    (
        "Danh sách chọn",
        "Các cột có mã (giới tính, dân tộc, tôn giáo, trình độ, tình trạng, …) có danh "
        "sách để chọn; hãy chọn, đừng gõ tay.",
    ),
    (
        "Tất cả hoặc không",
        "Nếu có dòng nào lỗi thì không dòng nào được ghi; hệ thống liệt kê lỗi theo "
        "dòng và cột để sửa rồi tải lên lại. Tải lên lại cùng một tệp không tạo bản ghi trùng.",
    ),
    (
        "Cập nhật",
        "Đảng viên đã có (theo số lý lịch) chỉ được sửa ở những ô khác với dữ liệu hiện có; ô "
        "để trống nghĩa là xóa giá trị đó.",
    ),
]

ORG_GUIDE = [
    (
        "Mẫu nhập tổ chức đảng",
        "Mỗi dòng của trang “Tổ chức đảng” là một tổ chức; dòng 1 là tiêu đề, không sửa tiêu đề.",
    ),
    ("Ngày tháng", "Ghi theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
    ("Danh sách chọn", "Loại tổ chức và loại hình chi bộ có danh sách để chọn."),
    (
        "Tất cả hoặc không",
        "Nếu có dòng nào lỗi thì không dòng nào được ghi; hệ thống liệt kê lỗi theo "
        "dòng và cột để sửa rồi tải lên lại.",
    ),
    (
        "Cập nhật",
        "Tổ chức đã có (theo mã) được đổi tên, loại hình, ngày thành lập và thôn phụ trách nếu "
        "khác; không đổi được loại tổ chức hay tổ chức cấp trên bằng tệp.",
    ),
]

YES, NO = "Có", "Không"


def member_choice_maps() -> dict[str, ChoiceMap]:
    """Built per job: labels follow the translations active now."""
    return {
        "sex": ChoiceMap(Sex.choices, aliases={"Nam": "M", "Nữ": "F"}),
        "ethnicity": ChoiceMap(ETHNICITIES),
        "religion": ChoiceMap(RELIGIONS, aliases={"Không": ""}),
        "general_education": ChoiceMap(GeneralEducation.choices),
        "political_theory": ChoiceMap(PoliticalTheory.choices),
        "qualification": ChoiceMap(Qualification.choices),
        "status": ChoiceMap(MemberStatus.choices),
        "left_reason": ChoiceMap(LeftReason.choices),
        "youth_union": ChoiceMap(
            [(True, YES), (False, NO)],
            aliases={"x": True, "yes": True, "1": True, "no": False, "0": False},
        ),
    }


def org_choice_maps() -> dict[str, ChoiceMap]:
    return {"kind": ChoiceMap(OrgKind.choices), "cell_type": ChoiceMap(CellType.choices)}


# Messages about a value, shared by both imports.
MSG_REQUIRED = _("This column must be filled in.")
MSG_DATE = _("Enter a date as dd/mm/yyyy, e.g. 01/07/2025.")
MSG_CHOICE = _(
    "“%(value)s” is not in the list for this column; choose one from the drop-down list."
)
MSG_TOO_LONG = _("At most %(n)s characters (this has %(len)s).")
MSG_FORMULA = _(
    "A value cannot start with =, +, - or @: a spreadsheet would run it as a formula. "
    "Remove the sign or put the text in other words."
)
