/* Tests of the threshold-network solver.  They cover hand-derived optima
 * (XOR, a staircase for the linear output), the branching search against
 * the plain dichotomy enumeration and a brute force over small integer
 * weights on random instances, the callback API that visits every
 * solution and its vertex solutions, and the input checks. */
#include "xt_test.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* Builds an instance from integer rows "x_1 .. x_d y". */
static void make_instance(xt_instance_t inst, const long *rows, long n,
                          int d, int k, int bias)
{
    xt_error_t err;
    XT_CHECK_INT(xt_instance_resize(inst, n, d, 1, &err), XT_OK);
    for (long i = 0; i < n; i++) {
        for (int t = 0; t < d; t++)
            mpq_set_si(inst->x[i * d + t], rows[i * (d + 1) + t], 1);
        mpq_set_si(inst->y[i], rows[i * (d + 1) + d], 1);
    }
    inst->hidden = k;
    inst->activation = XT_ACT_THRESHOLD;
    inst->loss = XT_LOSS_ZERO_ONE;
    inst->output_bias = bias;
    inst->has_target = 0;
}

/* Optimal zero-one loss with the given method flags (-1 on error). */
static long optimum(const xt_instance_t inst, int naive)
{
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_THRESHOLD;
    opt.naive = naive;
    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    long value = -1;
    if (xt_solve(res, inst, &opt, &err) != XT_OK) {
        XT_FAIL("solve failed: %s", err.message);
    } else if (res->status != XT_SOLVE_OPTIMAL || !res->has_network) {
        XT_FAIL("status %s, expected optimal",
                xt_solve_status_name(res->status));
    } else {
        mpq_t check;
        mpq_init(check);
        xt_network_loss(check, NULL, res->network, inst, XT_LOSS_ZERO_ONE,
                        &err);
        XT_CHECK(mpq_equal(check, res->loss));
        XT_CHECK(res->network->activation == XT_ACT_THRESHOLD);
        value = mpz_get_si(mpq_numref(res->loss));
        mpq_clear(check);
    }
    xt_solve_result_clear(res);
    return value;
}

static void test_xor(void)
{
    static const long rows[] = {0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_instance(inst, rows, 4, 2, 1, 1);
    XT_CHECK_INT(optimum(inst, 0), 1);
    XT_CHECK_INT(optimum(inst, 1), 1);
    inst->hidden = 2;
    XT_CHECK_INT(optimum(inst, 0), 0);
    XT_CHECK_INT(optimum(inst, 1), 0);
    /* Without an output bias the output is [a.h > 0]: XOR still fits
     * with h1 = [x - y > 0] and h2 = [y - x > 0]. */
    inst->output_bias = 0;
    XT_CHECK_INT(optimum(inst, 0), 0);
    XT_CHECK_INT(optimum(inst, 1), 0);
    xt_instance_clear(inst);
}

/* Labels 0, 1, 2, 1 at x = 0, 1, 2, 3 change across all three gaps, and
 * each neuron cuts the line once, so with a linear output two neurons
 * lose one point and three fit all four (h = [x > 1/2], [x > 3/2],
 * [x > 5/2] with output h1 + h2 - h3).  One neuron also loses one point:
 * [x > 1/2] outputs 0 and 1 and only x = 2 is wrong. */
static void test_linear_output(void)
{
    static const long rows[] = {0, 0, 1, 1, 2, 2, 3, 1};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_instance(inst, rows, 4, 1, 2, 1);
    XT_CHECK_INT(optimum(inst, 0), 1);
    XT_CHECK_INT(optimum(inst, 1), 1);
    inst->hidden = 3;
    XT_CHECK_INT(optimum(inst, 0), 0);
    inst->hidden = 1;
    XT_CHECK_INT(optimum(inst, 0), 1);
    XT_CHECK_INT(optimum(inst, 1), 1);
    xt_instance_clear(inst);
}

/* Zero-one loss of the network with integer weights code-decoded from a
 * counter: every hidden weight and bias in [-2, 2], output weights in
 * [-2, 2] and output bias in {-3/2, -1/2, 1/2, 3/2}. */
static long grid_optimum(const xt_instance_t inst, int k)
{
    int d = inst->d, params = k * (d + 2) + 1;
    long best = inst->n, total = 1;
    for (int p = 0; p < params; p++)
        total *= p + 1 == params ? 4 : 5;
    xt_network_t net;
    xt_network_init(net);
    xt_network_resize(net, d, k, 1, NULL);
    net->activation = XT_ACT_THRESHOLD;
    net->threshold_output = 1;
    net->has_output_bias = 1;
    mpq_t loss;
    mpq_init(loss);
    for (long code = 0; code < total && best > 0; code++) {
        long c = code;
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++, c /= 5)
                mpq_set_si(net->w[j * d + t], c % 5 - 2, 1);
            mpq_set_si(net->b[j], c % 5 - 2, 1);
            c /= 5;
            mpq_set_si(net->a[j], c % 5 - 2, 1);
            c /= 5;
        }
        mpq_set_si(net->c[0], 2 * (c % 4) - 3, 2);
        xt_network_loss(loss, NULL, net, inst, XT_LOSS_ZERO_ONE, NULL);
        if (mpz_get_si(mpq_numref(loss)) < best)
            best = mpz_get_si(mpq_numref(loss));
    }
    mpq_clear(loss);
    xt_network_clear(net);
    return best;
}

