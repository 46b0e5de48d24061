-- The worker step a BPMN service, script or business-rule task becomes (docs/bpmn.md, "Service
-- tasks and workers"): {"connector": topic, "implementation": {...}, "script", "resultVariable",
-- "input", "fields", "inputs", "outputs"}, or NULL when the element names no implementation. The topic
-- rule, first match wins: pgwf:topic; an external worker's topic; http for Camunda's
-- http-connector (its url, method, headers and payload become the http connector's "input");
-- flowable:type (http, mail, ...) or a camunda:connector's connectorId; a Java class's simple name; the bean of a
-- delegateExpression; bean.method of an expression; dmn:<decisionRef> for a business rule;
-- script:<scriptFormat> for a script, which travels as data.script. pgwf never runs the code:
-- the worker subscribed to the topic does. p_fields holds the element's field injections,
-- p_io its input/output parameters ({"inputs": {}, "outputs": {}}). Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_worker_step(p_el jsonb, p_fields jsonb, p_io jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_kind text := p_el ->> 'kind';
    v_type text := nullif(btrim(p_el ->> 'impl_type'), '');
    v_class text := nullif(btrim(p_el ->> 'java_class'), '');
    v_delegate text := nullif(btrim(p_el ->> 'java_delegate'), '');
    v_expression text := nullif(btrim(p_el ->> 'java_expression'), '');
    v_decision text := nullif(btrim(coalesce(p_el ->> 'decision_ref', p_el ->> 'called_decision')), '');
    v_topic text;
    v_impl jsonb;
    v_inputs jsonb;
    v_input jsonb;
    v_body jsonb;
BEGIN
    v_topic := nullif(btrim(p_el ->> 'pgwf_topic'), '');
    IF v_topic IS NULL AND v_type IN ('external-worker', 'external') THEN
        v_topic := nullif(btrim(p_el ->> 'topic'), '');
        IF v_topic IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;
    IF v_topic IS NULL AND btrim(p_el ->> 'connector_id') = 'http-connector' THEN
        -- Camunda's HTTP connector is pgwf's http connector: its url, method, headers and
        -- payload parameters are the step's input (a payload that is JSON text is sent as JSON)
        v_topic := 'http';
        v_impl := jsonb_build_object('connectorId', 'http-connector');
        v_inputs := coalesce(p_io -> 'inputs', '{}'::jsonb);
        v_body := v_inputs -> 'payload';
        IF jsonb_typeof(v_body) = 'string' AND btrim(v_body #>> '{}') ~ '^[\[{]' THEN
            BEGIN
                v_body := (v_body #>> '{}')::jsonb;
            EXCEPTION WHEN invalid_text_representation THEN
                NULL;  -- not JSON: sent as the string it is
            END;
        END IF;
        v_input := jsonb_strip_nulls(jsonb_build_object('url', v_inputs -> 'url', 'method', v_inputs -> 'method',
                                                        'headers', v_inputs -> 'headers', 'body', v_body));
        p_io := jsonb_set(coalesce(p_io, '{}'::jsonb), '{inputs}', v_inputs - ARRAY['url', 'method', 'headers', 'payload']);
    ELSIF v_topic IS NULL AND nullif(btrim(p_el ->> 'connector_id'), '') IS NOT NULL THEN
        v_topic := btrim(p_el ->> 'connector_id');
        v_impl := jsonb_build_object('connectorId', v_topic);
    ELSIF v_topic IS NULL AND v_type IS NOT NULL THEN
        v_topic := v_type;
        v_impl := jsonb_build_object('type', v_type);
        IF v_type = 'http' THEN
            -- Flowable's http task: requestUrl, requestMethod, requestHeaders ("Name: value"
            -- lines) and requestBody are the http connector's input; responseVariableName
            -- receives the response body (the step's output mapping)
            v_body := p_fields -> 'requestBody';
            IF jsonb_typeof(v_body) = 'string' AND btrim(v_body #>> '{}') ~ '^[\[{]' THEN
                BEGIN
                    v_body := (v_body #>> '{}')::jsonb;
                EXCEPTION WHEN invalid_text_representation THEN
                    NULL;  -- not JSON: sent as the string it is
                END;
            END IF;
            v_input := jsonb_strip_nulls(jsonb_build_object(
                'url', p_fields -> 'requestUrl', 'method', p_fields -> 'requestMethod', 'body', v_body,
                'headers', (SELECT jsonb_object_agg(btrim(split_part(h, ':', 1)), btrim(substr(h, strpos(h, ':') + 1)))
                              FROM regexp_split_to_table(p_fields ->> 'requestHeaders', E'\r?\n') AS h
                             WHERE strpos(h, ':') > 1)));
            IF nullif(btrim(p_fields ->> 'responseVariableName'), '') IS NOT NULL THEN
                p_io := jsonb_set(coalesce(p_io, '{}'::jsonb), '{outputs}',
                                  coalesce(p_io -> 'outputs', '{}'::jsonb) || jsonb_build_object(btrim(p_fields ->> 'responseVariableName'), '{{body}}'));
            END IF;
        END IF;
    ELSIF v_topic IS NULL AND v_class IS NOT NULL THEN
        v_topic := regexp_replace(v_class, '^.*[.$]', '');
        v_impl := jsonb_build_object('class', v_class);
    ELSIF v_topic IS NULL AND v_delegate IS NOT NULL THEN
        v_topic := coalesce(substring(v_delegate FROM '^[$#]\{\s*([A-Za-z_][A-Za-z0-9_]*)'), 'delegateExpression');
        v_impl := jsonb_build_object('delegateExpression', v_delegate);
    ELSIF v_topic IS NULL AND v_expression IS NOT NULL THEN
        v_topic := coalesce(substring(v_expression FROM '^[$#]\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)'), 'expression');
        v_impl := jsonb_build_object('expression', v_expression);
    ELSIF v_topic IS NULL AND v_kind = 'businessRuleTask' THEN
        v_topic := 'dmn' || coalesce(':' || v_decision, '');
        v_impl := jsonb_strip_nulls(jsonb_build_object('decisionRef', v_decision));
    ELSIF v_topic IS NULL AND v_kind = 'scriptTask' THEN
        v_topic := 'script:' || lower(coalesce(nullif(btrim(p_el ->> 'script_format'), ''), 'unknown'));
        v_impl := jsonb_strip_nulls(jsonb_build_object('scriptFormat', nullif(btrim(p_el ->> 'script_format'), '')));
    END IF;
    IF v_topic IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN jsonb_strip_nulls(jsonb_build_object(
        'connector', left(v_topic, 100),
        'implementation', nullif(v_impl, '{}'::jsonb),
        'script', CASE WHEN v_kind = 'scriptTask' THEN p_el ->> 'script' END,
        'resultVariable', nullif(btrim(p_el ->> 'result_variable'), ''),
        'input', nullif(v_input, '{}'::jsonb),
        'fields', nullif(p_fields, '{}'::jsonb),
        'inputs', nullif(p_io -> 'inputs', '{}'::jsonb),
        'outputs', nullif(p_io -> 'outputs', '{}'::jsonb)));
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_worker_step(jsonb, jsonb, jsonb) IS
    'The worker step data of a BPMN serviceTask, scriptTask or businessRuleTask: {"connector": topic by the documented rule (pgwf:topic, external topic, http for the http-connector with its url/method/headers/payload as "input", flowable:type or connectorId, class simple name, delegate bean, bean.method, dmn:<decisionRef>, script:<format>), "implementation", "script", "resultVariable", "input", "fields", "inputs", "outputs" (applied by the engine when the step completes)}; NULL when the element names no implementation.';

REVOKE ALL ON FUNCTION flowable.bpmn_worker_step(jsonb, jsonb, jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_worker_step(jsonb, jsonb, jsonb) TO pgwf_app;
