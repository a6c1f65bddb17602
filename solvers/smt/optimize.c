/* Optimization with decisions: bisection on exact rationals.
 *
 * The search keeps a proven lower bound lo (0, or a target t for which
 * "loss <= t" was unsatisfiable, so the optimum exceeds t) and the best
 * verified network with exact loss U.  A network's loss is proven optimal
 * when "loss < U" is unsatisfiable.  Each satisfiable result is first
 * polished: for ReLU and linear units with fixed output weights, the
 * exact LP or QP of the network's activation pattern (xt_lp_solve) gives
 * the best network with that pattern, often the optimum itself, so the
 * next check asks for "loss < U".  Other results are only bisected,
 * because asking "loss < U" after each of them can creep down in tiny
 * steps.  When the enumeration solver
 * applies, its optimum is the first candidate, and Z3 then proves it
 * (or the run stops with an internal error when the two disagree).
 *
 * Losses that only take integer values (zero-one) are bisected on the
 * integers, which always closes. */
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

typedef struct {
    const xt_instance_struct *inst;
    const xt_solve_options *opt;
    const xt_smt_options_struct *smt;
    xt_solve_result_struct *res;
    xt_algebraic_network_struct *best;  /* best verified network */
    int has_best;
    xt_algebraic_t best_loss;
    int candidate;       /* best is a pattern optimum: try to prove it */
    mpq_t lo, hi;        /* lo <= optimum <= hi, hi >= best_loss */
    int closed;          /* the optimum equals best_loss */
    int stop;            /* limit or interrupt */
    long queries;
    double start;
} search;

/* Seconds left for one decision, or 0 for no limit; -1 when none left. */
static double time_left(const search *s)
{
    double left;

    if (s->opt->time_limit <= 0)
        return 0;
    left = s->opt->time_limit - (xt_seconds() - s->start);
    return left > 0.001 ? left : -1;
}

/* ------------------------------------------------------------ polishing */

/* Whether the pattern program applies to inst under the SMT options. */
static int can_polish(const search *s)
{
    const xt_instance_struct *inst = s->inst;

    return s->smt->polish && !s->smt->has_weight_bound &&
           !inst->has_architecture && inst->loss != XT_LOSS_ZERO_ONE &&
           inst->activation != XT_ACT_THRESHOLD &&
           (inst->m == 1 || inst->convex);
}

/* The activation pattern and output signs of a rational network. */
static unsigned char **pattern_of(const xt_network_t net,
                                  const xt_instance_t inst, int *sign)
{
    unsigned char **active = malloc((size_t)net->k * sizeof *active);
    mpq_t z, t;

    if (!active)
        abort();
    mpq_inits(z, t, NULL);
    for (int j = 0; j < net->k; j++) {
        active[j] = malloc((size_t)(inst->n > 0 ? inst->n : 1));
        if (!active[j])
            abort();
        for (long i = 0; i < inst->n; i++) {
            mpq_set(z, net->b[j]);
            for (int c = 0; c < net->d; c++) {
                mpq_mul(t, net->w[j * net->d + c], inst->x[i * inst->d + c]);
                mpq_add(z, z, t);
            }
            active[j][i] = mpq_sgn(z) > 0;
        }
        sign[j] = mpq_sgn(net->a[j]) < 0 ? -1 : 1;
    }
    mpq_clears(z, t, NULL);
    return active;
}

/* Reads the network from the solution x of the pattern program. */
static void network_from_program(xt_network_t out, const xt_instance_t inst,
                                 const mpq_t *x, const int *sign)
{
    int d = inst->d, k = inst->hidden;

    xt_network_resize(out, d, k, inst->m, NULL);
    out->activation = inst->activation;
    out->has_output_bias = inst->output_bias;
    for (int j = 0; j < k; j++) {
        for (int t = 0; t < d; t++)
            mpq_set(out->w[j * d + t], x[j * (d + 1) + t]);
        mpq_set(out->b[j], x[j * (d + 1) + d]);
        for (int o = 0; o < inst->m; o++)
            mpq_set_si(out->a[o * k + j], inst->convex ? 1 : sign[j], 1);
    }
    for (int o = 0; o < inst->m && inst->output_bias; o++)
        mpq_set(out->c[o], x[k * (d + 1) + o]);
}

