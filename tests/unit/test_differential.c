/* Differential test of the exact solvers.
 *
 * Draws tiny random instances (d = 1..3, k = 1..3, every loss, with and
 * without output bias, convex or not, with degenerate points: repeated
 * points, repeated inputs with different labels, collinear and identical
 * inputs, the origin, very large and very small coordinates) and runs
 * every solver that applies:
 *
 *   brute       the references in test_differential_brute.h;
 *   enum        xt_solve_enum, and its naive variant when small enough;
 *   convex      xt_solve_convex on convex instances with target 0;
 *   threshold   xt_solve_threshold, and its plain enumeration (naive);
 *   smt         xt_solve_smt under a time limit (an unknown answer is
 *               counted, not compared);
 *   mip         xt_solve with XT_METHOD_MIP when the build has it.  It
 *               proves no bound (its weights are boxed and GLPK works in
 *               double precision), so its network may only be as good as
 *               the proven optimum or worse.
 *
 * All conclusive optima of one problem must be equal, every decision
 * must match the optimum, every returned network's exact loss must equal
 * the reported one and be at least the optimum (also after a limit), and
 * every certificate must verify with the independent checker and prove
 * the same value.
 *
 * Environment: XTRAIN_SEED (base seed), XTRAIN_SOAK=N (N instances; the
 * default is a short run for ctest), XTRAIN_DIFF_SEED=S (replay the one
 * instance printed with a failure), XTRAIN_DIFF_SMT_SECONDS (time limit
 * per SMT call, default 2). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test_differential_brute.h"
#include "xt_test.h"
#include "xtrain/check.h"
#include "xtrain/instance.h"
#include "xtrain/log.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"

/* Instances in the ctest run: about 25 s of processor time in the normal
 * build (measured on a 2-core x86-64 development machine; SMT and MIP
 * times vary). */
#define SHORT_RUN 80
/* Largest brute-force work (LPs) per instance. */
#define BRUTE_BUDGET 1500
/* Largest naive enumeration (multiplied tuple count) per instance. */
#define NAIVE_BUDGET 1024

enum {
    S_BRUTE,
    S_ENUM,
    S_ENUM_NAIVE,
    S_CONVEX,
    S_THRESHOLD,
    S_THRESHOLD_ENUM,
    S_SMT,
    S_MIP,
    S_COUNT
};

static const char *const solver_names[S_COUNT] = {
    "brute", "enum", "enum-naive", "convex", "threshold", "threshold-enum",
    "smt", "mip"};

enum {
    F_RELU,
    F_RELU_ZERO_ONE,
    F_LINEAR,
    F_THRESHOLD,
    F_THRESHOLD_REGRESSION,
    F_COUNT
};

static const char *const family_names[F_COUNT] = {
    "relu l1/l2/linf", "relu zero-one", "linear units", "threshold zero-one",
    "threshold l1/l2/linf"};

typedef struct {
    long ran, conclusive, inconclusive, certificates;
    double seconds;
} solver_stats;

static solver_stats stats[S_COUNT];
static long pairs[S_COUNT][S_COUNT];
static long family_count[F_COUNT];
static long decisions_checked, networks_checked;
static long mip_at_optimum, mip_above_optimum;
static int mip_available = 1;
static double smt_seconds = 2.0;

/* ------------------------------------------------------ random data */

static long rand_below(uint64_t *state, long bound)
{
    return (long)(xt_test_rand(state) % (uint64_t)bound);
}

/* A coordinate: mostly a small integer, sometimes a fraction, rarely a
 * very large or very small value. */
