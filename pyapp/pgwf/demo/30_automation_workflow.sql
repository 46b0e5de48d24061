-- Demo automation workflow (issue 4, item 8): a scanner event with a CVSS score above 7 on a
-- critical asset passes the condition, an issue is opened (action), the security team approves
-- the fix (approval), and the channel hears about it (notification). Written as React Flow JSON;
-- the node and edge rows are the same graph (docs/graph-model.md). Saved and deployed through
-- the engine's own functions, as erin (security team), once; an event trigger (source tenable,
-- critical assets, CVSS from 7) starts it, and one matching finding is published so a run
-- exists: it waits for the worker at the action, then for erin's approval.
--
-- The action stands in for "open a GitLab issue": it calls pgwf's own API (GET /health, at
-- pgwf.demo_api_url, set by the loader from PGWF_API_HOST/PGWF_API_PORT), so the run moves on
-- under `pgwf up` without a GitLab. In production use the gitlab connector, e.g.
-- {"connector": "gitlab", "input": {"project": "security/vulnerabilities", "title": ...}}.
SELECT set_config('app.current_user_id', 'erin', true);

SELECT automation.deploy_workflow(automation.save_workflow(
    p_workflow_data => replace($json${
      "nodes": [
        {"id": "finding", "type": "trigger", "position": {"x": 0, "y": 100},
         "data": {"label": "Scanner finding", "triggerType": "event", "source": "tenable",
                  "cvssThreshold": 7, "assetGroups": ["critical"]}},
        {"id": "severe", "type": "condition", "position": {"x": 220, "y": 100},
         "data": {"label": "CVSS above 7 on a critical asset?",
                  "condition": {"all": [
                    {"field": "cvss_score", "operator": "greater_than", "value": 7},
                    {"field": "asset_criticality", "operator": "equals", "value": "critical"}]}}},
        {"id": "ignore", "type": "end", "position": {"x": 440, "y": 220},
         "data": {"label": "Not severe enough"}},
        {"id": "issue", "type": "action", "position": {"x": 440, "y": 100},
         "data": {"label": "Open an issue (demo: calls pgwf's own API)", "connector": "http",
                  "input": {"url": "@PGWF_API@/health", "method": "GET"},
                  "maxRetries": 5}},
        {"id": "approve", "type": "approval", "position": {"x": 660, "y": 100},
         "data": {"label": "Security team approves the fix", "approverRole": "SECURITY_TEAM",
                  "expiresInMinutes": 1440,
                  "message": "Approve the fix for CVSS {{cvss_score}} on {{asset}}?"}},
        {"id": "tell", "type": "notification", "position": {"x": 880, "y": 100},
         "data": {"label": "Tell the channel", "channel": "slack", "recipients": ["#security"],
                  "subject": "Finding on {{asset}}", "template": "finding.txt",
                  "notificationType": "step_complete"}}
      ],
      "edges": [
        {"id": "e1", "source": "finding", "target": "severe", "type": "smoothstep"},
        {"id": "e2", "source": "severe", "target": "issue", "sourceHandle": "true"},
        {"id": "e3", "source": "severe", "target": "ignore", "sourceHandle": "false"},
        {"id": "e4", "source": "issue", "target": "approve"},
        {"id": "e5", "source": "approve", "target": "tell", "sourceHandle": "approved"},
        {"id": "e6", "source": "approve", "target": "tell", "sourceHandle": "rejected"}
      ],
      "viewport": {"x": 0, "y": 0, "zoom": 1}
    }$json$, '@PGWF_API@',
    COALESCE(NULLIF(current_setting('pgwf.demo_api_url', true), ''), 'http://127.0.0.1:8080'))::jsonb,
    p_name => 'Vulnerability triage',
    p_description => 'A severe finding on a critical asset opens an issue; the security team approves the fix',
    p_category => 'vulnerability',
    p_tags => '["demo", "security"]'::jsonb))
WHERE NOT EXISTS (SELECT 1 FROM automation.workflows WHERE name = 'Vulnerability triage');

-- the trigger that makes scanner events start it (publish_event filters on these)
SELECT automation.save_trigger(w.id, 'event', '{"cvssThreshold": 7, "assetGroups": ["critical"]}', 'tenable')
FROM automation.workflows w
WHERE w.name = 'Vulnerability triage'
  AND NOT EXISTS (SELECT 1 FROM automation.workflow_triggers t WHERE t.workflow_id = w.id AND t.trigger_type = 'event');

-- one matching finding, published once (the idempotency key; a second load publishes nothing)
SELECT automation.publish_event('tenable', 'vulnerability_found',
    '{"asset": "db-prod-01", "asset_criticality": "critical", "cvss_score": 9.1,
      "severity": "critical", "plugin": "CVE-2026-0001 OpenSSL heap overflow"}',
    'demo-finding-1')
WHERE NOT EXISTS (SELECT 1 FROM automation.workflow_trigger_deliveries WHERE idempotency_key = 'demo-finding-1');

SELECT set_config('app.current_user_id', '', true);
