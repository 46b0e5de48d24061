-- Demo automation workflow: a vulnerability finding above CVSS 7 needs the
-- security team's approval before a GitLab issue is opened; everyone hears
-- about it on Slack. Written as React Flow JSON; the node and edge rows are
-- the same graph (docs/graph-model.md). Saved and deployed through the engine's
-- own functions, as erin (security team), once.
SELECT set_config('app.current_user_id', 'erin', true);

SELECT automation.deploy_workflow(automation.save_workflow(
    p_workflow_data => $json${
      "nodes": [
        {"id": "finding", "type": "trigger", "position": {"x": 0, "y": 100},
         "data": {"label": "Scanner finding", "triggerType": "event", "source": "tenable",
                  "severity": ["high", "critical"]}},
        {"id": "severe", "type": "condition", "position": {"x": 220, "y": 100},
         "data": {"label": "CVSS above 7?",
                  "condition": {"field": "cvss_score", "operator": "greater_than", "value": 7}}},
        {"id": "approve", "type": "approval", "position": {"x": 440, "y": 40},
         "data": {"label": "Security team approves the fix", "approverRole": "SECURITY_TEAM",
                  "expiresInMinutes": 1440, "message": "Open an issue for {{asset}}?"}},
        {"id": "issue", "type": "action", "position": {"x": 660, "y": 0},
         "data": {"label": "Open a GitLab issue", "connector": "gitlab", "connection": "gitlab",
                  "input": {"project": "security/vulnerabilities",
                            "title": "CVSS {{cvss_score}} finding on {{asset}}"},
                  "maxRetries": 3}},
        {"id": "tell", "type": "notification", "position": {"x": 660, "y": 160},
         "data": {"label": "Tell the channel", "channel": "slack", "recipients": ["#security"],
                  "subject": "Finding on {{asset}}", "template": "finding.txt",
                  "notificationType": "step_complete"}}
      ],
      "edges": [
        {"id": "e1", "source": "finding", "target": "severe", "type": "smoothstep"},
        {"id": "e2", "source": "severe", "target": "approve", "sourceHandle": "true"},
        {"id": "e3", "source": "severe", "target": "tell", "sourceHandle": "false"},
        {"id": "e4", "source": "approve", "target": "issue", "sourceHandle": "approved"},
        {"id": "e5", "source": "approve", "target": "tell", "sourceHandle": "rejected"},
        {"id": "e6", "source": "issue", "target": "tell"}
      ],
      "viewport": {"x": 0, "y": 0, "zoom": 1}
    }$json$::jsonb,
    p_name => 'Vulnerability triage',
    p_description => 'Severe findings need the security team''s approval before an issue is opened',
    p_category => 'vulnerability',
    p_tags => '["demo", "security"]'::jsonb))
WHERE NOT EXISTS (SELECT 1 FROM automation.workflows WHERE name = 'Vulnerability triage');

SELECT set_config('app.current_user_id', '', true);