static void draw_value(mpq_t out, uint64_t *state)
{
    long kind = rand_below(state, 20);
    if (kind == 0) {
        mpz_ui_pow_ui(mpq_numref(out), 10, 6 + (unsigned long)
                      rand_below(state, 4));
        mpz_set_ui(mpq_denref(out), 1);
        if (rand_below(state, 2))
            mpq_inv(out, out);
    } else if (kind < 5) {
        mpq_set_si(out, rand_below(state, 7) - 3,
                   2 + (unsigned long)rand_below(state, 2));
    } else {
        mpq_set_si(out, rand_below(state, 5) - 2, 1);
    }
    mpq_canonicalize(out);
    if (kind == 0 && rand_below(state, 2))
        mpq_neg(out, out);
}

/* Makes points degenerate in one of several ways (or leaves them). */
static void degenerate(xt_instance_t inst, uint64_t *state)
{
    long n = inst->n;
    int d = inst->d;
    long kind = rand_below(state, 8);
    if (n < 2 && kind < 5)
        return;
    long i = rand_below(state, n), j = rand_below(state, n);
    switch (kind) {
    case 0: /* a repeated point */
        for (int t = 0; t < d; t++)
            mpq_set(inst->x[j * d + t], inst->x[i * d + t]);
        mpq_set(inst->y[j], inst->y[i]);
        break;
    case 1: /* a repeated input, maybe with another label */
        for (int t = 0; t < d; t++)
            mpq_set(inst->x[j * d + t], inst->x[i * d + t]);
        break;
    case 2: /* all inputs on one line */
        for (long p = 0; p < n && d >= 2; p++)
            for (int t = 0; t < d; t++)
                mpq_mul_2exp(inst->x[p * d + t], inst->x[0 * d + t],
                             (unsigned long)p);
        break;
    case 3: /* all inputs equal */
        for (long p = 1; p < n; p++)
            for (int t = 0; t < d; t++)
                mpq_set(inst->x[p * d + t], inst->x[t]);
        break;
    case 4: /* the origin */
        for (int t = 0; t < d; t++)
            mpq_set_ui(inst->x[i * d + t], 0, 1);
        break;
    default:
        break;
    }
}

/* A teacher network of the instance's kind with small integer weights;
 * its outputs become the labels, so a network of loss 0 exists. */
static void plant_labels(xt_instance_t inst, uint64_t *state)
{
    xt_network_t teacher;
    xt_network_init(teacher);
    xt_error_t err;
    int k = 1 + (int)rand_below(state, inst->hidden);
    xt_network_resize(teacher, inst->d, k, 1, &err);
    teacher->activation = inst->activation;
    teacher->has_output_bias = inst->output_bias;
    for (int j = 0; j < k; j++) {
        for (int t = 0; t < inst->d; t++)
            mpq_set_si(teacher->w[j * inst->d + t],
                       rand_below(state, 5) - 2, 1);
        mpq_set_si(teacher->b[j], rand_below(state, 5) - 2, 1);
        mpq_set_si(teacher->a[j], inst->convex ? 1 : rand_below(state, 5) - 2,
                   1);
    }
    if (inst->output_bias)
        mpq_set_si(teacher->c[0], rand_below(state, 3) - 1, 1);
    for (long i = 0; i < inst->n; i++)
        xt_network_eval(&inst->y[i], teacher, &inst->x[i * inst->d]);
    xt_network_clear(teacher);
}

static void draw_labels(xt_instance_t inst, uint64_t *state, int boolean)
{
    for (long i = 0; i < inst->n; i++) {
        if (boolean) {
            mpq_set_ui(inst->y[i], (unsigned long)rand_below(state, 2), 1);
        } else {
            mpq_set_si(inst->y[i], rand_below(state, 7) - 3,
                       1 + (unsigned long)rand_below(state, 2));
            mpq_canonicalize(inst->y[i]);
        }
    }
}

/* Largest n per k for each family, so that the brute force and the
 * solvers stay fast. */
static long max_points(int family, int k)
{
    static const long relu[] = {0, 7, 5, 3};
    static const long threshold[] = {0, 6, 6, 5};
    static const long regression[] = {0, 6, 5, 4};
    switch (family) {
    case F_RELU: return relu[k];
    case F_RELU_ZERO_ONE: return k == 1 ? 4 : 3;
    case F_LINEAR: return 6;
    case F_THRESHOLD: return threshold[k];
    default: return regression[k];
    }
}

