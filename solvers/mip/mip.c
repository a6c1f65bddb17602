/* A big-M mixed-integer baseline in GLPK, for comparison with the exact
 * solvers only: it proves nothing.
 *
 * With the output weights fixed to a sign class (a_j = +1 for the first
 * p neurons and -1 for the others, by positive homogeneity), each hidden
 * value h_ij = relu(z_ij), z_ij = w_j . x_i + b_j, is modelled with a
 * binary d_ij and the bound M_i = W (|x_i|_1 + 1) >= |z_ij|:
 *
 *     h >= 0,  h >= z,  h <= z + M_i (1 - d),  h <= M_i d,
 *
 * which is exact for networks with every |w_jt|, |b_j| <= W (the output
 * bias c is free).  The loss is linear for l1 and linf.  For l2 the
 * square t_i >= r_i^2 is replaced by tangent cuts t_i >= 2 u r_i - u^2,
 * added at the residuals u of each solution until the model's value is
 * within XT_MIP_L2_GAP of the true one (an outer approximation, Kelley's
 * cutting-plane method).  GLPK works in double precision, so the
 * optimality of the model is numeric; the box itself is an assumption.
 *
 * The result is re-derived exactly: the activation pattern of the best
 * model solution is solved exactly by src/lp (the pattern's LP or QP),
 * and that network's loss is recomputed in rationals.  The status is
 * "unknown" unless a target is met: no lower bound is proven. */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "../enum/enum_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/solve.h"

#define XT_MIP_L2_GAP 1e-7     /* relative gap that ends the cut loop */
#define XT_MIP_L2_ROUNDS 200   /* most cut rounds per sign class */
/* Largest |x_it| and |y_i| the model accepts.  Beyond it the big-M
 * coefficients leave the range where GLPK's double-precision tolerances
 * mean anything, and near 10^100 GLPK stops on an internal assertion. */
#define XT_MIP_MAX_DIGITS 12

/* The jump target of GLPK's error hook, which GLPK calls instead of
 * aborting.  GLPK's state is invalid after the hook until glp_free_env. */
static _Thread_local jmp_buf *glpk_escape;

static void glpk_failed(void *info)
{
    (void)info;
    longjmp(*glpk_escape, 1);
}

typedef struct {
    const xt_instance_struct *inst;
    int d, k, has_bias;
    long n;
    double bound;              /* W: |w_jt|, |b_j| <= W */
    double *x, *y, *big;       /* data as doubles, M_i */
    int plus;                  /* neurons with output weight +1 */
    glp_prob *lp;
    int col_w, col_c, col_h, col_d, col_loss;  /* first columns */
    double deadline;           /* xt_seconds() limit, 0 for none */
    int *ind;                  /* row scratch, 1-based: d + k + 4 */
    double *val;
} mip_model;

static int col_w(const mip_model *M, int j, int t)
{
    return M->col_w + j * (M->d + 1) + t;
}

static int col_h(const mip_model *M, int j, long i)
{
    return M->col_h + (int)(j * M->n + i);
}

static int col_d(const mip_model *M, int j, long i)
{
    return M->col_d + (int)(j * M->n + i);
}

static int sign_of(const mip_model *M, int j)
{
    return j < M->plus ? 1 : -1;
}

/* Appends the row sum val[q] * x[ind[q]] in [lo, hi] (GLPK's 1-based
 * arrays; GLP_UP, GLP_LO, GLP_FX or GLP_DB in type). */
static void add_row(glp_prob *lp, int count, const int *ind,
                    const double *val, int type, double lo, double hi)
{
    int r = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, r, type, lo, hi);
    glp_set_mat_row(lp, r, count, ind, val);
}

/* The three big-M rows of neuron j at point i besides h >= 0. */
static void relu_rows(mip_model *M, int j, long i)
{
    int d = M->d, *ind = M->ind, cnt;
    double *val = M->val, Mi = M->big[i];
    /* z = sum_t w_jt x_it + b_j enters with coefficient -1. */
    cnt = 0;
    for (int t = 0; t < d; t++) {
        ind[++cnt] = col_w(M, j, t);
        val[cnt] = -M->x[i * d + t];
    }
    ind[++cnt] = col_w(M, j, d);
    val[cnt] = -1;
    ind[++cnt] = col_h(M, j, i);
    val[cnt] = 1;
    add_row(M->lp, cnt, ind, val, GLP_LO, 0, 0);            /* h - z >= 0 */
    ind[++cnt] = col_d(M, j, i);
    val[cnt] = Mi;
    add_row(M->lp, cnt, ind, val, GLP_UP, 0, Mi);    /* h - z + M d <= M */
    ind[1] = col_h(M, j, i);
    val[1] = 1;
    ind[2] = col_d(M, j, i);
    val[2] = -Mi;
    add_row(M->lp, 2, ind, val, GLP_UP, 0, 0);           /* h - M d <= 0 */
}

