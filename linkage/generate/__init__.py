"""Synthetic data for the demo, the tests and the benchmarks.

    world = generate_world(3000, seed=7, as_of=date(2025, 6, 30))
    paths = write_world(world, Path("demo-out/data"))

A world is a set of true people, places, businesses, phones, vehicles and accounts (`cast.py`)
organised into crime groups with venues in one or more force areas, benign hubs (police stations,
safe houses, removal centres, ports ...) that victims from many groups pass through, and reports
about them in the four input formats of FORMATS.md, each mention spelt the way real forms spell
things (`mentions.py`). `truth` says which true entity every record in every report is;
`planted` lists the facts the analytics should find (cross-border groups, linked venues, repeat
locations, section 45 overlaps, relocated victims, people under orders, routing cases).
"""

from linkage.generate.world import TRUTH_COLUMNS, GeneratedWorld, generate_world
from linkage.generate.writer import write_world

__all__ = ["GeneratedWorld", "TRUTH_COLUMNS", "generate_world", "write_world"]