/* Draws one instance; returns its family. */
static int draw_instance(xt_instance_t inst, uint64_t *state)
{
    static const int families[] = {F_RELU, F_RELU, F_RELU, F_RELU,
                                   F_RELU_ZERO_ONE, F_LINEAR, F_THRESHOLD,
                                   F_THRESHOLD, F_THRESHOLD_REGRESSION};
    int family = families[rand_below(state, 9)];
    int k = family == F_RELU_ZERO_ONE ? 1 + (int)rand_below(state, 2)
                                      : 1 + (int)rand_below(state, 3);
    int d = 1 + (int)rand_below(state, 3);
    long n = 1 + rand_below(state, max_points(family, k));
    xt_error_t err;
    xt_instance_resize(inst, n, d, 1, &err);
    inst->hidden = k;
    inst->output_bias = (int)rand_below(state, 2);
    inst->has_output_bias = 1;
    inst->convex = 0;
    inst->has_target = 0;
    inst->activation = XT_ACT_RELU;
    inst->has_activation = 1;
    inst->has_loss = 1;
    switch (family) {
    case F_RELU:
        inst->loss = (xt_loss)rand_below(state, 3);
        inst->convex = rand_below(state, 4) == 0;
        break;
    case F_RELU_ZERO_ONE:
        inst->loss = XT_LOSS_ZERO_ONE;
        break;
    case F_LINEAR:
        inst->activation = XT_ACT_LINEAR;
        inst->loss = (xt_loss)rand_below(state, 4);
        break;
    case F_THRESHOLD:
        inst->activation = XT_ACT_THRESHOLD;
        inst->loss = XT_LOSS_ZERO_ONE;
        break;
    default:
        inst->activation = XT_ACT_THRESHOLD;
        inst->loss = (xt_loss)rand_below(state, 3);
        break;
    }
    inst->has_convex = 1;
    for (long i = 0; i < n * d; i++)
        draw_value(inst->x[i], state);
    degenerate(inst, state);
    int boolean = family == F_THRESHOLD && rand_below(state, 4) != 0;
    if (rand_below(state, 3) == 0)
        plant_labels(inst, state);
    else
        draw_labels(inst, state, boolean);
    if (rand_below(state, 6) == 0)
        degenerate(inst, state);
    return family;
}

/* -------------------------------------------------------- solving */

/* One solver's answer.  group separates problems that differ: threshold
 * networks on 0/1 labels have a threshold output in the threshold solver
 * and the brute force (group 0) but a linear output in SMT (group 1). */
typedef struct {
    int valid;          /* conclusive: optimal, feasible or infeasible */
    int has_network;    /* loss is the exact loss of a returned network */
    int group;
    xt_solve_status status;
    mpq_t loss;
} answer;

static int labels_boolean(const xt_instance_t inst)
{
    for (long i = 0; i < inst->n; i++)
        if (mpq_cmp_ui(inst->y[i], 0, 1) && mpq_cmp_ui(inst->y[i], 1, 1))
            return 0;
    return 1;
}

/* Verifies the certificate at path for res. */
static void check_certificate(const xt_instance_t inst, const char *path,
                              const xt_solve_result_t res, int solver)
{
    xt_check_report_t rep;
    xt_check_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_check_certificate_file(rep, inst, path, &err);
    XT_CHECK_INT(rc, XT_OK);
    XT_CHECK(rep->verified);
    if (rc != XT_OK || !rep->verified)
        fprintf(stderr, "%s certificate: %s\n", solver_names[solver],
                err.message);
    if (res->status == XT_SOLVE_OPTIMAL) {
        XT_CHECK(rep->has_lower && mpq_equal(rep->lower, res->loss));
    } else if (res->status == XT_SOLVE_INFEASIBLE) {
        XT_CHECK(rep->infeasible);
    } else if (res->status == XT_SOLVE_FEASIBLE) {
        XT_CHECK(rep->has_upper && mpq_cmp(rep->upper, inst->target) <= 0);
    }
    stats[solver].certificates++;
    xt_check_report_clear(rep);
}