/* Replaces net by the optimum of its pattern's program when that is
 * better, and sets *solved when the program was solved.  Returns XT_OK
 * also when it could not be. */
static int polish(search *s, xt_network_t net, mpq_t loss, int *solved,
                  xt_error_t *err)
{
    const xt_instance_struct *inst = s->inst;
    int k = inst->hidden, *sign = malloc((size_t)k * sizeof *sign), status;
    unsigned char **active;
    xt_prog p;
    xt_lp_t lp;
    xt_lp_result_t lpres;
    xt_network_t better;
    mpq_t value;

    if (!sign)
        abort();
    active = pattern_of(net, inst, sign);
    xt_prog_init(&p);
    status = xt_smt_pattern_program(&p, inst, inst->activation ==
                                    XT_ACT_RELU ? (const unsigned char *const
                                                   *)active : NULL,
                                    sign, err);
    xt_lp_result_init(lpres);
    xt_network_init(better);
    mpq_init(value);
    if (status == XT_OK) {
        xt_prog_to_lp(lp, &p);
        status = xt_lp_solve(lpres, lp, err);
        xt_lp_clear(lp);
        s->res->subproblems++;
    }
    *solved = status == XT_OK && lpres->status == XT_LP_OPTIMAL;
    if (*solved) {
        network_from_program(better, inst, (const mpq_t *)lpres->x, sign);
        status = xt_network_loss(value, NULL, better, inst, inst->loss, err);
        if (status == XT_OK && mpq_cmp(value, lpres->value) != 0) {
            xt_error_set(err, "self-check failed: a pattern program's "
                         "optimum differs from its network's exact loss");
            status = XT_ERR_INTERNAL;
        }
        if (status == XT_OK && mpq_cmp(value, loss) < 0) {
            xt_network_set(net, better);
            mpq_set(loss, value);
        }
    } else if (status != XT_ERR_INTERNAL) {
        xt_log(2, "smt: polishing skipped: %s\n", status == XT_OK ?
               "the pattern program has no optimum" : err->message);
        status = XT_OK;
    }
    mpq_clear(value);
    xt_network_clear(better);
    xt_lp_result_clear(lpres);
    xt_prog_clear(&p);
    for (int j = 0; j < k; j++)
        free(active[j]);
    free(active);
    free(sign);
    return status;
}

/* ------------------------------------------------------- best network */

/* Records a verified network with exact loss; polishes rational ones and
 * updates hi. */
static int take_network(search *s, const xt_algebraic_network_t net,
                        const xt_algebraic_t loss, xt_error_t *err)
{
    xt_network_t q;
    mpq_t value;
    int status = XT_OK, first = !s->has_best;

    xt_network_init(q);
    mpq_init(value);
    if (xt_algebraic_get_q(value, loss) &&
        xt_algebraic_network_get_network(q, net, NULL) == XT_OK) {
        int polished = 0;
        if (can_polish(s))
            status = polish(s, q, value, &polished, err);
        if (status == XT_OK && (!s->has_best ||
                                xt_algebraic_cmp_q(s->best_loss, value) > 0)) {
            xt_algebraic_network_set_network(s->best, q);
            xt_algebraic_set_q(s->best_loss, value);
            s->has_best = 1;
            s->candidate = polished;
        }
    } else if (!s->has_best || xt_algebraic_cmp(s->best_loss, loss) > 0) {
        xt_algebraic_network_set(s->best, net);
        xt_algebraic_set(s->best_loss, loss);
        s->has_best = 1;
    }
    /* hi: the exact loss, or a rational just above an irrational one */
    if (status == XT_OK) {
        xt_algebraic_t u;
        xt_algebraic_init(u);
        xt_algebraic_set(u, s->best_loss);
        xt_algebraic_refine(u, 64);
        if (first || mpq_cmp(u->hi, s->hi) < 0)
            mpq_set(s->hi, u->hi);
        xt_algebraic_clear(u);
    }
    mpq_clear(value);
    xt_network_clear(q);
    return status;
}