/* Row coefficients of f(x_i) = c + sum_j a_j h_ij in ind/val from
 * position 1; returns the count. */
static int output_terms(const mip_model *M, long i, int *ind, double *val)
{
    int cnt = 0;
    for (int j = 0; j < M->k; j++) {
        ind[++cnt] = col_h(M, j, i);
        val[cnt] = sign_of(M, j);
    }
    if (M->has_bias) {
        ind[++cnt] = M->col_c;
        val[cnt] = 1;
    }
    return cnt;
}

/* Loss rows for l1 and linf: e >= f - y and e >= y - f. */
static void loss_rows(mip_model *M, long i)
{
    int *ind = M->ind, e = M->inst->loss == XT_LOSS_L1
                               ? M->col_loss + (int)i
                               : M->col_loss;
    double *val = M->val;
    int cnt = output_terms(M, i, ind, val);
    ind[cnt + 1] = e;
    val[cnt + 1] = -1;
    add_row(M->lp, cnt + 1, ind, val, GLP_UP, 0, M->y[i]);  /* f - e <= y */
    for (int q = 1; q <= cnt; q++)
        val[q] = -val[q];
    add_row(M->lp, cnt + 1, ind, val, GLP_UP, 0, -M->y[i]); /* -f - e <= -y */
}

/* A tangent cut t_i >= 2 u (f - y) - u^2 of the square at residual u. */
static void l2_cut(mip_model *M, long i, double u)
{
    int *ind = M->ind;
    double *val = M->val;
    int cnt = output_terms(M, i, ind, val);
    for (int q = 1; q <= cnt; q++)
        val[q] *= -2 * u;
    ind[cnt + 1] = M->col_loss + (int)i;
    val[cnt + 1] = 1;
    /* t - 2u f >= -2u y - u^2 */
    add_row(M->lp, cnt + 1, ind, val, GLP_LO, -2 * u * M->y[i] - u * u, 0);
}

static void set_col(glp_prob *lp, int col, int type, double lo, double hi,
                    double cost)
{
    glp_set_col_bnds(lp, col, type, lo, hi);
    glp_set_obj_coef(lp, col, cost);
}

/* Builds the model of the current sign class. */
static void build_model(mip_model *M)
{
    int k = M->k, d = M->d;
    long n = M->n;
    xt_loss loss = M->inst->loss;
    int nloss = loss == XT_LOSS_LINF ? 1 : (int)n;
    glp_prob *lp = M->lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    M->col_w = 1;
    M->col_c = M->col_w + k * (d + 1);
    M->col_h = M->col_c + (M->has_bias ? 1 : 0);
    M->col_d = M->col_h + (int)(k * n);
    M->col_loss = M->col_d + (int)(k * n);
    glp_add_cols(lp, M->col_loss + nloss - 1);
    for (int j = 0; j < k; j++)
        for (int t = 0; t <= d; t++)
            set_col(lp, col_w(M, j, t), GLP_DB, -M->bound, M->bound, 0);
    if (M->has_bias)
        set_col(lp, M->col_c, GLP_FR, 0, 0, 0);
    for (int j = 0; j < k; j++)
        for (long i = 0; i < n; i++) {
            set_col(lp, col_h(M, j, i), GLP_DB, 0, M->big[i], 0);
            glp_set_col_kind(lp, col_d(M, j, i), GLP_BV);
            relu_rows(M, j, i);
        }
    for (int q = 0; q < nloss; q++)
        set_col(lp, M->col_loss + q, GLP_LO, 0, 0, 1);
    if (loss != XT_LOSS_L2)
        for (long i = 0; i < n; i++)
            loss_rows(M, i);
    /* Interchangeable neurons: b_j >= b_{j+1} inside a class. */
    for (int j = 0; j + 1 < k; j++)
        if (sign_of(M, j) == sign_of(M, j + 1)) {
            int ind[3] = {0, col_w(M, j, d), col_w(M, j + 1, d)};
            double val[3] = {0, 1, -1};
            add_row(lp, 2, ind, val, GLP_LO, 0, 0);
        }
}

/* Stops GLPK's branch and cut after Ctrl-C or SIGTERM; GLPK calls it at
 * every node of the search tree. */
static void stop_on_interrupt(glp_tree *tree, void *info)
{
    (void)info;
    if (xt_interrupted())
        glp_ios_terminate(tree);
}

/* Runs GLPK's branch and cut.  Returns 1 with a solution, 0 without,
 * and -1 when GLPK failed: then every GLPK object of this thread,
 * M->lp included, has been freed. */