/* Checks what a solver returned: the network fits the instance and its
 * exact loss is the reported one, and the status is consistent. */
static void check_result(const xt_instance_t inst,
                         const xt_solve_result_t res, int solver)
{
    xt_error_t err;
    xt_error_clear(&err);
    if (res->has_network) {
        mpq_t loss;
        mpq_init(loss);
        XT_CHECK_INT(xt_network_conforms(res->network, inst, &err), XT_OK);
        XT_CHECK_INT(xt_network_loss(loss, NULL, res->network, inst,
                                     inst->loss, &err), XT_OK);
        if (!mpq_equal(loss, res->loss))
            XT_FAIL("%s: reported loss differs from the network's exact "
                    "loss", solver_names[solver]);
        mpq_clear(loss);
    }
    if (res->status == XT_SOLVE_OPTIMAL) {
        XT_CHECK(res->has_network);
        if (res->has_lower && !mpq_equal(res->lower, res->loss))
            XT_FAIL("%s: optimal, but the lower bound is not the loss",
                    solver_names[solver]);
    }
    if (res->status == XT_SOLVE_FEASIBLE)
        XT_CHECK(res->has_network && inst->has_target &&
                 mpq_cmp(res->loss, inst->target) <= 0);
}

/* Runs one solver on inst (as it is: with or without a target) and fills
 * ans.  Returns 0 when the solver does not apply (MIP not built). */
static int run_solver(answer *ans, int solver, const xt_instance_t inst)
{
    char path[] = "/tmp/xtrain-diff-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    int certify = fd >= 0 && (solver == S_ENUM || solver == S_CONVEX);
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.certificate_path = certify ? path : NULL;
    opt.threads = 1;
    opt.time_limit = solver == S_SMT ? smt_seconds : 120;
    static const xt_method methods[S_COUNT] = {
        XT_METHOD_AUTO, XT_METHOD_ENUM, XT_METHOD_ENUM, XT_METHOD_CONVEX,
        XT_METHOD_THRESHOLD, XT_METHOD_THRESHOLD, XT_METHOD_SMT,
        XT_METHOD_MIP};
    opt.method = methods[solver];
    opt.naive = solver == S_ENUM_NAIVE || solver == S_THRESHOLD_ENUM;

    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    xt_error_clear(&err);
    double start = xt_seconds();
    int rc = xt_solve(res, inst, &opt, &err);
    stats[solver].seconds += xt_seconds() - start;
    int applies = 1;
    if (solver == S_MIP && rc == XT_ERR_INPUT &&
        strstr(err.message, "not available")) {
        mip_available = 0;
        applies = 0;
    } else if (rc != XT_OK) {
        XT_FAIL("%s failed: %s", solver_names[solver], err.message);
    } else {
        stats[solver].ran++;
        check_result(inst, res, solver);
        ans->valid = res->status != XT_SOLVE_UNKNOWN;
        ans->has_network = res->has_network;
        ans->status = res->status;
        mpq_set(ans->loss, res->loss);
        if (ans->valid)
            stats[solver].conclusive++;
        else
            stats[solver].inconclusive++;
        if (certify && ans->valid)
            check_certificate(inst, path, res, solver);
    }
    xt_solve_result_clear(res);
    remove(path);
    return applies;
}

/* ------------------------------------------------------- comparing */

/* Compares every conclusive optimum within a group, and stores the
 * reference of each group (the first conclusive optimum) in ref[group].
 * Then every network returned without a proof (MIP, or a run stopped by
 * its time limit) must be no better than the reference. */
