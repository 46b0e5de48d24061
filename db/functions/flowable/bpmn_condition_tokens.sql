-- Tokenizer of BPMN condition expressions (${...}, #{...}, or the bare expression): one regular
-- expression splits the text into lexemes in a single pass, then one loop over them builds the
-- tokens the parser (flowable.compile_condition_expression) consumes. Both steps are linear in
-- the length; a condition is at most 4,000 characters.
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
    -- the lexemes: kind (s string, n number, w word, o two-character operator, c one character),
    -- text and position; arrays so that each is read in constant time
    v_kind text[];
    v_lex text[];
    v_pos integer[];
    v_n integer;
    v_i integer := 1;
    v_start integer;
    v_word text;
    v_fn text;
    v_recv jsonb;
    v_args jsonb[];
    v_arg jsonb;
    v_call jsonb;
    v_tokens jsonb[] := ARRAY[]::jsonb[];
    v_nt integer := 0;
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

    SELECT array_agg(l.kind ORDER BY l.n), array_agg(l.lex ORDER BY l.n), array_agg(l.pos ORDER BY l.n)
      INTO v_kind, v_lex, v_pos
      FROM (SELECT m.n, CASE WHEN m.g[2] IS NOT NULL THEN 's' WHEN m.g[3] IS NOT NULL THEN 'n'
                             WHEN m.g[4] IS NOT NULL THEN 'w' WHEN m.g[5] IS NOT NULL THEN 'o'
                             WHEN m.g[6] IS NOT NULL THEN 'c' END AS kind,
                   coalesce(m.g[2], m.g[3], m.g[4], m.g[5], m.g[6]) AS lex,
                   1 + coalesce(sum(length(coalesce(m.g[1], m.g[2], m.g[3], m.g[4], m.g[5], m.g[6])))
                                OVER (ORDER BY m.n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::integer AS pos
              FROM regexp_matches(v_body,
                       '(\s+)|(''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*")|([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)'
                       || '|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\|)|(.)', 'g') WITH ORDINALITY AS m(g, n)) AS l
     WHERE l.kind IS NOT NULL;
    v_n := coalesce(cardinality(v_lex), 0);
    IF v_n = 0 THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression, 'the expression is empty');
    END IF;

    -- One loop over the lexemes: each branch consumes one token (a path or a call takes several
    -- lexemes) and appends it to v_tokens.
    WHILE v_i <= v_n LOOP
        v_start := v_pos[v_i];
        IF v_kind[v_i] = 's' THEN
            v_nt := v_nt + 1;
            v_tokens[v_nt] := jsonb_build_object('t', 'lit', 'p', v_start,
                'v', regexp_replace(substr(v_lex[v_i], 2, length(v_lex[v_i]) - 2), '\\(.)', '\1', 'g'));
            v_i := v_i + 1;
        ELSIF v_kind[v_i] = 'n' THEN
            IF v_kind[v_i + 1] = 'w' OR v_lex[v_i + 1] = '.' THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('malformed number at position %s', v_start));
            END IF;
            v_nt := v_nt + 1;
            v_tokens[v_nt] := jsonb_build_object('t', 'lit', 'v', v_lex[v_i]::numeric, 'p', v_start);
            v_i := v_i + 1;
        ELSIF v_kind[v_i] = 'o' THEN
            v_nt := v_nt + 1;
            v_tokens[v_nt] := jsonb_build_object('t', CASE v_lex[v_i] WHEN '&&' THEN 'and' WHEN '||' THEN 'or' ELSE 'cmp' END,
                                                 'v', v_lex[v_i], 'p', v_start);
            v_i := v_i + 1;
        ELSIF v_kind[v_i] = 'c' THEN
            IF v_lex[v_i] IN ('''', '"') THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('the string starting at position %s is not closed', v_start));
            ELSIF v_lex[v_i] NOT IN ('(', ')', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':') THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('unexpected character "%s" at position %s', v_lex[v_i], v_start));
            END IF;
            v_nt := v_nt + 1;
            v_tokens[v_nt] := jsonb_build_object('p', v_start, 'v', v_lex[v_i],
                't', CASE v_lex[v_i] WHEN '(' THEN 'lp' WHEN ')' THEN 'rp' WHEN '!' THEN 'not'
                                     WHEN '?' THEN 'q' WHEN ':' THEN 'colon' WHEN '<' THEN 'cmp' WHEN '>' THEN 'cmp'
                                     ELSE 'arith' END);
            v_i := v_i + 1;
        ELSE
            -- a word: a dotted path with indexes (a.b[0]['k'] is the path a.b.0.k), a word
            -- operator or literal, a method call on a path, or a Flowable var: function
            v_word := v_lex[v_i];
            v_i := v_i + 1;
            LOOP
                IF v_lex[v_i] = '.' AND v_kind[v_i + 1] = 'w' THEN
                    v_word := v_word || '.' || v_lex[v_i + 1];
                    v_i := v_i + 2;
                ELSIF v_lex[v_i] = '[' THEN
                    IF NOT ((v_kind[v_i + 1] = 'n' AND v_lex[v_i + 1] ~ '^[0-9]{1,9}$')
                            OR (v_kind[v_i + 1] = 's' AND v_lex[v_i + 1] ~ '^[''"][A-Za-z0-9_ -]{1,100}[''"]$'))
                       OR v_lex[v_i + 2] IS DISTINCT FROM ']' THEN
                        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                            format('the index at position %s is neither a whole number nor a quoted key of letters, digits, _, - and spaces',
                                   v_pos[v_i]));
                    END IF;
                    v_word := v_word || '.' || btrim(v_lex[v_i + 1], '''"');
                    v_i := v_i + 3;
                ELSE
                    EXIT;
                END IF;
            END LOOP;
            -- a call: a method on a variable (a.b.startsWith('x')) or a Flowable var: function
            v_fn := NULL;
            IF v_word IN ('var', 'variables') AND v_lex[v_i] = ':' THEN
                IF v_kind[v_i + 1] IS DISTINCT FROM 'w' OR v_lex[v_i + 2] IS DISTINCT FROM '(' THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('"%s:" at position %s is not followed by a function call', v_word, v_start));
                END IF;
                v_fn := v_word || ':' || v_lex[v_i + 1];
                v_recv := NULL;
                v_i := v_i + 2;
            ELSIF v_lex[v_i] = '(' AND strpos(v_word, '.') > 0 THEN
                v_fn := regexp_replace(v_word, '^.*\.', '');
                v_word := regexp_replace(v_word, '\.[^.]*$', '');
                v_recv := jsonb_build_object('path', CASE WHEN split_part(v_word, '.', 1) IN ('input', 'steps')
                                                         THEN '$variables.' || v_word ELSE v_word END);
            END IF;
            IF v_fn IS NOT NULL THEN
                -- a chain of calls: value methods (size, length, toUpperCase, toLowerCase) give a
                -- value the next method applies to; a test method (equals, startsWith, ...) or a
                -- var: function gives a condition and ends the chain (a loop over the few calls)
                LOOP
                    -- the arguments: literals and variables between ( and ), separated by commas
                    v_args := ARRAY[]::jsonb[];
                    v_i := v_i + 1;
                    WHILE v_lex[v_i] IS DISTINCT FROM ')' LOOP
                        IF v_i > v_n OR (cardinality(v_args) > 0 AND v_lex[v_i] IS DISTINCT FROM ',') THEN
                            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                                format('the call %s at position %s has no closed list of plain arguments', v_fn, v_start));
                        END IF;
                        IF cardinality(v_args) > 0 THEN
                            v_i := v_i + 1;
                        END IF;
                        v_arg := CASE
                            WHEN v_kind[v_i] = 's' THEN jsonb_build_object('k', 'lit', 'v',
                                 regexp_replace(substr(v_lex[v_i], 2, length(v_lex[v_i]) - 2), '\\(.)', '\1', 'g'))
                            WHEN v_kind[v_i] = 'n' THEN jsonb_build_object('k', 'lit', 'v', v_lex[v_i]::numeric)
                            WHEN v_lex[v_i] = '-' AND v_kind[v_i + 1] = 'n' THEN jsonb_build_object('k', 'lit', 'v', -(v_lex[v_i + 1]::numeric))
                            WHEN v_lex[v_i] IN ('true', 'false') THEN jsonb_build_object('k', 'lit', 'v', v_lex[v_i]::boolean)
                            WHEN v_kind[v_i] = 'w' THEN jsonb_build_object('k', 'path', 'v', v_lex[v_i])
                        END;
                        IF v_lex[v_i] = '-' THEN
                            v_i := v_i + 1;
                        END IF;
                        v_i := v_i + 1;
                        -- a variable argument may be a dotted path
                        WHILE v_arg ->> 'k' = 'path' AND v_lex[v_i] = '.' AND v_kind[v_i + 1] = 'w' LOOP
                            v_arg := jsonb_set(v_arg, '{v}', to_jsonb((v_arg ->> 'v') || '.' || v_lex[v_i + 1]));
                            v_i := v_i + 2;
                        END LOOP;
                        IF v_arg IS NULL OR (v_lex[v_i] IS NOT NULL AND v_lex[v_i] NOT IN (',', ')')) THEN
                            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                                format('an argument of %s at position %s is neither a literal nor a variable', v_fn, v_start));
                        END IF;
                        IF v_arg ->> 'k' = 'path' AND split_part(v_arg ->> 'v', '.', 1) IN ('input', 'steps') THEN
                            v_arg := jsonb_set(v_arg, '{v}', to_jsonb('$variables.' || (v_arg ->> 'v')));
                        END IF;
                        v_args := v_args || v_arg;
                    END LOOP;
                    v_i := v_i + 1;
                    IF v_recv IS NOT NULL AND v_fn IN ('size', 'length', 'toUpperCase', 'toLowerCase') THEN
                        IF cardinality(v_args) > 0 THEN
                            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                                format('%s at position %s takes no arguments', v_fn, v_start));
                        END IF;
                        v_recv := jsonb_build_object('op', CASE v_fn WHEN 'toUpperCase' THEN 'upper' WHEN 'toLowerCase' THEN 'lower'
                                                                     ELSE 'size' END,
                                                     'args', jsonb_build_array(v_recv));
                        v_call := NULL;
                    ELSE
                        v_call := flowable.bpmn_condition_call(coalesce(v_recv ->> 'path', CASE WHEN v_recv IS NOT NULL THEN '$' END),
                                                               v_fn, to_jsonb(v_args), v_start, p_expression, p_element_id);
                        IF v_recv IS NOT NULL AND NOT v_recv ? 'path' THEN
                            -- a test on a computed value (name.toLowerCase().startsWith('x')): its "expr"
                            v_call := CASE WHEN v_call ? 'not' THEN jsonb_build_object('not', (v_call -> 'not') - 'field' || jsonb_build_object('expr', v_recv))
                                           ELSE v_call - 'field' || jsonb_build_object('expr', v_recv) END;
                        END IF;
                    END IF;
                    EXIT WHEN v_call IS NOT NULL OR v_lex[v_i] IS DISTINCT FROM '.'
                              OR v_kind[v_i + 1] IS DISTINCT FROM 'w' OR v_lex[v_i + 2] IS DISTINCT FROM '(';
                    v_fn := v_lex[v_i + 1];
                    v_i := v_i + 2;
                END LOOP;
                IF v_lex[v_i] IN ('.', '(', '[') THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the call at position %s is followed by "%s"', v_start, v_lex[v_i]));
                END IF;
                v_nt := v_nt + 1;
                v_tokens[v_nt] := CASE WHEN v_call IS NOT NULL THEN jsonb_build_object('t', 'cond', 'p', v_start, 'v', v_call)
                                       ELSE jsonb_build_object('t', 'val', 'p', v_start, 'v', v_recv) END;
                CONTINUE;
            END IF;
            v_nt := v_nt + 1;
            v_tokens[v_nt] := CASE v_word
                WHEN 'true' THEN jsonb_build_object('t', 'lit', 'v', true, 'p', v_start)
                WHEN 'false' THEN jsonb_build_object('t', 'lit', 'v', false, 'p', v_start)
                WHEN 'null' THEN jsonb_build_object('t', 'lit', 'v', 'null'::jsonb, 'p', v_start)
                WHEN 'and' THEN jsonb_build_object('t', 'and', 'v', '&&', 'p', v_start)
                WHEN 'or' THEN jsonb_build_object('t', 'or', 'v', '||', 'p', v_start)
                WHEN 'not' THEN jsonb_build_object('t', 'not', 'v', '!', 'p', v_start)
                WHEN 'eq' THEN jsonb_build_object('t', 'cmp', 'v', '==', 'p', v_start)
                WHEN 'ne' THEN jsonb_build_object('t', 'cmp', 'v', '!=', 'p', v_start)
                WHEN 'lt' THEN jsonb_build_object('t', 'cmp', 'v', '<', 'p', v_start)
                WHEN 'le' THEN jsonb_build_object('t', 'cmp', 'v', '<=', 'p', v_start)
                WHEN 'gt' THEN jsonb_build_object('t', 'cmp', 'v', '>', 'p', v_start)
                WHEN 'ge' THEN jsonb_build_object('t', 'cmp', 'v', '>=', 'p', v_start)
                WHEN 'div' THEN jsonb_build_object('t', 'arith', 'v', '/', 'p', v_start)
                WHEN 'mod' THEN jsonb_build_object('t', 'arith', 'v', '%', 'p', v_start)
                WHEN 'empty' THEN jsonb_build_object('t', 'empty', 'v', 'empty', 'p', v_start)
            END;
            IF v_lex[v_i] IN ('.', '(', '[') AND (v_tokens[v_nt] IS NULL OR v_tokens[v_nt] ->> 't' = 'lit') THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('"%s" at position %s is followed by "%s": functions other than the methods and var: '
                           || 'functions of the grammar, and malformed paths, are not allowed', v_word, v_start, v_lex[v_i]));
            END IF;
            IF v_tokens[v_nt] IS NULL THEN
                IF v_word = 'instanceof' THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the operator "%s" at position %s is not supported', v_word, v_start));
                END IF;
                IF v_word ~ '(^|\.)(true|false|null|and|or|not|eq|ne|lt|le|gt|ge|empty|div|mod|instanceof)(\.|$)' THEN
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('the path "%s" at position %s uses a reserved word', v_word, v_start));
                END IF;
                -- every BPMN name is a variable: the names that are roots of the engine's own
                -- data in drawn models are spelled out ($variables.input), see resolve_field
                v_tokens[v_nt] := jsonb_build_object('t', 'path', 'p', v_start,
                    'v', CASE WHEN split_part(v_word, '.', 1) IN ('input', 'steps') THEN '$variables.' || v_word ELSE v_word END);
            END IF;
        END IF;
    END LOOP;
    RETURN to_jsonb(v_tokens);
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_condition_tokens(text, text) IS
    'Splits a ${...} or #{...} condition into tokens (path, lit, cond, val, cmp, and, or, not, empty, arith, q, colon, lp, rp; each with its position) in time linear in its length; refuses anything else with PW422.';

REVOKE ALL ON FUNCTION flowable.bpmn_condition_tokens(text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_condition_tokens(text, text) TO pgwf_app;
