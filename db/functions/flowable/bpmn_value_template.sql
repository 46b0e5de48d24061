-- Turns one vendor attribute value into the graph's form: ${path} or #{path}
-- (a path may start with pgwf's engine roots $input., $steps., $variables.) becomes the template "{{path}}" (filled from run data when the task is
-- created), also inside text (kermit_${loopCounter}); bpmn-engine's ${environment.variables.x}
-- reads the variable x; other text is trimmed; empty text is NULL. Used by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_value_template(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN CASE
    WHEN btrim(p_value, E' \t\r\n') ~ '^[$#]\{\s*\$?[A-Za-z_][A-Za-z0-9_.]*\s*\}$'
        THEN '{{' || regexp_replace(regexp_replace(btrim(substring(btrim(p_value, E' \t\r\n') FROM '^[$#]\{\s*(\$?[A-Za-z_][A-Za-z0-9_.]*)\s*\}$')),
                                                   '^environment\.variables\.', ''),
                                    '^(input|steps)(\.|$)', '$variables.\1\2') || '}}'
    -- text around ${path} (kermit_${loopCounter}): each path becomes its template in place
    WHEN btrim(p_value, E' \t\r\n') ~ '[$#]\{\s*\$?[A-Za-z_][A-Za-z0-9_.]*\s*\}'
        THEN regexp_replace(regexp_replace(btrim(p_value, E' \t\r\n'), '[$#]\{\s*(\$?[A-Za-z_][A-Za-z0-9_.]*)\s*\}', '{{\1}}', 'g'),
                            '\{\{(input|steps)(\.[^}]*)?\}\}', '{{$variables.\1\2}}', 'g')
    ELSE nullif(btrim(p_value, E' \t\r\n'), '')
END;

COMMENT ON FUNCTION flowable.bpmn_value_template(text) IS
    'Maps a BPMN attribute value to the graph form: ${path} -> "{{path}}", also inside text, (a variable named input or steps as $variables.input...), text trimmed of white space, empty -> NULL.';

REVOKE ALL ON FUNCTION flowable.bpmn_value_template(text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_value_template(text) TO pgwf_app;