static void compare_optima(answer *ans, mpq_t *ref, int *has_ref)
{
    for (int a = 0; a < S_COUNT; a++) {
        if (!ans[a].valid)
            continue;
        int g = ans[a].group;
        if (!has_ref[g]) {
            mpq_set(ref[g], ans[a].loss);
            has_ref[g] = 1;
        }
        for (int b = 0; b < a; b++) {
            if (!ans[b].valid || ans[b].group != g)
                continue;
            pairs[a][b]++;
            if (!mpq_equal(ans[a].loss, ans[b].loss)) {
                char *x = xt_rat_to_string(ans[a].loss);
                char *y = xt_rat_to_string(ans[b].loss);
                XT_FAIL("optimum of %s is %s, of %s is %s", solver_names[a],
                        x, solver_names[b], y);
                free(x);
                free(y);
            }
        }
    }
    for (int a = 0; a < S_COUNT; a++) {
        answer *u = &ans[a];
        if (u->valid || !u->has_network || !has_ref[u->group])
            continue;
        networks_checked++;
        int cmp = mpq_cmp(u->loss, ref[u->group]);
        if (cmp < 0)
            XT_FAIL("%s returned a network below the proven optimum",
                    solver_names[a]);
        if (a == S_MIP && cmp == 0)
            mip_at_optimum++;
        else if (a == S_MIP)
            mip_above_optimum++;
    }
}

/* A decision answer must match the optimum opt of its group. */
static void compare_decision(const answer *ans, int solver, const mpq_t opt,
                             const mpq_t target)
{
    if (!ans->valid)
        return;
    decisions_checked++;
    int reachable = mpq_cmp(opt, target) <= 0;
    if (ans->status == XT_SOLVE_FEASIBLE && !reachable)
        XT_FAIL("%s: target below the optimum called feasible",
                solver_names[solver]);
    else if (ans->status == XT_SOLVE_INFEASIBLE && reachable)
        XT_FAIL("%s: reachable target called infeasible",
                solver_names[solver]);
    else if (ans->status == XT_SOLVE_OPTIMAL)
        XT_FAIL("%s: optimal status for a decision", solver_names[solver]);
}

/* ------------------------------------------------------- per family */

/* Which solvers apply to inst (optimization), and their groups. */
static void applicable(int *use, int *group, const xt_instance_t inst,
                       int family)
{
    memset(use, 0, S_COUNT * sizeof *use);
    memset(group, 0, S_COUNT * sizeof *group);
    use[S_SMT] = 1;
    if (family == F_RELU) {
        use[S_MIP] = mip_available;
        use[S_ENUM] = 1;
        double tuples = pow(2.0 * (double)(1u << inst->n), inst->hidden);
        use[S_ENUM_NAIVE] = tuples <= NAIVE_BUDGET;
    }
    if (family == F_THRESHOLD) {
        double tuples = pow((double)(1u << inst->n), inst->hidden);
        use[S_THRESHOLD] = 1;
        use[S_THRESHOLD_ENUM] = tuples <= NAIVE_BUDGET * 4;
        if (labels_boolean(inst))
            group[S_SMT] = group[S_MIP] = 1;
    }
}

/* The brute-force optimum of group g into ans; returns 1 when computed. */
static int brute_group(answer *ans, const xt_instance_t inst, int family,
                       int g)
{
    double start = xt_seconds();
    int done;
    if (family == F_THRESHOLD)
        done = brute_threshold(ans->loss, inst,
                               g == 0 && labels_boolean(inst),
                               BRUTE_BUDGET * 4);
    else if (family == F_THRESHOLD_REGRESSION)
        done = brute_threshold(ans->loss, inst, 0, BRUTE_BUDGET);
    else
        done = brute_relu(ans->loss, inst, BRUTE_BUDGET);
    stats[S_BRUTE].seconds += xt_seconds() - start;
    if (done) {
        stats[S_BRUTE].ran++;
        stats[S_BRUTE].conclusive++;
        ans->valid = 1;
        ans->status = XT_SOLVE_OPTIMAL;
        ans->group = g;
    }
    return done;
}

