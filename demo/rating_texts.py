"""Vietnamese wording of the demo self-reviews (bản tự kiểm điểm, forms 2A/2B/2C of HD 43) and
the cells' comments on their proposals: data, not UI strings. The results follow the member's
evidence panel (meetings attended, tasks) and the kind of cell they work in.
"""

from demo.structure import REF
from organizations.models import CellType
from ratings.models import RANK, Level

YEAR = REF.year

RESULTS = {
    "residential": [
        "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy ước "
        "của khu dân cư.",
        "Tích cực tham gia phong trào xây dựng nông thôn mới, góp ngày công làm đường giao thông "
        "liên thôn.",
        "Vận động gia đình và bà con giữ gìn vệ sinh môi trường, an ninh trật tự ở khu dân cư.",
        "Phát triển kinh tế gia đình, mở rộng diện tích trồng quế, hồi; thu nhập của gia đình ổn "
        "định.",
        "Tham gia vận động nhân dân đóng góp Quỹ Vì người nghèo, Quỹ Đền ơn đáp nghĩa.",
        "Tham gia sinh hoạt Hội Cựu chiến binh, Hội Người cao tuổi, góp phần giữ gìn đoàn kết ở "
        "thôn.",
        "Tuyên truyền, vận động bà con thực hiện nếp sống văn minh trong việc cưới, việc tang.",
    ],
    "office": [
        "Hoàn thành 100% nhiệm vụ chuyên môn được giao, trong đó {pct}% nhiệm vụ hoàn thành vượt "
        "tiến độ.",
        "Tham mưu xây dựng {n} văn bản, báo cáo đúng thời hạn, bảo đảm chất lượng.",
        "Giải quyết hồ sơ, thủ tục hành chính đúng hạn, không để tồn đọng, không có phản ánh của "
        "người dân.",
        "Chấp hành nghiêm nội quy, quy chế làm việc của cơ quan, đơn vị.",
    ],
    "school": [
        "Hoàn thành tốt nhiệm vụ giảng dạy; tỷ lệ học sinh lên lớp đạt {pct2}%.",
        "Bồi dưỡng học sinh giỏi, phụ đạo học sinh yếu có kết quả rõ rệt.",
        "Tích cực đổi mới phương pháp dạy học, ứng dụng công nghệ thông tin trong giảng dạy.",
    ],
    "enterprise": [
        "Hoàn thành vượt {pct}% kế hoạch sản xuất, kinh doanh được giao.",
        "Chấp hành tốt quy trình an toàn lao động, không để xảy ra sự cố.",
        "Tham gia sáng kiến cải tiến kỹ thuật, tiết kiệm chi phí cho đơn vị.",
    ],
    "uniformed": [
        "Chấp hành nghiêm chế độ trực sẵn sàng chiến đấu, trực chỉ huy, trực ban.",
        "Hoàn thành tốt nhiệm vụ huấn luyện; kết quả kiểm tra đạt khá, giỏi.",
        "Tham gia bảo đảm an ninh chính trị, trật tự, an toàn xã hội trên địa bàn.",
    ],
}
PROFILE = {
    CellType.VILLAGE: "residential",
    CellType.RESIDENTIAL: "residential",
    CellType.AGENCY: "office",
    CellType.PUBLIC_SERVICE: "office",
    CellType.SCHOOL: "school",
    CellType.STATE_ENTERPRISE: "enterprise",
    CellType.PRIVATE_ENTERPRISE: "enterprise",
    CellType.ARMY: "uniformed",
    CellType.POLICE: "uniformed",
}
STRENGTHS = [
    "Có lập trường tư tưởng chính trị vững vàng, tuyệt đối trung thành với Đảng.",
    "Chấp hành nghiêm Cương lĩnh chính trị, Điều lệ Đảng và nghị quyết của chi bộ.",
    "Giữ gìn phẩm chất đạo đức, lối sống giản dị, trung thực.",
    "Có ý thức tổ chức kỷ luật, tinh thần đoàn kết, xây dựng nội bộ.",
    "Gần gũi, lắng nghe ý kiến của quần chúng.",
    "Tích cực học tập, quán triệt và thực hiện các nghị quyết của Đảng.",
    "Không có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, "
    "“tự chuyển hóa”.",
]
MILD_SHORTCOMINGS = [
    "Có lúc chưa mạnh dạn đấu tranh, phê bình trong sinh hoạt chi bộ.",
    "Việc nghiên cứu, học tập lý luận chính trị còn hạn chế.",
    "Đôi khi còn chậm nắm bắt tâm tư, nguyện vọng của quần chúng.",
    "Việc ứng dụng công nghệ thông tin trong công việc còn hạn chế.",
]
WEAK_SHORTCOMINGS = [
    "Chưa thực sự gương mẫu trong thực hiện nhiệm vụ được giao.",
    "Chưa tích cực tham gia các phong trào ở địa phương.",
]
CAUSES = [
    "Nguyên nhân chủ yếu do chủ quan, chưa sắp xếp thời gian hợp lý.",
    "Nguyên nhân: công việc gia đình còn nhiều khó khăn, bản thân chưa dành nhiều thời gian cho "
    "việc học tập.",
    "Nguyên nhân do khối lượng công việc lớn, có lúc chưa chủ động.",
]
OLD_AGE_CAUSE = "Nguyên nhân do tuổi cao, sức khỏe hạn chế."
REMEDIES = [
    "Tiếp tục học tập, rèn luyện, nâng cao bản lĩnh chính trị và năng lực công tác.",
    "Tham gia sinh hoạt chi bộ đầy đủ, đúng giờ; phát huy tinh thần tự phê bình và phê bình.",
    "Sắp xếp thời gian hợp lý để hoàn thành các nhiệm vụ được phân công.",
    "Giữ mối liên hệ thường xuyên với chi ủy nơi cư trú, gương mẫu ở khu dân cư.",
    f"Khắc phục ngay những hạn chế đã nêu trong năm {YEAR + 1}.",
]
CELL_COMMENTS = {
    Level.EXCELLENT: [
        "Đồng chí gương mẫu, hoàn thành xuất sắc nhiệm vụ được giao, có sản phẩm cụ thể.",
        "Có nhiều đóng góp cho phong trào chung, được quần chúng tín nhiệm.",
    ],
    Level.GOOD: [
        "Chi bộ thống nhất với nội dung bản tự kiểm điểm của đồng chí.",
        "Đồng chí hoàn thành tốt nhiệm vụ được giao; cần mạnh dạn hơn trong phê bình.",
        "",
    ],
    Level.COMPLETED: [
        "Đề nghị đồng chí tham gia sinh hoạt chi bộ đầy đủ hơn và hoàn thành đúng hạn các nhiệm "
        "vụ được giao.",
        "Đồng chí còn hạn chế trong thực hiện nhiệm vụ; cần khắc phục trong năm tới.",
    ],
    Level.NOT_COMPLETED: [
        "Đồng chí không hoàn thành nhiệm vụ được giao, nhiều lần vắng sinh hoạt không có lý do; "
        "chi bộ yêu cầu đồng chí kiểm điểm sâu sắc, có biện pháp khắc phục.",
    ],
}
LOWER_THAN_SELF = "Chi bộ đề nghị xếp loại thấp hơn mức đồng chí tự đánh giá."


