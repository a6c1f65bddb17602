/* Tests of the convex search (solvers/convex): hand-derived answers,
 * planted teachers that must be found exactly, agreement with the
 * enumeration solver on perturbed instances, agreement between the LP
 * forms and search options, and the depth bound k(d+1) (+1 with an
 * output bias). */
#include "xt_test.h"
#include "test_convex_planted.h"
#include "../../solvers/convex/convex_internal.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* Sets up a 1-D instance from integer pairs (x, y). */
static void make_1d(xt_instance_t inst, const long (*xy)[2], long n, int k,
                    int bias)
{
    xt_instance_resize(inst, n, 1, 1, NULL);
    for (long i = 0; i < n; i++) {
        mpq_set_si(inst->x[i], xy[i][0], 1);
        mpq_set_si(inst->y[i], xy[i][1], 1);
    }
    inst->hidden = k;
    inst->activation = XT_ACT_RELU;
    inst->loss = XT_LOSS_L1;
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    inst->output_bias = bias;
    inst->convex = 1;
}

/* Checks a YES answer independently: output weights 1, exact fit, and
 * the depth bound. */
static void check_fit(const xt_solve_result_t res, const xt_instance_t inst,
                      const char *what)
{
    if (res->status != XT_SOLVE_FEASIBLE || !res->has_network) {
        XT_FAIL("%s: expected a fitting network, status %s", what,
                xt_solve_status_name(res->status));
        return;
    }
    xt_error_t err;
    xt_error_clear(&err);
    XT_CHECK_INT(xt_network_conforms(res->network, inst, &err), XT_OK);
    for (int j = 0; j < res->network->k; j++)
        XT_CHECK(mpq_cmp_ui(res->network->a[j], 1, 1) == 0);
    mpq_t loss;
    mpq_init(loss);
    mpq_t *r = xt_rat_array_new((size_t)(inst->n ? inst->n : 1));
    XT_CHECK_INT(xt_network_loss(loss, r, res->network, inst, XT_LOSS_LINF,
                                 &err), XT_OK);
    if (mpq_sgn(loss))
        XT_FAIL("%s: the network misses a label", what);
    xt_rat_array_free(r, (size_t)(inst->n ? inst->n : 1));
    mpq_clear(loss);
}

static int depth_bound(const xt_instance_t inst)
{
    return inst->hidden * (inst->d + 1) + (inst->output_bias ? 1 : 0);
}

static int solve_with(xt_solve_result_t res, const xt_instance_t inst,
                      const xt_convex_options *copt)
{
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_CONVEX;
    xt_error_t err;
    xt_error_clear(&err);
    int rc = copt ? xt_convex_solve(res, inst, &opt, copt, &err)
                  : xt_solve(res, inst, &opt, &err);
    if (rc != XT_OK)
        XT_FAIL("convex solve failed: %s", err.message);
    if (res->depth > depth_bound(inst))
        XT_FAIL("depth %d exceeds k(d+1) = %d", res->depth,
                depth_bound(inst));
    return rc;
}

/* x = 0, 1, 2 with labels 1, 0, 1: the V = relu(1 - x) + relu(x - 1).
 * One neuron is monotone along the line, so k = 1 cannot fit it. */
static void test_v_shape(void)
{
    static const long v[3][2] = {{0, 1}, {1, 0}, {2, 1}};
    xt_instance_t inst;
    xt_instance_init(inst);
    for (int k = 1; k <= 3; k++) {
        make_1d(inst, v, 3, k, 0);
        xt_solve_result_t res;
        xt_solve_result_init(res);
        solve_with(res, inst, NULL);
        if (k == 1)
            XT_CHECK_INT(res->status, XT_SOLVE_INFEASIBLE);
        else
            check_fit(res, inst, "V shape");
        XT_CHECK_STR(res->method_name, "convex");
        xt_solve_result_clear(res);
    }
    xt_instance_clear(inst);
}

/* A label below 0 is out of reach without an output bias (one node, no
 * LP) and within reach with one (c = -1, both neurons off). */
