# Prints COUNT fire times of EXPR in ZONE after FROM, one instant a
# line as ISO-8601 local time with offset, with croniter (Debian's python3-croniter). The peer of
# `omnicron next` in tests/bench/next_vs_peers.py.
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter

expr, zone, start, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
it = croniter(expr, datetime.fromisoformat(start).astimezone(ZoneInfo(zone)))
out = [it.get_next(datetime).isoformat() for _ in range(count)]
sys.stdout.write("\n".join(out) + "\n")