/* Decision runs: one target per instance, at the optimum, above it, or
 * below it, for every decider that applies. */
static void decide(xt_instance_t inst, const int *use, const int *group,
                   mpq_t *ref, const int *has_ref, uint64_t *state)
{
    static const int deciders[] = {S_ENUM, S_THRESHOLD, S_THRESHOLD_ENUM,
                                   S_SMT, S_MIP};
    int g = 0;
    if (!has_ref[g])
        return;
    mpq_t target;
    mpq_init(target);
    long kind = rand_below(state, 3);
    mpq_set(target, ref[g]);
    if (kind == 1) {
        mpq_t step;
        mpq_init(step);
        mpq_set_si(step, 1, 3);
        mpq_add(target, target, step);
        mpq_clear(step);
    } else if (kind == 2 && mpq_sgn(ref[g]) > 0) {
        /* Half the optimum: below it, and not an integer for an odd
         * zero-one optimum. */
        mpq_div_2exp(target, target, 1);
    }
    inst->has_target = 1;
    mpq_set(inst->target, target);
    for (size_t s = 0; s < sizeof deciders / sizeof *deciders; s++) {
        int solver = deciders[s];
        if (!use[solver] || !has_ref[group[solver]])
            continue;
        answer ans;
        memset(&ans, 0, sizeof ans);
        mpq_init(ans.loss);
        if (run_solver(&ans, solver, inst))
            compare_decision(&ans, solver, ref[group[solver]], target);
        mpq_clear(ans.loss);
    }
    inst->has_target = 0;
    mpq_clear(target);
}

/* Convex ReLU instances: the branching search decides target 0. */
static void decide_convex(xt_instance_t inst, const mpq_t *ref,
                          const int *has_ref)
{
    if (!has_ref[0])
        return;
    mpq_t zero;
    mpq_init(zero);
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    answer ans;
    memset(&ans, 0, sizeof ans);
    mpq_init(ans.loss);
    if (run_solver(&ans, S_CONVEX, inst)) {
        compare_decision(&ans, S_CONVEX, ref[0], zero);
        if (ans.valid)
            pairs[S_CONVEX][S_ENUM]++;
    }
    mpq_clear(ans.loss);
    inst->has_target = 0;
    mpq_clear(zero);
}

static void print_instance(uint64_t seed, const xt_instance_t inst)
{
    fprintf(stderr, "replay with XTRAIN_DIFF_SEED=%llu; the instance:\n",
            (unsigned long long)seed);
    xt_instance_write(stderr, inst);
}