static void test_negative_label(void)
{
    static const long p[2][2] = {{0, -1}, {3, -1}};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_1d(inst, p, 2, 2, 0);
    xt_solve_result_t res;
    xt_solve_result_init(res);
    solve_with(res, inst, NULL);
    XT_CHECK_INT(res->status, XT_SOLVE_INFEASIBLE);
    XT_CHECK_INT(res->nodes, 1);
    XT_CHECK_INT(res->subproblems, 0);
    xt_solve_result_clear(res);

    make_1d(inst, p, 2, 2, 1);
    xt_solve_result_init(res);
    solve_with(res, inst, NULL);
    check_fit(res, inst, "negative labels with bias");
    XT_CHECK(res->network->has_output_bias);
    xt_solve_result_clear(res);
    xt_instance_clear(inst);
}

/* Labels all 0: theta = 0 fits at the root (every point is tight). */
static void test_zero_labels(void)
{
    static const long p[4][2] = {{0, 0}, {1, 0}, {5, 0}, {-2, 0}};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_1d(inst, p, 4, 2, 0);
    xt_solve_result_t res;
    xt_solve_result_init(res);
    solve_with(res, inst, NULL);
    check_fit(res, inst, "zero labels");
    XT_CHECK_INT(res->nodes, 1);
    XT_CHECK_INT(res->depth, 0);
    xt_solve_result_clear(res);
    xt_instance_clear(inst);
}

/* Two equal inputs with different labels: no function fits. */
static void test_repeated_point(void)
{
    static const long p[3][2] = {{1, 2}, {1, 3}, {0, 0}};
    xt_instance_t inst;
    xt_instance_init(inst);
    for (int bias = 0; bias <= 1; bias++) {
        make_1d(inst, p, 3, 2, bias);
        xt_solve_result_t res;
        xt_solve_result_init(res);
        solve_with(res, inst, NULL);
        XT_CHECK_INT(res->status, XT_SOLVE_INFEASIBLE);
        xt_solve_result_clear(res);
    }
    xt_instance_clear(inst);
}

/* Instances outside the convex exact-fit problem are rejected. */
static void test_rejects_input(void)
{
    static const long p[2][2] = {{0, 1}, {1, 2}};
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_CONVEX;
    xt_error_t err;
    for (int which = 0; which < 4; which++) {
        make_1d(inst, p, 2, 1, 0);
        if (which == 0)
            inst->convex = 0;
        else if (which == 1)
            inst->has_target = 0;
        else if (which == 2)
            mpq_set_ui(inst->target, 1, 2);
        else
            inst->hidden = 0;
        xt_solve_result_t res;
        xt_solve_result_init(res);
        xt_error_clear(&err);
        XT_CHECK_INT(xt_solve(res, inst, &opt, &err), XT_ERR_INPUT);
        XT_CHECK(err.message[0] != '\0');
        xt_solve_result_clear(res);
    }
    xt_instance_clear(inst);
}

/* Planted teachers in d = 1, 2, 3 with k up to 4: always YES, with an
 * exact fit, with and without an output bias. */
static void test_planted(uint64_t *state)
{
    static const struct { int d, k; long n; } cases[] = {
        {1, 1, 20}, {1, 2, 200}, {1, 3, 500}, {1, 4, 2000},
        {2, 1, 50}, {2, 2, 500}, {2, 3, 2000}, {2, 4, 300},
        {3, 1, 50}, {3, 2, 300}, {3, 3, 1000}, {3, 4, 200},
    };
    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    long reps = xt_test_scale(1);
    for (long r = 0; r < reps; r++)
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
            for (int bias = 0; bias <= 1; bias++) {
                convex_planted(inst, teacher, state, cases[c].n, cases[c].d,
                               cases[c].k, bias);
                xt_solve_result_t res;
                xt_solve_result_init(res);
                solve_with(res, inst, NULL);
                char what[64];
                snprintf(what, sizeof what, "planted d=%d k=%d n=%ld%s",
                         cases[c].d, cases[c].k, cases[c].n,
                         bias ? " bias" : "");
                check_fit(res, inst, what);
                xt_solve_result_clear(res);
            }
    xt_network_clear(teacher);
    xt_instance_clear(inst);
}

/* Perturbed planted instances with small n: the convex search and the
 * enumeration with all signs +1 must agree on YES and NO. */
