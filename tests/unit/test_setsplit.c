/* Tests of Set Splitting and of the Blum-Rivest reduction: the worked
 * example (elements 1..3, subsets {1,2}, {2,3}, split {2} | {1,3}) mapped
 * and checked by hand, the triangle as a NO instance, the verifier on
 * every set system with at most 4 elements and 4 subsets of size >= 2
 * and on 200 seeded random larger ones, and the deliberately broken
 * variant without the gadget, which the verifier must reject with the
 * smallest counterexample.  XTRAIN_TEST_SCALE > 1 runs more and larger
 * random instances and more vertex solutions.  AddressSanitizer builds
 * run the exhaustive check up to 3 elements and 40 random instances. */
#include "xt_test.h"
#include "xtrain/network.h"
#include "xtrain/reduction.h"

/* Sanitizer builds run several times slower, so they check memory on a
 * smaller run: all instances up to 3 elements and 40 random ones. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static const char worked[] = "c worked example\np set 3 2\n1 2 0\n2 3 0\n";
static const char triangle[] = "p set 3 3\n1 2 0\n2 3 0\n1 3 0\n";

static const xt_source_problem *split(void)
{
    return xt_source_find("set-splitting");
}

static void parse(xt_clauses_t src, const char *text)
{
    xt_error_t err;
    if (xt_source_parse(src, split(), text, strlen(text), "test", &err) !=
        XT_OK)
        XT_FAIL("parse failed: %s", err.message);
}

/* The worked example has exactly the splits {2} | {1,3} and its mirror
 * image; the triangle has none. */
static void test_brute_force(void)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    xt_certificate_list list;
    xt_certificate_list_init(&list, 0);
    xt_error_t err;
    parse(src, worked);
    XT_CHECK_INT(xt_source_solve(&list, split(), src, &err), XT_OK);
    XT_CHECK_INT(list.count, 2);
    int found_first = 0, found_mirror = 0;
    for (long i = 0; i < list.count; i++) {
        const unsigned char *v = list.values + 3 * i;
        found_first |= !v[0] && v[1] && !v[2];
        found_mirror |= v[0] && !v[1] && v[2];
    }
    XT_CHECK(found_first);
    XT_CHECK(found_mirror);
    parse(src, triangle);
    XT_CHECK_INT(xt_source_solve(&list, split(), src, &err), XT_OK);
    XT_CHECK_INT(list.count, 0);
    xt_certificate_list_clear(&list);
    xt_clauses_clear(src);
}

/* The worked example maps to 12 points in {0,1}^6: the origin, e1..e3,
 * the two subsets and the gadget.  The forward network of the split
 * S1 = {2} has planes (n, -1, n | 1, 1, -1) and (-1, n, -1 | -1, -1, 1)
 * with bias 1/2, and classifies all 12 points. */