static int run_glpk(mip_model *M)
{
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.cb_func = stop_on_interrupt;
    if (M->deadline > 0) {
        double left = M->deadline - xt_seconds();
        if (left <= 0)
            return 0;
        parm.tm_lim = left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
    }
    jmp_buf escape;
    int old = glp_term_out(GLP_OFF);
    if (setjmp(escape)) {
        glp_error_hook(NULL, NULL);
        glp_free_env();
        M->lp = NULL;
        return -1;
    }
    glpk_escape = &escape;
    glp_error_hook(glpk_failed, NULL);
    int rc = glp_intopt(M->lp, &parm);
    glp_error_hook(NULL, NULL);
    glp_term_out(old);
    int status = glp_mip_status(M->lp);
    return (rc == 0 || rc == GLP_ETMLIM || rc == GLP_ESTOP) &&
           (status == GLP_OPT || status == GLP_FEAS);
}

/* Solves the class; for l2 adds cuts until the model is tight.  Sets
 * *proved when GLPK finished its search (within its tolerances). */
static int solve_class(mip_model *M, int *proved)
{
    *proved = 0;
    if (M->inst->loss != XT_LOSS_L2) {
        int got = run_glpk(M);
        *proved = got > 0 && glp_mip_status(M->lp) == GLP_OPT;
        return got;
    }
    for (long i = 0; i < M->n; i++)
        l2_cut(M, i, 0);
    for (int round = 0; round < XT_MIP_L2_ROUNDS; round++) {
        int got = run_glpk(M);
        if (got <= 0)
            return got < 0 ? -1 : round > 0;
        double model = glp_mip_obj_val(M->lp), truth = 0;
        double *u = malloc((size_t)M->n * sizeof *u);
        if (!u)
            return 0;
        for (long i = 0; i < M->n; i++) {
            double f = M->has_bias ? glp_mip_col_val(M->lp, M->col_c) : 0;
            for (int j = 0; j < M->k; j++)
                f += sign_of(M, j) * glp_mip_col_val(M->lp, col_h(M, j, i));
            u[i] = f - M->y[i];
            truth += u[i] * u[i];
        }
        int tight = truth - model <= XT_MIP_L2_GAP * (1 + truth);
        for (long i = 0; i < M->n && !tight; i++)
            l2_cut(M, i, u[i]);
        free(u);
        if (tight) {
            *proved = glp_mip_status(M->lp) == GLP_OPT;
            return 1;
        }
    }
    return 1;
}

/* Solves the pattern of the model's solution exactly and keeps the
 * network when it beats res's. */