static void test_against_enum(uint64_t *state)
{
    static const struct { int d, k; long n; } cases[] = {
        {1, 1, 5}, {1, 2, 6}, {1, 3, 5}, {2, 1, 6}, {2, 2, 5}, {2, 2, 6},
    };
    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    long rounds = xt_test_scale(20), yes = 0, no = 0;
    for (long r = 0; r < rounds; r++)
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
            int bias = (int)(xt_test_rand(state) & 1);
            convex_planted(inst, teacher, state, cases[c].n, cases[c].d,
                           cases[c].k, bias);
            if (xt_test_rand(state) % 4)
                convex_planted_perturb(inst, state);
            xt_solve_options opt;
            xt_solve_options_init(&opt);
            xt_error_t err;
            xt_error_clear(&err);
            xt_solve_result_t a, b;
            xt_solve_result_init(a);
            xt_solve_result_init(b);
            int rc = xt_solve_enum(a, inst, &opt, &err);
            if (rc != XT_OK)
                XT_FAIL("enum failed: %s", err.message);
            solve_with(b, inst, NULL);
            int fa = a->status == XT_SOLVE_FEASIBLE;
            int fb = b->status == XT_SOLVE_FEASIBLE;
            if (fa != fb)
                XT_FAIL("round %ld case %zu (d=%d k=%d n=%ld bias %d): enum "
                        "says %s, convex says %s", r, c, cases[c].d,
                        cases[c].k, cases[c].n, bias,
                        xt_solve_status_name(a->status),
                        xt_solve_status_name(b->status));
            if (fb)
                check_fit(b, inst, "cross-check");
            else
                XT_CHECK_INT(b->status, XT_SOLVE_INFEASIBLE);
            yes += fb;
            no += !fb;
            xt_solve_result_clear(a);
            xt_solve_result_clear(b);
        }
    /* Both answers must occur, or the cross-check proves little. */
    XT_CHECK(yes > rounds);
    XT_CHECK(no > rounds);
    xt_network_clear(teacher);
    xt_instance_clear(inst);
}

/* Every LP form, branch rule, symmetry setting and number of
 * linearization rounds decides the same way. */
static void test_options_agree(uint64_t *state)
{
    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    long rounds = xt_test_scale(12);
    for (long r = 0; r < rounds; r++) {
        int d = 1 + (int)(r % 2), k = 1 + (int)(r % 3);
        int bias = (int)((r / 3) % 2);
        convex_planted(inst, teacher, state, 8 + r % 5, d, k, bias);
        if (r % 4)
            convex_planted_perturb(inst, state);
        int first = -1;
        for (int v = 0; v < 24; v++) {
            xt_convex_options copt;
            xt_convex_options_default(&copt);
            copt.form = (xt_convex_form)(v % 3);
            copt.branch = (xt_convex_branch)((v / 3) % 3);
            copt.symmetry = (v / 9) % 2;
            copt.rounds = v >= 18 ? 0 : 1 + v % 4;
            xt_solve_result_t res;
            xt_solve_result_init(res);
            solve_with(res, inst, &copt);
            int feasible = res->status == XT_SOLVE_FEASIBLE;
            if (feasible)
                check_fit(res, inst, "options");
            if (first < 0)
                first = feasible;
            else if (first != feasible)
                XT_FAIL("round %ld: option set %d decides %d, the first "
                        "decides %d", r, v, feasible, first);
            xt_solve_result_clear(res);
        }
    }
    xt_network_clear(teacher);
    xt_instance_clear(inst);
}

/* --method auto picks the convex search for a large convex instance and
 * the enumeration for a small one. */
static void test_auto(uint64_t *state)
{
    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    xt_error_t err;
    xt_error_clear(&err);
    for (int large = 0; large <= 1; large++) {
        convex_planted(inst, teacher, state, large ? 400 : 4, 2, 2, 0);
        xt_solve_result_t res;
        xt_solve_result_init(res);
        XT_CHECK_INT(xt_solve(res, inst, &opt, &err), XT_OK);
        XT_CHECK_STR(res->method_name, large ? "convex" : "enum");
        check_fit(res, inst, "auto");
        xt_solve_result_clear(res);
    }
    xt_network_clear(teacher);
    xt_instance_clear(inst);
}

int main(void)
{
    uint64_t state = xt_test_seed();
    test_v_shape();
    test_negative_label();
    test_zero_labels();
    test_repeated_point();
    test_rejects_input();
    test_planted(&state);
    test_against_enum(&state);
    test_options_agree(&state);
    test_auto(&state);
    return xt_test_finish("test_convex");
}
