/* Tests of the enumeration solver: hand-derived optima, planted teachers,
 * a brute force over all subsets as the slow reference, the naive variant,
 * and every certificate verified by the independent checker. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/check.h"
#include "xtrain/instance.h"
#include "xtrain/lp.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

static void read_instance(xt_instance_t inst, const char *text)
{
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_instance_read_string(inst, text, "test", &err) != XT_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit(2);
    }
}

/* Solves, re-checks the network and the certificate, and returns the
 * status; loss receives the optimum. */
static xt_solve_status solve_checked(mpq_t loss, const xt_instance_t inst,
                                     int naive)
{
    char path[] = "/tmp/xtrain-test-enum-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_ENUM;
    opt.certificate_path = path;
    opt.naive = naive;
    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_solve(res, inst, &opt, &err);
    XT_CHECK_INT(rc, XT_OK);
    if (rc != XT_OK)
        fprintf(stderr, "solve: %s\n", err.message);
    xt_solve_status status = res->status;
    mpq_set(loss, res->loss);

    /* The network's exact loss is the reported loss. */
    mpq_t check;
    mpq_init(check);
    XT_CHECK(res->has_network);
    XT_CHECK_INT(xt_network_loss(check, NULL, res->network, inst,
                                 inst->loss, &err), XT_OK);
    XT_CHECK(mpq_equal(check, res->loss));
    if (!mpq_equal(check, res->loss)) {
        fprintf(stderr, "network loss %s, reported %s, instance:\n",
                mpq_get_str(NULL, 10, check), mpq_get_str(NULL, 10,
                                                          res->loss));
        xt_instance_write(stderr, inst);
        xt_network_write(stderr, res->network);
    }
    mpq_clear(check);

    /* The certificate verifies and proves the same value. */
    xt_check_report_t rep;
    xt_check_report_init(rep);
    XT_CHECK_INT(xt_check_certificate_file(rep, inst, path, &err), XT_OK);
    XT_CHECK(rep->verified);
    if (!rep->verified)
        fprintf(stderr, "certificate: %s\n", err.message);
    if (status == XT_SOLVE_OPTIMAL)
        XT_CHECK(rep->has_lower && mpq_equal(rep->lower, res->loss));
    xt_check_report_clear(rep);
    xt_solve_result_clear(res);
    remove(path);
    return status;
}

static void expect_optimum(const char *text, int k, const char *want)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    read_instance(inst, text);
    inst->hidden = k;
    mpq_t loss;
    mpq_init(loss);
    XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_OPTIMAL);
    XT_CHECK_RAT(loss, want);
    mpq_clear(loss);
    xt_instance_clear(inst);
}

static const char xor_text[] =
    "xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n1 0 1\n0 1 1\n1 1 0\n";
static const char hat_text[] =
    "xtrain-instance 1\ninputs 1\ndata 5\n-2 0\n-1 0\n0 1\n1 0\n2 0\n";

/* XOR: k = 2 fits exactly (relu(x1 - x2) + relu(x2 - x1)).  k = 1: for an
 * affine l, l(1,0) + l(0,1) = l(0,0) + l(1,1), and with u + v <= a + b
 * for the ReLU values the loss is at least S^2/2 + (S-2)^2/2 >= 1, which
 * t = 1/2 on all four points reaches. */
static void test_xor(void)
{
    expect_optimum(xor_text, 2, "0");
    expect_optimum(xor_text, 1, "1");
}

/* The hat: three ReLUs fit it, two do not (the value is checked against
 * the brute force below, and is positive). */
static void test_hat(void)
{
    expect_optimum(hat_text, 3, "0");
    xt_instance_t inst;
    xt_instance_init(inst);
    read_instance(inst, hat_text);
    inst->hidden = 2;
    mpq_t loss;
    mpq_init(loss);
    XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_OPTIMAL);
    XT_CHECK(mpq_sgn(loss) > 0);
    mpq_clear(loss);
    xt_instance_clear(inst);
}

