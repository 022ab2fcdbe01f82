# Vietnamese translations of the messages added by the bad-input corpus's fixes
# (chibo/tests/badinput, docs/bad-input.md): spreadsheets/xlsx.py, spreadsheets/importing.py,
# dues/services.py, campaigns/services.py, meetings/forms.py.
T = {
    "The file contains XML declarations (a DTD or entities) that Excel never writes; it was refused.": (
        "Tệp có khai báo XML (DTD hoặc thực thể) mà Excel không bao giờ ghi; tệp đã bị từ chối."
    ),
    "The file is damaged and could not be read after row %(n)s. Open it in Excel, save it again as .xlsx and import it again.": (
        "Tệp bị hỏng, không đọc được sau dòng %(n)s. Hãy mở tệp bằng Excel, lưu lại dạng .xlsx "
        "rồi nhập lại."
    ),
    "the note contains a null character, which cannot be stored.": (
        "ghi chú có ký tự rỗng (NUL), không lưu được."
    ),
    "Enter a date between %(first)s and %(last)s.": "Hãy nhập ngày trong khoảng năm %(first)s đến %(last)s.",
}
