/* Verifies an enumeration certificate (docs/certificates.md) without any
 * LP or solver code.
 *
 * The claim "the optimum is L" needs two things.  Upper bound: the
 * certificate's network has exact loss L.  Lower bound: every activation
 * pattern up to the symmetries below lies below an entry whose bound is
 * at least L.  An entry fixes a pattern on a set S of points (all points,
 * or the first m points of an order) and proves a lower bound for the
 * pattern's subproblem restricted to S by an exact dual certificate:
 *   LP (l1, linf)  y >= 0 with A^T y = c: every feasible point costs at
 *                  least b . y (weak duality);
 *   QP (l2)        (x', y), y >= 0, 2 M^T (M x' - t) = A^T y: every
 *                  feasible point costs at least f(x') + y . (b - A x'),
 *                  because f is convex and f(x) >= f(x') + grad . (x - x');
 *   infeasible     y >= 0, A^T y = 0, b . y > 0 (Farkas).
 * Restricting to S drops the loss terms and cell rows of the other
 * points, so the bound holds for every pattern that agrees with the
 * entry on S.  To it the checker adds (for linf: takes the maximum with)
 * a verified lower bound for every network on the points outside S,
 * which earlier parts of the same certificate prove ("rest").  The
 * patterns are re-derived here from the data.  Every neuron's active set
 * is an affine dichotomy, output weights are +1 or -1 by positive
 * homogeneity, and neurons of equal sign can be permuted.  So it suffices
 * that each multiset of dichotomies per sign class is covered. */
#include <stdlib.h>
#include <string.h>
#include "enum_check.h"
#include "xtrain/network.h"
#include "xtrain/rat.h"

static int cmp_words(const uint64_t *a, const uint64_t *b, size_t words)
{
    for (size_t w = words; w-- > 0;)
        if (a[w] != b[w])
            return a[w] < b[w] ? -1 : 1;
    return 0;
}

static int has_point(const uint64_t *set, long i)
{
    return (int)((set[i / 64] >> (i % 64)) & 1);
}

/* Sets the problem of an entry: the points pts[0..m-1], increasing. */
static void set_problem(enum_checker *c, long m)
{
    c->m = m;
    int col = c->k * (c->d + 1);
    c->bias_col = c->inst->output_bias ? col++ : -1;
    c->aux_col = c->loss == XT_LOSS_L2 ? -1 : col;
    if (c->loss == XT_LOSS_L1)
        col += (int)m;
    else if (c->loss == XT_LOSS_LINF)
        col++;
    c->ncols = col;
    c->nrows = (long)c->k * m + (c->loss == XT_LOSS_L2 ? 0 : 2 * m);
}

/* Row r of the entry's constraint matrix (see the layout in
 * docs/certificates.md): activation rows (j, point) first, then two loss
 * rows per point for l1 and linf. */
static void make_row(enum_checker *c, const int *sign,
                     uint64_t *const *sets, long r)
{
    int d = c->d;
    for (int col = 0; col < c->ncols; col++)
        mpq_set_ui(c->row[col], 0, 1);
    mpq_set_ui(c->rhs, 0, 1);
    if (r < (long)c->k * c->m) {
        int j = (int)(r / c->m);
        long i = c->pts[r % c->m];
        int in = has_point(sets[j], i);
        for (int t = 0; t < d; t++) {
            mpq_set(c->row[j * (d + 1) + t], c->inst->x[i * d + t]);
            if (!in)
                mpq_neg(c->row[j * (d + 1) + t], c->row[j * (d + 1) + t]);
        }
        mpq_set_si(c->row[j * (d + 1) + d], in ? 1 : -1, 1);
        return;
    }
    long q = (r - (long)c->k * c->m) / 2, i = c->pts[q];
    int plus = (int)((r - (long)c->k * c->m) % 2);
    /* plus 0: aux - r_i >= 0, plus 1: aux + r_i >= 0 */
    for (int j = 0; j < c->k; j++)
        if (has_point(sets[j], i))
            for (int t = 0; t <= d; t++) {
                int col = j * (d + 1) + t;
                if (t < d)
                    mpq_set(c->row[col], c->inst->x[i * d + t]);
                else
                    mpq_set_ui(c->row[col], 1, 1);
                if ((sign[j] > 0) != plus)
                    mpq_neg(c->row[col], c->row[col]);
            }
    if (c->bias_col >= 0)
        mpq_set_si(c->row[c->bias_col], plus ? 1 : -1, 1);
    int aux = c->loss == XT_LOSS_L1 ? c->aux_col + (int)q : c->aux_col;
    mpq_set_ui(c->row[aux], 1, 1);
    mpq_set(c->rhs, c->inst->y[i]);
    if (!plus)
        mpq_neg(c->rhs, c->rhs);
}

