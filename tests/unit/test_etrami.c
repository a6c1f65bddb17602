/* Tests for ETR-AMI systems and the reduction to sparse linear networks:
 * the text formats, Z3's decisions, the hand-derived training instance of
 * the golden-ratio system, the certificate maps in both directions, the
 * generators and the verifier (including that it reports failures). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/etrami.h"
#include "xtrain/smt.h"

static const char golden_text[] =
    "c the golden ratio\n"
    "p etr-ami 3 3\n"
    "x0 = 1\n"
    "x1 + x0 = x2\n"
    "x1 * x2 = x0\n";

/* The instance of the golden system, derived by hand from the
 * construction.  Inputs: 1 one, 2 vone, 3 done, 4-6 u0 u1 u2, 7-8 t_x0
 * t_x2, 9-10 d_x0 d_x2, 11-12 i and j of x1 * x2 = x0. */
static const char golden_instance[] =
    "xtrain-instance 2\n"
    "inputs 12\n"
    "outputs 2\n"
    "hidden 4\n"
    "activation linear\n"
    "loss l2\n"
    "target 0\n"
    "output-bias yes\n"
    "architecture\n"
    "neuron 1 inputs 1 4 5 6 outputs 1 2\n"
    "neuron 2 inputs 2 7 8 outputs 1 2\n"
    "neuron 3 inputs 3 9 10 outputs 1 2\n"
    "neuron 4 inputs 11 12 outputs 1 2\n"
    "data 10\n"
    "0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    "1 0 0 0 0 0 0 0 0 0 0 0 1 0\n"
    "0 1 0 0 0 0 0 0 0 0 0 0 0 1\n"
    "0 0 1 0 0 0 0 0 0 0 0 0 1 1\n"
    "0 0 0 1 0 0 0 0 0 0 0 0 1 0\n"
    "0 0 0 1 1 -1 0 0 0 0 0 0 0 0\n"
    "0 0 0 -1 0 0 -1 0 1 0 0 0 0 0\n"
    "0 0 0 0 0 -1 0 -1 0 1 0 0 0 0\n"
    "-1 0 0 0 0 0 0 -1 0 0 1 0 0 0\n"
    "0 0 0 0 -1 0 -1 0 0 0 0 1 0 0\n";

static char *instance_text(const xt_instance_t inst)
{
    char *text = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&text, &size);

    if (!stream)
        return NULL;
    xt_instance_write(stream, inst);
    fclose(stream);
    return text;
}

static void read_golden(xt_etrami_t sys)
{
    xt_error_t err;

    XT_CHECK_INT(xt_etrami_parse(sys, golden_text, strlen(golden_text),
                                 "golden", &err), XT_OK);
}

/* Sets a to the index-th root of c0 + c1 x + x^2. */
static void quadratic_root(xt_algebraic_t a, long c0, long c1, int index)
{
    mpz_t coef[3];
    xt_error_t err;

    mpz_init_set_si(coef[0], c0);
    mpz_init_set_si(coef[1], c1);
    mpz_init_set_si(coef[2], 1);
    XT_CHECK_INT(xt_algebraic_set_root(a, coef, 2, (unsigned long)index,
                                       &err), XT_OK);
    for (int i = 0; i < 3; i++)
        mpz_clear(coef[i]);
}

/* ------------------------------------------------------------ formats */

