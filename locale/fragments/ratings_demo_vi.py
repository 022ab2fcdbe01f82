"""Vietnamese for the seed_demo summary of the 2025 review and rating (demo/ratings.py)."""

T = {
    "Review and rating of %(year)s: %(cycles)s reviews, %(reviews)s members (%(decided)s decided, %(proposed)s proposed by their cell, %(waiting)s waiting, %(excluded)s not rated), %(collectives)s collectives decided.": "Kiểm điểm, xếp loại chất lượng năm %(year)s: %(cycles)s đợt kiểm điểm, %(reviews)s đảng viên (%(decided)s đã được cấp trên quyết định xếp loại, %(proposed)s đã được chi bộ đề xuất, %(waiting)s đang chờ, %(excluded)s không xếp loại), %(collectives)s tập thể đã được xếp loại.",
}
