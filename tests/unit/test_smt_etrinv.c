/* ETR-INV: the text format, the exact check, Z3's solutions and the
 * generators.  The golden-ratio system {x1 = 1, x0 + x1 = x2,
 * x0 * x2 = 1} must be solved with x0 = (sqrt 5 - 1) / 2 exactly, as a
 * root-obj; planted systems (rational and irrational chosen values) must
 * be satisfiable and their planted solutions must check; perturbed
 * solutions must fail. */
#include "xt_test.h"
#include "xtrain/etrinv.h"

#define CHECK_SECONDS 60

static void test_format(void)
{
    static const char text[] =
        "c the golden ratio\n"
        "p etr-inv 3 3\n"
        "x1 = 1\n"
        "x0+x1=x2\n"
        "  x0 * x2 = 1  \n";
    xt_etrinv_t sys, again;
    xt_error_t err;
    char *out = NULL;
    size_t size = 0;

    xt_etrinv_init(sys);
    xt_etrinv_init(again);
    XT_CHECK(xt_etrinv_parse(sys, text, strlen(text), "golden", &err) ==
             XT_OK);
    XT_CHECK_INT(sys->nvars, 3);
    XT_CHECK_INT(sys->count, 3);
    XT_CHECK_INT(sys->constraints[1].op, XT_ETRINV_ADD);
    XT_CHECK_INT(sys->constraints[2].op, XT_ETRINV_INV);
    FILE *f = open_memstream(&out, &size);
    xt_etrinv_write(f, sys);
    fclose(f);
    XT_CHECK_STR(out, "p etr-inv 3 3\nx1 = 1\nx0 + x1 = x2\nx0 * x2 = 1\n");
    XT_CHECK(xt_etrinv_parse(again, out, size, "again", &err) == XT_OK);
    free(out);
    /* malformed systems, with the line of the error */
    const char *bad[] = {
        "x0 = 1\n",                             /* no header */
        "p etr-inv 2 1\nx2 = 1\n",              /* variable out of range */
        "p etr-inv 2 1\nx0 * x1 = x0\n",        /* product not 1 */
        "p etr-inv 2 1\nx0 = 2\n",              /* constant not 1 */
        "p etr-inv 2 2\nx0 = 1\n",              /* missing line */
        "p etr-inv 2 1\nx0 + x1 = x1 x0\n",     /* trailing text */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (xt_etrinv_parse(again, bad[i], strlen(bad[i]), "bad", &err) !=
            XT_ERR_INPUT)
            XT_FAIL("accepted: %s", bad[i]);
        else
            XT_CHECK(strncmp(err.message, "bad:", 4) == 0);
    }
    XT_CHECK_INT(again->count, 3);  /* unchanged by the failures */
    xt_etrinv_clear(again);
    xt_etrinv_clear(sys);
}

static void test_golden(void)
{
    xt_etrinv_t sys;
    xt_etrinv_solution_t sol, parsed;
    xt_smt_status status;
    xt_error_t err;
    int holds = 0, failed = 0;
    char *text = NULL, *x0;
    size_t size = 0;

    xt_etrinv_init(sys);
    xt_etrinv_solution_init(sol);
    xt_etrinv_solution_init(parsed);
    xt_etrinv_golden(sys);
    XT_CHECK(xt_etrinv_solve(&status, sol, sys, CHECK_SECONDS, &err) ==
             XT_OK);
    XT_CHECK_INT(status, XT_SMT_SAT);
    if (status == XT_SMT_SAT) {
        x0 = xt_algebraic_to_string(&sol->value[0]);
        XT_CHECK_STR(x0, "(root-obj (+ (^ x 2) x (- 1)) 2)");
        free(x0);
        x0 = xt_algebraic_to_string(&sol->value[2]);
        XT_CHECK_STR(x0, "(root-obj (+ (^ x 2) (* (- 1) x) (- 1)) 2)");
        free(x0);
        XT_CHECK(xt_etrinv_check(&holds, &failed, sys, sol, &err) == XT_OK);
        XT_CHECK(holds);
        FILE *f = open_memstream(&text, &size);
        xt_etrinv_solution_write(f, sol, 20);
        fclose(f);
        XT_CHECK(strstr(text, "c x0 = 0.61803398874989484820...") != NULL);
        XT_CHECK(xt_etrinv_solution_parse(parsed, 3, text, size, "sol",
                                          &err) == XT_OK);
        XT_CHECK(xt_etrinv_check(&holds, &failed, sys, parsed, &err) ==
                 XT_OK);
        XT_CHECK(holds);
        free(text);
        /* a close rational is not a solution: constraint 3 fails */
        mpq_t q;
        mpq_init(q);
        mpq_set_ui(q, 987, 1597);
        xt_algebraic_set_q(&parsed->value[0], q);
        XT_CHECK(xt_etrinv_check(&holds, &failed, sys, parsed, &err) ==
                 XT_OK);
        XT_CHECK(!holds);
        /* out of the domain */
        mpq_set_ui(q, 5, 2);
        xt_algebraic_set_q(&parsed->value[2], q);
        XT_CHECK(xt_etrinv_check(&holds, &failed, sys, parsed, &err) ==
                 XT_OK);
        XT_CHECK(!holds);
        XT_CHECK_INT(failed, -3);
        mpq_clear(q);
    }
    xt_etrinv_solution_clear(parsed);
    xt_etrinv_solution_clear(sol);
    xt_etrinv_clear(sys);
}