/* out = g_i . x - y_i for the pattern's output at point i. */
static void residual(enum_checker *c, mpq_t out, const int *sign,
                     uint64_t *const *sets, long i, const mpq_t *x)
{
    int d = c->d;
    mpq_neg(out, c->inst->y[i]);
    for (int j = 0; j < c->k; j++) {
        if (!has_point(sets[j], i))
            continue;
        mpq_set(c->tmp, x[j * (d + 1) + d]);
        for (int t = 0; t < d; t++) {
            mpq_t p;
            mpq_init(p);
            mpq_mul(p, x[j * (d + 1) + t], c->inst->x[i * d + t]);
            mpq_add(c->tmp, c->tmp, p);
            mpq_clear(p);
        }
        if (sign[j] > 0)
            mpq_add(out, out, c->tmp);
        else
            mpq_sub(out, out, c->tmp);
    }
    if (c->bias_col >= 0)
        mpq_add(out, out, x[c->bias_col]);
}

/* Adds coef * (gradient of r_i with respect to the weights) to acc. */
static void add_residual_gradient(enum_checker *c, const int *sign,
                                  uint64_t *const *sets, long i,
                                  const mpq_t coef)
{
    int d = c->d;
    for (int j = 0; j < c->k; j++) {
        if (!has_point(sets[j], i))
            continue;
        for (int t = 0; t <= d; t++) {
            mpq_ptr a = c->acc[j * (d + 1) + t];
            if (t < d)
                mpq_mul(c->tmp, coef, c->inst->x[i * d + t]);
            else
                mpq_set(c->tmp, coef);
            if (sign[j] > 0)
                mpq_add(a, a, c->tmp);
            else
                mpq_sub(a, a, c->tmp);
        }
    }
    if (c->bias_col >= 0)
        mpq_add(c->acc[c->bias_col], c->acc[c->bias_col], coef);
}

/* Accumulates acc = -A^T y and sum = y . (b - A x) (QP) or y . b.
 * Returns -1 on a negative multiplier. */
static int apply_multipliers(enum_checker *c, const int *sign,
                             uint64_t *const *sets, const xt_json *item,
                             int with_x, xt_error_t *err)
{
    for (int col = 0; col < c->ncols; col++)
        mpq_set_ui(c->acc[col], 0, 1);
    mpq_set_ui(c->sum, 0, 1);
    for (long r = 0; r < c->nrows; r++) {
        if (mpq_sgn(c->y[r]) < 0) {
            xt_error_at(err, c->path, item->line, "negative multiplier in "
                        "row %ld", r);
            return -1;
        }
        if (!mpq_sgn(c->y[r]))
            continue;
        make_row(c, sign, sets, r);
        for (int col = 0; col < c->ncols; col++) {
            mpq_mul(c->tmp, c->y[r], c->row[col]);
            mpq_sub(c->acc[col], c->acc[col], c->tmp);  /* acc -= A^T y */
            if (with_x) {
                mpq_mul(c->tmp, c->tmp, c->x[col]);
                mpq_sub(c->sum, c->sum, c->tmp);        /* - y A x */
            }
        }
        mpq_mul(c->tmp, c->y[r], c->rhs);
        mpq_add(c->sum, c->sum, c->tmp);                /* + y b */
    }
    return 0;
}

static int farkas_holds(enum_checker *c, const xt_json *item,
                        xt_error_t *err)
{
    for (int col = 0; col < c->ncols; col++)
        if (mpq_sgn(c->acc[col])) {
            xt_error_at(err, c->path, item->line, "Farkas ray: A^T y is "
                        "not 0 in column %d", col);
            return 0;
        }
    if (mpq_sgn(c->sum) <= 0) {
        xt_error_at(err, c->path, item->line, "Farkas ray: b . y is not "
                    "positive");
        return 0;
    }
    return 1;
}