static void test_worked_example(void)
{
    const xt_reduction *red = xt_reduction_find("blum-rivest");
    XT_CHECK(red != NULL);
    if (!red)
        return;
    xt_clauses_t src;
    xt_clauses_init(src);
    parse(src, worked);
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_error_t err;
    XT_CHECK_INT(red->map(red, inst, src, &err), XT_OK);
    XT_CHECK_INT(inst->n, 12);
    XT_CHECK_INT(inst->d, 6);
    XT_CHECK_INT(inst->hidden, 2);
    XT_CHECK(inst->has_target && mpq_sgn(inst->target) == 0);
    static const int rows[12][7] = {
        {0, 0, 0, 0, 0, 0, 1}, {1, 0, 0, 0, 0, 0, 0},
        {0, 1, 0, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0, 0},
        {1, 1, 0, 0, 0, 0, 1}, {0, 1, 1, 0, 0, 0, 1},
        {0, 0, 0, 1, 0, 1, 1}, {0, 0, 0, 0, 1, 1, 1},
        {0, 0, 0, 1, 0, 0, 0}, {0, 0, 0, 0, 1, 0, 0},
        {0, 0, 0, 0, 0, 1, 0}, {0, 0, 0, 1, 1, 1, 0}};
    for (int i = 0; i < 12 && inst->n == 12; i++) {
        for (int t = 0; t < 6; t++)
            if (mpq_cmp_si(inst->x[i * 6 + t], rows[i][t], 1) != 0)
                XT_FAIL("point %d coordinate %d differs", i, t);
        if (mpq_cmp_si(inst->y[i], rows[i][6], 1) != 0)
            XT_FAIL("point %d label differs", i);
    }

    xt_assignment_t a;
    xt_assignment_init(a);
    xt_assignment_resize(a, 3);
    a->value[1] = 1;
    xt_network_t net;
    xt_network_init(net);
    XT_CHECK_INT(red->forward(red, net, src, inst, a, &err), XT_OK);
    XT_CHECK_RAT(net->w[0], "3");
    XT_CHECK_RAT(net->w[1], "-1");
    XT_CHECK_RAT(net->w[5], "-1");
    XT_CHECK_RAT(net->w[6], "-1");
    XT_CHECK_RAT(net->w[7], "3");
    XT_CHECK_RAT(net->b[0], "1/2");
    mpq_t loss;
    mpq_init(loss);
    XT_CHECK_INT(xt_network_loss(loss, NULL, net, inst, XT_LOSS_ZERO_ONE,
                                 &err), XT_OK);
    XT_CHECK_RAT(loss, "0");

    xt_assignment_t back;
    xt_assignment_init(back);
    XT_CHECK_INT(red->backward(red, back, src, inst, net, &err), XT_OK);
    XT_CHECK_INT(back->n, 3);
    if (back->n == 3) {
        XT_CHECK_INT(back->value[0], 0);
        XT_CHECK_INT(back->value[1], 1);
        XT_CHECK_INT(back->value[2], 0);
    }
    mpq_clear(loss);
    xt_assignment_clear(back);
    xt_assignment_clear(a);
    xt_network_clear(net);
    xt_instance_clear(inst);
    xt_clauses_clear(src);
}

static void check_report(const char *what, const xt_verify_report_t rep,
                         int rc, const char *message)
{
    if (rc != XT_OK)
        XT_FAIL("%s: verifier error: %s", what, message);
    if (rep->failures)
        XT_FAIL("%s: %ld failed checks: %s", what, rep->failures,
                rep->failure_message);
    XT_CHECK_INT(rep->undecided, 0);
    printf("%s: %ld instances (YES %ld, NO %ld), %ld forward and %ld "
           "backward checks, %.1f s\n", what, rep->instances, rep->yes,
           rep->no, rep->forward_checks, rep->backward_checks,
           rep->seconds);
}

/* Every set system with at most 4 elements and at most 4 distinct
 * subsets of size >= 2: 1 + 2 + 16 + 562 = 581 instances (with at most 3
 * elements and 3 subsets: 1 + 2 + 15 = 18). */
static void test_exhaustive(void)
{
    const xt_reduction *red = xt_reduction_find("blum-rivest");
    xt_verify_options opt;
    xt_verify_options_init(&opt);
    opt.exhaustive = 1;
    opt.max_size = SANITIZED ? 3 : 4;
    opt.vertex_limit = 500;
    if (xt_test_scale(1) > 1)
        opt.vertex_limit = 3000;

    xt_verify_report_t rep;
    xt_verify_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_verify(rep, red, &opt, &err);
    check_report("exhaustive", rep, rc, err.message);
    XT_CHECK_INT(rep->instances, SANITIZED ? 18 : 581);
    XT_CHECK(rep->no > 0);
    XT_CHECK(rep->backward_checks > rep->forward_checks);
    xt_verify_report_clear(rep);
}

/* 200 random instances with 5 to 7 elements (half with a planted
 * split), from the test seed. */