/* Labels 1, 1, 2 at -1, 0, 1: c + relu(x) fits with an output bias.
 * Without one, a single ReLU cannot: if -1 and 0 are both active the
 * slope is 0 and f(1) = 1; otherwise f(-1) = 0. */
static void test_output_bias(void)
{
    const char *text = "xtrain-instance 1\ninputs 1\ndata 3\n"
                       "-1 1\n0 1\n1 2\n";
    const char *with = "xtrain-instance 1\ninputs 1\noutput-bias yes\n"
                       "data 3\n-1 1\n0 1\n1 2\n";
    expect_optimum(with, 1, "0");
    xt_instance_t inst;
    xt_instance_init(inst);
    read_instance(inst, text);
    inst->hidden = 1;
    mpq_t loss;
    mpq_init(loss);
    XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_OPTIMAL);
    XT_CHECK(mpq_sgn(loss) > 0);
    mpq_clear(loss);
    xt_instance_clear(inst);
}

/* One input twice with labels 0 and 1: the best value there is 1/2, so
 * l2 = 1/4 + 1/4, l1 = 1 (any value in [0, 1]), linf = 1/2. */
static void test_conflicting_duplicates(void)
{
    const char *base = "xtrain-instance 1\ninputs 1\nloss %s\ndata 3\n"
                       "0 0\n0 1\n5 7\n";
    const char *losses[3] = {"l2", "l1", "linf"};
    const char *want[3] = {"1/2", "1", "1/2"};
    for (int t = 0; t < 3; t++) {
        char text[256];
        snprintf(text, sizeof text, base, losses[t]);
        expect_optimum(text, 2, want[t]);
    }
}

/* The hat laid along a line in the plane has the optimum of the 1-D hat:
 * restricted to the line a network is a 1-D network with the same k. */
static void test_collinear(void)
{
    const char *line = "xtrain-instance 1\ninputs 2\ndata 5\n"
                       "-2 -4 0\n-1 -2 0\n0 0 1\n1 2 0\n2 4 0\n";
    for (int k = 1; k <= 3; k++) {
        xt_instance_t a, b;
        xt_instance_init(a);
        xt_instance_init(b);
        read_instance(a, hat_text);
        read_instance(b, line);
        a->hidden = b->hidden = k;
        mpq_t la, lb;
        mpq_inits(la, lb, NULL);
        solve_checked(la, a, 0);
        solve_checked(lb, b, 0);
        XT_CHECK(mpq_equal(la, lb));
        mpq_clears(la, lb, NULL);
        xt_instance_clear(a);
        xt_instance_clear(b);
    }
}

/* Brute force, the slow reference: every sign vector and every subset
 * (not only affine dichotomies) per neuron.  Any point of a subset's
 * closed cell is a real network with the same loss (relu(t) = t where
 * t >= 0 is required and 0 where t <= 0 is), and every network lies in
 * the cell of its own active sets, so the minimum is the optimum. */
