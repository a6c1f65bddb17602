/* The plain enumeration for threshold networks: every tuple of affine
 * dichotomies (one activation set per hidden neuron) and every output
 * function.  A tuple fixes each point's code, so the zero-one loss of an
 * output function phi is the number of points whose label is not
 * phi(code); the exact weights come from one separation LP per
 * dichotomy used and the function's precomputed output weights.
 *
 * Symmetry: the function list is closed under permuting the neurons, so
 * unless ordered is set only nondecreasing tuples are tried. */
#include <stdlib.h>
#include <string.h>
#include "threshold_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

typedef struct {
    const xt_thr_task *task;
    const xt_thr_functions *f;
    xt_solve_result_struct *res;
    xt_thr_labels labels;
    xt_dichotomy_list sets;
    int k, d, ordered, stop;
    long n, budget;
    double start;
    size_t idx[XT_THR_MAX_K];
    int *code;              /* n codes of the current tuple */
    long *count;            /* codes * (nvalues + 1) label counts */
    mpq_t **weights;        /* per dichotomy: its separating (w, b) */
    xt_network_t net;
} enum_state;

static void compute_codes(enum_state *s)
{
    int values = s->f->nvalues + 1;
    memset(s->count, 0, sizeof(long) * (size_t)s->f->codes *
                        (size_t)values);
    for (long i = 0; i < s->n; i++) {
        int code = 0;
        for (int j = 0; j < s->k; j++)
            code |= xt_dichotomy_has(&s->sets, s->idx[j], i) << j;
        s->code[i] = code;
        int label = s->labels.label[i];
        s->count[code * values + (label < 0 ? values - 1 : label)]++;
    }
}

/* Misclassified points when every code outputs its most frequent label:
 * a lower bound for every output function. */
static long lower_bound(const enum_state *s)
{
    int values = s->f->nvalues + 1;
    long right = 0;
    for (int h = 0; h < s->f->codes; h++) {
        long max_count = 0;
        for (int v = 0; v + 1 < values; v++)
            if (s->count[h * values + v] > max_count)
                max_count = s->count[h * values + v];
        right += max_count;
    }
    return s->n - right;
}

static long function_loss(const enum_state *s, size_t r)
{
    int values = s->f->nvalues + 1;
    const unsigned char *row = s->f->map + r * (size_t)s->f->codes;
    long right = 0;
    for (int h = 0; h < s->f->codes; h++)
        if (row[h] != XT_THR_ANY)
            right += s->count[h * values + row[h]];
    return s->n - right;
}

