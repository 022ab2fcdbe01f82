# Vietnamese translations of the complaint about a rating and its answer (khiếu nại → đánh giá lại).
T = {
    "Complaint being answered": "Đang giải quyết khiếu nại",
    "complaint": "khiếu nại",
    "complaint lodged on": "ngày khiếu nại",
    "answer to the complaint": "trả lời khiếu nại",
    "complaint answered on": "ngày trả lời khiếu nại",
    "level before the complaint": "mức xếp loại trước khiếu nại",
    "%(n)s complaint(s) are not answered yet: answer every complaint before closing.": "Còn %(n)s khiếu nại chưa được trả lời: trả lời mọi khiếu nại trước khi kết thúc đợt kiểm điểm.",
    "A complaint about this rating is already being answered.": "Khiếu nại về kết quả xếp loại này đang được giải quyết.",
    "Only a decided rating can be disputed.": "Chỉ khiếu nại được kết quả xếp loại đã có quyết định của cấp trên.",
    "Write what you dispute and why (at least 10 characters).": "Ghi rõ nội dung khiếu nại và lý do (ít nhất 10 ký tự).",
    "A complaint comes after the decision (%(date)s).": "Ngày khiếu nại phải từ ngày quyết định (%(date)s) trở về sau.",
    "There is no complaint to answer on this rating.": "Kết quả xếp loại này không có khiếu nại cần trả lời.",
    "Write the answer to the complaint.": "Ghi nội dung trả lời khiếu nại.",
    "The answer comes after the complaint (%(date)s).": "Ngày trả lời phải từ ngày khiếu nại (%(date)s) trở về sau.",
    "What you dispute and why": "Nội dung khiếu nại và lý do",
    "Lodged on": "Ngày khiếu nại",
    "Level after the complaint": "Mức xếp loại sau khi giải quyết khiếu nại",
    "Keep the level to reject the complaint, or choose another to rate again.": "Giữ nguyên mức nếu không chấp nhận khiếu nại, hoặc chọn mức khác để đánh giá lại.",
    "Answer to the complaint": "Nội dung trả lời khiếu nại",
    "Answered on": "Ngày trả lời",
    "The complaint is recorded; the superior will answer it.": "Đã ghi nhận khiếu nại; cấp trên sẽ xem xét, trả lời.",
    "The answer to the complaint is recorded.": "Đã ghi nhận nội dung trả lời khiếu nại.",
    "Complaint": "Khiếu nại",
    "Rated again: %(old)s → %(new)s.": "Đã đánh giá lại: %(old)s → %(new)s.",
    "The level is kept: %(level)s.": "Giữ nguyên mức xếp loại: %(level)s.",
    "Waiting for the superior's answer.": "Đang chờ cấp trên trả lời.",
    "Dispute the decided level": "Khiếu nại kết quả xếp loại",
    "The superior answers the complaint: it keeps the level or rates again. The review cannot close before the answer.": "Cấp trên xem xét, trả lời khiếu nại: giữ nguyên mức xếp loại hoặc đánh giá lại. Đợt kiểm điểm chỉ kết thúc khi khiếu nại đã được trả lời.",
    "Lodge the complaint": "Gửi khiếu nại",
    "Answer the complaint": "Trả lời khiếu nại",
    "Record the answer": "Ghi nhận trả lời",
}

# The review status, told apart from the admission stage of the same English wording.
T[("review status", "Proposed by the cell")] = "Chi bộ đã đề xuất mức xếp loại"
T[("review column", "Proposed by the cell")] = "Chi bộ đề xuất"
T["My reviews"] = "Kiểm điểm của tôi"
T["Review of %(period)s"] = "Kiểm điểm %(period)s"