static void test_parse_and_write(void)
{
    xt_etrami_t sys;
    char *text = NULL;
    size_t size = 0;
    FILE *stream;

    xt_etrami_init(sys);
    read_golden(sys);
    XT_CHECK_INT(sys->nvars, 3);
    XT_CHECK_INT(sys->count, 3);
    XT_CHECK_INT(sys->constraints[1].op, XT_ETRAMI_ADD);
    XT_CHECK_INT(sys->constraints[2].op, XT_ETRAMI_MUL);
    XT_CHECK_INT(sys->constraints[2].a, 1);
    XT_CHECK_INT(sys->constraints[2].b, 2);
    XT_CHECK_INT(sys->constraints[2].c, 0);
    stream = open_memstream(&text, &size);
    xt_etrami_write(stream, sys);
    fclose(stream);
    XT_CHECK_STR(text, "p etr-ami 3 3\nx0 = 1\nx1 + x0 = x2\nx1 * x2 = x0\n");
    free(text);

    /* spaces are optional and comments may come anywhere */
    xt_error_t err;
    const char *tight = "p etr-ami 2 2\r\nc note\n\nx1*x1=x0\r\nx0=1\n";
    XT_CHECK_INT(xt_etrami_parse(sys, tight, strlen(tight), "t", &err),
                 XT_OK);
    XT_CHECK_INT(sys->count, 2);
    XT_CHECK_INT(sys->constraints[0].op, XT_ETRAMI_MUL);
    XT_CHECK_INT(sys->constraints[1].op, XT_ETRAMI_ONE);
    xt_etrami_clear(sys);
}

static const struct {
    const char *text, *message;
} bad_systems[] = {
    {"x0 = 1\n", "bad:1: missing header"},
    {"", "bad:1: missing header"},
    {"p etr-ami 2\nx0 = 1\n", "bad:1: invalid header"},
    {"p cnf 2 1\n", "bad:1: expected the header"},
    {"p etr-ami 2 1\nx2 = 1\n", "bad:2: variable x2 out of range"},
    {"p etr-ami 2 1\nx0 = 2\n", "bad:2: expected 1 or a sum or product"},
    {"p etr-ami 2 1\nx0 - x1 = x0\n", "bad:2: expected \"=\", \"+\" or"},
    {"p etr-ami 2 1\nx0 + x1 x0\n", "bad:2: expected \"=\" after"},
    {"p etr-ami 2 1\nx0 + y = x1\n", "bad:2: expected a variable xI, "
     "found \"y\""},
    {"p etr-ami 2 1\nx0 + x1 = x1 x0\n", "bad:2: unexpected text \"x0\""},
    {"p etr-ami 2 1\nx = 1\n", "bad:2: invalid variable name"},
    {"p etr-ami 2 2\nx0 = 1\n", "bad:2: too few constraints"},
    {"p etr-ami 2 1\nx0 = 1\nx1 = 1\n", "bad:3: more constraints"},
    {"p etr-ami 0 1\nx0 = 1\n", "bad:2: variable x0 out of range (the "
     "header declares no variables)"},
};

static void test_parse_errors(void)
{
    for (size_t i = 0; i < sizeof bad_systems / sizeof *bad_systems; i++) {
        xt_etrami_t sys;
        xt_error_t err;
        xt_etrami_init(sys);
        xt_error_clear(&err);
        int status = xt_etrami_parse(sys, bad_systems[i].text,
                                     strlen(bad_systems[i].text), "bad",
                                     &err);
        if (status != XT_ERR_INPUT)
            XT_FAIL("case %zu: status %d", i, status);
        if (!strstr(err.message, bad_systems[i].message))
            XT_FAIL("case %zu: message \"%s\" lacks \"%s\"", i, err.message,
                    bad_systems[i].message);
        xt_etrami_clear(sys);
    }
}

