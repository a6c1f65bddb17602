/* The reduction verifier: checks a reduction in both directions on small
 * source instances, with the exact solver as the judge of the training
 * side.
 *
 * Per instance, the verifier lists every source certificate by brute
 * force, maps the instance and checks the declared size formula, and maps
 * every certificate forward and checks the network's exact loss against
 * the target.  It then runs the exact solver to completion and maps every
 * network it produces back, checking each certificate.  For threshold
 * networks these are every leaf of the search under every output
 * function, and on small instances also every dichotomy tuple and the
 * vertex solutions of their LPs.  NO instances must be proven infeasible.  Following the advice of the
 * reduction-testing literature, the backward map is tested on every
 * witness, not only the first, and NO is never concluded from "no witness
 * among the mapped ones". */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "reduction_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/solve.h"

/* Returned by the visitor to stop listing networks (max_networks). */
#define VISIT_ENOUGH 1000

void xt_verify_options_init(xt_verify_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->seed = 1;
    opt->count = 100;
    opt->min_size = 1;
    opt->max_size = 6;
    opt->vertex_limit = 3000;
    opt->enumerate_points = 10;
    opt->max_networks = 20000;
    opt->shrink = 1;
}

void xt_verify_report_init(xt_verify_report_t rep)
{
    memset(rep, 0, sizeof *rep);
    xt_clauses_init(rep->failure);
    rep->failure_index = -1;
}

void xt_verify_report_clear(xt_verify_report_t rep)
{
    xt_clauses_clear(rep->failure);
}

/* State of one instance's verification. */
typedef struct {
    const xt_reduction *red;
    const xt_verify_options *opt;
    xt_verify_report_struct *rep;
    const xt_clauses_struct *src;
    xt_instance_t inst;
    long failures;
    char message[XT_ERROR_MAX];
    long networks;
} checker;

static void fail(checker *c, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(checker *c, const char *format, ...)
{
    char text[XT_ERROR_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    if (c->failures == 0)
        snprintf(c->message, sizeof c->message, "%s", text);
    c->failures++;
    xt_log(2, "reduce: %s\n", text);
}

/* Writes an assignment as "1 -2 3" into buf (truncated with "..."). */
static const char *assignment_text(char *buf, size_t size,
                                   const xt_assignment_t a)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int v = 0; v < a->n && used + 16 < size; v++)
        used += (size_t)snprintf(buf + used, size - used, "%s%d",
                                 v ? " " : "", a->value[v] ? v + 1 : -v - 1);
    if (a->n > 0 && used + 16 >= size)
        snprintf(buf + used, size - used, " ...");
    return buf;
}

/* Whether two certificate lists hold the same set of rows. */
static int same_certificates(xt_certificate_list *a, xt_certificate_list *b)
{
    if (a->count != b->count || a->n != b->n)
        return 0;
    size_t width = (size_t)(a->n > 0 ? a->n : 1);
    for (long i = 0; i < a->count; i++) {
        int found = 0;
        for (long j = 0; j < b->count && !found; j++)
            found = !memcmp(a->values + width * (size_t)i,
                            b->values + width * (size_t)j, width);
        if (!found)
            return 0;
    }
    return 1;
}

/* Lists the certificates: brute force, and the reduction's own solver
 * when it has one, which must agree. */
static int list_certificates(checker *c, xt_certificate_list *out,
                             xt_error_t *err)
{
    const xt_source_problem *p = c->red->source;
    int rc = xt_source_solve(out, p, c->src, err);
    if (rc != XT_OK || !c->red->solve)
        return rc;
    xt_certificate_list theirs;
    xt_certificate_list_init(&theirs, c->src->nvars);
    xt_error_t why;
    xt_error_clear(&why);
    if (c->red->solve(c->red, &theirs, c->src, &why) != XT_OK)
        fail(c, "the reduction's source solver failed: %s", why.message);
    else if (!same_certificates(out, &theirs))
        fail(c, "the reduction's source solver lists %ld certificates, "
             "brute force %ld (or different ones)", theirs.count,
             out->count);
    xt_certificate_list_clear(&theirs);
    return XT_OK;
}