/* Reads multipliers, dense (an array of count rationals) or sparse
 * ({"rows": [...], "values": [...]} with increasing rows below count;
 * the other entries are 0). */
static int read_multipliers(enum_checker *c, mpq_t *out, long count,
                            const xt_json *value, const char *what,
                            xt_error_t *err)
{
    if (!value || value->type != XT_JSON_OBJECT)
        return xt_check_json_rat_array(out, count, value, what, c->path,
                                       err);
    const xt_json *rows = xt_json_get(value, "rows");
    const xt_json *values = xt_json_get(value, "values");
    if (!rows || rows->type != XT_JSON_ARRAY || !values ||
        values->type != XT_JSON_ARRAY || rows->count != values->count) {
        xt_error_at(err, c->path, value->line, "sparse %s needs \"rows\" "
                    "and \"values\" of equal length", what);
        return -1;
    }
    for (long r = 0; r < count; r++)
        mpq_set_ui(out[r], 0, 1);
    long last = -1;
    for (size_t q = 0; q < rows->count; q++) {
        const xt_json *v = rows->items[q];
        char *end = NULL;
        long r = v->type == XT_JSON_NUMBER ? strtol(v->text, &end, 10) : -1;
        if (r <= last || r >= count || (end && *end)) {
            xt_error_at(err, c->path, v->line, "sparse %s: rows must "
                        "increase and stay below %ld", what, count);
            return -1;
        }
        if (xt_check_json_rat(out[r], values->items[q], what, c->path, err))
            return -1;
        last = r;
    }
    return 0;
}

/* Verifies y (and x for l2) on the current problem and sets e->bound, or
 * returns -1 with err. */
static int verify_entry(enum_checker *c, enum_entry *e, const int *sign,
                        uint64_t *const *sets, const xt_json *item,
                        xt_error_t *err)
{
    const xt_json *farkas = xt_json_get(item, "farkas");
    const xt_json *dual = xt_json_get(item, "dual");
    int is_qp = c->loss == XT_LOSS_L2;
    if (read_multipliers(c, c->y, c->nrows, farkas ? farkas : dual,
                         farkas ? "farkas" : "dual", err))
        return -1;
    if (!farkas && is_qp &&
        xt_check_json_rat_array(c->x, c->ncols, xt_json_get(item, "primal"),
                                "primal", c->path, err))
        return -1;
    if (apply_multipliers(c, sign, sets, item, !farkas && is_qp, err))
        return -1;

    if (farkas) {
        if (!farkas_holds(c, item, err))
            return -1;
        e->has_bound = 0;
        return 0;
    }
    if (is_qp) {
        /* acc += 2 M^T (M x - t), which must give 0; f(x) into the sum. */
        mpq_t r2, two_r;
        mpq_inits(r2, two_r, NULL);
        for (long q = 0; q < c->m; q++) {
            residual(c, r2, sign, sets, c->pts[q], c->x);
            mpq_add(two_r, r2, r2);
            add_residual_gradient(c, sign, sets, c->pts[q], two_r);
            mpq_mul(r2, r2, r2);
            mpq_add(c->sum, c->sum, r2);
        }
        mpq_clears(r2, two_r, NULL);
    } else {
        /* acc += c (1 on every loss variable). */
        int count = c->loss == XT_LOSS_L1 ? (int)c->m : 1;
        mpq_set_ui(c->tmp, 1, 1);
        for (int t = 0; t < count; t++)
            mpq_add(c->acc[c->aux_col + t], c->acc[c->aux_col + t], c->tmp);
    }
    for (int col = 0; col < c->ncols; col++)
        if (mpq_sgn(c->acc[col])) {
            xt_error_at(err, c->path, item->line, "dual certificate: "
                        "stationarity fails in column %d", col);
            return -1;
        }
    e->has_bound = 1;
    mpq_set(e->bound, c->sum);
    return 0;
}

/* Parses an entry's signs and sets into sign[] and sets[] (bitsets over
 * the instance points).  Every point of a set must be one of the entry's
 * points, marked in `in`. */