/* The trivial network: every weight 0 (output weights 1). */
static int start_from_zero(search *s, xt_error_t *err)
{
    xt_network_t zero;
    xt_algebraic_network_t net;
    xt_algebraic_t loss;
    mpq_t value;
    int status;

    xt_network_init(zero);
    xt_algebraic_network_init(net);
    xt_algebraic_init(loss);
    mpq_init(value);
    status = xt_network_resize(zero, s->inst->d, s->inst->hidden,
                               s->inst->m, err);
    if (status == XT_OK) {
        zero->activation = s->inst->activation;
        zero->has_output_bias = s->inst->output_bias;
        for (long i = 0; i < (long)zero->m * zero->k; i++)
            mpq_set_ui(zero->a[i], 1, 1);
        status = xt_network_loss(value, NULL, zero, s->inst, s->inst->loss,
                                 err);
    }
    if (status == XT_OK) {
        xt_algebraic_set_q(loss, value);
        xt_algebraic_network_set_network(net, zero);
        status = take_network(s, net, loss, err);
    }
    mpq_clear(value);
    xt_algebraic_clear(loss);
    xt_algebraic_network_clear(net);
    xt_network_clear(zero);
    return status;
}

/* Whether the enumeration solver handles inst (it checks again). */
static int enum_applies(const search *s)
{
    const xt_instance_struct *inst = s->inst;

    return s->smt->use_enum_bound && !s->smt->has_weight_bound &&
           !inst->has_architecture && inst->m == 1 &&
           inst->activation == XT_ACT_RELU &&
           inst->loss != XT_LOSS_ZERO_ONE;
}

/* Takes the enumeration solver's optimum as the first candidate. */
static int start_from_enum(search *s, xt_error_t *err)
{
    xt_solve_result_t er;
    xt_solve_options eo = *s->opt;
    xt_algebraic_network_t net;
    xt_algebraic_t loss;
    xt_error_t local;
    int status;

    xt_solve_result_init(er);
    xt_algebraic_network_init(net);
    xt_algebraic_init(loss);
    /* only optimization runs this: the instance has no target */
    eo.certificate_path = NULL;
    eo.time_limit = s->opt->time_limit > 0 ? s->opt->time_limit / 2 : 0;
    status = xt_solve_enum(er, s->inst, &eo, &local);
    if (status == XT_OK && er->status == XT_SOLVE_OPTIMAL &&
        er->has_network) {
        xt_algebraic_network_set_network(net, er->network);
        xt_algebraic_set_q(loss, er->loss);
        status = take_network(s, net, loss, err);
        s->candidate = 1;
        char *text = xt_rat_to_string(er->loss);
        xt_log(2, "smt: the enumeration solver's optimum is %s\n",
               text ? text : "?");
        free(text);
    } else {
        xt_log(2, "smt: no enumeration bound (%s)\n",
               status == XT_OK ? "no optimum within the limit"
                               : local.message);
        status = XT_OK;
    }
    xt_algebraic_clear(loss);
    xt_algebraic_network_clear(net);
    xt_solve_result_clear(er);
    return status;
}

/* ------------------------------------------------------------ queries */

/* Seconds for the next decision: a third of what is left, so that a
 * check Z3 cannot finish leaves time for easier ones; 0 for no limit. */
static double query_budget(const search *s)
{
    double left = time_left(s);

    if (left <= 0)
        return left;
    return left / 3 > 0.5 ? left / 3 : left;
}

/* Asks whether loss <= t (< when strict), updates the search and stores
 * Z3's result in *answer.  With no time left it sets s->stop and stores
 * XT_SMT_UNKNOWN. */
static int query(search *s, const mpq_t t, int strict, xt_smt_status *answer,
                 xt_error_t *err)
{
    xt_smt_answer_t ans;
    xt_algebraic_t target;
    double budget = query_budget(s);
    int status = XT_OK;

    *answer = XT_SMT_UNKNOWN;
    if (budget < 0 || xt_interrupted()) {
        s->stop = 1;
        s->res->time_limit_reached = budget < 0;
        s->res->interrupted = xt_interrupted();
        return XT_OK;
    }
    xt_smt_answer_init(ans);
    xt_algebraic_init(target);
    xt_algebraic_set_q(target, t);
    status = xt_smt_decide(ans, s->inst, target, strict, s->smt, budget,
                           err);
    s->queries++;
    s->res->subproblems++;
    *answer = ans->status;
    if (status == XT_OK && ans->status == XT_SMT_SAT)
        status = take_network(s, ans->network, ans->loss->loss, err);
    if (status == XT_OK && ans->status == XT_SMT_UNSAT) {
        s->res->infeasible++;
        if (mpq_cmp(t, s->lo) > 0)
            mpq_set(s->lo, t);
        if (strict && s->has_best &&
            xt_algebraic_cmp_q(s->best_loss, t) == 0)
            s->closed = 1;
    }
    if (status == XT_OK && ans->status == XT_SMT_UNKNOWN) {
        s->res->interrupted |= ans->interrupted;
        s->stop |= ans->interrupted || time_left(s) < 0;
        s->res->time_limit_reached |= time_left(s) < 0;
        xt_log(2, "smt: Z3 answered unknown (%s)\n", ans->reason);
    }
    xt_algebraic_clear(target);
    xt_smt_answer_clear(ans);
    return status;
}

