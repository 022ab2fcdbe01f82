# Vietnamese translations of the "database unavailable" page and API error (chibo/unavailable.py,
# templates/503.html): shown while PostgreSQL restarts (goal S10, docs/operations.md).
T = {
    "Briefly unavailable": "Tạm thời gián đoạn",
    "The system is briefly unavailable": "Hệ thống đang tạm thời gián đoạn",
    "The database is not answering right now, usually only for a minute (a restart or maintenance). Please try again in a minute.": "Cơ sở dữ liệu hiện không phản hồi, thường chỉ trong khoảng một phút (đang khởi động lại hoặc bảo trì). Vui lòng thử lại sau một phút.",
    "What you just sent has not been saved.": "Nội dung bạn vừa gửi chưa được lưu.",
    "Go back with your browser's Back button (what you typed is usually still there), check it and send it again in a minute.": "Hãy bấm nút Quay lại của trình duyệt (những gì bạn đã nhập thường vẫn còn), kiểm tra lại và gửi lại sau một phút.",
    "Try again": "Thử lại",
    "The service is briefly unavailable (the database is not answering). Nothing was saved; try again in a minute.": "Hệ thống đang tạm thời gián đoạn (cơ sở dữ liệu không phản hồi). Dữ liệu chưa được lưu; vui lòng thử lại sau một phút.",
    # templates/base.html, static/js/chibo.js: an htmx request that fails
    "The system is briefly unavailable: what you just entered was not saved. Please try again in a minute.": "Hệ thống đang tạm thời gián đoạn: nội dung bạn vừa nhập chưa được lưu. Vui lòng thử lại sau một phút.",
    "Something went wrong on the server: what you just entered may not have been saved. Reload the page and check.": "Máy chủ gặp lỗi: nội dung bạn vừa nhập có thể chưa được lưu. Hãy tải lại trang và kiểm tra.",
    "The server cannot be reached: check the network connection, then try again. What you just entered was not saved.": "Không kết nối được với máy chủ: hãy kiểm tra kết nối mạng rồi thử lại. Nội dung bạn vừa nhập chưa được lưu.",
}
