"""Vietnamese texts of the oversight demo (demo/oversight.py): what supervisors write in their
visit reports, why a visit was cancelled, what the level above notes when it confirms a score,
and the inspections of the commune committees. They are data, as a user would have typed them,
not interface strings.

The report texts follow the meeting's own record where there is one (its checks: attendance,
unexcused absences, duration, speakers, documents, the committee's preparation), so a visitor
never praises full attendance at a meeting where a third of the cell was missing.
"""

# ---- visit reports ---------------------------------------------------------------------------

STRENGTHS = [
    "Chi bộ chuẩn bị nội dung chu đáo, dự thảo nghị quyết được chuẩn bị bằng văn bản.",
    "Sinh hoạt đúng trình tự ba bước; đánh giá kết quả tháng rõ ràng, có số liệu cụ thể.",
    "Không khí sinh hoạt dân chủ, cởi mở; đảng viên mạnh dạn nêu ý kiến.",
    "Đồng chí bí thư điều hành linh hoạt, kết luận rõ từng vấn đề.",
    "Nghị quyết ngắn gọn, phân công nhiệm vụ cụ thể cho từng đảng viên, có thời hạn.",
    "Chi bộ kiểm điểm nghiêm túc việc thực hiện nghị quyết tháng trước.",
    "Có thông tin thời sự, quán triệt kịp thời văn bản mới của cấp trên.",
    "Chi bộ nắm chắc tình hình tư tưởng đảng viên và nhân dân trên địa bàn.",
    "Biểu dương kịp thời đảng viên hoàn thành tốt nhiệm vụ được giao.",
    "Đảng viên dự họp đúng giờ, trang phục nghiêm túc.",
]
# By cell type (organizations.CellType): the work the meeting dealt with.
STRENGTHS_BY_TYPE = {
    "village": [
        "Bàn cụ thể việc xây dựng nông thôn mới và chỉnh trang đường làng, ngõ xóm.",
        "Thảo luận sát việc chăm sóc lúa, phòng chống dịch bệnh cho gia súc, gia cầm.",
        "Bàn biện pháp giúp đỡ hộ nghèo, hộ cận nghèo trong thôn.",
        "Chủ động triển khai phòng chống mưa lũ, sạt lở đất trên địa bàn thôn.",
    ],
    "residential": [
        "Bàn cụ thể việc giữ gìn vệ sinh môi trường, an ninh trật tự trong tổ dân phố.",
        "Thảo luận việc vận động nhân dân đóng góp xây dựng nhà văn hóa tổ dân phố.",
        "Phân công đảng viên nắm tình hình các hộ kinh doanh trên địa bàn.",
    ],
    "school": [
        "Gắn nội dung sinh hoạt với nhiệm vụ năm học, chất lượng dạy và học.",
        "Bàn biện pháp duy trì sĩ số, giúp đỡ học sinh có hoàn cảnh khó khăn.",
    ],
    "agency": [
        "Gắn nội dung sinh hoạt với nhiệm vụ chuyên môn của cơ quan.",
        "Bàn cụ thể việc cải cách hành chính, chấn chỉnh lề lối làm việc.",
    ],
    "public_service": [
        "Gắn nội dung sinh hoạt với nhiệm vụ chuyên môn của đơn vị.",
        "Thảo luận việc nâng cao chất lượng phục vụ nhân dân.",
    ],
    "state_enterprise": [
        "Bàn cụ thể việc bảo đảm việc làm, thu nhập cho người lao động.",
        "Gắn nội dung sinh hoạt với kế hoạch sản xuất, kinh doanh của doanh nghiệp.",
    ],
    "private_enterprise": [
        "Bàn cụ thể việc bảo đảm việc làm, thu nhập cho người lao động.",
        "Gắn nội dung sinh hoạt với kế hoạch sản xuất, kinh doanh của doanh nghiệp.",
    ],
    "army": [
        "Gắn nội dung sinh hoạt với nhiệm vụ huấn luyện, sẵn sàng chiến đấu.",
    ],
    "police": [
        "Gắn nội dung sinh hoạt với nhiệm vụ bảo đảm an ninh trật tự trên địa bàn.",
    ],
}
# From the meeting's checks (quality criteria it missed): (check, shortcoming, recommendation).
SHORTCOMING_LOW_ATTENDANCE = "Tỷ lệ đảng viên dự họp chưa cao ({present}/{expected} đồng chí)."
SHORTCOMING_UNEXCUSED = "Còn {n} đảng viên vắng mặt không có lý do."
SHORTCOMING_SHORT = "Thời gian sinh hoạt ngắn ({n} phút), chưa bảo đảm thời lượng tối thiểu."
SHORTCOMING_FEW_SPEAKERS = "Ít đảng viên phát biểu ({n}/{present} đồng chí có mặt)."
SHORTCOMING_DOCUMENTS = "Tài liệu chưa được gửi đảng viên trước ít nhất 1 ngày."
SHORTCOMING_NO_COMMITTEE = "Chi ủy chưa họp trước để thống nhất nội dung sinh hoạt."
RECOMMEND_BY_SHORTCOMING = {
    SHORTCOMING_LOW_ATTENDANCE: "Nắm chắc lý do vắng mặt; vận động đảng viên dự họp đầy đủ.",
    SHORTCOMING_UNEXCUSED: "Nhắc nhở đảng viên vắng mặt không lý do; tái phạm thì xem xét theo quy định.",
    SHORTCOMING_SHORT: "Bảo đảm thời lượng sinh hoạt ít nhất 90 phút.",
    SHORTCOMING_FEW_SPEAKERS: "Phân công đảng viên chuẩn bị ý kiến trước để tăng số người phát biểu.",
    SHORTCOMING_DOCUMENTS: "Gửi dự thảo nghị quyết, tài liệu cho đảng viên trước ít nhất 1 ngày.",
    SHORTCOMING_NO_COMMITTEE: "Chi ủy họp trước kỳ sinh hoạt để chuẩn bị kỹ nội dung.",
}
SHORTCOMINGS = [
    "Việc đánh giá kết quả tháng còn chung chung, chưa chỉ rõ nguyên nhân hạn chế.",
    "Tự phê bình và phê bình chưa mạnh dạn.",
    "Nghị quyết còn dài, chưa xác định rõ nhiệm vụ trọng tâm.",
    "Chưa dành thời gian thông tin thời sự, phổ biến văn bản mới.",
    "Biên bản ghi phần thảo luận còn sơ sài.",
    "Một số ý kiến phát biểu chưa đi vào vấn đề trọng tâm.",
    "Phân công nhiệm vụ cho đảng viên chưa có thời hạn cụ thể.",
]
NO_SHORTCOMING = "Không có hạn chế đáng kể."
RECOMMENDATIONS = [
    "Lựa chọn vấn đề trọng tâm của tháng để thảo luận sâu.",
    "Chuẩn bị chuyên đề sinh hoạt quý tới bám sát nhiệm vụ chính trị của địa phương.",
    "Tăng cường tự phê bình và phê bình trong sinh hoạt.",
    "Ghi biên bản đầy đủ ý kiến thảo luận và kết luận của chủ trì.",
    "Theo dõi, đôn đốc việc thực hiện nhiệm vụ đã phân công.",
]
KEEP_GOING = "Tiếp tục duy trì nền nếp sinh hoạt như hiện nay."