/* The separating weights of dichotomy t, computed on first use. */
static int dichotomy_weights(enum_state *s, size_t t, xt_error_t *err)
{
    if (s->weights[t])
        return XT_OK;
    size_t width = (size_t)s->d + 1;
    mpq_t *wb = xt_rat_array_new(width);
    uint64_t *neg = malloc(s->sets.words * sizeof(uint64_t));
    if (!wb || !neg) {
        xt_rat_array_free(wb, width);
        free(neg);
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    const uint64_t *pos = s->sets.sets + t * s->sets.words;
    for (size_t w = 0; w < s->sets.words; w++)
        neg[w] = ~pos[w];
    int found = xt_thr_separate(wb, s->task->inst->x, s->n, s->d, pos, neg,
                                1, 1, &s->res->subproblems, err);
    free(neg);
    if (found <= 0) {
        xt_rat_array_free(wb, width);
        if (found == 0)
            xt_error_set(err, "self-check failed: an enumerated dichotomy "
                         "has no separating hyperplane");
        return found == 0 ? XT_ERR_INTERNAL : -found;
    }
    s->weights[t] = wb;
    return XT_OK;
}

static int take(enum_state *s, size_t r, long loss, xt_error_t *err)
{
    mpq_t *rows[XT_THR_MAX_K];
    for (int j = 0; j < s->k; j++) {
        int rc = dichotomy_weights(s, s->idx[j], err);
        if (rc != XT_OK)
            return rc;
        rows[j] = s->weights[s->idx[j]];
    }
    int rc = xt_thr_network(s->net, s->f, r, rows, s->d,
                            s->task->threshold_output, err);
    if (rc == XT_OK)
        rc = xt_thr_record(s->res, s->task, s->net, loss, err);
    if (rc != XT_OK || s->task->all)
        return rc;
    if (s->task->inst->has_target)
        s->stop = 1;
    else
        s->budget = mpz_get_si(mpq_numref(s->res->loss)) - 1;
    return XT_OK;
}

static int examine_tuple(enum_state *s, xt_error_t *err)
{
    compute_codes(s);
    if (lower_bound(s) > s->budget) {
        s->res->pruned++;
        return XT_OK;
    }
    for (size_t r = 0; r < s->f->count && !s->stop; r++) {
        long loss = function_loss(s, r);
        if (loss > s->budget)
            continue;
        int rc = take(s, r, loss, err);
        if (rc != XT_OK)
            return rc;
    }
    return XT_OK;
}

/* Advances to the next tuple: nondecreasing unless ordered. */
static int next_tuple(enum_state *s)
{
    size_t count = s->sets.count;
    for (int pos = s->k - 1; pos >= 0; pos--) {
        if (s->idx[pos] + 1 >= count)
            continue;
        s->idx[pos]++;
        for (int q = pos + 1; q < s->k; q++)
            s->idx[q] = s->ordered ? 0 : s->idx[pos];
        return 1;
    }
    return 0;
}

static int run_tuples(enum_state *s, xt_error_t *err)
{
    int rc = XT_OK;
    do {
        rc = examine_tuple(s, err);
        s->res->patterns++;
        if ((s->res->patterns & 1023) == 0) {
            xt_progress("threshold-enum: %ld tuples, %ld LPs",
                        s->res->patterns, s->res->subproblems);
            if (xt_thr_should_stop(s->res, s->task, s->start))
                s->stop = 1;
        }
    } while (rc == XT_OK && !s->stop && next_tuple(s));
    xt_progress_done();
    return rc;
}

static int allocate(enum_state *s, xt_error_t *err)
{
    size_t counts = (size_t)s->f->codes * (size_t)(s->f->nvalues + 1);
    s->code = malloc(sizeof(int) * (size_t)(s->n > 0 ? s->n : 1));
    s->count = malloc(sizeof(long) * counts);
    s->weights = calloc(s->sets.count ? s->sets.count : 1, sizeof(mpq_t *));
    if (!s->code || !s->count || !s->weights) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

int xt_thr_enumerate(xt_solve_result_struct *res, const xt_thr_task *task,
                     const xt_thr_functions *f, int ordered,
                     xt_error_t *err)
{
    const xt_instance_struct *inst = task->inst;
    enum_state s;
    memset(&s, 0, sizeof s);
    s.task = task;
    s.f = f;
    s.res = res;
    s.k = f->k;
    s.d = inst->d;
    s.n = inst->n;
    s.ordered = ordered;
    s.budget = task->budget;
    s.start = xt_seconds();
    xt_network_init(s.net);
    xt_dichotomy_list_init(&s.sets, inst->n);

    int rc = xt_thr_labels_init(&s.labels, inst, f);
    if (rc != XT_OK) {
        xt_error_set(err, "out of memory");
    } else {
        size_t limit = task->opt->max_patterns > 0
                           ? (size_t)task->opt->max_patterns : 0;
        double t0 = xt_seconds();
        rc = xt_dichotomies(&s.sets, inst->x, inst->n, inst->d, limit, err);
        res->dichotomies = (long)s.sets.count;
        res->seconds_enumerate += xt_seconds() - t0;
    }
    if (rc == XT_OK)
        rc = allocate(&s, err);
    if (rc == XT_OK && s.sets.count > 0)
        rc = run_tuples(&s, err);

    for (size_t t = 0; s.weights && t < s.sets.count; t++)
        xt_rat_array_free(s.weights[t], (size_t)s.d + 1);
    free(s.weights);
    free(s.code);
    free(s.count);
    xt_dichotomy_list_clear(&s.sets);
    xt_thr_labels_clear(&s.labels);
    xt_network_clear(s.net);
    return rc;
}
