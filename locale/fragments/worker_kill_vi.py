# Vietnamese translations of the recovery of jobs whose background worker stopped mid-job
# (spreadsheets/tasks.py: requeue, recover_jobs; docs/excel.md "When the worker stops mid-job").
T = {
    "The background worker stopped while running this job; nothing it did was kept. "
    "The job will start again from the beginning.": (
        "Tiến trình chạy nền đã dừng khi đang thực hiện công việc này; những gì đã làm dở "
        "không được giữ lại. Công việc sẽ được chạy lại từ đầu."
    ),
    "The background worker stopped several times while running this job; nothing was "
    "changed. Try again later, and tell the administrator if it happens again.": (
        "Tiến trình chạy nền đã dừng nhiều lần khi đang thực hiện công việc này; chưa có gì "
        "bị thay đổi. Hãy thử lại sau, và báo cho quản trị hệ thống nếu lỗi còn lặp lại."
    ),
}
