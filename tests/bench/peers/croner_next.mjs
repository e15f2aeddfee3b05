// Prints COUNT fire times of EXPR in ZONE after FROM, one UTC epoch second a
// line, with croner (npm). The peer of `omnicron next` in
// tests/bench/next_vs_peers.py.
import { Cron } from "croner";

const [expr, zone, start, countText] = process.argv.slice(2);
const count = Number(countText);
const job = new Cron(expr, { timezone: zone, paused: true });
let at = new Date(start);
const out = [];
for (let i = 0; i < count; i++) {
  at = job.nextRun(at);
  out.push(String(at.getTime() / 1000));
}
process.stdout.write(out.join("\n") + "\n");
