#!/usr/bin/env python3
"""Canonical, sorted dump of a case database's facts, for before/after comparisons.

    python3 benchmarks/k8s/dump_facts.py case.db > facts.txt

Every node, edge (with attributes, interval and certainty), evidence link (by document sha and
location) and diagnostic, keyed by content rather than row ids, so that two databases holding
the same facts dump identically whatever order they were written in. Ingest times are left out.
"""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
q = db.execute
lines = []
for row in q("SELECT kind, key, attrs FROM nodes"):
    lines.append("N\t" + "\t".join(map(str, row)))
for row in q("""SELECT e.kind, s.kind, s.key, d.kind, d.key, e.qualifier, e.first_seen, e.last_seen, e.certainty, e.attrs
                FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst"""):
    lines.append("E\t" + "\t".join(map(str, row)))
for row in q("""SELECT n.kind, n.key, doc.sha256, ev.location FROM node_evidence ev
                JOIN nodes n ON n.id = ev.node_id JOIN documents doc ON doc.id = ev.document_id"""):
    lines.append("NE\t" + "\t".join(map(str, row)))
for row in q("""SELECT e.kind, s.kind, s.key, d.kind, d.key, e.qualifier, doc.sha256, ev.location FROM edge_evidence ev
                JOIN edges e ON e.id = ev.edge_id JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst
                JOIN documents doc ON doc.id = ev.document_id"""):
    lines.append("EE\t" + "\t".join(map(str, row)))
for row in q("""SELECT doc.sha256, g.severity, g.message, g.location FROM diagnostics g
                JOIN documents doc ON doc.id = g.document_id"""):
    lines.append("D\t" + "\t".join(map(str, row)))
for row in q("SELECT sha256, format, source, size, observed_at, ingestor, ingestor_version FROM documents"):
    lines.append("DOC\t" + "\t".join(map(str, row)))
lines.sort()
sys.stdout.write("\n".join(lines) + "\n")