static void test_solution_format(void)
{
    const char *text =
        "s SATISFIABLE\n"
        "v x1 (root-obj (+ (^ x 2) x (- 1)) 2)\n"
        "c x1 = 0.618...\n"
        "v x0 1\n"
        "v x2 (root-obj (+ (^ x 2) (* (- 1) x) (- 1)) 2)\n";
    xt_etrami_t sys;
    xt_etrami_solution_t sol;
    xt_algebraic_t phi;
    xt_error_t err;
    int holds = 0, failed = -1;

    xt_etrami_init(sys);
    xt_etrami_solution_init(sol);
    xt_algebraic_init(phi);
    read_golden(sys);
    XT_CHECK_INT(xt_etrami_solution_parse(sol, 3, text, strlen(text), "sol",
                                          &err), XT_OK);
    XT_CHECK_INT(xt_etrami_solution_irrational(sol), 2);
    XT_CHECK_INT(xt_etrami_check(&holds, &failed, sys, sol, &err), XT_OK);
    XT_CHECK_INT(holds, 1);

    /* x1 = phi - 1 and x2 = phi do not fit x1 * x2 = x0 when x2 is the
     * other root of x^2 - x - 1 */
    quadratic_root(phi, -1, -1, 1);
    xt_algebraic_set(&sol->value[2], phi);
    XT_CHECK_INT(xt_etrami_check(&holds, &failed, sys, sol, &err), XT_OK);
    XT_CHECK_INT(holds, 0);
    XT_CHECK_INT(failed, 1);

    XT_CHECK_INT(xt_etrami_solution_parse(sol, 3, "v x0 1\nv x1 2\n", 14,
                                          "short", &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "no value for x2") != NULL);
    XT_CHECK_INT(xt_etrami_solution_parse(sol, 3, "v x0 1\nv x0 2\n", 14,
                                          "twice", &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "twice:2: second value for x0") != NULL);
    XT_CHECK_INT(xt_etrami_solution_parse(sol, 1, "v x0 (root-obj x 1)\n",
                                          20, "zero", &err), XT_OK);
    XT_CHECK_INT(sol->n == 1 && sol->value[0].degree == 0 &&
                 mpq_sgn(sol->value[0].lo) == 0, 1);
    XT_CHECK_INT(xt_etrami_solution_parse(sol, 1, "v x0 one\n", 9, "bad",
                                          &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "bad:1: invalid value of x0") != NULL);
    xt_algebraic_clear(phi);
    xt_etrami_solution_clear(sol);
    xt_etrami_clear(sys);
}

/* ------------------------------------------------------ the reduction */

static void test_golden_instance(void)
{
    xt_etrami_t sys;
    xt_instance_t inst;
    xt_error_t err;
    long sizes[XT_ETRAMI_SIZES];
    char *text;

    xt_etrami_init(sys);
    xt_instance_init(inst);
    read_golden(sys);
    XT_CHECK_INT(xt_etrami_map(inst, sys, &err), XT_OK);
    text = instance_text(inst);
    XT_CHECK_STR(text, golden_instance);
    free(text);

    xt_etrami_sizes(sizes, sys);
    XT_CHECK_INT(sizes[0], 3);
    XT_CHECK_INT(sizes[1], 1);
    XT_CHECK_INT(sizes[2], 1);
    XT_CHECK_INT(sizes[3], 1);
    XT_CHECK_INT(sizes[4], 2);
    xt_instance_clear(inst);
    xt_etrami_clear(sys);
}

/* Z3 solves the golden system; its solution maps forward to an exact
 * zero-error network and back to itself. */
