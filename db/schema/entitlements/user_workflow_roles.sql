-- Which user holds which workflow role, and when (case-routing-schema.md, table 3).
-- A grant counts only while valid_from <= now() and (valid_until IS NULL OR now() < valid_until).
CREATE TABLE entitlements.user_workflow_roles (
    user_role_id BIGSERIAL,
    user_id VARCHAR(50) NOT NULL,
    role_id BIGINT NOT NULL,
    assigned_by VARCHAR(50) NOT NULL,
    assigned_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    valid_from TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    valid_until TIMESTAMPTZ,
    is_primary BOOLEAN DEFAULT FALSE,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT user_workflow_roles_pkey PRIMARY KEY (user_role_id),
    CONSTRAINT uq_user_workflow_roles_user_role UNIQUE (user_id, role_id),
    CONSTRAINT fk_user_workflow_roles_user FOREIGN KEY (user_id)
        REFERENCES entitlements.users (user_id) ON DELETE CASCADE,
    CONSTRAINT fk_user_workflow_roles_role FOREIGN KEY (role_id)
        REFERENCES entitlements.workflow_roles (role_id),
    CONSTRAINT chk_user_workflow_roles_validity CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);

CREATE INDEX idx_user_workflow_roles_user ON entitlements.user_workflow_roles (user_id);
CREATE INDEX idx_user_workflow_roles_role ON entitlements.user_workflow_roles (role_id);
CREATE INDEX idx_user_workflow_roles_validity ON entitlements.user_workflow_roles (valid_from, valid_until);

COMMENT ON TABLE entitlements.user_workflow_roles IS 'Grants of workflow roles to users, each valid from valid_from until valid_until (exclusive; NULL = open-ended).';
COMMENT ON COLUMN entitlements.user_workflow_roles.user_id IS 'The user holding the role (entitlements.users); the grant goes when the user is deleted.';
COMMENT ON COLUMN entitlements.user_workflow_roles.assigned_by IS 'user_id of whoever granted the role.';
COMMENT ON COLUMN entitlements.user_workflow_roles.valid_from IS 'The grant counts from this instant (inclusive); NULL counts as always.';
COMMENT ON COLUMN entitlements.user_workflow_roles.valid_until IS 'The grant stops counting at this instant (exclusive); NULL means open-ended.';
COMMENT ON COLUMN entitlements.user_workflow_roles.is_primary IS 'Marks the user''s main role (informational).';
