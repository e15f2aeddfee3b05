#!/usr/bin/env python3
"""Task XML round trip: every Windows job of every example, rendered as task
XML, read back by `import --format task-xml` (what `export` does on Windows
with the tasks it finds), renders the same tasks again: nothing is lost in
either direction. Only the lines naming the manifest file differ (a task's
Author, and the digest that covers it).

    task_xml_round_trip.py OMNICRON EXAMPLES_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

omnicron, examples = sys.argv[1], sys.argv[2]
# The zone each example is meant for (a job's `timezone` must be the
# machine's on Windows); UTC for the rest.
ZONES = {"windows-desktop.yaml": "Europe/Lisbon"}
# Lines that name the manifest the task was rendered from.
FILE_LINES = re.compile(r"^\s*<(Author|Version)>")
failures = []


def render(manifest, env):
    out = subprocess.run([omnicron, "render", "--format", "task-xml", "-f", manifest, "--json"],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"render -f {manifest} failed ({out.returncode}):\n{out.stderr}")
    rendered = json.loads(out.stdout)
    return rendered["namespace"], {t["job"]: t["xml"] for t in rendered["tasks"]}


def comparable(xml):
    return [line for line in xml.splitlines() if not FILE_LINES.match(line)]


for name in sorted(os.listdir(examples)):
    if not name.endswith(".yaml"):
        continue
    manifest = os.path.join(examples, name)
    env = dict(os.environ, TZ=ZONES.get(name, "UTC"), LC_ALL="C.UTF-8")
    namespace, tasks = render(manifest, env)
    if not tasks:
        continue
    with tempfile.TemporaryDirectory() as work:
        files = []
        for job, xml in tasks.items():
            path = os.path.join(work, job + ".xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(xml)
            files.append(path)
        imported = os.path.join(work, "imported.yaml")
        out = subprocess.run([omnicron, "import", "--format", "task-xml", "--namespace", namespace,
                              "-o", imported] + files,
                             capture_output=True, text=True, env=env)
        if out.returncode != 0:
            failures.append(f"{name}: import failed ({out.returncode}):\n{out.stderr}")
            continue
        # Every task becomes a job. One may be "in part" with a note and
        # still come back the same: `render` does not know the Windows user,
        # so a logon trigger waits for any user's logon, which a job cannot
        # say; the task rendered from the job is that same task again.
        if "; 0 files not imported" not in out.stderr:
            failures.append(f"{name}: import left tasks out:\n{out.stderr}")
        _, again = render(imported, env)
        if sorted(again) != sorted(tasks):
            failures.append(f"{name}: jobs {sorted(tasks)} came back as {sorted(again)}")
            continue
        for job in tasks:
            before, after = comparable(tasks[job]), comparable(again[job])
            if before != after:
                diff = [f"  - {a}\n  + {b}" for a, b in zip(before, after) if a != b]
                failures.append(f"{name}: {job} differs after the round trip:\n" + "\n".join(diff[:10]))
    print(f"{name}: {len(tasks)} task(s) round-tripped")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