static void test_golden_solve_and_maps(void)
{
    xt_etrami_t sys;
    xt_etrami_solution_t sol, back;
    xt_etrami_status st;
    xt_instance_t inst;
    xt_algebraic_network_t net;
    xt_algebraic_loss_t loss;
    xt_algebraic_t zero, plus, minus;
    xt_error_t err;
    int holds = 0;

    xt_etrami_init(sys);
    xt_etrami_solution_init(sol);
    xt_etrami_solution_init(back);
    xt_instance_init(inst);
    xt_algebraic_network_init(net);
    xt_algebraic_loss_init(loss);
    xt_algebraic_init(zero);
    xt_algebraic_init(plus);
    xt_algebraic_init(minus);
    read_golden(sys);
    quadratic_root(minus, -1, 1, 1);    /* (-1 - sqrt 5) / 2 */
    quadratic_root(plus, -1, 1, 2);     /* (-1 + sqrt 5) / 2 */

    XT_CHECK_INT(xt_etrami_solve(&st, sol, sys, 30, &err), XT_OK);
    XT_CHECK_INT(st, XT_ETRAMI_SAT);
    if (st == XT_ETRAMI_SAT) {
        XT_CHECK_INT(xt_algebraic_cmp_q(&sol->value[0], zero->lo) > 0, 1);
        XT_CHECK(xt_algebraic_cmp(&sol->value[1], plus) == 0 ||
                 xt_algebraic_cmp(&sol->value[1], minus) == 0);
        XT_CHECK_INT(sol->value[1].degree, 2);
    }

    /* forward the positive root by hand: x = (1, phi - 1, phi) */
    XT_CHECK_INT(xt_etrami_solution_resize(sol, 3), XT_OK);
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    xt_algebraic_set_q(&sol->value[0], one);
    mpq_clear(one);
    xt_algebraic_set(&sol->value[1], plus);
    quadratic_root(&sol->value[2], -1, -1, 2);
    XT_CHECK_INT(xt_etrami_check(&holds, NULL, sys, sol, &err), XT_OK);
    XT_CHECK_INT(holds, 1);
    XT_CHECK_INT(xt_etrami_map(inst, sys, &err), XT_OK);
    XT_CHECK_INT(xt_etrami_forward(net, sys, sol, &err), XT_OK);
    XT_CHECK_INT(xt_etrami_network_conforms(net, inst, &err), XT_OK);
    /* x1 on u1 and j; x2 on u2, t_x2, d_x2 and as G's S weight */
    XT_CHECK_INT(xt_algebraic_network_irrational(net), 6);
    XT_CHECK_INT(xt_algebraic_network_loss(loss, net, inst, XT_LOSS_L2,
                                           zero, 0, &err), XT_OK);
    XT_CHECK_INT(loss->exact, 1);
    XT_CHECK_INT(xt_algebraic_cmp_q(loss->loss, zero->lo), 0);
    XT_CHECK_INT(xt_etrami_backward(back, sys, net, &err), XT_OK);
    for (int v = 0; v < 3 && back->n == 3; v++)
        XT_CHECK_INT(xt_algebraic_cmp(&back->value[v], &sol->value[v]), 0);

    /* a rational approximation of the solution leaves a positive loss */
    xt_algebraic_network_round(net, 40);
    XT_CHECK_INT(xt_algebraic_network_irrational(net), 0);
    XT_CHECK_INT(xt_algebraic_network_loss(loss, net, inst, XT_LOSS_L2,
                                           zero, 0, &err), XT_OK);
    XT_CHECK_INT(loss->meets_target, 0);

    xt_algebraic_clear(minus);
    xt_algebraic_clear(plus);
    xt_algebraic_clear(zero);
    xt_algebraic_loss_clear(loss);
    xt_algebraic_network_clear(net);
    xt_instance_clear(inst);
    xt_etrami_solution_clear(back);
    xt_etrami_solution_clear(sol);
    xt_etrami_clear(sys);
}

/* Z3 trains the golden instance; every weight it finds for the product
 * that carries x1 is checked through the backward map. */
static void test_golden_training(void)
{
    xt_etrami_t sys;
    xt_instance_t inst;
    xt_smt_answer_t ans;
    xt_smt_options_t opt;
    xt_etrami_solution_t back;
    xt_algebraic_t zero;
    xt_error_t err;
    int holds = 0;

    xt_etrami_init(sys);
    xt_instance_init(inst);
    xt_smt_answer_init(ans);
    xt_smt_options_init(opt);
    xt_etrami_solution_init(back);
    xt_algebraic_init(zero);
    read_golden(sys);
    XT_CHECK_INT(xt_etrami_map(inst, sys, &err), XT_OK);
    XT_CHECK_INT(xt_smt_decide(ans, inst, zero, 0, opt, 60, &err), XT_OK);
    XT_CHECK_INT(ans->status, XT_SMT_SAT);
    if (ans->status == XT_SMT_SAT) {
        XT_CHECK(xt_algebraic_network_irrational(ans->network) > 0);
        XT_CHECK_INT(xt_etrami_network_conforms(ans->network, inst, &err),
                     XT_OK);
        XT_CHECK_INT(xt_etrami_backward(back, sys, ans->network, &err),
                     XT_OK);
        XT_CHECK_INT(xt_etrami_check(&holds, NULL, sys, back, &err), XT_OK);
        XT_CHECK_INT(holds, 1);
        XT_CHECK_INT(back->n == 3 && back->value[1].degree == 2, 1);
    }
    xt_algebraic_clear(zero);
    xt_etrami_solution_clear(back);
    xt_smt_options_clear(opt);
    xt_smt_answer_clear(ans);
    xt_instance_clear(inst);
    xt_etrami_clear(sys);
}

