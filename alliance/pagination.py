"""Pagination for the long lists (people, tours, the feed, per-manager reports).

Django's Paginator counts every row the list could show: PostgreSQL has no stored row count, so at
10,000 employees that is a scan of 5,000 people or 30,000 tours on every page view, longer than the
page's own query. CappedPaginator counts only as far as it needs: up to CAP rows past the start of
the requested page. Below that the total is exact; beyond it the page says "more than 1,000" and
still knows whether a next page exists."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

CAP = 1000
# A page number so large that the rows it skips cannot exist: count everything (exact) instead of
# asking the database for a LIMIT it may not hold.
FAR = 10**9


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap=None):
        super().__init__(object_list, per_page)
        self.cap, self.limit = CAP if cap is None else cap, None

    def page(self, number):
        if "count" not in self.__dict__:  # the first page asked for decides how far the count looks
            try:
                start = max(int(number) - 1, 0) * self.per_page
            except (TypeError, ValueError):
                start = 0
            self.limit = start + self.cap + 1 if start < FAR else None
        return super().page(number)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            # Past the end, the count looked further than the rows go, so it is exact and the last page is
            # right; only below page 1 can the count be capped, and then the first page is the clear answer.
            return self.page(1 if self.more_than else self.num_pages)

    @cached_property
    def count(self):
        if self.limit is None:
            return super().count
        # No ORDER BY (a count does not need one) and only the key: COUNT(*) over (SELECT id ... LIMIT n).
        return self.object_list.order_by().values("pk")[: self.limit].count()

    @property
    def more_than(self):
        """ "1,000" when the count stopped at its cap (there are more rows than that), else None."""
        return f"{self.count - 1:,}" if self.limit is not None and self.count >= self.limit else None