/* Whether hi - lo is below the requested gap. */
static int gap_closed(const search *s)
{
    mpq_t gap, tol;
    int done;

    mpq_inits(gap, tol, NULL);
    mpq_sub(gap, s->hi, s->lo);
    mpq_set_ui(tol, 1, 1);
    if (mpq_cmp(s->hi, tol) > 0)
        mpq_set(tol, s->hi);
    mpz_mul_2exp(mpq_denref(tol), mpq_denref(tol),
                 (mp_bitcnt_t)s->smt->gap_bits);
    mpq_canonicalize(tol);
    done = mpq_cmp(gap, tol) <= 0;
    mpq_clears(gap, tol, NULL);
    return done;
}

/* A probe between a and b (a < b): the simplest rational in the middle
 * half of the interval, so that bounds stay short numbers. */
static void midpoint(mpq_t mid, const mpq_t a, const mpq_t b)
{
    mpq_t quarter, lo, hi;

    mpq_inits(quarter, lo, hi, NULL);
    mpq_sub(quarter, b, a);
    mpz_mul_2exp(mpq_denref(quarter), mpq_denref(quarter), 2);
    mpq_canonicalize(quarter);
    mpq_add(lo, a, quarter);
    mpq_sub(hi, b, quarter);
    xt_simplest_rational(mid, lo, hi);
    mpq_clears(quarter, lo, hi, NULL);
}

/* The bisection loop for losses with real values.  The probe lies in the
 * middle of [lo, hi].  After an unknown result it moves halfway to lo,
 * where "loss <= probe" is further from the optimum and easier to
 * refute. */
static int bisect(search *s, xt_error_t *err)
{
    mpq_t tried, probe, best;
    int status = XT_OK, probe_set = 0;
    xt_smt_status answer;

    mpq_inits(tried, probe, best, NULL);
    mpq_set_si(tried, -1, 1);
    while (status == XT_OK && !s->closed && !s->stop &&
           s->queries < s->smt->max_queries) {
        if (s->candidate && xt_algebraic_get_q(best, s->best_loss) &&
            !mpq_equal(best, tried)) {
            /* try to prove the best network optimal */
            mpq_set(tried, best);
            status = query(s, best, 1, &answer, err);
            continue;
        }
        if (gap_closed(s))
            break;
        if (!probe_set || mpq_cmp(probe, s->lo) <= 0 ||
            mpq_cmp(probe, s->hi) >= 0)
            midpoint(probe, s->lo, s->hi);
        status = query(s, probe, 0, &answer, err);
        probe_set = answer == XT_SMT_UNKNOWN;
        if (probe_set)
            midpoint(probe, s->lo, probe);
    }
    mpq_clears(tried, probe, best, NULL);
    return status;
}

/* Bisection on the integers for the zero-one loss: lo rises to p + 1
 * when "loss <= p" is unsatisfiable.  An unknown answer ends it. */
static int bisect_integer(search *s, xt_error_t *err)
{
    mpq_t mid, one;
    int status = XT_OK;
    xt_smt_status answer = XT_SMT_SAT;

    mpq_inits(mid, one, NULL);
    mpq_set_ui(one, 1, 1);
    while (status == XT_OK && !s->closed && !s->stop &&
           answer != XT_SMT_UNKNOWN && s->queries < s->smt->max_queries) {
        if (mpq_cmp(s->lo, s->hi) >= 0) {
            s->closed = 1;
            break;
        }
        mpq_add(mid, s->lo, s->hi);
        mpz_fdiv_q_2exp(mpq_numref(mid), mpq_numref(mid), 1);
        mpq_canonicalize(mid);
        status = query(s, mid, 0, &answer, err);
        if (status == XT_OK && answer == XT_SMT_UNSAT)
            mpq_add(s->lo, mid, one);   /* integer loss: above mid */
    }
    mpq_clears(mid, one, NULL);
    return status;
}