/* Random instances in a small grid: branching and enumeration must agree,
 * and with one input and one neuron the solver may not be worse than the
 * integer-weight grid. */
static void test_random_cross_check(uint64_t *rng)
{
    long rounds = xt_test_scale(25);
    for (long r = 0; r < rounds; r++) {
        int d = 1 + (int)(xt_test_rand(rng) % 2);
        int k = 1 + (int)(xt_test_rand(rng) % 2);
        long n = 3 + (long)(xt_test_rand(rng) % 5);
        long rows[8 * 3];
        for (long i = 0; i < n; i++) {
            for (int t = 0; t < d; t++)
                rows[i * (d + 1) + t] = (long)(xt_test_rand(rng) % 4) - 1;
            rows[i * (d + 1) + d] = (long)(xt_test_rand(rng) % 2);
        }
        xt_instance_t inst;
        xt_instance_init(inst);
        make_instance(inst, rows, n, d, k, 1);
        long branch = optimum(inst, 0), plain = optimum(inst, 1);
        if (branch != plain)
            XT_FAIL("round %ld: branching gives %ld, enumeration %ld", r,
                    branch, plain);
        if (d == 1 && k == 1) {
            long grid = grid_optimum(inst, k);
            if (branch > grid)
                XT_FAIL("round %ld: solver %ld worse than grid %ld", r,
                        branch, grid);
        }
        xt_instance_clear(inst);
    }
}

typedef struct {
    const xt_instance_struct *inst;
    long visits, bad;
} visit_count;

static int count_visit(void *data, const xt_network_t net)
{
    visit_count *v = data;
    mpq_t loss;
    mpq_init(loss);
    xt_network_loss(loss, NULL, net, v->inst, XT_LOSS_ZERO_ONE, NULL);
    if (mpq_cmp(loss, v->inst->target) > 0)
        v->bad++;
    v->visits++;
    mpq_clear(loss);
    return XT_OK;
}

static long count_solutions(const xt_instance_t inst, int flags,
                            long vertex_limit, int want_status)
{
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    visit_count v = {inst, 0, 0};
    int rc = xt_solve_threshold_each(res, inst, &opt, flags, vertex_limit,
                                     count_visit, &v, &err);
    XT_CHECK_INT(rc, XT_OK);
    XT_CHECK_INT(res->status, want_status);
    XT_CHECK_INT(v.bad, 0);
    xt_solve_result_clear(res);
    return v.visits;
}

