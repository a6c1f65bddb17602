/* The verifier of the ETR-AMI reduction: both sides decided exactly and
 * independently by Z3 (nlsat on the source system, the SMT backend on the
 * training instance), the decisions compared, every forward network and
 * every network Z3 returns checked exactly.
 *
 * Per system, the verifier maps it and checks the size formulas and the
 * architecture, then decides it.  It maps Z3's solution and the planted
 * one forward, checks the network's loss exactly (MPFR intervals, then
 * Z3's algebraic numbers) and checks that the backward map returns the
 * same solution.  It decides the training instance, maps the network Z3
 * returns back, and also copies of it with rescaled neurons and shifted
 * biases (other zero-error networks), checking each solution exactly.
 * Finally the two decisions must agree.  NO is concluded only from Z3's
 * proof that the training formula is unsatisfiable. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "etrami_internal.h"
#include "xtrain/log.h"

void xt_etrami_verify_options_init(xt_etrami_verify_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->seed = 1;
    opt->count = 30;
    opt->min_size = 1;
    opt->max_size = 5;
    opt->time_limit = 60;
    opt->variants = 2;
}

void xt_etrami_report_init(xt_etrami_report_t rep)
{
    memset(rep, 0, sizeof *rep);
    xt_etrami_init(rep->failure);
    rep->failure_index = -1;
}

void xt_etrami_report_clear(xt_etrami_report_t rep)
{
    xt_etrami_clear(rep->failure);
}

/* State of one system's verification. */
typedef struct {
    xt_etrami_report_struct *rep;
    const xt_etrami_verify_options *opt;
    const xt_etrami_struct *sys;
    xt_instance_t inst;
    xt_algebraic_t zero;
    xt_etrami_row row;
    char message[XT_ERROR_MAX];
} session;