static void check_sizes(checker *c)
{
    const xt_reduction *red = c->red;
    long values[XT_SOURCE_SIZES], want;
    red->source->sizes(values, c->src);
    const char *formula[3] = {red->points, red->inputs, red->hidden};
    const char *what[3] = {"points", "inputs", "hidden neurons"};
    long got[3] = {c->inst->n, c->inst->d, c->inst->hidden};
    for (int f = 0; f < 3; f++) {
        if (!formula[f])
            continue;
        xt_error_t err;
        c->rep->size_checks++;
        if (xt_formula_eval(&want, formula[f], red->source->size_names,
                            values, XT_SOURCE_SIZES, &err) != XT_OK)
            fail(c, "%s", err.message);
        else if (want != got[f])
            fail(c, "size formula: %s = %s = %ld, but the instance has "
                 "%ld", what[f], formula[f], want, got[f]);
    }
}

/* Checks that net conforms to the instance and meets its target. */
static int meets_target(checker *c, const xt_network_t net, char *why,
                        size_t size)
{
    xt_error_t err;
    mpq_t loss;
    int ok = 0;
    mpq_init(loss);
    if (xt_network_conforms(net, c->inst, &err) != XT_OK) {
        snprintf(why, size, "%s", err.message);
    } else if (xt_network_loss(loss, NULL, net, c->inst, c->inst->loss,
                               &err) != XT_OK) {
        snprintf(why, size, "%s", err.message);
    } else if (mpq_cmp(loss, c->inst->target) > 0) {
        char *text = xt_rat_to_string(loss);
        snprintf(why, size, "its %s loss is %s, above the target",
                 xt_loss_name(c->inst->loss), text ? text : "?");
        free(text);
    } else {
        ok = 1;
    }
    mpq_clear(loss);
    return ok;
}

static void check_forward(checker *c, const xt_certificate_list *certs)
{
    xt_assignment_t a;
    xt_assignment_init(a);
    xt_network_t net;
    xt_network_init(net);
    char text[160], why[XT_ERROR_MAX];
    for (long i = 0; i < certs->count; i++) {
        xt_error_t err;
        xt_certificate_list_get(a, certs, i);
        c->rep->forward_checks++;
        assignment_text(text, sizeof text, a);
        if (c->red->forward(c->red, net, c->src, c->inst, a, &err) != XT_OK)
            fail(c, "forward map failed on certificate %s: %s", text,
                 err.message);
        else if (!meets_target(c, net, why, sizeof why))
            fail(c, "forward map of certificate %s: %s", text, why);
    }
    xt_network_clear(net);
    xt_assignment_clear(a);
}

/* Maps one network back and checks the certificate. */
static int check_backward(void *data, const xt_network_t net)
{
    checker *c = data;
    xt_assignment_t a;
    xt_assignment_init(a);
    xt_error_t err;
    char text[160];
    c->rep->backward_checks++;
    c->networks++;
    if (c->red->backward(c->red, a, c->src, c->inst, net, &err) != XT_OK)
        fail(c, "backward map failed on a network that meets the target: "
             "%s", err.message);
    else if (a->n != c->src->nvars)
        fail(c, "backward map returned %d values for %d variables", a->n,
             c->src->nvars);
    else if (!c->red->source->check(c->src, a))
        fail(c, "backward map gives %s, which is not a certificate",
             assignment_text(text, sizeof text, a));
    xt_assignment_clear(a);
    if (c->opt->max_networks > 0 && c->networks >= c->opt->max_networks)
        return VISIT_ENOUGH;
    return XT_OK;
}

/* Runs one solver pass; sets *status.  Returns XT_OK or an error. */
static int solve_pass(checker *c, int flags, xt_solve_status *status,
                      xt_error_t *err)
{
    xt_solve_options sopt;
    xt_solve_options_init(&sopt);
    sopt.time_limit = c->opt->time_limit;
    xt_solve_result_t res;
    xt_solve_result_init(res);
    int rc;
    c->rep->solver_runs++;
    c->networks = 0;
    if (c->inst->activation == XT_ACT_THRESHOLD) {
        rc = xt_solve_threshold_each(res, c->inst, &sopt, flags,
                                     c->opt->vertex_limit, check_backward,
                                     c, err);
    } else {
        rc = xt_solve(res, c->inst, &sopt, err);
        if (rc == XT_OK && res->status == XT_SOLVE_FEASIBLE)
            check_backward(c, res->network);
    }
    *status = res->status;
    xt_log(3, "reduce: %s solver: %d variables, %d clauses: %s, %ld "
           "nodes, %ld LPs, %ld networks, %.3f s\n", res->method_name,
           c->src->nvars, c->src->nclauses,
           xt_solve_status_name(res->status), res->patterns,
           res->subproblems, c->networks, res->seconds_total);
    if (rc == VISIT_ENOUGH) {
        *status = XT_SOLVE_FEASIBLE;
        rc = XT_OK;
    }
    xt_solve_result_clear(res);
    return rc;
}

