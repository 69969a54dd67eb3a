#!/usr/bin/env python3
"""Regenerates FILES in src/sim/lessons/catalogue.rs from lessons/*.json: by track (the guide's
order, as Track::ALL lists them), then by id. tests/lessons.rs checks the two agree."""
import json, pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
tracks = ["events-and-pubsub", "streaming-vs-queuing", "partitions-and-ordering", "routing",
          "delivery-guarantees", "idempotency", "retries", "poison-and-dlq", "circuit-breakers",
          "monitoring", "event-sourcing", "cqrs", "schema-evolution"]
lessons = []
for f in sorted((root / "lessons").glob("*.json")):
    track = json.loads(f.read_text())["track"]
    lessons.append((tracks.index(track), f.stem))
lessons.sort()
entries = "".join(f'    ("{i}", include_str!("../../../lessons/{i}.json")),\n' for _, i in lessons)
cat = root / "src/sim/lessons/catalogue.rs"
text = cat.read_text()
text, n = re.subn(r"pub const FILES: &\[\(&str, &str\)\] = &\[.*?\];",
                  "pub const FILES: &[(&str, &str)] = &[\n" + entries + "];", text, flags=re.S)
assert n == 1
cat.write_text(text)
print(len(lessons), "lessons")