/* x0 = 1 and x0 + x0 = x0 force x0 = 1 and x0 = 0: both sides NO. */
static void test_unsatisfiable(void)
{
    const char *text = "p etr-ami 1 2\nx0 = 1\nx0 + x0 = x0\n";
    xt_etrami_t sys;
    xt_etrami_solution_t sol;
    xt_etrami_status st;
    xt_instance_t inst;
    xt_smt_answer_t ans;
    xt_smt_options_t opt;
    xt_algebraic_t zero;
    xt_error_t err;

    xt_etrami_init(sys);
    xt_etrami_solution_init(sol);
    xt_instance_init(inst);
    xt_smt_answer_init(ans);
    xt_smt_options_init(opt);
    xt_algebraic_init(zero);
    XT_CHECK_INT(xt_etrami_parse(sys, text, strlen(text), "no", &err),
                 XT_OK);
    XT_CHECK_INT(xt_etrami_solve(&st, sol, sys, 30, &err), XT_OK);
    XT_CHECK_INT(st, XT_ETRAMI_UNSAT);
    XT_CHECK_INT(xt_etrami_map(inst, sys, &err), XT_OK);
    XT_CHECK_INT(xt_smt_decide(ans, inst, zero, 0, opt, 60, &err), XT_OK);
    XT_CHECK_INT(ans->status, XT_SMT_UNSAT);
    xt_algebraic_clear(zero);
    xt_smt_options_clear(opt);
    xt_smt_answer_clear(ans);
    xt_instance_clear(inst);
    xt_etrami_solution_clear(sol);
    xt_etrami_clear(sys);
}

/* ---------------------------------------------------------- generators */

static void test_generators(void)
{
    xt_etrami_t sys, again;
    xt_etrami_solution_t planted;
    xt_error_t err;
    long rounds = xt_test_scale(6);
    uint64_t base = xt_test_seed();

    xt_etrami_init(sys);
    xt_etrami_init(again);
    xt_etrami_solution_init(planted);
    for (long i = 0; i < rounds; i++) {
        for (int plant = 0; plant < 3; plant++) {
            uint64_t rng = base + (uint64_t)i, rng2 = rng;
            int holds = 0, failed = -1;
            XT_CHECK_INT(xt_etrami_random(sys, planted, &rng, 5, 3,
                                          (xt_etrami_plant)plant, &err),
                         XT_OK);
            XT_CHECK_INT(xt_etrami_random(again, NULL, &rng2, 5, 3,
                                          (xt_etrami_plant)plant, &err),
                         XT_OK);
            XT_CHECK_INT(again->count, sys->count);
            XT_CHECK(sys->count == again->count &&
                     !memcmp(sys->constraints, again->constraints,
                             (size_t)sys->count * sizeof *sys->constraints));
            if (plant == XT_ETRAMI_UNIFORM) {
                XT_CHECK_INT(sys->nvars, 5);
                XT_CHECK_INT(sys->count, 3);
                XT_CHECK_INT(planted->n, 0);
                continue;
            }
            XT_CHECK(sys->nvars >= 5);
            XT_CHECK_INT(planted->n, sys->nvars);
            XT_CHECK_INT(xt_etrami_check(&holds, &failed, sys, planted,
                                         &err), XT_OK);
            if (!holds)
                XT_FAIL("round %ld, plant %d: the planted solution "
                        "violates constraint %d", i, plant, failed);
            if (plant == XT_ETRAMI_PLANTED_ALGEBRAIC)
                XT_CHECK(xt_etrami_solution_irrational(planted) > 0);
            else
                XT_CHECK_INT(xt_etrami_solution_irrational(planted), 0);
        }
    }
    xt_etrami_solution_clear(planted);
    xt_etrami_clear(again);
    xt_etrami_clear(sys);
}

