from linkage.resolve import parallel


def _level(a, b):
    return "same" if a % 7 == b % 7 else None


def test_split_between_processes_gives_the_levels_of_one_process(monkeypatch):
    feats = list(range(1000))
    a_idx = [i % 1000 for i in range(5001)]
    b_idx = [(i * 31) % 1000 for i in range(5001)]
    expected = [_level(feats[a], feats[b]) for a, b in zip(a_idx, b_idx)]
    monkeypatch.setattr(parallel, "MIN_PAIRS", 10)
    assert parallel.levels_of_pairs(_level, feats, a_idx, b_idx) == expected
    monkeypatch.setattr(parallel, "MIN_PAIRS", 10**9)
    assert parallel.levels_of_pairs(_level, feats, a_idx, b_idx) == expected
