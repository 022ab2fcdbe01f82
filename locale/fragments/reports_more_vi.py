"""Vietnamese for the admissions and ratings reports (reports/admissions.py, reports/ratings.py)."""

T = {
    # admissions
    "Party admissions": "Kết nạp đảng viên",
    "New members admitted in the period (ceremony date) against the year's target, the shares of ethnic minorities, women, under 30 and Youth Union members among them, new members by cell type, and the candidates by stage now.": "Đảng viên mới kết nạp trong kỳ (theo ngày lễ kết nạp) so với chỉ tiêu của năm, tỷ lệ người dân tộc thiểu số, nữ, dưới 30 tuổi và đoàn viên thanh niên trong số đó, đảng viên mới theo loại hình chi bộ, và quần chúng theo từng bước hiện nay.",
    "Target for the year": "Chỉ tiêu của năm",
    "New members admitted": "Đảng viên mới kết nạp",
    "Ethnic minorities": "Dân tộc thiểu số",
    "Women": "Nữ",
    "Under 30 at admission": "Dưới 30 tuổi khi kết nạp",
    "Youth Union members": "Đoàn viên thanh niên",
    "Candidates before the ceremony": "Quần chúng chưa kết nạp",
    "Probationary members in the pipeline": "Đảng viên dự bị đang theo dõi",
    "Admissions against the target for %(year)s": "Kết nạp so với chỉ tiêu năm %(year)s",
    "Among the new members": "Trong số đảng viên mới",
    "New members by cell type": "Đảng viên mới theo loại hình chi bộ",
    "Candidates by stage now": "Quần chúng theo từng bước hiện nay",
    "A new member counts where they were admitted (the cell of their admission record, else their home cell); targets are those of %(year)s; candidates are counted by their stage today.": "Đảng viên mới được tính ở nơi kết nạp (chi bộ của hồ sơ kết nạp, nếu không có thì chi bộ đang sinh hoạt); chỉ tiêu là chỉ tiêu năm %(year)s; quần chúng được tính theo bước hiện nay.",
    # ratings
    "Quality rating": "Xếp loại chất lượng",
    "Members and party organizations by the level decided in the year-end review of the year of the end date, with the members not rated and those not decided yet.": "Đảng viên và tổ chức đảng theo mức xếp loại đã quyết định trong kiểm điểm cuối năm của năm có ngày kết thúc kỳ, kèm số đảng viên không xếp loại và chưa được quyết định.",
    "Members in the review": "Đảng viên trong đợt kiểm điểm",
    "Not rated": "Không xếp loại",
    "Members rated": "Đảng viên được xếp loại",
    "Not decided yet": "Chưa quyết định",
    "Organizations in the review": "Tổ chức đảng trong đợt kiểm điểm",
    "Organizations not decided yet": "Tổ chức đảng chưa quyết định",
    "Members by level decided, %(year)s": "Đảng viên theo mức xếp loại đã quyết định, năm %(year)s",
    "Organizations by level decided, %(year)s": "Tổ chức đảng theo mức xếp loại đã quyết định, năm %(year)s",
    "The annual review of %(year)s. A member counts in the cell that reviewed them; a review under complaint keeps its decided level.": "Kiểm điểm, xếp loại năm %(year)s. Đảng viên được tính ở chi bộ đã kiểm điểm mình; trường hợp đang khiếu nại giữ mức đã quyết định.",
    "No annual review of %(year)s covers this organization.": "Chưa có đợt kiểm điểm năm %(year)s nào bao gồm tổ chức này.",
}