static int parse_pattern(enum_checker *c, int *sign, uint64_t **sets,
                         const unsigned char *in, const xt_json *item,
                         xt_error_t *err)
{
    const xt_json *signs = xt_json_get(item, "signs");
    const xt_json *active = xt_json_get(item, "sets");
    if (!signs || signs->type != XT_JSON_ARRAY || (int)signs->count != c->k ||
        !active || active->type != XT_JSON_ARRAY ||
        (int)active->count != c->k) {
        xt_error_at(err, c->path, item->line, "pattern needs \"signs\" and "
                    "\"sets\" with %d entries each", c->k);
        return -1;
    }
    for (int j = 0; j < c->k; j++) {
        const xt_json *s = signs->items[j];
        if (s->type != XT_JSON_NUMBER ||
            (strcmp(s->text, "1") && strcmp(s->text, "-1"))) {
            xt_error_at(err, c->path, s->line, "sign must be 1 or -1");
            return -1;
        }
        sign[j] = s->text[0] == '-' ? -1 : 1;
        if (c->inst->convex && sign[j] < 0) {
            xt_error_at(err, c->path, s->line, "sign -1 in a convex "
                        "instance");
            return -1;
        }
        memset(sets[j], 0, c->words * sizeof(uint64_t));
        const xt_json *list = active->items[j];
        if (list->type != XT_JSON_ARRAY) {
            xt_error_at(err, c->path, list->line, "set must be an array");
            return -1;
        }
        for (size_t q = 0; q < list->count; q++) {
            const xt_json *v = list->items[q];
            char *end = NULL;
            long i = v->type == XT_JSON_NUMBER ? strtol(v->text, &end, 10)
                                               : -1;
            if (i < 0 || i >= c->n || (end && *end) || !in[i]) {
                xt_error_at(err, c->path, v->line, "point index out of "
                            "range or not among the entry's points");
                return -1;
            }
            sets[j][i / 64] |= (uint64_t)1 << (i % 64);
        }
    }
    return 0;
}

void xt_enum_check_key(const enum_checker *c, uint64_t *key, int *positives,
                       const int *sign, uint64_t *const *sets)
{
    size_t words = c->words;
    int p = 0;
    for (int j = 0; j < c->k; j++)
        p += sign[j] > 0;
    *positives = p;
    int pos = 0, neg = p;
    for (int j = 0; j < c->k; j++) {
        int slot = sign[j] > 0 ? pos++ : neg++;
        memcpy(key + (size_t)slot * words, sets[j], words * 8);
    }
    /* Insertion sort inside each class; k is small. */
    uint64_t *t = c->keytmp;
    for (int lo = 0, hi = p; lo < c->k; lo = hi, hi = c->k)
        for (int a = lo + 1; a < hi; a++) {
            memcpy(t, key + (size_t)a * words, words * 8);
            int b = a - 1;
            while (b >= lo &&
                   cmp_words(key + (size_t)b * words, t, words) > 0) {
                memcpy(key + (size_t)(b + 1) * words,
                       key + (size_t)b * words, words * 8);
                b--;
            }
            memcpy(key + (size_t)(b + 1) * words, t, words * 8);
        }
}