static int check_solver(checker *c, int yes, xt_error_t *err)
{
    int passes = 1;
    if (c->inst->activation == XT_ACT_THRESHOLD &&
        c->inst->n <= c->opt->enumerate_points)
        passes = 2;
    for (int pass = 0; pass < passes; pass++) {
        /* Every output function on YES instances, to list every network;
         * one per symmetry class suffices to prove NO instances
         * infeasible. */
        int flags = (yes ? XT_THRESHOLD_ALL_FUNCTIONS : 0) |
                    (pass ? XT_THRESHOLD_ENUMERATE : 0);
        xt_solve_status status;
        int rc = solve_pass(c, flags, &status, err);
        if (rc != XT_OK)
            return rc;
        if (status == XT_SOLVE_UNKNOWN) {
            c->rep->undecided++;
        } else if (!yes && status != XT_SOLVE_INFEASIBLE) {
            fail(c, "the source instance is NO, but the exact solver "
                 "found a network that meets the target");
        } else if (yes && status == XT_SOLVE_INFEASIBLE) {
            fail(c, "the source instance is YES, but the exact solver "
                 "proved the training instance infeasible");
        }
    }
    return XT_OK;
}

static int compare_size(const xt_clauses_t a, const xt_clauses_t b)
{
    long la = a->start ? a->start[a->nclauses] : 0;
    long lb = b->start ? b->start[b->nclauses] : 0;
    if (a->nvars != b->nvars)
        return a->nvars < b->nvars ? -1 : 1;
    if (a->nclauses != b->nclauses)
        return a->nclauses < b->nclauses ? -1 : 1;
    return (la > lb) - (la < lb);
}

static void keep_failure(checker *c)
{
    xt_verify_report_struct *rep = c->rep;
    rep->failures += c->failures;
    rep->failed_instances++;
    if (rep->has_failure && compare_size(c->src, rep->failure) >= 0)
        return;
    if (xt_clauses_set(rep->failure, c->src) != XT_OK)
        return;
    rep->has_failure = 1;
    rep->failure_index = -1;
    snprintf(rep->failure_message, sizeof rep->failure_message, "%s",
             c->message);
}

int xt_verify_instance(xt_verify_report_t rep, const xt_reduction *red,
                       const xt_clauses_t src,
                       const xt_verify_options *opt, xt_error_t *err)
{
    checker c;
    memset(&c, 0, sizeof c);
    c.red = red;
    c.opt = opt;
    c.rep = rep;
    c.src = src;
    xt_instance_init(c.inst);
    xt_certificate_list certs;
    xt_certificate_list_init(&certs, src->nvars);
    rep->instances++;

    int rc = list_certificates(&c, &certs, err);
    if (rc != XT_OK)
        goto done;
    rep->certificates += certs.count;
    int yes = certs.count > 0;
    if (yes)
        rep->yes++;
    else
        rep->no++;

    xt_error_t why;
    if (red->map(red, c.inst, src, &why) != XT_OK) {
        fail(&c, "instance map failed: %s", why.message);
    } else if (!c.inst->has_target) {
        fail(&c, "the mapped training instance has no target");
    } else {
        check_sizes(&c);
        check_forward(&c, &certs);
        rc = check_solver(&c, yes, err);
    }
done:
    if (rc == XT_OK && c.failures > 0)
        keep_failure(&c);
    xt_certificate_list_clear(&certs);
    xt_instance_clear(c.inst);
    return rc;
}

/* ---- runs over many instances ------------------------------------- */

typedef struct {
    xt_verify_report_struct *rep;
    const xt_reduction *red;
    const xt_verify_options *opt;
    xt_error_t *err;
    double start;
} run_state;

static int visit_exhaustive(void *data, const xt_clauses_t src)
{
    run_state *s = data;
    if (xt_interrupted())
        return XT_ERR_LIMIT;
    xt_progress("reduce %s: %ld instances, %ld failed", s->red->name,
                s->rep->instances, s->rep->failed_instances);
    return xt_verify_instance(s->rep, s->red, src, s->opt, s->err);
}

