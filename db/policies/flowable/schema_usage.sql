-- Lets the group roles reach objects in schema flowable; what they may do with each object is
-- granted in that object's own file (tables here in db/policies/flowable/, functions and views in theirs).
GRANT USAGE ON SCHEMA flowable TO pgwf_app, pgwf_worker, pgwf_reporting;