static uint64_t hash_key(const uint64_t *key, size_t len, int positives,
                         long depth)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)positives ^
                 ((uint64_t)depth << 20);
    for (size_t i = 0; i < len; i++) {
        h ^= key[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

/* The slot of the key: an entry index >= 0, or -1 - (free slot). */
static long table_find(const enum_checker *c, const enum_table *t,
                       const uint64_t *key, int positives, long depth)
{
    size_t len = (size_t)c->k * c->words;
    size_t s = hash_key(key, len, positives, depth) & (t->capacity - 1);
    for (;; s = (s + 1) & (t->capacity - 1)) {
        long e = t->slot[s];
        if (e < 0)
            return -1 - (long)s;
        const enum_entry *x = &t->entries[e];
        if (x->positives == positives && x->depth == depth &&
            !memcmp(x->key, key, len * sizeof(uint64_t)))
            return e;
    }
}

const enum_entry *xt_enum_check_find(const enum_checker *c,
                                     const enum_table *t,
                                     const uint64_t *key, int positives,
                                     long depth)
{
    long e = table_find(c, t, key, positives, depth);
    return e >= 0 ? &t->entries[e] : NULL;
}

static void table_free(enum_table *t)
{
    for (long q = 0; q < t->count; q++) {
        free(t->entries[q].key);
        if (t->entries[q].initialized)
            mpq_clear(t->entries[q].bound);
    }
    free(t->entries);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static int table_alloc(enum_table *t, size_t entries)
{
    memset(t, 0, sizeof *t);
    t->capacity = 16;
    while (t->capacity < 2 * entries + 2)
        t->capacity *= 2;
    t->slot = malloc(t->capacity * sizeof(long));
    t->entries = calloc(entries + 1, sizeof *t->entries);
    if (!t->slot || !t->entries)
        return -1;
    memset(t->slot, 0xff, t->capacity * sizeof(long));
    return 0;
}

/* Reads an entry's "points" (default s) and sets the entry's problem to
 * the first m doll points, sorted; marks them in `in`. */
static int entry_points(enum_checker *c, const xt_json *item,
                        const long *dpts, long s, unsigned char *in,
                        xt_error_t *err)
{
    const xt_json *points = xt_json_get(item, "points");
    long m = s;
    if (points) {
        char *end = NULL;
        m = points->type == XT_JSON_NUMBER ? strtol(points->text, &end, 10)
                                           : -1;
        /* An entry on no points would bound a problem by itself. */
        if (m < (s > 0) || m > s || (end && *end)) {
            xt_error_at(err, c->path, points->line, "\"points\" must be "
                        "from 1 to %ld", s);
            return -1;
        }
    }
    memset(in, 0, (size_t)c->n);
    for (long q = 0; q < m; q++)
        in[dpts[q]] = 1;
    long count = 0;
    for (long i = 0; i < c->n; i++)
        if (in[i])
            c->pts[count++] = i;
    set_problem(c, m);
    return 0;
}

/* Verifies every entry of a list for the doll dpts[0..s-1] and stores
 * it in the table. */
static int load_entries(enum_checker *c, const xt_json *list,
                        const long *dpts, long s, enum_table *table,
                        int *sign, uint64_t **sets, xt_error_t *err)
{
    size_t len = (size_t)c->k * c->words;
    unsigned char *in = malloc((size_t)c->n + 1);
    int rc = in && table_alloc(table, list->count) == 0 ? 0 : -1;
    if (rc)
        xt_error_set(err, "out of memory");
    for (size_t q = 0; q < list->count && rc == 0; q++) {
        const xt_json *item = list->items[q];
        enum_entry *e = &table->entries[table->count++];
        e->key = calloc(len ? len : 1, sizeof(uint64_t));
        mpq_init(e->bound);
        e->initialized = 1;
        if (!e->key || item->type != XT_JSON_OBJECT ||
            entry_points(c, item, dpts, s, in, err) ||
            parse_pattern(c, sign, sets, in, item, err) ||
            verify_entry(c, e, sign, sets, item, err)) {
            rc = -1;
            break;
        }
        e->depth = c->m;
        xt_enum_check_key(c, e->key, &e->positives, sign, sets);
        long found = table_find(c, table, e->key, e->positives, e->depth);
        if (found >= 0) {
            /* A repeated pattern: any verified bound is valid, keep the
             * stronger one. */
            enum_entry *old = &table->entries[found];
            if (!e->has_bound || (old->has_bound &&
                                  mpq_cmp(e->bound, old->bound) > 0)) {
                old->has_bound = e->has_bound;
                mpq_set(old->bound, e->bound);
            }
            continue;
        }
        table->slot[-1 - found] = table->count - 1;
    }
    free(in);
    return rc;
}

/* Verifies the entries of one list and their coverage of the problem on
 * the doll points dpts[0..s-1]. */
static int check_list(enum_checker *c, const xt_json *list, const long *dpts,
                      long s, int *has_lower, mpq_t lower, long *visited,
                      xt_error_t *err)
{
    int *sign = calloc((size_t)c->k, sizeof *sign);
    uint64_t **sets = calloc((size_t)c->k, sizeof *sets);
    enum_table table;
    memset(&table, 0, sizeof table);
    int rc = sign && sets ? 0 : -1;
    for (int j = 0; j < c->k && rc == 0; j++)
        if (!(sets[j] = calloc(c->words, sizeof(uint64_t))))
            rc = -1;
    if (rc)
        xt_error_set(err, "out of memory");
    if (rc == 0)
        rc = load_entries(c, list, dpts, s, &table, sign, sets, err);
    if (rc == 0)
        rc = xt_enum_check_cover(c, &table, dpts, s, has_lower, lower,
                                 visited, err);
    table_free(&table);
    for (int j = 0; sets && j < c->k; j++)
        free(sets[j]);
    free(sets);
    free(sign);
    return rc;
}

/* Checks that the certificate's settings are the instance's.  A mismatch
 * rejects the certificate (it proves something else). */
static int check_settings(enum_checker *c, const xt_json *root, int *k,
                          xt_error_t *err)
{
    const xt_json *set = xt_json_get(root, "settings");
    const xt_json *hidden = set ? xt_json_get(set, "hidden") : NULL;
    const xt_json *loss = set ? xt_json_get(set, "loss") : NULL;
    const xt_json *bias = set ? xt_json_get(set, "output_bias") : NULL;
    const xt_json *convex = set ? xt_json_get(set, "convex") : NULL;
    const xt_json *target = set ? xt_json_get(set, "target") : NULL;
    xt_loss kind;
    if (!hidden || hidden->type != XT_JSON_NUMBER || !loss ||
        loss->type != XT_JSON_STRING || xt_loss_parse(&kind, loss->text) ||
        !bias || !convex) {
        xt_error_at(err, c->path, set ? set->line : 1, "certificate "
                    "settings need hidden, loss, output_bias and convex");
        return XT_ERR_INPUT;
    }
    *k = atoi(hidden->text);
    if (*k < 1 || *k > XT_MAX_HIDDEN) {
        xt_error_at(err, c->path, hidden->line, "invalid hidden count");
        return XT_ERR_INPUT;
    }
    const xt_instance_struct *inst = c->inst;
    int has_bias = bias->type == XT_JSON_TRUE;
    int is_convex = convex->type == XT_JSON_TRUE;
    if (inst->hidden && inst->hidden != *k)
        xt_error_set(err, "certificate is for %d hidden neurons, the "
                     "instance asks for %d", *k, inst->hidden);
    else if (kind != inst->loss)
        xt_error_set(err, "certificate is for loss %s, the instance asks "
                     "for %s", loss->text, xt_loss_name(inst->loss));
    else if (has_bias != inst->output_bias)
        xt_error_set(err, "certificate and instance differ on the output "
                     "bias");
    else if (is_convex != inst->convex)
        xt_error_set(err, "certificate and instance differ on convexity");
    else if (!!target != !!inst->has_target)
        xt_error_set(err, "certificate and instance differ on the target");
    else
        return XT_OK;
    return -1;
}

/* Reads the optional "order", a permutation of the points. */
static int read_order(enum_checker *c, const xt_json *root, xt_error_t *err)
{
    const xt_json *order = xt_json_get(root, "order");
    for (long i = 0; i < c->n; i++)
        c->order[i] = i;
    if (!order)
        return 0;
    if (order->type != XT_JSON_ARRAY || (long)order->count != c->n) {
        xt_error_at(err, c->path, order->line, "\"order\" must list the %ld "
                    "points", c->n);
        return -1;
    }
    unsigned char *seen = calloc((size_t)c->n + 1, 1);
    int rc = seen ? 0 : -1;
    for (long q = 0; q < c->n && rc == 0; q++) {
        const xt_json *v = order->items[q];
        char *end = NULL;
        long i = v->type == XT_JSON_NUMBER ? strtol(v->text, &end, 10) : -1;
        if (i < 0 || i >= c->n || (end && *end) || seen[i]) {
            xt_error_at(err, c->path, v->line, "\"order\" is not a "
                        "permutation of the points");
            rc = -1;
        } else {
            seen[i] = 1;
            c->order[q] = i;
        }
    }
    free(seen);
    return rc;
}

/* Verifies the proofs of "rest": for increasing s, a lower bound for
 * every network on the last s points of the order.  Each proven bound
 * then holds for every longer suffix too. */
static int check_rest(enum_checker *c, const xt_json *root,
                      xt_check_report_t rep, xt_error_t *err)
{
    const xt_json *rest = xt_json_get(root, "rest");
    if (!rest)
        return 0;
    if (rest->type != XT_JSON_ARRAY) {
        xt_error_at(err, c->path, rest->line, "\"rest\" must be an array");
        return -1;
    }
    long last = 0;
    mpq_t lower, claimed;
    mpq_inits(lower, claimed, NULL);
    int rc = 0;
    for (size_t q = 0; q < rest->count && rc == 0; q++) {
        const xt_json *doll = rest->items[q];
        const xt_json *points = xt_json_get(doll, "points");
        const xt_json *list = xt_json_get(doll, "patterns");
        long s = points && points->type == XT_JSON_NUMBER
                     ? strtol(points->text, NULL, 10)
                     : -1;
        if (s <= last || s >= c->n || !list || list->type != XT_JSON_ARRAY ||
            xt_check_json_rat(claimed, xt_json_get(doll, "lower"), "lower",
                              c->path, err)) {
            if (!err->message[0])
                xt_error_at(err, c->path, doll->line, "each \"rest\" item "
                            "needs increasing \"points\" below %ld, "
                            "\"patterns\" and \"lower\"", c->n);
            rc = -1;
            break;
        }
        int has = 0;
        long visited = 0;
        rc = check_list(c, list, c->order + (c->n - s), s, &has, lower,
                        &visited, err);
        rep->patterns += visited;
        if (rc == 0 && has && mpq_cmp(lower, claimed) < 0) {
            xt_error_at(err, c->path, doll->line, "suffix bound \"lower\" "
                        "is above what its patterns prove");
            rc = -1;
        }
        for (long t = s; rc == 0 && t <= c->n; t++)
            if (mpq_cmp(claimed, c->rest[t]) > 0)
                mpq_set(c->rest[t], claimed);
        last = s;
    }
    mpq_clears(lower, claimed, NULL);
    return rc;
}

/* Reads the network, checks that it fits the instance and computes its
 * exact loss into rep->upper. */
static int check_network(enum_checker *c, xt_check_report_t rep,
                         const xt_json *root, xt_error_t *err)
{
    if (!xt_json_get(root, "network"))
        return 0;
    xt_network_t net;
    xt_network_init(net);
    int rc = -1;
    if (xt_network_read_file(net, c->path, err) != XT_OK)
        goto out;
    if (net->k != c->k || net->d != c->d || net->m != 1) {
        xt_error_set(err, "%s: the network's shape does not match the "
                     "instance", c->path);
        goto out;
    }
    if (xt_network_conforms(net, c->inst, err) != XT_OK ||
        xt_network_loss(rep->upper, NULL, net, c->inst, c->loss, err))
        goto out;
    rep->has_upper = 1;
    const xt_json *claimed = xt_json_get(root, "loss");
    mpq_t value;
    mpq_init(value);
    if (claimed && (xt_check_json_rat(value, claimed, "loss", c->path, err) ||
                    mpq_cmp(value, rep->upper) != 0)) {
        if (!err->message[0] || mpq_cmp(value, rep->upper) != 0)
            xt_error_set(err, "%s: claimed loss differs from the network's "
                         "exact loss", c->path);
        mpq_clear(value);
        goto out;
    }
    mpq_clear(value);
    rc = 0;
out:
    xt_network_clear(net);
    return rc;
}

/* Decides whether the claim follows from the verified bounds. */
static void judge_claim(enum_checker *c, xt_check_report_t rep,
                        const char *claim, int covered, xt_error_t *err)
{
    const xt_instance_struct *inst = c->inst;
    if (!strcmp(claim, "optimal")) {
        if (!rep->has_upper || !covered)
            xt_error_set(err, "optimality needs a network and every "
                         "pattern");
        else if (!rep->has_lower || mpq_cmp(rep->lower, rep->upper) < 0)
            xt_error_set(err, "lower bound is below the network's loss");
        else
            rep->verified = 1;
    } else if (!strcmp(claim, "feasible")) {
        if (!rep->has_upper || !inst->has_target ||
            mpq_cmp(rep->upper, inst->target) > 0)
            xt_error_set(err, "the network does not meet the target");
        else
            rep->verified = 1;
    } else if (!strcmp(claim, "infeasible")) {
        if (!inst->has_target || !covered)
            xt_error_set(err, "infeasibility needs a target and every "
                         "pattern");
        else if (rep->has_lower && mpq_cmp(rep->lower, inst->target) <= 0)
            xt_error_set(err, "a pattern's lower bound is within the "
                         "target");
        else
            rep->verified = rep->infeasible = 1;
    } else {
        xt_error_set(err, "certificate claims \"%s\", which proves nothing",
                     claim);
    }
}

static int checker_init(enum_checker *c, const xt_instance_t inst, int k)
{
    c->k = k;
    c->d = inst->d;
    c->n = inst->n;
    c->loss = inst->loss;
    c->words = (size_t)(c->n + 63) / 64;
    if (!c->words)
        c->words = 1;
    set_problem(c, c->n);
    size_t cols = (size_t)c->ncols + 1, rows = (size_t)c->nrows + 1;
    c->row = xt_rat_array_new(cols);
    c->acc = xt_rat_array_new(cols);
    c->x = xt_rat_array_new(cols);
    c->y = xt_rat_array_new(rows);
    c->rest = xt_rat_array_new((size_t)c->n + 1);
    c->order = malloc(((size_t)c->n + 1) * sizeof *c->order);
    c->pts = malloc(((size_t)c->n + 1) * sizeof *c->pts);
    c->keytmp = malloc(c->words * sizeof *c->keytmp);
    mpq_inits(c->rhs, c->sum, c->tmp, NULL);
    return c->row && c->acc && c->x && c->y && c->rest && c->order &&
                   c->pts && c->keytmp
               ? 0
               : -1;
}

static void checker_clear(enum_checker *c)
{
    /* The arrays were sized for the full problem. */
    set_problem(c, c->n);
    size_t cols = (size_t)c->ncols + 1, rows = (size_t)c->nrows + 1;
    xt_rat_array_free(c->row, cols);
    xt_rat_array_free(c->acc, cols);
    xt_rat_array_free(c->x, cols);
    xt_rat_array_free(c->y, rows);
    xt_rat_array_free(c->rest, (size_t)c->n + 1);
    free(c->order);
    free(c->pts);
    free(c->keytmp);
    mpq_clears(c->rhs, c->sum, c->tmp, NULL);
}

/* Verifies the network, the suffix bounds and the main list; sets
 * *covered when every pattern is covered. */
static void check_all(enum_checker *c, xt_check_report_t rep,
                      const xt_json *root, const char *claim,
                      const xt_json *list, xt_error_t *err)
{
    int covered = 0;
    if (check_network(c, rep, root, err) || read_order(c, root, err))
        return;
    int need = strcmp(claim, "feasible") != 0;
    if (need) {
        if (check_rest(c, root, rep, err))
            return;
        long visited = 0;
        covered = check_list(c, list, c->order, c->n, &rep->has_lower,
                             rep->lower, &visited, err) == 0;
        rep->patterns += visited;
        if (!covered)
            return;
    }
    judge_claim(c, rep, claim, covered, err);
}

int xt_check_enum(xt_check_report_t rep, const xt_instance_t inst,
                  const xt_json *root, const char *path, xt_error_t *err)
{
    enum_checker c;
    memset(&c, 0, sizeof c);
    c.inst = inst;
    c.path = path;
    int k = 0;
    int s = check_settings(&c, root, &k, err);
    if (s == XT_ERR_INPUT)
        return s;
    if (s != XT_OK)
        return XT_OK;          /* rejected: verified stays 0 */
    if (inst->m != 1 || inst->activation != XT_ACT_RELU ||
        inst->loss == XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "enum certificates are for one-output ReLU "
                     "instances with loss l1, l2 or linf");
        return XT_OK;
    }
    const xt_json *claim = xt_json_get(root, "claim");
    const xt_json *list = xt_json_get(root, "patterns");
    if (!claim || claim->type != XT_JSON_STRING || !list ||
        list->type != XT_JSON_ARRAY) {
        xt_error_at(err, path, 1, "certificate needs \"claim\" and "
                    "\"patterns\"");
        return XT_ERR_INPUT;
    }
    if (checker_init(&c, inst, k) == 0)
        check_all(&c, rep, root, claim->text, list, err);
    else
        xt_error_set(err, "out of memory");
    checker_clear(&c);
    return XT_OK;
}