static void brute_force(mpq_t best, const xt_instance_t inst, int k)
{
    int d = inst->d, n = (int)inst->n, bias = inst->output_bias;
    int nw = k * (d + 1) + bias;
    int aux = inst->loss == XT_LOSS_L1 ? n : inst->loss == XT_LOSS_LINF;
    int ncols = nw + aux, have = 0;
    mpq_t *row = xt_rat_array_new((size_t)ncols);
    mpq_t zero, rhs;
    mpq_inits(zero, rhs, NULL);
    long subsets = 1L << n, tuples = 1;
    for (int j = 0; j < k; j++)
        tuples *= subsets;
    for (int signs = 0; signs < (1 << k); signs++)
        for (long tuple = 0; tuple < tuples; tuple++) {
            xt_lp_t lp;
            xt_lp_init(lp, ncols);
            long code = tuple;
            long set[8];
            for (int j = 0; j < k; j++) {
                set[j] = code % subsets;
                code /= subsets;
            }
            for (int j = 0; j < k; j++)
                for (int i = 0; i < n; i++) {
                    int s = (set[j] >> i) & 1 ? 1 : -1;
                    for (int c = 0; c < ncols; c++)
                        mpq_set_ui(row[c], 0, 1);
                    for (int t = 0; t < d; t++) {
                        mpq_set(row[j * (d + 1) + t], inst->x[i * d + t]);
                        if (s < 0)
                            mpq_neg(row[j * (d + 1) + t],
                                    row[j * (d + 1) + t]);
                    }
                    mpq_set_si(row[j * (d + 1) + d], s, 1);
                    xt_lp_add_row(lp, row, XT_ROW_GE, zero);
                }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < ncols; c++)
                    mpq_set_ui(row[c], 0, 1);
                for (int j = 0; j < k; j++) {
                    if (!((set[j] >> i) & 1))
                        continue;
                    int a = (signs >> j) & 1 ? -1 : 1;
                    for (int t = 0; t <= d; t++) {
                        if (t < d)
                            mpq_set(row[j * (d + 1) + t], inst->x[i * d + t]);
                        else
                            mpq_set_ui(row[j * (d + 1) + t], 1, 1);
                        if (a < 0)
                            mpq_neg(row[j * (d + 1) + t],
                                    row[j * (d + 1) + t]);
                    }
                }
                if (bias)
                    mpq_set_ui(row[nw - 1], 1, 1);
                if (inst->loss == XT_LOSS_L2) {
                    xt_lp_add_square(lp, row, inst->y[i]);
                    continue;
                }
                /* e >= r and e >= -r with r = row . v - y. */
                int e = nw + (inst->loss == XT_LOSS_L1 ? i : 0);
                mpq_set_si(row[e], 1, 1);
                for (int c = 0; c < nw; c++)
                    mpq_neg(row[c], row[c]);
                mpq_neg(rhs, inst->y[i]);
                xt_lp_add_row(lp, row, XT_ROW_GE, rhs);
                for (int c = 0; c < nw; c++)
                    mpq_neg(row[c], row[c]);
                xt_lp_add_row(lp, row, XT_ROW_GE, inst->y[i]);
            }
            for (int c = nw; c < ncols; c++)
                mpq_set_ui(lp->c[c], 1, 1);
            xt_lp_result_t res;
            xt_lp_result_init(res);
            xt_error_t err;
            XT_CHECK_INT(xt_lp_solve(res, lp, &err), XT_OK);
            if (res->status == XT_LP_OPTIMAL &&
                (!have || mpq_cmp(res->value, best) < 0)) {
                mpq_set(best, res->value);
                have = 1;
            }
            xt_lp_result_clear(res);
            xt_lp_clear(lp);
        }
    mpq_clears(zero, rhs, NULL);
    xt_rat_array_free(row, (size_t)ncols);
}

static void random_instance(xt_instance_t inst, uint64_t *state)
{
    int d = 1 + (int)(xt_test_rand(state) % 2);
    long n = 2 + (long)(xt_test_rand(state) % 3);
    xt_error_t err;
    xt_instance_resize(inst, n, d, 1, &err);
    for (long i = 0; i < n * d; i++)
        mpq_set_si(inst->x[i], (long)(xt_test_rand(state) % 5) - 2, 1);
    for (long i = 0; i < n; i++) {
        mpq_set_si(inst->y[i], (long)(xt_test_rand(state) % 7) - 3,
                   1 + (unsigned long)(xt_test_rand(state) % 2));
        mpq_canonicalize(inst->y[i]);
    }
    inst->loss = (xt_loss)(xt_test_rand(state) % 3);
    inst->output_bias = (int)(xt_test_rand(state) % 2);
    inst->hidden = 1 + (int)(xt_test_rand(state) % 2);
}

