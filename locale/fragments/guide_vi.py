# Vietnamese translations of the in-app guide (guide/, templates/guide/*.html), the header's
# "Hướng dẫn" link, the "?" help links on the meeting pages and the empty states that say
# what to do next (issue 9, "First hour").
T = {
    # header, help links
    "Guide": "Hướng dẫn",
    "User guide": "Hướng dẫn sử dụng",
    "Help: a cell's month, step by step": "Hướng dẫn: một tháng sinh hoạt chi bộ, từng bước",
    "Help: which cells met, which did not": "Hướng dẫn: chi bộ nào đã, chưa sinh hoạt",
    "Help: this step in the guide": "Hướng dẫn cho bước này",
    "How to plan the month": "Cách lập kế hoạch tháng",
    "How to": "Cách làm",
    # the guide's pages
    "Who uses Chibo for what": "Ai dùng Chibo để làm gì",
    "A cell's month, step by step": "Một tháng sinh hoạt chi bộ, từng bước",
    "What each page is for": "Mỗi trang để làm gì",
    # index
    "Chibo keeps the life of the party cells: the organization tree, the member registry, "
    "the monthly cell meetings and the oversight by the committees above. Each person sees "
    "only the organizations of their role, and every change keeps who made it and when.": (
        "Chibo quản lý hoạt động của các chi bộ: cây tổ chức đảng, hồ sơ đảng viên, sinh hoạt "
        "chi bộ hằng tháng và việc theo dõi, kiểm tra của cấp ủy cấp trên. Mỗi người chỉ thấy "
        "các tổ chức thuộc vai trò của mình, và mọi thay đổi đều ghi lại ai làm, lúc nào."
    ),
    "Find your role below: it is highlighted. The guide to a cell's month walks through a "
    "meeting from the calendar to the follow-up next month; the list of pages says what each "
    "page is for.": (
        "Vai trò của bạn được đánh dấu ở phần dưới. Trang «Một tháng sinh hoạt chi bộ» đi qua "
        "từng bước của một kỳ sinh hoạt, từ lịch đến việc kiểm điểm tháng sau; trang «Mỗi trang "
        "để làm gì» giải thích công dụng của từng trang."
    ),
    "Your first hour": "Giờ làm việc đầu tiên",
    "Open the home page (Chibo, top left): it shows what needs you today — the cells that "
    "have not met this month, overdue items, your next meetings and tasks.": (
        "Mở trang chủ (chữ Chibo ở góc trên bên trái): trang cho biết việc cần làm hôm nay — "
        "các chi bộ chưa sinh hoạt trong tháng, việc quá hạn, các cuộc họp và nhiệm vụ sắp tới."
    ),
    "Home page": "Trang chủ",
    "Open the page of %(name)s: its members, its meeting calendar, and the buttons to every "
    "page about it.": (
        "Mở trang của %(name)s: đảng viên, lịch sinh hoạt và các nút dẫn tới mọi trang liên quan."
    ),
    "Open the organization tree and the organization you work for.": (
        "Mở cây tổ chức đảng và tổ chức bạn phụ trách."
    ),
    "Open the compliance board: for the month, each cell's regular meeting, minutes, thematic "
    "meeting, visits and quality, with reminders to the cells that are late.": (
        "Mở «Bảng theo dõi sinh hoạt chi bộ»: trong tháng, từng chi bộ đã sinh hoạt định kỳ "
        "chưa, biên bản, sinh hoạt chuyên đề, dự sinh hoạt và chất lượng; nhắc các chi bộ chậm."
    ),
    "Follow one cell through a whole month with the step-by-step guide: plan, prepare, "
    "notify, take attendance, write the minutes, pass the resolution and its tasks, follow "
    "them up next month, print.": (
        "Làm trọn một tháng cho một chi bộ theo hướng dẫn từng bước: lập kế hoạch, chuẩn bị, "
        "thông báo, điểm danh, ghi biên bản, thông qua nghị quyết và giao nhiệm vụ, kiểm điểm "
        "vào tháng sau, in văn bản."
    ),
    "When a list is empty, the page says what to do next. The «?» link at the top of the "
    "meeting pages opens the matching step of this guide.": (
        "Khi một danh sách còn trống, trang sẽ cho biết bước tiếp theo. Liên kết «?» ở đầu các "
        "trang sinh hoạt mở đúng bước tương ứng trong hướng dẫn này."
    ),
    "Your role": "Vai trò của bạn",
    "Organization staff of a commune or ward committee": "Cán bộ tổ chức của đảng ủy xã, phường",
    "Every month: see which cells met and which did not on the compliance board and the "
    "meeting calendar of the cells; remind the cells that are late.": (
        "Hằng tháng: xem chi bộ nào đã sinh hoạt, chi bộ nào chưa trên «Bảng theo dõi sinh hoạt "
        "chi bộ» và «Lịch sinh hoạt của các chi bộ»; nhắc các chi bộ chậm."
    ),
    "At the start of a term: set one regular schedule for all cells (Schedule for all cells); "
    "each cell can adjust its own afterwards.": (
        "Đầu nhiệm kỳ: đặt một lịch sinh hoạt định kỳ chung cho mọi chi bộ («Lịch định kỳ cho "
        "tất cả chi bộ»); sau đó từng chi bộ có thể điều chỉnh lịch của mình."
    ),
    "Keep the members and the structure: add and edit members, transfers of party activity, "
    "admissions, residence liaison, status decisions; add, rename, split and merge cells.": (
        "Quản lý đảng viên và tổ chức: thêm, sửa hồ sơ đảng viên, chuyển sinh hoạt đảng, kết "
        "nạp, giữ mối liên hệ nơi cư trú, các quyết định về tình trạng; thêm, đổi tên, chia "
        "tách, sáp nhập chi bộ."
    ),
    "Give each cell secretary an account and a role on their cell (Roles and accounts on the "
    "cell's page).": (
        "Cấp cho mỗi bí thư chi bộ một tài khoản và vai trò trên chi bộ của mình («Vai trò và "
        "tài khoản» trên trang chi bộ)."
    ),
    "Report upward: statistical reports with an Excel export, and the monthly report on "
    "attending cell meetings (Word, Excel).": (
        "Báo cáo lên cấp trên: «Báo cáo thống kê» xuất ra Excel, và «Báo cáo kết quả dự sinh "
        "hoạt chi bộ hằng tháng» (Word, Excel)."
    ),
    "Cell secretary and deputy secretary": "Bí thư, phó bí thư chi bộ",
    "Run the cell's month: the calendar, the preparation, the notice, the attendance, the "
    "minutes, the vote, the resolution and its tasks, the follow-up next month, the printed "
    "documents.": (
        "Điều hành sinh hoạt chi bộ hằng tháng: lịch, chuẩn bị, thông báo, điểm danh, biên "
        "bản, biểu quyết, nghị quyết và nhiệm vụ, kiểm điểm vào tháng sau, in văn bản."
    ),
    "Keep the cell's member list up to date, the party dues of each month, the candidates for "
    "admission, and the cell's proposal in the annual review.": (
        "Cập nhật danh sách đảng viên của chi bộ, đảng phí hằng tháng, quần chúng ưu tú được "
        "bồi dưỡng kết nạp, và đề xuất xếp loại của chi bộ khi kiểm điểm cuối năm."
    ),
    "Committee member who follows cells": "Cấp ủy viên theo dõi chi bộ",
    "Read only: see the committee's cells, members, meetings and reports.": (
        "Chỉ xem: các chi bộ, đảng viên, cuộc họp và báo cáo của đảng bộ."
    ),
    "Follow the cells you are assigned to: you receive their meeting notices; register for a "
    "meeting, attend it and report the visit (My visit schedule under Meetings); confirm the "
    "cell's self-score.": (
        "Theo dõi các chi bộ được phân công: nhận thông báo họp của chi bộ; đăng ký dự một buổi, "
        "dự và báo cáo kết quả («Lịch dự sinh hoạt» trong mục Sinh hoạt); xác nhận điểm chi bộ "
        "tự chấm."
    ),
    "Organization board of the province": "Ban Tổ chức Tỉnh ủy",
    "The whole province: the organization tree and its restructuring, the villages, imports "
    "from Excel, the agenda templates and the meeting-quality rubrics of the province.": (
        "Toàn tỉnh: cây tổ chức đảng và việc sắp xếp lại, thôn, tổ dân phố, nhập dữ liệu từ "
        "Excel, mẫu chương trình sinh hoạt và tiêu chí chấm điểm chất lượng sinh hoạt của tỉnh."
    ),
    "The month's figures on the home page, the statistical reports and the summary report in "
    "Word.": (
        "Số liệu của tháng trên trang chủ, các báo cáo thống kê và báo cáo tổng hợp bằng Word."
    ),
    "Under Meetings: your cell's coming meetings and their documents, Ask to be excused (with "
    "a reason), your tasks and the progress you report on them, your annual review.": (
        "Trong mục «Sinh hoạt»: các cuộc họp sắp tới của chi bộ và tài liệu, «Xin vắng mặt» "
        "(kèm lý do), nhiệm vụ của bạn và báo cáo tiến độ, bản kiểm điểm hằng năm."
    ),
    "Your own record (My record) and who has viewed it (Account → Who viewed my record); the "
    "meetings in your phone's calendar.": (
        "Hồ sơ của bạn («Hồ sơ của tôi») và ai đã xem hồ sơ («Tài khoản» → «Ai đã xem hồ sơ "
        "của tôi»); đưa lịch họp vào lịch điện thoại."
    ),
    "Everything, everywhere: creates provinces and gives the first roles. Backups, restores "
    "and lost authenticators are handled on the server (see docs/operations.md).": (
        "Toàn quyền trên toàn hệ thống: tạo tỉnh và cấp các vai trò đầu tiên. Sao lưu, khôi "
        "phục và cấp lại xác thực hai bước được làm trên máy chủ (xem docs/operations.md)."
    ),
    # a cell's month
    "Every cell meets at least once a month. This is the month of a cell secretary in Chibo, "
    "in the order of the Central Organization Commission's guidance (HD 12-HD/BTCTW 2018, "
    "HD 42-HD/BTCTW 2025): each step says where it is done.": (
        "Mỗi chi bộ sinh hoạt ít nhất mỗi tháng một lần. Đây là một tháng làm việc của bí thư "
        "chi bộ trên Chibo, theo trình tự hướng dẫn của Ban Tổ chức Trung ương (HD 12-HD/BTCTW "
        "năm 2018, HD 42-HD/BTCTW năm 2025): mỗi bước ghi rõ làm ở đâu."
    ),
    "The links below open the pages of your cell, %(name)s.": (
        "Các liên kết dưới đây mở các trang của chi bộ bạn, %(name)s."
    ),
    "Meeting calendar of my cell": "Lịch sinh hoạt của chi bộ tôi",
    "Your cell is %(name)s: its secretary does these steps; you see the meetings, ask to be "
    "excused and report on your tasks.": (
        "Chi bộ của bạn là %(name)s: bí thư chi bộ làm các bước này; bạn xem các cuộc họp, xin "
        "vắng mặt và báo cáo nhiệm vụ của mình."
    ),
    "Every step is done from a cell's page: open the cell in the organization tree, then "
    "Meeting calendar.": (
        "Mọi bước đều làm từ trang của chi bộ: mở chi bộ trên cây tổ chức đảng, rồi bấm «Lịch "
        "sinh hoạt»."
    ),
    "Plan the month": "Lập kế hoạch tháng",
    "Set the cell's regular schedule once: the day of the month, the time and the place. "
    "Saving it plans the regular meetings up to the end of the year. Add the other meetings "
    "with Plan a meeting: the cell-committee meeting that prepares the regular one, a "
    "thematic meeting at least once a quarter (it never replaces the monthly meeting), the "
    "residence-liaison meeting (QĐ 213) twice a year in village and residential cells.": (
        "Đặt «Lịch sinh hoạt định kỳ» của chi bộ một lần: ngày trong tháng, giờ và địa điểm. "
        "Khi lưu, Chibo lập sẵn các cuộc họp thường kỳ đến hết năm. Thêm các cuộc họp khác bằng "
        "«Lên lịch cuộc họp»: họp chi ủy chuẩn bị cho kỳ sinh hoạt thường kỳ, sinh hoạt chuyên "
        "đề ít nhất mỗi quý một lần (không thay cho sinh hoạt thường kỳ), họp với đảng viên "
        "đang công tác (QĐ 213) sáu tháng một lần ở chi bộ thôn, tổ dân phố."
    ),
    "Where: the cell's page → Meeting calendar → Regular schedule, Plan a meeting.": (
        "Làm ở đâu: trang chi bộ → «Lịch sinh hoạt» → «Lịch sinh hoạt định kỳ», «Lên lịch cuộc "
        "họp»."
    ),
    "Prepare the agenda and the documents": "Chuẩn bị nội dung và tài liệu",
    "The cell committee (or the secretary with the deputy where there is none) meets before "
    "the regular meeting to agree its content: last month's results, this month's tasks and "
    "the points to discuss. Open the meeting from the calendar and use Prepare: the agenda, "
    "proposed from the template for this kind of meeting, and the draft resolution, which a "
    "regular meeting needs. Post the documents (a file or a text) with Post a document at "
    "least one day ahead; a later one is flagged as late.": (
        "Chi ủy (nơi không có chi ủy thì bí thư và phó bí thư) họp trước kỳ sinh hoạt thường kỳ "
        "để thống nhất nội dung: kết quả tháng trước, nhiệm vụ tháng này và các vấn đề cần "
        "thảo luận. Mở cuộc họp từ lịch và dùng «Chuẩn bị»: chương trình (đề xuất sẵn theo mẫu "
        "của loại cuộc họp) và dự thảo nghị quyết, bắt buộc với sinh hoạt thường kỳ. Gửi tài "
        "liệu (tệp hoặc văn bản) bằng «Gửi tài liệu» trước ít nhất một ngày; tài liệu gửi muộn "
        "hơn sẽ bị đánh dấu là muộn."
    ),
    "Where: the meeting's page → 1. Prepare → Record the preparation; Post a document.": (
        "Làm ở đâu: trang cuộc họp → «1. Chuẩn bị» → «Ghi nhận đã chuẩn bị»; «Gửi tài liệu»."
    ),
    "Send the notice": "Gửi thông báo",
    "Send the notice to members e-mails the time, the place and the content to every member "
    "of the cell and to the member of the committee above who follows it; each sending is "
    "kept. The page lists who has no e-mail address: tell them by phone or in person. Until "
    "the meeting opens, a member can Ask to be excused with a reason; approve or reject the "
    "request on the meeting's page.": (
        "«Gửi thông báo cho đảng viên» gửi thư điện tử báo thời gian, địa điểm và nội dung tới "
        "mọi đảng viên của chi bộ và cấp ủy viên cấp trên theo dõi chi bộ; mỗi lần gửi đều được "
        "lưu lại. Trang liệt kê những người không có địa chỉ thư điện tử: hãy báo cho họ qua "
        "điện thoại hoặc trực tiếp. Trước khi khai mạc, đảng viên có thể «Xin vắng mặt» kèm lý "
        "do; bí thư đồng ý hoặc không đồng ý ngay trên trang cuộc họp."
    ),
    "Where: the meeting's page → 2. Send the notice to members; Absence requests.": (
        "Làm ở đâu: trang cuộc họp → «2. Gửi thông báo cho đảng viên»; «Đơn xin vắng mặt»."
    ),
    "Record the attendance from the paper sheet": "Ghi điểm danh từ sổ điểm danh giấy",
    "On the day, Open the meeting with the chair, the minutes secretary and the start time, "
    "then open Attendance. With the paper roll call in hand: press Everyone not yet marked is "
    "present, then change only the exceptions — late, left early, absent with reason (write "
    "the reason), absent without reason. Exempt members and members temporarily elsewhere are "
    "not counted; temporarily attached members are counted apart. Add the guests and the "
    "supervisor from the committee above below the sheet.": (
        "Đến ngày họp, bấm «Khai mạc» và ghi chủ trì, thư ký và giờ bắt đầu, rồi mở «Điểm "
        "danh». Cầm bảng điểm danh giấy: bấm «Tất cả người chưa điểm danh đều có mặt», rồi chỉ "
        "sửa các trường hợp khác — đến muộn, về sớm, vắng có lý do (ghi lý do), vắng không lý "
        "do. Đảng viên được miễn sinh hoạt và đảng viên đang sinh hoạt tạm thời nơi khác không "
        "tính vào tổng số; đảng viên sinh hoạt tạm thời tại chi bộ được tính riêng. Thêm khách "
        "mời và đại biểu cấp ủy cấp trên ở phía dưới bảng."
    ),
    "Where: the meeting's page → 3. Open the meeting → Attendance. Each row saves on its own.": (
        "Làm ở đâu: trang cuộc họp → «3. Khai mạc» → «Điểm danh». Mỗi dòng tự lưu ngay."
    ),
    "Write the minutes": "Ghi biên bản",
    "The minutes follow the three steps of a meeting: opening, proceedings, closing. For each "
    "agenda item write who spoke, what they said and the chair's conclusion; add an item with "
    "Add an agenda item. Record the end time with Record the end: a regular meeting lasts at "
    "least 90 minutes, 120 for a combined session.": (
        "Biên bản theo ba bước của buổi sinh hoạt: mở đầu, tiến hành, kết thúc. Với mỗi nội "
        "dung, ghi ai phát biểu, ý kiến gì và kết luận của chủ trì; thêm nội dung bằng «Thêm nội "
        "dung». Ghi giờ kết thúc bằng «Ghi giờ kết thúc»: sinh hoạt thường kỳ ít nhất 90 phút, "
        "sinh hoạt kết hợp chuyên đề ít nhất 120 phút."
    ),
    "Where: the meeting's page → Minutes.": "Làm ở đâu: trang cuộc họp → «Biên bản».",
    "Vote and pass the resolution": "Biểu quyết và thông qua nghị quyết",
    "Record each vote under Votes: only the official members present vote, and a motion "
    "passes with more than half of them (shown as x/y members in favour). Then Write the "
    "resolution and its tasks; it is numbered in the cell committee's term (for example "
    "05-NQ/CB). Finally Approve the minutes: the meeting is locked, and a later correction of "
    "the attendance needs a reason and is kept with who made it.": (
        "Ghi từng lần biểu quyết ở mục «Biểu quyết»: chỉ đảng viên chính thức có mặt được biểu "
        "quyết, nội dung được thông qua khi quá một nửa số đó tán thành (hiện dạng «x/y đảng "
        "viên tán thành»). Sau đó bấm «Ghi nghị quyết và nhiệm vụ»; nghị quyết được đánh số "
        "theo nhiệm kỳ chi ủy (ví dụ 05-NQ/CB). Cuối cùng bấm «Thông qua biên bản»: cuộc họp "
        "được khóa, muốn đính chính điểm danh sau đó phải ghi lý do và được lưu lại người sửa."
    ),
    "Where: the meeting's page → Votes, Resolution and tasks, 4. Approve the minutes.": (
        "Làm ở đâu: trang cuộc họp → «Biểu quyết», «Nghị quyết và nhiệm vụ», «4. Thông qua biên "
        "bản»."
    ),
    "Assign the tasks": "Giao nhiệm vụ",
    "Each task of the resolution has an assignee (a member or a group), a due date and a "
    "status. Members find theirs under Meetings → My tasks and report their progress there; "
    "the home page shows the open and overdue tasks.": (
        "Mỗi nhiệm vụ của nghị quyết có người thực hiện (một đảng viên hoặc một nhóm), hạn hoàn "
        "thành và trạng thái. Đảng viên xem nhiệm vụ của mình ở «Sinh hoạt» → «Nhiệm vụ của "
        "tôi» và báo cáo tiến độ tại đó; trang chủ hiện các nhiệm vụ đang mở và quá hạn."
    ),
    "Where: the resolution's form on the meeting's page; each task has its own page.": (
        "Làm ở đâu: mẫu nhập nghị quyết trên trang cuộc họp; mỗi nhiệm vụ có trang riêng."
    ),
    "Follow up next month": "Kiểm điểm vào tháng sau",
    "The agenda of the next regular meeting starts with the review of last month's resolution "
    "and lists every open task. At that meeting, set each task's status (done, not done, in "
    "progress) on its page. A task left open comes back the month after.": (
        "Chương trình kỳ sinh hoạt thường kỳ tiếp theo có sẵn nội dung «Kiểm điểm việc thực hiện "
        "nghị quyết tháng trước» với mọi nhiệm vụ chưa xong. Tại buổi họp đó, cập nhật trạng "
        "thái từng nhiệm vụ (hoàn thành, không hoàn thành, đang thực hiện) trên trang của nhiệm "
        "vụ. Nhiệm vụ còn dở sẽ được đưa lại vào tháng sau nữa."
    ),
    "Where: the next meeting's agenda; the task's page → Review.": (
        "Làm ở đâu: chương trình cuộc họp tiếp theo; trang nhiệm vụ → «Kiểm điểm»."
    ),
    "Print the documents": "In văn bản",
    "On the meeting's page: the minutes and the resolution in Word (to edit) and PDF, in the "
    "Party's format (HD 36-HD/VPTW). The minutes book prints every approved meeting of a "
    "period. Where the province uses a quality rubric, the cell scores its meeting under "
    "Meeting quality and the committee above confirms it.": (
        "Trên trang cuộc họp: biên bản và nghị quyết dạng Word (để sửa) và PDF, đúng thể thức "
        "văn bản của Đảng (HD 36-HD/VPTW). «Sổ biên bản sinh hoạt» in mọi cuộc họp đã thông qua "
        "biên bản trong một khoảng thời gian. Nơi tỉnh có tiêu chí chấm điểm, chi bộ tự chấm "
        "điểm buổi sinh hoạt ở mục «Chất lượng sinh hoạt» và cấp ủy cấp trên xác nhận."
    ),
    "Where: the meeting's page → Minutes (PDF, Word), Resolution (PDF, Word); the cell's page → "
    "Minutes book.": (
        "Làm ở đâu: trang cuộc họp → «Biên bản» (PDF, Word), «Nghị quyết» (PDF, Word); trang chi "
        "bộ → «Sổ biên bản sinh hoạt»."
    ),
    "For the commune's staff: which cells met, which did not": (
        "Dành cho cán bộ đảng ủy xã: chi bộ nào đã sinh hoạt, chi bộ nào chưa"
    ),
    "The home page lists the cells of your committee that have not met this month.": (
        "Trang chủ liệt kê các chi bộ thuộc đảng bộ chưa sinh hoạt trong tháng."
    ),
    "The compliance board shows, for a month, each cell's regular meeting, minutes, thematic "
    "meeting, visits and quality level, and sends reminders to the cells that are late.": (
        "«Bảng theo dõi sinh hoạt chi bộ» cho biết, trong một tháng, từng chi bộ đã sinh hoạt "
        "thường kỳ chưa, biên bản, sinh hoạt chuyên đề, việc dự sinh hoạt và mức chất lượng, và "
        "gửi lời nhắc tới các chi bộ chậm."
    ),
    "The meeting calendar of the cells shows the year cell by cell: ✓ minutes approved, "
    "● held, ○ planned, ! no regular meeting.": (
        "«Lịch sinh hoạt của các chi bộ» hiện cả năm theo từng chi bộ: ✓ đã thông qua biên bản, "
        "● đã họp, ○ đã lên lịch, ! không sinh hoạt thường kỳ."
    ),
    "Statistical reports → meetings gives the figures of any period with an Excel export; the "
    "monthly report on attending cell meetings comes as a page, in Word and in Excel.": (
        "«Báo cáo thống kê» → báo cáo sinh hoạt cho số liệu của bất kỳ kỳ nào, xuất được ra "
        "Excel; «Báo cáo kết quả dự sinh hoạt chi bộ hằng tháng» có dạng trang web, Word và "
        "Excel."
    ),
    # what each page is for
    "The main pages of Chibo, in the order of the menu. You see only those your role opens; "
    "the pages about one organization are reached from its page.": (
        "Các trang chính của Chibo, theo thứ tự trình đơn. Bạn chỉ thấy những trang vai trò "
        "của mình được mở; các trang về một tổ chức được mở từ trang của tổ chức đó."
    ),
    "What needs you today, by role: a secretary's next meeting and what it still lacks, "
    "overdue items and open tasks; a member's meetings and tasks; the cells of a commune that "
    "have not met; the province's figures of the month.": (
        "Việc cần làm hôm nay theo vai trò: cuộc họp tới của bí thư và những gì còn thiếu, việc "
        "quá hạn và nhiệm vụ đang mở; cuộc họp và nhiệm vụ của đảng viên; các chi bộ của xã "
        "chưa sinh hoạt; số liệu trong tháng của tỉnh."
    ),
    "The tree of party organizations: open a line to see the units below it, with their "
    "member counts. An organization's page gathers its details, roles, history and the "
    "buttons to every page about it; the organization board restructures from there (add, "
    "rename, move, split, merge, dissolve).": (
        "Cây tổ chức đảng: mở từng dòng để xem các đơn vị trực thuộc cùng số đảng viên. Trang "
        "của một tổ chức có thông tin, vai trò, lịch sử và các nút dẫn tới mọi trang liên quan; "
        "ban tổ chức sắp xếp lại tổ chức từ đó (thêm, đổi tên, chuyển, chia tách, sáp nhập, "
        "giải thể)."
    ),
    "The villages and residential groups, those where no party member lives and those no "
    "cell covers, with the village head and the Front head.": (
        "Danh sách thôn, tổ dân phố, những nơi chưa có đảng viên và những nơi chưa có chi bộ "
        "phụ trách, cùng trưởng thôn và trưởng ban công tác Mặt trận."
    ),
    "The member list of your organizations: search by name without accents, filter by "
    "status, cell type, sex, ethnicity or age, and export the list to Excel.": (
        "Danh sách đảng viên của các tổ chức bạn phụ trách: tìm theo tên không cần gõ dấu, lọc "
        "theo tình trạng, loại hình chi bộ, giới tính, dân tộc, độ tuổi, và xuất ra Excel."
    ),
    "One member: personal and party details, the cells over time, status decisions, party "
    "card and badges, and every change with who made it and when. Open it from the member "
    "list.": (
        "Hồ sơ một đảng viên: thông tin cá nhân và thông tin đảng, quá trình sinh hoạt ở các "
        "chi bộ, các quyết định, thẻ đảng và huy hiệu, cùng mọi thay đổi với người sửa và thời "
        "gian. Mở từ danh sách đảng viên."
    ),
    "Import templates with Vietnamese headers, imports of organizations and members (all or "
    "nothing, with a report of each wrong row) and exports, run in the background.": (
        "Tệp mẫu có tiêu đề tiếng Việt, nhập tổ chức và đảng viên (nhập tất cả hoặc không nhập "
        "gì, kèm báo lỗi từng dòng) và xuất dữ liệu, chạy ngầm."
    ),
    "Your recent and coming meetings, your tasks and your reviews. A cell's meeting calendar "
    "shows its year month by month; a meeting's page carries every step of the meeting, from "
    "the preparation to the approved minutes.": (
        "Các cuộc họp gần đây và sắp tới, nhiệm vụ và bản kiểm điểm của bạn. Lịch sinh hoạt của "
        "chi bộ hiện cả năm theo từng tháng; trang cuộc họp chứa mọi bước của buổi sinh hoạt, từ "
        "chuẩn bị đến khi thông qua biên bản."
    ),
    "The attendance sheet of a meeting, opened once the meeting has started: everyone present "
    "with one button, then the exceptions.": (
        "Bảng điểm danh của cuộc họp, mở sau khi khai mạc: một nút cho tất cả có mặt, rồi sửa "
        "các trường hợp khác."
    ),
    "The minutes in three steps, the votes, the resolution and its tasks, on the meeting's "
    "page; in Word and PDF once held, and the minutes book of a period.": (
        "Biên bản ba bước, biểu quyết, nghị quyết và nhiệm vụ, trên trang cuộc họp; bản Word và "
        "PDF sau khi họp, và sổ biên bản của một khoảng thời gian."
    ),
    "The path from an outstanding person to an official member: each stage with its "
    "documents and deadlines in working days, and the probationary members due for "
    "recognition.": (
        "Quá trình từ quần chúng ưu tú đến đảng viên chính thức: từng bước với hồ sơ và thời hạn "
        "tính theo ngày làm việc, và các đảng viên dự bị đến hạn xét công nhận chính thức."
    ),
    "Official and temporary transfers within or across provinces, with the introduction "
    "letter and the deadlines of 60 and 30 working days.": (
        "Chuyển sinh hoạt đảng chính thức và tạm thời, trong tỉnh hoặc ra ngoài tỉnh, với giấy "
        "giới thiệu và các thời hạn 60 và 30 ngày làm việc."
    ),
    "Quy định 213: members working in an agency or enterprise introduced to the cell where "
    "they live, received by it, and its annual comment on them.": (
        "Quy định 213: đảng viên đang công tác ở cơ quan, doanh nghiệp được giới thiệu về chi bộ "
        "nơi cư trú, được tiếp nhận, và nhận xét hằng năm của chi bộ nơi cư trú."
    ),
    "Quy định 366: the annual and quarterly review — each member's self-review, the cell's "
    "proposal, the decision of the committee above, complaints — and the review of the "
    "collectives.": (
        "Quy định 366: kiểm điểm, đánh giá, xếp loại hằng năm và hằng quý — đảng viên tự kiểm "
        "điểm, chi bộ đề xuất, cấp ủy cấp trên quyết định, khiếu nại — và đánh giá tập thể."
    ),
    "The score sheet of each meeting on the province's rubric: the criteria the data decides "
    "are filled in, the cell scores itself and the committee above confirms; the year's "
    "levels of a cell.": (
        "Phiếu chấm điểm từng buổi sinh hoạt theo tiêu chí của tỉnh: các tiêu chí có sẵn số liệu "
        "được điền tự động, chi bộ tự chấm và cấp ủy cấp trên xác nhận; mức chất lượng cả năm "
        "của chi bộ."
    ),
    "Who follows which cell, the working groups, cross-attendance between secretaries, each "
    "supervisor's visit schedule and reports; the inspection and supervision plans, their "
    "conclusions and follow-up.": (
        "Ai theo dõi chi bộ nào, tổ công tác, dự sinh hoạt chéo giữa các bí thư, lịch và báo cáo "
        "dự sinh hoạt của từng người; chương trình kiểm tra, giám sát, kết luận và việc thực "
        "hiện kết luận."
    ),
    "Structure, residence liaison, meetings, supervision, admissions, ratings, village posts "
    "and campaigns for any organization and period, with a chart, drill-down to the cells and "
    "an Excel export; the monthly or annual summary in Word.": (
        "Báo cáo tổ chức, giữ mối liên hệ nơi cư trú, sinh hoạt, dự sinh hoạt, kết nạp, xếp "
        "loại, cán bộ thôn và phong trào cho mọi tổ chức và kỳ báo cáo, có biểu đồ, xem chi "
        "tiết đến chi bộ và xuất Excel; báo cáo tổng hợp tháng hoặc năm bằng Word."
    ),
    "A cell's dues: the month's sheet (last month's amounts filled in, everyone paid with one "
    "button, then the exceptions) and the year's grid.": (
        "Đảng phí của chi bộ: bảng thu trong tháng (điền sẵn số tiền tháng trước, một nút cho "
        "tất cả đã nộp, rồi sửa các trường hợp khác) và bảng cả năm."
    ),
    "Campaigns launched by a committee and the monthly results each cell enters.": (
        "Các phong trào do cấp ủy phát động và kết quả hằng tháng từng chi bộ nhập."
    ),
    "Every sign-in, refused access, view, export and change, which nobody can edit or delete. "
    "A member sees who read their record; the organization board reads the log of its "
    "organizations.": (
        "Mọi lần đăng nhập, truy cập bị từ chối, xem, xuất và sửa dữ liệu, không ai sửa hay xóa "
        "được. Đảng viên xem ai đã đọc hồ sơ của mình; ban tổ chức xem nhật ký các tổ chức "
        "mình phụ trách."
    ),
    "Your roles, your password, the second sign-in step with an authenticator app and its "
    "backup codes, your open sessions, personal API tokens.": (
        "Vai trò, mật khẩu, bước xác thực thứ hai bằng ứng dụng xác thực và mã dự phòng, các "
        "phiên đăng nhập đang mở, mã truy cập API cá nhân."
    ),
    # empty states that say what to do next
    "No meeting in this year yet.": "Chưa có cuộc họp nào trong năm này.",
    "Set the cell's regular schedule: saving it plans the regular meetings to the end of the "
    "year. Other meetings are added with Plan a meeting.": (
        "Hãy đặt «Lịch sinh hoạt định kỳ» của chi bộ: khi lưu, Chibo lập sẵn các cuộc họp "
        "thường kỳ đến hết năm. Các cuộc họp khác thêm bằng «Lên lịch cuộc họp»."
    ),
    "The cell secretary plans them from the cell's regular schedule.": (
        "Bí thư chi bộ lập các cuộc họp từ lịch sinh hoạt định kỳ của chi bộ."
    ),
    "To start someone on the path to membership, add them as a new candidate; each stage then "
    "shows its deadline.": (
        "Để bắt đầu bồi dưỡng một quần chúng ưu tú, hãy thêm người đó; mỗi bước sau đó sẽ hiện "
        "thời hạn của mình."
    ),
    "Candidates are added by the cell secretary or the organization board.": (
        "Quần chúng ưu tú do bí thư chi bộ hoặc ban tổ chức thêm vào."
    ),
    "A transfer starts from the member's page, with the button Transfer party activity.": (
        "Việc chuyển sinh hoạt bắt đầu từ trang của đảng viên, bằng nút «Chuyển sinh hoạt»."
    ),
    "Open the annual or quarterly review: the members then self-review and the cell proposes "
    "their levels.": (
        "Hãy bắt đầu đợt kiểm điểm năm hoặc quý: sau đó đảng viên tự kiểm điểm và chi bộ đề "
        "xuất mức xếp loại."
    ),
    "Launch one with the button above; each cell then records its results month by month.": (
        "Phát động phong trào bằng nút ở trên; sau đó từng chi bộ nhập kết quả hằng tháng."
    ),
    "Campaigns are launched by a committee; its cells then record their results here.": (
        "Phong trào do cấp ủy phát động; các chi bộ trực thuộc nhập kết quả tại đây."
    ),
    "Choose another list above: on the workplace side, the members still to introduce to "
    "their place of residence come first.": (
        "Hãy chọn danh sách khác ở trên: bên nơi công tác, danh sách đầu tiên là những đảng "
        "viên còn phải giới thiệu về nơi cư trú."
    ),
    "The cell meets its working members twice a year: plan one with the kind residence-"
    "liaison meeting.": (
        "Chi bộ họp với đảng viên đang công tác sáu tháng một lần: hãy lên lịch một buổi, loại "
        "«Họp với đảng viên đang công tác (QĐ 213)»."
    ),
    "A member appears here once their workplace introduces them and the commune or ward "
    "committee receives them.": (
        "Đảng viên sẽ hiện ở đây khi nơi công tác giới thiệu về và đảng ủy xã, phường tiếp nhận."
    ),
    "Those who follow the cell register for one of its coming meetings under My visit "
    "schedule, then report the visit.": (
        "Người theo dõi chi bộ đăng ký dự một cuộc họp sắp tới trong «Lịch dự sinh hoạt», rồi "
        "báo cáo kết quả dự."
    ),
    "Each cell's followers register for its coming meetings under My visit schedule; working "
    "groups and cross-attendance are set up from this committee's page.": (
        "Người theo dõi từng chi bộ đăng ký dự các cuộc họp sắp tới trong «Lịch dự sinh hoạt»; "
        "tổ công tác và dự sinh hoạt chéo được lập từ trang của đảng bộ này."
    ),
    "Download a template above, fill it in and import it, or export a list: each job then "
    "shows here with its progress.": (
        "Hãy tải tệp mẫu ở trên, điền rồi nhập vào, hoặc xuất một danh sách: mỗi việc sẽ hiện ở "
        "đây cùng tiến độ."
    ),
    "The tasks the cell gives you in its monthly resolution appear here; report your progress "
    "on each.": (
        "Các nhiệm vụ chi bộ giao cho bạn trong nghị quyết tháng sẽ hiện ở đây; hãy báo cáo "
        "tiến độ từng việc."
    ),
    "Write below what has been done, then press Report progress.": (
        "Hãy ghi việc đã làm vào ô dưới đây, rồi bấm «Báo cáo tiến độ»."
    ),
    # empty states: links named apart from the page's own button of the same action
    "Add the first candidate": "Thêm người đầu tiên",
    "Record one arriving from outside the system": "Ghi nhận đảng viên chuyển đến từ ngoài hệ thống",
}
