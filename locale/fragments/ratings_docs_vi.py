# Vietnamese translations of the Word files of the review and rating (bản tự kiểm điểm, báo cáo).
T = {
    "Download the self-review (Word)": "Tải bản tự kiểm điểm (Word)",
    "Download the report (Word)": "Tải báo cáo (Word)",
}
