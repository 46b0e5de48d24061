-- Default privileges of the owner role in this database: a function pgwf_owner
-- creates is not executable by PUBLIC; each function file grants EXECUTE to
-- the group roles that may call it.
ALTER DEFAULT PRIVILEGES FOR ROLE pgwf_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
