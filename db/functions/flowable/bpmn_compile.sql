-- The BPMN 2.0 compiler: one process of a document -> pgwf's graph (React Flow JSON,
-- docs/graph-model.md) plus the process's id, name and documentation, who may start it,
-- and the list of descriptive elements it kept without running. p_process_id picks the
-- process of a document holding several (NULL: the only one, or the only executable one).
-- Called by flowable.bpmn_to_graph, flowable.deploy_process and flowable.bpmn_check.
-- Refuses the process (PW422) listing every offending element; mapping in docs/bpmn.md.
-- A person calling it needs workflow_admin (automation.require_model_admin, PW401/PW403).
CREATE OR REPLACE FUNCTION flowable.bpmn_compile(p_xml text, p_process_id text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
AS $$
DECLARE
    v_doc xml;
    v_decl jsonb;
    v_process_count integer;
    v_executable text[];
    v_all_ids text[];
    v_process_id text;
    v_root text;
    v_lanes jsonb;
    v_owners jsonb;
    v_start jsonb;
    v_ignored jsonb;
    v_process jsonb;
    v_elements jsonb;
    v_extensions jsonb;
    v_fields jsonb;
    v_loops jsonb := '{}'::jsonb;
    v_loop record;
    v_io jsonb;
    v_mapped jsonb;
    v_map_problems text[];
    v_calls jsonb;
    v_forms jsonb;
    v_shapes jsonb;
    v_unsupported text[];
    v_problems text[] := ARRAY[]::text[];
    v_nodes jsonb;
    v_flows jsonb;
    v_flow record;
    v_condition jsonb;
    v_conditions jsonb := '{}'::jsonb;
    v_depth jsonb := '{}'::jsonb;
    v_frontier text[];
    v_level integer := 0;
    v_graph jsonb;
BEGIN
    -- a person needs workflow_admin, checked before the document is even parsed
    PERFORM automation.require_model_admin('compile BPMN documents');
    v_doc := flowable.bpmn_parse_document(p_xml);
    v_decl := flowable.bpmn_declarations(v_doc);
    SELECT count(*), array_agg(pid ORDER BY ord), array_agg(pid ORDER BY ord) FILTER (WHERE coalesce(pexec, 'true') <> 'false')
    INTO v_process_count, v_all_ids, v_executable
    FROM XMLTABLE(
        XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
        '/bpmn:definitions/bpmn:process' PASSING v_doc
        COLUMNS ord FOR ORDINALITY, pid text PATH '@id', pexec text PATH '@isExecutable');
    IF v_process_count = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'BPMN document refused: it has no <process> element';
    ELSIF p_process_id IS NOT NULL THEN
        IF NOT p_process_id = ANY (v_all_ids) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('BPMN document refused: it has no process "%s" (its processes: %s)', p_process_id,
                                 array_to_string(v_all_ids, ', ', '?'));
        END IF;
        v_process_id := p_process_id;
    ELSIF v_process_count = 1 THEN
        v_process_id := v_all_ids[1];
    ELSIF cardinality(v_executable) = 1 THEN
        v_process_id := v_executable[1];
    ELSE
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: it has %s processes (%s), %s of them executable; name the one to compile (p_process_id)',
                v_process_count, array_to_string(v_all_ids, ', ', '?'), coalesce(cardinality(v_executable), 0)),
            HINT = 'flowable.deploy_process deploys every executable process of a document, each under its own key';
    END IF;
    IF v_process_id IS NULL OR v_process_id !~ '^[A-Za-z_][A-Za-z0-9_.-]{0,254}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: the process id "%s" is missing or not an XML name of at most 255 characters',
                             coalesce(v_process_id, '')),
            HINT = 'the process id is the process_key; give <process> an id such as "caseRouting"';
    END IF;
    -- the id is an XML name (no quotes), so it can stand in the XPath as a literal
    v_root := format('(/bpmn:definitions/bpmn:process[@id=''%s''])[1]', v_process_id);

    SELECT jsonb_build_object('id', pid, 'name', coalesce(nullif(btrim(pname), ''), pid),
                              'documentation', nullif(btrim(pdoc), ''),
                              'isExecutable', coalesce(pexec, 'true') <> 'false')
           -- Camunda's history time-to-live (days, or an ISO period of days), kept when given
           || CASE WHEN ttl IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('historyTimeToLive',
                            CASE WHEN btrim(ttl) ~ '^(P[0-9]{1,5}D|[0-9]{1,5})$'
                                      AND substring(btrim(ttl) FROM '[0-9]+')::integer <= 36500
                                 THEN to_jsonb(substring(btrim(ttl) FROM '[0-9]+')::integer)
                                 ELSE to_jsonb(ttl) END) END,
           jsonb_strip_nulls(jsonb_build_object(
               'candidateStarterGroups', flowable.bpmn_name_list(starter_groups),
               'candidateStarterUsers', flowable.bpmn_name_list(starter_users)))
    INTO v_process, v_start
    FROM XMLTABLE(
        XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn,
                      'http://flowable.org/bpmn' AS flowable,
                      'http://activiti.org/bpmn' AS activiti,
                      'http://camunda.org/schema/1.0/bpmn' AS camunda),
        v_root PASSING v_doc
        COLUMNS pid text PATH '@id', pname text PATH '@name',
                pdoc text PATH 'bpmn:documentation[1]', pexec text PATH '@isExecutable',
                starter_groups text PATH '(@flowable:candidateStarterGroups | @activiti:candidateStarterGroups | @camunda:candidateStarterGroups)[1]',
                starter_users text PATH '(@flowable:candidateStarterUsers | @activiti:candidateStarterUsers | @camunda:candidateStarterUsers)[1]',
                ttl text PATH '(@camunda:historyTimeToLive | @flowable:historyTimeToLive)[1]');
    IF jsonb_typeof(v_process -> 'historyTimeToLive') = 'string' THEN
        v_problems := v_problems || format('%s: historyTimeToLive "%s" is not a number of days from 0 to 36500 (30 or P30D)',
                                           v_process_id, v_process ->> 'historyTimeToLive');
    END IF;

    -- Every BPMN element below the process, in document order, with what the
    -- compiler reads from it. Vendor attributes are resolved by namespace URI.
    SELECT coalesce(jsonb_agg(to_jsonb(e) ORDER BY e.ord), '[]'::jsonb) INTO v_elements
    FROM XMLTABLE(
        XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn,
                      'http://flowable.org/bpmn' AS flowable,
                      'http://activiti.org/bpmn' AS activiti,
                      'http://camunda.org/schema/1.0/bpmn' AS camunda,
                      'urn:pgwf:bpmn' AS pgwf),
        (v_root || '//bpmn:*') PASSING v_doc
        COLUMNS
            ord FOR ORDINALITY,
            kind text PATH 'local-name(.)',
            id text PATH '@id',
            name text PATH '@name',
            parent_kind text PATH 'local-name(..)',
            parent_bpmn boolean PATH 'namespace-uri(..) = ''http://www.omg.org/spec/BPMN/20100524/MODEL''',
            parent_id text PATH '../@id',
            grand_kind text PATH 'local-name(../..)',
            source_ref text PATH '@sourceRef',
            target_ref text PATH '@targetRef',
            default_flow text PATH '@default',
            condition text PATH 'bpmn:conditionExpression',
            condition_language text PATH 'bpmn:conditionExpression/@language',
            has_condition boolean PATH 'count(bpmn:conditionExpression) > 0',
            has_mapping boolean PATH 'count(bpmn:assignment | bpmn:transformation) > 0',
            initiator text PATH '(@flowable:initiator | @activiti:initiator | @camunda:initiator)[1]',
            documentation text PATH 'bpmn:documentation[1]',
            terminate boolean PATH 'count(bpmn:terminateEventDefinition) > 0',
            assignee text PATH '(@flowable:assignee | @activiti:assignee | @camunda:assignee)[1]',
            candidate_groups text PATH '(@flowable:candidateGroups | @activiti:candidateGroups | @camunda:candidateGroups)[1]',
            candidate_users text PATH '(@flowable:candidateUsers | @activiti:candidateUsers | @camunda:candidateUsers)[1]',
            due_date text PATH '(@flowable:dueDate | @activiti:dueDate | @camunda:dueDate)[1]',
            priority text PATH '(@flowable:priority | @activiti:priority | @camunda:priority)[1]',
            form_key text PATH '(@flowable:formKey | @activiti:formKey | @camunda:formKey)[1]',
            impl_type text PATH '(@flowable:type | @activiti:type | @camunda:type)[1]',
            topic text PATH '(@flowable:topic | @activiti:topic | @camunda:topic)[1]',
            queue text PATH '(@pgwf:queue | bpmn:extensionElements/pgwf:queue)[1]',
            channel text PATH '(@pgwf:channel | bpmn:extensionElements/pgwf:channel)[1]',
            recipients text PATH '(@pgwf:recipients | bpmn:extensionElements/pgwf:recipients)[1]',
            template text PATH '(@pgwf:template | bpmn:extensionElements/pgwf:template)[1]',
            pgwf_type text PATH '@pgwf:type',
            pgwf_data text PATH 'bpmn:extensionElements/pgwf:data',
            pgwf_handle text PATH '@pgwf:sourceHandle',
            pgwf_conditions text PATH 'bpmn:extensionElements/pgwf:conditions',
            -- events and scopes: the nearest enclosing sub-process, what a boundary event
            -- watches, and the one event definition an event may carry
            scope_id text PATH '(ancestor::bpmn:subProcess | ancestor::bpmn:transaction | ancestor::bpmn:adHocSubProcess)[last()]/@id',
            scope_kind text PATH 'local-name((ancestor::bpmn:subProcess | ancestor::bpmn:transaction | ancestor::bpmn:adHocSubProcess)[last()])',
            triggered_by_event text PATH '@triggeredByEvent',
            scope_triggered text PATH '(ancestor::bpmn:subProcess | ancestor::bpmn:transaction | ancestor::bpmn:adHocSubProcess)[last()]/@triggeredByEvent',
            is_interrupting text PATH '@isInterrupting',
            attached_to text PATH '@attachedToRef',
            cancel_activity text PATH '@cancelActivity',
            event_defs integer PATH 'count(bpmn:*[substring(local-name(), string-length(local-name()) - 14) = ''EventDefinition''])',
            event_def text PATH 'local-name(bpmn:*[substring(local-name(), string-length(local-name()) - 14) = ''EventDefinition''][1])',
            time_date text PATH 'bpmn:timerEventDefinition[1]/bpmn:timeDate[1]',
            time_duration text PATH 'bpmn:timerEventDefinition[1]/bpmn:timeDuration[1]',
            time_cycle text PATH 'bpmn:timerEventDefinition[1]/bpmn:timeCycle[1]',
            message_ref text PATH '(bpmn:messageEventDefinition/@messageRef | @messageRef)[1]',
            signal_ref text PATH 'bpmn:signalEventDefinition[1]/@signalRef',
            error_ref text PATH 'bpmn:errorEventDefinition[1]/@errorRef',
            escalation_ref text PATH 'bpmn:escalationEventDefinition[1]/@escalationRef',
            link_name text PATH 'bpmn:linkEventDefinition[1]/@name',
            -- service, script and business-rule implementations (flowable.bpmn_worker_step)
            pgwf_topic text PATH '@pgwf:topic',
            java_class text PATH '(@flowable:class | @activiti:class | @camunda:class)[1]',
            java_delegate text PATH '(@flowable:delegateExpression | @activiti:delegateExpression | @camunda:delegateExpression)[1]',
            java_expression text PATH '(@flowable:expression | @activiti:expression | @camunda:expression)[1]',
            result_variable text PATH '(@flowable:resultVariable | @activiti:resultVariable | @camunda:resultVariable | @flowable:resultVariableName | @activiti:resultVariableName)[1]',
            decision_ref text PATH '(@camunda:decisionRef | @flowable:decisionTableReferenceKey | @activiti:decisionTableReferenceKey)[1]',
            called_decision text PATH 'normalize-space(bpmn:extensionElements/*[local-name() = ''calledDecisionId''][1])',
            connector_id text PATH 'normalize-space(bpmn:extensionElements/*[local-name() = ''connector''][1]/*[local-name() = ''connectorId''][1])',
            script_format text PATH '@scriptFormat',
            script text PATH 'bpmn:script[1]',
            -- multi-instance and standard loops
            has_mi boolean PATH 'count(bpmn:multiInstanceLoopCharacteristics) > 0',
            mi_sequential text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/@isSequential',
            mi_cardinality text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/bpmn:loopCardinality[1]',
            mi_collection text PATH '(bpmn:multiInstanceLoopCharacteristics[1]/@flowable:collection | bpmn:multiInstanceLoopCharacteristics[1]/@activiti:collection | bpmn:multiInstanceLoopCharacteristics[1]/@camunda:collection | bpmn:multiInstanceLoopCharacteristics[1]/bpmn:loopDataInputRef)[1]',
            mi_element text PATH '(bpmn:multiInstanceLoopCharacteristics[1]/@flowable:elementVariable | bpmn:multiInstanceLoopCharacteristics[1]/@activiti:elementVariable | bpmn:multiInstanceLoopCharacteristics[1]/@camunda:elementVariable | bpmn:multiInstanceLoopCharacteristics[1]/bpmn:inputDataItem/@name)[1]',
            mi_completion text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/bpmn:completionCondition[1]',
            mi_input_item_id text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/bpmn:inputDataItem[1]/@id',
            mi_output_ref text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/bpmn:loopDataOutputRef[1]',
            mi_output_item text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/bpmn:outputDataItem[1]/@name',
            mi_output_item_id text PATH 'bpmn:multiInstanceLoopCharacteristics[1]/bpmn:outputDataItem[1]/@id',
            mi_output_count integer PATH 'count(bpmn:multiInstanceLoopCharacteristics/bpmn:loopDataOutputRef | bpmn:multiInstanceLoopCharacteristics/bpmn:outputDataItem)',
            has_loop boolean PATH 'count(bpmn:standardLoopCharacteristics) > 0',
            loop_test_before text PATH 'bpmn:standardLoopCharacteristics[1]/@testBefore',
            loop_maximum text PATH 'bpmn:standardLoopCharacteristics[1]/@loopMaximum',
            loop_condition text PATH 'bpmn:standardLoopCharacteristics[1]/bpmn:loopCondition[1]') AS e;
    -- local-name() and normalize-space() of nothing are the empty string
    SELECT jsonb_agg(jsonb_strip_nulls(x || jsonb_build_object('event_def', nullif(x ->> 'event_def', ''),
                                                               'called_decision', nullif(x ->> 'called_decision', ''),
                                                               'connector_id', nullif(x ->> 'connector_id', '')))
                     ORDER BY n) INTO v_elements
    FROM jsonb_array_elements(v_elements) WITH ORDINALITY AS t(x, n);
    v_elements := coalesce(v_elements, '[]'::jsonb);

    -- Vendor extension elements: pgwf's own are read above; descriptive ones (form fields,
    -- property lists, modeler metadata: flowable.bpmn_extension_reason) are kept and listed;
    -- anything else (listeners, scripts, I/O mappings, fields) is behaviour pgwf would not
    -- run, so refused.
    SELECT coalesce(jsonb_agg(jsonb_build_object('owner', x.owner_id, 'owner_kind', x.owner_kind,
                                                 'ext', coalesce(nullif(x.prefix, ''), 'ext') || ':' || x.lname,
                                                 'reason', flowable.bpmn_extension_reason(x.ns, x.lname)) ORDER BY x.ord), '[]'::jsonb)
    INTO v_extensions
    FROM XMLTABLE(
        XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
        (v_root || '//bpmn:extensionElements/*') PASSING v_doc
        COLUMNS ord FOR ORDINALITY,
                owner_id text PATH '../../@id',
                owner_kind text PATH 'local-name(../..)',
                ns text PATH 'namespace-uri(.)',
                lname text PATH 'local-name(.)',
                prefix text PATH 'substring-before(name(.), '':'')') AS x
    WHERE x.ns <> 'urn:pgwf:bpmn'
      -- what a worker step reads from its task (flowable.bpmn_worker_step) is not refused
      AND NOT (x.owner_kind IN ('serviceTask', 'scriptTask', 'businessRuleTask')
               AND (x.lname IN ('field', 'inputOutput', 'connector', 'calledDecisionId')
                    OR (x.lname IN ('in', 'out') AND x.ns IN ('http://flowable.org/bpmn', 'http://activiti.org/bpmn'))))
      -- nor the variable mappings of a call activity (flowable.bpmn_call_activities)
      AND NOT (x.owner_kind = 'callActivity' AND x.lname IN ('in', 'out'))
      -- nor a user task's form fields, which become its form (flowable.bpmn_task_forms)
      AND NOT (x.owner_kind = 'userTask' AND x.lname IN ('formProperty', 'formData'));

    -- Field injections and input/output parameters of worker steps, by element id: a value, an
    -- expression, or a map or list of them. A parameter holding a script is refused: pgwf
    -- passes values, it runs no code.
    SELECT coalesce(jsonb_object_agg(owner, fields), '{}'::jsonb) INTO v_fields
    FROM (SELECT f.owner, jsonb_object_agg(f.fname, coalesce(flowable.bpmn_value_template(f.fval), '')) AS fields
          FROM XMLTABLE(
              XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
              (v_root || '//bpmn:extensionElements/*[local-name() = ''field'']') PASSING v_doc
              COLUMNS owner text PATH '../../@id', fname text PATH '@name',
                      fval text PATH 'string((@stringValue | @expression | *[local-name() = ''string'' or local-name() = ''expression''])[1])') f
          WHERE f.owner IS NOT NULL AND f.fname IS NOT NULL
          GROUP BY f.owner) x;
    WITH p AS (
        SELECT x.*
        FROM XMLTABLE(
            XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
            (v_root || '//bpmn:extensionElements//*[local-name() = ''inputOutput'']/*') PASSING v_doc
            COLUMNS ord FOR ORDINALITY, owner text PATH 'ancestor::bpmn:*[not(self::bpmn:extensionElements)][1]/@id',
                    dir text PATH 'local-name(.)', pname text PATH '@name', pval text PATH 'string(.)',
                    nested text PATH 'local-name(*[1])', item_xml xml PATH '*[1]') x
    ), v AS (
        -- a map's entries or a list's values, as JSON
        SELECT p.*,
               CASE p.nested
                   WHEN '' THEN to_jsonb(coalesce(flowable.bpmn_value_template(p.pval), ''))
                   WHEN 'map' THEN (SELECT coalesce(jsonb_object_agg(m.k, coalesce(flowable.bpmn_value_template(m.v), '')), '{}'::jsonb)
                                    FROM XMLTABLE('/*/*' PASSING p.item_xml COLUMNS k text PATH '@key', v text PATH 'string(.)') m
                                    WHERE m.k IS NOT NULL)
                   WHEN 'list' THEN (SELECT coalesce(jsonb_agg(coalesce(flowable.bpmn_value_template(l.v), '') ORDER BY l.n), '[]'::jsonb)
                                     FROM XMLTABLE('/*/*' PASSING p.item_xml COLUMNS n FOR ORDINALITY, v text PATH 'string(.)') l)
               END AS value
        FROM p
    )
    SELECT coalesce((SELECT jsonb_object_agg(owner, io) FROM (
               SELECT v.owner, jsonb_build_object(
                   'inputs', coalesce(jsonb_object_agg(v.pname, v.value) FILTER (WHERE v.dir = 'inputParameter'), '{}'::jsonb),
                   'outputs', coalesce(jsonb_object_agg(v.pname, v.value) FILTER (WHERE v.dir = 'outputParameter'), '{}'::jsonb)) AS io
               FROM v WHERE v.owner IS NOT NULL AND v.pname IS NOT NULL AND v.value IS NOT NULL GROUP BY v.owner) o), '{}'::jsonb),
           v_problems || coalesce((SELECT array_agg(format('%s: the %s %s holds a %s; pgwf passes values, maps and lists, and runs no code',
                                                           v.owner, v.dir, v.pname, v.nested) ORDER BY v.ord)
                                   FROM v WHERE v.value IS NULL), ARRAY[]::text[])
                      -- an output mapping is applied by the engine: it must be ${path}s and constants
                      || coalesce((SELECT array_agg(format('%s: the outputParameter %s is the expression %s; an output mapping '
                                                           || 'reads ${variable} paths and constants, it computes nothing',
                                                           v.owner, v.pname, btrim(v.pval)) ORDER BY v.ord)
                                   FROM v WHERE v.dir = 'outputParameter' AND v.value::text ~ '[$#]\{'), ARRAY[]::text[])
    INTO v_io, v_problems;

    -- Flowable's in and out mappings on a worker step's task (source or sourceExpression ${path},
    -- target): an in is an input parameter, an out an output parameter (the step's output
    -- mapping); merged into the task's inputOutput parameters, the element's own winning
    WITH m AS (
        SELECT x.*, flowable.bpmn_value_template(coalesce(x.source_expr, '${' || btrim(x.source) || '}')) AS tmpl
        FROM XMLTABLE(
            XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
            (v_root || '//bpmn:*[self::bpmn:serviceTask or self::bpmn:scriptTask or self::bpmn:businessRuleTask]'
                    || '/bpmn:extensionElements/*[(local-name() = ''in'' or local-name() = ''out'') and '
                    || '(namespace-uri() = ''http://flowable.org/bpmn'' or namespace-uri() = ''http://activiti.org/bpmn'')]') PASSING v_doc
            COLUMNS ord FOR ORDINALITY, owner text PATH '../../@id', side text PATH 'local-name(.)',
                    source text PATH '@source', source_expr text PATH '@sourceExpression',
                    target text PATH 'normalize-space(@target)') x
    )
    SELECT coalesce((SELECT jsonb_object_agg(o.owner, jsonb_build_object(
                                 'inputs', coalesce(o.ins, '{}'::jsonb) || coalesce(v_io #> ARRAY[o.owner, 'inputs'], '{}'::jsonb),
                                 'outputs', coalesce(o.outs, '{}'::jsonb) || coalesce(v_io #> ARRAY[o.owner, 'outputs'], '{}'::jsonb)))
                     FROM (SELECT m.owner,
                                  jsonb_object_agg(coalesce(nullif(m.target, ''), btrim(m.source)), m.tmpl) FILTER (WHERE m.side = 'in') AS ins,
                                  jsonb_object_agg(coalesce(nullif(m.target, ''), btrim(m.source)), m.tmpl) FILTER (WHERE m.side = 'out') AS outs
                           FROM m WHERE m.tmpl LIKE '{{%}}' AND coalesce(nullif(m.target, ''), btrim(m.source)) IS NOT NULL
                           GROUP BY m.owner) o), '{}'::jsonb),
           coalesce((SELECT array_agg(format('%s: the %s mapping %s is outside the grammar (source="variable" or '
                                             || 'sourceExpression="${path}", with a target)',
                                             m.owner, m.side, coalesce(m.source_expr, m.source, '(empty)')) ORDER BY m.ord)
                     FROM m WHERE m.tmpl IS NULL OR m.tmpl NOT LIKE '{{%}}' OR m.tmpl ~ '\}\}.|.\{\{'
                                  OR coalesce(nullif(m.target, ''), btrim(m.source)) IS NULL), ARRAY[]::text[])
      INTO v_mapped, v_map_problems;
    v_io := v_io || v_mapped;
    v_problems := v_problems || v_map_problems;

    -- Call activities: the process each one calls and the variables it passes
    v_calls := flowable.bpmn_call_activities(v_doc, v_root);
    -- User tasks' forms, from their form properties
    v_forms := flowable.bpmn_task_forms(v_doc, v_root);
    v_problems := v_problems || ARRAY(SELECT p.msg FROM jsonb_each(v_calls) c(id, v)
                                      CROSS JOIN LATERAL jsonb_array_elements_text(c.v -> 'problems') p(msg));

    -- Unsupported elements, in the corpus manifest's notation:
    -- id:kind, or id:kind[child|child] listing the unsupported BPMN children.
    WITH els AS (
        SELECT * FROM jsonb_to_recordset(v_elements) AS r(
            ord integer, kind text, id text, parent_kind text, parent_bpmn boolean, parent_id text, grand_kind text,
            has_mapping boolean)
    ), containers(kind) AS (
        VALUES ('process'), ('subProcess'), ('transaction'), ('adHocSubProcess'),
               ('laneSet'), ('childLaneSet'), ('lane')
    ), own_children(kind) AS (
        VALUES ('multiInstanceLoopCharacteristics'), ('standardLoopCharacteristics'), ('ioSpecification'),
               ('dataInputAssociation'), ('dataOutputAssociation'), ('property'), ('completionCondition')
    ), flow_level AS (
        SELECT els.* FROM els
        WHERE els.parent_bpmn AND els.parent_kind IN (SELECT kind FROM containers)
          AND els.kind NOT IN ('documentation', 'extensionElements', 'flowNodeRef', 'incoming', 'outgoing')
          AND flowable.bpmn_ignored_reason(els.kind, false) IS NULL
          AND NOT (els.parent_kind IN ('subProcess', 'transaction', 'adHocSubProcess') AND els.kind IN (SELECT kind FROM own_children))
    ), children AS (
        -- direct BPMN children of flow-level elements that are not themselves flow level
        SELECT c.parent_id, c.parent_kind, c.kind, min(c.ord) AS ord
        FROM els c
        WHERE c.parent_bpmn
          AND (c.parent_kind NOT IN (SELECT kind FROM containers)
               -- a sub-process's own children that are no flow elements (its loop, its data)
               OR (c.parent_kind IN ('subProcess', 'transaction', 'adHocSubProcess') AND c.kind IN (SELECT kind FROM own_children)))
          AND c.grand_kind IN (SELECT kind FROM containers)
          AND c.kind NOT IN ('documentation', 'extensionElements', 'incoming', 'outgoing')
          AND NOT (c.parent_kind = 'endEvent' AND c.kind = 'terminateEventDefinition')
          AND NOT (c.parent_kind IN ('startEvent', 'endEvent', 'boundaryEvent', 'intermediateCatchEvent', 'intermediateThrowEvent')
                   AND c.kind IN ('timerEventDefinition', 'messageEventDefinition', 'signalEventDefinition',
                                  'errorEventDefinition', 'escalationEventDefinition', 'linkEventDefinition'))
          -- the cancel of a transaction: its cancel end event and cancel boundary event
          AND NOT (c.parent_kind IN ('endEvent', 'boundaryEvent') AND c.kind = 'cancelEventDefinition')
          AND NOT (c.parent_kind = 'sequenceFlow' AND c.kind = 'conditionExpression')
          AND NOT (c.parent_kind = 'scriptTask' AND c.kind = 'script')
          AND NOT (c.kind IN ('multiInstanceLoopCharacteristics', 'standardLoopCharacteristics')
                   AND c.parent_kind IN ('userTask', 'serviceTask', 'scriptTask', 'businessRuleTask', 'sendTask', 'manualTask',
                                         'task', 'receiveTask', 'subProcess', 'transaction', 'callActivity'))
          AND NOT (c.parent_kind = 'userTask' AND c.kind IN ('potentialOwner', 'humanPerformer'))
          AND NOT (flowable.bpmn_ignored_reason(c.kind, true) IS NOT NULL AND NOT coalesce(c.has_mapping, false))
        GROUP BY c.parent_id, c.parent_kind, c.kind
    )
    SELECT array_agg(item ORDER BY ord) INTO v_unsupported
    FROM (
        SELECT f.ord,
               coalesce(f.id, '?') || ':' || f.kind
               || coalesce('[' || (SELECT string_agg(ch.kind, '|' ORDER BY ch.ord) FROM children ch
                                   WHERE ch.parent_id IS NOT DISTINCT FROM f.id AND ch.parent_kind = f.kind) || ']', '') AS item,
               f.kind IN ('startEvent', 'endEvent', 'userTask', 'serviceTask', 'sendTask', 'exclusiveGateway',
                          'parallelGateway', 'inclusiveGateway', 'sequenceFlow', 'subProcess', 'transaction', 'boundaryEvent',
                          'intermediateCatchEvent', 'intermediateThrowEvent', 'manualTask', 'task', 'receiveTask',
                          'eventBasedGateway', 'scriptTask', 'businessRuleTask', 'callActivity') AS supported_kind,
               EXISTS (SELECT 1 FROM children ch
                       WHERE ch.parent_id IS NOT DISTINCT FROM f.id AND ch.parent_kind = f.kind) AS bad_children
        FROM flow_level f
    ) u
    WHERE NOT supported_kind OR bad_children;

    IF v_unsupported IS NOT NULL THEN
        v_problems := v_problems || ('unsupported elements: ' || array_to_string(v_unsupported, ', '));
    END IF;

    SELECT v_problems || coalesce(array_agg(format('%s: the %s extension is not supported', owner, ext) ORDER BY ord),
                                  ARRAY[]::text[])
    INTO v_problems
    FROM (SELECT coalesce(x ->> 'owner', '?') AS owner, x ->> 'ext' AS ext, min(n) AS ord
          FROM jsonb_array_elements(v_extensions) WITH ORDINALITY AS e(x, n)
          WHERE x ->> 'reason' IS NULL
          GROUP BY 1, 2) d;

    -- The nodes: flow-level supported elements (sequence flows are edges).
    v_nodes := coalesce((
        SELECT jsonb_agg(jsonb_build_object('ord', e.ord, 'kind', e.kind, 'id', e.id, 'el', el) ORDER BY e.ord)
        FROM jsonb_array_elements(v_elements) el,
             LATERAL jsonb_to_record(el) AS e(ord integer, kind text, id text, parent_kind text)
        WHERE e.parent_kind IN ('process', 'subProcess', 'transaction')
          AND e.kind IN ('startEvent', 'endEvent', 'userTask', 'serviceTask', 'sendTask',
                         'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'subProcess', 'transaction', 'boundaryEvent',
                         'intermediateCatchEvent', 'intermediateThrowEvent', 'manualTask', 'task', 'receiveTask',
                         'eventBasedGateway', 'scriptTask', 'businessRuleTask', 'callActivity')), '[]'::jsonb);
    v_flows := coalesce((
        SELECT jsonb_agg(el || jsonb_build_object('edge_id', coalesce(e.id, 'flow_' || e.ord)) ORDER BY e.ord)
        FROM jsonb_array_elements(v_elements) el,
             LATERAL jsonb_to_record(el) AS e(ord integer, kind text, id text, parent_kind text)
        WHERE e.parent_kind IN ('process', 'subProcess', 'transaction') AND e.kind = 'sequenceFlow'), '[]'::jsonb);

    -- Identity checks: every node has an id, ids are unique and fit the columns.
    SELECT v_problems
        || coalesce(array_agg(msg ORDER BY ord), ARRAY[]::text[])
    INTO v_problems
    FROM (
        SELECT (n ->> 'ord')::integer AS ord, format('?:%s (element %s) has no id', n ->> 'kind', n ->> 'ord') AS msg
        FROM jsonb_array_elements(v_nodes) n WHERE n ->> 'id' IS NULL
        UNION ALL
        SELECT min(ord), format('%s: the id is used by %s elements', id, count(*))
        FROM (SELECT (x ->> 'ord')::integer AS ord, x ->> 'id' AS id FROM jsonb_array_elements(v_nodes) x
              UNION ALL
              SELECT (x ->> 'ord')::integer, x ->> 'edge_id' FROM jsonb_array_elements(v_flows) x) ids
        WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1
        UNION ALL
        SELECT (x ->> 'ord')::integer, format('%s: the id is longer than 100 characters', left(x ->> 'id', 40) || '...')
        FROM jsonb_array_elements(v_nodes || v_flows) x WHERE length(coalesce(x ->> 'id', x ->> 'edge_id')) > 100
        UNION ALL
        SELECT (x ->> 'ord')::integer, format('%s: the name is longer than 255 characters', x ->> 'id')
        FROM jsonb_array_elements(v_nodes) x WHERE length(x -> 'el' ->> 'name') > 255
    ) p;

    -- Structure: flows between existing nodes, one start event, gateways that lead somewhere.
    WITH n AS (
        SELECT x ->> 'id' AS id, x ->> 'kind' AS kind, (x ->> 'ord')::integer AS ord, x -> 'el' AS el
        FROM jsonb_array_elements(v_nodes) x
    ), f AS (
        SELECT x ->> 'edge_id' AS id, x ->> 'source_ref' AS source_ref, x ->> 'target_ref' AS target_ref,
               (x ->> 'ord')::integer AS ord, coalesce((x ->> 'has_condition')::boolean, false) AS has_condition
        FROM jsonb_array_elements(v_flows) x
    ), all_ids AS (
        SELECT x ->> 'id' AS id, x ->> 'kind' AS kind FROM jsonb_array_elements(v_elements) x WHERE x ->> 'id' IS NOT NULL
    ), msgs AS (
        SELECT 0 AS ord, format('process %s has no start event', v_process_id) AS msg
        WHERE NOT EXISTS (SELECT 1 FROM n WHERE kind = 'startEvent' AND n.el ->> 'scope_id' IS NULL)
        UNION ALL
        -- one none start a scope; a process may add message and signal starts
        SELECT min(ord), format('%s: pgwf runs one none start event a %s, found %s',
                                string_agg(id, ', ' ORDER BY ord),
                                CASE WHEN n.el ->> 'scope_id' IS NULL THEN 'process' ELSE 'sub-process' END, count(*))
        FROM n WHERE kind = 'startEvent' AND n.el ->> 'event_def' IS NULL
        GROUP BY n.el ->> 'scope_id' HAVING count(*) > 1

        UNION ALL
        SELECT n.ord, format('%s: boundaryEvent has incoming sequence flows', n.id)
        FROM n WHERE n.kind = 'boundaryEvent' AND EXISTS (SELECT 1 FROM f WHERE f.target_ref = n.id)
        UNION ALL
        SELECT n.ord, p.msg
        FROM n CROSS JOIN LATERAL unnest(flowable.bpmn_event_problems(
                 n.el,
                 (SELECT h.el FROM n h WHERE h.id = n.el ->> 'attached_to'),
                 flowable.bpmn_event_node(n.el, v_decl) -> 'data')) AS p(msg)
        WHERE n.kind IN ('startEvent', 'endEvent', 'boundaryEvent', 'intermediateCatchEvent', 'intermediateThrowEvent')
        UNION ALL
        SELECT f.ord, format('%s: sequenceFlow has no sourceRef', f.id) FROM f WHERE f.source_ref IS NULL
        UNION ALL
        SELECT f.ord, format('%s: sequenceFlow has no targetRef', f.id) FROM f WHERE f.target_ref IS NULL
        UNION ALL
        -- (a flow to an unsupported element is already reported through that element)
        SELECT f.ord, format('%s: sequenceFlow comes from missing element %s', f.id, f.source_ref)
        FROM f WHERE f.source_ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM all_ids a WHERE a.id = f.source_ref)
        UNION ALL
        SELECT f.ord, format('%s: sequenceFlow goes to missing element %s', f.id, f.target_ref)
        FROM f WHERE f.target_ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM all_ids a WHERE a.id = f.target_ref)
        UNION ALL
        SELECT f.ord, format('%s: sequenceFlow connects %s, which is not a node', f.id, f.source_ref)
        FROM f WHERE EXISTS (SELECT 1 FROM all_ids a WHERE a.id = f.source_ref AND a.kind IN ('sequenceFlow', 'lane', 'laneSet'))
        UNION ALL
        SELECT f.ord, format('%s: sequenceFlow connects %s, which is not a node', f.id, f.target_ref)
        FROM f WHERE EXISTS (SELECT 1 FROM all_ids a WHERE a.id = f.target_ref AND a.kind IN ('sequenceFlow', 'lane', 'laneSet'))
        UNION ALL
        SELECT n.ord, format('%s: %s has no outgoing sequence flow', n.id, n.kind)
        FROM n WHERE n.kind LIKE '%Gateway' AND NOT EXISTS (SELECT 1 FROM f WHERE f.source_ref = n.id)
        UNION ALL
        SELECT n.ord, format('%s: startEvent has incoming sequence flows', n.id)
        FROM n WHERE n.kind = 'startEvent' AND EXISTS (SELECT 1 FROM f WHERE f.target_ref = n.id)
        UNION ALL
        SELECT n.ord, format('%s: endEvent has outgoing sequence flows', n.id)
        FROM n WHERE n.kind = 'endEvent' AND EXISTS (SELECT 1 FROM f WHERE f.source_ref = n.id)
        UNION ALL
        SELECT n.ord, format('%s: the default flow %s is not an outgoing sequence flow of this element', n.id, n.el ->> 'default_flow')
        FROM n WHERE n.el ->> 'default_flow' IS NOT NULL AND n.kind IN ('exclusiveGateway', 'inclusiveGateway')
          AND NOT EXISTS (SELECT 1 FROM f WHERE f.id = n.el ->> 'default_flow' AND f.source_ref = n.id)
        UNION ALL
        SELECT n.ord, format('%s: a default flow on a %s is not supported (only on exclusive and inclusive gateways)', n.id, n.kind)
        FROM n WHERE n.el ->> 'default_flow' IS NOT NULL AND n.kind NOT IN ('exclusiveGateway', 'inclusiveGateway')
        UNION ALL
        SELECT f.ord, format('%s: a sequence flow leaving parallelGateway %s cannot have a condition', f.id, f.source_ref)
        FROM f JOIN n ON n.id = f.source_ref WHERE n.kind = 'parallelGateway' AND f.has_condition
        UNION ALL
        -- a service task runs as a worker step on a topic its implementation names
        SELECT n.ord, format('%s: serviceTask names no implementation for a worker topic (pgwf:topic, an external worker '
                             || 'flowable:type="external-worker" flowable:topic="...", a class, delegateExpression, expression, '
                             || 'flowable:type or camunda:connector)', n.id)
        FROM n WHERE n.kind = 'serviceTask' AND n.el ->> 'pgwf_type' IS NULL
          AND flowable.bpmn_worker_step(n.el, '{}'::jsonb, '{}'::jsonb) IS NULL
        UNION ALL
        -- vendor attribute values: literals or a single ${variable}
        SELECT n.ord, format('%s: %s "%s" is outside the grammar (%s)', n.id, a.attr, a.val, a.want)
        FROM n CROSS JOIN LATERAL (VALUES
            ('dueDate', n.el ->> 'due_date', 'a date, an ISO 8601 date-time or duration, or ${variable}',
             '^\s*([0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?|P(?=[0-9T])([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})\s*$'),
            ('priority', n.el ->> 'priority', 'an integer or ${variable}',
             '^\s*(-?[0-9]{1,9}|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})\s*$'),
            ('assignee', n.el ->> 'assignee', 'a user id, ${variable} or $INITIATOR',
             '^\s*(\$INITIATOR|([^$#{}]|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})*)\s*$'),
            ('candidateGroups', n.el ->> 'candidate_groups', 'a comma list of group codes or ${variable}',
             '^(\s*([^$#{},]*|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})\s*)(,(\s*([^$#{},]*|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})\s*))*$'),
            ('candidateUsers', n.el ->> 'candidate_users', 'a comma list of user ids or ${variable}',
             '^(\s*([^$#{},]*|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})\s*)(,(\s*([^$#{},]*|[$#]\{\s*(\$(input|steps|variables)\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})\s*))*$')
        ) AS a(attr, val, want, pattern)
        WHERE n.kind = 'userTask' AND a.val IS NOT NULL AND a.val !~ a.pattern
          AND NOT (a.attr = 'dueDate' AND flowable.bpmn_date_offset(a.val) IS NOT NULL)
        UNION ALL
        -- a date helper in a due date (${dateTime().plusDays(2)}): refused with its position
        SELECT n.ord, format('%s: dueDate "%s" is outside the date helpers %s', n.id, n.el ->> 'due_date',
                             flowable.bpmn_date_offset(n.el ->> 'due_date') ->> 'problem')
        FROM n WHERE n.kind = 'userTask' AND flowable.bpmn_date_offset(n.el ->> 'due_date') ? 'problem'
        UNION ALL
        SELECT n.ord, format('%s: pgwf:data is not a JSON object', n.id)
        FROM n WHERE n.el ->> 'pgwf_data' IS NOT NULL
          AND flowable.bpmn_json_object(n.el ->> 'pgwf_data') IS NULL
        UNION ALL
        SELECT n.ord, format('%s: pgwf:type "%s" is not a pgwf node type', n.id, n.el ->> 'pgwf_type')
        FROM n WHERE n.el ->> 'pgwf_type' NOT IN ('trigger', 'action', 'integration', 'condition', 'approval',
                                                   'notification', 'task', 'gateway', 'end')
    )
    SELECT v_problems || coalesce(array_agg(msg ORDER BY ord), ARRAY[]::text[]) INTO v_problems FROM msgs;

    -- Standard assignment: potentialOwner / humanPerformer with a formalExpression:
    -- user(x), group(x), a bare name (a group for potentialOwner, the user for
    -- humanPerformer) or ${variable}, comma separated, quotes around a name allowed.
    WITH fe AS (
        SELECT x.ord, x.task_id, x.role, btrim(x.expr) AS expr
        FROM XMLTABLE(
            XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
            (v_root || '//bpmn:userTask/*[self::bpmn:potentialOwner or self::bpmn:humanPerformer]') PASSING v_doc
            COLUMNS ord FOR ORDINALITY, task_id text PATH '../@id', role text PATH 'local-name(.)',
                    expr text PATH 'bpmn:resourceAssignmentExpression/bpmn:formalExpression') x
    ), items AS (
        SELECT fe.ord, fe.task_id, fe.role, fe.expr, s.n,
               btrim(regexp_replace(btrim(s.item), '^([''"])(.*)\1$', '\2')) AS item
        FROM fe CROSS JOIN LATERAL regexp_split_to_table(coalesce(fe.expr, ''), ',') WITH ORDINALITY AS s(item, n)
        WHERE btrim(s.item) <> ''
    ), parsed AS (
        SELECT i.*,
               CASE WHEN i.item ~* '^user\s*\(.*\)$' THEN 'user' WHEN i.item ~* '^group\s*\(.*\)$' THEN 'group'
                    WHEN i.role = 'humanPerformer' THEN 'user' ELSE 'group' END AS target,
               btrim(coalesce(substring(i.item FROM '(?i)^(?:user|group)\s*\((.*)\)$'), i.item)) AS name
        FROM items i
    ), checked AS (
        SELECT p.*, p.name ~ '^([^$#{}(),''"[:space:]][^$#{}(),''"]*|[$#]\{\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*\})$' AS valid
        FROM parsed p
    ), per_task AS (
        SELECT fe.task_id,
               (SELECT jsonb_agg(flowable.bpmn_value_template(c.name) ORDER BY c.ord, c.n) FROM checked c
                WHERE c.task_id = fe.task_id AND c.role = 'potentialOwner' AND c.target = 'group' AND c.valid) AS groups,
               (SELECT jsonb_agg(flowable.bpmn_value_template(c.name) ORDER BY c.ord, c.n) FROM checked c
                WHERE c.task_id = fe.task_id AND c.role = 'potentialOwner' AND c.target = 'user' AND c.valid) AS users,
               (SELECT flowable.bpmn_value_template(min(c.name)) FROM checked c
                WHERE c.task_id = fe.task_id AND c.role = 'humanPerformer' AND c.valid) AS performer
        FROM fe GROUP BY fe.task_id
    ), bad AS (
        SELECT fe.ord, format('%s: %s has no resourceAssignmentExpression/formalExpression', fe.task_id, fe.role) AS msg
        FROM fe WHERE coalesce(fe.expr, '') = ''
        UNION ALL
        SELECT min(c.ord), format('%s: %s "%s" is outside the grammar (user(x), group(x), a name or ${variable}, comma separated)',
                                  c.task_id, c.role, c.expr)
        FROM checked c WHERE NOT c.valid GROUP BY c.task_id, c.role, c.expr
        UNION ALL
        SELECT min(c.ord), format('%s: humanPerformer names %s; it takes one user', c.task_id, string_agg(c.item, ', ' ORDER BY c.ord, c.n))
        FROM checked c WHERE c.role = 'humanPerformer' GROUP BY c.task_id
        HAVING count(*) > 1 OR bool_or(c.target = 'group')
    )
    SELECT (SELECT coalesce(jsonb_object_agg(t.task_id, jsonb_strip_nulls(jsonb_build_object(
                'groups', t.groups, 'users', t.users, 'assignee', t.performer))), '{}'::jsonb) FROM per_task t),
           v_problems || coalesce((SELECT array_agg(b.msg ORDER BY b.ord) FROM bad b), ARRAY[]::text[])
    INTO v_owners, v_problems;

    -- Who may start the process, and the variable the start event names for the starter.
    SELECT v_start || coalesce((SELECT jsonb_build_object('initiatorVariable', btrim(x ->> 'initiator'))
                                FROM jsonb_array_elements(v_elements) x
                                WHERE x ->> 'kind' = 'startEvent' AND x ->> 'parent_kind' = 'process'
                                  AND nullif(btrim(x ->> 'initiator'), '') IS NOT NULL
                                ORDER BY (x ->> 'ord')::integer LIMIT 1), '{}'::jsonb)
    INTO v_start;
    SELECT v_problems || coalesce(array_agg(msg), ARRAY[]::text[]) INTO v_problems
    FROM (
        SELECT format('%s: initiator "%s" is not a variable name', x ->> 'id', x ->> 'initiator') AS msg
        FROM jsonb_array_elements(v_elements) x
        WHERE x ->> 'kind' = 'startEvent' AND nullif(btrim(x ->> 'initiator'), '') IS NOT NULL
          AND btrim(x ->> 'initiator') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$'
        UNION ALL
        SELECT format('process %s: %s lists "%s"; it takes group codes or user ids, not expressions', v_process_id, k, v)
        FROM jsonb_each(v_start) AS s(k, a), jsonb_array_elements_text(CASE WHEN jsonb_typeof(a) = 'array' THEN a ELSE '[]' END) v
        WHERE v LIKE '{{%'
    ) m;

    -- The lane of each node (the innermost lane naming it): its name, else its id.
    SELECT coalesce(jsonb_object_agg(node, lane), '{}'::jsonb) INTO v_lanes
    FROM (SELECT DISTINCT ON (l.node) l.node, coalesce(nullif(btrim(l.lname), ''), l.lid) AS lane
          FROM XMLTABLE(
              XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
              (v_root || '//bpmn:lane/bpmn:flowNodeRef') PASSING v_doc
              COLUMNS node text PATH 'normalize-space(.)', lid text PATH '../@id', lname text PATH '../@name',
                      depth integer PATH 'count(ancestor::bpmn:lane)') l
          WHERE l.node <> '' AND l.lid IS NOT NULL
          ORDER BY l.node, l.depth DESC) x;

    -- What is kept without running, element by element in document order: descriptive
    -- elements of the process and its lanes, descriptive children of its flow nodes,
    -- descriptive extension elements, and declarations beside the process.
    WITH els AS (
        SELECT * FROM jsonb_to_recordset(v_elements) AS r(
            ord integer, kind text, id text, parent_kind text, parent_bpmn boolean, parent_id text, grand_kind text,
            has_mapping boolean)
    ), items AS (
        SELECT e.ord::numeric AS ord,
               jsonb_build_object('kind', e.kind, 'id', e.id, 'in', v_process_id,
                                  'reason', flowable.bpmn_ignored_reason(e.kind, false)) AS item
        FROM els e
        WHERE e.parent_bpmn AND e.parent_kind IN ('process', 'subProcess', 'transaction', 'laneSet', 'childLaneSet', 'lane')
          AND flowable.bpmn_ignored_reason(e.kind, false) IS NOT NULL
        UNION ALL
        SELECT c.ord, jsonb_build_object('kind', c.kind, 'id', c.id, 'in', c.parent_id,
                                         'reason', flowable.bpmn_ignored_reason(c.kind, true))
        FROM els c
        WHERE c.parent_bpmn AND c.grand_kind IN ('process', 'subProcess', 'transaction')
          AND c.parent_kind IN ('startEvent', 'endEvent', 'userTask', 'serviceTask', 'sendTask',
                                'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'sequenceFlow',
                                'subProcess', 'transaction', 'boundaryEvent', 'intermediateCatchEvent', 'intermediateThrowEvent',
                                'manualTask', 'task', 'receiveTask', 'eventBasedGateway', 'scriptTask', 'businessRuleTask',
                                'callActivity')
          AND flowable.bpmn_ignored_reason(c.kind, true) IS NOT NULL AND NOT coalesce(c.has_mapping, false)
        UNION ALL
        SELECT coalesce((SELECT min(o.ord) FROM els o WHERE o.id = x ->> 'owner'), 0) + n / 1000000.0,
               jsonb_build_object('kind', x ->> 'ext', 'id', NULL, 'in', coalesce(x ->> 'owner', v_process_id),
                                  'reason', x ->> 'reason')
        FROM jsonb_array_elements(v_extensions) WITH ORDINALITY AS t(x, n)
        WHERE x ->> 'reason' IS NOT NULL
        UNION ALL
        SELECT 1000000000 + d.n,
               jsonb_build_object('kind', d.lname, 'id', d.did, 'in', 'definitions',
                                  'reason', CASE WHEN d.lname = 'process'
                                                 THEN 'a process marked isExecutable="false" beside an executable one is kept as description and not deployed'
                                                 ELSE 'a declaration beside the process; pgwf does not run it' END)
        FROM XMLTABLE(
            '/*/*' PASSING v_doc
            COLUMNS n FOR ORDINALITY, ns text PATH 'namespace-uri(.)', lname text PATH 'local-name(.)',
                    did text PATH '@id', dexec text PATH '@isExecutable') d
        WHERE d.ns = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
          AND d.lname NOT IN ('documentation', 'extensionElements')
          AND NOT (d.lname = 'process' AND (d.did IS NOT DISTINCT FROM v_process_id OR coalesce(d.dexec, 'true') <> 'false'
                                            OR v_process_count = 1))
    )
    SELECT coalesce(jsonb_agg(item ORDER BY ord), '[]'::jsonb) INTO v_ignored FROM items;

    -- Conditions: compiled one by one so every bad one is reported.
    FOR v_flow IN
        SELECT x ->> 'edge_id' AS id, x ->> 'condition' AS condition, x ->> 'pgwf_conditions' AS pgwf_conditions,
               nullif(btrim(x ->> 'condition_language'), '') AS language
        FROM jsonb_array_elements(v_flows) x
        WHERE (x ->> 'has_condition')::boolean OR x ->> 'pgwf_conditions' IS NOT NULL
        ORDER BY (x ->> 'ord')::integer
    LOOP
        BEGIN
            -- an expression language pgwf's grammar reads, or none; a script language is code
            IF v_flow.language IS NOT NULL AND lower(v_flow.language) NOT IN
                   ('juel', 'uel', 'el', 'jexl', 'http://www.w3.org/1999/xpath', 'http://www.omg.org/spec/bpmn/20100524/model') THEN
                RAISE EXCEPTION USING ERRCODE = 'PW422',
                    MESSAGE = format('the condition is written in %s, a script language; pgwf runs no code', v_flow.language);
            END IF;
            IF v_flow.pgwf_conditions IS NOT NULL THEN
                -- written by flowable.bpmn_from_graph for conditions the grammar cannot spell
                v_condition := v_flow.pgwf_conditions::jsonb;
                IF jsonb_typeof(v_condition) <> 'array' THEN
                    RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'pgwf:conditions is not a JSON array';
                END IF;
            ELSE
                v_condition := jsonb_build_array(flowable.compile_condition_expression(v_flow.condition, v_flow.id));
            END IF;
            v_conditions := v_conditions || jsonb_build_object(v_flow.id, v_condition);
        EXCEPTION WHEN SQLSTATE 'PW422' OR invalid_text_representation THEN
            v_problems := v_problems || format('%s: %s', v_flow.id, SQLERRM);
        END;
    END LOOP;

    -- Loops: multi-instance and standard loop characteristics, compiled one by one like conditions
    FOR v_loop IN
        SELECT x ->> 'id' AS id, x AS el
        FROM jsonb_array_elements(v_nodes) n CROSS JOIN LATERAL (SELECT n -> 'el' AS x) e
        WHERE coalesce((x ->> 'has_mi')::boolean, false) OR coalesce((x ->> 'has_loop')::boolean, false)
        ORDER BY (n ->> 'ord')::integer
    LOOP
        BEGIN
            v_loops := v_loops || jsonb_build_object(v_loop.id, flowable.bpmn_loop(v_loop.el));
        EXCEPTION WHEN SQLSTATE 'PW422' OR invalid_text_representation THEN
            v_problems := v_problems || format('%s: %s', v_loop.id, SQLERRM);
        END;
    END LOOP;

    IF cardinality(v_problems) > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN process %s refused: %s', v_process_id, array_to_string(v_problems, '; ')),
            DETAIL = array_to_string(v_problems, E'\n'),
            HINT = 'see docs/bpmn.md for the supported elements, attributes and condition grammar; nothing was stored';
    END IF;

    -- Diagram shapes give positions; nodes without one are laid out in layers
    -- by their distance from the start event (a loop: one pass per layer).
    SELECT coalesce(jsonb_object_agg(s.el, jsonb_strip_nulls(jsonb_build_object('x', round(s.x), 'y', round(s.y),
                                                                                 'width', round(s.w), 'height', round(s.h)))), '{}'::jsonb)
    INTO v_shapes
    FROM (SELECT DISTINCT ON (el) el, x, y, w, h
          FROM XMLTABLE(
              XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/DI' AS bpmndi,
                            'http://www.omg.org/spec/DD/20100524/DC' AS dc),
              '//bpmndi:BPMNShape' PASSING v_doc
              COLUMNS ord FOR ORDINALITY, el text PATH '@bpmnElement',
                      x numeric PATH 'dc:Bounds/@x', y numeric PATH 'dc:Bounds/@y',
                      w numeric PATH 'dc:Bounds/@width', h numeric PATH 'dc:Bounds/@height')
          WHERE el IS NOT NULL AND x IS NOT NULL AND y IS NOT NULL
          ORDER BY el, ord) s;

    SELECT array_agg(x ->> 'id') INTO v_frontier FROM jsonb_array_elements(v_nodes) x WHERE x ->> 'kind' = 'startEvent';
    WHILE cardinality(v_frontier) > 0 LOOP
        SELECT v_depth || coalesce(jsonb_object_agg(id, v_level), '{}'::jsonb) INTO v_depth
        FROM unnest(v_frontier) id;
        v_level := v_level + 1;
        SELECT array_agg(DISTINCT x ->> 'target_ref') INTO v_frontier
        FROM jsonb_array_elements(v_flows) x
        WHERE x ->> 'source_ref' = ANY (v_frontier) AND NOT v_depth ? (x ->> 'target_ref');
    END LOOP;

    WITH n AS (
        SELECT x ->> 'id' AS id, x ->> 'kind' AS kind, (x ->> 'ord')::integer AS ord, x -> 'el' AS el,
               coalesce((v_depth ->> (x ->> 'id'))::integer, v_level) AS layer
        FROM jsonb_array_elements(v_nodes) x
    ), absolute AS (
        SELECT n.*, coalesce(v_shapes -> n.id,
                             jsonb_build_object('x', n.layer * 200,
                                                'y', (row_number() OVER (PARTITION BY n.layer ORDER BY n.ord) - 1) * 120)) AS abs_position
        FROM n
    ), placed AS (
        -- React Flow places the nodes of a sub-process relative to it
        SELECT a.*, a.el ->> 'scope_id' AS parent,
               CASE WHEN a.el ->> 'scope_id' IS NULL THEN jsonb_build_object('x', a.abs_position -> 'x', 'y', a.abs_position -> 'y')
                    ELSE jsonb_build_object(
                        'x', (a.abs_position ->> 'x')::numeric - coalesce((SELECT (p.abs_position ->> 'x')::numeric FROM absolute p
                                                                          WHERE p.id = a.el ->> 'scope_id'), 0),
                        'y', (a.abs_position ->> 'y')::numeric - coalesce((SELECT (p.abs_position ->> 'y')::numeric FROM absolute p
                                                                          WHERE p.id = a.el ->> 'scope_id'), 0)) END AS position
        FROM absolute a
    ), typed AS (
        SELECT p.*,
               CASE WHEN p.el ->> 'pgwf_type' IS NOT NULL THEN p.el ->> 'pgwf_type'
                    ELSE CASE p.kind WHEN 'userTask' THEN 'task' WHEN 'serviceTask' THEN 'action'
                                     WHEN 'scriptTask' THEN 'action' WHEN 'businessRuleTask' THEN 'action'
                                     WHEN 'sendTask' THEN 'notification' WHEN 'callActivity' THEN 'call'
                                     WHEN 'exclusiveGateway' THEN 'gateway' WHEN 'parallelGateway' THEN 'gateway'
                                     WHEN 'inclusiveGateway' THEN 'gateway'
                                     ELSE flowable.bpmn_event_node(p.el, v_decl) ->> 'type' END END AS node_type,
               CASE WHEN p.el ->> 'pgwf_data' IS NOT NULL THEN (p.el ->> 'pgwf_data')::jsonb
                    ELSE CASE p.kind
                        WHEN 'userTask' THEN jsonb_strip_nulls(jsonb_build_object(
                            'queueName', nullif(btrim(p.el ->> 'queue'), ''),
                            'candidateGroups', coalesce(
                                nullif(coalesce(flowable.bpmn_name_list(p.el ->> 'candidate_groups'), '[]'::jsonb)
                                       || coalesce(v_owners #> ARRAY[p.id, 'groups'], '[]'::jsonb), '[]'::jsonb),
                                -- a task naming nobody is offered to its lane, by the lane's name
                                CASE WHEN flowable.bpmn_name_list(p.el ->> 'candidate_users') IS NULL
                                          AND flowable.bpmn_value_template(p.el ->> 'assignee') IS NULL
                                          AND NOT v_owners ? p.id AND v_lanes ? p.id
                                     THEN jsonb_build_array(v_lanes ->> p.id) END),
                            'candidateUsers', nullif(coalesce(flowable.bpmn_name_list(p.el ->> 'candidate_users'), '[]'::jsonb)
                                                     || coalesce(v_owners #> ARRAY[p.id, 'users'], '[]'::jsonb), '[]'::jsonb),
                            'assignee', to_jsonb(coalesce(
                                CASE WHEN btrim(p.el ->> 'assignee') = '$INITIATOR' THEN '{{initiator}}'
                                     ELSE flowable.bpmn_value_template(p.el ->> 'assignee') END,
                                v_owners #>> ARRAY[p.id, 'assignee'])),
                            'priority', CASE WHEN btrim(p.el ->> 'priority') ~ '^-?[0-9]+$'
                                             THEN to_jsonb(btrim(p.el ->> 'priority')::integer)
                                             ELSE to_jsonb(flowable.bpmn_value_template(p.el ->> 'priority')) END,
                            'dueInMinutes', CASE WHEN btrim(p.el ->> 'due_date') LIKE 'P%'
                                                 THEN to_jsonb(ceil(extract(epoch FROM btrim(p.el ->> 'due_date')::interval) / 60)::integer)
                                                 -- a date helper: now plus its offset when the task is created
                                                 WHEN flowable.bpmn_date_offset(p.el ->> 'due_date') ? 'seconds'
                                                 THEN to_jsonb(ceil((flowable.bpmn_date_offset(p.el ->> 'due_date') ->> 'seconds')::numeric / 60)::integer) END,
                            'dueDate', CASE WHEN btrim(p.el ->> 'due_date') NOT LIKE 'P%' AND flowable.bpmn_date_offset(p.el ->> 'due_date') IS NULL
                                            THEN to_jsonb(flowable.bpmn_value_template(p.el ->> 'due_date')) END,
                            'formKey', nullif(btrim(p.el ->> 'form_key'), ''),
                            'form', v_forms -> p.id))
                        WHEN 'serviceTask' THEN flowable.bpmn_worker_step(p.el, coalesce(v_fields -> p.id, '{}'), coalesce(v_io -> p.id, '{}'))
                        WHEN 'scriptTask' THEN flowable.bpmn_worker_step(p.el, coalesce(v_fields -> p.id, '{}'), coalesce(v_io -> p.id, '{}'))
                        WHEN 'businessRuleTask' THEN flowable.bpmn_worker_step(p.el, coalesce(v_fields -> p.id, '{}'), coalesce(v_io -> p.id, '{}'))
                        WHEN 'sendTask' THEN jsonb_strip_nulls(jsonb_build_object(
                            'channel', coalesce(nullif(btrim(p.el ->> 'channel'), ''), 'email'),
                            'recipients', coalesce(flowable.bpmn_name_list(p.el ->> 'recipients'), '[]'::jsonb),
                            'subject', coalesce(p.el ->> 'name', p.id),
                            'template', nullif(btrim(p.el ->> 'template'), ''),
                            'message', nullif(btrim(p.el ->> 'documentation'), '')))
                        WHEN 'callActivity' THEN v_calls -> p.id -> 'data'
                        WHEN 'exclusiveGateway' THEN '{"kind": "exclusive"}'::jsonb
                        WHEN 'parallelGateway' THEN '{"kind": "parallel"}'::jsonb
                        WHEN 'inclusiveGateway' THEN '{"kind": "inclusive"}'::jsonb
                        ELSE flowable.bpmn_event_node(p.el, v_decl) -> 'data' END
               END AS config
        FROM placed p
    )
    SELECT jsonb_build_object(
        'nodes', coalesce(jsonb_agg(jsonb_build_object(
            'id', t.id,
            'type', t.node_type,
            'position', t.position)
            || CASE WHEN t.parent IS NOT NULL THEN jsonb_build_object('parentId', t.parent) ELSE '{}'::jsonb END
            -- a sub-process is drawn at its diagram size
            || CASE WHEN t.kind IN ('subProcess', 'transaction') AND v_shapes #> ARRAY[t.id, 'width'] IS NOT NULL
                    THEN jsonb_build_object('width', v_shapes #> ARRAY[t.id, 'width'], 'height', v_shapes #> ARRAY[t.id, 'height'])
                    ELSE '{}'::jsonb END
            || jsonb_build_object(
            'data', jsonb_build_object('label', coalesce(nullif(btrim(t.el ->> 'name'), ''), t.id))
                    || t.config
                    || CASE WHEN v_loops ? t.id THEN jsonb_build_object('multiInstance', v_loops -> t.id) ELSE '{}'::jsonb END
                    || CASE WHEN t.el ->> 'documentation' IS NOT NULL AND t.el ->> 'pgwf_data' IS NULL
                            THEN jsonb_build_object('documentation', btrim(t.el ->> 'documentation')) ELSE '{}'::jsonb END
                    || CASE WHEN v_lanes ? t.id AND t.el ->> 'pgwf_data' IS NULL
                            THEN jsonb_build_object('lane', v_lanes ->> t.id) ELSE '{}'::jsonb END
        ) ORDER BY t.ord), '[]'::jsonb),
        'edges', coalesce((
            SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'id', x ->> 'edge_id',
                'source', x ->> 'source_ref',
                'target', x ->> 'target_ref',
                'type', 'smoothstep',
                'label', nullif(btrim(x ->> 'name'), ''),
                'sourceHandle', x ->> 'pgwf_handle',
                'data', CASE
                    WHEN x ->> 'pgwf_handle' IS NOT NULL THEN NULL
                    WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(v_nodes) s
                                 WHERE s ->> 'id' = x ->> 'source_ref' AND s -> 'el' ->> 'default_flow' = x ->> 'edge_id')
                        THEN jsonb_build_object('default', true)
                    WHEN v_conditions ? (x ->> 'edge_id') AND jsonb_array_length(v_conditions -> (x ->> 'edge_id')) > 0
                        THEN jsonb_build_object('conditions', v_conditions -> (x ->> 'edge_id'))
                    END)) ORDER BY (x ->> 'ord')::integer)
            FROM jsonb_array_elements(v_flows) x), '[]'::jsonb),
        'viewport', jsonb_build_object('x', 0, 'y', 0, 'zoom', 1))
    INTO v_graph
    FROM typed t;

    RETURN jsonb_build_object('process', v_process, 'graph', v_graph, 'ignored', v_ignored, 'start', v_start);
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_compile(text, text) IS
    'Compiles one process of a BPMN 2.0 document (p_process_id; NULL: the only one, or the only executable one) into {"process": {id, name, documentation, isExecutable, historyTimeToLive (days, when the process gives camunda:historyTimeToLive or flowable:historyTimeToLive)}, "graph": React Flow JSON, "ignored": [{kind, id, in, reason}] (descriptive elements kept, never run), "start": {candidateStarterGroups, candidateStarterUsers, initiatorVariable}}; refuses it (PW422) listing every unsupported element, bad flow, bad attribute and bad condition by element id. PW401/PW403 for a person without workflow_admin.';

REVOKE ALL ON FUNCTION flowable.bpmn_compile(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_compile(text, text) TO pgwf_app;