static void test_brute_force(void)
{
    uint64_t state = xt_test_seed();
    long rounds = xt_test_scale(12);
    for (long r = 0; r < rounds; r++) {
        xt_instance_t inst;
        xt_instance_init(inst);
        random_instance(inst, &state);
        mpq_t fast, naive, slow;
        mpq_inits(fast, naive, slow, NULL);
        solve_checked(fast, inst, 0);
        solve_checked(naive, inst, 1);
        brute_force(slow, inst, inst->hidden);
        XT_CHECK(mpq_equal(fast, slow));
        XT_CHECK(mpq_equal(naive, slow));
        if (!mpq_equal(fast, slow) || !mpq_equal(naive, slow)) {
            fprintf(stderr, "round %ld: instance:\n", r);
            xt_instance_write(stderr, inst);
        }
        mpq_clears(fast, naive, slow, NULL);
        xt_instance_clear(inst);
    }
}

/* A random teacher network with small rational weights: its own k fits
 * the data it labelled exactly. */
static void test_planted(void)
{
    uint64_t state = xt_test_seed() ^ 0x5eed;
    long rounds = xt_test_scale(4);
    for (long r = 0; r < rounds; r++) {
        int d = 1 + (int)(r % 2), k = 1 + (int)(r % 3 == 0 ? 1 : 0);
        long n = 6;
        xt_network_t teacher;
        xt_network_init(teacher);
        xt_network_resize(teacher, d, k, 1, NULL);
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++)
                mpq_set_si(teacher->w[j * d + t],
                           (long)(xt_test_rand(&state) % 7) - 3,
                           1 + (unsigned long)(xt_test_rand(&state) % 3));
            for (int t = 0; t < d; t++)
                mpq_canonicalize(teacher->w[j * d + t]);
            mpq_set_si(teacher->b[j], (long)(xt_test_rand(&state) % 5) - 2,
                       2);
            mpq_canonicalize(teacher->b[j]);
            mpq_set_si(teacher->a[j], xt_test_rand(&state) % 2 ? 1 : -1, 1);
        }
        xt_instance_t inst;
        xt_instance_init(inst);
        xt_instance_resize(inst, n, d, 1, NULL);
        for (long i = 0; i < n * d; i++)
            mpq_set_si(inst->x[i], (long)(xt_test_rand(&state) % 9) - 4, 1);
        for (long i = 0; i < n; i++)
            xt_network_eval(&inst->y[i], teacher, &inst->x[i * d]);
        inst->hidden = k;
        mpq_t loss;
        mpq_init(loss);
        XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_OPTIMAL);
        XT_CHECK_RAT(loss, "0");
        mpq_clear(loss);
        xt_instance_clear(inst);
        xt_network_clear(teacher);
    }
}

/* With a target the solver stops at the first network within it, and
 * proves infeasibility below the optimum. */
static void test_decision(void)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    read_instance(inst, xor_text);
    inst->hidden = 1;
    inst->has_target = 1;
    mpq_t loss;
    mpq_init(loss);
    mpq_set_ui(inst->target, 1, 1);
    XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_FEASIBLE);
    mpq_set_ui(inst->target, 99, 100);
    XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_INFEASIBLE);
    mpq_clear(loss);
    xt_instance_clear(inst);
}

static void test_convex_restriction(void)
{
    /* A concave hat cannot be fit by a convex network: all weights +1. */
    xt_instance_t inst;
    xt_instance_init(inst);
    read_instance(inst, hat_text);
    inst->hidden = 3;
    inst->convex = 1;
    mpq_t loss;
    mpq_init(loss);
    XT_CHECK_INT(solve_checked(loss, inst, 0), XT_SOLVE_OPTIMAL);
    XT_CHECK(mpq_sgn(loss) > 0);
    mpq_clear(loss);
    xt_instance_clear(inst);
}

int main(void)
{
    xt_test_seed();
    test_xor();
    test_hat();
    test_output_bias();
    test_conflicting_duplicates();
    test_collinear();
    test_decision();
    test_convex_restriction();
    test_planted();
    test_brute_force();
    return xt_test_finish("test_enum");
}