CANCEL_REASONS = [
    "Trùng lịch họp Ban Chấp hành Đảng bộ.",
    "Đi công tác đột xuất theo phân công của cấp trên.",
    "Tham gia đoàn kiểm tra của Đảng ủy.",
    "Ốm, đã báo đồng chí bí thư chi bộ.",
    "Trùng lịch tiếp công dân định kỳ.",
]

# A guest's title on the minutes, by the way the visitor follows the cell (VisitKind).
GUEST_TITLE = {
    "supervisor": "Đảng ủy viên, phụ trách chi bộ",
    "other": "Đảng ủy viên",
    "working_group": "Thành viên tổ công tác",
}
CROSS_GUEST_TITLE = "Bí thư {cell}, dự sinh hoạt chéo"

# ---- confirming a score ------------------------------------------------------------------------

# When the level above lowers points the cell gave itself (manual criteria only).
CONFIRM_LOWER_NOTES = [
    "Đánh giá kết quả tháng còn chung chung; điều chỉnh điểm tiêu chí tương ứng.",
    "Tự phê bình và phê bình chưa thực chất.",
    "Chưa thông tin thời sự, quán triệt văn bản mới của cấp trên.",
    "Phân công nhiệm vụ chưa có thời hạn cụ thể.",
    "Thảo luận chưa tập trung vào nhiệm vụ trọng tâm của tháng.",
]
CONFIRM_AGREE_NOTES = [
    "Nhất trí với kết quả chi bộ tự chấm.",
    "Thống nhất kết quả tự đánh giá của chi bộ.",
]

