-- The people who work on tasks. The case-routing specification uses entitlements.users
-- (its ER diagram and v_user_workload) but never defines it; this follows the diagram.
CREATE TABLE entitlements.users (
    user_id VARCHAR(50) NOT NULL,
    username VARCHAR(100) NOT NULL,
    email VARCHAR(255),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    department_id BIGINT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT users_pkey PRIMARY KEY (user_id),
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT fk_users_department FOREIGN KEY (department_id)
        REFERENCES entitlements.departments (department_id) ON DELETE SET NULL,
    CONSTRAINT chk_users_user_id_not_blank CHECK (btrim(user_id) <> '')
);

CREATE INDEX idx_users_department ON entitlements.users (department_id);

COMMENT ON TABLE entitlements.users IS 'People who take part in workflows. Not defined by case-routing-schema.md (only drawn in its ER diagram); user_id is the value of app.current_user_id.';
COMMENT ON COLUMN entitlements.users.user_id IS 'The identity the application sets in app.current_user_id; referenced as assignee, claimer and actor everywhere.';
COMMENT ON COLUMN entitlements.users.username IS 'Login name, unique.';
COMMENT ON COLUMN entitlements.users.department_id IS 'Home department; NULL when the department is deleted.';
COMMENT ON COLUMN entitlements.users.is_active IS 'An inactive user keeps history but gets no work, holds no valid role and is not shown in v_user_workload.';
COMMENT ON COLUMN entitlements.users.updated_at IS 'Time of the last change, kept by trigger audit_trigger_users.';
COMMENT ON COLUMN entitlements.users.metadata IS 'Free-form attributes of the user.';