/* Without x1 = 1 the system has a solution set, but x0 = x1 = 1 and
 * x0 + x0 = x1 contradict each other. */
static void test_unsat(void)
{
    static const char text[] = "p etr-inv 2 3\nx0 = 1\nx1 = 1\nx0 + x0 = x1\n";
    xt_etrinv_t sys;
    xt_etrinv_solution_t sol;
    xt_smt_status status;
    xt_error_t err;

    xt_etrinv_init(sys);
    xt_etrinv_solution_init(sol);
    XT_CHECK(xt_etrinv_parse(sys, text, strlen(text), "unsat", &err) ==
             XT_OK);
    XT_CHECK(xt_etrinv_solve(&status, sol, sys, CHECK_SECONDS, &err) ==
             XT_OK);
    XT_CHECK_INT(status, XT_SMT_UNSAT);
    xt_etrinv_solution_clear(sol);
    xt_etrinv_clear(sys);
}

/* Planted systems from rational and irrational chosen values. */
static void test_planted(uint64_t *rng, long count)
{
    static const char *chosen[] = {
        "1", "3/4", "5/3", "(root-obj (+ (^ x 2) (- 2)) 2)",
        "(root-obj (+ (^ x 2) x (- 1)) 2)",
        "(root-obj (+ (^ x 3) (- 3)) 1)"
    };
    xt_algebraic_struct values[3];
    xt_etrinv_t sys;
    xt_etrinv_solution_t planted, sol;
    xt_smt_status status;
    xt_error_t err;
    int holds, failed;

    xt_etrinv_init(sys);
    xt_etrinv_solution_init(planted);
    xt_etrinv_solution_init(sol);
    for (int i = 0; i < 3; i++)
        xt_algebraic_init(&values[i]);
    for (long c = 0; c < count; c++) {
        int nvalues = 1 + (int)(xt_test_rand(rng) % 3);
        for (int i = 0; i < nvalues; i++) {
            const char *t = chosen[xt_test_rand(rng) % 6];
            xt_algebraic_parse(&values[i], t, strlen(t), &err);
        }
        int nvars = nvalues + 2 + (int)(xt_test_rand(rng) % 5);
        if (xt_etrinv_plant(sys, planted, values, nvalues, nvars,
                            nvars + 2, rng, &err) != XT_OK) {
            XT_FAIL("plant %ld: %s", c, err.message);
            continue;
        }
        XT_CHECK(xt_etrinv_check(&holds, &failed, sys, planted, &err) ==
                 XT_OK);
        XT_CHECK(holds);
        XT_CHECK(xt_etrinv_solve(&status, sol, sys, CHECK_SECONDS, &err) ==
                 XT_OK);
        XT_CHECK_INT(status, XT_SMT_SAT);
    }
    /* a value outside [1/2, 2] is rejected */
    xt_algebraic_parse(&values[0], "3", 1, &err);
    XT_CHECK(xt_etrinv_plant(sys, planted, values, 1, 3, 3, rng, &err) ==
             XT_ERR_INPUT);
    for (int i = 0; i < 3; i++)
        xt_algebraic_clear(&values[i]);
    xt_etrinv_solution_clear(sol);
    xt_etrinv_solution_clear(planted);
    xt_etrinv_clear(sys);
}

/* Random systems: xt_etrinv_solve checks every solution it returns, and
 * both results, sat and unsat, must occur. */
static void test_random(uint64_t *rng, long count)
{
    xt_etrinv_t sys;
    xt_etrinv_solution_t sol;
    xt_smt_status status;
    xt_error_t err;
    long sat = 0, unsat = 0;

    xt_etrinv_init(sys);
    xt_etrinv_solution_init(sol);
    for (long c = 0; c < count; c++) {
        int nvars = 2 + (int)(xt_test_rand(rng) % 4);
        XT_CHECK(xt_etrinv_random(sys, rng, nvars, nvars, &err) == XT_OK);
        if (xt_etrinv_solve(&status, sol, sys, CHECK_SECONDS, &err)) {
            XT_FAIL("random system %ld: %s", c, err.message);
            continue;
        }
        sat += status == XT_SMT_SAT;
        unsat += status == XT_SMT_UNSAT;
    }
    XT_CHECK_INT(sat + unsat, count);
    XT_CHECK(sat > 0 && unsat > 0);
    xt_etrinv_solution_clear(sol);
    xt_etrinv_clear(sys);
}

int main(void)
{
    uint64_t rng = xt_test_seed();

    test_format();
    test_golden();
    test_unsat();
    test_planted(&rng, xt_test_scale(20));
    test_random(&rng, xt_test_scale(40));
    return xt_test_finish("test_smt_etrinv");
}
