# Vietnamese translations of the installable app and the offline attendance queue:
# chibo/pwa.py, templates/offline.html, templates/meetings/attendance.html (the queue's texts),
# meetings/attendance_views.py (sync) and meetings/models.py (AttendanceSync).
T = {
    # the offline page
    "You are offline": "Bạn đang ngoại tuyến",
    "This page cannot be loaded: the phone has no connection to the server. The page opens again by itself when the connection is back.": "Không mở được trang này: điện thoại chưa kết nối được tới máy chủ. Khi có mạng trở lại, trang sẽ tự mở lại.",
    "Attendance marks kept on this phone, not yet sent: %%(n)s. They are sent when you open the attendance sheet again with a connection.": "Số điểm danh đang lưu trên điện thoại, chưa gửi: %%(n)s. Các điểm danh này sẽ được gửi khi đồng chí mở lại trang điểm danh lúc có mạng.",
    "Try again": "Thử lại",
    # the attendance sheet's queue
    "Not sent yet — will be sent when the network is back": "Chưa gửi — sẽ tự gửi khi có mạng",
    "Sending…": "Đang gửi…",
    "Saved": "Đã lưu",
    "A later mark made on another phone or on the sheet was kept.": "Đã giữ điểm danh ghi sau (trên máy khác hoặc trên phiếu điểm danh).",
    "Not sent yet: %%(n)s marks. They are kept on this phone and sent by themselves when the network is back.": "Chưa gửi: %%(n)s điểm danh. Các điểm danh này được lưu trên điện thoại và sẽ tự gửi khi có mạng.",
    "Your session has ended: the marks are kept on this phone. Sign in again and open this sheet to send them.": "Phiên đăng nhập đã hết: các điểm danh vẫn được lưu trên điện thoại. Hãy đăng nhập lại và mở trang điểm danh này để gửi.",
    "The server did not accept the marks just now; they are kept on this phone and sent again in a minute.": "Máy chủ chưa nhận các điểm danh; các điểm danh vẫn được lưu trên điện thoại và sẽ được gửi lại sau ít phút.",
    "The marks sent could not be read.": "Không đọc được các điểm danh đã gửi.",
    # meetings/models.py
    "Applied": "Đã ghi",
    "Already so": "Đã đúng như vậy",
    "A later mark was kept": "Đã giữ điểm danh ghi sau",
}
