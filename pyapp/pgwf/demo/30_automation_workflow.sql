-- Demo automation workflow: a vulnerability finding above CVSS 7 needs the
-- security team's approval before a GitLab issue is opened; everyone hears
-- about it on Slack. Written as React Flow JSON; the node and edge rows are
-- the same graph (docs/graph-model.md).
WITH model AS (
    SELECT $json${
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
    }$json$::jsonb AS data
), saved AS (
    INSERT INTO automation.workflows (workflow_key, name, description, category, version, workflow_data,
                                      tags, created_by, updated_by)
    SELECT 'vulnerability-triage', 'Vulnerability triage',
           'Severe findings need the security team''s approval before an issue is opened',
           'vulnerability', '1.0.0', m.data, '["demo", "security"]'::jsonb, 'demo', 'demo'
      FROM model m
    ON CONFLICT (workflow_key, version) DO NOTHING
    RETURNING id, workflow_data
), nodes AS (
    INSERT INTO automation.workflow_nodes (workflow_id, node_id, node_type, label, position_x, position_y,
                                           configuration)
    SELECT s.id, n ->> 'id', n ->> 'type', n -> 'data' ->> 'label',
           round((n -> 'position' ->> 'x')::numeric)::int, round((n -> 'position' ->> 'y')::numeric)::int,
           (n -> 'data') - 'label'
      FROM saved s, jsonb_array_elements(s.workflow_data -> 'nodes') AS n
    RETURNING 1
)
INSERT INTO automation.workflow_edges (workflow_id, edge_id, source_node_id, target_node_id, source_handle,
                                       edge_type)
SELECT s.id, e ->> 'id', e ->> 'source', e ->> 'target', e ->> 'sourceHandle',
       coalesce(e ->> 'type', 'smoothstep')
  FROM saved s, jsonb_array_elements(s.workflow_data -> 'edges') AS e;
