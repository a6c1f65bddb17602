/* Tests of the 3-SAT and Positive One-in-Three 3-SAT source problems.
 * They cover small satisfiable and unsatisfiable examples with
 * hand-counted solutions, parser errors, the "s" and "v" lines written and
 * read back, planted generators (which must give satisfiable instances)
 * and the counts of the exhaustive enumerators. */
#include "xt_test.h"
#include "xtrain/reduction.h"

static long count_solutions(const xt_source_problem *p, const char *text)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    xt_certificate_list list;
    xt_certificate_list_init(&list, 0);
    xt_error_t err;
    long count = -1;
    if (xt_source_parse(src, p, text, strlen(text), "test", &err) != XT_OK)
        XT_FAIL("parse failed: %s", err.message);
    else if (xt_source_solve(&list, p, src, &err) != XT_OK)
        XT_FAIL("solve failed: %s", err.message);
    else
        count = list.count;
    for (long i = 0; i < list.count; i++) {
        xt_assignment_t a;
        xt_assignment_init(a);
        xt_certificate_list_get(a, &list, i);
        XT_CHECK(p->check(src, a));
        xt_assignment_clear(a);
    }
    xt_certificate_list_clear(&list);
    xt_clauses_clear(src);
    return count;
}

/* One clause (x1, x2, x3): exactly one true, 3 ways.  The chain
 * (1,2,3), (3,4,5), (1,4,6): x3 = x6 = 1 is one solution; by hand the
 * solutions are {3,6}, {2,4}, {1,5} and {2,5,6}, so 4.  All four
 * 3-subsets of {1..4}: the true variables would have to meet each triple
 * once, and no set does. */
static void test_one_in_three(void)
{
    const xt_source_problem *p = xt_source_find("1in3sat");
    XT_CHECK(p != NULL);
    if (!p)
        return;
    XT_CHECK_INT(count_solutions(p, "p cnf 3 1\n1 2 3 0\n"), 3);
    XT_CHECK_INT(count_solutions(p, "p cnf 6 3\n1 2 3 0\n3 4 5 0\n"
                                    "1 4 6 0\n"), 4);
    XT_CHECK_INT(count_solutions(p, "p cnf 4 4\n1 2 3 0\n1 2 4 0\n"
                                    "1 3 4 0\n2 3 4 0\n"), 0);
    XT_CHECK_INT(count_solutions(p, "c no clauses\np cnf 2 0\n"), 4);

    /* x3 = x6 = 1, the others 0, is a certificate of the chain. */
    static const char chain[] = "p cnf 6 3\n1 2 3 0\n3 4 5 0\n1 4 6 0\n";
    xt_clauses_t src;
    xt_clauses_init(src);
    xt_error_t err;
    XT_CHECK_INT(xt_source_parse(src, p, chain, strlen(chain), "chain",
                                 &err), XT_OK);
    xt_assignment_t a;
    xt_assignment_init(a);
    xt_assignment_resize(a, 6);
    a->value[2] = a->value[5] = 1;
    XT_CHECK(p->check(src, a));
    a->value[0] = 1;
    XT_CHECK(!p->check(src, a));
    xt_assignment_clear(a);
    xt_clauses_clear(src);
}

/* 3-SAT: all 8 sign patterns on 3 variables rule out every assignment;
 * dropping (-1 -2 -3) leaves exactly the all-true one. */
static void test_3sat(void)
{
    const xt_source_problem *p = xt_source_find("3sat");
    XT_CHECK(p != NULL);
    if (!p)
        return;
    char all[512], seven[512];
    int used = snprintf(all, sizeof all, "p cnf 3 8\n");
    for (int s = 0; s < 8; s++)
        used += snprintf(all + used, sizeof all - (size_t)used,
                         "%d %d %d 0\n", s & 1 ? -1 : 1, s & 2 ? -2 : 2,
                         s & 4 ? -3 : 3);
    XT_CHECK_INT(count_solutions(p, all), 0);
    used = snprintf(seven, sizeof seven, "p cnf 3 7\n");
    for (int s = 0; s < 7; s++)
        used += snprintf(seven + used, sizeof seven - (size_t)used,
                         "%d %d %d 0\n", s & 1 ? -1 : 1, s & 2 ? -2 : 2,
                         s & 4 ? -3 : 3);
    XT_CHECK_INT(count_solutions(p, seven), 1);
    /* (x1 or x2), (not x1), (not x2) is unsatisfiable; (x1 or not x2)
     * alone has 3 of 4 assignments. */
    XT_CHECK_INT(count_solutions(p, "p cnf 2 3\n1 2 0\n-1 0\n-2 0\n"), 0);
    XT_CHECK_INT(count_solutions(p, "p cnf 2 1\n1 -2 0\n"), 3);
}

static void expect_reject(const char *problem, const char *text,
                          const char *why)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    xt_error_t err;
    if (xt_source_parse(src, xt_source_find(problem), text, strlen(text),
                        "bad", &err) == XT_OK)
        XT_FAIL("%s: accepted %s", problem, why);
    xt_clauses_clear(src);
}

static void test_parse_errors(void)
{
    expect_reject("3sat", "p cnf 4 1\n1 2 3 4 0\n", "four literals");
    expect_reject("3sat", "p cnf 2 1\n0\n", "an empty clause");
    expect_reject("3sat", "p cnf 2 1\n1 3 0\n", "a variable out of range");
    expect_reject("3sat", "p cnf 2 2\n1 2 0\n", "a missing clause");
    expect_reject("1in3sat", "p cnf 3 1\n1 -2 3 0\n", "a negative literal");
    expect_reject("1in3sat", "p cnf 3 1\n1 2 0\n", "two literals");
    expect_reject("1in3sat", "p cnf 3 1\n1 1 2 0\n", "a repeated variable");
    expect_reject("1in3sat", "p set 3 1\n1 2 3 0\n", "the set header");
}

