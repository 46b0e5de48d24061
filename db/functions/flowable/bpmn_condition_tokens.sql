-- Tokenizer of BPMN condition expressions (${...}, #{...}, or the bare expression): a
-- hand-written scanner; the parser (flowable.compile_condition_expression) consumes its
-- tokens. A condition is at most 4,000 characters.
CREATE OR REPLACE FUNCTION flowable.bpmn_condition_tokens(
    p_expression text,
    p_element_id text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_text text := btrim(coalesce(p_expression, ''), E' \t\r\n');
    v_body text;
    v_len integer;
    v_pos integer := 1;
    v_ch text;
    v_start integer;
    v_word text;
    v_str text;
    v_quote text;
    v_seg text;
    v_more text;
    v_fn text;
    v_argtext text;
    v_args jsonb;
    v_arg text;
    v_tokens jsonb := '[]'::jsonb;
BEGIN
    -- the cost of compiling grows with the length: a condition is at most 4,000 characters
    IF length(v_text) > 4000 THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, left(p_expression, 60) || '...',
            format('it is %s characters long; a condition is at most 4000', length(v_text)));
    END IF;
    -- ${...} or #{...}; a condition written without them (no language, or an expression
    -- language) is the expression itself
    IF v_text ~ '^[$#]\{.*\}$' THEN
        v_body := substr(v_text, 3, length(v_text) - 3);
    ELSE
        v_body := v_text;
    END IF;
    v_len := length(v_body);

    -- A character scanner: each branch consumes one token and advances v_pos.
    WHILE v_pos <= v_len LOOP
        v_ch := substr(v_body, v_pos, 1);
        v_start := v_pos;
        IF v_ch IN (' ', E'\t', E'\r', E'\n') THEN
            v_pos := v_pos + 1;
        ELSIF v_ch = '(' THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'lp', 'v', '(', 'p', v_start);
            v_pos := v_pos + 1;
        ELSIF v_ch = ')' THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'rp', 'v', ')', 'p', v_start);
            v_pos := v_pos + 1;
        ELSIF substr(v_body, v_pos, 2) IN ('==', '!=', '<=', '>=') THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', substr(v_body, v_pos, 2), 'p', v_start);
            v_pos := v_pos + 2;
        ELSIF substr(v_body, v_pos, 2) = '&&' THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'and', 'v', '&&', 'p', v_start);
            v_pos := v_pos + 2;
        ELSIF substr(v_body, v_pos, 2) = '||' THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'or', 'v', '||', 'p', v_start);
            v_pos := v_pos + 2;
        ELSIF v_ch IN ('<', '>') THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', v_ch, 'p', v_start);
            v_pos := v_pos + 1;
        ELSIF v_ch = '!' THEN
            v_tokens := v_tokens || jsonb_build_object('t', 'not', 'v', '!', 'p', v_start);
            v_pos := v_pos + 1;
        ELSIF v_ch IN ('''', '"') THEN
            -- A quoted string; a backslash escapes the next character.
            v_quote := v_ch;
            v_str := '';
            v_pos := v_pos + 1;
            LOOP
                IF v_pos > v_len THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the string starting at position %s is not closed', v_start));
                END IF;
                v_ch := substr(v_body, v_pos, 1);
                IF v_ch = E'\\' THEN
                    IF v_pos = v_len THEN
                        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                            format('the string starting at position %s is not closed', v_start));
                    END IF;
                    v_str := v_str || substr(v_body, v_pos + 1, 1);
                    v_pos := v_pos + 2;
                ELSIF v_ch = v_quote THEN
                    v_pos := v_pos + 1;
                    EXIT;
                ELSE
                    v_str := v_str || v_ch;
                    v_pos := v_pos + 1;
                END IF;
            END LOOP;
            v_tokens := v_tokens || jsonb_build_object('t', 'lit', 'v', to_jsonb(v_str), 'p', v_start);
        ELSIF v_ch ~ '[0-9]' OR (v_ch = '-' AND substr(v_body, v_pos + 1, 1) ~ '[0-9]') THEN
            v_word := substring(substr(v_body, v_pos) FROM '^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?');
            IF substr(v_body, v_pos + length(v_word), 1) ~ '[A-Za-z_.]' THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('malformed number at position %s', v_start));
            END IF;
            v_tokens := v_tokens || jsonb_build_object('t', 'lit', 'v', v_word::numeric, 'p', v_start);
            v_pos := v_pos + length(v_word);
        ELSIF v_ch ~ '[A-Za-z_]' THEN
            -- A dotted path (a.b.c) or a word operator / literal.
            v_word := substring(substr(v_body, v_pos) FROM '^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*');
            v_pos := v_pos + length(v_word);
            -- indexing: a[0] and a['key'] are the path segments a.0 and a.key (a loop over the brackets)
            WHILE substr(v_body, v_pos, 1) = '[' LOOP
                v_seg := substring(substr(v_body, v_pos) FROM '^\[\s*([0-9]{1,9}|''[A-Za-z0-9_ -]{1,100}''|"[A-Za-z0-9_ -]{1,100}")\s*\]');
                IF v_seg IS NULL THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the index at position %s is neither a whole number nor a quoted key of letters, digits, _, - and spaces',
                               v_pos));
                END IF;
                v_pos := v_pos + length(substring(substr(v_body, v_pos) FROM '^\[[^]]*\]'));
                v_word := v_word || '.' || btrim(v_seg, '''"');
                v_more := substring(substr(v_body, v_pos) FROM '^(?:\.[A-Za-z_][A-Za-z0-9_]*)+');
                IF v_more IS NOT NULL THEN
                    v_word := v_word || v_more;
                    v_pos := v_pos + length(v_more);
                END IF;
            END LOOP;
            -- a call: a method on a variable (a.b.startsWith('x')) or a Flowable var: function
            v_fn := NULL;
            IF v_word IN ('var', 'variables') AND substr(v_body, v_pos, 1) = ':' THEN
                v_fn := substring(substr(v_body, v_pos + 1) FROM '^[A-Za-z]+');
                IF v_fn IS NULL OR substr(v_body, v_pos + 1 + length(v_fn), 1) <> '(' THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('"%s:" at position %s is not followed by a function call', v_word, v_start));
                END IF;
                v_pos := v_pos + 1 + length(v_fn);
                v_fn := v_word || ':' || v_fn;
                v_word := NULL;
            ELSIF substr(v_body, v_pos, 1) = '(' AND strpos(v_word, '.') > 0 THEN
                v_fn := regexp_replace(v_word, '^.*\.', '');
                v_word := regexp_replace(v_word, '\.[^.]*$', '');
            END IF;
            IF v_fn IS NOT NULL THEN
                v_argtext := substring(substr(v_body, v_pos) FROM '^\(((?:''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"|[^()''"])*)\)');
                IF v_argtext IS NULL THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the call %s at position %s has no closed list of plain arguments', v_fn, v_start));
                END IF;
                v_pos := v_pos + length(v_argtext) + 2;
                -- its arguments: literals and variables (a loop over the few of them)
                v_args := '[]'::jsonb;
                FOR v_arg IN SELECT btrim(m[1]) FROM regexp_matches(v_argtext, '(''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"|[^,]+)', 'g') AS m LOOP
                    CONTINUE WHEN v_arg = '';
                    v_args := v_args || CASE
                        WHEN v_arg ~ '^''.*''$' OR v_arg ~ '^".*"$'
                            THEN jsonb_build_object('k', 'lit', 'v', regexp_replace(substr(v_arg, 2, length(v_arg) - 2), '\\(.)', '\1', 'g'))
                        WHEN v_arg ~ '^-?[0-9]+(\.[0-9]+)?$' THEN jsonb_build_object('k', 'lit', 'v', v_arg::numeric)
                        WHEN v_arg IN ('true', 'false') THEN jsonb_build_object('k', 'lit', 'v', v_arg::boolean)
                        WHEN v_arg ~ '^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$'
                            THEN jsonb_build_object('k', 'path', 'v',
                                 CASE WHEN split_part(v_arg, '.', 1) IN ('input', 'steps') THEN '$variables.' || v_arg ELSE v_arg END)
                        ELSE jsonb_build_object('k', 'bad', 'v', v_arg) END;
                END LOOP;
                IF jsonb_path_exists(v_args, '$[*] ? (@.k == "bad")') THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('an argument of %s at position %s is neither a literal nor a variable', v_fn, v_start));
                END IF;
                v_tokens := v_tokens || jsonb_build_object('t', 'cond', 'p', v_start,
                    'v', flowable.bpmn_condition_call(
                             CASE WHEN v_word IS NULL THEN NULL
                                  WHEN split_part(v_word, '.', 1) IN ('input', 'steps') THEN '$variables.' || v_word ELSE v_word END,
                             v_fn, v_args, v_start, p_expression, p_element_id));
                CONTINUE;
            END IF;
            IF substr(v_body, v_pos, 1) IN ('.', '(') THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('"%s" at position %s is followed by "%s": method calls and '
                           || 'malformed paths are not allowed', v_word, v_start, substr(v_body, v_pos, 1)));
            END IF;
            CASE v_word
                WHEN 'true' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'lit', 'v', true, 'p', v_start);
                WHEN 'false' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'lit', 'v', false, 'p', v_start);
                WHEN 'null' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'lit', 'v', 'null'::jsonb, 'p', v_start);
                WHEN 'and' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'and', 'v', '&&', 'p', v_start);
                WHEN 'or' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'or', 'v', '||', 'p', v_start);
                WHEN 'not' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'not', 'v', '!', 'p', v_start);
                WHEN 'eq' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', '==', 'p', v_start);
                WHEN 'ne' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', '!=', 'p', v_start);
                WHEN 'lt' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', '<', 'p', v_start);
                WHEN 'le' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', '<=', 'p', v_start);
                WHEN 'gt' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', '>', 'p', v_start);
                WHEN 'ge' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'cmp', 'v', '>=', 'p', v_start);
                WHEN 'empty' THEN
                    v_tokens := v_tokens || jsonb_build_object('t', 'empty', 'v', 'empty', 'p', v_start);
                WHEN 'div', 'mod', 'instanceof' THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the operator "%s" at position %s is not supported', v_word, v_start));
                ELSE
                    IF v_word ~ '(^|\.)(true|false|null|and|or|not|eq|ne|lt|le|gt|ge|empty|div|mod|instanceof)(\.|$)' THEN
                        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                            format('the path "%s" at position %s uses a reserved word', v_word, v_start));
                    END IF;
                    -- every BPMN name is a variable: the names that are roots of the engine's own
                    -- data in drawn models are spelled out ($variables.input), see resolve_field
                    v_tokens := v_tokens || jsonb_build_object('t', 'path',
                        'v', CASE WHEN split_part(v_word, '.', 1) IN ('input', 'steps') THEN '$variables.' || v_word ELSE v_word END,
                        'p', v_start);
            END CASE;
        ELSE
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('unexpected character "%s" at position %s', v_ch, v_start));
        END IF;
    END LOOP;

    IF jsonb_array_length(v_tokens) = 0 THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression, 'the expression is empty');
    END IF;
    RETURN v_tokens;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_condition_tokens(text, text) IS
    'Splits a ${...} or #{...} condition into tokens (path, lit, cmp, and, or, not, lp, rp; each with its position); refuses anything else with PW422.';

REVOKE ALL ON FUNCTION flowable.bpmn_condition_tokens(text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_condition_tokens(text, text) TO pgwf_app;
