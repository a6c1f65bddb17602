/* Exact fitting (target 0) of a two-layer ReLU network whose output
 * weights are all +1, so that it computes a convex function: the
 * fixed-parameter tractable case of Froese and Hertrich, "Training Neural
 * Networks is NP-Hard in Fixed Dimension" (NeurIPS 2023), which runs in
 * 2^{O(k^2 d)} poly(k, L) time for input length L.
 *
 * The search (search.c) branches on points and subsets of neurons.  Each
 * node solves exact LPs (node.c), and a node whose LP is feasible has
 * depth at most k(d+1), or k(d+1) + 1 with an output bias.  A YES answer
 * is a network checked by exact evaluation.  A NO answer can be written
 * as the search tree with a Farkas ray per leaf (certificate.c), which
 * src/check/convex_check.c verifies without any LP code. */
#include <stdlib.h>
#include <string.h>
#include "convex_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

void xt_convex_options_default(xt_convex_options *copt)
{
    copt->form = XT_CONVEX_FORM_LAZY;
    copt->branch = XT_CONVEX_BRANCH_FIRST;
    copt->symmetry = 1;
    copt->rounds = 3;
    copt->probes = 4;
}

static int check_instance(const xt_instance_t inst, xt_error_t *err)
{
    if (inst->hidden < 1 || inst->hidden > XT_CONVEX_MAX_HIDDEN) {
        xt_error_set(err, "the convex solver needs between 1 and %d hidden "
                     "neurons (\"hidden K\" or --hidden K), the instance "
                     "has %d", XT_CONVEX_MAX_HIDDEN, inst->hidden);
        return XT_ERR_INPUT;
    }
    if (inst->m != 1 || inst->activation != XT_ACT_RELU) {
        xt_error_set(err, "the convex solver handles one output and "
                     "activation relu");
        return XT_ERR_INPUT;
    }
    if (!inst->convex) {
        xt_error_set(err, "the convex solver needs a convex instance: add "
                     "\"convex yes\" to the instance or pass --convex");
        return XT_ERR_INPUT;
    }
    if (!inst->has_target || mpq_sgn(inst->target) != 0) {
        xt_error_set(err, "the convex solver decides exact fitting only: "
                     "set \"target 0\" in the instance or pass --target 0");
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

static void free_search(xt_convex_search *s)
{
    free(s->eq);
    free(s->rows);
    xt_rat_array_free(s->theta, (size_t)s->dim);
    xt_rat_array_free(s->act, (size_t)s->n * (size_t)s->k);
    xt_rat_array_free(s->slack, (size_t)s->n);
    free(s->active);
    xt_rat_array_free(s->save_theta, (size_t)s->dim);
    xt_rat_array_free(s->save_act, (size_t)s->n * (size_t)s->k);
    xt_rat_array_free(s->save_slack, (size_t)s->n);
    free(s->save_active);
    for (int q = 0; q < s->nlevels && s->level_obj; q++)
        free(s->level_obj[q]);
    free(s->level_obj);
    free(s->ray_row);
    for (long r = 0; r < s->ray_cap; r++)
        mpq_clear(s->ray_val[r]);
    free(s->ray_val);
    xt_rat_array_free(s->coef, (size_t)s->coef_len);
    xt_lp_result_clear(s->lpres);
    mpq_clear(s->tmp);
}

/* Sets up the state; returns -1 when out of memory. */
static int init_search(xt_convex_search *s, const xt_instance_t inst,
                       const xt_solve_options *opt,
                       const xt_convex_options *copt,
                       xt_solve_result_struct *res)
{
    memset(s, 0, sizeof *s);
    s->inst = inst;
    s->opt = opt;
    s->copt = *copt;
    if (opt->naive)
        s->copt.symmetry = 0;
    s->res = res;
    s->d = inst->d;
    s->k = inst->hidden;
    s->n = inst->n;
    s->full = 1u << s->k;
    s->dim = s->k * (s->d + 1);
    s->bias_col = inst->output_bias ? s->dim++ : -1;
    s->start = xt_seconds();
    xt_lp_result_init(s->lpres);
    mpq_init(s->tmp);

    size_t n = (size_t)(s->n ? s->n : 1);
    s->coef_len = s->dim + (copt->form == XT_CONVEX_FORM_EXTENDED
                            ? (int)(s->n * s->k) : 0);
    s->nlevels = 2 * (s->dim + 3);
    s->eq = calloc((size_t)s->dim + 2, sizeof *s->eq);
    s->theta = xt_rat_array_new((size_t)s->dim);
    s->act = xt_rat_array_new(n * (size_t)s->k);
    s->slack = xt_rat_array_new(n);
    s->active = calloc(n, sizeof *s->active);
    if (s->copt.branch == XT_CONVEX_BRANCH_FEWEST) {
        s->save_theta = xt_rat_array_new((size_t)s->dim);
        s->save_act = xt_rat_array_new(n * (size_t)s->k);
        s->save_slack = xt_rat_array_new(n);
        s->save_active = calloc(n, sizeof *s->save_active);
        if (!s->save_theta || !s->save_act || !s->save_slack ||
            !s->save_active)
            return -1;
    }
    s->level_obj = calloc((size_t)s->nlevels, sizeof *s->level_obj);
    s->coef = xt_rat_array_new((size_t)s->coef_len);
    if (!s->eq || !s->theta || !s->act || !s->slack || !s->active ||
        !s->level_obj || !s->coef)
        return -1;
    return 0;
}

/* Without an output bias f >= 0, so a label below 0 cannot be met: the
 * root is a leaf whose ray is the single row (i, {}) reading 0 <= y_i.
 * Returns 1 when such a label exists. */
static int negative_label(xt_convex_search *s)
{
    if (s->bias_col >= 0)
        return 0;
    for (long i = 0; i < s->n; i++)
        if (mpq_sgn(s->inst->y[i]) < 0) {
            mpq_t one;
            mpq_init(one);
            mpq_set_ui(one, 1, 1);
            s->res->nodes = 1;
            if (s->writing_certificate) {
                long row = i * (long)s->full;
                xt_convex_certificate_leaf(&s->cert, 0, -1, 0, s->k, &row,
                                           (const mpq_t *)&one, 1);
            }
            mpq_clear(one);
            return 1;
        }
    return 0;
}

/* Turns the fitting theta into res->network and checks it exactly. */
static int take_network(xt_convex_search *s, xt_error_t *err)
{
    xt_solve_result_struct *res = s->res;
    int d = s->d, rc;
    rc = xt_network_resize(res->network, d, s->k, 1, err);
    if (rc != XT_OK)
        return rc;
    res->network->activation = XT_ACT_RELU;
    res->network->threshold_output = 0;
    res->network->has_output_bias = s->bias_col >= 0;
    for (int j = 0; j < s->k; j++) {
        for (int t = 0; t < d; t++)
            mpq_set(res->network->w[j * d + t], s->theta[j * (d + 1) + t]);
        mpq_set(res->network->b[j], s->theta[j * (d + 1) + d]);
        mpq_set_ui(res->network->a[j], 1, 1);
    }
    if (s->bias_col >= 0)
        mpq_set(res->network->c[0], s->theta[s->bias_col]);
    res->has_network = 1;

    rc = xt_network_conforms(res->network, s->inst, err);
    if (rc == XT_OK)
        rc = xt_network_loss(res->loss, NULL, res->network, s->inst,
                             s->inst->loss, err);
    if (rc == XT_OK && mpq_sgn(res->loss) != 0) {
        xt_error_set(err, "self-check failed: the network found by the "
                     "convex search does not fit every point exactly");
        rc = XT_ERR_INTERNAL;
    }
    if (rc != XT_OK && rc != XT_ERR_NOMEM)
        rc = XT_ERR_INTERNAL;
    return rc;
}

static void conclude(xt_convex_search *s)
{
    xt_solve_result_struct *res = s->res;
    res->patterns = res->nodes;
    if (s->found)
        res->status = XT_SOLVE_FEASIBLE;
    else if (s->stop)
        res->status = XT_SOLVE_UNKNOWN;
    else
        res->status = XT_SOLVE_INFEASIBLE;
}

static int run(xt_convex_search *s, xt_error_t *err)
{
    double t1 = xt_seconds();
    int rc = XT_OK;
    if (!negative_label(s))
        rc = xt_convex_search_run(s, err);
    s->res->seconds_solve = xt_seconds() - t1;
    if (rc == XT_OK && s->found)
        rc = take_network(s, err);
    if (rc == XT_OK)
        conclude(s);
    return rc;
}

int xt_convex_solve(xt_solve_result_t res, const xt_instance_t inst,
                    const xt_solve_options *opt,
                    const xt_convex_options *copt, xt_error_t *err)
{
    int rc = check_instance(inst, err);
    if (rc != XT_OK)
        return rc;
    res->method_name = "convex";
    xt_convex_search s;
    if (init_search(&s, inst, opt, copt, res)) {
        free_search(&s);
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    if (opt->certificate_path) {
        rc = xt_convex_certificate_open(&s.cert, opt->certificate_path,
                                        inst, err);
        s.writing_certificate = rc == XT_OK;
    }
    if (rc == XT_OK)
        rc = run(&s, err);
    if (s.writing_certificate) {
        const char *claim = rc != XT_OK ? "unknown"
                            : xt_solve_status_name(res->status);
        int crc = xt_convex_certificate_close(
            &s.cert, inst, claim, res->has_network ? res->network : NULL,
            err);
        if (rc == XT_OK)
            rc = crc;
    }
    res->seconds_total = xt_seconds() - s.start;
    free_search(&s);
    return rc;
}

int xt_solve_convex(xt_solve_result_t res, const xt_instance_t inst,
                    const xt_solve_options *opt, xt_error_t *err)
{
    xt_convex_options copt;
    xt_convex_options_default(&copt);
    return xt_convex_solve(res, inst, opt, &copt, err);
}