/* Two points 0 -> 0 and 1 -> 1 with one neuron: the enumeration tries
 * the 4 dichotomies of two points and the 4 functions of one bit, and
 * exactly two pairs fit: active set {1} with output h, and {0} with
 * output 1 - h.  Each has one vertex solution per polyhedron (b = -1,
 * w = 2 for the neuron), so with vertices every solution is visited
 * twice. */
static void test_each_solution(void)
{
    static const long line[] = {0, 0, 1, 1};
    static const long xor[] = {0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_instance(inst, line, 2, 1, 1, 1);
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    int every = XT_THRESHOLD_ENUMERATE | XT_THRESHOLD_ALL_FUNCTIONS;
    XT_CHECK_INT(count_solutions(inst, every, 0, XT_SOLVE_FEASIBLE), 2);
    XT_CHECK_INT(count_solutions(inst, every, 100, XT_SOLVE_FEASIBLE), 4);
    XT_CHECK_INT(count_solutions(inst, XT_THRESHOLD_ALL_FUNCTIONS, 0,
                                 XT_SOLVE_FEASIBLE), 2);
    xt_instance_clear(inst);

    xt_instance_init(inst);
    make_instance(inst, xor, 4, 2, 2, 1);
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    long branch = count_solutions(inst, XT_THRESHOLD_ALL_FUNCTIONS, 0,
                                  XT_SOLVE_FEASIBLE);
    long plain = count_solutions(inst, every, 0, XT_SOLVE_FEASIBLE);
    long vertices = count_solutions(inst, every, 1000, XT_SOLVE_FEASIBLE);
    XT_CHECK(branch >= 1);
    XT_CHECK(plain >= branch);
    XT_CHECK(vertices > plain);
    inst->hidden = 1;
    XT_CHECK_INT(count_solutions(inst, 0, 0, XT_SOLVE_INFEASIBLE), 0);
    XT_CHECK_INT(count_solutions(inst, XT_THRESHOLD_ENUMERATE, 0,
                                 XT_SOLVE_INFEASIBLE), 0);
    xt_instance_clear(inst);
}

static void expect_input_error(const xt_instance_t inst, const char *what)
{
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_THRESHOLD;
    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    if (xt_solve(res, inst, &opt, &err) != XT_ERR_INPUT)
        XT_FAIL("%s: expected an input error", what);
    xt_solve_result_clear(res);
}

static void test_rejects(void)
{
    static const long rows[] = {0, 0, 1, 1};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_instance(inst, rows, 2, 1, 1, 1);
    inst->activation = XT_ACT_RELU;
    expect_input_error(inst, "relu");
    inst->activation = XT_ACT_THRESHOLD;
    inst->loss = XT_LOSS_L2;
    expect_input_error(inst, "l2 loss");
    inst->loss = XT_LOSS_ZERO_ONE;
    inst->hidden = 5;
    expect_input_error(inst, "five neurons");
    inst->hidden = 0;
    expect_input_error(inst, "no hidden count");
    xt_instance_clear(inst);
}

/* A target below the optimum is infeasible, at the optimum feasible. */
static void test_decision(void)
{
    static const long rows[] = {0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0};
    xt_instance_t inst;
    xt_instance_init(inst);
    make_instance(inst, rows, 4, 2, 1, 1);
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    xt_error_t err;
    for (int target = 0; target <= 1; target++) {
        inst->has_target = 1;
        mpq_set_ui(inst->target, (unsigned)target, 1);
        xt_solve_result_t res;
        xt_solve_result_init(res);
        XT_CHECK_INT(xt_solve(res, inst, &opt, &err), XT_OK);
        XT_CHECK_INT(res->status, target ? XT_SOLVE_FEASIBLE
                                         : XT_SOLVE_INFEASIBLE);
        XT_CHECK_STR(res->method_name, "threshold");
        xt_solve_result_clear(res);
    }
    xt_instance_clear(inst);
}

int main(void)
{
    uint64_t rng = xt_test_seed();
    test_xor();
    test_linear_output();
    test_decision();
    test_each_solution();
    test_rejects();
    test_random_cross_check(&rng);
    return xt_test_finish("test_threshold");
}
