"""Clustering that does not chain.

Match edges are merged strongest first (union-find). A merge is refused when it would put two
records with a cannot-link between them (conflicting dates of birth or documents, an analyst's
"not same") into one entity, so A~B and B~C cannot drag a contradictory A and C together.
Analysts' "same" judgements are applied before any scored edge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


_UNKNOWN = object()


class ConstrainedClusters:
    def __init__(self, n: int, constrained: Sequence[bool], cannot: Callable[[int, int], str | None],
                 not_same: Iterable[tuple[int, int]] = (), hard_key: Sequence[int] | None = None):
        """`hard_key[i]`: members with equal keys get the same answer from `cannot` against
        anyone, so a cluster checks only one member per key (a person reported forty times with
        one date of birth is checked once, not forty times)."""
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        # members that carry hard attributes: only they need pairwise cannot-link checks;
        # per cluster, one member per distinct hard key
        keys = hard_key if hard_key is not None else range(n)
        self.key = keys
        self.hard: dict[int, dict[int, int]] = {i: {keys[i]: i} for i in range(n) if constrained[i]}
        self.cannot = cannot
        # `cannot`'s answers by (hard key, hard key), when it keeps them (pipeline._cached_cannot);
        # otherwise an empty dict that never answers, so `cannot` is asked every time
        seen = getattr(cannot, "seen", None) if hard_key is not None else None
        self.seen: dict = seen if seen is not None else {}
        self.not_same: dict[int, set[int]] = {}
        for a, b in not_same:
            self.not_same.setdefault(a, set()).add(b)
            self.not_same.setdefault(b, set()).add(a)
        self.refused = 0

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def blocked(self, ra: int, rb: int) -> str | None:
        ma, mb = self.members[ra], self.members[rb]
        small, other = (ma, rb) if len(ma) <= len(mb) else (mb, ra)
        for i in small:
            for j in self.not_same.get(i, ()):
                if self.find(j) == other:
                    return "an analyst judged them not the same"
        ha, hb = self.hard.get(ra), self.hard.get(rb)
        if not ha or not hb:
            return None
        seen, cannot = self.seen, self.cannot
        for ka, i in ha.items():  # the hard keys themselves: answers already known are looked up
            for kb, j in hb.items():
                reason = seen.get((ka, kb), _UNKNOWN)
                if reason is _UNKNOWN:
                    reason = cannot(i, j)
                if reason:
                    return reason
        return None

    def union(self, a: int, b: int, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self.blocked(ra, rb):
            self.refused += 1
            return False
        self._link(ra, rb)
        return True

    def _link(self, ra: int, rb: int) -> None:
        """Merge two roots: the smaller cluster joins the larger, with its hard members."""
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        if rb in self.hard:
            into = self.hard.setdefault(ra, {})
            for k, i in self.hard.pop(rb).items():
                into.setdefault(k, i)

    def known_answer(self, ra: int, rb: int, a: int, b: int, cannot_ab: bool) -> bool:
        """Whether `cannot_ab` (the rule's answer for members a and b) is also `blocked(ra, rb)`'s:
        a "yes" when both carry hard keys, a "no" when each holds its cluster's only hard key
        and no analyst's "not same" is in play."""
        if self.not_same:
            return False
        ha, hb = self.hard.get(ra), self.hard.get(rb)
        if not ha or not hb or self.key[a] not in ha or self.key[b] not in hb:
            return False
        return cannot_ab or (len(ha) == 1 and len(hb) == 1)

    def refuses(self, ra: int, rb: int, a: int, b: int, cannot_ab: bool | None = None) -> bool:
        """Whether clusters ra and rb (holding members a and b) must stay apart: `cannot_ab`,
        the rule's answer for a and b when it was worked out, where `known_answer` says it is
        the clusters' answer too, else `blocked(ra, rb)` member by member."""
        if cannot_ab is not None and self.known_answer(ra, rb, a, b, cannot_ab):
            return cannot_ab
        return bool(self.blocked(ra, rb))

    def union_all(self, lefts: Sequence[int], rights: Sequence[int],
                  known: Sequence[bool] | None = None) -> list[bool]:
        """[self.union(a, b) for a, b in zip(lefts, rights)], with the roots found and the common
        cases (already together; neither side holding anything that could conflict) answered
        inline: a run asks this about hundreds of thousands of pairs, most already together.

        `known[p]`: whether `cannot` keeps the p-th pair's own records apart, worked out for all
        pairs at once; where `known_answer` says it is their clusters' answer too (most merges
        join a record to a cluster of one date of birth) the clusters are not checked member by
        member as in `union`."""
        parent, hard, link = self.parent, self.hard, self._link
        checks = bool(self.not_same)
        out: list[bool] = []
        append = out.append
        for p, (a0, b0) in enumerate(zip(lefts, rights)):
            ra = a = a0
            while parent[ra] != ra:
                ra = parent[ra]
            while parent[a] != ra:
                parent[a], a = ra, parent[a]
            rb = b = b0
            while parent[rb] != rb:
                rb = parent[rb]
            while parent[b] != rb:
                parent[b], b = rb, parent[b]
            if ra == rb:
                append(True)
                continue
            if (checks or (ra in hard and rb in hard)) and self.refuses(
                    ra, rb, a0, b0, None if known is None else known[p]):
                self.refused += 1
                append(False)
                continue
            link(ra, rb)
            append(True)
        return out

    def groups(self) -> list[list[int]]:
        return [sorted(m) for m in self.members.values()]
