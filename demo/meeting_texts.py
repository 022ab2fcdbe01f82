"""Vietnamese wording of the demo meetings: topics, reasons, opinions, tasks.

This is the content of minutes and resolutions (data, not UI strings). Two families
of texts: residential (village and residential-group cells, which lead local
socio-economic work) and workplace (agencies, schools, enterprises, armed forces).
"""

from demo.names import Weighted

# Thematic topics by quarter; {province} and {commune} are filled in per cell.
TOPICS_ANY = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường "
    "và khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về phong cách quần chúng, "
    "dân chủ, nêu gương",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về thực hành cần, kiệm, "
    "liêm, chính, chí công vô tư",
    "Chuyển đổi số",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch",
    "Phòng, chống tham nhũng, tiêu cực, lãng phí",
    "Nâng cao chất lượng sinh hoạt chi bộ",
]
TOPICS_QUARTER = {
    1: [
        "Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)",
        "Tổng kết Nghị quyết số 18-NQ/TW về tiếp tục đổi mới, sắp xếp tổ chức bộ máy "
        "của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
        "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số quốc gia",
    ],
    2: [
        "Kỷ niệm 50 năm Ngày giải phóng miền Nam, thống nhất đất nước (30/4/1975 – 30/4/2025)",
        "Nghị quyết số 66-NQ/TW về đổi mới công tác xây dựng và thi hành pháp luật",
        "Nghị quyết số 68-NQ/TW về phát triển kinh tế tư nhân",
        "Kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 – 19/5/2025)",
    ],
    3: [
        "Kỷ niệm 80 năm Cách mạng Tháng Tám và Quốc khánh 2/9",
        "Vận hành chính quyền địa phương hai cấp sau sắp xếp đơn vị hành chính",
        "Nghị quyết Đại hội Đảng bộ {commune} nhiệm kỳ 2025 – 2030",
    ],
    4: [
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh {province} nhiệm kỳ 2025 – 2030",
        "Nghị quyết Đại hội Đảng bộ {commune} nhiệm kỳ 2025 – 2030",
        "Dự thảo các văn kiện trình Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    ],
}
TOPICS_RESIDENTIAL = [
    "Xây dựng nông thôn mới nâng cao",
    "Xây dựng nông thôn mới kiểu mẫu",
    "Phát huy vai trò tiền phong, gương mẫu của đảng viên nơi cư trú",
    "Thực hiện Đề án 06 và chuyển đổi số ở thôn, tổ dân phố",
    "Phòng, chống thiên tai, bão lũ và tìm kiếm cứu nạn",
    "Thực hiện nếp sống văn minh trong việc cưới, việc tang và lễ hội",
]
TOPICS_URBAN = [
    "Xây dựng tổ dân phố văn minh, đô thị văn minh",
    "Bảo đảm an ninh trật tự, an toàn giao thông trên địa bàn tổ dân phố",
]
TOPICS_WORKPLACE = [
    "Cải cách hành chính và nâng cao chỉ số hài lòng của người dân, doanh nghiệp",
    "Thực hành tiết kiệm, chống lãng phí trong cơ quan, đơn vị",
    "Văn hóa công vụ và trách nhiệm nêu gương của cán bộ, đảng viên",
    "Xây dựng cơ quan, đơn vị an toàn về an ninh trật tự",
]
TOPICS_BY_TYPE = {
    "school": ["Đổi mới căn bản, toàn diện giáo dục và đào tạo", "Xây dựng trường học hạnh phúc"],
    "army": ["Xây dựng đơn vị vững mạnh toàn diện “mẫu mực, tiêu biểu”"],
    "police": ["Xây dựng lực lượng Công an nhân dân thực sự trong sạch, vững mạnh"],
    "state_enterprise": ["An toàn, vệ sinh lao động và phát triển sản xuất, kinh doanh"],
    "private_enterprise": ["An toàn, vệ sinh lao động và phát triển sản xuất, kinh doanh"],
    "public_service": ["Nâng cao chất lượng phục vụ người dân của đơn vị sự nghiệp công lập"],
}

POSTPONE_REASONS = [
    "Mưa lớn, đường vào thôn bị sạt lở",
    "Trùng lịch hội nghị của Đảng ủy",
    "Đồng chí bí thư chi bộ đi công tác đột xuất",
    "Trùng lịch tổ chức lễ hội truyền thống của thôn",
    "Trùng lịch kiểm tra của cấp trên",
]
CANCEL_REASONS = [
    "Bão, lũ; nhân dân tập trung phòng chống thiên tai",
    "Trùng dịp Tết Nguyên đán",
    "Tập trung cho công tác sắp xếp đơn vị hành chính",
    "Chi bộ không bố trí được thời gian sinh hoạt trong tháng",
]

ABSENCE_RESIDENTIAL = Weighted(
    [
        ("Ốm", 30),
        ("Đi làm ăn xa", 24),
        ("Việc gia đình", 20),
        ("Tuổi cao, sức yếu", 10),
        ("Đi viện", 8),
        ("Có việc đột xuất", 8),
    ]
)
ABSENCE_WORK = Weighted(
    [
        ("Đi công tác", 40),
        ("Ốm", 20),
        ("Việc gia đình", 14),
        ("Nghỉ phép", 10),
        ("Đi học tập trung", 10),
        ("Nghỉ chế độ thai sản", 6),
    ]
)
LONG_ABSENCE_RESIDENTIAL = [
    "Đi làm ăn xa",
    "Đi lao động ở nước ngoài",
    "Ốm dài ngày, đang điều trị",
]
LONG_ABSENCE_WORK = ["Đi học tập trung dài hạn", "Nghỉ chế độ thai sản", "Đi công tác dài ngày"]
SUSPENDED_REASON = "Đang bị đình chỉ sinh hoạt đảng"

SPEECHES_RESIDENTIAL = [
    "Nhất trí với dự thảo nghị quyết; đề nghị bổ sung nội dung vận động nhân dân hiến đất "
    "mở rộng đường liên thôn.",
    "Đề nghị chi bộ chỉ đạo ban phát triển thôn đôn đốc các hộ hoàn thành các khoản đóng góp "
    "đúng hạn.",
    "Phản ánh tình trạng đổ rác thải không đúng nơi quy định ở khu vực đầu thôn; đề nghị tổ tự "
    "quản nhắc nhở các hộ.",
    "Đề nghị tăng cường tuần tra, bảo đảm an ninh trật tự, nhất là vào ban đêm.",
    "Báo cáo tiến độ sản xuất vụ mùa; đề nghị cán bộ khuyến nông xã hướng dẫn phòng trừ sâu bệnh.",
    "Đề nghị quan tâm thăm hỏi, tặng quà gia đình chính sách, hộ nghèo, người cao tuổi neo đơn.",
    "Đề nghị tuyên truyền nhân dân tiêm phòng cho đàn gia súc, phòng chống dịch tả lợn châu Phi.",
    "Đề nghị hướng dẫn bà con kích hoạt tài khoản định danh điện tử mức 2 và thanh toán không "
    "dùng tiền mặt.",
    "Đề nghị các đảng viên gương mẫu thực hiện nếp sống văn minh trong việc cưới, việc tang.",
    "Đề xuất chi bộ kiến nghị Đảng ủy xã sớm sửa chữa kênh mương nội đồng bị hư hỏng sau mưa lũ.",
    "Nhất trí với báo cáo; đề nghị làm rõ trách nhiệm của tổ đảng trong việc vận động "
    "thanh niên lên đường nhập ngũ.",
    "Đề nghị chi bộ quan tâm bồi dưỡng quần chúng ưu tú để kết nạp đảng viên mới.",
]
SPEECHES_WORK = [
    "Nhất trí với dự thảo nghị quyết; đề nghị bổ sung chỉ tiêu giải quyết hồ sơ đúng hạn "
    "trên hệ thống một cửa điện tử.",
    "Đề nghị đánh giá rõ hơn việc thực hiện quy chế dân chủ ở cơ quan.",
    "Đề nghị chi bộ quan tâm công tác tạo nguồn phát triển đảng viên trong đoàn viên thanh niên.",
    "Góp ý việc sắp xếp, kiện toàn bộ máy; bảo đảm công việc không bị gián đoạn.",
    "Đề nghị thực hành tiết kiệm trong sử dụng điện, nước, văn phòng phẩm.",
    "Đề nghị đẩy mạnh ứng dụng chữ ký số và xử lý văn bản trên môi trường điện tử.",
    "Báo cáo tiến độ nhiệm vụ chuyên môn được giao; còn vướng mắc về thủ tục, đề nghị chi bộ "
    "chỉ đạo tháo gỡ.",
    "Nhất trí với báo cáo; đề nghị phân công cụ thể người chịu trách nhiệm từng nhiệm vụ.",
    "Đề nghị tăng cường công tác bảo vệ bí mật nhà nước, an toàn thông tin mạng.",
    "Đề nghị tổ chức tốt phong trào thi đua chào mừng các ngày lễ lớn trong năm.",
]
SPEECHES_THEMATIC = [
    "Liên hệ bản thân về trách nhiệm nêu gương trong công việc và sinh hoạt.",
    "Đề nghị cụ thể hóa nội dung chuyên đề thành việc làm thiết thực của từng đảng viên.",
    "Nhất trí với báo cáo chuyên đề; bổ sung một số gương điển hình ở địa phương, đơn vị.",
    "Đề nghị chi bộ đưa nội dung chuyên đề vào đánh giá, xếp loại đảng viên cuối năm.",
]

TASKS_RESIDENTIAL = [
    ("Vận động nhân dân tham gia ngày chủ nhật xanh, vệ sinh đường làng, ngõ xóm", "group"),
    ("Đôn đốc các hộ hoàn thành đóng góp quỹ phòng chống thiên tai", "group"),
    ("Rà soát, lập danh sách hộ nghèo, cận nghèo năm 2026", "member"),
    ("Tuyên truyền, hướng dẫn nhân dân đăng ký định danh điện tử mức 2", "member"),
    ("Vận động nhân dân tiêm phòng vắc xin cho gia súc, gia cầm", "member"),
    ("Tổ chức thăm hỏi gia đình chính sách nhân dịp lễ, Tết", "group"),
    ("Giới thiệu quần chúng ưu tú đi học lớp nhận thức về Đảng", "member"),
    ("Phối hợp công an xã tuần tra, bảo đảm an ninh trật tự thôn", "group"),
    ("Vận động nhân dân hiến đất, góp công làm đường bê tông nội thôn", "group"),
    ("Kiểm tra, nhắc nhở các hộ chăn nuôi thực hiện vệ sinh môi trường", "member"),
]
TASKS_WORK = [
    ("Hoàn thành báo cáo chuyên môn tháng, gửi đúng thời hạn", "member"),
    ("Rà soát hồ sơ tồn đọng, không để quá hạn trên hệ thống một cửa điện tử", "member"),
    ("Tổ chức cho đảng viên học tập, quán triệt văn bản mới của cấp trên", "group"),
    ("Cập nhật, bổ sung hồ sơ đảng viên năm 2025", "member"),
    ("Kiểm tra việc thực hiện nội quy, quy chế làm việc của cơ quan", "group"),
    ("Chuẩn bị nội dung sinh hoạt chuyên đề quý tới", "member"),
    ("Phối hợp công đoàn tổ chức phong trào thi đua", "group"),
    ("Theo dõi, bồi dưỡng đối tượng kết nạp Đảng", "member"),
]
GROUPS_RESIDENTIAL = [
    "Chi ủy",
    "Ban phát triển thôn",
    "Chi hội Nông dân",
    "Chi hội Phụ nữ",
    "Chi đoàn thanh niên",
    "Ban công tác Mặt trận",
]
GROUPS_WORK = ["Chi ủy", "Công đoàn cơ sở", "Chi đoàn thanh niên", "Lãnh đạo cơ quan"]
TASK_RESULTS_DONE = [
    "Đã hoàn thành đúng thời hạn.",
    "Đã hoàn thành; kết quả đạt yêu cầu đề ra.",
    "Hoàn thành, vượt chỉ tiêu được giao.",
]
TASK_RESULTS_NOT_DONE = [
    "Chưa hoàn thành do thời tiết không thuận lợi; chuyển sang tháng sau.",
    "Chưa hoàn thành; còn một số hộ chưa thực hiện.",
    "Chưa hoàn thành do thiếu kinh phí.",
]

ASSESSMENT = {
    True: "Chi bộ đã lãnh đạo hoàn thành cơ bản các nhiệm vụ đề ra trong tháng; tình hình an ninh "
    "chính trị, trật tự an toàn xã hội ổn định; nhân dân phấn khởi, tin tưởng.",
    False: "Chi bộ đã lãnh đạo cơ quan, đơn vị hoàn thành các nhiệm vụ chuyên môn trong tháng; "
    "đảng viên chấp hành tốt nội quy, quy chế, giữ gìn đoàn kết nội bộ.",
}