static void test_random(uint64_t seed)
{
    const xt_reduction *red = xt_reduction_find("blum-rivest");
    xt_verify_options opt;
    xt_verify_options_init(&opt);
    opt.seed = seed;
    opt.count = xt_test_scale(SANITIZED ? 40 : 200);
    opt.min_size = 5;
    opt.max_size = xt_test_scale(1) > 1 ? 8 : 7;
    opt.vertex_limit = 0;
    xt_verify_report_t rep;
    xt_verify_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_verify(rep, red, &opt, &err);
    check_report("random", rep, rc, err.message);
    XT_CHECK_INT(rep->instances, opt.count);
    XT_CHECK(rep->yes > 0);
    XT_CHECK(rep->no > 0);
    xt_verify_report_clear(rep);
}

/* Without the gadget, two elements and the subset {1,2} already fail: the
 * points are the origin (+), e1, e2 (-) and (1,1) (+), which the network
 * "x1 + x2 > 3/2 or x1 + x2 < 1/2" fits, but its first plane separates
 * neither e1 nor e2 from the origin, so the backward map puts both in
 * S2.  The triangle also fails: it is NO, but the band
 * 1/2 < x1 + x2 + x3 < 3/2 contains exactly the negative points. */
static void test_broken_caught(void)
{
    const xt_reduction *red = xt_reduction_find("blum-rivest-broken");
    XT_CHECK(red != NULL);
    if (!red)
        return;
    xt_verify_options opt;
    xt_verify_options_init(&opt);
    opt.exhaustive = 1;
    opt.max_size = 3;
    xt_verify_report_t rep;
    xt_verify_report_init(rep);
    xt_error_t err;
    XT_CHECK_INT(xt_verify(rep, red, &opt, &err), XT_OK);
    XT_CHECK(rep->failures > 0);
    XT_CHECK(rep->has_failure);
    XT_CHECK_INT(rep->failure->nvars, 2);
    XT_CHECK_INT(rep->failure->nclauses, 1);
    xt_verify_report_clear(rep);

    xt_clauses_t src;
    xt_clauses_init(src);
    parse(src, triangle);
    xt_verify_report_init(rep);
    XT_CHECK_INT(xt_verify_instance(rep, red, src, &opt, &err), XT_OK);
    XT_CHECK_INT(rep->no, 1);
    XT_CHECK(rep->failures > 0);
    XT_CHECK(strstr(rep->failure_message, "NO") != NULL ||
             strstr(rep->failure_message, "backward") != NULL);
    xt_verify_report_clear(rep);

    /* The real reduction passes on the same triangle. */
    xt_verify_report_init(rep);
    XT_CHECK_INT(xt_verify_instance(rep, xt_reduction_find("blum-rivest"),
                                    src, &opt, &err), XT_OK);
    XT_CHECK_INT(rep->failures, 0);
    xt_verify_report_clear(rep);
    xt_clauses_clear(src);
}

static void test_parse_errors(void)
{
    static const char *const bad[] = {
        "p set 3 1\n1 0\n2 0\n",        /* more clauses than declared */
        "p set 3 2\n1 2 0\n",           /* fewer */
        "p set 3 1\n1 4 0\n",           /* element out of range */
        "p set 3 1\n1 -2 0\n",          /* negative element */
        "p set 3 1\n1 1 0\n",           /* repeated element */
        "p set 3 1\n0\n",               /* empty subset */
        "p cnf 3 1\n1 2 0\n",           /* wrong header */
        "1 2 0\n",                      /* no header */
        "p set 3 1\n1 2\n",             /* missing 0 */
        "p set 3 1\n1 x 0\n",           /* not a number */
    };
    xt_clauses_t src;
    xt_clauses_init(src);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        xt_error_t err;
        if (xt_source_parse(src, split(), bad[i], strlen(bad[i]), "bad",
                            &err) == XT_OK)
            XT_FAIL("bad input %zu was accepted", i);
        else if (strncmp(err.message, "bad", 3) != 0)
            XT_FAIL("bad input %zu: message without file name: %s", i,
                    err.message);
    }
    xt_clauses_clear(src);
}

int main(void)
{
    uint64_t seed = xt_test_seed();
    test_brute_force();
    test_worked_example();
    test_parse_errors();
    test_broken_caught();
    test_exhaustive();
    test_random(seed);
    return xt_test_finish("test_setsplit");
}