static int count_system(void *data, const xt_etrami_t sys)
{
    long *count = data;
    (void)sys;
    ++*count;
    return 0;
}

static void test_exhaustive_count(void)
{
    long count = 0;

    /* 1 variable: 3 constraints, 3 + 3 subsets; 2 variables: 14
     * constraints, 8 single ones using both and C(14, 2) - 6 pairs. */
    XT_CHECK_INT(xt_etrami_each(2, 2, count_system, &count), 0);
    XT_CHECK_INT(count, 99);
}

/* ------------------------------------------------------------ verifier */

static void test_verifier(void)
{
    xt_etrami_verify_options opt;
    xt_etrami_report_t rep;
    xt_etrami_t sys;
    xt_error_t err;

    xt_etrami_verify_options_init(&opt);
    opt.seed = xt_test_seed();
    opt.count = xt_test_scale(6);
    opt.max_size = 4;
    opt.variants = 1;
    xt_etrami_report_init(rep);
    XT_CHECK_INT(xt_etrami_verify(rep, &opt, &err), XT_OK);
    XT_CHECK_INT(rep->systems, opt.count);
    XT_CHECK_INT(rep->failures, 0);
    if (rep->failures)
        XT_FAIL("verifier: %s", rep->failure_message);
    XT_CHECK_INT(rep->undecided, 0);
    XT_CHECK_INT(rep->agreements, opt.count);
    XT_CHECK(rep->forward_checks >= rep->yes);
    XT_CHECK(rep->backward_checks >= rep->yes);
    xt_etrami_report_clear(rep);

    /* exhaustive over the three one-constraint systems of x0 */
    xt_etrami_report_init(rep);
    opt.exhaustive = 1;
    opt.max_size = 1;
    XT_CHECK_INT(xt_etrami_verify(rep, &opt, &err), XT_OK);
    XT_CHECK_INT(rep->systems, 3);
    XT_CHECK_INT(rep->failures, 0);
    XT_CHECK_INT(rep->agreements, 3);
    xt_etrami_report_clear(rep);

    /* a wrong planted solution must be reported, with the system */
    xt_etrami_solution_t wrong;
    xt_etrami_solution_init(wrong);
    xt_etrami_init(sys);
    xt_etrami_report_init(rep);
    read_golden(sys);
    XT_CHECK_INT(xt_etrami_solution_resize(wrong, 3), XT_OK);
    opt.exhaustive = 0;
    XT_CHECK_INT(xt_etrami_verify_system(rep, sys, wrong,
                                         XT_ETRAMI_PLANTED_RATIONAL, 7, &opt,
                                         &err), XT_OK);
    XT_CHECK(rep->failures > 0);
    XT_CHECK_INT(rep->has_failure, 1);
    XT_CHECK_INT(rep->failure_index, 7);
    XT_CHECK(strstr(rep->failure_message, "planted solution violates") !=
             NULL);
    XT_CHECK_INT(rep->agreements, 1);
    xt_etrami_report_clear(rep);
    xt_etrami_clear(sys);
    xt_etrami_solution_clear(wrong);
}

int main(void)
{
    xt_test_seed();
    test_parse_and_write();
    test_parse_errors();
    test_solution_format();
    test_golden_instance();
    test_golden_solve_and_maps();
    test_golden_training();
    test_unsatisfiable();
    test_generators();
    test_exhaustive_count();
    test_verifier();
    return xt_test_finish("test_etrami");
}