static int run_random(run_state *s)
{
    const xt_verify_options *opt = s->opt;
    xt_clauses_t src;
    xt_clauses_init(src);
    int rc = XT_OK;
    int low = opt->min_size, high = opt->max_size < low ? low
                                                         : opt->max_size;
    for (long i = 0; i < opt->count && rc == XT_OK; i++) {
        if (xt_interrupted())
            return XT_ERR_LIMIT;
        uint64_t rng = opt->seed + (uint64_t)i;
        int size = low + (int)xt_rng_below(&rng, high - low + 1);
        rc = s->red->source->random(src, &rng, size, (int)(i % 2));
        if (rc != XT_OK) {
            xt_error_set(s->err, "out of memory");
            break;
        }
        long failed = s->rep->failed_instances;
        int smaller = !s->rep->has_failure ||
                      compare_size(src, s->rep->failure) < 0;
        xt_progress("reduce %s: %ld of %ld instances, %ld failed",
                    s->red->name, i, opt->count,
                    s->rep->failed_instances);
        rc = xt_verify_instance(s->rep, s->red, src, opt, s->err);
        if (s->rep->failed_instances > failed && smaller)
            s->rep->failure_index = i;
    }
    xt_clauses_clear(src);
    return rc;
}

/* Copies src without clause j (drop_var < 0) or without variable
 * drop_var (1-based; later variables are renumbered). */
static int shrunk_copy(xt_clauses_t out, const xt_clauses_t src, int j,
                       int drop_var)
{
    int lits[64];
    xt_clauses_reset(out, src->nvars - (drop_var > 0));
    for (int c = 0; c < src->nclauses; c++) {
        if (c == j)
            continue;
        int size = 0;
        const int *in = xt_clause_lits(src, c);
        for (int t = 0; t < xt_clause_size(src, c) && size < 64; t++) {
            int v = abs(in[t]);
            if (v == drop_var)
                continue;
            int renamed = drop_var > 0 && v > drop_var ? v - 1 : v;
            lits[size++] = in[t] < 0 ? -renamed : renamed;
        }
        if (xt_clauses_add(out, lits, size) != XT_OK)
            return XT_ERR_NOMEM;
    }
    return XT_OK;
}

/* Whether candidate still fails (and is a valid source instance). */
static int still_fails(run_state *s, const xt_clauses_t candidate,
                       char *message)
{
    xt_error_t why;
    if (candidate->nvars < 1 ||
        s->red->source->validate(candidate, &why) != XT_OK)
        return 0;
    xt_verify_report_t trial;
    xt_verify_report_init(trial);
    int fails = xt_verify_instance(trial, s->red, candidate, s->opt,
                                   &why) == XT_OK && trial->failures > 0;
    if (fails)
        snprintf(message, XT_ERROR_MAX, "%s", trial->failure_message);
    xt_verify_report_clear(trial);
    return fails;
}

/* Greedily removes clauses, then variables, while the instance fails. */
static void shrink_failure(run_state *s)
{
    xt_verify_report_struct *rep = s->rep;
    xt_clauses_t candidate;
    xt_clauses_init(candidate);
    char message[XT_ERROR_MAX];
    int progress = 1, tries = 0;
    while (progress && tries < 500 && !xt_interrupted()) {
        progress = 0;
        int clauses = rep->failure->nclauses, vars = rep->failure->nvars;
        for (int step = 0; step < clauses + vars && !progress; step++) {
            int j = step < clauses ? step : -1;
            int v = step < clauses ? 0 : step - clauses + 1;
            tries++;
            if (shrunk_copy(candidate, rep->failure, j, v) != XT_OK)
                break;
            if (still_fails(s, candidate, message)) {
                /* Keep the candidate; the old failure becomes scratch. */
                xt_clauses_struct kept = rep->failure[0];
                rep->failure[0] = candidate[0];
                candidate[0] = kept;
                snprintf(rep->failure_message, sizeof rep->failure_message,
                         "%s", message);
                progress = 1;
            }
        }
    }
    xt_clauses_clear(candidate);
}

int xt_verify(xt_verify_report_t rep, const xt_reduction *red,
              const xt_verify_options *opt, xt_error_t *err)
{
    run_state s = {rep, red, opt, err, xt_seconds()};
    int rc;
    if (opt->exhaustive)
        rc = red->source->each(opt->max_size, visit_exhaustive, &s);
    else
        rc = run_random(&s);
    xt_progress_done();
    if (rc == XT_ERR_LIMIT && xt_interrupted())
        xt_error_set(err, "interrupted after %ld instances", rep->instances);
    if (rep->has_failure && opt->shrink) {
        xt_clauses_t before;
        xt_clauses_init(before);
        xt_clauses_set(before, rep->failure);
        shrink_failure(&s);
        if (compare_size(rep->failure, before) != 0)
            rep->failure_index = -1;
        xt_clauses_clear(before);
    }
    rep->seconds = xt_seconds() - s.start;
    return rc;
}
