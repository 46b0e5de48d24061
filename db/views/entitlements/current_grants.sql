-- The one definition of a role grant that counts right now: inside its validity window
-- (valid_from <= now() < valid_until, NULL bounds open), of an active role, held by an active
-- user. Every check of "holds a role now" reads it (entitlements.has_valid_role,
-- user_role_codes, visible_queue_names; the task service's claim and completion; auto-assignment;
-- escalation's notifications). A plain view: the planner inlines it into each query.
CREATE OR REPLACE VIEW entitlements.current_grants AS
SELECT uwr.user_id,
       wr.role_id,
       wr.role_code,
       wr.queue_name,
       wr.department_id,
       wr.permissions
FROM entitlements.user_workflow_roles uwr
JOIN entitlements.workflow_roles wr ON wr.role_id = uwr.role_id
JOIN entitlements.users u ON u.user_id = uwr.user_id
WHERE u.is_active IS TRUE
  AND wr.is_active IS TRUE
  AND (uwr.valid_from IS NULL OR uwr.valid_from <= pg_catalog.now())
  AND (uwr.valid_until IS NULL OR uwr.valid_until > pg_catalog.now());

COMMENT ON VIEW entitlements.current_grants IS
    'Role grants that count now: valid_from <= now() < valid_until (NULL bounds open), active role, active user; one row per grant with the role''s code, queue, department and permissions. The single definition the task service, auto-assignment and the visibility functions use.';