def self_review(rng, e, cell_type: str, level: str, old: bool) -> dict:
    """The four parts of a self-review (results, strengths, shortcomings and their causes,
    remedies) of a member whose evidence panel is `e` and who rates themself `level`."""
    results = []
    if e.expected:
        if e.attended == e.expected:
            results.append(f"Tham gia đầy đủ {e.attended}/{e.expected} buổi sinh hoạt chi bộ.")
        else:
            absent = [f"{e.excused} buổi có lý do"] if e.excused else []
            if e.unexcused:
                absent.append(f"{e.unexcused} buổi không có lý do")
            results.append(
                f"Tham gia {e.attended}/{e.expected} buổi sinh hoạt chi bộ"
                + (f" (vắng {', '.join(absent)})." if absent else ".")
            )
    if e.assigned:
        task = f"Hoàn thành {e.done}/{e.assigned} nhiệm vụ được chi bộ phân công"
        if e.not_done:
            task += f", {e.not_done} nhiệm vụ chưa hoàn thành"
        if e.assigned - e.done - e.not_done:
            task += f", {e.assigned - e.done - e.not_done} nhiệm vụ đang thực hiện"
        results.append(task + ".")
    for sentence in rng.sample(RESULTS[PROFILE.get(cell_type, "office")], 2):
        results.append(
            sentence.format(
                pct=rng.choice((10, 15, 20, 25, 30, 35)),
                n=rng.randint(8, 40),
                pct2=rng.choice((97, 98, 99, 100)),
            )
        )
    results.append("Đóng đảng phí đầy đủ, đúng quy định.")
    if RANK[level] >= RANK[Level.GOOD]:
        shortcomings = [rng.choice(MILD_SHORTCOMINGS)]
    else:
        shortcomings = []
        if e.unexcused:
            shortcomings.append(
                f"Tham gia sinh hoạt chi bộ chưa đầy đủ, còn {e.unexcused} buổi vắng "
                "không có lý do."
            )
        if e.not_done:
            shortcomings.append(f"Chưa hoàn thành {e.not_done} nhiệm vụ được chi bộ phân công.")
        if not shortcomings:
            shortcomings.append(rng.choice(WEAK_SHORTCOMINGS))
    shortcomings.append(OLD_AGE_CAUSE if old else rng.choice(CAUSES))
    return {
        "results": " ".join(results),
        "strengths": " ".join(rng.sample(STRENGTHS, rng.randint(2, 3))),
        "shortcomings": " ".join(shortcomings),
        "remedies": " ".join(rng.sample(REMEDIES, 2)),
    }


def cell_comment(rng, level: str, lower: bool) -> str:
    """The cell's comment on a proposal; `lower`: below the member's own assessment."""
    comment = rng.choice(CELL_COMMENTS[level])
    if lower and rng.random() < 0.5:
        comment = f"{comment} {LOWER_THAN_SELF}".strip()
    return comment