/* ------------------------------------------------------------ results */

/* A rational network near an irrational best one, for res->network: the
 * simplest rationals in ever narrower isolating intervals, until the
 * loss is within 2^-20 of hi or 1024 bits are reached. */
static void rational_near(search *s, xt_error_t *err)
{
    xt_algebraic_network_t copy;
    xt_network_t q;
    mpq_t loss, slack;

    xt_algebraic_network_init(copy);
    xt_network_init(q);
    mpq_inits(loss, slack, NULL);
    for (long bits = 32; bits <= 1024; bits *= 2) {
        xt_algebraic_network_set(copy, s->best);
        xt_algebraic_network_round(copy, bits);
        if (xt_algebraic_network_get_network(q, copy, err) != XT_OK ||
            xt_network_loss(loss, NULL, q, s->inst, s->inst->loss, err))
            break;
        mpq_sub(slack, loss, s->hi);
        mpz_mul_2exp(mpq_numref(slack), mpq_numref(slack), 20);
        mpq_canonicalize(slack);
        if (!s->res->has_network || mpq_cmp(loss, s->res->loss) < 0) {
            xt_network_set(s->res->network, q);
            mpq_set(s->res->loss, loss);
            s->res->has_network = 1;
        }
        if (mpq_cmp_ui(slack, 1, 1) <= 0)
            break;
    }
    mpq_clears(loss, slack, NULL);
    xt_network_clear(q);
    xt_algebraic_network_clear(copy);
}

static void fill_result(search *s, xt_error_t *err)
{
    xt_solve_result_struct *res = s->res;
    mpq_t value;

    mpq_init(value);
    if (xt_algebraic_get_q(value, s->best_loss) &&
        xt_algebraic_network_get_network(res->network, s->best, NULL) ==
            XT_OK) {
        mpq_set(res->loss, value);
        res->has_network = 1;
    } else if (s->has_best) {
        rational_near(s, err);
    }
    res->has_lower = 1;
    mpq_set(res->lower, s->closed ? value : s->lo);
    res->status = s->closed ? XT_SOLVE_OPTIMAL : XT_SOLVE_UNKNOWN;
    mpq_clear(value);
}

/* Looks for a rational network that meets the target near an algebraic
 * one (it exists when the target is met with slack and the loss is
 * continuous there); res->network receives it when found. */
static void round_to_target(search *s, const xt_algebraic_network_t net)
{
    xt_algebraic_network_t copy;
    xt_network_t q;
    mpq_t loss;

    xt_algebraic_network_init(copy);
    xt_network_init(q);
    mpq_init(loss);
    for (long bits = 32; bits <= 1024 && !s->res->has_network; bits *= 2) {
        xt_algebraic_network_set(copy, net);
        xt_algebraic_network_round(copy, bits);
        if (xt_algebraic_network_get_network(q, copy, NULL) != XT_OK ||
            xt_network_loss(loss, NULL, q, s->inst, s->inst->loss, NULL))
            break;
        if (mpq_cmp(loss, s->inst->target) <= 0) {
            xt_network_set(s->res->network, q);
            mpq_set(s->res->loss, loss);
            s->res->has_network = 1;
        }
    }
    mpq_clear(loss);
    xt_network_clear(q);
    xt_algebraic_network_clear(copy);
}