static void failure(session *s, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Counts a failed check; the first message of the system is kept. */
static void failure(session *s, const char *format, ...)
{
    va_list args;

    if (s->row.failures++ == 0) {
        va_start(args, format);
        vsnprintf(s->message, sizeof s->message, format, args);
        va_end(args);
    }
    s->rep->failures++;
}

/* ------------------------------------------------------- size checks */

/* Checks that every input feeds exactly one neuron and every neuron both
 * outputs, the shape the proof relies on. */
static void check_shape(session *s)
{
    const xt_instance_struct *inst = s->inst;

    if (!inst->has_architecture) {
        failure(s, "the training instance has no architecture");
        return;
    }
    for (int t = 0; t < inst->d; t++) {
        int feeds = 0;
        for (int j = 0; j < inst->hidden; j++)
            feeds += xt_instance_input_edge(inst, j, t);
        if (feeds != 1)
            failure(s, "input %d feeds %d neurons, expected 1", t + 1,
                    feeds);
    }
    for (int j = 0; j < inst->hidden; j++)
        for (int o = 0; o < inst->m; o++)
            if (!xt_instance_output_edge(inst, o, j))
                failure(s, "neuron %d does not feed output %d", j + 1,
                        o + 1);
}

static int check_sizes(session *s, xt_error_t *err)
{
    const char *formulas[3] = {xt_etrami_points_formula,
                               xt_etrami_inputs_formula,
                               xt_etrami_hidden_formula};
    long *declared[3] = {&s->row.formula_points, &s->row.formula_inputs,
                         &s->row.formula_hidden};
    const char *what[3] = {"points", "inputs", "hidden neurons"};

    xt_etrami_sizes(s->row.sizes, s->sys);
    s->row.points = s->inst->n;
    s->row.inputs = s->inst->d;
    s->row.hidden = s->inst->hidden;
    long actual[3] = {s->row.points, s->row.inputs, s->row.hidden};
    for (int f = 0; f < 3; f++) {
        if (xt_formula_eval(declared[f], formulas[f], xt_etrami_size_names,
                            s->row.sizes, XT_ETRAMI_SIZES, err) != XT_OK)
            return XT_ERR_INTERNAL;
        if (*declared[f] != actual[f])
            failure(s, "size formula for %s gives %ld, the instance has "
                    "%ld", what[f], *declared[f], actual[f]);
    }
    s->rep->size_checks++;
    check_shape(s);
    return XT_OK;
}

/* ---------------------------------------------------- forward checks */

/* Checks that a solution maps to a conforming network with exact loss 0
 * and that the backward map returns the solution. */
static int check_forward(session *s, const xt_etrami_solution_t sol,
                         const char *which, xt_error_t *err)
{
    xt_algebraic_network_t net;
    xt_algebraic_loss_t loss;
    xt_etrami_solution_t back;
    xt_error_t why;
    int status;

    xt_algebraic_network_init(net);
    xt_algebraic_loss_init(loss);
    xt_etrami_solution_init(back);
    status = xt_etrami_forward(net, s->sys, sol, err);
    if (status == XT_OK && xt_etrami_network_conforms(net, s->inst, &why))
        failure(s, "forward map of the %s solution: %s", which, why.message);
    if (status == XT_OK)
        status = xt_algebraic_network_loss(loss, net, s->inst, XT_LOSS_L2,
                                           s->zero, 0, err);
    if (status == XT_OK) {
        s->rep->forward_checks++;
        if (!loss->exact || !loss->meets_target ||
            xt_algebraic_cmp_q(loss->loss, s->zero->lo) != 0)
            failure(s, "forward map of the %s solution: the network's loss "
                    "is not exactly 0", which);
        status = xt_etrami_backward(back, s->sys, net, err);
    }
    if (status == XT_OK) {
        s->rep->round_trips++;
        for (int v = 0; v < sol->n; v++)
            if (xt_algebraic_cmp(&back->value[v], &sol->value[v]) != 0) {
                failure(s, "backward map of the forward network of the %s "
                        "solution changes x%d", which, v);
                break;
            }
    }
    xt_etrami_solution_clear(back);
    xt_algebraic_loss_clear(loss);
    xt_algebraic_network_clear(net);
    return status;
}

/* --------------------------------------------------- backward checks */

/* Maps net back and checks the solution exactly. */
static int check_backward(session *s, const xt_algebraic_network_t net,
                          const char *which, xt_error_t *err)
{
    xt_etrami_solution_t sol;
    xt_error_t why;
    int holds = 0, failed = -1, status;

    if (xt_etrami_network_conforms(net, s->inst, &why) != XT_OK) {
        failure(s, "%s does not fit the architecture: %s", which,
                why.message);
        return XT_OK;
    }
    xt_etrami_solution_init(sol);
    status = xt_etrami_backward(sol, s->sys, net, err);
    if (status == XT_OK)
        status = xt_etrami_check(&holds, &failed, s->sys, sol, err);
    if (status == XT_OK) {
        s->rep->backward_checks++;
        if (!holds)
            failure(s, "backward map of %s violates constraint %d", which,
                    failed + 1);
    }
    xt_etrami_solution_clear(sol);
    return status;
}

/* Multiplies every weight of neuron j by scale and its output weights by
 * 1 / scale, then adds shift to its bias and compensates in the output
 * bias: f is unchanged for linear units. */
static int transform_neuron(Z3_context c, xt_algebraic_network_t net, int j,
                            const mpq_t scale, const mpq_t shift,
                            xt_error_t *err)
{
    mpq_t inv;
    Z3_ast zs, zi, zt, v;
    int status = XT_OK;

    mpq_init(inv);
    mpq_inv(inv, scale);
    zs = xt_z3_mk_rational(c, scale);
    zi = xt_z3_mk_rational(c, inv);
    zt = xt_z3_mk_rational(c, shift);
    mpq_clear(inv);
    for (int t = 0; t <= net->d && status == XT_OK; t++) {
        xt_algebraic_struct *w = t < net->d ? &net->w[(long)j * net->d + t]
                                            : &net->b[j];
        v = xt_z3_mk_algebraic(c, w, err);
        if (!v)
            return XT_ERR_INTERNAL;
        v = Z3_algebraic_mul(c, v, zs);
        if (t == net->d)
            v = Z3_algebraic_add(c, v, zt);
        status = xt_z3_get_algebraic(w, c, v, err);
    }
    for (int o = 0; o < net->m && status == XT_OK; o++) {
        xt_algebraic_struct *a = &net->a[o * net->k + j];
        Z3_ast za = xt_z3_mk_algebraic(c, a, err), zc;
        if (!za)
            return XT_ERR_INTERNAL;
        za = Z3_algebraic_mul(c, za, zi);
        status = xt_z3_get_algebraic(a, c, za, err);
        zc = status == XT_OK ? xt_z3_mk_algebraic(c, &net->c[o], err) : NULL;
        if (status == XT_OK && !zc)
            return XT_ERR_INTERNAL;
        if (status == XT_OK)
            status = xt_z3_get_algebraic(&net->c[o], c, Z3_algebraic_sub(
                                             c, zc, Z3_algebraic_mul(c, za,
                                                                     zt)),
                                         err);
    }
    return status;
}

/* Makes variant number var of net (var >= 1): neuron j scaled by
 * (-1)^(j + var) (j + var + 1) / (var + 1) and its bias shifted by
 * (var j) / 3. */
static int make_variant(xt_algebraic_network_t out,
                        const xt_algebraic_network_t net, int var,
                        xt_error_t *err)
{
    Z3_context c = xt_z3_context_new();
    mpq_t scale, shift;
    int status = xt_algebraic_network_set(out, net);

    if (!c) {
        xt_error_set(err, "cannot create a Z3 context");
        return XT_ERR_INTERNAL;
    }
    mpq_inits(scale, shift, NULL);
    out->has_output_bias = 1;
    for (int j = 0; j < out->k && status == XT_OK; j++) {
        mpq_set_si(scale, ((j + var) % 2 ? -1 : 1) * (long)(j + var + 1),
                   (unsigned long)(var + 1));
        mpq_canonicalize(scale);
        mpq_set_si(shift, (long)var * j, 3);
        mpq_canonicalize(shift);
        status = transform_neuron(c, out, j, scale, shift, err);
    }
    mpq_clears(scale, shift, NULL);
    xt_z3_context_free(c);
    return status;
}

/* Checks Z3's network and its variants. */
static int check_training_networks(session *s,
                                   const xt_algebraic_network_t net,
                                   xt_error_t *err)
{
    xt_algebraic_network_t variant;
    xt_algebraic_loss_t loss;
    int status = check_backward(s, net, "the network Z3 returned", err);

    xt_algebraic_network_init(variant);
    xt_algebraic_loss_init(loss);
    for (int v = 1; v <= s->opt->variants && status == XT_OK; v++) {
        char which[64];
        snprintf(which, sizeof which, "variant %d of Z3's network", v);
        status = make_variant(variant, net, v, err);
        if (status == XT_OK)
            status = xt_algebraic_network_loss(loss, variant, s->inst,
                                               XT_LOSS_L2, s->zero, 0, err);
        if (status == XT_OK && (!loss->exact || !loss->meets_target)) {
            failure(s, "%s does not have zero error", which);
            continue;
        }
        if (status == XT_OK)
            status = check_backward(s, variant, which, err);
    }
    xt_algebraic_loss_clear(loss);
    xt_algebraic_network_clear(variant);
    return status;
}

/* ---------------------------------------------------------- decisions */

static const char *status_name(xt_etrami_status st)
{
    return st == XT_ETRAMI_SAT ? "YES" : st == XT_ETRAMI_UNSAT ? "NO"
                                                               : "unknown";
}

/* Decides the source system; checks the forward maps of its solution
 * and of the planted one. */
static int decide_source(session *s, const xt_etrami_solution_t planted,
                         xt_error_t *err)
{
    xt_etrami_solution_t sol;
    double start = xt_seconds();
    int status, holds = 0, failed = -1;

    xt_etrami_solution_init(sol);
    status = xt_etrami_solve(&s->row.source, sol, s->sys,
                             s->opt->time_limit, err);
    s->row.source_seconds = xt_seconds() - start;
    s->rep->source_seconds += s->row.source_seconds;
    if (status == XT_OK && s->row.source == XT_ETRAMI_SAT) {
        s->rep->source_checks++;
        s->row.irrational = xt_etrami_solution_irrational(sol);
        s->rep->irrational_solutions += s->row.irrational > 0;
        status = check_forward(s, sol, "Z3", err);
    }
    if (status == XT_OK && planted && planted->n > 0) {
        s->rep->planted++;
        status = xt_etrami_check(&holds, &failed, s->sys, planted, err);
        if (status == XT_OK && !holds)
            failure(s, "the planted solution violates constraint %d",
                    failed + 1);
        if (status == XT_OK && s->row.source == XT_ETRAMI_UNSAT)
            failure(s, "Z3 finds no solution, but one is planted");
        if (status == XT_OK)
            status = check_forward(s, planted, "planted", err);
    }
    xt_etrami_solution_clear(sol);
    return status;
}

/* Decides the training instance and checks the network Z3 returns. */
static int decide_training(session *s, xt_error_t *err)
{
    xt_smt_answer_t ans;
    xt_smt_options_t smt;
    int status;

    xt_smt_answer_init(ans);
    xt_smt_options_init(smt);
    status = xt_smt_decide(ans, s->inst, s->zero, 0, smt,
                           s->opt->time_limit, err);
    s->row.training_seconds = ans->seconds;
    s->rep->training_seconds += ans->seconds;
    s->row.training = ans->status == XT_SMT_SAT ? XT_ETRAMI_SAT
                      : ans->status == XT_SMT_UNSAT ? XT_ETRAMI_UNSAT
                                                    : XT_ETRAMI_UNKNOWN;
    if (status == XT_OK && ans->status == XT_SMT_SAT)
        status = check_training_networks(s, ans->network, err);
    xt_smt_options_clear(smt);
    xt_smt_answer_clear(ans);
    return status;
}

/* Compares the two decisions and counts the result. */
static void compare_decisions(session *s)
{
    xt_etrami_status a = s->row.source, b = s->row.training;

    if (a == XT_ETRAMI_UNKNOWN || b == XT_ETRAMI_UNKNOWN) {
        s->rep->undecided++;
        return;
    }
    if (a != b) {
        failure(s, "the decisions disagree: the system is %s, the training "
                "instance %s", status_name(a), status_name(b));
        return;
    }
    s->rep->agreements++;
    if (a == XT_ETRAMI_SAT)
        s->rep->yes++;
    else
        s->rep->no++;
}

/* Keeps sys as the failure when it is the smallest so far. */
static void record_failure(session *s, long index)
{
    xt_etrami_report_struct *rep = s->rep;
    const xt_etrami_struct *sys = s->sys;

    rep->failed_systems++;
    if (rep->has_failure &&
        (sys->nvars > rep->failure->nvars ||
         (sys->nvars == rep->failure->nvars &&
          sys->count >= rep->failure->count)))
        return;
    if (xt_etrami_set(rep->failure, sys) != XT_OK)
        return;
    rep->has_failure = 1;
    rep->failure_index = index;
    snprintf(rep->failure_message, sizeof rep->failure_message, "%s",
             s->message);
}

int xt_etrami_verify_system(xt_etrami_report_t rep, const xt_etrami_t sys,
                            const xt_etrami_solution_t planted,
                            xt_etrami_plant plant, long index,
                            const xt_etrami_verify_options *opt,
                            xt_error_t *err)
{
    session s;
    int status;

    memset(&s, 0, sizeof s);
    s.rep = rep;
    s.opt = opt;
    s.sys = sys;
    s.row.index = index;
    s.row.plant = plant;
    s.row.source = s.row.training = XT_ETRAMI_UNKNOWN;
    xt_instance_init(s.inst);
    xt_algebraic_init(s.zero);
    rep->systems++;
    status = xt_etrami_map(s.inst, sys, err);
    if (status == XT_OK)
        status = check_sizes(&s, err);
    if (status == XT_OK)
        status = decide_source(&s, planted, err);
    if (status == XT_OK)
        status = decide_training(&s, err);
    if (status == XT_OK)
        compare_decisions(&s);
    if (status == XT_OK && s.row.failures > 0)
        record_failure(&s, index);
    if (status == XT_OK && opt->on_system)
        opt->on_system(opt->data, &s.row);
    xt_algebraic_clear(s.zero);
    xt_instance_clear(s.inst);
    return status;
}

/* --------------------------------------------------------- the drivers */

/* Verifies random system i. */
static int verify_random(xt_etrami_report_t rep, long i,
                         const xt_etrami_verify_options *opt,
                         xt_error_t *err)
{
    uint64_t rng = opt->seed + (uint64_t)i;
    int span = opt->max_size - opt->min_size + 1;
    int size = opt->min_size + (int)xt_rng_below(&rng, span > 0 ? span : 1);
    xt_etrami_plant plant = (xt_etrami_plant)(i % 3);
    /* Of uniform systems with size .. 2 size + 1 constraints (3/10 of
     * them x = 1), 57% to 78% were unsatisfiable for 3 to 6 variables
     * (measured on 200 random systems of each size). */
    int constraints = plant == XT_ETRAMI_UNIFORM
                      ? size + (int)xt_rng_below(&rng, size + 2)
                      : (int)xt_rng_below(&rng, 3);
    xt_etrami_t sys;
    xt_etrami_solution_t planted;
    int status;

    xt_etrami_init(sys);
    xt_etrami_solution_init(planted);
    status = xt_etrami_random(sys, planted, &rng, size, constraints, plant,
                              err);
    if (status == XT_OK)
        status = xt_etrami_verify_system(rep, sys, planted, plant, i, opt,
                                         err);
    xt_etrami_solution_clear(planted);
    xt_etrami_clear(sys);
    return status;
}

/* State of the exhaustive run. */
typedef struct {
    xt_etrami_report_struct *rep;
    const xt_etrami_verify_options *opt;
    xt_error_t *err;
    long index;
    int status;
} exhaustive_run;

static int visit_system(void *data, const xt_etrami_t sys)
{
    exhaustive_run *run = data;

    if (xt_interrupted())
        return 1;
    xt_progress("etr-ami: system %ld", run->index + 1);
    run->status = xt_etrami_verify_system(run->rep, sys, NULL,
                                          XT_ETRAMI_UNIFORM, run->index++,
                                          run->opt, run->err);
    return run->status != XT_OK;
}

int xt_etrami_verify(xt_etrami_report_t rep,
                     const xt_etrami_verify_options *opt, xt_error_t *err)
{
    double start = xt_seconds();
    int status = XT_OK;

    if (opt->min_size < 1 || opt->max_size < opt->min_size) {
        xt_error_set(err, "invalid size range %d .. %d (expected 1 <= "
                     "min-size <= max-size)", opt->min_size, opt->max_size);
        return XT_ERR_INPUT;
    }
    if (opt->exhaustive) {
        exhaustive_run run = {rep, opt, err, 0, XT_OK};
        if (opt->max_size > 3) {
            xt_error_set(err, "exhaustive verification covers at most 3 "
                         "variables and 3 constraints (--max-size 3)");
            return XT_ERR_INPUT;
        }
        if (xt_etrami_each(opt->max_size, opt->max_size, visit_system,
                           &run) < 0) {
            xt_error_set(err, "out of memory while listing systems");
            return XT_ERR_NOMEM;
        }
        status = run.status;
    } else {
        for (long i = 0; i < opt->count && status == XT_OK; i++) {
            if (xt_interrupted())
                break;
            xt_progress("etr-ami: system %ld of %ld", i + 1, opt->count);
            status = verify_random(rep, i, opt, err);
        }
    }
    xt_progress_done();
    rep->seconds = xt_seconds() - start;
    return status;
}
