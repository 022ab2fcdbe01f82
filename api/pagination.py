"""Page-number pagination: {items, count, page, pages}, two queries whatever the page size."""

import math


def paginate(qs, paging) -> tuple[list, dict]:
    count = qs.count()
    pages = max(1, math.ceil(count / paging.page_size))
    if paging.page > pages:
        items = []  # past the end: an empty page, not an error, so loops stop cleanly
    else:
        start = (paging.page - 1) * paging.page_size
        items = list(qs[start : start + paging.page_size])
    return items, {"count": count, "page": paging.page, "pages": pages}