/* The decision problem: one query against the instance's target. */
static int decide_target(search *s, xt_error_t *err)
{
    xt_smt_answer_t ans;
    xt_algebraic_t target;
    int status;

    xt_smt_answer_init(ans);
    xt_algebraic_init(target);
    xt_algebraic_set_q(target, s->inst->target);
    status = xt_smt_decide(ans, s->inst, target, 0, s->smt,
                           s->opt->time_limit, err);
    s->res->subproblems = 1;
    if (status == XT_OK && ans->status == XT_SMT_SAT) {
        s->res->status = XT_SOLVE_FEASIBLE;
        xt_algebraic_network_set(s->best, ans->network);
        xt_algebraic_set(s->best_loss, ans->loss->loss);
        s->has_best = 1;
        mpq_set(s->hi, s->inst->target);
        if (xt_algebraic_network_get_network(s->res->network, ans->network,
                                             NULL) == XT_OK &&
            xt_algebraic_get_q(s->res->loss, ans->loss->loss))
            s->res->has_network = 1;
        else
            round_to_target(s, ans->network);
    } else if (status == XT_OK && ans->status == XT_SMT_UNSAT) {
        s->res->status = XT_SOLVE_INFEASIBLE;
        s->res->infeasible = 1;
    } else if (status == XT_OK) {
        s->res->status = XT_SOLVE_UNKNOWN;
        s->res->time_limit_reached = ans->time_limit_reached;
        s->res->interrupted = ans->interrupted;
    }
    xt_algebraic_clear(target);
    xt_smt_answer_clear(ans);
    return status;
}

static void search_init(search *s, xt_solve_result_t res,
                        xt_algebraic_network_t best,
                        const xt_instance_t inst, const xt_solve_options *opt,
                        const xt_smt_options_t smt)
{
    memset(s, 0, sizeof *s);
    s->inst = inst;
    s->opt = opt;
    s->smt = smt;
    s->res = res;
    s->best = best;
    xt_algebraic_init(s->best_loss);
    mpq_inits(s->lo, s->hi, NULL);
    s->start = xt_seconds();
}

static void search_clear(search *s)
{
    xt_algebraic_clear(s->best_loss);
    mpq_clears(s->lo, s->hi, NULL);
}

/* Finds the first network and runs the bisection. */
static int optimize(search *s, xt_error_t *err)
{
    int status = XT_OK;

    if (enum_applies(s))
        status = start_from_enum(s, err);
    if (status == XT_OK && !s->has_best)
        status = start_from_zero(s, err);
    if (status != XT_OK)
        return status;
    if (s->inst->loss == XT_LOSS_ZERO_ONE)
        status = bisect_integer(s, err);
    else
        status = bisect(s, err);
    if (status == XT_OK)
        fill_result(s, err);
    return status;
}

int xt_smt_solve(xt_solve_result_t res, xt_algebraic_network_t best,
                 const xt_instance_t inst, const xt_solve_options *opt,
                 const xt_smt_options_t smt, xt_error_t *err)
{
    xt_algebraic_network_t local;
    search s;
    int status;

    res->method_name = "smt";
    res->status = XT_SOLVE_UNKNOWN;
    res->has_network = 0;
    res->has_lower = 0;
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
        return XT_ERR_INPUT;
    }
    if (opt->certificate_path) {
        xt_error_set(err, "the SMT method writes no certificate: xtrain "
                     "cannot check Z3's proofs of unsatisfiability (use "
                     "--method enum for a certificate)");
        return XT_ERR_INPUT;
    }
    xt_algebraic_network_init(local);
    search_init(&s, res, best ? best : local, inst, opt, smt);
    if (inst->has_target)
        status = decide_target(&s, err);
    else
        status = optimize(&s, err);
    res->seconds_solve = res->seconds_total = xt_seconds() - s.start;
    search_clear(&s);
    xt_algebraic_network_clear(local);
    return status;
}

/* Logs a network that only algebraic weights fit, because the result
 * of xt_solve has room for rational networks only. */
static void log_algebraic(const xt_algebraic_network_t net)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);

    if (!f)
        return;
    xt_algebraic_network_write(f, net);
    if (fclose(f) == 0)
        xt_log(1, "smt: the target is met by this network with irrational "
               "weights, and by no rational network near it:\n%s", text);
    free(text);
}

int xt_solve_smt(xt_solve_result_t res, const xt_instance_t inst,
                 const xt_solve_options *opt, xt_error_t *err)
{
    xt_smt_options_t smt;
    xt_algebraic_network_t best;
    int status;

    xt_smt_options_init(smt);
    xt_algebraic_network_init(best);
    status = xt_smt_solve(res, best, inst, opt, smt, err);
    if (status == XT_OK && res->status == XT_SOLVE_FEASIBLE &&
        !res->has_network && xt_algebraic_network_irrational(best) > 0)
        log_algebraic(best);
    xt_algebraic_network_clear(best);
    xt_smt_options_clear(smt);
    return status;
}
