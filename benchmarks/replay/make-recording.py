#!/usr/bin/env python3
"""Writes the replay benchmarks' recording: 10,000 inbound GET /hello exchanges (looped by --duration).

Usage: make-recording.py OUT.reprise.jsonl [--redacted]
  --redacted  the header says the recording was redacted with the default policy (replay then redacts its results)
"""
import json
import sys

header = {"format": "reprise-recording", "version": 1, "tool": "bench", "createdAt": "2026-01-01T00:00:00+00:00", "capture": {"source": "bench"}}
if "--redacted" in sys.argv[2:]:
    header["redaction"] = {"policy": "default", "digest": "sha256:bench"}
with open(sys.argv[1], "w") as f:
    f.write(json.dumps(header) + "\n")
    for i in range(10000):
        f.write(json.dumps({"id": f"b{i}", "direction": "inbound", "service": "bench", "protocol": "http1",
            "startedAt": f"2026-01-01T00:00:{(i // 1000):02d}.{(i % 1000):03d}0000+00:00", "durationMs": 1.0,
            "request": {"method": "GET", "url": "http://bench.test/hello", "version": "HTTP/1.1", "headers": [["accept", "application/json"]]},
            "response": {"status": 200, "version": "HTTP/1.1", "headers": [["content-type", "application/json"]],
                         "body": {"mediaType": "application/json", "size": 27, "encoding": "utf8", "content": "{\"hello\":\"world\",\"n\":42}\n"}}}) + "\n")
