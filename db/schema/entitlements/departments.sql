-- Organisational departments taking part in case routing (case-routing-schema.md, table 1).
-- Read by queues, roles and users; parent_dept_id builds the department tree.
CREATE TABLE entitlements.departments (
    department_id BIGSERIAL,
    department_code VARCHAR(50) NOT NULL,
    department_name VARCHAR(100) NOT NULL,
    parent_dept_id BIGINT,
    description TEXT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT departments_pkey PRIMARY KEY (department_id),
    CONSTRAINT uq_departments_code UNIQUE (department_code),
    CONSTRAINT fk_departments_parent FOREIGN KEY (parent_dept_id)
        REFERENCES entitlements.departments (department_id),
    CONSTRAINT chk_departments_not_own_parent CHECK (parent_dept_id IS DISTINCT FROM department_id)
);

CREATE INDEX idx_departments_code ON entitlements.departments (department_code);
CREATE INDEX idx_departments_active ON entitlements.departments (is_active);
CREATE INDEX idx_departments_parent ON entitlements.departments (parent_dept_id);

COMMENT ON TABLE entitlements.departments IS 'Organisational departments involved in case routing; a tree through parent_dept_id.';
COMMENT ON COLUMN entitlements.departments.department_code IS 'Stable business code of the department (unique), e.g. CLAIMS.';
COMMENT ON COLUMN entitlements.departments.parent_dept_id IS 'The enclosing department; NULL for a top-level department.';
COMMENT ON COLUMN entitlements.departments.is_active IS 'An inactive department keeps its history but its queues get no new work.';
COMMENT ON COLUMN entitlements.departments.updated_at IS 'Time of the last change, kept by trigger audit_trigger_departments.';
COMMENT ON COLUMN entitlements.departments.metadata IS 'Free-form attributes the application keeps about the department.';