static int polish(mip_model *M, xt_solve_result_struct *res,
                  xt_error_t *err)
{
    const xt_instance_struct *inst = M->inst;
    int k = M->k;
    long n = M->n;
    int *sign = malloc((size_t)k * sizeof *sign);
    unsigned char *active = malloc((size_t)(k * n) + 1);
    if (!sign || !active) {
        free(sign);
        free(active);
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    for (int j = 0; j < k; j++) {
        sign[j] = sign_of(M, j);
        for (long i = 0; i < n; i++)
            active[j * n + i] =
                glp_mip_col_val(M->lp, col_d(M, j, i)) > 0.5;
    }
    xt_pattern_layout lay;
    xt_pattern_layout_set(&lay, inst, k, n);
    xt_lp_t lp;
    xt_lp_init(lp, lay.ncols);
    xt_lp_result_t lpres;
    xt_lp_result_init(lpres);
    int rc = xt_pattern_build_subset(lp, &lay, inst, NULL, n, sign, active);
    if (rc == XT_OK)
        rc = xt_lp_solve(lpres, lp, err);
    if (rc == XT_OK && lpres->status == XT_LP_OPTIMAL &&
        (!res->has_network || mpq_cmp(lpres->value, res->loss) < 0)) {
        xt_pattern_network(res->network, &lay, sign, lpres->x);
        rc = xt_network_loss(res->loss, NULL, res->network, inst,
                             inst->loss, err);
        if (rc == XT_OK && !mpq_equal(res->loss, lpres->value)) {
            xt_error_set(err, "self-check failed: the polished network's "
                         "loss differs from its pattern's optimum");
            rc = XT_ERR_INTERNAL;
        }
        res->has_network = rc == XT_OK;
    }
    xt_lp_result_clear(lpres);
    xt_lp_clear(lp);
    free(sign);
    free(active);
    return rc;
}

/* W: ten times the largest label plus one, and M_i = W (|x_i|_1 + 1). */
static int load_data(mip_model *M)
{
    const xt_instance_struct *inst = M->inst;
    long n = M->n;
    int d = M->d;
    M->x = malloc((size_t)(n * d + 1) * sizeof *M->x);
    M->y = malloc((size_t)(n + 1) * sizeof *M->y);
    M->big = malloc((size_t)(n + 1) * sizeof *M->big);
    M->ind = malloc((size_t)(d + M->k + 4) * sizeof *M->ind);
    M->val = malloc((size_t)(d + M->k + 4) * sizeof *M->val);
    if (!M->x || !M->y || !M->big || !M->ind || !M->val)
        return XT_ERR_NOMEM;
    double ymax = 0;
    for (long i = 0; i < n; i++) {
        M->y[i] = mpq_get_d(inst->y[i]);
        ymax = fmax(ymax, fabs(M->y[i]));
        for (int t = 0; t < d; t++)
            M->x[i * d + t] = mpq_get_d(inst->x[i * d + t]);
    }
    M->bound = 10 * (ymax + 1);
    for (long i = 0; i < n; i++) {
        double norm = 1;
        for (int t = 0; t < d; t++)
            norm += fabs(M->x[i * d + t]);
        M->big[i] = M->bound * norm;
    }
    return XT_OK;
}

/* Reports whether |q| > limit. */
static int too_large(const mpq_t q, const mpq_t limit)
{
    mpq_t size;
    mpq_init(size);
    mpq_abs(size, q);
    int large = mpq_cmp(size, limit) > 0;
    mpq_clear(size);
    return large;
}

static int check_instance(const xt_instance_struct *inst, xt_error_t *err)
{
    if (inst->hidden < 1 || inst->hidden > 16 || inst->m != 1 ||
        inst->activation != XT_ACT_RELU || inst->loss == XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "the MIP baseline handles one-output ReLU "
                     "instances with 1 to 16 hidden neurons and loss l1, "
                     "l2 or linf");
        return XT_ERR_INPUT;
    }
    mpq_t limit;
    mpq_init(limit);
    mpz_ui_pow_ui(mpq_numref(limit), 10, XT_MIP_MAX_DIGITS);
    int fits = 1;
    for (long i = 0; i < inst->n && fits; i++) {
        fits = !too_large(inst->y[i], limit);
        for (int t = 0; t < inst->d && fits; t++)
            fits = !too_large(inst->x[i * inst->d + t], limit);
    }
    mpq_clear(limit);
    if (!fits) {
        xt_error_set(err, "the MIP baseline needs every input and label "
                     "within +-10^%d (GLPK works in double precision); "
                     "scale the data or use --method enum",
                     XT_MIP_MAX_DIGITS);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_solve_mip(xt_solve_result_t res, const xt_instance_t inst,
                 const xt_solve_options *opt, xt_error_t *err)
{
    int rc = check_instance(inst, err);
    if (rc != XT_OK)
        return rc;
    if (opt->certificate_path) {
        xt_error_set(err, "the MIP baseline writes no certificate because "
                     "it proves nothing (use --method enum for one)");
        return XT_ERR_INPUT;
    }
    double start = xt_seconds();
    res->method_name = "mip";
    mip_model M;
    memset(&M, 0, sizeof M);
    M.inst = inst;
    M.d = inst->d;
    M.k = inst->hidden;
    M.n = inst->n;
    M.has_bias = inst->output_bias;
    M.deadline = opt->time_limit > 0 ? start + opt->time_limit : 0;
    rc = load_data(&M);
    if (rc != XT_OK)
        xt_error_set(err, "out of memory");
    res->weight_bound = M.bound;
    xt_log(1, "mip: big-M model with |w_jt|, |b_j| <= %g, solved by GLPK "
           "in double precision; the loss is recomputed exactly, "
           "optimality is not proven", M.bound);

    int all_proved = 1, lowest = inst->convex ? M.k : 0;
    for (int plus = M.k; plus >= lowest && rc == XT_OK && !xt_interrupted();
         plus--) {
        M.plus = plus;
        build_model(&M);
        int proved = 0, got = solve_class(&M, &proved);
        if (got < 0) {
            xt_error_set(err, "GLPK failed on the MIP model; scale the "
                         "data or use --method enum");
            rc = XT_ERR_INTERNAL;
        } else if (got > 0)
            rc = polish(&M, res, err);
        else
            res->time_limit_reached = M.deadline > 0 &&
                                      xt_seconds() >= M.deadline;
        all_proved = all_proved && proved;
        res->subproblems++;
        if (M.lp)
            glp_delete_prob(M.lp);
        M.lp = NULL;
    }
    xt_log(2, "mip: GLPK %s every sign class", all_proved
                                                   ? "finished"
                                                   : "did not finish");
    free(M.x);
    free(M.y);
    free(M.big);
    free(M.ind);
    free(M.val);
    res->interrupted = xt_interrupted();
    res->status = XT_SOLVE_UNKNOWN;
    if (rc == XT_OK && inst->has_target && res->has_network &&
        mpq_cmp(res->loss, inst->target) <= 0)
        res->status = XT_SOLVE_FEASIBLE;
    res->seconds_total = res->seconds_solve = xt_seconds() - start;
    return rc;
}
