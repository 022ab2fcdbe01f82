# Vietnamese translations of the demo's meeting-quality and oversight step (demo/oversight.py):
# the summary line seed_demo prints. The demo's own records are Vietnamese data
# (demo/oversight_texts.py), not interface strings.
T = {
    "Meeting quality and oversight: %(scores)s meetings of Q4 scored (%(good)s good, %(fair)s "
    "fair, %(average)s average, %(weak)s weak; %(confirmed)s confirmed by the level above); "
    "%(followed)s cells followed by a committee member or a working group, %(groups)s working "
    "groups, %(pairs)s cross-attendance pairs; %(visits)s visits reported, %(cancelled)s "
    "cancelled; %(inspections)s inspections (%(violations)s with violations), %(follow_ups)s "
    "follow-up items (%(overdue)s overdue on 31/12/2025).": (
        "Chất lượng sinh hoạt và giám sát: %(scores)s kỳ sinh hoạt thường kỳ quý IV được chấm "
        "điểm (%(good)s tốt, %(fair)s khá, %(average)s trung bình, %(weak)s kém; %(confirmed)s "
        "kỳ được cấp trên xác nhận); %(followed)s chi bộ có cấp ủy viên hoặc tổ công tác theo "
        "dõi, %(groups)s tổ công tác, %(pairs)s cặp dự sinh hoạt chéo; %(visits)s lượt dự sinh "
        "hoạt đã báo cáo, %(cancelled)s lượt hủy; %(inspections)s cuộc kiểm tra, giám sát "
        "(%(violations)s cuộc có vi phạm), %(follow_ups)s nội dung theo dõi thực hiện kết luận "
        "(%(overdue)s nội dung quá hạn tại ngày 31/12/2025)."
    ),
    "Village posts: %(posts)s village heads and Front work-committee heads in office "
    "(%(members)s of them party members); %(campaigns)s emulation campaigns with %(results)s "
    "monthly results.": (
        "Chức danh ở thôn: %(posts)s trưởng thôn, tổ trưởng tổ dân phố và trưởng ban công tác "
        "Mặt trận đang đảm nhiệm (%(members)s người là đảng viên); %(campaigns)s phong trào thi "
        "đua với %(results)s kết quả hằng tháng."
    ),
}