/* Draws and checks the instance of one seed. */
static void run_instance(uint64_t seed)
{
    int failures_before = xt_test_failures;
    uint64_t state = seed;
    xt_instance_t inst;
    xt_instance_init(inst);
    int family = draw_instance(inst, &state);
    family_count[family]++;

    int use[S_COUNT], group[S_COUNT];
    applicable(use, group, inst, family);
    answer ans[S_COUNT];
    memset(ans, 0, sizeof ans);
    for (int s = 0; s < S_COUNT; s++) {
        mpq_init(ans[s].loss);
        ans[s].group = group[s];
    }
    /* The brute force of the SMT group when it differs (threshold
     * networks on 0/1 labels with a linear output) is an extra answer. */
    answer brute_linear;
    memset(&brute_linear, 0, sizeof brute_linear);
    mpq_init(brute_linear.loss);

    brute_group(&ans[S_BRUTE], inst, family, 0);
    if (group[S_SMT] == 1)
        brute_group(&brute_linear, inst, family, 1);
    for (int s = S_ENUM; s < S_COUNT; s++)
        if (use[s] && !run_solver(&ans[s], s, inst))
            use[s] = 0;
    for (int s = 0; s < S_COUNT; s++)
        ans[s].group = group[s];

    mpq_t ref[2];
    int has_ref[2] = {0, 0};
    mpq_inits(ref[0], ref[1], NULL);
    if (brute_linear.valid) {
        mpq_set(ref[1], brute_linear.loss);
        has_ref[1] = 1;
        if (ans[S_SMT].valid) {
            pairs[S_SMT][S_BRUTE]++;
            if (!mpq_equal(ans[S_SMT].loss, ref[1]))
                XT_FAIL("smt optimum differs from the brute force with a "
                        "linear output");
        }
        ans[S_SMT].valid = 0;   /* compared above */
    }
    compare_optima(ans, ref, has_ref);

    if (family == F_RELU || family == F_THRESHOLD ||
        family == F_THRESHOLD_REGRESSION)
        decide(inst, use, group, ref, has_ref, &state);
    if (family == F_RELU && inst->convex)
        decide_convex(inst, ref, has_ref);

    if (xt_test_failures != failures_before)
        print_instance(seed, inst);
    mpq_clears(ref[0], ref[1], brute_linear.loss, NULL);
    for (int s = 0; s < S_COUNT; s++)
        mpq_clear(ans[s].loss);
    xt_instance_clear(inst);
}

/* ------------------------------------------------------- reporting */

static void print_summary(long instances, double seconds)
{
    printf("differential: %ld instances in %.1f s (", instances, seconds);
    for (int f = 0; f < F_COUNT; f++)
        printf("%s%s %ld", f ? ", " : "", family_names[f], family_count[f]);
    printf(")\n");
    printf("  %-15s %7s %10s %12s %12s %9s\n", "solver", "runs",
           "conclusive", "inconclusive", "certificates", "seconds");
    for (int s = 0; s < S_COUNT; s++)
        printf("  %-15s %7ld %10ld %12ld %12ld %9.1f\n", solver_names[s],
               stats[s].ran, stats[s].conclusive, stats[s].inconclusive,
               stats[s].certificates, stats[s].seconds);
    long total = 0;
    printf("  agreeing pairs:");
    for (int a = 0; a < S_COUNT; a++)
        for (int b = 0; b < S_COUNT; b++)
            if (pairs[a][b]) {
                printf(" %s=%s %ld", solver_names[a], solver_names[b],
                       pairs[a][b]);
                total += pairs[a][b];
            }
    printf("\n  %ld solver pairs compared, %ld decisions checked, %ld "
           "unproven networks checked against the optimum\n", total,
           decisions_checked, networks_checked);
    if (!mip_available)
        printf("  mip: not in this build\n");
    else
        printf("  mip: at the optimum %ld times, above it %ld times\n",
               mip_at_optimum, mip_above_optimum);
}

/* The seed of instance i: splitmix64 of the base seed and i. */
static uint64_t instance_seed(uint64_t base, long i)
{
    uint64_t state = base + (uint64_t)i * 0x9E3779B97F4A7C15ull;
    return xt_test_rand(&state);
}

int main(void)
{
    uint64_t base = xt_test_seed();
    xt_verbosity = 0;
    const char *soak = getenv("XTRAIN_SOAK");
    const char *one = getenv("XTRAIN_DIFF_SEED");
    const char *limit = getenv("XTRAIN_DIFF_SMT_SECONDS");
    if (limit && atof(limit) > 0)
        smt_seconds = atof(limit);
    long count = soak && atol(soak) > 0 ? atol(soak) : SHORT_RUN;
    double start = xt_seconds();
    if (one) {
        count = 1;
        run_instance(strtoull(one, NULL, 10));
    } else {
        for (long i = 0; i < count; i++)
            run_instance(instance_seed(base, i));
    }
    print_summary(count, xt_seconds() - start);
    return xt_test_finish("test_differential");
}
