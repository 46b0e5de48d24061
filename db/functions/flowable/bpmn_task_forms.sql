-- The forms of a process's user tasks (docs/bpmn.md, "Task forms"), by element id: each an
-- array of fields as a drawn task node's data.form (flowable.form_problem). Read from
-- Flowable's and Activiti's <formProperty id name type required> (enum values from <value
-- id>) and Camunda's <formData><formField id label type> (required from a
-- <validation><constraint name="required"/>). Types: string; long, integer, short -> integer;
-- double -> number; boolean; date; enum (with its values as options, else string); any other
-- type (a custom form type) -> string. A property that is not writable (writable="false")
-- only shows a variable and is left out. Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_task_forms(p_doc xml, p_root text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    WITH f AS (
        SELECT x.*
        FROM XMLTABLE(
            XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
            (p_root || '//bpmn:userTask/bpmn:extensionElements/*[local-name() = ''formProperty'']'
                    || ' | ' || p_root
                    || '//bpmn:userTask/bpmn:extensionElements/*[local-name() = ''formData'']/*[local-name() = ''formField'']')
            PASSING p_doc
            COLUMNS ord FOR ORDINALITY,
                    owner text PATH 'ancestor::bpmn:userTask[1]/@id',
                    id text PATH 'normalize-space(@id)',
                    label text PATH 'normalize-space((@name | @label)[1])',
                    type text PATH 'normalize-space(@type)',
                    required text PATH 'normalize-space(@required)',
                    camunda_required boolean PATH 'count(*[local-name() = ''validation'']/*[local-name() = ''constraint''][@name = ''required'']) > 0',
                    writable text PATH 'normalize-space(@writable)',
                    item xml PATH '.') x
    ), fields AS (
        SELECT f.owner, f.ord, o.options,
               jsonb_strip_nulls(jsonb_build_object(
                   'name', f.id,
                   'label', nullif(f.label, ''),
                   'type', CASE WHEN f.type IN ('long', 'integer', 'short') THEN 'integer'
                                WHEN f.type = 'double' THEN 'number'
                                WHEN f.type IN ('boolean', 'date') THEN f.type
                                WHEN f.type = 'enum' AND o.options IS NOT NULL THEN 'enum'
                                ELSE 'string' END,
                   'required', CASE WHEN f.required = 'true' OR f.camunda_required THEN true END,
                   'options', CASE WHEN f.type = 'enum' THEN o.options END)) AS field
        FROM f
        CROSS JOIN LATERAL (
            SELECT jsonb_agg(v.id ORDER BY v.n) AS options
            FROM XMLTABLE('/*/*[local-name() = ''value'']' PASSING f.item
                          COLUMNS n FOR ORDINALITY, id text PATH 'normalize-space(@id)') v
            WHERE v.id <> ''
        ) o
        WHERE f.owner IS NOT NULL AND f.id <> '' AND f.writable IS DISTINCT FROM 'false'
    )
    SELECT coalesce(jsonb_object_agg(owner, form), '{}'::jsonb)
    FROM (SELECT owner, jsonb_agg(field ORDER BY ord) AS form FROM fields GROUP BY owner) g;
$$;

COMMENT ON FUNCTION flowable.bpmn_task_forms(xml, text) IS
    'The forms of a process''s user tasks by element id, from Flowable/Activiti formProperty and Camunda formData/formField (id, name or label, type: long/integer/short -> integer, double -> number, boolean, date, enum with its values, anything else string; required); a property with writable="false" is left out. Called by flowable.bpmn_compile.';

REVOKE ALL ON FUNCTION flowable.bpmn_task_forms(xml, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_task_forms(xml, text) TO pgwf_app;