/* Certificates written as s/v lines read back to the same list. */
static void test_answer_lines(void)
{
    xt_certificate_list list, back;
    xt_certificate_list_init(&list, 40);
    xt_certificate_list_init(&back, 40);
    xt_assignment_t a;
    xt_assignment_init(a);
    xt_assignment_resize(a, 40);
    for (int v = 0; v < 40; v += 3)
        a->value[v] = 1;
    xt_certificate_list_push(&list, a);
    a->value[39] = 1;
    xt_certificate_list_push(&list, a);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    xt_certificates_write(f, &list);
    fclose(f);
    XT_CHECK(strncmp(text, "s SATISFIABLE\nv ", 16) == 0);
    xt_error_t err;
    XT_CHECK_INT(xt_certificates_parse(&back, 40, text, len, "lines", &err),
                 XT_OK);
    XT_CHECK_INT(back.count, 2);
    if (back.count == 2)
        XT_CHECK(memcmp(back.values, list.values, 80) == 0);
    free(text);
    XT_CHECK_INT(xt_certificates_parse(&back, 3, "v 1 -2 4 0\n", 11, "x",
                                       &err), XT_ERR_INPUT);
    XT_CHECK_INT(xt_certificates_parse(&back, 3, "v 1 -2\n", 7, "x", &err),
                 XT_ERR_INPUT);
    XT_CHECK_INT(xt_certificates_parse(&back, 3, "s UNSATISFIABLE\n", 16,
                                       "x", &err), XT_OK);
    XT_CHECK_INT(back.count, 0);
    xt_assignment_clear(a);
    xt_certificate_list_clear(&list);
    xt_certificate_list_clear(&back);
}

/* Planted instances are satisfiable and pass the problem's checks. */
static void test_generators(uint64_t seed)
{
    static const char *const names[] = {"3sat", "1in3sat", "set-splitting"};
    long rounds = xt_test_scale(30);
    for (int p = 0; p < 3; p++) {
        const xt_source_problem *problem = xt_source_find(names[p]);
        for (long r = 0; r < rounds; r++) {
            uint64_t rng = seed + (uint64_t)r;
            int size = 3 + (int)(r % 8);
            xt_clauses_t src;
            xt_clauses_init(src);
            xt_error_t err;
            XT_CHECK_INT(problem->random(src, &rng, size, 1), XT_OK);
            XT_CHECK_INT(src->nvars, size);
            XT_CHECK(src->nclauses >= 1);
            if (problem->validate(src, &err) != XT_OK)
                XT_FAIL("%s: invalid planted instance: %s", names[p],
                        err.message);
            xt_certificate_list list;
            xt_certificate_list_init(&list, size);
            XT_CHECK_INT(xt_source_solve(&list, problem, src, &err), XT_OK);
            if (list.count == 0)
                XT_FAIL("%s: planted instance %ld has no solution",
                        names[p], r);
            xt_certificate_list_clear(&list);
            XT_CHECK_INT(problem->random(src, &rng, size, 0), XT_OK);
            XT_CHECK_INT(problem->validate(src, &err), XT_OK);
            xt_clauses_clear(src);
        }
    }
}

static int count_visit(void *data, const xt_clauses_t src)
{
    (void)src;
    (*(long *)data)++;
    return XT_OK;
}

/* Instances with at most 4 variables and 4 clauses: for 1in3sat the
 * triple {1,2,3} (n = 3: 2 families) and the 4 triples of {1..4}
 * (2^4 = 16 families); for set splitting 1 + 2 + 16 + 562. */
static void test_enumerators(void)
{
    long count = 0;
    xt_source_find("1in3sat")->each(4, count_visit, &count);
    XT_CHECK_INT(count, 18);
    count = 0;
    xt_source_find("set-splitting")->each(4, count_visit, &count);
    XT_CHECK_INT(count, 581);
    count = 0;
    xt_source_find("3sat")->each(3, count_visit, &count);
    /* 8 clauses on {1,2,3}, at most 3 of them: 1 + 8 + 28 + 56. */
    XT_CHECK_INT(count, 93);
}

static void test_formulas(void)
{
    static const char *const names[] = {"n", "m", "z"};
    long values[] = {4, 5, 11}, out = 0;
    xt_error_t err;
    XT_CHECK_INT(xt_formula_eval(&out, "n + m + 7", names, values, 3, &err),
                 XT_OK);
    XT_CHECK_INT(out, 16);
    XT_CHECK_INT(xt_formula_eval(&out, "3 * (n - 1) - -z", names, values,
                                 3, &err), XT_OK);
    XT_CHECK_INT(out, 20);
    XT_CHECK_INT(xt_formula_eval(&out, "2", names, values, 3, &err), XT_OK);
    XT_CHECK_INT(out, 2);
    XT_CHECK_INT(xt_formula_eval(&out, "n + k", names, values, 3, &err),
                 XT_ERR_INPUT);
    XT_CHECK_INT(xt_formula_eval(&out, "(n + 1", names, values, 3, &err),
                 XT_ERR_INPUT);
    XT_CHECK_INT(xt_formula_eval(&out, "n m", names, values, 3, &err),
                 XT_ERR_INPUT);
}

int main(void)
{
    uint64_t seed = xt_test_seed();
    test_one_in_three();
    test_3sat();
    test_parse_errors();
    test_answer_lines();
    test_generators(seed);
    test_enumerators();
    test_formulas();
    return xt_test_finish("test_sat");
}