# ---- inspection and supervision ---------------------------------------------------------------

PLAN_SUMMARY = (
    "Chương trình kiểm tra, giám sát năm {year} của Ban Chấp hành {committee}: kiểm tra, "
    "giám sát {n} chi bộ và đảng viên; trọng tâm là việc chấp hành Điều lệ Đảng, chất lượng "
    "sinh hoạt chi bộ, thu nộp đảng phí và việc thực hiện Quy định 213-QĐ/TW."
)
# An inspection of a cell: (kind, topic, violations it may find, the follow-up item proper to it).
CELL_TOPICS = [
    (
        "inspection",
        "Kiểm tra việc chấp hành Điều lệ Đảng, chế độ sinh hoạt chi bộ và nguyên tắc tập trung "
        "dân chủ",
        [
            "không duy trì sinh hoạt định kỳ trong hai tháng liên tiếp",
            "sổ biên bản sinh hoạt thiếu chữ ký của chủ trì và thư ký một số kỳ",
        ],
        ("Bổ sung, hoàn thiện sổ biên bản sinh hoạt chi bộ", "Chi ủy {cell}"),
    ),
    (
        "inspection",
        "Kiểm tra việc thu, nộp, quản lý và sử dụng đảng phí",
        [
            "thu đảng phí không đúng mức quy định đối với một số đảng viên",
            "nộp đảng phí về Đảng ủy chậm nhiều tháng",
        ],
        ("Truy thu đảng phí còn thiếu, nộp về Đảng ủy", "Bí thư {cell}"),
    ),
    (
        "inspection",
        "Kiểm tra công tác quản lý đảng viên, hồ sơ đảng viên và công tác phát triển đảng viên",
        [
            "chưa đề nghị công nhận đảng viên chính thức đúng thời hạn cho đảng viên đủ điều kiện",
            "hồ sơ một số đảng viên chưa được bổ sung lý lịch hằng năm",
        ],
        ("Bổ sung, hoàn thiện hồ sơ đảng viên", "Chi ủy {cell}"),
    ),
    (
        "supervision",
        "Giám sát chất lượng sinh hoạt chi bộ theo Hướng dẫn 12-HD/BTCTW",
        ["không sinh hoạt chuyên đề trong hai quý liên tiếp"],
        ("Xây dựng kế hoạch sinh hoạt chuyên đề các quý còn lại", "Chi ủy {cell}"),
    ),
    (
        "supervision",
        "Giám sát việc thực hiện Quy định 213-QĐ/TW về đảng viên đang công tác giữ mối liên hệ "
        "với nơi cư trú",
        ["chưa tổ chức gặp mặt đảng viên đang công tác cư trú trên địa bàn trong năm"],
        (
            "Tổ chức gặp mặt đảng viên đang công tác cư trú trên địa bàn, gửi nhận xét về cơ quan",
            "Chi ủy {cell}",
        ),
    ),
    (
        "supervision",
        "Giám sát việc lãnh đạo thực hiện nghị quyết của Đảng ủy về xây dựng nông thôn mới",
        ["chưa ban hành nghị quyết chuyên đề về xây dựng nông thôn mới theo chỉ đạo của Đảng ủy"],
        ("Ban hành nghị quyết chuyên đề về xây dựng nông thôn mới", "Chi ủy {cell}"),
    ),
    (
        "supervision",
        "Giám sát việc thực hiện Chỉ thị 05-CT/TW về học tập và làm theo tư tưởng, đạo đức, "
        "phong cách Hồ Chí Minh",
        ["chưa đưa nội dung học tập và làm theo Bác vào sinh hoạt chi bộ hằng tháng"],
        ("Đưa nội dung thực hiện Chỉ thị 05 vào sinh hoạt chi bộ hằng tháng", "Chi ủy {cell}"),
    ),
]
# An inspection of a member: (kind, topic, violations it may find).
MEMBER_TOPICS = [
    (
        "supervision",
        "Giám sát việc thực hiện nhiệm vụ đảng viên và việc tu dưỡng, rèn luyện đạo đức, lối sống",
        ["nhiều lần không tham gia sinh hoạt chi bộ mà không có lý do"],
    ),
    (
        "supervision",
        "Giám sát việc thực hiện Quy định về những điều đảng viên không được làm",
        ["chậm nộp đảng phí nhiều tháng", "chưa gương mẫu trong việc thực hiện quy ước của thôn"],
    ),
    (
        "inspection",
        "Kiểm tra đảng viên khi có dấu hiệu vi phạm trong việc chấp hành chính sách đất đai",
        ["chưa gương mẫu chấp hành quy định về quản lý đất đai ở địa phương"],
    ),
]
CELL_FINE = [
    "Chi bộ chấp hành tốt Điều lệ Đảng; duy trì sinh hoạt định kỳ hằng tháng, nội dung sinh "
    "hoạt có đổi mới; hồ sơ, sổ sách cơ bản đầy đủ.",
    "Chi ủy lãnh đạo thực hiện tốt nội dung được giám sát; đảng viên gương mẫu, phát huy vai "
    "trò tiền phong.",
    "Chi bộ thu, nộp đảng phí đầy đủ, đúng quy định; sổ sách ghi chép rõ ràng.",
]
# What a conclusion without violation still asks, and the follow-up item it gives.
CELL_FINE_TAIL = [
    (
        "Cần khắc phục: biên bản một số kỳ sinh hoạt ghi còn sơ sài.",
        ("Bổ sung, hoàn thiện sổ biên bản sinh hoạt chi bộ", "Chi ủy {cell}"),
    ),
    (
        "Cần khắc phục: chưa sinh hoạt chuyên đề đều đặn hằng quý.",
        ("Xây dựng kế hoạch sinh hoạt chuyên đề các quý còn lại", "Chi ủy {cell}"),
    ),
    (
        "Cần khắc phục: việc theo dõi đảng viên sinh hoạt nơi cư trú chưa thường xuyên.",
        ("Phân công chi ủy viên theo dõi đảng viên sinh hoạt nơi cư trú", "Chi ủy {cell}"),
    ),
    ("", None),
    ("", None),
]
CELL_VIOLATION = (
    "Chi bộ có vi phạm: {violation}. Yêu cầu chi ủy kiểm điểm, rút kinh nghiệm và khắc phục "
    "trong thời hạn quy định."
)
MEMBER_FINE = (
    "Đồng chí {name} thực hiện tốt nhiệm vụ đảng viên; giữ gìn đạo đức, lối sống; không có "
    "dấu hiệu vi phạm."
)
MEMBER_VIOLATION = (
    "Đồng chí {name} có vi phạm: {violation}. Yêu cầu đồng chí kiểm điểm trước chi bộ; chi bộ "
    "xem xét, đề nghị hình thức xử lý theo quy định."
)
# Follow-up items (text, who is responsible) besides the one proper to the topic; {cell} and
# {name} are filled in.
CELL_FOLLOW_UPS = [
    ("Chi ủy tổ chức kiểm điểm, rút kinh nghiệm trước chi bộ", "Chi ủy {cell}"),
    ("Báo cáo kết quả khắc phục bằng văn bản về Ủy ban Kiểm tra Đảng ủy", "Bí thư {cell}"),
]
MEMBER_FOLLOW_UPS = [
    ("Đồng chí {name} viết bản kiểm điểm, kiểm điểm trước chi bộ", "Đồng chí {name}"),
    ("Chi bộ xem xét, đề nghị hình thức xử lý đối với đồng chí {name}", "Chi ủy {cell}"),
    ("Khắc phục vi phạm, báo cáo kết quả về Ủy ban Kiểm tra Đảng ủy", "Đồng chí {name}"),
]
FOLLOW_UP_RESULTS = [
    "Đã hoàn thành, có báo cáo kèm theo.",
    "Đã tổ chức kiểm điểm, biên bản lưu tại chi bộ.",
    "Đã khắc phục xong.",
    "Đã thực hiện; Ủy ban Kiểm tra Đảng ủy đã nhận báo cáo.",
]
