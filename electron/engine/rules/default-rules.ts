// The rule set the application ships with: GUIDELINES.md version 2 (G1–G4), as text.
// It lives in a module, not only in rules/default.rules.json, so that a bundled
// Electron main carries it with no file to copy; the .json file on disk is written
// from this text (electron/engine/rules/write-files.ts) and a test keeps them equal.
export const DEFAULT_RULES_TEXT = `{
  "$schema": "./rules.schema.json",
  "name": "Firm guidelines for GEX ingest priority (GUIDELINES.md v2)",
  "description": "GUIDELINES.md version 2, G1-G4. Derived facts and their thresholds first, then the rules. now is the moment the request arrived, never later; gex_change compares with the previous request of the same underlying (else the latest stored snapshot). Level targets count from arrival.",

  "levels": {
    "CRITICAL": { "target": "30 s", "on_late": "flag" },
    "HIGH": { "target": "5 min", "on_late": "escalate" },
    "MEDIUM": { "target": "30 min", "on_late": "escalate" },
    "LOW": { "target": "2 h", "on_late": "escalate" }
  },

  "derived": {
    "age_s": {
      "kind": "age",
      "description": "Seconds from as_of to now, the moment the request arrived (GUIDELINES version 2), so that waiting in the application's own queue never ages data. A negative age down to -60 s counts as 0 (clock skew); data more than 60 s in the future is invalid.",
      "from": "as_of",
      "to": "now",
      "skew_tolerance_s": 60,
      "future_limit_s": 60
    },
    "freshness": {
      "kind": "ordinal",
      "description": "Real-time data is also fresh.",
      "values": ["stale", "fresh", "real-time"],
      "rows": [
        { "when": { "age_s": { "<": 5 } }, "value": "real-time" },
        { "when": { "age_s": { "<": 300 } }, "value": "fresh" },
        { "value": "stale" }
      ]
    },
    "impact": {
      "kind": "ordinal",
      "description": "A condition on impact means at least: high impact satisfies medium.",
      "values": ["low", "medium", "high"],
      "rows": [
        { "when": { "any": [{ "total_volume": { ">": 50000 } }, { "total_open_interest": { ">": 100000 } }] }, "value": "high" },
        { "when": { "any": [{ "total_volume": { ">=": 10000 } }, { "total_open_interest": { ">=": 25000 } }] }, "value": "medium" },
        { "value": "low" }
      ]
    },
    "change": {
      "kind": "ordinal",
      "description": "gex_change compares total GEX with the previous request of the same underlying whose file was read, else the latest stored snapshot (GUIDELINES version 2). A first snapshot (gex_change null) is news: large.",
      "values": ["small", "medium", "large"],
      "rows": [
        { "when": { "any": [{ "gex_change": { ">": 0.10 } }, { "gex_change": null }] }, "value": "large" },
        { "when": { "gex_change": { ">=": 0.05, "<=": 0.10 } }, "value": "medium" },
        { "value": "small" }
      ]
    }
  },

  "combine": "highest-level",

  "rules": [
    {
      "id": "G1",
      "title": "Manual override",
      "override": true,
      "rows": [
        { "when": { "requested_priority": { "!=": null } }, "level": { "fact": "requested_priority" } }
      ]
    },
    {
      "id": "G2",
      "title": "Stale",
      "rows": [
        { "when": { "freshness": { "==": "stale" } }, "level": "LOW" }
      ]
    },
    {
      "id": "G3",
      "title": "Market impact and freshness",
      "hit": "first",
      "rows": [
        { "id": "G3.CRITICAL", "when": { "impact": "high", "change": "large", "freshness": "real-time" }, "level": "CRITICAL" },
        { "id": "G3.HIGH", "when": { "any": [
            { "impact": "high", "freshness": "real-time" },
            { "impact": "medium", "change": "large", "freshness": "fresh" }
          ] }, "level": "HIGH" },
        { "id": "G3.MEDIUM", "when": { "any": [
            { "impact": "medium", "freshness": "fresh" },
            { "change": "large", "freshness": "real-time" }
          ] }, "level": "MEDIUM" },
        { "id": "G3.LOW", "level": "LOW", "note": "anything else" }
      ]
    },
    {
      "id": "G4",
      "title": "Unreliable source",
      "adjusts": "G3",
      "when": { "source_reliability": { "<": 0.8 } },
      "demote": 1
    }
  ]
}
`;
