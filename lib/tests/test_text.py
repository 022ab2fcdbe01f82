import unicodedata

from lib.text import fold, normalize_name, search_terms, search_text, sort_key


def test_fold_drops_tone_marks_and_maps_d_stroke():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẢNG BỘ") == "dang bo"


def test_nfd_and_nfc_spellings_are_the_same_person():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert nfd != "Nguyễn Thị Ánh"
    assert normalize_name(nfd) == "Nguyễn Thị Ánh"
    assert fold(nfd) == fold("Nguyễn Thị Ánh")
    assert sort_key(nfd, True) == sort_key("Nguyễn Thị Ánh", True)


def test_search_matches_word_starts_only():
    stored = search_text("Đảng bộ xã An Bình")
    assert all(t in stored for t in search_terms("dang bo"))
    assert all(t in stored for t in search_terms("binh an"))  # any order
    assert " an" in stored
    assert not all(t in search_text("Nguyễn Văn Đức") for t in search_terms("an"))


def test_vietnamese_sort_order_by_given_name_then_family():
    names = [
        "Nguyễn Văn Đức",
        "Phạm Dũng",
        "Trần Thị Ánh",
        "Lê Anh",
        "Bùi Ân",
        "Đỗ Ăn",
        "Vũ An",
        "Ngô Bình",
    ]
    ordered = sorted(names, key=lambda n: sort_key(n, given_name_first=True))
    # a < ă < â; An before Anh; tone marks only break ties; d < đ.
    assert ordered == [
        "Vũ An",
        "Lê Anh",
        "Trần Thị Ánh",
        "Đỗ Ăn",
        "Bùi Ân",
        "Ngô Bình",
        "Phạm Dũng",
        "Nguyễn Văn Đức",
    ]


def test_sort_key_is_digits_only_so_database_collations_agree():
    assert sort_key("Nguyễn Văn Đức", True).isdigit()
