#!/usr/bin/env python3
"""Writes a synthetic recording and replay results for `reprise diff` at scale.

usage: gen.py N OUT_DIR  -> OUT_DIR/recorded.reprise.jsonl, results.reprise.jsonl, baseline.reprise.jsonl
20 endpoints; every exchange carries volatile fields (UUID, timestamp) and a `node` label that is
fixed per run (as a host name would be); ~1% of results change a field, 0.2% turn into 500s, and one
endpoint gets +40 ms on 10% of its requests. baseline.reprise.jsonl is a second run of the unchanged
build (for --baseline)."""
import json, random, sys, uuid, os

n = int(sys.argv[1]); out = sys.argv[2]
rnd = random.Random(7)
header = {"format": "reprise-recording", "version": 1, "tool": "gen.py", "createdAt": "2026-11-26T00:00:00+00:00", "capture": {}}
endpoints = [f"/api/res{i}" for i in range(20)]

def body(i, ep, changed, node):
    doc = {"id": i, "kind": ep, "name": f"item {i % 97}", "price": round(10 + (i % 50) * 1.5 + (1 if changed else 0), 2),
           "tags": ["a", "b", "c"][: 1 + i % 3], "meta": {"requestId": str(uuid.UUID(int=rnd.getrandbits(128))),
           "at": f"2026-11-26T00:{(i // 60) % 60:02d}:{i % 60:02d}Z"}, "node": node}
    return json.dumps(doc)

def exchange(id_, i, ep, status, text, ms, tags=None):
    e = {"id": id_, "direction": "inbound", "service": "svc", "protocol": "http1", "startedAt": "2026-11-26T00:00:00+00:00",
         "durationMs": ms, "request": {"method": "GET", "url": f"http://svc.test{ep}/{i}", "version": "HTTP/1.1", "headers": [["accept", "application/json"]]},
         "response": {"status": status, "version": "HTTP/1.1", "headers": [["content-type", "application/json"], ["date", "x"], ["x-request-id", str(i)]],
                      "body": {"mediaType": "application/json", "size": len(text), "encoding": "utf8", "content": text}}}
    if tags: e["tags"] = tags
    return json.dumps(e)

with open(os.path.join(out, "recorded.reprise.jsonl"), "w") as rec, open(os.path.join(out, "results.reprise.jsonl"), "w") as res, \
        open(os.path.join(out, "baseline.reprise.jsonl"), "w") as base:
    rec.write(json.dumps(header) + "\n"); res.write(json.dumps(header) + "\n"); base.write(json.dumps(header) + "\n")
    for i in range(n):
        ep = endpoints[i % 20]
        ms = round(rnd.lognormvariate(2.5, 0.4), 3)
        rec.write(exchange(f"r{i}", i, ep, 200, body(i, ep, False, "node-a"), ms) + "\n")
        base.write(exchange(f"b{i}", i, ep, 200, body(i, ep, False, "node-b"), round(rnd.lognormvariate(2.5, 0.4), 3), {"replay.of": f"r{i}", "replay.copy": "0", "replay.run": "base"}) + "\n")
        changed = rnd.random() < 0.01
        error = rnd.random() < 0.002
        slow = ep == "/api/res3" and rnd.random() < 0.10
        ms2 = round(rnd.lognormvariate(2.5, 0.4) + (40 if slow else 0), 3)
        text = json.dumps({"error": "internal"}) if error else body(i, ep, changed, "node-c")
        res.write(exchange(f"x{i}", i, ep, 500 if error else 200, text, ms2, {"replay.of": f"r{i}", "replay.copy": "0", "replay.run": "gen"}) + "\n")
